"""The public form's pages as a visitor with no cookies sees them, drawn once per process.

Opening the self-referral form is the busiest public request, and for a visitor with no
cookies at all (no session, no CSRF cookie, no messages) every such page is the same
except for two values: the CSRF token and the signed moment she opened the form (the
too-fast check). Drawing it through the template engine each time was most of its cost
, so the first drawing is kept in this process's memory, keyed by address and
language, with those two values cut out; later visitors get a copy with fresh values put
in. Anything else (a cookie, a query string, a POST, a page that is not a plain 200) goes
to the view as usual. Kept for PAGE_SECONDS, so a changed template or list of areas shows
within minutes even before the next deploy restarts the processes.

Django's own page cache cannot be used: it would serve one visitor's CSRF token to the
next."""

import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps

from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils.translation import get_language

PAGE_SECONDS = 300
# The two values each visitor gets her own of, as the step template draws them.
CSRF_VALUE = re.compile(r'(name="csrfmiddlewaretoken" value=")([^"]+)(")')
STARTED_VALUE = re.compile(r'(name="[\w-]+-started" value=")([^"]+)(")')
CSRF_SLOT = "\x00csrf\x00"
STARTED_SLOT = "\x00started\x00"


@dataclass(frozen=True)
class KeptPage:
    content: str  # with CSRF_SLOT and STARTED_SLOT where the two values were
    content_type: str
    kept_until: float

    def for_visitor(self, request, started_token: str) -> HttpResponse:
        # get_token also makes the CSRF middleware set her CSRF cookie, as the view does.
        content = self.content.replace(CSRF_SLOT, get_token(request), 1).replace(
            STARTED_SLOT, started_token, 1
        )
        return HttpResponse(content, content_type=self.content_type)


_kept: dict[tuple[str, str], KeptPage] = {}


def _keepable(response) -> KeptPage | None:
    """The page with its two per-visitor values cut out, or None if they are not each
    there exactly once (then it is never kept)."""
    if response.status_code != 200 or response.cookies:
        return None
    content = response.content.decode(response.charset)
    content, csrf_found = CSRF_VALUE.subn(rf"\g<1>{CSRF_SLOT}\g<3>", content)
    content, started_found = STARTED_VALUE.subn(rf"\g<1>{STARTED_SLOT}\g<3>", content)
    if csrf_found != 1 or started_found != 1:
        return None
    return KeptPage(content, response["Content-Type"], time.monotonic() + PAGE_SECONDS)


def kept_for_new_visitors(view: Callable, *, started_token: Callable[[], str]) -> Callable:
    """Serve ``view``'s GET pages to visitors with no cookies from this process's memory,
    as described above. ``started_token`` makes the signed start time the page carries."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method != "GET" or request.COOKIES or request.GET:
            return view(request, *args, **kwargs)
        key = (request.path, get_language())
        kept = _kept.get(key)
        if kept is not None and kept.kept_until > time.monotonic():
            return kept.for_visitor(request, started_token())
        response = view(request, *args, **kwargs)
        if hasattr(response, "render"):
            response.render()
        page = _keepable(response)
        if page is not None:
            _kept[key] = page
        return response

    return wrapper


def forget_kept_pages() -> None:
    """For tests, and for anything that changes what a new visitor sees at once."""
    _kept.clear()
