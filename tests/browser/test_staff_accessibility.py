"""The staff pages pass axe-core (WCAG 2.2 A and AA) and reflow at 320 px, and a failed staff
form puts the focus on an error summary whose links lead to the fields."""

import pytest
from django.urls import reverse

from tests.browser.checks import assert_accessible, assert_reflows
from tests.support.factories import ReferralFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def world(world):
    """The data-protection world (tests/conftest.py), and someone in the team queue."""
    # Someone in the team queue, waiting to be picked up.
    world["new"] = ReferralFactory(team=world["team"], preferred_name="Queueing")
    return world


def check(page, where):
    assert_accessible(page, where)
    assert_reflows(page, 320)
    page.set_viewport_size({"width": 1280, "height": 900})


def assert_error_summary_has_focus_and_leads_to_fields(page):
    assert page.evaluate("document.activeElement.hasAttribute('data-error-summary')")
    targets = page.eval_on_selector_all(
        "[data-error-summary] a", "links => links.map(a => a.getAttribute('href'))"
    )
    assert targets, "the error summary links to no field"
    for target in targets:
        assert target != "#", "an error links nowhere"
        assert page.locator(target).count() == 1, f"{target} is not on the page"


def test_a_keyworkers_pages(world, live_server, staff_browser):
    page = staff_browser(world["keyworker"])
    her = world["her"]
    pages = [
        ("caseload", reverse("home:staff_home")),
        ("team queue", reverse("referrals:team_queue")),
        ("case page", reverse("referrals:case_detail", args=[her.pk])),
        ("case page, new referral", reverse("referrals:case_detail", args=[world["new"].pk])),
        (
            "cancel a booking?",
            reverse("sessions_booking:booking_cancel", args=[world["booking"].pk]),
        ),
        ("support plan", reverse("partners:support_plan", args=[her.pk])),
        ("partner directory", reverse("partners:directory")),
        (
            "booking page",
            reverse("sessions_booking:book_sessions", args=[her.pk])
            + f"?programme={world['session'].programme_id}",
        ),
    ]
    for where, path in pages:
        page.goto(live_server.url + path)
        check(page, where)

    # Book without choosing a session: the summary takes the focus and links to the first
    # session's radio button.
    with page.expect_navigation():
        page.click("form[action$='/book/'] button[type=submit]")
    assert_error_summary_has_focus_and_leads_to_fields(page)
    check(page, "booking page, with errors")

    # Record a contact attempt without saying how or what happened: two radio groups.
    page.goto(live_server.url + reverse("referrals:case_detail", args=[her.pk]))
    with page.expect_navigation():
        page.click("form[action$='/contact-attempts/'] button[type=submit]")
    assert_error_summary_has_focus_and_leads_to_fields(page)
    check(page, "case page, with errors")

    # Refer her to a partner without choosing anything: the summary leads to each field.
    page.goto(live_server.url + reverse("partners:support_plan", args=[her.pk]))
    with page.expect_navigation():
        page.click("button:has-text('Record referral')")
    assert_error_summary_has_focus_and_leads_to_fields(page)
    check(page, "support plan, with errors")


def test_the_admins_and_team_leads_pages(world, live_server, staff_browser):
    admin = staff_browser(world["admin"])
    session, her = world["session"], world["her"]
    for where, path in [
        ("groups calendar", reverse("sessions_booking:setup_calendar")),
        ("session", reverse("sessions_booking:setup_session_detail", args=[session.pk])),
        ("session roster", reverse("sessions_booking:session_roster", args=[session.pk])),
        ("venues", reverse("sessions_booking:setup_venues")),
        ("programmes", reverse("sessions_booking:setup_programmes")),
        ("new session", reverse("sessions_booking:setup_session_create")),
        ("messages", reverse("sessions_booking:setup_messages")),
        ("interpreters", reverse("sessions_booking:setup_interpreters")),
        ("partner directory, for admins", reverse("partners:directory")),
        ("new partner service", reverse("partners:service_new")),
        ("new partner organisation", reverse("partners:organisation_new")),
        (
            "request an interpreter",
            reverse("sessions_booking:setup_interpreter_create", args=[session.pk]),
        ),
        ("dashboard", reverse("reports:dashboard")),
        ("data protection", reverse("dataprotection:index")),
        ("record of processing", reverse("dataprotection:processing")),
        ("audit log", reverse("referrals:audit_log")),
        ("people", reverse("accounts:people")),
        ("invite", reverse("accounts:invite")),
        ("roles", reverse("accounts:roles", args=[world["keyworker"].pk])),
    ]:
        admin.goto(live_server.url + path)
        check(admin, where)

    # A team lead left without a team: the form asks for one and keeps what was ticked.
    admin.goto(live_server.url + reverse("accounts:roles", args=[world["lead"].pk]))
    admin.select_option("#id_team", "")
    with admin.expect_navigation():
        admin.click("main form button[type=submit].btn-primary")
    assert_error_summary_has_focus_and_leads_to_fields(admin)
    check(admin, "roles, with errors")

    admin.goto(live_server.url + reverse("sessions_booking:setup_session_create"))
    with admin.expect_navigation():
        admin.click("main form button[type=submit].btn-primary")
    assert_error_summary_has_focus_and_leads_to_fields(admin)
    check(admin, "new session, with errors")

    admin.goto(
        live_server.url + reverse("sessions_booking:setup_interpreter_create", args=[session.pk])
    )
    with admin.expect_navigation():
        admin.click("main form button[type=submit].btn-primary")
    assert_error_summary_has_focus_and_leads_to_fields(admin)
    check(admin, "request an interpreter, with errors")

    # Her subject access copy and erasure: the data-protection role.
    dpo = staff_browser(world["dpo"])
    for where, path in [
        ("data protection, for the data-protection role", reverse("dataprotection:index")),
        ("subject access request", reverse("dataprotection:subject_access", args=[her.pk])),
        ("erase", reverse("dataprotection:erase", args=[her.pk])),
    ]:
        dpo.goto(live_server.url + path)
        check(dpo, where)
    dpo.goto(live_server.url + reverse("dataprotection:subject_access", args=[her.pk]))
    with dpo.expect_navigation():
        dpo.click("main form button[type=submit].btn-primary")
    assert_error_summary_has_focus_and_leads_to_fields(dpo)
    check(dpo, "subject access request, with errors")
    dpo.fill("#id_request_reference", "SAR-2026-014")
    dpo.fill("#id_reason", "She asked in writing on 3 March.")
    with dpo.expect_navigation():
        dpo.click("main form button[type=submit].btn-primary")
    assert "Subject access copy for request SAR-2026-014" in dpo.content()
    check(dpo, "subject access copy")

    lead = staff_browser(world["lead"])
    for where, name in [
        ("team lead's caseload", "home:staff_home"),
        ("team lead's dashboard", "reports:dashboard"),
        ("team lead's audit log", "referrals:audit_log"),
    ]:
        lead.goto(live_server.url + reverse(name))
        check(lead, where)
