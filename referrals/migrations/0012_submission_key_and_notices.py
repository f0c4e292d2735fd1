"""A key per filling-in of the form (sending twice stores one referral), and the notices
outbox taking over from the sweep that told teams about referrals they had not heard of:
any referral whose team was never told gets a notice now."""

from django.db import migrations, models


def queue_untold_teams(apps, schema_editor):
    Referral = apps.get_model("referrals", "Referral")
    Notice = apps.get_model("notices", "Notice")
    untold = Referral.objects.filter(team_notified_at__isnull=True).values_list("pk", flat=True)
    Notice.objects.bulk_create(
        [Notice(kind="referrals.team_told", subject_id=pk) for pk in untold.iterator()],
        batch_size=1000,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("referrals", "0011_encrypt_her_health_and_safety_answers"),
        ("notices", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="referral",
            name="submission_key",
            field=models.UUIDField(blank=True, editable=False, null=True, unique=True),
        ),
        migrations.RunPython(queue_untold_teams, migrations.RunPython.noop),
    ]
