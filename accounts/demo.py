"""Demo teams and staff for `manage.py seed_demo`."""

from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP

from accounts.services.staff import upsert_staff_user, upsert_team
from core.permissions import Role

DEMO_PASSWORD = "haven-demo-2026"  # noqa: S105 - printed on purpose; refused in production  # nosec B105
# Every demo account's authenticator secret (base32). Add it to an authenticator app, or run
# `.venv/bin/python manage.py demo_totp` for the current code.
DEMO_TOTP_SECRET = "HAVENDEMOHAVENDEMOHAVENDEMOSTAFF"  # noqa: S105 - demo only  # nosec B105

TEAMS = {
    "Birmingham and Solihull": {
        "postcode_districts": [f"B{n}" for n in range(1, 49)] + [f"B{n}" for n in range(90, 95)],
        "local_authorities": ["Birmingham", "Solihull"],
        "is_default": True,
    },
    "Stoke and North Staffordshire": {
        "postcode_districts": [f"ST{n}" for n in range(1, 22)],
        "local_authorities": ["Stoke-on-Trent", "Newcastle-under-Lyme", "Staffordshire Moorlands"],
    },
}

# (email, full name, team name or None, roles, Django admin access)
STAFF = [
    ("admin@haven.example", "Sam Okafor", None, {Role.SERVICE_ADMIN}, True),
    ("lead@haven.example", "Priya Sandhu", "Birmingham and Solihull", {Role.TEAM_LEAD}, False),
    ("amara@haven.example", "Amara Hussain", "Birmingham and Solihull", {Role.KEYWORKER}, False),
    ("beata@haven.example", "Beata Kowalska", "Birmingham and Solihull", {Role.KEYWORKER}, False),
    (
        "chloe@haven.example",
        "Chloe Bennett",
        "Stoke and North Staffordshire",
        {Role.KEYWORKER},
        False,
    ),
    # Subject access and erasure: a role of its own, not part of being a service admin.
    ("dpo@haven.example", "Dara Evans", None, {Role.DATA_PROTECTION}, False),
]


def seed(stdout):
    teams = {name: upsert_team(name=name, **areas) for name, areas in TEAMS.items()}
    for email, full_name, team_name, roles, django_admin in STAFF:
        user = upsert_staff_user(
            email=email,
            full_name=full_name,
            team=teams.get(team_name),
            roles=roles,
            password=DEMO_PASSWORD,
            django_admin=django_admin,
        )
        if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
            TOTP.activate(user, DEMO_TOTP_SECRET)
    stdout.write(f"  teams: {len(teams)}, staff: {len(STAFF)}")


def print_logins(stdout):
    stdout.write("Sign in at /accounts/login/ as:")
    for email, _name, team_name, roles, _admin in STAFF:
        role_names = ", ".join(sorted(str(role.label) for role in roles))
        where = f" ({team_name})" if team_name else ""
        stdout.write(f"  {email:<24} {role_names}{where}")
    stdout.write(f"  password for all: {DEMO_PASSWORD}")
    stdout.write(f"  authenticator secret for all: {DEMO_TOTP_SECRET}")
    stdout.write("  current authenticator code: .venv/bin/python manage.py demo_totp")
