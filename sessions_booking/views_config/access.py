"""Who may see the service admins' pages, and how their forms are drawn."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render

CONFIGURE_SERVICE = "referrals.configure_service"
FORM_METHODS = ["GET", "HEAD", "POST"]


def service_admins_only(view):
    """Signed-out visitors go to sign in; signed-in staff who may not configure get 404."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.has_perm(CONFIGURE_SERVICE):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


def render_form(request, form, *, title, submit, cancel_url, intro="", **context):
    return render(
        request,
        "sessions_booking/config/form.html",
        {
            "form": form,
            "title": title,
            "submit": submit,
            "cancel_url": cancel_url,
            "intro": intro,
            **context,
        },
        status=400 if form.errors else 200,
    )
