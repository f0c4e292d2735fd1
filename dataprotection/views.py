"""The data protection pages: retention and the record of processing for service admins
(``referrals.manage_data_protection``); finding a case, her subject access copy (HTML and
JSON) and erasure for the data-protection role only (``referrals.handle_subject_requests``,
given per person on the people pages), because they show or remove her full details.

Anyone else signed in gets 404, as on the other admin pages, so their existence is not
revealed. Every copy is produced for a named request, with a reason; every copy and every
erasure is audited."""

from django.contrib import messages
from django.core.serializers.json import DjangoJSONEncoder
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from core import audit
from core.choices import AuditAction
from core.permissions import HANDLE_SUBJECT_REQUESTS, MANAGE_DATA_PROTECTION, permission_or_404
from core.refusals import Refused
from dataprotection import selectors, services
from dataprotection.forms import EraseForm, FindCaseForm, SubjectAccessRequestForm
from referrals.choices import AnonymisedBecause
from referrals.models import Referral

# Service admins' pages: retention and the record of processing.
data_protection_only = permission_or_404(MANAGE_DATA_PROTECTION)
# Her full details: the data-protection role only.
subject_requests_only = permission_or_404(HANDLE_SUBJECT_REQUESTS)


def _case(pk) -> Referral:
    return get_object_or_404(Referral.objects.select_related("team", "assigned_to"), pk=pk)


@require_safe
@permission_or_404(MANAGE_DATA_PROTECTION, HANDLE_SUBJECT_REQUESTS)
def index(request):
    handles_requests = request.user.has_perm(HANDLE_SUBJECT_REQUESTS)
    searching = handles_requests and "reference" in request.GET
    form = FindCaseForm(request.GET if searching else None)
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
            "handles_requests": handles_requests,
            "manages_retention": request.user.has_perm(MANAGE_DATA_PROTECTION),
        },
    )


@require_POST
@data_protection_only
def run_retention(request):
    counts = services.run_retention(actor=request.user)
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
    return redirect("dataprotection:index")


@require_safe
@data_protection_only
def processing(request):
    return render(
        request, "dataprotection/processing.html", {"models": selectors.record_of_processing()}
    )


@require_http_methods(["GET", "HEAD", "POST"])
@subject_requests_only
def subject_access(request, pk):
    """The request's reference and reason first; then the copy, marked as a subject access
    copy for that request, in the format asked for."""
    referral = _case(pk)
    form = SubjectAccessRequestForm(
        request.POST if request.method == "POST" else None, referral=referral
    )
    if request.method != "POST" or not form.is_valid():
        return render(
            request, "dataprotection/subject_access_request.html",
            {"form": form, "referral": referral}, status=400 if form.errors else 200,
        )  # fmt: skip
    chosen = form.cleaned_data
    record = selectors.subject_access_record(referral=referral)
    record["subject_access_copy"] = {
        "request_reference": chosen["request_reference"],
        "produced_by": request.user.full_name or request.user.email,
        "produced_at": record["generated_at"],
    }
    audit.record(
        actor=request.user,
        action=AuditAction.SUBJECT_ACCESS,
        referral=referral,
        format=chosen["format"],
        request_reference=chosen["request_reference"],
        reason=chosen["reason"],
    )
    if chosen["format"] == "json":
        response = JsonResponse(
            record, encoder=DjangoJSONEncoder,
            json_dumps_params={"indent": 2, "ensure_ascii": False},
        )  # fmt: skip
        response["Content-Disposition"] = (
            f'attachment; filename="subject-access-{referral.reference}.json"'
        )
        return response
    return render(
        request, "dataprotection/subject_access.html", {"record": record, "referral": referral}
    )


@require_http_methods(["GET", "HEAD", "POST"])
@subject_requests_only
def erase(request, pk):
    referral = _case(pk)
    form = EraseForm(request.POST if request.method == "POST" else None, referral=referral)
    if request.method == "POST" and form.is_valid():
        try:
            services.erase_case(
                actor=request.user, referral_id=referral.pk, reason=form.cleaned_data["reason"]
            )
        except Refused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(
                request,
                _("Her personal data is erased. The audit log records that, and why."),
            )
            return redirect(f"{reverse('dataprotection:index')}?reference={referral.reference}")
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
