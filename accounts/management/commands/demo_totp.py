"""Print the current authenticator code for the demo accounts (development only)."""

import time

from allauth.mfa import app_settings
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from accounts.demo import DEMO_TOTP_SECRET


def current_code(secret: str) -> str:
    counter = int(time.time()) // app_settings.TOTP_PERIOD
    return format_hotp_value(hotp_value(secret, counter))


class Command(BaseCommand):
    help = "Print the demo accounts' current authenticator code (never in production)."

    def handle(self, *args, **options):
        if settings.IS_PRODUCTION:
            raise CommandError("demo_totp refuses to run with HAVEN_ENV=production.")
        self.stdout.write(current_code(DEMO_TOTP_SECRET))
