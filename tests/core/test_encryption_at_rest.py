"""Her health and safety answers are encrypted at rest: a database with
plain answers is migrated without losing any, and afterwards no answer is readable in the
table; every free-text field about her is encrypted, and every plain one says why."""

from datetime import date

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from encrypted_fields.fields import EncryptedFieldMixin

from dataprotection import inventory
from referrals.models import Referral
from tests.support.factories import ReferralFactory

BEFORE = [("referrals", "0010_subject_requests_permission")]
AFTER = [("referrals", "0011_encrypt_her_health_and_safety_answers")]
ENCRYPTED_ANSWERS = [
    "date_of_birth", "substances", "substances_other", "children_at_risk", "pregnant",
    "abuse_experience", "safe_now", "preferred_language_other", "priority_reasons",
]  # fmt: skip


def raw_row(pk) -> dict:
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {', '.join(ENCRYPTED_ANSWERS)} FROM referrals_referral WHERE id = %s",
            [pk],
        )
        return dict(zip(ENCRYPTED_ANSWERS, cursor.fetchone(), strict=True))


# serialized_rollback: like every transactional test here, so the next one finds the rows
# the data migrations made (content types, roles) as it expects them.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_migrating_encrypts_every_answer_and_loses_none():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old_apps = executor.loader.project_state(BEFORE).apps
    old = old_apps.get_model("referrals", "Referral")
    team = old_apps.get_model("accounts", "Team").objects.create(name="Migration team")
    common = {
        "team_id": team.pk,
        "source": "self", "preferred_name": "Mira", "consent_version": "v1",
        "consent_to_store": True,
        "consent_given_at": "2026-11-02T10:00:00Z", "status": "new", "priority": "routine",
    }  # fmt: skip
    answered = old.objects.create(
        **common, reference="MIGRA001", date_of_birth=date(1990, 4, 5),
        substances=["alcohol", "opioids"], substances_other="ketamine",
        children_at_risk=True, pregnant="yes", abuse_experience="current", safe_now="no",
        preferred_language_other="Tigrinya", priority_reasons=["She is not safe right now."],
    )  # fmt: skip
    unanswered = old.objects.create(
        **common, reference="MIGRA002", substances=[], safe_now="yes", children_at_risk=False
    )

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(AFTER)
    # ...and on to the latest schema, which the models below describe.
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    try:
        her = Referral.objects.get(pk=answered.pk)
        assert (her.date_of_birth, her.substances, her.substances_other) == (
            date(1990, 4, 5), ["alcohol", "opioids"], "ketamine",
        )  # fmt: skip
        assert (her.children_at_risk, her.pregnant, her.abuse_experience, her.safe_now) == (
            True, "yes", "current", "no",
        )  # fmt: skip
        assert her.preferred_language_other == "Tigrinya"
        assert her.priority_reasons == ["She is not safe right now."]
        raw = str(raw_row(answered.pk))
        for plain in ("1990-04-05", "alcohol", "opioids", "ketamine", "current", "Tigrinya",
                      "not safe"):  # fmt: skip
            assert plain not in raw, plain

        other = Referral.objects.get(pk=unanswered.pk)
        assert other.safe_now == "yes"
        assert not other.children_at_risk
        assert other.substances == []
        assert not other.pregnant
        assert not other.substances_other
    finally:
        # Leave the database as the other tests expect it: fully migrated, no rows.
        Referral.objects.all().delete()
        old_apps.get_model("accounts", "Team").objects.filter(pk=team.pk).delete()
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db
def test_new_answers_are_stored_encrypted():
    her = ReferralFactory(
        date_of_birth=date(1988, 1, 2), substances=["cannabis"], substances_other="spice",
        children_at_risk=True, pregnant="prefer_not", abuse_experience="past",
        safe_now="not_sure", preferred_language_other="Amharic",
    )  # fmt: skip
    raw = str(raw_row(her.pk))
    for plain in ("1988-01-02", "cannabis", "spice", "prefer_not", "past", "not_sure", "Amharic"):
        assert plain not in raw, plain
    her.refresh_from_db()
    assert (her.substances, her.safe_now, her.date_of_birth) == (
        ["cannabis"],
        "not_sure",
        date(1988, 1, 2),
    )


def test_every_field_about_her_is_encrypted_or_says_why_it_is_not():
    plain_without_reason = []
    for field in Referral._meta.concrete_fields:
        use = inventory.MODELS["referrals.Referral"].fields.get(field.name)
        if use is None or not use.personal or use.about != inventory.HER:
            continue
        if not isinstance(field, EncryptedFieldMixin) and not use.plain_because:
            plain_without_reason.append(field.name)
    assert plain_without_reason == []


def test_free_text_about_her_is_encrypted_unless_staff_search_it():
    free_text = [
        field.name
        for field in Referral._meta.concrete_fields
        if field.get_internal_type() in ("CharField", "TextField")
        and not field.choices
        and not isinstance(field, EncryptedFieldMixin)
        and inventory.MODELS["referrals.Referral"].fields[field.name].about == inventory.HER
    ]
    # Searched by on the staff lists; a postcode district ("B12") routes her to a team.
    assert free_text == ["area_postcode_district", "preferred_name"]


@pytest.mark.django_db
def test_the_record_of_processing_says_how_each_field_is_stored(client):
    from django.urls import reverse

    from core.permissions import Role
    from tests.support.factories import UserFactory, enable_mfa

    client.force_login(enable_mfa(UserFactory(roles={Role.SERVICE_ADMIN}, is_staff=True)))
    html = client.get(reverse("dataprotection:processing")).text

    def row(name):
        start = html.index(f'data-field="referrals.Referral.{name}"')
        return html[start : html.index("</tr>", start)]

    assert "Encrypted" in row("safe_now")
    assert "Encrypted" in row("substances")
    assert "Readable: The dashboards count it" in row("housing")
    assert "Readable: Staff lists search" in row("preferred_name")


@pytest.mark.django_db
def test_her_subject_access_copy_names_the_substances_not_their_codes():
    from dataprotection.selectors import subject_access_record

    her = ReferralFactory(substances=["opioids", "alcohol"])
    record = subject_access_record(referral=her)
    shown = {item["name"]: item["display"] for item in record["referral"]}
    assert shown["substances"] == "Heroin or other opioids, Alcohol"


def test_every_encrypted_field_shares_one_derivation_of_the_keys():
    """core/field_keys.py: derived once per process, the same keys the library derives."""
    from django.apps import apps
    from encrypted_fields.fields import EncryptedFieldMixin

    from core.field_keys import share_derived_keys

    assert share_derived_keys() > 20
    fields = [
        field
        for model in apps.get_models()
        for field in model._meta.concrete_fields
        if isinstance(field, EncryptedFieldMixin)
    ]
    assert len({id(field.__dict__["keys"]) for field in fields}) == 1
    fresh = type(fields[0])()  # derives its own, as the library does
    assert fresh.keys == fields[0].keys
    assert fields[-1].f.decrypt(fresh.f.encrypt(b"her answer")) == b"her answer"
