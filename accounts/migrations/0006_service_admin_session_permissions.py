from django.contrib.auth.management import create_permissions
from django.db import migrations

# Service admins configure venues and programmes in the Django admin too; series and
# sessions are read-only there (changes go through the staff screens, which check the rules
# and tell booked women). No delete permissions; bookings are not in the admin at all.
CODENAMES = [
    "view_venue",
    "add_venue",
    "change_venue",
    "view_programme",
    "add_programme",
    "change_programme",
    "view_sessionseries",
    "view_groupsession",
]


def grant(apps, schema_editor):
    app_config = apps.get_app_config("sessions_booking")
    app_config.models_module = True
    create_permissions(app_config, verbosity=0, apps=apps)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name="service_admin")
    group.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="sessions_booking", codename__in=CODENAMES
        )
    )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0005_service_admin_model_permissions"),
        ("sessions_booking", "0002_history"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
