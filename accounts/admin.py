"""The technical Django admin: configuration only, for service admins only.

Everyone signs in through allauth (rate limits, MFA): config/urls.py wraps the admin's login
view with allauth's ``secure_admin_login`` around ``signed_in_admin_login`` below, so the
admin's own password form is never shown. Case data is never registered here.
"""

from allauth.mfa.models import Authenticator
from django.contrib import admin
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from accounts.models import Team, User
from accounts.roles import Role


def service_admins_only(request) -> bool:
    """Replaces ``AdminSite.has_permission``: the ``is_staff`` flag alone is not enough."""
    user = request.user
    return user.is_active and user.is_staff and user.has_role(Role.SERVICE_ADMIN)


admin.site.has_permission = service_admins_only


def signed_in_admin_login(request, extra_context=None):
    """The admin's login view, for people already signed in through allauth.

    Django's own login form would accept a password with no rate limit and no MFA, and would
    let a signed-in user switch to another account, so it is never rendered: a service
    admin goes on to the admin, anyone else is refused. (Signed-out visitors never get here:
    ``secure_admin_login`` sends them to allauth's sign-in page.)"""
    if not service_admins_only(request):
        raise PermissionDenied
    next_url = request.GET.get(REDIRECT_FIELD_NAME, "")
    if not url_has_allowed_host_and_scheme(next_url, None):
        next_url = reverse("admin:index")
    return redirect(next_url)


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name"]
    search_fields = ["name"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ["email"]
    list_display = ["email", "full_name", "team", "is_active", "is_staff"]
    list_filter = ["team", "groups", "is_active", "is_staff"]
    search_fields = ["email", "full_name"]
    list_select_related = ["team"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Profile", {"fields": ("full_name", "team")}),
        ("Access", {"fields": ("is_active", "is_staff", "is_superuser", "groups")}),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("email", "full_name", "team", "password1", "password2"),
            },
        ),
    )


# allauth's own admin for authenticators shows and edits the stored TOTP secret, which would
# let whoever reads it pass someone else's MFA. This one only lists them and allows deletion,
# which resets a lost authenticator (she sets up a new one at her next staff page).
if admin.site.is_registered(Authenticator):
    admin.site.unregister(Authenticator)


@admin.register(Authenticator)
class AuthenticatorAdmin(admin.ModelAdmin):
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
