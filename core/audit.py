"""The audit trail: explicit events for views and actions, plus request context (who, from
where) for pghistory's trigger-recorded field changes."""

import pghistory
import pghistory.middleware
from django.conf import settings

from core.choices import AuditAction
from core.models import AuditEvent


def client_ip(request) -> str | None:
    """The client's address: REMOTE_ADDR, or the first X-Forwarded-For hop behind a proxy
    (the same header the rate limits use, RATELIMIT_IP_META_KEY)."""
    value = request.META.get(settings.RATELIMIT_IP_META_KEY) or request.META.get("REMOTE_ADDR")
    return value.split(",")[0].strip() if value else None


def record(request, action: AuditAction, *, referral=None, team=None, **detail) -> AuditEvent:
    return AuditEvent.objects.create(
        actor=request.user if request.user.is_authenticated else None,
        action=action,
        referral=referral,
        team=team if team is not None else getattr(referral, "team", None),
        ip_address=client_ip(request),
        detail=detail,
    )


class AuditContextMiddleware(pghistory.middleware.HistoryMiddleware):
    """Every field change pghistory records during a request carries the user, the URL and
    the client's IP address."""

    def get_context(self, request):
        return {**super().get_context(request), "ip": client_ip(request)}
