from django import template
from django.conf import settings
from django.utils.translation import ngettext

register = template.Library()


@register.inclusion_tag("accounts/_session_timeout.html", takes_context=True)
def session_timeout_warning(context):
    """The "you will be signed out" warning that static/js/session-timeout.js shows before
    the session ends after SESSION_COOKIE_AGE seconds of inactivity."""
    request = context.get("request")
    user = context.get("user")
    seconds = settings.SESSION_COOKIE_AGE
    warning_seconds = min(settings.SESSION_TIMEOUT_WARNING_SECONDS, seconds // 2)
    return {
        "show": bool(user and user.is_authenticated),
        "session_seconds": seconds,
        "warning_seconds": warning_seconds,
        "time_left": _time_left(warning_seconds),
        "current_path": request.get_full_path() if request else "",
        "csrf_token": context.get("csrf_token"),
    }


def _time_left(seconds: int) -> str:
    if seconds >= 60 and seconds % 60 == 0:
        minutes = seconds // 60
        return ngettext("%(count)d minute", "%(count)d minutes", minutes) % {"count": minutes}
    return ngettext("%(count)d second", "%(count)d seconds", seconds) % {"count": seconds}
