from django.conf import settings


def safety(request):
    """Values public templates need: where "Exit this page" goes, and the number to call."""
    return {"QUICK_EXIT_URL": settings.QUICK_EXIT_URL, "SERVICE_PHONE": settings.SERVICE_PHONE}
