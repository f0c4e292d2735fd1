from django.contrib.auth.management import create_permissions
from django.db import migrations

# Frozen copy of core.permissions.ROLE_PERMISSIONS at the time of this migration.
ROLE_PERMISSIONS = {
    "keyworker": ["work_own_cases", "pick_up_referral"],
    "team_lead": [
        "work_own_cases",
        "pick_up_referral",
        "manage_team_cases",
        "reopen_referral",
        "view_team_audit",
    ],
    "service_admin": ["configure_service", "invite_staff", "view_all_audit"],
}


def grant_role_permissions(apps, schema_editor):
    # Permissions are normally created after migrations; make sure they exist now. The
    # migration state's app config has no models module, which create_permissions checks.
    app_config = apps.get_app_config("referrals")
    app_config.models_module = True
    create_permissions(app_config, verbosity=0, apps=apps)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group_name, codenames in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=group_name)
        group.permissions.set(
            Permission.objects.filter(content_type__app_label="referrals", codename__in=codenames)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_team_is_default"),
        ("referrals", "0002_role_permissions"),
    ]

    operations = [migrations.RunPython(grant_role_permissions, migrations.RunPython.noop)]
