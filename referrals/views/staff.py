from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_safe

from accounts.roles import Role
from referrals.selectors import team_queue

QUEUE_PREVIEW_LENGTH = 25


@require_safe
@login_required
def staff_home(request):
    """Where staff land after signing in: for keyworkers and team leads, the newest part of
    their team's queue (the caseload issue builds the full caseload here)."""
    user = request.user
    sees_queue = bool(user.roles & {Role.KEYWORKER, Role.TEAM_LEAD})
    queue = list(team_queue(team=user.team)[:QUEUE_PREVIEW_LENGTH]) if sees_queue else []
    return render(request, "staff/home.html", {"sees_queue": sees_queue, "queue": queue})
