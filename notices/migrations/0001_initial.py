import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = []

    operations = [
        migrations.CreateModel(
            name="Notice",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("kind", models.CharField(max_length=80)),
                (
                    "subject_id",
                    models.BigIntegerField(
                        help_text="The referral or booking the notice is about."
                    ),
                ),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                ("due_at", models.DateTimeField(default=django.utils.timezone.now)),
                ("attempts", models.PositiveSmallIntegerField(default=0)),
                ("last_error", models.CharField(blank=True, max_length=200)),
                ("sent_at", models.DateTimeField(blank=True, null=True)),
                ("given_up_at", models.DateTimeField(blank=True, null=True)),
            ],
            options={
                "indexes": [
                    models.Index(
                        condition=models.Q(
                            ("given_up_at__isnull", True), ("sent_at__isnull", True)
                        ),
                        fields=["due_at", "id"],
                        name="notice_waiting",
                    ),
                    models.Index(
                        condition=models.Q(("sent_at__isnull", False)),
                        fields=["sent_at"],
                        name="notice_sent",
                    ),
                ],
            },
        ),
    ]
