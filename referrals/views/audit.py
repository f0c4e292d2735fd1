"""The audit log: team leads see their team's, service admins everyone's (docs/design.md,
roles). Reading it is not itself recorded; exporting it will be."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_safe
from pghistory.models import Events

from core.models import AuditEvent
from core.permissions import VIEW_ALL_AUDIT, VIEW_TEAM_AUDIT
from referrals.models import Referral
from referrals.rules.reference import is_reference_code, normalise_reference_code

PAGE_SIZE = 50
# Values of these fields are encrypted at rest; the log says they changed, never what to.
ENCRYPTED_FIELDS = {
    field.name
    for field in Referral._meta.get_fields()
    if type(field).__module__.startswith("encrypted_fields")
} | {"text", "note"}


def audit_scope(user):
    if user.has_perm(VIEW_ALL_AUDIT):
        return AuditEvent.objects.all(), Referral.objects.all()
    if user.has_perm(VIEW_TEAM_AUDIT) and user.team_id:
        return (
            AuditEvent.objects.filter(team_id=user.team_id),
            Referral.objects.filter(team_id=user.team_id),
        )
    raise Http404


def field_changes(referral):
    """Field-level history of a case and its notes and contact attempts, from pghistory."""
    rows = []
    for event in Events.objects.references(referral).order_by("-pgh_created_at"):
        diff = event.pgh_diff or {}
        changes = [
            (name, None, None) if name in ENCRYPTED_FIELDS else (name, *values)
            for name, values in sorted(diff.items())
        ]
        rows.append(
            {
                "at": event.pgh_created_at,
                "what": f"{event.pgh_obj_model.split('.')[-1]} {event.pgh_label}",
                "context": event.pgh_context or {},
                "changes": changes,
            }
        )
    return rows


@require_safe
@login_required
def audit_log(request):
    events, cases = audit_scope(request.user)
    search = request.GET.get("case", "").strip()
    referral = None
    if search:
        referral = (
            cases.filter(reference=normalise_reference_code(search)).first()
            if (is_reference_code(search))
            else None
        )
        events = events.filter(referral=referral) if referral else events.none()
    page = Paginator(
        events.select_related("actor", "referral").order_by("-at", "-pk"), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "referrals/audit_log.html",
        {
            "page": page,
            "search": search,
            "referral": referral,
            "changes": field_changes(referral) if referral else [],
        },
    )
