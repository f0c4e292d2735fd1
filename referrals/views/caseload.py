"""Staff lists: my caseload (the staff home page) and the team queue."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from referrals.access import MANAGE_TEAM, WORK_OWN
from referrals.forms.casework import CaseFilterForm
from referrals.selectors import caseload, due_contacts, team_queue
from sessions_booking.selectors import calls_to_make, sessions_facilitated_by

PAGE_SIZE = 25


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
    return render(
        request,
        "referrals/caseload.html",
        {
            "form": form,
            "filters": filters,
            "page": page,
            "query": query.urlencode(),
            "due": list(due_contacts(user=user)[:PAGE_SIZE]),
            "queue_count": team_queue(team=user.team).count(),
            "today": timezone.localdate(),
            "facilitating": list(sessions_facilitated_by(user)),
            "calls": list(calls_to_make(user=user)[:PAGE_SIZE]),
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
