"""The address a request came from, for rate limits (django-ratelimit's
``RATELIMIT_IP_META_KEY`` names this function).

``CLIENT_ADDRESS_META_KEY`` (env ``RATELIMIT_IP_META_KEY``) says where to read it:
``REMOTE_ADDR``, or ``HTTP_X_FORWARDED_FOR`` behind a load balancer that appends the address
it saw. Of a forwarded-for list only the last entry is taken, the one our own proxy wrote
(the ones before it are whatever the client sent). A header that is missing or holds no
address never fails the request (it once cost a woman her referral): ``REMOTE_ADDR`` is used
instead, and the problem is logged for the operators.
"""

import ipaddress
import logging

from django.conf import settings

logger = logging.getLogger(__name__)

UNKNOWN = "0.0.0.0"  # noqa: S104 - a rate-limit bucket, never bound to  # nosec B104


def _address(value: str) -> str | None:
    value = value.strip()
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return None


def client_address(request) -> str:
    meta_key = settings.CLIENT_ADDRESS_META_KEY
    if meta_key != "REMOTE_ADDR":
        entries = [e for e in request.META.get(meta_key, "").split(",") if e.strip()]
        address = _address(entries[-1]) if entries else None
        if address:
            return address
        logger.warning("client address: no address in %s; using REMOTE_ADDR", meta_key)
    return _address(request.META.get("REMOTE_ADDR", "")) or UNKNOWN
