"""Actions that change staff accounts and teams."""

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mass_mail
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import Team, User
from core import audit
from core.choices import AuditAction
from core.permissions import INVITE_STAFF, Role

# Who may invite, deactivate and list staff (granted to service admins, accounts/0004).


def set_user_roles(*, user: User, roles: set[Role]) -> None:
    """Make the user's role groups exactly ``roles`` (other groups are left alone)."""
    # The groups come from a data migration; get_or_create keeps this working on a database
    # that was flushed since (as transactional tests do).
    role_groups = [Group.objects.get_or_create(name=role.group_name)[0] for role in Role]
    wanted = {role.group_name for role in roles}
    user.groups.remove(*[g for g in role_groups if g.name not in wanted])
    user.groups.add(*[g for g in role_groups if g.name in wanted])
    user.__dict__.pop("_roles_cache", None)


@transaction.atomic
def upsert_team(
    *,
    name: str,
    postcode_districts: list[str],
    local_authorities: list[str],
    is_default: bool = False,
) -> Team:
    team, _ = Team.objects.get_or_create(name=name)
    team.postcode_districts = postcode_districts
    team.local_authorities = local_authorities
    if is_default:
        Team.objects.exclude(pk=team.pk).filter(is_default=True).update(is_default=False)
    team.is_default = is_default
    team.full_clean()
    team.save()
    return team


@transaction.atomic
def upsert_staff_user(
    *,
    email: str,
    full_name: str,
    team: Team | None,
    roles: set[Role],
    password: str | None = None,
    django_admin: bool = False,
) -> User:
    """Create or update a staff member; used by the demo seed and by admin tooling."""
    email = User.objects.normalize_email(email).lower()
    user = User.objects.filter(email__iexact=email).first() or User(email=email)
    user.full_name = full_name
    user.team = team
    user.is_staff = django_admin
    # Never a superuser: superusers pass every permission check, which would give a service
    # admin every case (least privilege, docs/design.md, safety rule 4). The Django admin
    # works from the service_admin group's model permissions instead.
    user.is_superuser = False
    user.is_active = True
    if password is not None:
        user.set_password(password)
    elif user._state.adding:
        user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    set_user_roles(user=user, roles=roles)
    return user


def deactivate_staff_member(*, actor: User, user: User) -> User:
    """Stop a staff member signing in. Her open sessions end too: Django's authentication
    backends refuse inactive users on every request, not only at sign-in."""
    if not actor.has_perm(INVITE_STAFF):
        raise PermissionDenied("Only service admins deactivate staff.")
    if user.pk == actor.pk:
        raise ValidationError(_("You cannot deactivate your own account."), code="self")
    with transaction.atomic():
        user.is_active = False
        user.save(update_fields=["is_active"])
        audit.record(
            actor=actor, action=AuditAction.DEACTIVATED_STAFF, team=user.team, user=user.pk
        )
    return user


ROLES_NEEDING_A_TEAM = frozenset({Role.KEYWORKER, Role.TEAM_LEAD})


class RoleNoticeNotSent(Exception):
    """The e-mails telling people about a role change could not be handed to the mail
    server; the change was not made."""


def role_names(roles) -> str:
    return ", ".join(sorted(str(Role(role).label) for role in roles)) or _("no role")


def send_role_change_notices(*, user: User, before: set[Role], changed_by: User) -> None:
    """Tell her, and every active service admin, that her roles changed and who changed
    them: a role given by a hijacked account is seen by the people it would hurt."""
    after = set(user.roles)
    subject = _("Staff roles changed")
    body = _(
        "The roles of %(name)s (%(email)s) were changed by %(by)s.\n\n"
        "Before: %(before)s\nNow: %(after)s\n\n"
        "If you did not expect this, tell a service admin at once.\n"
    ) % {
        "name": user.full_name,
        "email": user.email,
        "by": changed_by.full_name or changed_by.email,
        "before": role_names(before),
        "after": role_names(after),
    }
    admins = User.objects.filter(
        is_active=True, groups__name=Role.SERVICE_ADMIN.group_name
    ).values_list("email", flat=True)
    recipients = [user.email, *sorted(set(admins) - {user.email})]
    messages = [(subject, body, settings.DEFAULT_FROM_EMAIL, [to]) for to in recipients]
    try:
        send_mass_mail(messages, fail_silently=False)
    except OSError as error:  # SMTP errors, refused connections, DNS failures
        raise RoleNoticeNotSent(str(error)) from error


def change_staff_roles(
    *, actor: User, user: User, roles: set[Role], team: Team | None
) -> set[Role]:
    """Give ``user`` exactly ``roles`` in ``team``; returns her roles before.

    Only people who manage staff may, never on their own account (nobody grants herself a
    role, docs/design.md, safety rule 4). The notices are sent inside the transaction: if they
    cannot be sent, nothing changes, so no role is ever given unannounced."""
    if not actor.has_perm(INVITE_STAFF):
        raise PermissionDenied("Only service admins change roles.")
    if user.pk == actor.pk:
        raise ValidationError(_("You cannot change your own roles."), code="self")
    roles = {Role(role) for role in roles}
    if roles & ROLES_NEEDING_A_TEAM and team is None:
        raise ValidationError(
            {"team": _("Choose a team: keyworkers and team leads work in a team.")}
        )
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        before = set(user.roles)
        user.team = team
        user.save(update_fields=["team"])
        set_user_roles(user=user, roles=roles)
        send_role_change_notices(user=user, before=before, changed_by=actor)
        audit.record(
            actor=actor, action=AuditAction.CHANGED_STAFF_ROLES, team=team, user=user.pk,
            before=sorted(before), after=sorted(user.roles),
        )  # fmt: skip
    return before
