"""Haven's settings (config/settings.py, read as they are, production profile included)
with one change: the URLconf adds the benchmark's minimal view (bench/web_urls.py).

The benchmark's web server runs with ``DJANGO_SETTINGS_MODULE=bench.web_settings``:
config/settings.py has ROOT_URLCONF fixed, so this is the way to serve one extra view
without touching config/. Everything else, middleware included, is Haven's.
"""

from config.settings import *  # noqa: F403 - every setting, unchanged

ROOT_URLCONF = "bench.web_urls"
