"""What a request came to, as the access matrices compare it: the page, sign-in, MFA set-up,
or a 404."""

from django.urls import reverse

OK = "ok"  # 200, or a redirect back to the case after a POST action
LOGIN = "login"
MFA = "mfa"
HIDDEN = 404


def outcome(response):
    if response.status_code == 302:
        location = response["Location"]
        if location.startswith(reverse("account_login")):
            return LOGIN
        if location.startswith(reverse("mfa_activate_totp")):
            return MFA
        return OK
    if response.status_code in (200, 400):
        return OK
    return response.status_code


def as_user(client, world, who):
    if who != "anonymous":
        client.force_login(world["people"][who])
    return client
