"""Haven's URLs (config/urls.py) plus ``/bench/minimal``, for the benchmark only.

The minimal view is the framework ceiling the pages are compared with: it goes through
every middleware Haven has, like any page, but reads nothing and renders nothing.
(``/healthz`` is not minimal: it asks PostgreSQL and Redis.)
"""

from django.http import HttpResponse
from django.urls import path
from django.views.decorators.http import require_safe

from config.urls import urlpatterns as haven_urlpatterns

MINIMAL_PATH = "bench/minimal"


@require_safe
def minimal(request):
    return HttpResponse(b"ok", content_type="text/plain")


urlpatterns = [path(MINIMAL_PATH, minimal, name="bench_minimal"), *haven_urlpatterns]
