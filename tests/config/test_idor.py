"""IDOR sweep: every URL with an id, a token or a key in it, read from the URL configuration.

Each such URL is classified below, and ``test_every_url_with_a_parameter_is_classified``
fails for a new one until someone says who may use it. For a staff page naming an object,
everyone signed in (with MFA) who may not use it - each other role, and staff of another
team - gets 404 on GET and on POST (405 only where the view refuses that method to
everyone), nothing changes and nothing is audited; those who may use it are not refused, so
the 404s cannot come from a broken fixture. Unknown ids are 404 for everyone.

The other parameters: her reminder link (``/r/<token>/``: an unknown token is 404 whoever
asks), the referral wizards' step names (only ever your own answers), allauth's keys (a key
for one account never opens another) and the Django admin (service admins only; anyone else
is sent to its sign-in, which refuses them: ``tests/accounts/test_admin_site.py``).
"""

from dataclasses import dataclass, field
from datetime import time, timedelta

import pytest
from allauth.account.forms import default_token_generator
from allauth.account.models import EmailAddress
from allauth.account.utils import user_pk_to_url_str
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import Team, User
from core.models import AuditEvent
from core.permissions import Role
from partners.models import (
    OnwardReferral,
    OnwardReferralStep,
    PartnerOrganisation,
    PartnerService,
    RiskAssessment,
    SupportNeed,
)
from partners.services import support
from referrals.models import CaseNote, ContactAttempt, Referral
from referrals.views.public import ProfessionalReferralWizard, SelfReferralWizard
from sessions_booking.models import (
    Booking,
    BookingLink,
    GroupSession,
    MessageTemplate,
    Programme,
    Reminder,
    SessionSeries,
    Venue,
)
from sessions_booking.services.booking import book_client
from sessions_booking.services.interpreters import request_interpreter
from sessions_booking.services.links import issue_link
from sessions_booking.services.scheduling import create_weekly_series
from tests.support.factories import (
    TEST_PASSWORD,
    ProgrammeFactory,
    ReferralFactory,
    UserFactory,
    VenueFactory,
    enable_mfa,
    partner_service,
)
from tests.support.referral_journey import SELF, post_step
from tests.support.urls import Route, all_routes

pytestmark = pytest.mark.django_db

UNKNOWN_PK = 987_654_321
# Everyone in the world who can sign in and has MFA (``no_mfa`` is swept by
# test_staff_access: every /staff/ URL sends her to set up MFA first).
STAFF = [
    "keyworker",  # her keyworker; also facilitates the session she is booked into
    "other_keyworker",  # same team, not hers
    "team_lead",  # her team's lead
    "other_team_lead",  # another team
    "south_keyworker",  # another team
    "service_admin",  # no team, no case access
    "data_protection",  # no team; her subject access copy and erasure only
]


# --- The URL configuration ----------------------------------------------------------------


def routes_with_parameters() -> list[Route]:
    found = [route for route in all_routes() if route.parameters]
    assert len(found) >= 25
    return found


# --- Who may use which object page -------------------------------------------------------


@dataclass(frozen=True)
class Rule:
    obj: str  # the key in the sweep world whose pk fills the URL (or "args:..." below)
    permitted: frozenset[str]
    data: dict = field(default_factory=dict)  # a POST that would act, were it let through


HERS = frozenset({"keyworker", "team_lead"})  # her keyworker and her team's lead
ROSTER = frozenset({"keyworker", "service_admin"})  # the facilitator and service admins
ADMINS = frozenset({"service_admin"})
DATA_PROTECTION = frozenset({"data_protection"})
SUBJECT_ACCESS_REQUEST = {"request_reference": "SAR-1", "reason": "By letter.", "format": "json"}

OBJECT_PAGES = {
    "referrals:case_detail": Rule("own_case", HERS),
    "referrals:case_pick_up": Rule("own_case", HERS),
    "referrals:case_assign": Rule("own_case", HERS, {"keyworker": "{other_keyworker}"}),
    "referrals:case_change_status": Rule(
        "own_case", HERS, {"target": "closed", "closed_reason": "other"}
    ),
    "referrals:case_record_contact": Rule(
        "own_case", HERS, {"channel": "sms", "outcome": "no_answer"}
    ),
    "referrals:case_add_note": Rule("own_case", HERS, {"text": "Seen by someone who should not."}),
    "referrals:case_next_contact": Rule("own_case", HERS, {"on": "2031-01-01"}),
    "sessions_booking:book_sessions": Rule("own_case", HERS),
    "sessions_booking:case_book": Rule(
        "own_case", HERS, {"session": "{later_session}", "children_in_creche": 0}
    ),
    "sessions_booking:booking_cancel": Rule("booking", HERS),
    "sessions_booking:booking_ics": Rule("booking", HERS),
    "sessions_booking:reminder_resend": Rule("reminder", HERS),
    "sessions_booking:session_roster": Rule("session", ROSTER),
    "sessions_booking:session_attendance": Rule(
        "session", ROSTER, {"booking_{booking}": "attended"}
    ),
    "accounts:deactivate": Rule("target", ADMINS),
    "accounts:roles": Rule("target", ADMINS, {"roles": "service_admin"}),
    "sessions_booking:setup_venue_edit": Rule(
        "venue", ADMINS, {"name": "Renamed", "address": "1 New Street"}
    ),
    "sessions_booking:setup_programme_edit": Rule("programme", ADMINS, {"name": "Renamed"}),
    "sessions_booking:setup_session_detail": Rule("session", ADMINS),
    "sessions_booking:setup_session_edit": Rule("session", ADMINS, {"capacity": "3"}),
    "sessions_booking:setup_session_cancel": Rule("session", ADMINS),
    "sessions_booking:setup_series_edit": Rule("series", ADMINS, {"capacity": "3"}),
    "sessions_booking:setup_interpreter_create": Rule("session", ADMINS, {"language": "pl"}),
    "sessions_booking:setup_interpreter_edit": Rule(
        "interpreter_request", ADMINS, {"status": "booked", "mode": "telephone"}
    ),
    "sessions_booking:setup_message_edit": Rule(
        "args:pl/discreet", ADMINS, {"subject": "x", "text": "{{when}} {{where}}", "action": "save"}
    ),
    "partners:support_plan": Rule("own_case", HERS),
    "partners:record_need": Rule("own_case", HERS, {"kind": "housing", "source": "assessment"}),
    "partners:need_from_referral": Rule("own_case", HERS, {"kind": "housing"}),
    "partners:close_need": Rule("own_case+need", HERS),
    "partners:refer": Rule(
        "own_case",
        HERS,
        {
            "need": "{need}",
            "service": "{partner_service}",
            "shared_details": "name",
            "consent_given": "on",
            "sent_on": "2026-01-05",
        },
    ),
    "partners:record_step": Rule(
        "own_case+onward",
        HERS,
        {"step-{onward}-status": "withdrawn", "step-{onward}-on": "2026-01-05"},
    ),
    "partners:chase": Rule("own_case+onward", HERS),
    "partners:record_risk": Rule(
        "own_case", HERS, {"tool": "dash_ric", "assessed_on": "2026-01-05", "level": "high"}
    ),
    "partners:service_edit": Rule(
        "partner_service",
        ADMINS,
        {
            "organisation": "{partner_organisation}",
            "name": "Renamed",
            "kind": "housing",
            "local_authorities": "Walsall",
            "how_to_refer": "phone",
            "referral_contact": "0121",
            "usual_wait_days": "3",
        },
    ),
    "partners:organisation_edit": Rule("partner_organisation", ADMINS, {"name": "Renamed"}),
    "dataprotection:subject_access": Rule("own_case", DATA_PROTECTION, SUBJECT_ACCESS_REQUEST),
    "dataprotection:erase": Rule("own_case", DATA_PROTECTION, {"reason": "She asked in writing."}),
}
# Parameters that are not an object's id, each with its own test below.
OTHER_PARAMETERS = {
    "sessions_booking:booking_link": "test_an_unknown_booking_link_is_404_whoever_asks",
    "public:self_referral_step": "test_wizard_steps_only_ever_show_your_own_answers",
    "public:professional_referral_step": "test_wizard_steps_only_ever_show_your_own_answers",
    "account_reset_password_from_key": "test_a_reset_key_opens_only_its_own_account",
    "account_confirm_email": "test_an_unknown_email_confirmation_key_is_refused",
    "reports:table_csv": "test_dashboard_tables_are_named_and_cover_only_your_own_scope",
}
ADMIN_NAMESPACE = "admin"  # test_the_django_admin_object_pages_are_for_service_admins_only


def test_every_url_with_a_parameter_is_classified():
    routes = routes_with_parameters()
    keys = {route.key for route in routes if route.namespace != ADMIN_NAMESPACE}
    classified = set(OBJECT_PAGES) | set(OTHER_PARAMETERS)
    assert keys - classified == set(), "classify these URLs in tests/config/test_idor.py"
    assert classified - keys == set(), "these URLs no longer exist: remove them here"
    assert any(route.namespace == ADMIN_NAMESPACE for route in routes)


@pytest.fixture
def sweep(request):
    """the staff world (tests/conftest.py) (two teams, her keyworker, her own case and a queued one)
    plus a keyworker of the other team, a weekly group she is booked into (facilitated by
    her keyworker), a reminder, a venue and programme, a staff member to deactivate."""
    base = request.getfixturevalue("staff_world")  # tests/conftest.py
    people = base["people"]
    south = people["other_team_lead"].team
    people["south_keyworker"] = enable_mfa(UserFactory(team=south, roles={Role.KEYWORKER}))
    venue, programme = VenueFactory(), ProgrammeFactory()
    series = create_weekly_series(
        programme=programme, venue=venue, facilitator=people["keyworker"],
        first_date=timezone.localdate() + timedelta(days=7), start_time=time(10, 0),
        duration_minutes=120, weeks=2, skip_dates=[], capacity=10, creche_places=2,
        booking_cutoff_hours=2,
    )  # fmt: skip
    session, later_session = series.sessions.order_by("starts_at")
    by_her_keyworker = people["keyworker"]
    booking = book_client(actor=by_her_keyworker, referral=base["own_case"], session=session)
    reminder = booking.reminders.first()
    assert reminder is not None
    partner = partner_service(name="Talking Therapies", teams=[people["keyworker"].team])
    need, onward = need_and_partner_referral(base["own_case"], people["keyworker"], partner)
    colleagues_case = ReferralFactory(
        team=people["keyworker"].team, assigned_to=people["other_keyworker"], status="active"
    )
    colleagues_need, colleagues_onward = need_and_partner_referral(
        colleagues_case, people["other_keyworker"], partner
    )
    interpreter_request = request_interpreter(
        actor=people["service_admin"], session=session, language="ur"
    )
    objects = {
        "own_case": base["own_case"],
        "booking": booking,
        "reminder": reminder,
        "session": session,
        "later_session": later_session,
        "interpreter_request": interpreter_request,
        "series": series,
        "venue": venue,
        "programme": programme,
        "target": UserFactory(team=people["keyworker"].team, roles={Role.KEYWORKER}),
        "other_keyworker": people["other_keyworker"],
        "partner_service": partner,
        "partner_organisation": partner.organisation,
        "need": need,
        "onward": onward,
        "colleagues_need": colleagues_need,
        "colleagues_onward": colleagues_onward,
    }
    return {"people": people, "objects": objects}


def url_for(name, rule, sweep, *, unknown=False):
    if rule.obj.startswith("args:"):
        args = ["xx", "yy"] if unknown else rule.obj.removeprefix("args:").split("/")
    elif "+" in rule.obj:  # her case, then something on it
        keys = rule.obj.split("+")
        args = [UNKNOWN_PK] * len(keys) if unknown else [sweep["objects"][k].pk for k in keys]
    else:
        args = [UNKNOWN_PK if unknown else sweep["objects"][rule.obj].pk]
    return reverse(name, args=args)


def post_data(rule, sweep):
    pks = {key: obj.pk for key, obj in sweep["objects"].items()}
    return {key.format(**pks): str(value).format(**pks) for key, value in rule.data.items()}


def state():
    """Everything a page named by an id could change, and the audit log."""
    tables = [Referral, CaseNote, ContactAttempt, Booking, Reminder, BookingLink, GroupSession,
              SessionSeries, Venue, Programme, MessageTemplate, Team, EmailAddress, SupportNeed,
              OnwardReferral, OnwardReferralStep, RiskAssessment, PartnerService,
              PartnerOrganisation]  # fmt: skip
    snapshot = {model.__name__: list(model.objects.order_by("pk").values()) for model in tables}
    snapshot["User"] = list(
        User.objects.order_by("pk").values("pk", "is_active", "team", "password")
    )
    snapshot["audit"] = AuditEvent.objects.count()
    return snapshot


def signed_in(people, who) -> Client:
    browser = Client()
    browser.force_login(people[who])
    return browser


def call(browser, method, url, data):
    return browser.get(url) if method == "get" else browser.post(url, data)


@pytest.mark.parametrize("name", sorted(OBJECT_PAGES))
def test_object_pages_are_404_for_everyone_who_may_not_use_them(sweep, name):
    rule = OBJECT_PAGES[name]
    people = sweep["people"]
    url, unknown_url = url_for(name, rule, sweep), url_for(name, rule, sweep, unknown=True)
    data = post_data(rule, sweep)
    someone_permitted = signed_in(people, sorted(rule.permitted)[0])
    # A method the view refuses to everyone (405 before any lookup) reveals nothing.
    refused_to_all = {
        method for method in ("get", "post")
        if call(someone_permitted, method, unknown_url, data).status_code == 405
    }  # fmt: skip
    assert refused_to_all != {"get", "post"}, name
    hidden = {method: 405 if method in refused_to_all else 404 for method in ("get", "post")}

    before = state()
    for who in STAFF:
        if who in rule.permitted:
            continue
        browser = signed_in(people, who)
        for method in ("get", "post"):
            response = call(browser, method, url, data)
            assert response.status_code == hidden[method], (who, method, url)
    for who in STAFF:  # unknown ids: 404 for everyone, permitted or not
        browser = signed_in(people, who)
        for method in ("get", "post"):
            response = call(browser, method, unknown_url, data)
            assert response.status_code == hidden[method], (who, method, unknown_url)
    assert state() == before, "a refused request changed something or was audited"

    # Those who may use it are let through (GET first, then the POST, which may act).
    for who in sorted(rule.permitted):
        browser = signed_in(people, who)
        for method in ("get", "post"):
            if method in refused_to_all:
                continue
            response = call(browser, method, url, data)
            assert response.status_code in (200, 302, 400), (who, method, url)


def need_and_partner_referral(case, keyworker, partner):
    need = support.record_need(
        actor=keyworker, referral_id=case.pk, kind="mental_health", source="referral"
    )
    onward = support.refer_onward(
        actor=keyworker, referral_id=case.pk, need_id=need.pk, service_id=partner.pk,
        shared_details=["name"], consent_given=True, sent_on=timezone.localdate(),
    )  # fmt: skip
    return need, onward


@pytest.mark.parametrize(
    ("name", "foreign"),
    [("partners:close_need", "colleagues_need"), ("partners:record_step", "colleagues_onward"),
     ("partners:chase", "colleagues_onward")],
)  # fmt: skip
def test_a_need_or_partner_referral_named_through_another_case_is_404(sweep, name, foreign):
    """Her own case's address with a colleague's need or partner referral in it: 404 for
    her keyworker and her team's lead, and nothing changes."""
    objects = sweep["objects"]
    url = reverse(name, args=[objects["own_case"].pk, objects[foreign].pk])
    before = state()
    for who in ("keyworker", "team_lead"):
        response = signed_in(sweep["people"], who).post(url, {})
        assert response.status_code == 404, (who, url)
    assert state() == before


# --- Her reminder link ---------------------------------------------------------------------


@pytest.mark.parametrize("who", ["anonymous", *STAFF])
def test_an_unknown_booking_link_is_404_whoever_asks(sweep, settings, who):
    settings.REMINDER_LINK_RATE = "1000/h"
    booking = sweep["objects"]["booking"]
    token = issue_link(booking).rstrip("/").rsplit("/", 1)[-1]
    changed = ("B" if token[0] != "B" else "C") + token[1:]
    browser = Client() if who == "anonymous" else signed_in(sweep["people"], who)
    before = state()
    for unknown in (changed, token[:-1], token + "A", "A" * 12, str(booking.pk)):
        url = reverse("sessions_booking:booking_link", args=[unknown])
        assert browser.get(url).status_code == 404, (who, unknown)
        for action in ("confirm", "cancel"):
            assert browser.post(url, {"action": action}).status_code == 404, (who, unknown)
    assert state() == before
    # The real token still works (so the 404s are about the token, not the page).
    assert browser.get(reverse("sessions_booking:booking_link", args=[token])).status_code == 200


# --- Dashboard tables -----------------------------------------------------------------------

REPORT_READERS = {"team_lead", "other_team_lead", "service_admin"}


@pytest.mark.parametrize("who", ["anonymous", *STAFF])
def test_dashboard_tables_are_named_and_cover_only_your_own_scope(sweep, who):
    """``/staff/reports/<table>.csv`` names a table, not a case: those who may read the
    dashboard get their own scope's figures (a team lead's team, whatever she asks for),
    everyone else 404, and an unknown table is 404 for all."""
    people = sweep["people"]
    browser = Client() if who == "anonymous" else signed_in(people, who)
    north = people["team_lead"].team
    url = reverse("reports:table_csv", args=["caseloads"])
    today = timezone.localdate()
    asked = {"team": north.pk, "start": today - timedelta(days=7), "end": today}
    response = browser.get(url, asked)
    unknown = browser.get(reverse("reports:table_csv", args=["no-such-table"]))
    if who == "anonymous":
        assert response.status_code == 302
        assert unknown.status_code == 302
        return
    assert unknown.status_code == 404
    if who not in REPORT_READERS:
        assert response.status_code == 404
        return
    assert response.status_code == 200
    text = response.content.decode("utf-8-sig")
    her_keyworker = people["keyworker"].full_name
    # The other team's lead asked for North and got her own team; North's lead and the
    # service admin (who may choose a team) see North's keyworkers' workloads.
    assert (her_keyworker in text) == (who != "other_team_lead")
    assert people["other_team_lead"].full_name in text or who != "other_team_lead"


# --- The referral wizards' steps ----------------------------------------------------------


def wizard_step_urls():
    urls = []
    for url_name, wizard in (
        ("public:self_referral_step", SelfReferralWizard),
        ("public:professional_referral_step", ProfessionalReferralWizard),
    ):
        steps = [step for step, _form in wizard.form_list]
        urls += [reverse(url_name, args=[step]) for step in [*steps, "done", "no-such-step"]]
    return urls


@pytest.mark.parametrize("who", ["anonymous", *STAFF])
def test_wizard_steps_only_ever_show_your_own_answers(sweep, who):
    """The step in the URL names a page, never someone's answers: another visitor (or a
    member of staff) opening any step sees none of hers."""
    her = Client()
    name = "Zofiaunique"
    about = {
        "preferred_name": name, "full_name": "Zofia Unique-Surname", "age_range": "25_34",
        "postcode": "b12 9ql", "local_authority": "",
    }  # fmt: skip
    assert post_step(her, SELF, "about", about).status_code == 302
    assert name in her.get(reverse("public:self_referral_step", args=["about"])).content.decode()

    browser = Client() if who == "anonymous" else signed_in(sweep["people"], who)
    for url in wizard_step_urls():
        response = browser.get(url, follow=True)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert name not in html, url
        assert "Unique-Surname" not in html, url


# --- allauth's keys -------------------------------------------------------------------------


def reset_key_url(uid_user, key_user):
    key = default_token_generator.make_token(key_user)
    return reverse(
        "account_reset_password_from_key",
        kwargs={"uidb36": user_pk_to_url_str(uid_user), "key": key},
    )


@pytest.mark.parametrize("who", ["anonymous", *STAFF])
def test_a_reset_key_opens_only_its_own_account(sweep, who):
    people = sweep["people"]
    victim = people["team_lead"]
    attacker_target = sweep["objects"]["target"]
    browser = Client() if who == "anonymous" else signed_in(people, who)
    new_password = "a-brand-new-password-9"
    forged = [
        reset_key_url(victim, attacker_target),  # someone else's key, her id
        reset_key_url(victim, victim)[:-3] + "xx/",  # her id, a tampered key
        reverse(
            "account_reset_password_from_key", kwargs={"uidb36": "zzzz", "key": "set-password"}
        ),
    ]
    for url in forged:
        page = browser.get(url, follow=True)
        assert page.status_code in (200, 400, 404), url
        assert 'name="password1"' not in page.content.decode(), url
        response = browser.post(url, {"password1": new_password, "password2": new_password})
        assert response.status_code in (200, 302, 400, 404), url
    victim.refresh_from_db()
    assert victim.check_password(TEST_PASSWORD)
    assert not victim.check_password(new_password)

    # Her own, genuine key does show the form (so the refusals above are about the key).
    genuine = Client().get(reset_key_url(victim, victim), follow=True)
    assert 'name="password1"' in genuine.content.decode()


@pytest.mark.parametrize("who", ["anonymous", *STAFF])
def test_an_unknown_email_confirmation_key_is_refused(sweep, who):
    """allauth shows its "expired or invalid" page for an unknown key (200, with no form) and
    answers a POST to it with 404; nothing is confirmed."""
    browser = Client() if who == "anonymous" else signed_in(sweep["people"], who)
    before = state()
    for key in ("unknown-key", "1:abc:def", str(sweep["people"]["team_lead"].pk)):
        url = reverse("account_confirm_email", args=[key])
        page = browser.get(url)
        assert page.status_code == 200, (who, key)
        html = page.content.decode()
        assert "expired or is invalid" in html, (who, key)
        assert "<form" not in html.split('id="main-content"', 1)[-1], (who, key)
        assert browser.post(url).status_code == 404, (who, key)
    assert state() == before


# --- The Django admin -----------------------------------------------------------------------


def admin_url(route: Route, sweep) -> str:
    """The admin route filled with a real object of its model where it names one."""
    objects = {
        f"{model._meta.app_label}/{model._meta.model_name}/": model.objects.order_by("pk").first()
        for model in admin.site._registry
    }
    path = route.route
    obj = next((o for prefix, o in objects.items() if f"django-admin/{prefix}" in path), None)
    values = {
        "object_id": str(obj.pk) if obj is not None else "1",
        "id": str(obj.pk) if obj is not None else "1",
        "content_type_id": str(ContentType.objects.get_for_model(Team).pk),
        "app_label": "accounts",
        "url": "accounts/team/",
    }
    if route.name:
        kwargs = {name: values[name] for name in route.parameters}
        return reverse(f"admin:{route.name}", kwargs=kwargs)
    if "(?P<url>" in path:  # the admin's catch-all for unknown pages
        return "/django-admin/no-such-page/"
    return "/" + path.replace("<path:object_id>", values["object_id"])


def test_the_django_admin_object_pages_are_for_service_admins_only(sweep):
    routes = [r for r in routes_with_parameters() if r.namespace == ADMIN_NAMESPACE]
    assert len(routes) >= 20
    urls = [admin_url(route, sweep) for route in routes]
    people = sweep["people"]
    # Even with the admin flag, no one but a service admin gets in.
    User.objects.filter(pk=people["team_lead"].pk).update(is_staff=True)
    before = state()
    for who in STAFF:
        if who == "service_admin":
            continue
        browser = signed_in(people, who)
        for url in urls:
            for response in (browser.get(url), browser.post(url, {"post": "yes"})):
                assert response.status_code == 302, (who, url)
                assert response["Location"].startswith("/django-admin/login/"), (who, url)
        assert browser.get("/django-admin/login/").status_code == 403
    assert state() == before

    # A service admin opens the change page of each object she may view (so the ids above
    # are real ones and the refusals are about who asks).
    service_admin = people["service_admin"]
    admin_browser = signed_in(people, "service_admin")
    opened = 0
    for model in admin.site._registry:
        meta, obj = model._meta, model.objects.order_by("pk").first()
        may_view = service_admin.has_perm(f"{meta.app_label}.view_{meta.model_name}")
        if obj is None or not may_view:
            continue
        url = reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk])
        assert url in urls
        assert admin_browser.get(url).status_code == 200, url
        opened += 1
    assert opened >= 5
