"""The staff home page: my caseload, contacts due today, reminder calls to make and the
groups I facilitate. It combines referrals and sessions_booking, so it lives above both."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from core.permissions import MANAGE_TEAM_CASES, WORK_OWN_CASES
from core.url_makers import pk_url_maker
from partners.selectors import chases_due
from referrals.forms.casework import CaseFilterForm
from referrals.selectors import caseload, due_contacts, team_queue
from referrals.views.caseload import PAGE_SIZE, caseload_rows, due_rows
from sessions_booking.selectors import calls_to_make, sessions_facilitated_by


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
    if not user.has_perm(WORK_OWN_CASES):
        return render(request, "home/landing.html")
    form = CaseFilterForm(request.GET or None, can_see_team=user.has_perm(MANAGE_TEAM_CASES))
    filters = form.filters()
    page = Paginator(caseload(user=user, **filters), PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    now = timezone.now()
    case_url = pk_url_maker("referrals:case_detail")
    due = due_rows(due_contacts(user=user)[:PAGE_SIZE], now=now, case_url=case_url)
    calls = call_rows(calls_to_make(user=user)[:PAGE_SIZE], case_url=case_url)
    chases = due_rows(
        chases_due(user=user)[:PAGE_SIZE],
        now=now,
        case_url=pk_url_maker("partners:support_plan"),
        due="chase_on",
        case_id="referral_id",
    )
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
            "chases": chases,
        },
    )
