from django.conf import settings


def safety(request):
    """Values every template needs for the safety rules: where "Exit this page" goes."""
    return {"QUICK_EXIT_URL": settings.QUICK_EXIT_URL}
