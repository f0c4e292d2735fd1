"""Staff lists: my caseload (the staff home page) and the team queue.

What each row shows (its link, labels, how long she has waited, its flags) is worked out
here, in Python, rather than by template tags and includes for every row: drawing the
rows was most of the caseload page's server time (issue 9)."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.utils import formats, timezone
from django.utils.timesince import timesince
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_safe

from referrals.access import MANAGE_TEAM, WORK_OWN
from referrals.choices import Language, Priority, Status
from referrals.forms.casework import CaseFilterForm
from referrals.links import pk_url_maker
from referrals.selectors import caseload, due_contacts, team_queue
from sessions_booking.selectors import calls_to_make, sessions_facilitated_by

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


def due_rows(cases, *, now, case_url) -> list:
    """Contacts due today: each case's link, and since when it is overdue (if it is)."""
    overdue_since = _("Overdue since %(d)s")  # translated once for the page
    today = timezone.localdate(now)
    rows = list(cases)
    for case in rows:
        case.url = case_url(case.pk)
        case.overdue_since = (
            overdue_since % {"d": formats.date_format(case.next_contact_on, "j M")}
            if case.next_contact_on < today
            else ""
        )
    return rows


def call_rows(reminders, *, case_url) -> list:
    """Reminder calls to make: her link, the group and when, and when to call by."""
    by_when = _("by %(when)s")  # translated once for the page
    rows = list(reminders)
    for reminder in rows:
        session = reminder.booking.session
        reminder.case_url = case_url(reminder.booking.referral_id)
        reminder.group = "{} {}".format(
            session.programme.name,
            formats.date_format(timezone.localtime(session.starts_at), "D j M H:i"),
        )
        reminder.call_by = by_when % {
            "when": formats.date_format(timezone.localtime(reminder.due_at), "D j M H:i")
        }
    return rows


@require_safe
@login_required
def staff_home(request):
    """My caseload, with filters, search, sort and pages; what is due today; and for
    staff without a caseload role, a short landing page."""
    user = request.user
    if not user.has_perm(WORK_OWN):
        return render(request, "staff/home.html")
    form = CaseFilterForm(request.GET or None, can_see_team=user.has_perm(MANAGE_TEAM))
    filters = form.filters()
    page = Paginator(caseload(user=user, **filters), PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    now = timezone.now()
    case_url = pk_url_maker("case_detail")
    due = due_rows(due_contacts(user=user)[:PAGE_SIZE], now=now, case_url=case_url)
    calls = call_rows(calls_to_make(user=user)[:PAGE_SIZE], case_url=case_url)
    return render(
        request,
        "referrals/caseload.html",
        {
            "form": form,
            "filters": filters,
            "page": page,
            "rows": caseload_rows(page.object_list, now=now, case_url=case_url),
            "query": query.urlencode(),
            "due": due,
            "queue_count": team_queue(team=user.team).count(),
            "today": timezone.localdate(now),
            "facilitating": list(sessions_facilitated_by(user)),
            "calls": calls,
        },
    )


@require_safe
@login_required
def queue(request):
    """The team's unassigned new referrals, most urgent then oldest first."""
    if not request.user.has_perm(WORK_OWN):
        raise Http404
    page = Paginator(team_queue(team=request.user.team).select_related("team"), PAGE_SIZE)
    return render(request, "referrals/queue.html", {"page": page.get_page(request.GET.get("page"))})
