from django.conf import settings
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.views.decorators.http import require_safe


@require_safe
def public_home(request):
    """The public front page: what the service offers and how to get in touch."""
    return render(request, "public/home.html")


@require_safe
def quick_exit(request):
    """ "Exit this page": forget everything this browser has here, then go to the neutral
    site. The form's steps are separate pages in her history, and "Exit this page" replaces
    only the one she is on; with her answers gone, Back to an earlier step shows an empty
    form (every page is no-store, so it is asked for again), not what she typed."""
    request.session.flush()  # her answers, and the session cookie
    response = HttpResponseRedirect(settings.QUICK_EXIT_URL)
    response.delete_cookie(settings.CSRF_COOKIE_NAME, path=settings.CSRF_COOKIE_PATH)
    # Browsers also drop their cache and storage for this site (over HTTPS).
    response["Clear-Site-Data"] = '"cache", "cookies", "storage"'
    return response
