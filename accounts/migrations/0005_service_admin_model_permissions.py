from django.contrib.auth.management import create_permissions
from django.db import migrations

# What service admins may do in the Django admin: configuration models only, never cases.
SERVICE_ADMIN_MODEL_PERMISSIONS = [
    ("accounts", "add_team"),
    ("accounts", "change_team"),
    ("accounts", "view_team"),
    ("accounts", "view_user"),
    ("accounts", "change_user"),
    ("auth", "view_group"),
    # Reset a lost authenticator (the admin shows no secrets; see accounts/admin.py).
    ("mfa", "view_authenticator"),
    ("mfa", "delete_authenticator"),
]


def grant(apps, schema_editor):
    for label in ("accounts", "auth", "mfa"):
        app_config = apps.get_app_config(label)
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name="service_admin")
    for app_label, codename in SERVICE_ADMIN_MODEL_PERMISSIONS:
        group.permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_role_permissions"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("mfa", "0003_authenticator_type_uniq"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
