"""Her health and safety answers, encrypted at rest.

Each answer gets an encrypted column beside the plain one; every row's answer is copied
across through the model (which encrypts it), then the plain column is dropped and the new
one takes its name. Nothing is lost: an empty answer ("", False, an empty list) is stored as
NULL or [] as the encrypted fields store it, and reads back as empty. Reversing it writes
her answers back in plain text (the tests migrate both ways); on a table with rows it needs
``safe_now`` answered on every row, as the plain column did.
"""

import encrypted_fields.fields
from django.db import migrations

import referrals.models.referral

# Frozen copies of referrals.choices at this migration.
YES_NO_PREFER_NOT = [("yes", "Yes"), ("no", "No"), ("prefer_not", "I'd rather not say")]
ABUSE_EXPERIENCE = [
    ("none", "No"), ("current", "Yes, it is happening now"), ("past", "Yes, in the past"),
    ("prefer_not", "I'd rather not say"),
]  # fmt: skip
SAFE_NOW = [
    ("yes", "Yes, I am safe right now"), ("no", "No, I am not safe right now"),
    ("not_sure", "I'm not sure"),
]  # fmt: skip

# field name -> its encrypted field; the plain field it replaces is described in 0001.
ENCRYPTED = {
    "date_of_birth": lambda: encrypted_fields.fields.EncryptedDateField(
        null=True, blank=True, verbose_name="date of birth"
    ),
    "substances": lambda: encrypted_fields.fields.EncryptedJSONField(
        default=list, blank=True, verbose_name="substances"
    ),
    "substances_other": lambda: encrypted_fields.fields.EncryptedCharField(
        max_length=200, null=True, blank=True, verbose_name="other substances"
    ),
    "children_at_risk": lambda: referrals.models.referral.EncryptedYesNoField(
        null=True, blank=True, default=False, verbose_name="worried about children's safety"
    ),
    "pregnant": lambda: encrypted_fields.fields.EncryptedCharField(
        max_length=20,
        choices=YES_NO_PREFER_NOT,
        null=True,
        blank=True,
        verbose_name="pregnant",
    ),  # fmt: skip
    "abuse_experience": lambda: encrypted_fields.fields.EncryptedCharField(
        max_length=20,
        choices=ABUSE_EXPERIENCE,
        null=True,
        blank=True,
        verbose_name="domestic abuse or sexual violence",
    ),  # fmt: skip
    "safe_now": lambda: encrypted_fields.fields.EncryptedCharField(
        max_length=20,
        choices=SAFE_NOW,
        null=True,
        blank=True,
        verbose_name="safe right now",
    ),  # fmt: skip
    "preferred_language_other": lambda: encrypted_fields.fields.EncryptedCharField(
        max_length=80, null=True, blank=True, verbose_name="other language"
    ),
    # The reasons for her priority repeat her answers in words.
    "priority_reasons": lambda: encrypted_fields.fields.EncryptedJSONField(
        default=list, blank=True
    ),
}
NEW = "{}_encrypted"
BATCH = 500


def copy(apps, *, source, target, empty):
    """Every referral's answers from the ``source`` fields to the ``target`` fields."""
    Referral = apps.get_model("referrals", "Referral")
    batch = []
    for referral in Referral.objects.only("pk", *map(source, ENCRYPTED)).iterator(BATCH):
        for name in ENCRYPTED:
            value = getattr(referral, source(name))
            setattr(referral, target(name), empty(name) if value in (None, "") else value)
        batch.append(referral)
        if len(batch) == BATCH:
            Referral.objects.bulk_update(batch, [target(name) for name in ENCRYPTED])
            batch = []
    if batch:
        Referral.objects.bulk_update(batch, [target(name) for name in ENCRYPTED])


def encrypt(apps, schema_editor):
    copy(apps, source=str, target=NEW.format, empty=lambda name: None)


def decrypt(apps, schema_editor):
    # Back to the plain columns' own empty values.
    plain_empty = {
        "substances": [], "priority_reasons": [], "children_at_risk": False, "date_of_birth": None,
    }  # fmt: skip
    copy(apps, source=NEW.format, target=str, empty=lambda name: plain_empty.get(name, ""))


class Migration(migrations.Migration):
    dependencies = [("referrals", "0010_subject_requests_permission")]

    operations = [
        *[
            migrations.AddField("referral", NEW.format(name), field())
            for name, field in ENCRYPTED.items()
        ],
        migrations.RunPython(encrypt, decrypt),
        *[migrations.RemoveField("referral", name) for name in ENCRYPTED],
        *[migrations.RenameField("referral", NEW.format(name), name) for name in ENCRYPTED],
    ]
