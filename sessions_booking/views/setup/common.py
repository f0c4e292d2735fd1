"""How the service admins' setup forms are drawn (who may see them: core.permissions)."""

from django.shortcuts import render

FORM_METHODS = ["GET", "HEAD", "POST"]


def render_form(request, form, *, title, submit, cancel_url, intro="", **context):
    return render(
        request,
        "sessions_booking/setup/form.html",
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
