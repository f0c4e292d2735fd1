from django.apps import AppConfig


class PartnersConfig(AppConfig):
    name = "partners"
    verbose_name = "Partner services and onward referrals"

    def ready(self):
        from core import case_flags, case_timeline
        from partners.selectors import case_flags as flags
        from partners.selectors import partner_steps

        case_flags.register(flags)
        case_timeline.register(partner_steps)
