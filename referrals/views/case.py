"""The case page, laid out for a phone call, and the actions taken from it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from core import audit, case_flags
from core.choices import AuditAction, Channel
from core.messaging.safe_contact import SafeContactRules
from core.refusals import Refused
from referrals.choices import GroupInterest, Substance, Weekday
from referrals.forms.casework import (
    AssignForm,
    CaseNoteForm,
    ContactAttemptForm,
    NextContactForm,
    StatusForm,
)
from referrals.rules import access
from referrals.rules.workflow import transitions_from
from referrals.selectors import case_timeline
from referrals.services import casework


@require_safe
@login_required
def case_detail(request, pk):
    referral = access.get_visible_case(request.user, pk)
    # Every view of a case's sensitive details is audited (docs/design.md, safety rule 4).
    audit.record(actor=request.user, action=AuditAction.VIEWED_CASE, referral=referral)
    return render_case(request, referral)


def render_case(request, referral, **bound_forms):
    user = request.user
    can_work = access.can_work_on(user, referral)
    is_lead = access.is_team_lead_for(user, referral)
    can_read_restricted = access.can_read_restricted_notes(user, referral)
    rules = SafeContactRules.for_referral(referral)
    now = timezone.now()
    channels = [
        {"label": Channel(value).label, "safe_now": rules.may_send_now(value, now=now)}
        for value in referral.safe_channels
    ]
    forms = {
        "status_form": StatusForm(),
        "contact_form": ContactAttemptForm(referral=referral),
        "note_form": CaseNoteForm(),
        "next_contact_form": NextContactForm(initial={"on": referral.next_contact_on}),
        "assign_form": AssignForm(caseworkers=casework.team_caseworkers(referral.team))
        if is_lead
        else None,
        **bound_forms,
    }
    invalid_form = next((f for f in bound_forms.values() if f is not None and f.errors), None)
    return render(
        request,
        "referrals/case.html",
        {
            "referral": referral,
            "can_work": can_work,
            "can_pick_up": access.can_pick_up(user, referral),
            # Her support plan (partners app) is for her keyworker and her team's leads.
            "can_see_support": can_read_restricted,
            "flags": case_flags.flags_for(referral, user=user),
            "is_lead": is_lead,
            "channels": channels,
            "transitions": transitions_from(referral.status, user=user) if can_work else [],
            "timeline": case_timeline(referral=referral, can_read_restricted=can_read_restricted),
            "suggest_unable_to_contact": can_work
            and casework.suggests_unable_to_contact(referral, now=now),
            "invalid_form": invalid_form,
            "safe_day_labels": [Weekday(day).label for day in sorted(referral.safe_days)],
            "substance_labels": [Substance(value).label for value in referral.substances],
            "group_labels": [GroupInterest(value).label for value in referral.group_interests],
            **forms,
        },
        status=400 if invalid_form else 200,
    )


def run_case_action(request, pk, *, form, form_name, action, done):
    """Validate, act, redirect back to the case; on a problem, show the case again with the
    form as she filled it in and the reason at the top."""
    referral = access.get_visible_case(request.user, pk)
    if form.is_valid():
        try:
            action(**form.cleaned_data)
        except Refused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, done)
            return redirect(reverse("referrals:case_detail", args=[pk]))
    return render_case(request, referral, **{form_name: form})


@require_POST
@login_required
def pick_up(request, pk):
    access.get_visible_case(request.user, pk)
    try:
        casework.pick_up(actor=request.user, pk=pk)
    except Refused as refusal:
        messages.error(request, str(refusal))
        return redirect("referrals:team_queue")
    messages.success(request, _("You have picked up this referral."))
    return redirect("referrals:case_detail", pk=pk)


@require_POST
@login_required
def assign(request, pk):
    referral = access.get_visible_case(request.user, pk)
    form = AssignForm(request.POST, caseworkers=casework.team_caseworkers(referral.team))
    return run_case_action(
        request,
        pk,
        form=form,
        form_name="assign_form",
        action=lambda keyworker: casework.assign(actor=request.user, pk=pk, keyworker_id=keyworker),
        done=_("Case assigned."),
    )


@require_POST
@login_required
def change_status(request, pk):
    return run_case_action(
        request,
        pk,
        form=StatusForm(request.POST),
        form_name="status_form",
        action=lambda target, closed_reason: casework.change_status(
            actor=request.user, pk=pk, target=target, closed_reason=closed_reason
        ),
        done=_("Status changed."),
    )


@require_POST
@login_required
def record_contact_attempt(request, pk):
    referral = access.get_visible_case(request.user, pk)
    return run_case_action(
        request,
        pk,
        form=ContactAttemptForm(request.POST, referral=referral),
        form_name="contact_form",
        action=lambda **answers: casework.record_contact_attempt(
            actor=request.user, pk=pk, **answers
        ),
        done=_("Contact attempt recorded."),
    )


@require_POST
@login_required
def add_note(request, pk):
    return run_case_action(
        request,
        pk,
        form=CaseNoteForm(request.POST),
        form_name="note_form",
        action=lambda **answers: casework.add_note(actor=request.user, pk=pk, **answers),
        done=_("Note added."),
    )


@require_POST
@login_required
def set_next_contact(request, pk):
    return run_case_action(
        request,
        pk,
        form=NextContactForm(request.POST),
        form_name="next_contact_form",
        action=lambda on: casework.set_next_contact(actor=request.user, pk=pk, on=on),
        done=_("Next contact date saved."),
    )
