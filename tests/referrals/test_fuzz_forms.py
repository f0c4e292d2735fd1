"""Every form, fuzzed: whatever is posted, the answer is never a server error (500).

Each target below is a form as a browser sees it: its page is fetched, the fields are read
from the HTML (so a field added later is fuzzed without anyone listing it), and Hypothesis
posts dictionaries built from them, each field either left as a valid answer, left out,
one of the form's own choices, or something hostile: unicode, NUL characters, huge strings,
huge, negative and non-numbers, impossible dates and times, several values for one field,
extra fields. Forms filled in with GET (filters, the calendar) get the same in their query
string.

Every example runs inside a savepoint that is rolled back, so each starts from the same
data (and a form that succeeds does not use up what the next example needs). Hypothesis is
derandomised, so a run is repeatable; the examples per form are few to keep the file fast.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import time, timedelta
from html.parser import HTMLParser
from urllib.parse import urlencode, urlsplit

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.permissions import Role
from referrals.choices import Status
from sessions_booking.services.booking import book_client
from sessions_booking.services.interpreters import request_interpreter
from sessions_booking.services.links import issue_link
from sessions_booking.services.scheduling import create_weekly_series
from tests.support.factories import (
    ProgrammeFactory,
    ReferralFactory,
    TeamFactory,
    UserFactory,
    VenueFactory,
    enable_mfa,
)
from tests.support.referral_journey import (
    PROFESSIONAL,
    PROFESSIONAL_STEPS,
    SELF,
    SELF_STEPS,
    VALID_ANSWERS,
    complete,
    step_url,
)

pytestmark = pytest.mark.django_db

EXAMPLES_PER_FORM = 25
FUZZ_SETTINGS = settings(
    max_examples=EXAMPLES_PER_FORM,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    report_multiple_bugs=False,
)

# --- Hostile values -------------------------------------------------------------------------

NASTY = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "0",
    "-1",
    "1.5",
    "1e309",
    "NaN",
    "-inf",
    "99999999999999999999999",
    str(2**31),
    str(2**63),
    str(-(2**63) - 1),
    "2024-02-30",
    "9999-12-31",
    "0001-01-01",
    "31/12/9999",
    "24:00",
    "23:59:60",
    "99:99",
    "<script>alert(1)</script>",
    "' OR '1'='1",
    "{when} {0} {__class__} %s %(x)s",
    "\u202e\u200b\ufeff",
    "🙂 Zofia Łukasiewicz ẞ ﷺ",
    "\r\n\t",
    "on",
    "[]",
    "x" * 100_000,
    "🙂" * 30_000,
]
TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=40)  # surrogates: not UTF-8
SCALAR = st.one_of(
    st.sampled_from(NASTY),
    TEXT,
    st.integers().map(str),
    st.floats().map(repr),
)
VALUE = st.one_of(SCALAR, st.lists(SCALAR, min_size=2, max_size=3))
MISSING = object()
PROFESSIONAL_CONSENT = {"agreement": {"referrer_confirmed_consent": "on"}}
EXTRA_NAMES = st.text("abcdefghijklmnopqrstuvwxyz_-0123456789", min_size=1, max_size=12)


def field_strategy(valid, options):
    choices = [st.just(MISSING), VALUE]
    if valid is not None:
        choices.insert(0, st.just(valid))
    if options:
        choices.insert(1, st.sampled_from(options))
        choices.insert(2, st.lists(st.sampled_from(options), min_size=0, max_size=3))
    return st.one_of(choices)


def payloads(fields: dict, valid: dict):
    """Dictionaries over the form's fields (each valid, missing, a choice or hostile) plus
    up to two extra fields."""
    names = sorted(set(fields) | set(valid))
    known = st.fixed_dictionaries(
        {
            name: field_strategy(valid.get(name), fields.get(name, {}).get("options", []))
            for name in names
        }
    )
    extra = st.dictionaries(EXTRA_NAMES, VALUE, max_size=2)
    return st.tuples(known, extra).map(
        lambda parts: {
            name: value for name, value in {**parts[1], **parts[0]}.items() if value is not MISSING
        }
    )


# --- Reading a form from its page -------------------------------------------------------------


class FormReader(HTMLParser):
    """The forms on a page: action, method and each field's current values and choices."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms, self._form, self._select, self._textarea = [], None, None, None

    def _field(self, name):
        return self._form["fields"].setdefault(name, {"values": [], "options": []})

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self._form = {
                "action": attrs.get("action") or "",
                "method": (attrs.get("method") or "get").lower(),
                "fields": {},
            }
            self.forms.append(self._form)
            return
        name = attrs.get("name")
        if self._form is None:
            return
        if tag == "option" and self._select is not None:
            value = attrs.get("value", "")
            self._select["options"].append(value)
            if "selected" in attrs:
                self._select["values"].append(value)
        elif not name or name == "csrfmiddlewaretoken":
            return
        elif tag == "input":
            kind = (attrs.get("type") or "text").lower()
            found = self._field(name)
            if kind in ("checkbox", "radio"):
                found["options"].append(attrs.get("value", "on"))
                if "checked" in attrs:
                    found["values"].append(attrs.get("value", "on"))
            elif attrs.get("value"):
                found["values"].append(attrs["value"])
        elif tag == "button":
            self._field(name)["options"].append(attrs.get("value", ""))
        elif tag == "select":
            self._select = self._field(name)
        elif tag == "textarea":
            self._textarea = self._field(name)
            self._textarea["values"].append("")

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea["values"][-1] += data


def read_form(html: str, action: str, page: str) -> dict:
    """The fields of the form on the page that sends to ``action``."""
    reader = FormReader()
    reader.feed(html)
    target_path = action.split("?")[0]
    candidates = [
        form
        for form in reader.forms
        if (form["action"].split("?")[0] or page.split("?")[0]) == target_path and form["fields"]
    ]
    assert candidates, f"no form on {page} sends to {action}"
    fields = {}
    for form in candidates:
        fields.update(form["fields"])
    return fields


def current_values(fields: dict) -> dict:
    """What the page would send untouched (its pre-filled answers)."""
    values = {}
    for name, found in fields.items():
        if len(found["values"]) == 1:
            values[name] = found["values"][0]
        elif found["values"]:
            values[name] = found["values"]
    return values


# --- The place: people, a case, groups ---------------------------------------------------------


@pytest.fixture
def place(settings):
    settings.REFERRAL_MIN_SECONDS_TO_FILL = 0
    settings.REFERRAL_SUBMIT_RATE = "100000/h"
    settings.REMINDER_LINK_RATE = "100000/h"
    # The default team, as every configured service has one (else a referral from an area
    # no team covers is a configuration error: referrals.services.intake.NoTeamAvailable).
    north = TeamFactory(name="North", postcode_districts=["B12"], is_default=True)
    keyworker = enable_mfa(UserFactory(team=north, roles={Role.KEYWORKER}))
    people = {
        "keyworker": keyworker,
        "team_lead": enable_mfa(UserFactory(team=north, roles={Role.TEAM_LEAD})),
        "service_admin": enable_mfa(
            UserFactory(team=None, roles={Role.SERVICE_ADMIN}, is_staff=True)
        ),
        "data_protection": enable_mfa(UserFactory(team=None, roles={Role.DATA_PROTECTION})),
    }
    UserFactory(team=north, roles={Role.KEYWORKER})  # someone to assign cases to
    case = ReferralFactory(
        team=north, assigned_to=keyworker, status=Status.CONTACTING,
        safe_channels=["sms", "email", "call"], email="her@example.org", needs_childcare=True,
        children_count=1, children_ages=[4],
    )  # fmt: skip
    venue, programme = VenueFactory(), ProgrammeFactory()
    series = create_weekly_series(
        programme=programme, venue=venue, facilitator=keyworker,
        first_date=timezone.localdate() + timedelta(days=7), start_time=time(10, 0),
        duration_minutes=120, weeks=3, skip_dates=[], capacity=10, creche_places=2,
        booking_cutoff_hours=2,
    )  # fmt: skip
    session = series.sessions.order_by("starts_at").first()
    request = keyworker
    booking = book_client(actor=request, referral=case, session=session)
    book_client(actor=request, referral=ReferralFactory(team=north), session=session)
    last_session = series.sessions.order_by("starts_at").last()
    future_booking = book_client(
        actor=request, referral=ReferralFactory(team=north), session=last_session
    )
    # The first session has happened (its register can be taken); the others are to come.
    started = timezone.now() - timedelta(hours=3)
    type(session).objects.filter(pk=session.pk).update(
        starts_at=started, ends_at=started + timedelta(hours=2),
        booking_cutoff=started - timedelta(hours=2),
    )  # fmt: skip
    session.refresh_from_db()

    public = Client()
    complete(public, SELF, SELF_STEPS[:-1])
    complete(public, PROFESSIONAL, PROFESSIONAL_STEPS[:-1], PROFESSIONAL_CONSENT)
    browsers = {"anonymous": public}
    for who, user in people.items():
        browsers[who] = Client()
        browsers[who].force_login(user)
    urdu_case = ReferralFactory(
        team=north, assigned_to=keyworker, status=Status.CONTACTING, preferred_language="ur",
        needs_interpreter=True, needs_childcare=True, children_count=2, children_ages=[1, 4],
    )  # fmt: skip
    interpreter_request = request_interpreter(
        actor=people["service_admin"], session=series.sessions.order_by("starts_at")[1],
        language="pl",
    )  # fmt: skip
    return {
        "browsers": browsers,
        "case": case,
        "urdu_case": urdu_case,
        "interpreter_request": interpreter_request,
        "session": session,
        "later_session": series.sessions.order_by("starts_at")[1],
        "series": series,
        "venue": venue,
        "programme": programme,
        "booking": booking,
        "future_booking": future_booking,
        "north": north,
    }


# --- The forms ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    who: str
    page: Callable[[dict], str]  # where the form is shown
    action: Callable[[dict], str] | None = None  # where it is sent (default: its page)
    valid: Callable[[dict], dict] = lambda place: {}  # a valid answer for each field
    method: str = "post"
    after: Callable[[Client, dict], list] | None = None  # requests that read what was saved
    extra: dict = field(default_factory=dict)  # query parameters a GET form page reads
    fixed: Callable[[dict], dict] = lambda place: {}  # sent as they are, never fuzzed


# The professional's agreement step also needs her confirmation that the woman agreed.
OVERRIDES = {
    "public:self_referral_step": {},
    "public:professional_referral_step": PROFESSIONAL_CONSENT,
}


def wizard_step(wizard, step):
    def valid(place):
        answers = {**VALID_ANSWERS[step], **OVERRIDES[wizard["url_name"]].get(step, {})}
        return {f"{step}-{name}": value for name, value in answers.items()}

    def fixed(place):
        # formtools' own field, naming the step; tampering with it is its own test below.
        return {f"{wizard['prefix']}-current_step": step}

    def after(client, place):
        # What she typed is shown back on the check page, and the check step submits it.
        return [
            client.get(step_url(wizard, "check")),
            client.post(step_url(wizard, "check"), {f"{wizard['prefix']}-current_step": "check"}),
        ]

    return Target(
        "anonymous", lambda place: step_url(wizard, step), valid=valid, after=after, fixed=fixed
    )


def case_url(name):
    return lambda place: reverse(name, args=[place["case"].pk])


CASE_PAGE = case_url("referrals:case_detail")

TARGETS = {
    **{f"self referral: {step}": wizard_step(SELF, step) for step in SELF_STEPS},
    **{
        f"professional referral: {step}": wizard_step(PROFESSIONAL, step)
        for step in ("referrer", "agreement", "check")
    },
    "sign in": Target(
        "anonymous",
        lambda place: reverse("account_login"),
        valid=lambda place: {"login": "nobody@haven.test", "password": "not-the-password"},
    ),
    "password reset": Target(
        "anonymous",
        lambda place: reverse("account_reset_password"),
        valid=lambda place: {"email": "nobody@haven.test"},
    ),
    "case: status": Target(
        "keyworker",
        CASE_PAGE,
        case_url("referrals:case_change_status"),
        valid=lambda place: {"target": "assessment"},
    ),
    "case: contact attempt": Target(
        "keyworker",
        CASE_PAGE,
        case_url("referrals:case_record_contact"),
        valid=lambda place: {"channel": "sms", "outcome": "no_answer", "note": "Rang."},
    ),
    "case: note": Target(
        "keyworker",
        CASE_PAGE,
        case_url("referrals:case_add_note"),
        valid=lambda place: {"text": "Hi."},
    ),
    "case: next contact": Target(
        "keyworker",
        CASE_PAGE,
        case_url("referrals:case_next_contact"),
        valid=lambda place: {"on": "2031-01-01"},
    ),
    "case: assign": Target("team_lead", CASE_PAGE, case_url("referrals:case_assign")),
    "booking": Target(
        "keyworker",
        lambda place: (
            reverse("sessions_booking:book_sessions", args=[place["case"].pk])
            + f"?programme={place['programme'].pk}"
        ),
        case_url("sessions_booking:case_book"),
        valid=lambda place: {
            "session": str(place["later_session"].pk),
            "children_in_creche": "1",
            "children_ages": "4",
            "programme": str(place["programme"].pk),
        },
    ),
    "booking with an interpreter": Target(
        "keyworker",
        lambda place: (
            reverse("sessions_booking:book_sessions", args=[place["urdu_case"].pk])
            + f"?programme={place['programme'].pk}"
        ),
        lambda place: reverse("sessions_booking:case_book", args=[place["urdu_case"].pk]),
        valid=lambda place: {
            "session": str(place["later_session"].pk),
            "children_in_creche": "2",
            "children_ages": "4",
            "children_dates_of_birth": (
                timezone.localdate().replace(day=1) - timedelta(days=400)
            ).strftime("%d/%m/%Y"),
            "request_interpreter": "on",
            "interpreter_mode": "telephone",
            "female_interpreter": "on",
            "programme": str(place["programme"].pk),
        },
    ),
    "interpreter: request": Target(
        "service_admin",
        lambda place: reverse(
            "sessions_booking:setup_interpreter_create", args=[place["later_session"].pk]
        ),
        valid=lambda place: {"language": "ur", "mode": "face_to_face"},
    ),
    "interpreter: the agency's answer": Target(
        "service_admin",
        lambda place: reverse(
            "sessions_booking:setup_interpreter_edit", args=[place["interpreter_request"].pk]
        ),
        valid=lambda place: {"status": "booked", "agency_reference": "LB-1"},
    ),
    "attendance": Target(
        "keyworker",
        lambda place: reverse("sessions_booking:session_roster", args=[place["session"].pk]),
        lambda place: reverse("sessions_booking:session_attendance", args=[place["session"].pk]),
        valid=lambda place: {f"booking_{place['booking'].pk}": "attended"},
    ),
    "venue: new": Target(
        "service_admin",
        lambda place: reverse("sessions_booking:setup_venue_create"),
        valid=lambda place: {"name": "Oak Centre", "address": "3 Oak Road", "is_active": "on"},
    ),
    "venue: change": Target(
        "service_admin",
        lambda place: reverse("sessions_booking:setup_venue_edit", args=[place["venue"].pk]),
    ),
    "programme: new": Target(
        "service_admin",
        lambda place: reverse("sessions_booking:setup_programme_create"),
        valid=lambda place: {
            "name": "Drop-in",
            "description": "Come along.",
            "women_only": "on",
            "default_capacity": "15",
            "default_creche_places": "2",
            "reminder_offsets_hours": "48, 2",
            "is_active": "on",
        },
    ),
    "programme: change": Target(
        "service_admin",
        lambda place: reverse(
            "sessions_booking:setup_programme_edit", args=[place["programme"].pk]
        ),
    ),
    "session: new": Target(
        "service_admin",
        lambda place: reverse("sessions_booking:setup_session_create"),
        valid=lambda place: {
            "programme": str(place["programme"].pk),
            "venue": str(place["venue"].pk),
            "facilitator": "",
            "day": (timezone.localdate() + timedelta(days=30)).isoformat(),
            "start_time": "18:00",
            "end_time": "20:00",
            "capacity": "9",
            "creche_places": "2",
            "booking_cutoff_hours": "2",
        },
    ),
    "session: change": Target(
        "service_admin",
        lambda place: reverse(
            "sessions_booking:setup_session_edit", args=[place["later_session"].pk]
        ),
    ),
    "series: new": Target(
        "service_admin",
        lambda place: reverse("sessions_booking:setup_series_create"),
        valid=lambda place: {
            "programme": str(place["programme"].pk),
            "venue": str(place["venue"].pk),
            "facilitator": "",
            "first_date": (timezone.localdate() + timedelta(days=40)).isoformat(),
            "start_time": "18:00",
            "duration_minutes": "120",
            "weeks": "4",
            "skip_dates": "",
            "capacity": "9",
            "creche_places": "2",
            "booking_cutoff_hours": "2",
        },
    ),
    "series: change": Target(
        "service_admin",
        lambda place: reverse("sessions_booking:setup_series_edit", args=[place["series"].pk]),
    ),
    "message wording": Target(
        "service_admin",
        lambda place: reverse("sessions_booking:setup_message_edit", args=["pl", "discreet"]),
    ),
    "invite": Target(
        "service_admin",
        lambda place: reverse("accounts:invite"),
        valid=lambda place: {
            "full_name": "Beata Nowak",
            "email": "beata.nowak@haven.test",
            "role": "keyworker",
            "team": str(place["north"].pk),
        },
    ),
    "her reminder link": Target(
        "anonymous", lambda place: issue_link_path(place), valid=lambda place: {"action": "confirm"}
    ),
    "data protection: subject access copy": Target(
        "data_protection",
        case_url("dataprotection:subject_access"),
        valid=lambda place: {
            "request_reference": "SAR-2026-014",
            "reason": "She asked in writing.",
            "format": "json",
        },
    ),
    "data protection: erase": Target(
        "data_protection",
        case_url("dataprotection:erase"),
        valid=lambda place: {
            "reason": "She asked in writing.",
            "confirm_reference": place["case"].reference,
        },
    ),
    "data protection: run retention": Target(
        "service_admin",
        lambda place: reverse("dataprotection:index"),
        lambda place: reverse("dataprotection:run_retention"),
    ),
    # Forms filled in with GET.
    "caseload filters": Target("keyworker", lambda place: reverse("home:staff_home"), method="get"),
    "team cases filters": Target(
        "team_lead", lambda place: reverse("home:staff_home"), method="get"
    ),
    "audit log filters": Target(
        "team_lead", lambda place: reverse("referrals:audit_log"), method="get"
    ),
    "dashboard filters, team": Target(
        "team_lead", lambda place: reverse("reports:dashboard"), method="get"
    ),
    "dashboard filters, service": Target(
        "service_admin", lambda place: reverse("reports:dashboard"), method="get"
    ),
    "calendar": Target(
        "service_admin",
        lambda place: reverse("sessions_booking:setup_calendar"),
        method="get",
        extra={"week": None, "month": None, "date": None, "view": None},
    ),
    "new session from the calendar": Target(
        "service_admin",
        lambda place: reverse("sessions_booking:setup_session_create"),
        method="get",
        extra={"programme": None, "date": None},
    ),
    "data protection: find a case": Target(
        "service_admin", lambda place: reverse("dataprotection:index"), method="get"
    ),
    "booking page programme": Target(
        "keyworker",
        case_url("sessions_booking:book_sessions"),
        method="get",
        extra={"programme": None},
    ),
}


def issue_link_path(place):
    return urlsplit(issue_link(place["future_booking"])).path


@pytest.mark.parametrize("name", sorted(TARGETS))
def test_no_form_answers_with_a_server_error(place, name):
    target = TARGETS[name]
    client = place["browsers"][target.who]
    page = target.page(place)
    action = target.action(place) if target.action else page
    shown = client.get(page)
    assert shown.status_code == 200, page
    if target.method == "get":
        fields = {param: {"values": [], "options": []} for param in target.extra}
        fields.update(get_form_fields(shown.content.decode()))
    else:
        fields = read_form(shown.content.decode(), action, page)
    valid = {**current_values(fields), **target.valid(place)}
    fixed = target.fixed(place)
    for fixed_name in fixed:
        fields.pop(fixed_name, None)
        valid.pop(fixed_name, None)
    url = action if target.method == "post" else page.split("?")[0]

    @FUZZ_SETTINGS
    @given(payload=payloads(fields, valid))
    def fuzz(payload):
        payload = {**payload, **fixed}
        with transaction.atomic():
            if target.method == "get":
                responses = [client.get(url, payload)]
            else:
                body = urlencode(payload, doseq=True)
                responses = [
                    client.post(url, body, content_type="application/x-www-form-urlencoded")
                ]
                if target.after:
                    responses += target.after(client, place)
            transaction.set_rollback(True)
        for response in responses:
            assert response.status_code < 500, response.status_code

    fuzz()


def get_form_fields(html: str) -> dict:
    """The fields of the GET forms on a page (filters), if it has any."""
    reader = FormReader()
    reader.feed(html)
    fields = {}
    for form in reader.forms:
        if form["method"] == "get":
            fields.update(form["fields"])
    return fields


@pytest.mark.parametrize("wizard", [SELF, PROFESSIONAL], ids=["self", "professional"])
@pytest.mark.parametrize("current_step", ["0", "no-such-step", ""])
def test_a_tampered_step_name_in_the_wizard_is_not_a_server_error(place, wizard, current_step):
    """formtools' hidden ``current_step`` field names the step being posted; a value that is
    no step of the wizard must be refused, not end in a KeyError (found by the fuzzing)."""
    browser = Client(raise_request_exception=False)
    assert browser.get(step_url(wizard, "contact")).status_code == 200  # past the first step
    response = browser.post(
        step_url(wizard, "contact"),
        {f"{wizard['prefix']}-current_step": current_step, "contact-safe_channels": "sms"},
    )
    assert response.status_code < 500
    assert browser.get(step_url(wizard, "contact")).status_code == 200


@pytest.mark.parametrize("programme", ["x", " ", "1.5", "١"])
def test_a_programme_that_is_not_a_number_is_not_a_server_error(place, programme):
    """The booking page reads ``?programme=`` (and, when a booking is refused, the posted
    ``programme``) as a programme's id; anything else must not end in a ValueError (found by
    the fuzzing)."""
    browser = Client(raise_request_exception=False)
    browser.force_login(place["case"].assigned_to)
    page = browser.get(
        reverse("sessions_booking:book_sessions", args=[place["case"].pk]), {"programme": programme}
    )
    assert page.status_code < 500
    refused = browser.post(
        reverse("sessions_booking:case_book", args=[place["case"].pk]),
        {"programme": programme, "session": ""},
    )
    assert refused.status_code < 500
