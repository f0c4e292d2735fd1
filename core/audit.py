"""The audit trail: explicit events for views and actions, plus request context (who, from
where) for pghistory's trigger-recorded field changes."""

from contextvars import ContextVar

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


# The address of the request being served (set by AuditContextMiddleware), so that services,
# which never see the request, still record where an action came from.
_client_ip: ContextVar[str | None] = ContextVar("audit_client_ip", default=None)


def record(*, actor, action: AuditAction, referral=None, team=None, **detail) -> AuditEvent:
    """One audit event. ``actor`` is the member of staff acting; ``None`` (or an anonymous
    user) when no member of staff did it: the service itself (nightly jobs, workers) or the
    woman through her own reminder link. The team is the referral's unless given; the
    client's address is the current request's, if there is one."""
    team_id = team.pk if team is not None else getattr(referral, "team_id", None)
    return AuditEvent.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        referral=referral,
        team_id=team_id,
        ip_address=_client_ip.get(),
        detail=detail,
    )


class AuditContextMiddleware(pghistory.middleware.HistoryMiddleware):
    """Every field change pghistory records during a request carries the user, the URL and
    the client's IP address; every audit event recorded during it, the client's address."""

    def __call__(self, request):
        token = _client_ip.set(client_ip(request))
        try:
            return super().__call__(request)
        finally:
            _client_ip.reset(token)

    def get_context(self, request):
        return {**super().get_context(request), "ip": client_ip(request)}
