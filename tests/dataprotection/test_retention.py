"""Retention: closed cases are anonymised after RETENTION_CLOSED_YEARS, self-referrals we
never reached after RETENTION_NEVER_CONTACTED_MONTHS; the run is idempotent, keeps the
statistics, removes every personal field (walked from the inventory, so a new personal
field cannot be forgotten) and records what it did in the audit log, counts only."""

import io
import logging
from datetime import date, time, timedelta

import pytest
from dateutil.relativedelta import relativedelta
from django.conf import settings as django_settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.urls import reverse
from django.utils import timezone

from config.celery import app as celery_app
from core.choices import AuditAction
from core.models import AuditEvent
from core.permissions import Role
from dataprotection import inventory
from dataprotection.selectors import cases_due_for_retention
from dataprotection.services import anonymise_case, run_retention
from referrals import selectors as case_selectors
from referrals.choices import AnonymisedBecause, ClosedReason, ContactOutcome, Source, Status
from referrals.models import ContactAttempt, Referral, StatusChange
from sessions_booking.models import Booking, BookingStatus
from tests.support.dataprotection_world import HER_SECRETS, build_world
from tests.support.factories import GroupSessionFactory, ReferralFactory, TeamFactory, UserFactory

pytestmark = pytest.mark.django_db


def aged(referral, **fields):
    Referral.objects.filter(pk=referral.pk).update(**fields)
    referral.refresh_from_db()
    return referral


@pytest.fixture
def cases():
    now = timezone.now()  # the test's clock, which may be moved (tests/support/clock.py)
    team = TeamFactory(name="North")
    keyworker = UserFactory(team=team, roles={Role.KEYWORKER})
    long_ago = now - relativedelta(years=6, days=1)
    cases = {
        "closed_long_ago": aged(
            ReferralFactory(team=team, assigned_to=keyworker, preferred_name="Oldclosed"),
            status=Status.CLOSED,
            closed_reason=ClosedReason.COMPLETED,
            closed_at=long_ago,
            created_at=long_ago - timedelta(days=90),
        ),
        "closed_recently": aged(
            ReferralFactory(team=team, preferred_name="Recentclosed"),
            status=Status.CLOSED,
            closed_reason=ClosedReason.COMPLETED,
            closed_at=now - relativedelta(years=5),
            created_at=now - relativedelta(years=5),
        ),
        "never_contacted": aged(
            ReferralFactory(team=team, assigned_to=keyworker, preferred_name="Neverreached"),
            status=Status.CONTACTING,
            created_at=now - relativedelta(months=13),
            next_contact_on=timezone.localdate(),
        ),
        "spoke_to_her": aged(
            ReferralFactory(team=team, assigned_to=keyworker),
            status=Status.CONTACTING,
            created_at=now - relativedelta(months=13),
        ),
        "came_to_a_group": aged(
            ReferralFactory(team=team, assigned_to=keyworker),
            status=Status.ACTIVE,
            created_at=now - relativedelta(months=13),
        ),
        "booked_for_next_week": aged(
            ReferralFactory(team=team, assigned_to=keyworker),
            status=Status.ACTIVE,
            created_at=now - relativedelta(months=13),
        ),
        "public:professional_referral": aged(
            ReferralFactory(
                team=team,
                source=Source.PROFESSIONAL,
                referrer_confirmed_consent=True,
                referrer_name="Dr Who",
            ),
            created_at=now - relativedelta(months=13),
        ),
        "eleven_months_ago": aged(
            ReferralFactory(team=team), created_at=now - relativedelta(months=11)
        ),
    }
    for case in cases.values():
        ContactAttempt.objects.create(
            referral=case, made_by=keyworker, channel="sms", outcome=ContactOutcome.NO_ANSWER,
            made_at=case.created_at + timedelta(days=1), note="Rang, no answer.",
        )  # fmt: skip
    for spoken_to in ("spoke_to_her", "closed_recently"):
        ContactAttempt.objects.create(
            referral=cases[spoken_to], made_by=keyworker, channel="call",
            outcome=ContactOutcome.SPOKE,
        )  # fmt: skip
    past = GroupSessionFactory(
        starts_at=now - timedelta(days=30), ends_at=now - timedelta(days=30, hours=-2),
        booking_cutoff=now - timedelta(days=31),
    )  # fmt: skip
    Booking.objects.create(
        session=past, referral=cases["came_to_a_group"], status=BookingStatus.LATE,
        booked_by=keyworker,
    )  # fmt: skip
    Booking.objects.create(
        session=GroupSessionFactory(), referral=cases["booked_for_next_week"],
        status=BookingStatus.CONFIRMED, booked_by=keyworker,
    )  # fmt: skip
    cases["keyworker"] = keyworker
    return cases


def snapshot():
    return list(Referral.objects.order_by("pk").values())


def test_each_rule_finds_exactly_the_cases_due(cases):
    due = cases_due_for_retention()
    assert list(due[AnonymisedBecause.CLOSED_CASE]) == [cases["closed_long_ago"]]
    assert list(due[AnonymisedBecause.NEVER_CONTACTED]) == [cases["never_contacted"]]


def test_retention_run_twice_gives_the_same_result(cases):
    first = run_retention()
    after_first = snapshot()
    second = run_retention()
    assert first == {"closed_case": 1, "never_contacted": 1}
    assert second == {"closed_case": 0, "never_contacted": 0}
    assert snapshot() == after_first
    anonymised = Referral.objects.filter(anonymised_at__isnull=False)
    assert set(anonymised.values_list("pk", "anonymised_because")) == {
        (cases["closed_long_ago"].pk, AnonymisedBecause.CLOSED_CASE),
        (cases["never_contacted"].pk, AnonymisedBecause.NEVER_CONTACTED),
    }
    runs = AuditEvent.objects.filter(action=AuditAction.RETENTION_RUN).order_by("pk")
    assert [
        (run.actor, run.detail["closed_case"], run.detail["never_contacted"]) for run in runs
    ] == [
        (None, 1, 1),
        (None, 0, 0),
    ]
    per_case = AuditEvent.objects.filter(action=AuditAction.ANONYMISED)
    assert sorted((e.referral_id, e.detail["because"]) for e in per_case) == sorted(
        [
            (cases["closed_long_ago"].pk, "closed_case"),
            (cases["never_contacted"].pk, "never_contacted"),
        ]
    )


def test_the_periods_come_from_the_settings(cases, settings):
    settings.RETENTION_CLOSED_YEARS = 4
    settings.RETENTION_NEVER_CONTACTED_MONTHS = 14
    due = cases_due_for_retention()
    assert set(due[AnonymisedBecause.CLOSED_CASE]) == {
        cases["closed_long_ago"],
        cases["closed_recently"],
    }
    assert list(due[AnonymisedBecause.NEVER_CONTACTED]) == []


def test_a_never_contacted_open_case_is_closed_by_the_service_and_leaves_every_work_list(cases):
    her, keyworker = cases["never_contacted"], cases["keyworker"]
    assert her in case_selectors.due_contacts(user=keyworker)
    run_retention()
    her.refresh_from_db()
    assert (her.status, her.closed_reason) == (Status.CLOSED, ClosedReason.UNABLE_TO_CONTACT)
    last = StatusChange.objects.filter(referral=her).last()
    assert (last.from_status, last.to_status, last.changed_by) == (
        Status.CONTACTING, Status.CLOSED, None,
    )  # fmt: skip
    assert her not in case_selectors.due_contacts(user=keyworker)
    assert her not in case_selectors.caseload(user=keyworker)
    assert her not in case_selectors.team_queue(team=her.team)


def test_an_anonymised_case_keeps_its_statistics(cases):
    her = cases["closed_long_ago"]
    kept = ["reference", "source", "created_at", "team_id", "priority", "status",
            "closed_reason", "closed_at", "assigned_to_id", "consent_given_at"]  # fmt: skip
    before = Referral.objects.filter(pk=her.pk).values(*kept).get()
    attempts = list(her.contact_attempts.values_list("made_at", "channel", "outcome"))
    run_retention()
    assert Referral.objects.filter(pk=her.pk).values(*kept).get() == before
    assert list(her.contact_attempts.values_list("made_at", "channel", "outcome")) == attempts
    assert list(her.contact_attempts.values_list("note", flat=True)) == [None]


def test_the_log_says_counts_only(cases, caplog):
    with caplog.at_level(logging.INFO, logger="dataprotection.services"):
        run_retention()
    assert "anonymised 1 closed cases and 1 never-contacted self-referrals" in caplog.text
    for name in ("Oldclosed", "Neverreached", cases["closed_long_ago"].reference):
        assert name not in caplog.text


def test_the_nightly_task_is_registered_and_scheduled(cases):
    entry = django_settings.CELERY_BEAT_SCHEDULE["run-retention"]
    assert entry["task"] == "dataprotection.tasks.run_retention"
    celery_app.loader.import_default_modules()
    task = celery_app.tasks[entry["task"]]
    assert task.run() == {"closed_case": 1, "never_contacted": 1}
    assert AuditEvent.objects.get(action=AuditAction.RETENTION_RUN).actor is None


# --- every personal field, walked from the inventory --------------------------------------
def sample(model_field, index):
    """A non-empty value for a field (dates and times in order for the safe window)."""
    if isinstance(model_field, ArrayField):
        choices = model_field.base_field.choices
        return [choices[0][0]] if choices else [3]
    if model_field.choices:
        return model_field.choices[0][0]
    if isinstance(model_field, models.BooleanField):
        return True
    if isinstance(model_field, models.IntegerField):
        return 2
    if isinstance(model_field, models.DateTimeField):
        return timezone.now()
    if isinstance(model_field, models.DateField):
        return date(1990, 1, 2)
    if isinstance(model_field, models.TimeField):
        return time(9 + index % 2 * 8, 0)
    if isinstance(model_field, models.EmailField):
        return "secret@example.org"
    limit = model_field.max_length or 100
    return f"Secret{index}"[:limit]


def fill_every_cleared_field(world):
    """Give every field anonymising must clear a value, on every model about her."""
    her = world["her"]
    for classified in inventory.models_about_her():
        if classified.tracks is not None or classified.use.delete_rows:
            continue
        rows = classified.model.objects.filter(**{classified.path_to_her or "pk": her.pk})
        meta = classified.model._meta
        values = {
            name: sample(meta.get_field(name), index)
            for index, name in enumerate(classified.cleared_fields)
        }
        if not values:
            continue
        if "safe_from" in values:
            values["safe_from"], values["safe_until"] = time(9, 0), time(17, 0)
        for row in rows:
            for name, value in values.items():
                setattr(row, name, value)
            row.save()  # through save(), so pghistory records the values in its events


def test_anonymising_removes_every_field_the_inventory_marks_personal(client):
    world = build_world()
    fill_every_cleared_field(world)
    her = world["her"]
    # Reminders' history is kept when their status changes: one is sent.
    reminder = world["booking"].reminders.first()
    reminder.status = "sent"
    reminder.save()
    checked = 0
    for classified in inventory.models_about_her():
        rows = classified.model.objects.filter(**{classified.path_to_her or "pk": her.pk})
        if classified.cleared_fields:
            assert rows.exists(), f"nothing of hers in {classified.label} to check"

    assert anonymise_case(referral_id=her.pk, because=AnonymisedBecause.CLOSED_CASE)
    assert not anonymise_case(referral_id=her.pk, because=AnonymisedBecause.CLOSED_CASE)

    for classified in inventory.models_about_her():
        rows = classified.model.objects.filter(**{classified.path_to_her or "pk": her.pk})
        if classified.use.delete_rows:
            assert not rows.exists(), classified.label
            continue
        meta = classified.model._meta
        for name in classified.cleared_fields:
            empty = inventory.empty_value(meta.get_field(name))
            values = list(rows.values_list(name, flat=True))
            assert values, (classified.label, name)
            assert all(value == empty for value in values), (classified.label, name, values)
            checked += 1
    personal = sum(
        len([u for u in m.fields.values() if u.about != inventory.STAFF and u.personal])
        for m in inventory.models_about_her()
        if not m.use.delete_rows
    )
    assert checked == personal  # every personal field about her or her referrer is cleared

    # The other woman in the same group keeps everything.
    other = Referral.objects.get(pk=world["other"].pk)
    assert other.preferred_name == "Otherwomanname"
    assert other.notes.count() == 2
    # Her attendance stays, without her children's ages.
    attended = Booking.objects.get(pk=world["attended"].pk)
    assert (attended.status, attended.session_id, attended.children_ages) == (
        BookingStatus.ATTENDED, world["attended"].session_id, [],
    )  # fmt: skip


def test_no_audit_event_holds_her_personal_data(client):
    world = build_world()
    anonymise_case(referral_id=world["her"].pk, because=AnonymisedBecause.CLOSED_CASE)
    details = str(list(AuditEvent.objects.filter(referral=world["her"]).values("detail")))
    for secret in HER_SECRETS:
        assert secret not in details


# --- the demo: an admin's "Run retention now" ----------------------------------------------
def test_with_the_demo_data_an_admin_runs_subject_access_and_retention_and_both_are_audited(
    client,
):
    """On the whole demo (`seed_demo`, as `make run` loads it): a team
    lead sees waiting times, occupancy and unmet needs as charts and tables; the admin's
    subject access export and retention run (which anonymises exactly the demo's two old
    cases) are both in the audit log."""
    from django.core.management import call_command

    from accounts.models import User
    from referrals import demo as referrals_demo
    from tests.support.factories import enable_mfa

    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    call_command("seed_demo", stdout=out)  # twice: nothing is added the second time
    assert "retention examples: 2 (0 new)" in out.getvalue()
    for name in ("Claire", "Mandy"):
        assert name not in out.getvalue()

    lead = enable_mfa(User.objects.get(email="lead@haven.example"))
    client.force_login(lead)
    dashboard = client.get(reverse("reports:dashboard")).content.decode()
    for title, has_chart in (
        ("Time to first contact and first group session", False),
        ("Waiting times, week by week", True),
        ("Group sessions by programme", True),
        ("Women waiting, and what they need", True),
    ):
        table = dashboard[dashboard.index(title) :]
        table = table[: table.index("</table>")]
        assert ("<svg" in table) == has_chart, title
        assert '<td class="text-end">' in table, title
    assert "Occupancy" in dashboard

    # The demo's data-protection lead produces her copy; the admin runs retention.
    client.force_login(enable_mfa(User.objects.get(email="dpo@haven.example")))
    claire = Referral.objects.get(reference=referrals_demo.demo_reference(100))
    copy = client.post(
        reverse("dataprotection:subject_access", args=[claire.pk]),
        {"request_reference": "SAR-1", "reason": "Asked by letter.", "format": "html"},
    )
    assert copy.status_code == 200
    admin = enable_mfa(User.objects.get(email="admin@haven.example"))
    client.force_login(admin)

    response = client.post(reverse("dataprotection:run_retention"), {"run": "now"}, follow=True)
    assert (
        "anonymised 1 closed case and 1 never-contacted self-referral." in response.content.decode()
    )
    anonymised = Referral.objects.filter(anonymised_at__isnull=False)
    assert set(anonymised.values_list("reference", flat=True)) == {
        referrals_demo.demo_reference(100),
        referrals_demo.demo_reference(101),
    }
    log = client.get(reverse("referrals:audit_log")).content.decode()
    assert "Produced a subject access export" in log
    assert "Ran the retention rules" in log
    run = AuditEvent.objects.get(action=AuditAction.RETENTION_RUN)
    assert run.actor == admin
