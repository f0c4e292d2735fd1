from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_safe


@require_safe
def public_home(request):
    """The public front page: what the service offers and how to get in touch."""
    return render(request, "public/home.html")


@require_safe
@login_required
def staff_home(request):
    """Where staff land after signing in. The caseload issue fills this page in."""
    return render(request, "staff/home.html")
