"""Counting a page's queries: with a few rows and with many, so that a page whose number
of queries grows with its rows (an N+1 query) is caught."""

import re

from django.db import connection
from django.test.utils import CaptureQueriesContext

SMALL, LARGE = 5, 500
# Every signed-in staff page: her session, her account, the MFA check, her own and her
# groups' permissions, and saving the session again (savepoint, update, release).
SIGNED_IN = 8
# The Django admin also reads her role groups (accounts/admin.py: service_admins_only).
ADMIN_SIGNED_IN = SIGNED_IN + 1


# --- measuring --------------------------------------------------------------------------------
def get_page(client, url, params, *, method="get"):
    with CaptureQueriesContext(connection) as captured:
        response = getattr(client, method)(url, params or {})
    assert response.status_code == 200, (url, response.status_code)
    return len(captured), response.content.decode()


def measure(client, url, grow, *, params=None, check=None, method="get"):
    """Queries for the page with 5 rows and with 500: ``grow(n)`` adds n rows;
    ``check(html, size)`` asserts the page shows them."""
    counts, grown = [], 0
    for size in (SMALL, LARGE):
        grow(size - grown)
        grown = size
        if size == SMALL:
            get_page(client, url, params, method=method)  # warm up process-wide caches
        count, html = get_page(client, url, params, method=method)
        if check is not None:
            check(html, size)
        counts.append(count)
    return counts


def distinct(pattern, html) -> int:
    """How many different matches of ``pattern`` (one group, or the whole match) a page has."""
    return len(set(re.findall(pattern, html)))


def between(html, start, end) -> str:
    """The part of a page from the first ``start`` to the next ``end``."""
    first = html.index(start)
    return html[first : html.index(end, first)]


def in_table(html) -> str:
    start, end = html.find("<table"), html.rfind("</table>")
    assert start != -1, "no table on the page"
    assert end != -1, "no table on the page"
    return html[start:end]
