"""What Haven stores, field by field: personal or not, whose, why, for how long, who sees it,
and what anonymising her case does to it.

Every concrete field (and many-to-many relation) of every model in the accounts, referrals
sessions_booking and partners apps is classified here;
``tests/dataprotection/test_record_of_processing.py`` fails for a field that is not, so a new
field cannot slip past the record of processing or the anonymisation
(``services.anonymise_case`` clears exactly the fields marked ``CLEAR``).
pghistory's event models copy their tracked model's fields and are classified from it.
"""

from dataclasses import dataclass, field

from django.apps import apps
from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ImproperlyConfigured
from django.db import models
from pghistory.models import Event

APPS = ("core", "accounts", "referrals", "sessions_booking", "partners")

# Whose data a field is.
HER = "her"  # the woman referred
REFERRER = "referrer"  # the professional who referred her
STAFF = "staff"

# What anonymising her case does to a field.
KEEP = "keep"  # kept: a statistic, a date, or not about her
CLEAR = "clear"  # emptied (NULL, "", [], False or 0)

# Who can see what (docs/design.md, roles).
CASE_STAFF = "Her keyworker and her team's leads; the data protection role in a subject access copy"
RESTRICTED_STAFF = "Her keyworker and her team's leads only (restricted notes)"
AUDITORS = "Team leads (their team's), service admins (all)"
ADMINS = "Service admins"
ALL_STAFF = "All staff"

# How long (the settings are filled in by ``retention_text``).
CASE_PERIOD = "case"
AUDIT_PERIOD = "Kept with the audit log, which is append-only and never rewritten"
ACCOUNT_PERIOD = "While the account exists; deactivated accounts are kept for the audit log"
SERVICE_PERIOD = "While the service uses it"
LINK_PERIOD = "Until the session starts (or sooner); deleted when her case is anonymised"


@dataclass(frozen=True)
class Use:
    personal: bool
    purpose: str
    about: str = ""
    kept: str = ""
    seen_by: str = ""
    on_anonymise: str = KEEP
    # Why a field about her is stored in plain text (everything else about her is encrypted;
    # tests/core/test_encryption_at_rest.py checks one or the other holds for each field).
    plain_because: str = ""


def hers(purpose, *, seen_by=CASE_STAFF, plain_because=""):
    return Use(True, purpose, HER, CASE_PERIOD, seen_by, CLEAR, plain_because)


# Why a field about her stays readable by the database: what the service does with it in
# SQL, and what protects it instead (docs/data-protection.md "Encryption at rest").
PROTECTED = (
    "; protected instead by the staff access rules, the database's own access control and "
    "the deployment's disk and backup encryption"
)
COUNTED = "The dashboards count it across women waiting (SQL aggregates)" + PROTECTED
CASE_LISTS = "Staff lists search, filter or sort by it" + PROTECTED
NOT_HEALTH = "Not health or safety data; the service reads it to route and support her" + PROTECTED
CONTACT_RULES = "Not health data: her safe-contact rules, checked before every message" + PROTECTED
CRECHE = "Not health data: crèche places and ratios are worked out from it" + PROTECTED
FLAGGED = "Her case page's safeguarding flag finds the latest level in SQL" + PROTECTED
GROUPS = "Not health data: which groups to offer her" + PROTECTED


def referrers(purpose):
    return Use(True, purpose, REFERRER, CASE_PERIOD, CASE_STAFF, CLEAR)


def staffs(purpose, *, kept=ACCOUNT_PERIOD, seen_by=ADMINS):
    return Use(True, purpose, STAFF, kept, seen_by, KEEP)


def fact(purpose):
    """Not personal: kept when her case is anonymised (the service's figures need it)."""
    return Use(False, purpose)


@dataclass(frozen=True)
class ModelUse:
    description: str
    fields: dict[str, Use]
    # How to reach her referral from a row ("" for the referral itself, None when rows are
    # not about one woman).
    path_to_her: str | None = None
    # Rows deleted (not just cleared) when her case is anonymised.
    delete_rows: bool = False


PK = fact("Row identifier")
WHEN = fact("When it happened (figures and history)")

MODELS: dict[str, ModelUse] = {
    # --- accounts ---------------------------------------------------------------------------
    "accounts.Team": ModelUse(
        "A team and the area it covers",
        {
            "id": PK,
            "name": fact("Naming the team"),
            "postcode_districts": fact("Routing referrals to the team covering her area"),
            "local_authorities": fact("Routing referrals to the team covering her area"),
            "is_default": fact("Where referrals go when no team covers the area"),
        },
    ),
    "accounts.User": ModelUse(
        "A member of staff's account",
        {
            "id": PK,
            "password": staffs("Signing in (a salted hash only)", seen_by="Nobody"),
            "last_login": staffs("Security: spotting unused or misused accounts"),
            "is_superuser": fact("Always false: staff are never superusers"),
            "email": staffs("Signing in; invitations and team notifications"),
            "full_name": staffs(
                "Showing who did what on a case",
                seen_by="All staff; her in a subject access export",
            ),
            "team": fact("Which cases she may see"),
            "is_staff": fact("Access to the technical Django admin"),
            "is_active": fact("Whether she may sign in"),
            "date_joined": staffs("When the account was created"),
            "groups": fact("Her roles (what she may do)"),
            "user_permissions": fact("Unused: permissions come from roles"),
        },
    ),
    # --- referrals ---------------------------------------------------------------------------
    "referrals.Referral": ModelUse(
        "A woman referred to the service: one case",
        {
            "id": PK,
            "reference": fact(
                "The case's code, quoted by her or her referrer; kept after anonymisation so "
                "an erasure can be confirmed (it identifies no one once her data is gone)"
            ),
            "source": fact("Self or professional referral (figures)"),
            "created_at": WHEN,
            "team_notified_at": WHEN,
            "submission_key": fact(
                "A random number given to one filling-in of the form, so that sending it twice "
                "stores one referral"
            ),
            "updated_at": WHEN,
            "team": fact("Which team works with her (routing, figures)"),
            "area_postcode_district": hers(
                "Routing the referral to the team covering her area", plain_because=NOT_HEALTH
            ),
            "area_local_authority": fact(
                "Routing the referral; a whole council area, kept for figures"
            ),
            "priority": fact("Triage order (figures)"),
            "priority_reasons": hers("Why the case was prioritised (drawn from her answers)"),
            "status": fact("Where the case is in the workflow (figures)"),
            "assigned_to": fact("Her keyworker (caseload figures)"),
            "assigned_at": WHEN,
            "closed_reason": fact("Why the case closed (figures)"),
            "closed_at": WHEN,
            "next_contact_on": fact("When her keyworker plans to contact her next"),
            "missed_sessions_in_a_row": fact("Attendance (figures)"),
            "anonymised_at": WHEN,
            "anonymised_because": fact("Why her personal data was removed"),
            "preferred_name": hers("What to call her", plain_because=CASE_LISTS),
            "full_name": hers("Identifying her when needed"),
            "date_of_birth": hers("Identifying her; age-appropriate support"),
            "age_range": hers("Age-appropriate support", plain_because=NOT_HEALTH),
            "safe_channels": hers(
                "Contacting her safely: the ways she said are safe", plain_because=CONTACT_RULES
            ),
            "phone": hers("Contacting her safely"),
            "email": hers("Contacting her safely"),
            "postal_address": hers("Contacting her safely by letter"),
            "safe_days": hers(
                "Contacting her only on days she said are safe", plain_because=CONTACT_RULES
            ),
            "safe_from": hers(
                "Contacting her only at times she said are safe", plain_because=CONTACT_RULES
            ),
            "safe_until": hers(
                "Contacting her only at times she said are safe", plain_because=CONTACT_RULES
            ),
            "if_someone_else_answers": hers("What to say so that she is not put at risk"),
            "may_name_service": hers(
                "Whether messages may name the service", plain_because=CONTACT_RULES
            ),
            "code_word": hers("Confirming it is her on the phone"),
            "substances": hers("Offering the right support (health data)"),
            "substances_other": hers("Offering the right support (health data)"),
            "children_count": hers("Childcare and safeguarding", plain_because=CRECHE),
            "children_ages": hers("Crèche places and safeguarding", plain_because=CRECHE),
            "needs_childcare": hers("Offering groups she can attend", plain_because=COUNTED),
            "children_at_risk": hers("Safeguarding children"),
            "pregnant": hers("Offering the right support (health data)"),
            "abuse_experience": hers("Safeguarding; trauma-informed support"),
            "safe_now": hers("Safeguarding: whether she is safe now"),
            "abuse_details": hers("Safeguarding", seen_by=CASE_STAFF),
            "wants_mental_health_support": hers(
                "Offering the right support (health data)", plain_because=COUNTED
            ),
            "housing": hers("Offering the right support", plain_because=COUNTED),
            "preferred_language": hers("Talking to her in her language", plain_because=COUNTED),
            "preferred_language_other": hers("Talking to her in her language"),
            "needs_interpreter": hers("Booking an interpreter", plain_because=COUNTED),
            "access_needs": hers("Making sessions accessible to her"),
            "group_interests": hers("Offering the groups she would like", plain_because=GROUPS),
            "women_only_groups": hers(
                "Offering only women-only groups if she asked", plain_because=GROUPS
            ),
            "anything_else": hers("Anything else she wanted us to know"),
            "consent_to_store": fact("The lawful basis for holding her data (consent record)"),
            "consent_to_contact": fact("The lawful basis for contacting her (consent record)"),
            "consent_to_share": fact("Whether she agreed to sharing (consent record)"),
            "consent_version": fact("Which consent wording she was shown"),
            "consent_given_at": WHEN,
            "referrer_name": referrers("Contacting the professional who referred her"),
            "referrer_organisation": referrers("Contacting the professional who referred her"),
            "referrer_role": referrers("Contacting the professional who referred her"),
            "referrer_phone": referrers("Contacting the professional who referred her"),
            "referrer_email": referrers("Contacting the professional who referred her"),
            "referrer_relationship": referrers("Understanding who referred her"),
            "referrer_confirmed_consent": fact("The referrer confirmed she agreed (consent)"),
        },
        path_to_her="",
    ),
    "referrals.StatusChange": ModelUse(
        "A step of the case's status workflow (append-only)",
        {
            "id": PK,
            "referral": fact("The case"),
            "from_status": fact("Workflow history (figures)"),
            "to_status": fact("Workflow history (figures)"),
            "closed_reason": fact("Why the case closed (figures)"),
            "changed_by": fact("Who moved the case (empty: the service itself)"),
            "changed_at": WHEN,
        },
        path_to_her="referral",
    ),
    "referrals.ContactAttempt": ModelUse(
        "An attempt to contact her",
        {
            "id": PK,
            "referral": fact("The case"),
            "made_by": fact("Who tried to contact her"),
            "made_at": fact("When (time to first contact, figures)"),
            "channel": fact("How (figures)"),
            "outcome": fact("Whether we reached her (figures)"),
            "note": hers("What happened"),
        },
        path_to_her="referral",
    ),
    "referrals.CaseNote": ModelUse(
        "A keyworker's note on her case; deleted when the case is anonymised",
        {
            "id": PK,
            "referral": fact("The case"),
            "author": fact("Who wrote it"),
            "created_at": WHEN,
            "text": hers("Working with her; safeguarding", seen_by=CASE_STAFF),
            "restricted": fact("Restricted (safeguarding) notes: " + RESTRICTED_STAFF),
        },
        path_to_her="referral",
        delete_rows=True,
    ),
    "core.AuditEvent": ModelUse(
        "The audit log: who viewed or did what, and when (append-only; the detail never "
        "holds her personal data)",
        {
            "id": PK,
            "at": WHEN,
            "actor": fact("Who acted (empty: she herself, or the service)"),
            "action": fact("What was done"),
            "referral": fact("Which case"),
            "team": fact("Which team's log it belongs to"),
            "ip_address": staffs(
                "Security: where an action came from (staff; hers only when she used her "
                "reminder link)",
                kept=AUDIT_PERIOD,
                seen_by=AUDITORS,
            ),
            "detail": fact("What was done, in ids and codes only"),
        },
        path_to_her="referral",
    ),
    # --- partners ----------------------------------------------------------------------------
    "partners.PartnerOrganisation": ModelUse(
        "A partner organisation",
        {"id": PK, "name": fact("Naming the partner"), "website": fact("Finding the partner")},
    ),
    "partners.PartnerService": ModelUse(
        "A service a partner runs, where and how to refer to it",
        {
            "id": PK,
            "organisation": fact("Which organisation runs it"),
            "name": fact("Naming the service"),
            "kind": fact("What kind of support it gives"),
            "teams": fact("The areas it covers"),
            "local_authorities": fact("The areas it covers"),
            "women_only": fact("Whether it is for women only"),
            "languages": fact("Languages it offers"),
            "how_to_refer": fact("How to refer"),
            "referral_contact": fact("Where referrals go (an organisation's address)"),
            "referral_needs": fact("What the partner needs in a referral"),
            "usual_wait_days": fact("The partner's stated wait (figures)"),
            "is_active": fact("Whether it takes referrals"),
        },
    ),
    "partners.SupportNeed": ModelUse(
        "A need on her support plan",
        {
            "id": PK,
            "referral": fact("The case"),
            # Cleared with her case: the dashboard's waits count the partner service's kind.
            "kind": hers(
                "Planning her support (health data: what help she needs)",
                plain_because="Her plan finds an open need of each kind in SQL" + PROTECTED,
            ),
            "detail": hers("What she wants, in her words (health data)"),
            "source": fact("From her referral or from assessment"),
            "recorded_by": fact("Who recorded it"),
            "recorded_at": WHEN,
            "closed_at": WHEN,
        },
        path_to_her="referral",
    ),
    "partners.OnwardReferral": ModelUse(
        "Her referral to a partner service, with her consent, and its progress",
        {
            "id": PK,
            "referral": fact("The case"),
            "need": fact("Which need"),
            "service": fact("Which partner service"),
            "status": fact("Where it has got to (figures)"),
            "shared_details": fact("What she agreed to share (her consent, for the record)"),
            "consent_given_on": WHEN,
            "consent_version": fact("The consent wording she was read"),
            "consent_recorded_by": fact("Who recorded her consent"),
            "summary": hers("What was sent to the partner (her details she agreed to share)"),
            "sent_on": WHEN,
            "acknowledged_on": WHEN,
            "appointment_offered_on": WHEN,
            "appointment_on": WHEN,
            "support_started_on": WHEN,
            "ended_on": WHEN,
            "chase_on": WHEN,
            "last_chased_on": WHEN,
            "created_at": WHEN,
            "updated_at": WHEN,
        },
        path_to_her="referral",
    ),
    "partners.OnwardReferralStep": ModelUse(
        "One step of an onward referral (append-only; no personal data)",
        {
            "id": PK,
            "onward_referral": fact("Which onward referral"),
            "status": fact("The step"),
            "chased": fact("Whether it was a chase"),
            "on": WHEN,
            "recorded_by": fact("Who recorded it"),
            "recorded_at": WHEN,
        },
        path_to_her="onward_referral__referral",
    ),
    "partners.RiskAssessment": ModelUse(
        "A domestic-abuse risk assessment on her case",
        {
            "id": PK,
            "referral": fact("The case"),
            "tool": fact("Which tool"),
            "assessed_on": WHEN,
            "score": hers("Safeguarding (her answers' total)", plain_because=FLAGGED),
            "level": hers(
                "Safeguarding: the flag on her case and the MARAC prompt", plain_because=FLAGGED
            ),
            "recorded_by": fact("Who recorded it"),
            "recorded_at": WHEN,
        },
        path_to_her="referral",
    ),
    # --- sessions_booking --------------------------------------------------------------------
    "sessions_booking.Venue": ModelUse(
        "A place where groups meet",
        {
            "id": PK,
            "name": fact("Naming the venue"),
            "address": fact("Where the venue is"),
            "women_only_building": fact("Safety features shown to staff and women"),
            "creche_on_site": fact("Safety features shown to staff and women"),
            "step_free": fact("Access"),
            "separate_entrance": fact("Safety features shown to staff and women"),
            "staff_on_site": fact("Safety features shown to staff and women"),
            "no_shared_waiting_room": fact("Safety features shown to staff and women"),
            "safety_notes": fact("Safety notes about the building (no personal data)"),
            "is_active": fact("Whether the venue is in use"),
        },
    ),
    "sessions_booking.Programme": ModelUse(
        "A kind of group",
        {
            "id": PK,
            "name": fact("Naming the group"),
            "description": fact("What the group is, shown to women"),
            "women_only": fact("Women-only unless an admin says otherwise"),
            "trauma_informed": fact("Shown to staff"),
            "language": fact("The language the group is delivered in"),
            "default_capacity": fact("Places"),
            "default_creche_places": fact("Crèche places"),
            "reminder_offsets_hours": fact("When reminders go"),
            "facilitators": fact("Staff who run it"),
            "is_active": fact("Whether the programme is in use"),
        },
    ),
    "sessions_booking.SessionSeries": ModelUse(
        "A weekly series of group sessions",
        {
            "id": PK,
            "programme": fact("Which group"),
            "venue": fact("Where"),
            "facilitator": fact("Who runs it"),
            "first_date": fact("Schedule"),
            "start_time": fact("Schedule"),
            "duration_minutes": fact("Schedule"),
            "weeks": fact("Schedule"),
            "skip_dates": fact("Schedule"),
            "capacity": fact("Places"),
            "creche_places": fact("Crèche room limit"),
            "creche_workers": fact("Crèche workers (ratios)"),
            "language": fact("The language the group is delivered in"),
            "booking_cutoff_hours": fact("When booking closes"),
            "created_at": WHEN,
        },
    ),
    "sessions_booking.GroupSession": ModelUse(
        "One group session",
        {
            "id": PK,
            "programme": fact("Which group"),
            "venue": fact("Where"),
            "series": fact("Which series"),
            "facilitator": fact("Who runs it"),
            "starts_at": fact("Schedule"),
            "ends_at": fact("Schedule"),
            "capacity": fact("Places"),
            "creche_places": fact("Crèche room limit"),
            "creche_workers": fact("Crèche workers (ratios)"),
            "language": fact("The language the group is delivered in"),
            "booking_cutoff": fact("When booking closes"),
            "cancelled_at": WHEN,
        },
    ),
    "sessions_booking.Booking": ModelUse(
        "Her place in a group session (attendance is kept for figures)",
        {
            "id": PK,
            "session": fact("Which session (attendance figures)"),
            "referral": fact("The case"),
            "status": fact("Confirmed, waitlisted, attended... (attendance figures)"),
            "children_in_creche": fact("Crèche places used (figures)"),
            "children_ages": hers("Crèche staffing and safeguarding"),
            "creche_under_2": fact("Crèche ratios: children under 2 (figures)"),
            "creche_aged_2": fact("Crèche ratios: children aged 2 (figures)"),
            "creche_3_plus": fact("Crèche ratios: children aged 3 and over (figures)"),
            "interpreter_language": hers(
                "Booking an interpreter for her at this session", plain_because=COUNTED
            ),
            "booked_by": fact("Who booked her"),
            "created_at": WHEN,
            "updated_at": WHEN,
            "confirmed_by_her_at": WHEN,
            "promoted_at": fact("When she came off the waiting list (waiting-time figures)"),
        },
        path_to_her="referral",
    ),
    "sessions_booking.BookedChild": ModelUse(
        "A child in the crèche with her booking",
        {
            "id": PK,
            "booking": fact("Which booking"),
            "date_of_birth": hers("Crèche ratios by age on the day", plain_because=CRECHE),
            "age_in_years": hers("Crèche ratios by age on the day", plain_because=CRECHE),
        },
        path_to_her="booking__referral",
        delete_rows=True,
    ),
    "sessions_booking.InterpreterRequest": ModelUse(
        "An interpreter asked of the agency for a session and a language (no case data)",
        {
            "id": PK,
            "session": fact("Which session"),
            "language": fact("Which language"),
            "mode": fact("Face to face or by telephone"),
            "female": fact("A female interpreter"),
            "status": fact("Requested, booked, confirmed or cancelled"),
            "agency_reference": fact("The agency's reference"),
            "flagged_for_cancelling_at": WHEN,
            "requested_by": fact("Who asked for it"),
            "created_at": WHEN,
            "updated_at": WHEN,
        },
    ),
    "sessions_booking.Reminder": ModelUse(
        "A reminder of a booking, sent on a channel she marked safe",
        {
            "id": PK,
            "booking": fact("Which booking"),
            "offset_hours": fact("How long before the session"),
            "channel": fact("How it was sent (figures)"),
            "due_at": WHEN,
            "send_at": WHEN,
            "status": fact("Sent, failed, needs a call..."),
            "idempotency_key": fact("Never sending a reminder twice"),
            "sending_started_at": WHEN,
            "sent_at": WHEN,
            "provider_reference": hers(
                "Tracing a message at the SMS or email provider (which holds her number)"
            ),
            "attempts": fact("Retries"),
            "last_error": hers("Why a send failed (may quote her number or address)"),
            "delivery_status": fact("What became of the message at the provider"),
            "delivery_status_at": WHEN,
        },
        path_to_her="booking__referral",
    ),
    "sessions_booking.MessageTemplate": ModelUse(
        "An admin's wording for reminders",
        {
            "id": PK,
            "language": fact("Which language"),
            "names_service": fact("Whether the wording names the service"),
            "subject": fact("Email subject"),
            "text": fact("The wording (checked to be discreet; no personal data)"),
            "updated_at": WHEN,
            "updated_by": fact("Which admin last changed it"),
        },
    ),
    "sessions_booking.BookingLink": ModelUse(
        "The link in her reminder to confirm or cancel; deleted when the case is anonymised",
        {
            "id": PK,
            "booking": fact("Which booking"),
            "token_hash": Use(
                personal=True,
                purpose="Letting her confirm or cancel (a hash only)",
                about=HER,
                kept=LINK_PERIOD,
                seen_by="Nobody",
                on_anonymise=CLEAR,
            ),
            "created_at": WHEN,
            "expires_at": WHEN,
            "used_at": WHEN,
        },
        path_to_her="booking__referral",
        delete_rows=True,
    ),
}

# pghistory's own columns on every event model.
EVENT_COLUMNS = {
    "pgh_id": PK,
    "pgh_created_at": WHEN,
    "pgh_label": fact("What kind of change (insert, update, delete)"),
    "pgh_obj": fact("The row that changed"),
    "pgh_context": fact("Who made the change, from where (staff and the service)"),
}


@dataclass(frozen=True)
class ClassifiedModel:
    model: type
    use: ModelUse
    fields: dict[str, Use] = field(default_factory=dict)
    tracks: type | None = None  # for a pghistory event model, the model it copies

    @property
    def label(self) -> str:
        return self.model._meta.label

    @property
    def personal_fields(self) -> dict[str, Use]:
        return {name: use for name, use in self.fields.items() if use.personal}

    @property
    def cleared_fields(self) -> list[str]:
        return [name for name, use in self.fields.items() if use.on_anonymise == CLEAR]

    @property
    def path_to_her(self) -> str | None:
        """The lookup from this model's rows to her referral (event models: their own copy
        of the tracked model's foreign key, or ``pgh_obj`` for the referral's events)."""
        path = self.use.path_to_her
        if self.tracks is not None and path == "":
            return "pgh_obj"
        return path


def model_fields(model) -> list:
    """Every concrete field and many-to-many relation a model stores."""
    return [*model._meta.concrete_fields, *model._meta.many_to_many]


def models_to_classify() -> list[type]:
    return [model for app in APPS for model in apps.get_app_config(app).get_models()]


def unclassified() -> list[str]:
    """``app.Model.field`` for every stored field missing from the inventory, and every
    classification that names no field (so the inventory cannot drift from the models)."""
    problems = []
    labels = set()
    for model in models_to_classify():
        labels.add(model._meta.label)
        known = _fields_for(model)
        if known is None:
            problems.append(f"{model._meta.label} (the whole model)")
            continue
        names = {f.name for f in model_fields(model)}
        problems += [f"{model._meta.label}.{name}" for name in sorted(names - set(known))]
        problems += [f"{model._meta.label}.{name} (no such field)" for name in set(known) - names]
    problems += [f"{label} (no such model)" for label in set(MODELS) - labels]
    return problems


def _tracked(model):
    return getattr(model, "pgh_tracked_model", None) if issubclass(model, Event) else None


def _fields_for(model) -> dict[str, Use] | None:
    tracked = _tracked(model)
    if tracked is None:
        use = MODELS.get(model._meta.label)
        return dict(use.fields) if use else None
    use = MODELS.get(tracked._meta.label)
    if use is None:
        return None
    copied = {f.name: use.fields[f.name] for f in model_fields(model) if f.name in use.fields}
    return {**copied, **EVENT_COLUMNS}


def classified_models() -> list[ClassifiedModel]:
    """Every model with its classification; raises if any field is unclassified."""
    problems = unclassified()
    if problems:
        raise ImproperlyConfigured(
            "Classify these in dataprotection/inventory.py: " + ", ".join(problems)
        )
    found = []
    for model in models_to_classify():
        tracked = _tracked(model)
        use = MODELS[(tracked or model)._meta.label]
        found.append(ClassifiedModel(model, use, _fields_for(model), tracked))
    return found


def models_about_her() -> list[ClassifiedModel]:
    """Models with rows about one woman, the referral first, event models after the
    models they track (the order anonymisation works in)."""
    about = [m for m in classified_models() if m.path_to_her is not None]
    return sorted(about, key=lambda m: (m.tracks is not None, m.path_to_her != ""))


def empty_value(model_field):
    """What a cleared field holds: NULL where allowed, else the type's empty value."""
    if isinstance(model_field, models.BooleanField):
        return False  # an encrypted yes/no stores it as NULL and reads it back as False
    if model_field.null:
        return None
    if isinstance(model_field, ArrayField):
        return []
    if isinstance(model_field, models.IntegerField):
        return 0
    if isinstance(model_field, models.CharField | models.TextField):
        return ""
    if isinstance(model_field, models.JSONField):  # an encrypted list of answers
        return model_field.get_default()
    raise ImproperlyConfigured(f"No empty value for {model_field!r}: make it null=True")


def retention_text(kept: str, settings) -> str:
    if kept == CASE_PERIOD:
        return (
            f"Until her case is anonymised: {settings.RETENTION_CLOSED_YEARS} years after it "
            f"closed, {settings.RETENTION_NEVER_CONTACTED_MONTHS} months after a self-referral "
            "we never reached, or sooner if she asks for erasure"
        )
    return kept or "—"
