from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "referrals"
    verbose_name = "Referrals and caseloads"

    def ready(self):
        from django.db.models.signals import post_migrate

        from config.database_roles import grant_after_migrate
        from notices.registry import register
        from referrals.services import CONFIRMATION_SENT, TEAM_TOLD

        register(TEAM_TOLD, "referrals.tasks.notify_team_of_new_referral")
        register(CONFIRMATION_SENT, "referrals.tasks.send_referral_confirmation")

        from config.field_keys import share_derived_keys

        share_derived_keys()

        # Once per migrate run (post_migrate is sent per app, after every migration ran).
        post_migrate.connect(grant_after_migrate, sender=self, dispatch_uid="grant_app_role")
