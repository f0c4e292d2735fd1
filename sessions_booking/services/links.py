"""The confirm/cancel link in each reminder (docs/design.md, safety rule 3).

The token is 12 URL-safe characters from ``secrets`` (72 random bits): short enough for an
SMS, far too many to guess, and the link page is rate limited. Only its SHA-256 is stored,
so a copy of the database cannot be used to cancel anyone's place. A link ends when the
session starts or after settings.REMINDER_LINK_DAYS, whichever is sooner, and is spent
once she cancels."""

import hashlib
import secrets
from datetime import timedelta
from enum import Enum

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from sessions_booking.models import BookingLink, BookingStatus

TOKEN_BYTES = 9  # 12 characters of base64url


class LinkState(Enum):
    UNKNOWN = "unknown"  # never issued, mistyped or tampered with
    EXPIRED = "expired"
    CANCELLED = "cancelled"  # she (or staff) already cancelled this booking
    OPEN = "open"


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_link(booking, *, now=None) -> str:
    """A new link for ``booking``; returns its full URL."""
    now = now or timezone.now()
    token = secrets.token_urlsafe(TOKEN_BYTES)
    BookingLink.objects.create(
        booking=booking,
        token_hash=_hash(token),
        expires_at=min(
            booking.session.starts_at, now + timedelta(days=settings.REMINDER_LINK_DAYS)
        ),
    )
    return settings.SITE_URL + reverse("sessions_booking:booking_link", args=[token])


def find_link(token: str, *, for_update: bool = False) -> BookingLink | None:
    if not token or len(token) > 32:
        return None
    links = BookingLink.objects.select_related("booking__session__venue", "booking__referral")
    if for_update:
        links = links.select_for_update(of=("self",))
    return links.filter(token_hash=_hash(token)).first()


def state_of(link: BookingLink | None, *, now=None) -> LinkState:
    now = now or timezone.now()
    if link is None:
        return LinkState.UNKNOWN
    if link.used_at is not None or link.booking.status == BookingStatus.CANCELLED:
        return LinkState.CANCELLED
    if link.expires_at <= now or link.booking.session.starts_at <= now:
        return LinkState.EXPIRED
    if link.booking.status not in (BookingStatus.CONFIRMED, BookingStatus.WAITLISTED):
        return LinkState.EXPIRED  # attendance already marked
    return LinkState.OPEN


def confirm_coming(link: BookingLink, *, now=None) -> None:
    link.booking.confirmed_by_her_at = now or timezone.now()
    link.booking.save(update_fields=["confirmed_by_her_at", "updated_at"])


def spend(link: BookingLink, *, now=None) -> None:
    """Mark every link of this booking as used (she has cancelled)."""
    with transaction.atomic():
        BookingLink.objects.filter(booking_id=link.booking_id, used_at__isnull=True).update(
            used_at=now or timezone.now()
        )
