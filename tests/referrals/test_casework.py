"""Case work: picking up, assigning, the status workflow, contact attempts, notes, and the
audit trail of all of it (next contact and the caseload are on the staff home page:
tests/home)."""

from datetime import timedelta

import pytest
from django.db import DatabaseError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core.choices import AuditAction
from core.models import AuditEvent
from core.permissions import Role
from referrals.choices import Status
from referrals.models import ContactAttempt, StatusChange
from referrals.rules.workflow import TRANSITIONS
from tests.support.cases import post
from tests.support.factories import (
    ReferralFactory,
    TeamFactory,
    UserFactory,
    current_totp_code,
    enable_mfa,
)

pytestmark = pytest.mark.django_db


# --- picking up and assigning ----------------------------------------------------------------
def test_a_keyworker_picks_up_a_queue_referral_and_a_second_cannot(client, team, amara, beata):
    referral = ReferralFactory(team=team)
    client.force_login(amara)
    assert post(client, "referrals:case_pick_up", referral).status_code == 302
    referral.refresh_from_db()
    assert referral.assigned_to == amara
    assert referral.assigned_at is not None
    client.force_login(beata)
    # Once picked up it is no longer in Beata's view at all.
    assert post(client, "referrals:case_pick_up", referral).status_code == 404
    assert (
        client.get(reverse("referrals:team_queue")).content.decode().count(referral.preferred_name)
        == 0
    )


def test_a_team_lead_assigns_and_reassigns_within_the_team_only(client, team, amara, beata, lead):
    outsider = UserFactory(team=TeamFactory(name="South"), roles={Role.KEYWORKER})
    referral = ReferralFactory(team=team)
    client.force_login(lead)
    post(client, "referrals:case_assign", referral, {"keyworker": amara.pk})
    referral.refresh_from_db()
    assert referral.assigned_to == amara
    post(client, "referrals:case_assign", referral, {"keyworker": beata.pk})
    referral.refresh_from_db()
    assert referral.assigned_to == beata
    response = post(client, "referrals:case_assign", referral, {"keyworker": outsider.pk})
    assert response.status_code == 400
    referral.refresh_from_db()
    assert referral.assigned_to == beata


def test_a_keyworker_cannot_assign_even_her_own_case(client, team, amara, beata):
    referral = ReferralFactory(team=team, assigned_to=amara)
    client.force_login(amara)
    response = post(client, "referrals:case_assign", referral, {"keyworker": beata.pk})
    assert response.status_code == 400
    referral.refresh_from_db()
    assert referral.assigned_to == amara


# --- the status workflow ---------------------------------------------------------------------
ALLOWED = {(t.source, t.target) for t in TRANSITIONS}


@pytest.mark.parametrize("transition", TRANSITIONS, ids=lambda t: f"{t.source}-{t.target}")
def test_every_allowed_transition_works_for_the_right_role(client, team, amara, lead, transition):
    actor = lead if transition.permission.endswith("reopen_referral") else amara
    referral = ReferralFactory(
        team=team, assigned_to=amara, status=transition.source,
        closed_reason="completed" if transition.source == Status.CLOSED else "",
    )  # fmt: skip
    client.force_login(actor)
    data = {"target": transition.target, "closed_reason": "declined"}
    assert post(client, "referrals:case_change_status", referral, data).status_code == 302
    referral.refresh_from_db()
    assert referral.status == transition.target
    change = StatusChange.objects.get(referral=referral)
    assert (change.from_status, change.to_status, change.changed_by) == (
        transition.source, transition.target, actor,
    )  # fmt: skip
    assert referral.closed_reason == ("declined" if transition.target == Status.CLOSED else "")


@pytest.mark.parametrize(
    ("source", "target"),
    [(s, t) for s in Status for t in Status if (s, t) not in ALLOWED],
    ids=lambda value: str(value),
)
def test_every_other_transition_is_refused_with_a_clear_message(client, team, lead, source, target):
    referral = ReferralFactory(
        team=team, assigned_to=lead, status=source,
        closed_reason="completed" if source == Status.CLOSED else "",
    )  # fmt: skip
    client.force_login(lead)
    response = post(
        client,
        "referrals:case_change_status",
        referral,
        {"target": target, "closed_reason": "declined"},
    )
    assert response.status_code == 400
    assert "cannot go from" in response.content.decode()
    referral.refresh_from_db()
    assert referral.status == source
    assert not StatusChange.objects.exists()


def test_closing_needs_a_reason(client, team, amara):
    referral = ReferralFactory(team=team, assigned_to=amara, status=Status.ACTIVE)
    client.force_login(amara)
    response = post(client, "referrals:case_change_status", referral, {"target": "closed"})
    assert response.status_code == 400
    assert "Choose a reason for closing" in response.content.decode()
    referral.refresh_from_db()
    assert referral.status == Status.ACTIVE


def test_only_team_leads_may_reopen(client, team, amara):
    referral = ReferralFactory(
        team=team, assigned_to=amara, status=Status.CLOSED, closed_reason="declined"
    )
    client.force_login(amara)
    response = post(client, "referrals:case_change_status", referral, {"target": "contacting"})
    assert response.status_code == 400
    assert "Only a team lead" in response.content.decode()


def test_a_new_referral_must_be_picked_up_before_contacting(client, team, lead):
    referral = ReferralFactory(team=team)
    client.force_login(lead)
    response = post(client, "referrals:case_change_status", referral, {"target": "contacting"})
    assert "Pick up or assign" in response.content.decode()


# --- contact attempts ------------------------------------------------------------------------
def test_only_channels_she_marked_safe_can_be_recorded(client, team, amara):
    referral = ReferralFactory(team=team, assigned_to=amara, safe_channels=["sms"])
    client.force_login(amara)
    page = client.get(reverse("referrals:case_detail", args=[referral.pk])).content.decode()
    assert 'name="channel" value="sms"' in page
    assert 'name="channel" value="call"' not in page
    response = post(
        client, "referrals:case_record_contact", referral, {"channel": "call", "outcome": "spoke"}
    )
    assert response.status_code == 400
    assert not ContactAttempt.objects.exists()
    post(
        client,
        "referrals:case_record_contact",
        referral,
        {"channel": "sms", "outcome": "no_answer"},
    )
    assert ContactAttempt.objects.get().made_by == amara


def test_three_unanswered_attempts_in_fourteen_days_suggest_closing(client, team, amara):
    referral = ReferralFactory(team=team, assigned_to=amara, status=Status.CONTACTING)
    ContactAttempt.objects.create(
        referral=referral, made_by=amara, channel="sms", outcome="no_answer",
        made_at=timezone.now() - timedelta(days=20),
    )  # fmt: skip
    client.force_login(amara)
    for outcome in ("no_answer", "left_voicemail"):
        post(
            client,
            "referrals:case_record_contact",
            referral,
            {"channel": "sms", "outcome": outcome},
        )
    page = client.get(reverse("referrals:case_detail", args=[referral.pk])).content.decode()
    assert "Close as unable to contact" not in page  # only two within 14 days
    post(
        client,
        "referrals:case_record_contact",
        referral,
        {"channel": "sms", "outcome": "wrong_number"},
    )
    page = client.get(reverse("referrals:case_detail", args=[referral.pk])).content.decode()
    assert "Close as unable to contact" in page
    post(
        client,
        "referrals:case_change_status",
        referral,
        {"target": "closed", "closed_reason": "unable_to_contact"},
    )
    referral.refresh_from_db()
    assert (referral.status, referral.closed_reason) == (Status.CLOSED, "unable_to_contact")


def test_an_answered_attempt_clears_the_suggestion(client, team, amara):
    referral = ReferralFactory(team=team, assigned_to=amara, status=Status.CONTACTING)
    client.force_login(amara)
    for outcome in ("no_answer", "no_answer", "no_answer", "spoke"):
        post(
            client,
            "referrals:case_record_contact",
            referral,
            {"channel": "sms", "outcome": outcome},
        )
    page = client.get(reverse("referrals:case_detail", args=[referral.pk])).content.decode()
    assert "Close as unable to contact" not in page


# --- notes ---------------------------------------------------------------------------------
def test_restricted_notes_are_for_her_keyworker_and_team_leads_only(
    client, team, amara, beata, lead
):
    referral = ReferralFactory(team=team)
    client.force_login(lead)
    post(
        client,
        "referrals:case_add_note",
        referral,
        {"text": "Partner checks her phone.", "restricted": "on"},
    )
    post(client, "referrals:case_add_note", referral, {"text": "Prefers mornings."})
    # Beata can open the unassigned referral from the queue, but not its restricted note.
    client.force_login(beata)
    page = client.get(reverse("referrals:case_detail", args=[referral.pk])).content.decode()
    assert "Prefers mornings." in page
    assert "Partner checks her phone." not in page
    client.force_login(lead)
    post(client, "referrals:case_assign", referral, {"keyworker": amara.pk})
    client.force_login(amara)
    page = client.get(reverse("referrals:case_detail", args=[referral.pk])).content.decode()
    assert "Partner checks her phone." in page


def test_a_note_is_required_and_kept_on_error(client, team, amara):
    referral = ReferralFactory(team=team, assigned_to=amara)
    client.force_login(amara)
    response = post(client, "referrals:case_add_note", referral, {"text": "", "restricted": "on"})
    assert response.status_code == 400
    assert "There is a problem" in response.content.decode()


def test_notes_are_encrypted_at_rest(client, team, amara):
    referral = ReferralFactory(team=team, assigned_to=amara)
    client.force_login(amara)
    post(client, "referrals:case_add_note", referral, {"text": "She is staying with her sister."})
    with connection.cursor() as cursor:
        cursor.execute("SELECT text FROM referrals_casenote")
        assert "sister" not in cursor.fetchone()[0]


# --- query counts ----------------------------------------------------------------------------
def count_queries(client, url, **params):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("page", ["home:staff_home", "referrals:team_queue", "team_scope"])
def test_list_pages_run_the_same_number_of_queries_for_5_and_200_cases(
    client, team, amara, lead, page
):
    counts = []
    for size in (5, 200):
        ReferralFactory.create_batch(
            size, team=team, assigned_to=amara if page == "home:staff_home" else None
        )
        client.force_login(lead if page == "team_scope" else amara)
        url = reverse(
            "referrals:team_queue" if page == "referrals:team_queue" else "home:staff_home"
        )
        counts.append(
            count_queries(client, url, **({"scope": "team"} if page == "team_scope" else {}))
        )
    assert counts[0] == counts[1], counts


def test_the_case_page_runs_the_same_number_of_queries_however_long_the_timeline(
    client, team, amara
):
    referral = ReferralFactory(team=team, assigned_to=amara, status=Status.CONTACTING)
    client.force_login(amara)
    counts = []
    for extra in (2, 40):
        for _ in range(extra):
            ContactAttempt.objects.create(
                referral=referral, made_by=amara, channel="sms", outcome="spoke"
            )
        counts.append(count_queries(client, reverse("referrals:case_detail", args=[referral.pk])))
    assert counts[0] == counts[1], counts


def test_the_audit_log_runs_the_same_number_of_queries_for_5_and_200_events(client, team, lead):
    referral = ReferralFactory(team=team, assigned_to=lead)
    client.force_login(lead)
    counts = []
    for size in (5, 200):
        AuditEvent.objects.bulk_create(
            [AuditEvent(actor=lead, action=AuditAction.VIEWED_CASE, referral=referral, team=team)]
            * size
        )
        counts.append(count_queries(client, reverse("referrals:audit_log")))
    assert counts[0] == counts[1], counts


# --- the audit trail ---------------------------------------------------------------------------
def test_views_and_changes_are_audited_with_who_where_and_when(client, team, amara):
    referral = ReferralFactory(team=team)
    client.force_login(amara)
    client.get(reverse("referrals:case_detail", args=[referral.pk]), REMOTE_ADDR="203.0.113.9")
    post(client, "referrals:case_pick_up", referral, REMOTE_ADDR="203.0.113.9")
    post(client, "referrals:case_change_status", referral, {"target": "contacting"})
    post(
        client,
        "referrals:case_record_contact",
        referral,
        {"channel": "sms", "outcome": "no_answer"},
    )
    post(client, "referrals:case_add_note", referral, {"text": "Tried mid-morning."})
    actions = list(AuditEvent.objects.order_by("at", "pk").values_list("action", flat=True))
    assert actions == [
        AuditAction.VIEWED_CASE, AuditAction.PICKED_UP, AuditAction.CHANGED_STATUS,
        AuditAction.RECORDED_CONTACT, AuditAction.ADDED_NOTE,
    ]  # fmt: skip
    first = AuditEvent.objects.order_by("at", "pk").first()
    assert (first.actor, first.referral, first.team, first.ip_address) == (
        amara,
        referral,
        team,
        "203.0.113.9",
    )


def test_field_changes_are_recorded_by_the_database_with_before_and_after(client, team, amara):
    from pghistory.models import Events

    referral = ReferralFactory(team=team, assigned_to=amara, status=Status.CONTACTING)
    client.force_login(amara)
    post(
        client,
        "referrals:case_change_status",
        referral,
        {"target": "assessment"},
        REMOTE_ADDR="198.51.100.7",
    )
    update = Events.objects.tracks(referral).filter(pgh_label="update").latest("pgh_created_at")
    assert update.pgh_diff["status"] == ["contacting", "assessment"]
    assert update.pgh_context["user"] == amara.pk
    assert update.pgh_context["ip"] == "198.51.100.7"
    assert update.pgh_context["url"] == reverse("referrals:case_change_status", args=[referral.pk])


@pytest.mark.parametrize(
    "table", ["referrals_auditevent", "referrals_statuschange", "referrals_referralevent"]
)
def test_audit_rows_cannot_be_changed_or_deleted_even_in_sql(client, team, amara, table):
    referral = ReferralFactory(team=team, assigned_to=amara, status=Status.CONTACTING)
    client.force_login(amara)
    client.get(reverse("referrals:case_detail", args=[referral.pk]))
    post(client, "referrals:case_change_status", referral, {"target": "assessment"})
    # The table name comes from the parametrize list above, never from input.
    for statement in (f"UPDATE {table} SET id = id", f"DELETE FROM {table}"):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement)


def test_the_audit_log_page_shows_a_teams_events_to_its_lead_only(client, team, amara, lead):
    referral = ReferralFactory(team=team, assigned_to=amara)
    other_lead = enable_mfa(UserFactory(team=TeamFactory(name="South"), roles={Role.TEAM_LEAD}))
    client.force_login(amara)
    client.get(reverse("referrals:case_detail", args=[referral.pk]))
    client.force_login(lead)
    page = client.get(
        reverse("referrals:audit_log"), {"case": referral.display_reference}
    ).content.decode()
    assert "Viewed case" in page
    assert amara.full_name in page
    assert "Field changes" in page
    client.force_login(other_lead)
    page = client.get(
        reverse("referrals:audit_log"), {"case": referral.display_reference}
    ).content.decode()
    assert amara.full_name not in page


# --- a case from pickup to assessment ------------------------------------------------------
def test_a_case_is_picked_up_contacted_assessed_and_noted_and_kept_from_others(
    client, team, amara, beata, lead
):
    """A keyworker signs in with MFA, picks up a new referral, records a contact attempt on a
    safe channel, moves the case to assessment and writes a note; a second keyworker cannot
    see any of it; a team lead can see and reassign it; every step is in the audit log."""
    from django.test import Client

    from tests.support.factories import TEST_PASSWORD

    referral = ReferralFactory(team=team, safe_channels=["sms", "email"], preferred_name="Kasia")
    client.post(reverse("account_login"), {"login": amara.email, "password": TEST_PASSWORD})
    client.post(reverse("mfa_authenticate"), {"code": current_totp_code()})
    assert "Kasia" in client.get(reverse("referrals:team_queue")).content.decode()
    post(client, "referrals:case_pick_up", referral)
    post(client, "referrals:case_change_status", referral, {"target": "contacting"})
    post(client, "referrals:case_record_contact", referral, {"channel": "sms", "outcome": "spoke"})
    post(client, "referrals:case_change_status", referral, {"target": "assessment"})
    post(client, "referrals:case_add_note", referral, {"text": "Wants the mothers' group."})
    referral.refresh_from_db()
    assert (referral.assigned_to, referral.status) == (amara, Status.ASSESSMENT)

    other = Client()
    other.force_login(beata)
    assert other.get(reverse("referrals:case_detail", args=[referral.pk])).status_code == 404
    assert "Kasia" not in other.get(reverse("referrals:team_queue")).content.decode()

    team_lead = Client()
    team_lead.force_login(lead)
    page = team_lead.get(reverse("referrals:case_detail", args=[referral.pk])).content.decode()
    assert "Wants the mothers&#x27; group." in page
    post(team_lead, "referrals:case_assign", referral, {"keyworker": beata.pk})
    referral.refresh_from_db()
    assert referral.assigned_to == beata

    audit = team_lead.get(
        reverse("referrals:audit_log"), {"case": referral.display_reference}
    ).content.decode()
    for step in (
        "Picked up from queue",
        "Changed status",
        "Recorded contact attempt",
        "Added note",
        "Viewed case",
        "Assigned",
    ):
        assert step in audit, step
