from django.contrib.auth.management import create_permissions
from django.db import migrations

# Frozen copy of the permissions core.permissions.ROLE_PERMISSIONS added at this migration.
ADDED = {
    "team_lead": ["view_team_reports", "export_team_caseload"],
    "service_admin": ["view_service_reports", "manage_data_protection"],
}


def grant(apps, schema_editor):
    app_config = apps.get_app_config("referrals")
    app_config.models_module = True
    create_permissions(app_config, verbosity=0, apps=apps)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group_name, codenames in ADDED.items():
        group, _ = Group.objects.get_or_create(name=group_name)
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label="referrals", codename__in=codenames)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0006_service_admin_session_permissions"),
        ("referrals", "0008_reports_and_data_protection"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
