from urllib.parse import urlencode

from allauth.mfa.utils import is_mfa_enabled
from django.shortcuts import redirect
from django.urls import reverse

# Everything that shows or changes case data or configuration lives under these prefixes.
MFA_PROTECTED_PREFIXES = ("/staff/", "/django-admin/")


class RequireMFAMiddleware:
    """No case data before MFA: a signed-in user without an authenticator is sent to set one
    up from every staff page (docs/design.md, roles). allauth's own pages under /accounts/
    (MFA setup, password change, sign out) stay reachable."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            user.is_authenticated
            and request.path_info.startswith(MFA_PROTECTED_PREFIXES)
            and not is_mfa_enabled(user)
        ):
            query = urlencode({"next": request.get_full_path()})
            return redirect(f"{reverse('mfa_activate_totp')}?{query}")
        return self.get_response(request)
