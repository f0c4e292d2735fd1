"""Who may see the service admins' pages, and how their forms are drawn."""

from django.shortcuts import render

from accounts.access import permission_or_404

CONFIGURE_SERVICE = "referrals.configure_service"
FORM_METHODS = ["GET", "HEAD", "POST"]


# The groups setup pages: service admins who configure the service.
service_admins_only = permission_or_404(CONFIGURE_SERVICE)


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
