from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "Shared by every app: audit, permissions, roles and the messaging gate"

    def ready(self):
        from django.db.models.signals import post_migrate

        from core.database_roles import grant_after_migrate
        from core.field_keys import share_derived_keys

        share_derived_keys()
        # post_migrate is sent once per app after every migration ran; one of them is enough.
        post_migrate.connect(grant_after_migrate, sender=self, dispatch_uid="grant_app_role")
