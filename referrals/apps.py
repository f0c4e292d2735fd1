from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "referrals"
    verbose_name = "Referrals and caseloads"

    def ready(self):
        from notices.registry import register
        from referrals.services.intake import CONFIRMATION_SENT, TEAM_TOLD

        register(TEAM_TOLD, "referrals.tasks.notify_team_of_new_referral")
        register(CONFIRMATION_SENT, "referrals.tasks.send_referral_confirmation")
