"""Every stage of her group bookings for her case's timeline (core.case_timeline): booked
(confirmed or waitlisted), promoted from the waiting list, confirmed by her, cancelled (by
staff, or by her through her reminder link), attendance marked. Read from the booking's
field history (pghistory's BookingEvent), so no stage is ever overwritten by the next.
Who acted comes from the history's context: the member of staff whose request made the
change, her (her link's answer marks the context with her booking), or the service (a
promotion happens to her because someone else left)."""

from dataclasses import dataclass

from django.apps import apps
from django.conf import settings
from django.db.models import BigIntegerField, OuterRef, Subquery
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast
from django.utils.translation import gettext as _

from accounts.models import User
from core.case_timeline import Actor, TimelineEntry
from sessions_booking.history import HER_BOOKING
from sessions_booking.models import BookingStatus

_BY_STAFF = Subquery(
    User.objects.filter(
        pk=Cast(KeyTextTransform("user", OuterRef("pgh_context__metadata")), BigIntegerField())
    ).values("full_name")[:1]
)


@dataclass(frozen=True)
class Stage:
    session: object
    text: str


def _stage(previous, event) -> tuple[str, str] | None:
    """(what happened, who: "staff", "her" or "service"), or None for a change the
    timeline does not show (crèche ages, interpreter)."""
    if previous is None:
        if event.status == BookingStatus.WAITLISTED:
            return _("Booked: on the waiting list"), "staff"
        return _("Booked: place confirmed"), "staff"
    if event.confirmed_by_her_at and not previous.confirmed_by_her_at:
        return _("She confirmed she is coming"), "her"
    if event.status == previous.status:
        return None
    if previous.status == BookingStatus.WAITLISTED and event.status == BookingStatus.CONFIRMED:
        return _("Promoted from the waiting list: a place came free"), "service"
    if event.status == BookingStatus.CANCELLED:
        return _("Cancelled"), "staff"
    return _("Marked: %(status)s") % {"status": BookingStatus(event.status).label}, "staff"


def booking_stages(referral) -> list[TimelineEntry]:
    """One query: her bookings' history with each session and who made each change."""
    events = (
        apps.get_model("sessions_booking", "BookingEvent")
        .objects.filter(referral_id=referral.pk)
        .select_related("session__programme", "pgh_context", "booked_by")
        .annotate(by_staff=_BY_STAFF)
        .order_by("pgh_id")
    )
    her = Actor(_("She, through her reminder link"))
    service = Actor(settings.SERVICE_NAME)
    entries, previous = [], {}
    for event in events:
        previous_of = previous.get(event.pgh_obj_id)
        previous[event.pgh_obj_id] = event
        found = _stage(previous_of, event)
        if found is None:
            continue
        text, who = found
        metadata = event.pgh_context.metadata if event.pgh_context else {}
        if metadata.get(HER_BOOKING) == event.pgh_obj_id and who == "staff":
            who, text = "her", _("She cancelled through her reminder link")
        # Staff: whoever's request made the change; for a booking made outside a request
        # (a script, the demo), the member of staff it names as having booked her.
        staff = event.by_staff or (
            event.booked_by.full_name if previous_of is None and event.booked_by else ""
        )
        actor = {"her": her, "service": service}.get(who) or Actor(staff or service.full_name)
        entries.append(
            TimelineEntry(event.pgh_created_at, "booking", actor, Stage(event.session, text))
        )
    # Newest first among changes made in one transaction (they share its moment): the
    # timeline's sort keeps this order for equal times.
    return entries[::-1]
