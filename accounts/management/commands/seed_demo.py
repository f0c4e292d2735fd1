"""Load demonstration data. Idempotent: run it as often as you like.

Each app may have a ``demo`` module with ``seed(stdout)``; they run in INSTALLED_APPS order,
so every feature adds its own records and ``make run`` always shows everything built so far.
"""

from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts.demo import print_logins


def demo_modules():
    for app_config in apps.get_app_configs():
        name = f"{app_config.name}.demo"
        if app_config.path.startswith(str(settings.BASE_DIR)) and find_spec(name):
            yield import_module(name)


class Command(BaseCommand):
    help = "Create or refresh the demonstration teams, staff and records (never in production)."

    def handle(self, *args, **options):
        if settings.IS_PRODUCTION:
            raise CommandError("seed_demo refuses to run with HAVEN_ENV=production.")
        with transaction.atomic():
            for module in demo_modules():
                module.seed(self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo data ready."))
        print_logins(self.stdout)
