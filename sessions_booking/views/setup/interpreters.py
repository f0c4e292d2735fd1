"""Interpreters: the requests to arrange, asking for one for a session, and recording the
agency's answer (service admins)."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from core.permissions import service_admins_only
from core.refusals import Refused
from sessions_booking.forms.interpreters import InterpreterRequestForm, InterpreterUpdateForm
from sessions_booking.models import GroupSession, InterpreterRequest
from sessions_booking.rules.sessions import why_unchangeable
from sessions_booking.selectors import interpreter_requests_to_arrange, with_fill
from sessions_booking.services.interpreters import request_interpreter, update_interpreter_request
from sessions_booking.views.setup.common import FORM_METHODS, render_form


@require_safe
@service_admins_only
def interpreter_requests(request):
    return render(
        request,
        "sessions_booking/setup/interpreters.html",
        {"requests": interpreter_requests_to_arrange()},
    )


@require_http_methods(FORM_METHODS)
@service_admins_only
def interpreter_create(request, pk):
    session = get_object_or_404(
        with_fill(GroupSession.objects.select_related("programme", "venue")), pk=pk
    )
    detail_url = reverse("sessions_booking:setup_session_detail", args=[pk])
    reason = why_unchangeable(session, now=timezone.now())
    if reason is not None:
        messages.error(request, reason)
        return redirect(detail_url)
    form = InterpreterRequestForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            request_interpreter(actor=request.user, session=session, **form.cleaned_data)
        except Refused as refusal:
            form.add_error("language", str(refusal))
        else:
            messages.success(request, _("Interpreter requested."))
            return redirect(f"{detail_url}#interpreters")
    return render_form(
        request,
        form,
        title=_("Request an interpreter"),
        submit=_("Request interpreter"),
        cancel_url=detail_url,
        session=session,
    )


@require_http_methods(FORM_METHODS)
@service_admins_only
def interpreter_edit(request, pk):
    interpreter_request = get_object_or_404(
        InterpreterRequest.objects.select_related("session"), pk=pk
    )
    session = with_fill(GroupSession.objects.select_related("programme", "venue")).get(
        pk=interpreter_request.session_id
    )
    form = InterpreterUpdateForm(
        request.POST if request.method == "POST" else None,
        initial=InterpreterUpdateForm.initial_for(interpreter_request),
    )
    if request.method == "POST" and form.is_valid():
        try:
            update_interpreter_request(
                actor=request.user, interpreter_request=interpreter_request, **form.cleaned_data
            )
        except Refused as refusal:
            form.add_error("status", str(refusal))
        else:
            messages.success(request, _("Interpreter request updated."))
            return redirect(
                reverse("sessions_booking:setup_session_detail", args=[session.pk])
                + "#interpreters"
            )
    return render_form(
        request,
        form,
        title=_("%(language)s interpreter")
        % {"language": interpreter_request.get_language_display()},
        submit=_("Save"),
        cancel_url=reverse("sessions_booking:setup_interpreters"),
        intro=_("Requested → booked with the agency → confirmed; or cancelled."),
        session=session,
    )
