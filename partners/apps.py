from django.apps import AppConfig


class PartnersConfig(AppConfig):
    name = "partners"
    verbose_name = "Partner services and onward referrals"

    def ready(self):
        from core.case_flags import register
        from partners.selectors import case_flags

        register(case_flags)
