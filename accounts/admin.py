"""The technical Django admin: configuration only, for service admins only.

Everyone signs in through allauth (rate limits, MFA): config/urls.py wraps the admin's login
view with allauth's ``secure_admin_login`` around ``signed_in_admin_login`` below, so the
admin's own password form is never shown. Case data is never registered here.

Nothing here grants access: superuser status, groups (roles) and single permissions are
never offered, and groups are not registered. Roles change only on the staff people pages
(accounts/views.py: ``change_roles``), where nobody changes her own and everyone is told.
Every addition, change and deletion made here is written to Haven's audit log as well as
Django's admin log (``AuditedAdmin``; a test checks every registered admin uses it).
"""

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.contrib import admin
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from accounts.models import Team, User
from core import audit
from core.choices import AuditAction
from core.permissions import Role


def is_service_admin(request) -> bool:
    """Replaces ``AdminSite.has_permission``: the ``is_staff`` flag alone is not enough."""
    user = request.user
    return user.is_active and user.is_staff and user.has_role(Role.SERVICE_ADMIN)


admin.site.has_permission = is_service_admin


def signed_in_admin_login(request, extra_context=None):
    """The admin's login view, for people already signed in through allauth.

    Django's own login form would accept a password with no rate limit and no MFA, and would
    let a signed-in user switch to another account, so it is never rendered: a service
    admin goes on to the admin, anyone else is refused. (Signed-out visitors never get here:
    ``secure_admin_login`` sends them to allauth's sign-in page.)"""
    if not is_service_admin(request):
        raise PermissionDenied
    next_url = request.GET.get(REDIRECT_FIELD_NAME, "")
    if not url_has_allowed_host_and_scheme(next_url, None):
        next_url = reverse("admin:index")
    return redirect(next_url)


class AuditedAdmin(admin.ModelAdmin):
    """Writes what Django's admin log records to Haven's append-only audit log too: which
    record, and which fields changed (names only, never values)."""

    def _audit(self, request, action, obj, change_message=""):
        # No team link: the audit row must outlive whatever it names (a deleted record).
        audit.record(
            actor=request.user,
            action=action,
            team=None,
            model=obj._meta.label,
            object_id=str(obj.pk),
            object=str(obj)[:200],
            change=str(change_message)[:1000],
        )

    def log_addition(self, request, obj, message):
        self._audit(request, AuditAction.ADMIN_ADDED, obj, message)
        return super().log_addition(request, obj, message)

    def log_change(self, request, obj, message):
        self._audit(request, AuditAction.ADMIN_CHANGED, obj, message)
        return super().log_change(request, obj, message)

    def log_deletions(self, request, queryset):
        for obj in queryset:
            self._audit(request, AuditAction.ADMIN_DELETED, obj)
        return super().log_deletions(request, queryset)


# Roles are groups: they are given on the people pages only. allauth's e-mail addresses
# follow the staff account's own address and are not edited by hand.
for model in (Group, EmailAddress):
    if admin.site.is_registered(model):
        admin.site.unregister(model)


@admin.register(Team)
class TeamAdmin(AuditedAdmin):
    list_display = ["name"]
    search_fields = ["name"]


@admin.register(User)
class UserAdmin(AuditedAdmin, DjangoUserAdmin):
    """Staff accounts, for looking up and correcting a name or e-mail address. People are
    invited, given roles and deactivated on the staff people pages, never here."""

    ordering = ["email"]
    list_display = ["email", "full_name", "team", "role_names", "is_active", "is_staff"]
    list_filter = ["team", "is_active", "is_staff"]
    search_fields = ["email", "full_name"]
    list_select_related = ["team"]
    fieldsets = (
        (None, {"fields": ("email", "full_name")}),
        (
            "Access (changed on the staff people pages)",
            {"fields": ("team", "role_names", "is_active", "is_staff", "is_superuser")},
        ),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )
    readonly_fields = [
        "team", "role_names", "is_active", "is_staff", "is_superuser", "last_login",
        "date_joined",
    ]  # fmt: skip

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("groups")

    @admin.display(description="Roles")
    def role_names(self, obj):
        return ", ".join(sorted(str(role.label) for role in obj.roles)) or "No role"

    def has_add_permission(self, request):
        return False  # invitations, from the people pages

    def has_delete_permission(self, request, obj=None):
        return False  # deactivation keeps the audit trail's names

    def get_urls(self):
        # Django's "change password" page would let an admin set anyone's password; staff
        # reset their own through allauth's e-mailed link.
        return [url for url in super().get_urls() if "password" not in str(url.pattern)]


# allauth's own admin for authenticators shows and edits the stored TOTP secret, which would
# let whoever reads it pass someone else's MFA. This one only lists them and allows deletion,
# which resets a lost authenticator (she sets up a new one at her next staff page).
if admin.site.is_registered(Authenticator):
    admin.site.unregister(Authenticator)


@admin.register(Authenticator)
class AuthenticatorAdmin(AuditedAdmin):
    list_display = ["user", "type", "created_at", "last_used_at"]
    list_filter = ["type"]
    list_select_related = ["user"]
    search_fields = ["user__email", "user__full_name"]
    fields = ["user", "type", "created_at", "last_used_at"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
