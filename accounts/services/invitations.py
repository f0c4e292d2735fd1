"""Inviting staff: a service admin creates the account, the invitee chooses her own password.

The emailed link is allauth's password-reset-from-key link, so it is single use (the token
is bound to the password hash and last login) and expires after ``PASSWORD_RESET_TIMEOUT``.
"""

from allauth.account.forms import default_token_generator
from allauth.account.utils import user_pk_to_url_str
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import Team, User
from accounts.services.staff import ROLES_NEEDING_A_TEAM, upsert_staff_user
from core import audit
from core.choices import AuditAction
from core.permissions import INVITE_STAFF, Role


class InvitationNotSent(Exception):
    """The invitation email could not be handed to the mail server; nothing was saved."""


def email_in_use(email: str) -> bool:
    return User.objects.filter(email__iexact=email.strip()).exists()


def invitation_link(user: User) -> str:
    """An absolute, single-use link where ``user`` sets her password."""
    key = default_token_generator.make_token(user)
    path = reverse(
        "account_reset_password_from_key",
        kwargs={"uidb36": user_pk_to_url_str(user), "key": key},
    )
    return settings.SITE_URL + path


def _link_lifetime() -> str:
    seconds = settings.PASSWORD_RESET_TIMEOUT
    if seconds >= 24 * 60 * 60:
        days = seconds // (24 * 60 * 60)
        return ngettext("%(count)d day", "%(count)d days", days) % {"count": days}
    hours = max(1, seconds // (60 * 60))
    return ngettext("%(count)d hour", "%(count)d hours", hours) % {"count": hours}


def send_invitation(user: User) -> None:
    # Neutral wording (docs/design.md, safety rules): an email seen by someone else names
    # neither the service nor what it does.
    message = _(
        "Hello %(name)s,\n\n"
        "A staff account has been created for you. To start using it, choose your password "
        "here:\n\n%(link)s\n\n"
        "The link works once and stops working after %(lifetime)s. After choosing your "
        "password you will be asked to set up an authenticator app on your phone.\n\n"
        "If you were not expecting this email, you can ignore it.\n"
    ) % {"name": user.get_short_name(), "link": invitation_link(user), "lifetime": _link_lifetime()}
    try:
        send_mail(
            subject=_("Set up your staff account"),
            message=message,
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=[user.email],
        )
    except OSError as error:  # SMTP errors, refused connections, DNS failures
        raise InvitationNotSent(str(error)) from error


def invite_staff_member(
    *, actor: User, full_name: str, email: str, team: Team | None, role: Role
) -> User:
    """Create a staff account with no usable password and email her a link to choose one.

    The email is sent inside the transaction: if it cannot be sent, the account is not
    created either, so the admin can simply try again (a half-made account would block the
    address)."""
    if not actor.has_perm(INVITE_STAFF):
        raise PermissionDenied("Only service admins invite staff.")
    role = Role(role)
    if role in ROLES_NEEDING_A_TEAM and team is None:
        raise ValidationError(
            {"team": _("Choose a team: keyworkers and team leads work in a team.")}
        )
    with transaction.atomic():
        # upsert_staff_user would update an existing account: an invitation never does.
        if email_in_use(email):
            raise ValidationError(
                {"email": _("A staff account already uses this email address.")},
                code="email_in_use",
            )
        user = upsert_staff_user(email=email, full_name=full_name.strip(), team=team, roles={role})
        send_invitation(user)
        audit.record(
            actor=actor, action=AuditAction.INVITED_STAFF, team=team, user=user.pk, role=role
        )
    return user
