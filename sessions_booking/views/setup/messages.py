"""Reminder wording: every language and kind, with a preview before saving."""

from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from core.permissions import service_admins_only
from referrals.choices import Language
from sessions_booking.forms import MessageTemplateForm
from sessions_booking.models import MessageTemplate
from sessions_booking.rules import wording
from sessions_booking.selectors import upcoming_sessions
from sessions_booking.views.setup.common import FORM_METHODS

KINDS = {"discreet": False, "named": True}
SAMPLE_LINK = "/r/Ab3dEf7hJk9m/"


def languages():
    return [(code, label) for code, label in Language.choices if code != Language.OTHER]


def current_wordings():
    """One row per language and kind: the saved wording, or the built-in one, with how
    many SMS parts it takes as she would get it."""
    saved = {(t.language, t.names_service): t for t in MessageTemplate.objects.all()}
    session = next_session()
    rows = []
    for code, label in languages():
        for kind, names_service in KINDS.items():
            template = saved.get((code, names_service))
            subject, text = (
                (template.subject, template.text)
                if template
                else wording.DEFAULTS.get((code, names_service), ("", ""))
            )
            rows.append(
                {
                    "language": code,
                    "label": label,
                    "kind": kind,
                    "saved": template,
                    "subject": subject,
                    "text": text,
                    "sent": preview(
                        language=code, names_service=names_service, subject=subject,
                        text=text, session=session,
                    ) if text else None,
                }
            )  # fmt: skip
    return rows


def next_session():
    return upcoming_sessions().select_related("venue", "programme").first()


def preview(*, language, names_service, subject, text, session=False):
    """The message as she would get it, for the next session (or a made-up one)."""
    session = next_session() if session is False else session
    values = {
        "when": "Tue 3 Dec 10:00",
        "where": "12 High Street, Walsall",
        "programme": "Tuesday group",
        "service": settings.SERVICE_NAME,
    }
    if session:
        values = wording.values_for(session, link="", language=language)
    values["link"] = settings.SITE_URL + SAMPLE_LINK
    chosen = wording.Wording(language, names_service, subject, text)
    subject, body = wording.render(chosen, values)
    return {
        "subject": subject,
        "text": body,
        "fragments": wording.sms_fragments(body),
        "characters": len(body),
    }


@require_safe
@service_admins_only
def message_templates(request):
    return render(request, "sessions_booking/setup/messages.html", {"wordings": current_wordings()})


@require_http_methods(FORM_METHODS)
@service_admins_only
def message_template_edit(request, language, kind):
    if language not in dict(languages()) or kind not in KINDS:
        raise Http404
    names_service = KINDS[kind]
    saved = MessageTemplate.objects.filter(language=language, names_service=names_service).first()
    default = wording.DEFAULTS.get((language, names_service))
    initial = {"subject": default[0], "text": default[1]} if default and not saved else None
    form = MessageTemplateForm(
        request.POST if request.method == "POST" else None,
        instance=saved,
        initial=initial,
        language=language,
        names_service=names_service,
    )
    action = request.POST.get("action")
    if action == "reset" and saved:
        saved.delete()
        messages.success(request, _("The built-in wording is back in use."))
        return redirect("sessions_booking:setup_messages")
    shown = None
    if request.method == "POST" and form.is_valid():
        if action == "save":
            form.save(user=request.user)
            messages.success(request, _("The wording is saved and used from now on."))
            return redirect("sessions_booking:setup_messages")
        shown = preview(
            language=language,
            names_service=names_service,
            subject=form.cleaned_data["subject"],
            text=form.cleaned_data["text"],
        )
    elif request.method == "GET" and (saved or default):
        subject, text = (saved.subject, saved.text) if saved else default
        shown = preview(language=language, names_service=names_service, subject=subject, text=text)
    return render(
        request,
        "sessions_booking/setup/message_edit.html",
        {
            "form": form,
            "language": dict(languages())[language],
            "kind": kind,
            "saved": saved,
            "default": default,
            "preview": shown,
        },
        status=400 if form.errors else 200,
    )
