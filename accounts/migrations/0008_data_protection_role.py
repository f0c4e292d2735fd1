from django.contrib.auth.management import create_permissions
from django.db import migrations

# Frozen copy of core.permissions.ROLE_PERMISSIONS for the role added at this migration. Nobody
# holds it yet: service admins give it to named people on the people pages.
ADDED = {"data_protection": ["handle_subject_requests"]}


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


def remove(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ADDED).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0007_report_and_data_protection_permissions"),
        ("referrals", "0010_subject_requests_permission"),
    ]

    operations = [migrations.RunPython(grant, remove)]
