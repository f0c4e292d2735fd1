"""Create the first service admin of a new deployment and print her set-password link.

    docker compose exec web python manage.py create_service_admin admin@example.org "Full Name"

(in development: ``.venv/bin/python manage.py create_service_admin ...``)

She then chooses her password through the link, sets up MFA at her first staff page, and
invites everyone else from /staff/people/. No superuser is needed (or wanted: a superuser
would pass every permission check, including reading cases).
"""

from django.core.management.base import BaseCommand, CommandError

from accounts.services.invitations import email_in_use, invitation_link
from accounts.services.staff import upsert_staff_user
from core.permissions import Role


class Command(BaseCommand):
    help = (
        "Create a service admin (Django admin access, no caseload) and print her set-password link."
    )

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument("full_name")

    def handle(self, *args, email, full_name, **options):
        if email_in_use(email):
            raise CommandError(f"A staff account already uses {email}.")
        user = upsert_staff_user(
            email=email,
            full_name=full_name,
            team=None,
            roles={Role.SERVICE_ADMIN},
            django_admin=True,
        )
        self.stdout.write(f"Created {user.email}. Send her this link to choose a password:")
        self.stdout.write(invitation_link(user))
