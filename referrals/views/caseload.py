"""Staff lists: the rows of my caseload (drawn on the staff home page, home/) and the team queue.

What each row shows (its link, labels, how long she has waited, its flags) is worked out
here, in Python, rather than by template tags and includes for every row: drawing the
rows was most of the caseload page's server time."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.utils import formats, timezone
from django.utils.timesince import timesince
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_safe

from core.permissions import WORK_OWN_CASES
from referrals.choices import Language, Priority, Status
from referrals.selectors import team_queue

PAGE_SIZE = 25
# Flags (_case_markers before): unanswered contact attempts in the last 14 days, and
# group sessions missed in a row, from these on.
UNANSWERED_FLAG_FROM = 3
MISSED_FLAG_FROM = 2


def case_flags(case) -> list[tuple[str, str]]:
    """(badge class, words) for a list row: safeguarding, restricted notes, unanswered
    contact attempts, missed sessions. (Language and interpreter have a column of their
    own.)"""
    flags = []
    if case.priority == Priority.SAFEGUARDING:
        flags.append(("priority-safeguarding", _("Safeguarding")))
    if case.has_restricted_notes:
        flags.append(("text-bg-dark", _("Restricted notes")))
    if case.recent_unanswered >= UNANSWERED_FLAG_FROM:
        n = case.recent_unanswered
        flags.append(
            ("text-bg-warning", ngettext("%(n)s unanswered", "%(n)s unanswered", n) % {"n": n})
        )
    if case.missed_sessions_in_a_row >= MISSED_FLAG_FROM:
        n = case.missed_sessions_in_a_row
        flags.append(("text-bg-danger", _("Missed %(n)s sessions") % {"n": n}))
    return flags


def caseload_rows(cases, *, now, case_url) -> list:
    """The page's cases, each given what its row shows."""
    # Translated once for the page, not once a row.
    priorities = {value: str(label) for value, label in Priority.choices}
    statuses = {value: str(label) for value, label in Status.choices}
    languages = {value: str(label) for value, label in Language.choices}
    today = timezone.localdate(now)
    rows = list(cases)
    for case in rows:
        case.url = case_url(case.pk)
        case.priority_label = priorities.get(case.priority, case.priority)
        case.status_label = statuses.get(case.status, case.status)
        case.language_label = languages.get(case.preferred_language, case.preferred_language)
        case.received_iso = timezone.localtime(case.created_at).isoformat()  # |date:"c"
        case.waiting = timesince(case.created_at, now)
        case.overdue = case.next_contact_on is not None and case.next_contact_on < today
        case.flags = case_flags(case)
    return rows


def due_rows(items, *, now, case_url, due="next_contact_on", case_id="pk") -> list:
    """Things due today (her next contact; a partner referral to chase): each one's link
    to her case, and since when it is overdue (if it is)."""
    overdue_since = _("Overdue since %(d)s")  # translated once for the page
    today = timezone.localdate(now)
    rows = list(items)
    for item in rows:
        item.url = case_url(getattr(item, case_id))
        day = getattr(item, due)
        item.overdue_since = (
            overdue_since % {"d": formats.date_format(day, "j M")} if day < today else ""
        )
    return rows


@require_safe
@login_required
def queue(request):
    """The team's unassigned new referrals, most urgent then oldest first."""
    if not request.user.has_perm(WORK_OWN_CASES):
        raise Http404
    page = Paginator(team_queue(team=request.user.team).select_related("team"), PAGE_SIZE)
    return render(request, "referrals/queue.html", {"page": page.get_page(request.GET.get("page"))})
