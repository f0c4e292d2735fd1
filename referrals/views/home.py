from django.shortcuts import render
from django.views.decorators.http import require_safe


@require_safe
def public_home(request):
    """The public front page: what the service offers and how to get in touch."""
    return render(request, "public/home.html")
