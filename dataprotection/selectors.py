"""Read-only queries for data protection: cases due for retention, her subject access
record and the record of processing."""

from dataclasses import dataclass
from datetime import datetime

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import FieldDoesNotExist
from django.db.models import BigIntegerField, Exists, OuterRef, QuerySet, Subquery
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast
from django.utils import timezone
from encrypted_fields.fields import EncryptedFieldMixin

from accounts.models import User
from core.choices import AuditAction
from core.models import AuditEvent
from dataprotection import inventory
from partners.selectors import support_record
from referrals.choices import AnonymisedBecause, ContactOutcome, Source, Status, Substance
from referrals.models import ContactAttempt, Referral
from sessions_booking.models import Booking, BookingStatus

ATTENDED = [BookingStatus.ATTENDED, BookingStatus.LATE]
ACTIVE_BOOKING = [BookingStatus.CONFIRMED, BookingStatus.WAITLISTED]


# --- Retention ------------------------------------------------------------------------------
@dataclass(frozen=True)
class Cutoffs:
    closed_before: datetime
    received_before: datetime


def retention_cutoffs(now: datetime | None = None) -> Cutoffs:
    now = now or timezone.now()
    return Cutoffs(
        closed_before=now - relativedelta(years=settings.RETENTION_CLOSED_YEARS),
        received_before=now - relativedelta(months=settings.RETENTION_NEVER_CONTACTED_MONTHS),
    )


def closed_cases_due(*, now: datetime | None = None) -> QuerySet[Referral]:
    """Closed cases whose retention period after closure has ended."""
    return Referral.objects.filter(
        anonymised_at__isnull=True,
        status=Status.CLOSED,
        closed_at__lt=retention_cutoffs(now).closed_before,
    )


def never_contacted_due(*, now: datetime | None = None) -> QuerySet[Referral]:
    """Self-referrals received longer ago than the period, where staff never spoke to her
    and she never attended a group. One with a booking still to come is left alone: someone
    is working with her."""
    now = now or timezone.now()
    spoke = ContactAttempt.objects.filter(referral=OuterRef("pk"), outcome=ContactOutcome.SPOKE)
    attended = Booking.objects.filter(referral=OuterRef("pk"), status__in=ATTENDED)
    upcoming = Booking.objects.filter(
        referral=OuterRef("pk"), status__in=ACTIVE_BOOKING, session__starts_at__gt=now
    )
    return Referral.objects.filter(
        anonymised_at__isnull=True,
        source=Source.SELF,
        created_at__lt=retention_cutoffs(now).received_before,
    ).filter(~Exists(spoke), ~Exists(attended), ~Exists(upcoming))


def cases_due_for_retention(*, now: datetime | None = None) -> dict[str, QuerySet[Referral]]:
    """Each rule's due cases; a case due under both is counted under the closure rule."""
    closed = closed_cases_due(now=now)
    return {
        AnonymisedBecause.CLOSED_CASE: closed,
        AnonymisedBecause.NEVER_CONTACTED: never_contacted_due(now=now).exclude(
            pk__in=closed.values("pk")
        ),
    }


def retention_runs(*, limit: int = 10) -> QuerySet[AuditEvent]:
    return (
        AuditEvent.objects.filter(action=AuditAction.RETENTION_RUN)
        .select_related("actor")
        .order_by("-at", "-pk")[:limit]
    )


def find_case(reference: str) -> Referral | None:
    from referrals.rules.reference import is_reference_code, normalise_reference_code

    if not is_reference_code(reference):
        return None
    return (
        Referral.objects.select_related("team")
        .filter(reference=normalise_reference_code(reference))
        .first()
    )


# --- The record of processing ---------------------------------------------------------------
def record_of_processing() -> list[dict]:
    """Each model holding personal data, its personal fields and why, for how long and who
    may see them; read from the inventory (and so from the models)."""
    rows = []
    for classified in inventory.classified_models():
        personal = classified.personal_fields
        if not personal:
            continue
        meta = (classified.tracks or classified.model)._meta
        rows.append(
            {
                "model": classified.label,
                "description": (
                    f"History of changes to: {classified.use.description}"
                    if classified.tracks is not None
                    else classified.use.description
                ),
                "fields": [
                    {
                        "name": name,
                        "label": _label(meta, name),
                        "about": use.about,
                        "purpose": use.purpose,
                        "kept": inventory.retention_text(use.kept, settings),
                        "seen_by": use.seen_by,
                        "on_anonymise": use.on_anonymise,
                        "encrypted": isinstance(
                            classified.model._meta.get_field(name), EncryptedFieldMixin
                        ),
                        "plain_because": use.plain_because,
                    }
                    for name, use in personal.items()
                ],
                "rows_deleted": classified.use.delete_rows,
                "not_personal": len(classified.fields) - len(personal),
            }
        )
    return rows


def _label(meta, name) -> str:
    try:
        return str(meta.get_field(name).verbose_name)
    except FieldDoesNotExist:  # a pghistory column: its own name is the label
        return name


# --- Her subject access record ----------------------------------------------------------------
# Lists of choices stored encrypted, which have no base field to read the labels from.
ENCRYPTED_CHOICE_LISTS = {"substances": Substance.choices}


def _display(obj, model_field) -> str:
    value = getattr(obj, model_field.name)
    if value is None or value == "" or value == []:
        return ""
    if isinstance(value, list):
        if isinstance(model_field, ArrayField):
            choices = dict(model_field.base_field.choices or [])
        else:
            choices = dict(ENCRYPTED_CHOICE_LISTS.get(model_field.name, []))
        return ", ".join(str(choices.get(item, item)) for item in value)
    if model_field.choices:
        return str(getattr(obj, f"get_{model_field.name}_display")())
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    return str(value)


def _raw(value):
    if isinstance(value, User):
        return value.full_name
    if hasattr(value, "pk") and hasattr(value, "_meta"):
        return str(value)
    return value


CONTACT_PREFERENCES = [
    "safe_channels", "phone", "email", "postal_address", "safe_days", "safe_from",
    "safe_until", "if_someone_else_answers", "may_name_service", "code_word",
    "preferred_language", "preferred_language_other", "needs_interpreter",
]  # fmt: skip


def _fields_of(referral, names) -> list[dict]:
    meta = type(referral)._meta
    rows = []
    for name in names:
        model_field = meta.get_field(name)
        value = getattr(referral, name)
        rows.append(
            {
                "name": name,
                "label": str(model_field.verbose_name),
                "value": _raw(value),
                "display": _display(referral, model_field),
            }
        )
    return rows


def future_bookings(referral) -> QuerySet[Booking]:
    return referral.bookings.filter(
        status__in=ACTIVE_BOOKING, session__starts_at__gt=timezone.now()
    )


def subject_access_record(*, referral: Referral) -> dict:
    """Everything held about one woman, from every model the inventory says is about her:
    the referral, her contact preferences, notes (restricted ones marked for review),
    contact attempts, status changes, bookings with their reminders, the audit trail of who
    viewed or acted on her case, and the field history pghistory kept. A fixed number of
    queries, however much there is."""
    names = [f.name for f in Referral._meta.concrete_fields if f.name != "id"]
    about_her = [n for n in names if n not in CONTACT_PREFERENCES]
    bookings = (
        referral.bookings.select_related("session__programme", "session__venue", "booked_by")
        .prefetch_related("reminders", "children")
        .order_by("session__starts_at", "pk")
    )
    return {
        "reference": referral.display_reference,
        "generated_at": timezone.now(),
        "anonymised": {
            "at": referral.anonymised_at,
            "because": referral.get_anonymised_because_display(),
        }
        if referral.anonymised_at
        else None,
        "referral": _fields_of(referral, about_her),
        "contact_preferences": _fields_of(referral, CONTACT_PREFERENCES),
        "notes": [
            {
                "at": note.created_at,
                "author": note.author.full_name,
                "restricted": note.restricted,
                "text": note.text,
            }
            for note in referral.notes.select_related("author").order_by("created_at", "pk")
        ],
        "contact_attempts": [
            {
                "at": attempt.made_at,
                "by": attempt.made_by.full_name,
                "channel": attempt.get_channel_display(),
                "outcome": attempt.get_outcome_display(),
                "note": attempt.note or "",
            }
            for attempt in referral.contact_attempts.select_related("made_by")
        ],
        "status_changes": [
            {
                "at": change.changed_at,
                "by": change.changed_by.full_name if change.changed_by else "",
                "from": change.get_from_status_display(),
                "to": change.get_to_status_display(),
                "closed_reason": change.get_closed_reason_display(),
            }
            for change in referral.status_changes.select_related("changed_by")
        ],
        "bookings": [
            {
                "programme": booking.session.programme.name,
                "venue": booking.session.venue.name,
                "starts_at": booking.session.starts_at,
                "status": booking.get_status_display(),
                "children_in_creche": booking.children_in_creche,
                "children_ages": list(booking.children_ages),
                "children": [
                    {"date_of_birth": child.date_of_birth, "age_in_years": child.age_in_years}
                    for child in booking.children.all()
                ],
                "interpreter_language": booking.get_interpreter_language_display(),
                "booked_at": booking.created_at,
                "booked_by": booking.booked_by.full_name,
                "confirmed_by_her_at": booking.confirmed_by_her_at,
                "reminders": [
                    {
                        "channel": reminder.get_channel_display(),
                        "due_at": reminder.due_at,
                        "sent_at": reminder.sent_at,
                        "status": reminder.get_status_display(),
                    }
                    for reminder in booking.reminders.all()
                ],
            }
            for booking in bookings
        ],
        "audit_trail": [
            {
                "at": event.at,
                "by": event.actor.full_name if event.actor else "",
                "action": event.get_action_display(),
            }
            for event in AuditEvent.objects.filter(referral=referral)
            .select_related("actor")
            .order_by("at", "pk")
        ],
        "field_history": field_history(referral),
        **support_record(referral=referral),
    }


def field_history(referral) -> list[dict]:
    """Every change pghistory recorded to her rows, oldest first, with before and after
    values (decrypted: they are hers) and who made them. One query per event model."""
    rows = []
    for classified in inventory.models_about_her():
        if classified.tracks is None:
            continue
        path = classified.path_to_her
        events = classified.model.objects.filter(**{path: referral.pk}).order_by("pgh_id")
        tracked = [
            f for f in classified.model._meta.concrete_fields if not f.name.startswith("pgh_")
        ]
        previous = {}
        for event in events.select_related("pgh_context").annotate(by=_CHANGED_BY):
            values = {f.name: _history_value(event, f) for f in tracked}
            before = previous.get(event.pgh_obj_id, {})
            changes = [
                {"field": name, "before": before.get(name), "after": value}
                for name, value in values.items()
                if before.get(name) != value and (before or value not in (None, "", [], False))
            ]
            previous[event.pgh_obj_id] = values
            rows.append(
                {
                    "at": event.pgh_created_at,
                    "what": f"{classified.tracks.__name__} {event.pgh_label}",
                    "by": event.by or "",
                    "changes": changes,
                }
            )
    return sorted(rows, key=lambda row: row["at"])


# Who made a change: the user id pghistory's context recorded (AuditContextMiddleware),
# looked up in the same query as the event.
_CHANGED_BY = Subquery(
    User.objects.filter(
        pk=Cast(KeyTextTransform("user", OuterRef("pgh_context__metadata")), BigIntegerField())
    ).values("full_name")[:1]
)


def _history_value(event, model_field):
    value = getattr(event, model_field.attname)
    if isinstance(value, datetime | list | str | int | float | bool) or value is None:
        return value
    return str(value)
