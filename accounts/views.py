"""Staff accounts pages: the people list, invitations, deactivation and the session keep-alive.

Only service admins (permission ``referrals.invite_staff``) see the people pages; everyone
else gets 404, so the pages' existence is not revealed (least privilege, docs/design.md,
safety rules).
"""

from allauth.mfa.models import Authenticator
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.forms import InviteStaffForm, StaffRolesForm
from accounts.models import User
from accounts.services.invitations import InvitationNotSent, invite_staff_member
from accounts.services.staff import (
    RoleNoticeNotSent,
    change_staff_roles,
    deactivate_staff_member,
    role_names,
)
from core.permissions import INVITE_STAFF, permission_or_404

# The people pages: service admins who invite and deactivate staff.
staff_managers_only = permission_or_404(INVITE_STAFF)


def staff_directory():
    """Every staff account with its team, roles and whether MFA is set up, in two queries
    however many people there are (users with team and MFA flag; their groups)."""
    has_totp = Authenticator.objects.filter(user=OuterRef("pk"), type=Authenticator.Type.TOTP)
    return (
        User.objects.select_related("team")
        .prefetch_related("groups")
        .annotate(has_mfa=Exists(has_totp))
        .order_by("-is_active", "full_name", "email")
    )


@require_safe
@staff_managers_only
def people(request):
    return render(request, "accounts/people.html", {"people": staff_directory()})


@require_http_methods(["GET", "HEAD", "POST"])
@staff_managers_only
def invite(request):
    form = InviteStaffForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            user = invite_staff_member(actor=request.user, **form.cleaned_data)
        except ValidationError as error:  # e.g. another admin invited her a moment ago
            form.add_error(None, error)
        except InvitationNotSent:
            form.add_error(
                None,
                _(
                    "The invitation email could not be sent, so no account was created. "
                    "Please try again in a few minutes."
                ),
            )
        else:
            messages.success(
                request,
                _("Invitation sent to %(email)s. The link in it works once.")
                % {"email": user.email},
            )
            return redirect("accounts:people")
    return render(request, "accounts/invite.html", {"form": form})


@require_http_methods(["GET", "HEAD", "POST"])
@staff_managers_only
def deactivate(request, pk):
    person = get_object_or_404(User, pk=pk)
    if request.method != "POST":
        return render(request, "accounts/deactivate.html", {"person": person})
    try:
        deactivate_staff_member(actor=request.user, user=person)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("The account of %(name)s is deactivated: they can no longer sign in.")
            % {"name": person.full_name},
        )
    return redirect("accounts:people")


@require_http_methods(["GET", "HEAD", "POST"])
@staff_managers_only
def change_roles(request, pk):
    person = get_object_or_404(User, pk=pk, is_active=True)
    own_account = person.pk == request.user.pk
    initial = {"roles": sorted(person.roles), "team": person.team_id}
    form = StaffRolesForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and not own_account and form.is_valid():
        try:
            change_staff_roles(
                actor=request.user, user=person, roles=set(form.cleaned_data["roles"]),
                team=form.cleaned_data["team"],
            )  # fmt: skip
        except ValidationError as error:
            form.add_error(None, error)
        except RoleNoticeNotSent:
            form.add_error(
                None,
                _(
                    "The e-mails announcing the change could not be sent, so nothing was "
                    "changed. Please try again in a few minutes."
                ),
            )
        else:
            person.refresh_from_db()
            person.__dict__.pop("_roles_cache", None)
            messages.success(
                request,
                _("%(name)s now has: %(roles)s. They and every service admin have been told.")
                % {"name": person.full_name, "roles": role_names(person.roles)},
            )
            return redirect("accounts:people")
    # A POST that got here changed nothing: her own account, or the form was refused.
    return render(
        request, "accounts/roles.html",
        {"person": person, "form": form, "own_account": own_account},
        status=400 if request.method == "POST" else 200,
    )  # fmt: skip


def _local_path(candidate: str) -> str | None:
    """``candidate`` if it is a path on this site, else None (no open redirects)."""
    if candidate.startswith("/") and url_has_allowed_host_and_scheme(candidate, None):
        return candidate
    return None


@require_POST
def keep_session_alive(request):
    """ "Stay signed in": any request restarts the inactivity timer; this one does nothing
    else. Script calls (``X-Requested-With: fetch``) get 204; the plain form goes back to
    the page it was on."""
    next_path = _local_path(request.POST.get("next", "")) or reverse("home:staff_home")
    if not request.user.is_authenticated:
        return redirect_to_login(next_path)
    # Saved with a fresh expiry (SESSION_SAVE_EVERY_REQUEST does this too; be explicit).
    request.session.modified = True
    if request.headers.get("X-Requested-With") == "fetch":
        return HttpResponse(status=204)
    return redirect(next_path)
