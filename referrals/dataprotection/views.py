"""The service admins' data protection pages: find a case, retention, the record of
processing, her subject access export (HTML and JSON) and erasure.

Only holders of ``referrals.manage_data_protection`` (service admins) see these pages;
anyone else signed in gets 404, as on the other admin pages, so their existence is not
revealed. Every export and every erasure is audited."""

from django.contrib import messages
from django.core.serializers.json import DjangoJSONEncoder
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.access import permission_or_404
from referrals import audit
from referrals.choices import AnonymisedBecause, AuditAction
from referrals.dataprotection import selectors, services
from referrals.dataprotection.forms import EraseForm, FindCaseForm
from referrals.models import Referral

MANAGE_DATA_PROTECTION = "referrals.manage_data_protection"


# Service admins' data-protection pages.
data_protection_only = permission_or_404(MANAGE_DATA_PROTECTION)


def _case(pk) -> Referral:
    return get_object_or_404(Referral.objects.select_related("team", "assigned_to"), pk=pk)


@require_safe
@data_protection_only
def index(request):
    form = FindCaseForm(request.GET if "reference" in request.GET else None)
    found = selectors.find_case(form.cleaned_data["reference"]) if form.is_valid() else None
    due = selectors.cases_due_for_retention()
    cutoffs = selectors.retention_cutoffs()
    return render(
        request,
        "dataprotection/index.html",
        {
            "form": form,
            "searched": form.is_bound,
            "found": found,
            "due": [
                (AnonymisedBecause(because).label, cases.count()) for because, cases in due.items()
            ],
            "cutoffs": cutoffs,
            "runs": selectors.retention_runs(),
        },
    )


@require_POST
@data_protection_only
def run_retention(request):
    counts = services.run_retention(request=request)
    closed = counts[AnonymisedBecause.CLOSED_CASE]
    never = counts[AnonymisedBecause.NEVER_CONTACTED]
    messages.success(
        request,
        _("Retention run: anonymised %(closed)s and %(never)s.")
        % {
            "closed": ngettext("%(count)d closed case", "%(count)d closed cases", closed)
            % {"count": closed},
            "never": ngettext(
                "%(count)d never-contacted self-referral",
                "%(count)d never-contacted self-referrals",
                never,
            )
            % {"count": never},
        },
    )
    return redirect("dp_index")


@require_safe
@data_protection_only
def processing(request):
    return render(
        request, "dataprotection/processing.html", {"models": selectors.record_of_processing()}
    )


@require_safe
@data_protection_only
def subject_access(request, pk):
    referral = _case(pk)
    record = selectors.subject_access_record(referral=referral)
    audit.record(request, AuditAction.SUBJECT_ACCESS, referral=referral, format="html")
    return render(
        request, "dataprotection/subject_access.html", {"record": record, "referral": referral}
    )


@require_safe
@data_protection_only
def subject_access_json(request, pk):
    referral = _case(pk)
    record = selectors.subject_access_record(referral=referral)
    audit.record(request, AuditAction.SUBJECT_ACCESS, referral=referral, format="json")
    response = JsonResponse(
        record, encoder=DjangoJSONEncoder, json_dumps_params={"indent": 2, "ensure_ascii": False}
    )
    response["Content-Disposition"] = (
        f'attachment; filename="subject-access-{referral.reference}.json"'
    )
    return response


@require_http_methods(["GET", "HEAD", "POST"])
@data_protection_only
def erase(request, pk):
    referral = _case(pk)
    form = EraseForm(request.POST if request.method == "POST" else None, referral=referral)
    if request.method == "POST" and form.is_valid():
        try:
            services.erase_case(
                request=request, referral_id=referral.pk, reason=form.cleaned_data["reason"]
            )
        except services.ErasureRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(
                request,
                _("Her personal data is erased. The audit log records that, and why."),
            )
            return redirect(f"{reverse('dp_index')}?reference={referral.reference}")
    return render(
        request,
        "dataprotection/erase.html",
        {
            "form": form,
            "referral": referral,
            "future_bookings": selectors.future_bookings(referral).count(),
        },
        status=400 if form.errors else 200,
    )
