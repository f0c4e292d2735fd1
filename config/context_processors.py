from django.conf import settings
from django.utils.html import format_html


def safety(request):
    """Values public templates need: where "Exit this page" goes, and the number to call.
    The number is marked left-to-right: in a right-to-left page (Urdu) its groups of digits
    would otherwise be shown in reverse order, a wrong number."""
    return {
        "QUICK_EXIT_URL": settings.QUICK_EXIT_URL,
        "SERVICE_PHONE": format_html('<bdi dir="ltr">{}</bdi>', settings.SERVICE_PHONE),
    }
