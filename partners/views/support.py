"""Her support plan: needs, onward referrals to partner services with her consent, chasing
and risk assessments. Her keyworker and her team's leads only; anyone else gets 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from core import audit
from core.choices import AuditAction
from core.refusals import Refused
from partners.choices import NeedSource, SupportKind
from partners.forms.support import NeedForm, OnwardReferralForm, RiskAssessmentForm, StepForm
from partners.rules import access
from partners.selectors import support_plan
from partners.services import support


def _page(request, referral, *, status=200, **bound):
    plan = support_plan(referral=referral)
    open_needs = [row.need for row in plan.needs]
    for row in plan.needs:
        for onward in row.onward:
            bound_step = bound.get("step_form")
            onward.step_form = (
                bound_step
                if bound_step is not None and bound.get("step_for") == onward.pk
                else StepForm(current=onward.status, prefix=f"step-{onward.pk}")
            )
    forms = {
        "need_form": NeedForm(),
        "refer_form": OnwardReferralForm(
            needs=open_needs, services=plan.services, covering=plan.covering
        ),
        "risk_form": RiskAssessmentForm(),
        **{
            name: form
            for name, form in bound.items()
            if name.endswith("_form") and name != "step_form"
        },
    }
    return render(
        request,
        "partners/support_plan.html",
        {
            "referral": referral,
            "plan": plan,
            "can_change": access.can_change_support(request.user, referral),
            "from_referral": [
                (kind, SupportKind(kind).label) for kind in plan.from_referral_not_recorded
            ],
            "error": bound.get("error", ""),
            **forms,
        },
        status=status,
    )


@require_safe
@login_required
def support_plan_page(request, pk):
    referral = access.get_support_case(request.user, pk)
    audit.record(
        actor=request.user, action=AuditAction.VIEWED_CASE, referral=referral, page="support"
    )
    return _page(request, referral)


def _act(request, pk, *, form, form_name, action, done, **extra):
    """Validate, act, and go back to the plan; on a problem show the plan again with the
    form as it was filled in and the reason at the top."""
    referral = access.get_support_case(request.user, pk)
    if form.is_valid():
        try:
            action(form.cleaned_data)
        except Refused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, done)
            return redirect("partners:support_plan", pk=pk)
    return _page(request, referral, status=400, **{form_name: form}, **extra)


@require_POST
@login_required
def record_need(request, pk):
    return _act(
        request, pk, form=NeedForm(request.POST), form_name="need_form",
        action=lambda data: support.record_need(actor=request.user, referral_id=pk, **data),
        done=_("Need added to her support plan."),
    )  # fmt: skip


@require_POST
@login_required
def add_need_from_referral(request, pk):
    """One tap: a need she gave on her referral form goes on her plan."""
    form = NeedForm({"kind": request.POST.get("kind", ""), "source": NeedSource.REFERRAL})
    return _act(
        request, pk, form=form, form_name="need_form",
        action=lambda data: support.record_need(actor=request.user, referral_id=pk, **data),
        done=_("Need added to her support plan."),
    )  # fmt: skip


def _act_on(request, pk, *, rows, row_id, action, done):
    """An action on one need or partner referral of her case (404 if it is not hers)."""
    referral = access.get_support_case(request.user, pk)
    get_object_or_404(getattr(referral, rows), pk=row_id)
    try:
        action()
    except Refused as refusal:
        return _page(request, referral, status=400, error=str(refusal))
    messages.success(request, done)
    return redirect("partners:support_plan", pk=pk)


@require_POST
@login_required
def close_need(request, pk, need_id):
    return _act_on(
        request, pk, rows="support_needs", row_id=need_id,
        action=lambda: support.close_need(actor=request.user, referral_id=pk, need_id=need_id),
        done=_("Need marked as no longer needed."),
    )  # fmt: skip


@require_POST
@login_required
def refer(request, pk):
    referral = access.get_support_case(request.user, pk)
    plan = support_plan(referral=referral)
    form = OnwardReferralForm(
        request.POST, needs=[row.need for row in plan.needs], services=plan.services,
        covering=plan.covering,
    )  # fmt: skip
    # A need or service that is not offered is still passed to the service, which says why
    # it is refused (a need she has not got, a partner outside her area).
    form.fields["need"].choices += [(request.POST.get("need"), "")]
    form.fields["service"].choices += [(request.POST.get("service"), "")]
    return _act(
        request, pk, form=form, form_name="refer_form",
        action=lambda data: support.refer_onward(
            actor=request.user, referral_id=pk, need_id=data["need"],
            service_id=data["service"], shared_details=data["shared_details"],
            consent_given=data["consent_given"], sent_on=data["sent_on"],
        ),
        done=_("Referral to the partner recorded."),
    )  # fmt: skip


@require_POST
@login_required
def record_step(request, pk, onward_id):
    referral = access.get_support_case(request.user, pk)
    onward = get_object_or_404(referral.onward_referrals, pk=onward_id)
    form = StepForm(request.POST, current=onward.status, prefix=f"step-{onward_id}")
    return _act(
        request, pk, form=form, form_name="step_form", step_for=onward_id,
        action=lambda data: support.record_step(
            actor=request.user, referral_id=pk, onward_id=onward_id, **data
        ),
        done=_("Partner referral updated."),
    )  # fmt: skip


@require_POST
@login_required
def chase(request, pk, onward_id):
    return _act_on(
        request, pk, rows="onward_referrals", row_id=onward_id,
        action=lambda: support.chase(actor=request.user, referral_id=pk, onward_id=onward_id),
        done=_("Chase recorded. It will come back if there is still no answer."),
    )  # fmt: skip


@require_POST
@login_required
def record_risk(request, pk):
    return _act(
        request, pk, form=RiskAssessmentForm(request.POST), form_name="risk_form",
        action=lambda data: support.record_risk_assessment(
            actor=request.user, referral_id=pk, **data
        ),
        done=_("Risk assessment recorded."),
    )  # fmt: skip
