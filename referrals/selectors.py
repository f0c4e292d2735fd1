"""Read-only queries about referrals. Every list is one query whatever its length."""

from datetime import timedelta

from django.db.models import (
    Case,
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.utils import timezone
from encrypted_fields.fields import EncryptedFieldMixin

from core.case_timeline import TimelineEntry
from core.case_timeline import entries_for as entries_from_other_apps
from core.permissions import MANAGE_TEAM_CASES
from referrals.choices import PRIORITY_RANK, UNANSWERED_OUTCOMES, Status
from referrals.models import CaseNote, Referral
from referrals.rules.reference import is_reference_code, normalise_reference_code

PRIORITY_ORDER = Case(
    *[When(priority=priority, then=Value(rank)) for priority, rank in PRIORITY_RANK.items()],
    output_field=IntegerField(),
)

SORTS = {
    "priority": ["priority_rank", "created_at"],
    "waiting": ["created_at"],
    "next_contact": ["next_contact_on", "priority_rank"],
    "name": ["preferred_name", "created_at"],
}


# Contact details and free text, encrypted at rest: no list shows them, and decrypting
# them for every row of every list was a tenth of the caseload page's time.
ENCRYPTED_FIELDS = tuple(
    field.name for field in Referral._meta.concrete_fields if isinstance(field, EncryptedFieldMixin)
)


def without_encrypted_fields(cases: QuerySet, *, via: str = "") -> QuerySet:
    """``cases`` without the encrypted columns of the referral (at ``via``, a
    select_related path, if given); reading one later costs a query of its own."""
    return cases.defer(*(f"{via}{name}" for name in ENCRYPTED_FIELDS))


def team_queue(*, team) -> QuerySet[Referral]:
    """New, unassigned referrals for a team: most urgent first, then oldest first."""
    if team is None:
        return Referral.objects.none()
    return without_encrypted_fields(
        Referral.objects.filter(team=team, status=Status.NEW, assigned_to__isnull=True)
        .annotate(priority_rank=PRIORITY_ORDER)
        .order_by("priority_rank", "created_at")
    )


# The columns a caseload row shows (referrals/views/caseload.py); the others stay in the
# database, and reading one costs a query of its own (tests/config/test_query_budgets.py would
# say). Fewer columns: less SQL to build and fewer values to convert on every row.
CASELOAD_ROW_FIELDS = (
    "reference",
    "preferred_name",
    "priority",
    "status",
    "created_at",
    "next_contact_on",
    "preferred_language",
    "needs_interpreter",
    "missed_sessions_in_a_row",
    "team",
    "assigned_to__full_name",
)
DUE_ROW_FIELDS = ("reference", "preferred_name", "next_contact_on")


def with_list_markers(cases: QuerySet[Referral]) -> QuerySet[Referral]:
    """What a list row shows besides the case's own fields, computed by the database."""
    since = timezone.now() - timedelta(days=14)
    return (
        cases.select_related("assigned_to")
        .only(*CASELOAD_ROW_FIELDS)
        .annotate(
            priority_rank=PRIORITY_ORDER,
            recent_unanswered=Count(
                "contact_attempts",
                filter=Q(
                    contact_attempts__made_at__gte=since,
                    contact_attempts__outcome__in=UNANSWERED_OUTCOMES,
                ),
            ),
            has_restricted_notes=Exists(
                CaseNote.objects.filter(referral=OuterRef("pk"), restricted=True)
            ),
        )
    )


def caseload(
    *,
    user,
    scope: str = "mine",
    status: str = "",
    priority: str = "",
    search: str = "",
    sort: str = "priority",
) -> QuerySet[Referral]:
    """The caseload list: "mine" (her own cases), "queue" (the team's unassigned new
    referrals) or "team" (every case of the team, team leads only)."""
    if scope == "team" and user.has_perm(MANAGE_TEAM_CASES) and user.team_id:
        cases = Referral.objects.filter(team_id=user.team_id)
    elif scope == "queue":
        cases = team_queue(team=user.team)
    else:
        cases = Referral.objects.filter(assigned_to=user)
        if not status:
            cases = cases.exclude(status=Status.CLOSED)
    if status:
        cases = cases.filter(status=status)
    if priority:
        cases = cases.filter(priority=priority)
    search = search.strip()
    if search:
        by_name = Q(preferred_name__icontains=search)
        if is_reference_code(search):
            by_name |= Q(reference=normalise_reference_code(search))
        cases = cases.filter(by_name)
    return with_list_markers(cases).order_by(*SORTS.get(sort, SORTS["priority"]), "pk")


def due_contacts(*, user) -> QuerySet[Referral]:
    """Her open cases whose next contact is today or overdue, most overdue first."""
    today = timezone.localdate()
    return (
        Referral.objects.filter(assigned_to=user, next_contact_on__lte=today)
        .exclude(status=Status.CLOSED)
        .only(*DUE_ROW_FIELDS)
        .annotate(priority_rank=PRIORITY_ORDER)
        .order_by("next_contact_on", "priority_rank")
    )


def case_timeline(*, referral, can_read_restricted: bool) -> list[TimelineEntry]:
    """Status changes, contact attempts and notes, and what other apps add (every stage of
    her group bookings, her partner referrals' steps: core.case_timeline), newest first."""
    entries = [
        TimelineEntry(change.changed_at, "status", change.changed_by, change)
        for change in referral.status_changes.select_related("changed_by")
    ]
    entries += [
        TimelineEntry(attempt.made_at, "contact", attempt.made_by, attempt)
        for attempt in referral.contact_attempts.select_related("made_by")
    ]
    notes = referral.notes.select_related("author")
    if not can_read_restricted:
        notes = notes.filter(restricted=False)
    entries += [TimelineEntry(note.created_at, "note", note.author, note) for note in notes]
    entries += entries_from_other_apps(referral)
    return sorted(entries, key=lambda entry: entry.at, reverse=True)
