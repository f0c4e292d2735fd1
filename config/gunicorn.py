"""gunicorn settings for the production image: ``gunicorn -c config/gunicorn.py``."""

import multiprocessing
import os

wsgi_app = "config.wsgi:application"
bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")  # all interfaces: inside a container
# The usual rule for synchronous workers: 2 x cores + 1, overridable per host.
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
# Recycle workers now and then so a slow leak can never take a worker down.
max_requests = 2000
max_requests_jitter = 200
accesslog = "-"
# A web request's statements may take this long in PostgreSQL (settings.py, "Bounded
# waits"); well inside the client deadline and gunicorn's timeout.
os.environ.setdefault("DB_STATEMENT_TIMEOUT_MS", "4000")
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "*")
