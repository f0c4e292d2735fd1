"""Production refuses unsafe settings, passes `check --deploy`, and sends the strict headers.

Each case starts a fresh Python process, because settings are read once at start-up.
"""

import json
import os
import subprocess
import sys
import textwrap

import pytest
from django.conf import settings

from tests.support.processes import STRONG_SECRET, child_process_environment, run_django

pytestmark = pytest.mark.slow

START = (
    "import os, django;"
    " os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'config.settings'); django.setup()"
)


def test_production_refuses_to_start_without_its_own_secret_key():
    result = run_django(START, SECRET_KEY=None)
    assert result.returncode != 0
    assert "Refusing to start in production" in result.stderr
    assert "SECRET_KEY" in result.stderr


def test_production_refuses_the_development_secret_key():
    result = run_django(START, SECRET_KEY=settings.DEVELOPMENT_SECRET_KEY)
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_refuses_the_development_field_encryption_salt():
    result = run_django(START, FIELD_ENCRYPTION_SALTS=None)
    assert result.returncode != 0
    assert "FIELD_ENCRYPTION_SALTS" in result.stderr


def test_production_refuses_to_start_with_debug_on():
    result = run_django(START, DEBUG="true")
    assert result.returncode != 0
    assert "DEBUG must be off" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    result = run_django(START, ALLOWED_HOSTS=None)
    assert result.returncode != 0
    assert "ALLOWED_HOSTS" in result.stderr


def test_production_starts_with_safe_settings():
    result = run_django(START)
    assert result.returncode == 0, result.stderr


def test_check_deploy_has_no_warnings_in_production():
    result = run_django(["manage.py", "check", "--deploy", "--fail-level", "WARNING"])
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_serves_hashed_static_files_and_strict_headers(tmp_path):
    static_root = str(tmp_path / "static")
    collected = run_django(["manage.py", "collectstatic", "--noinput"], STATIC_ROOT=static_root)
    assert collected.returncode == 0, collected.stderr
    probe = textwrap.dedent(
        f"""
        {START}
        import json
        from django.test import Client
        response = Client(HTTP_HOST="haven.example.org").get("/", secure=True)
        insecure = Client(HTTP_HOST="haven.example.org").get("/")
        print(json.dumps({{
            "status": response.status_code,
            "headers": dict(response.headers),
            "body": response.content.decode(),
            "insecure_status": insecure.status_code,
            "insecure_location": insecure.headers.get("Location"),
        }}))
        """
    )
    result = run_django(probe, STATIC_ROOT=static_root)
    assert result.returncode == 0, result.stderr
    page = json.loads(result.stdout.strip().splitlines()[-1])
    assert page["status"] == 200
    headers = page["headers"]
    assert headers["Strict-Transport-Security"].startswith("max-age=31536000")
    assert headers["Referrer-Policy"] == "no-referrer"
    assert "no-store" in headers["Cache-Control"]
    assert "'unsafe-inline'" not in headers["Content-Security-Policy"]
    # Hashed file names: a new release never mixes with a stale cached stylesheet.
    assert "/static/vendor/bootstrap/bootstrap.min." in page["body"]
    assert 'bootstrap.min.css"' not in page["body"]
    assert page["insecure_status"] == 301
    assert page["insecure_location"].startswith("https://")


def test_production_cookies_are_secure():
    result = run_django(
        START + "; from django.conf import settings as s;"
        " print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY)"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "True", "True"]


def test_gunicorn_serves_healthz_over_plain_http_in_production():
    """The production web process starts from config/gunicorn.py and answers the probe."""
    import socket
    import time
    import urllib.request

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = child_process_environment(
        HAVEN_ENV="production",
        SECRET_KEY=STRONG_SECRET,
        FIELD_ENCRYPTION_SALTS="test-salt-one",
        ALLOWED_HOSTS="127.0.0.1",
        WEB_CONCURRENCY="1",
        GUNICORN_BIND=f"127.0.0.1:{port}",
        DJANGO_SETTINGS_MODULE=None,
    )
    gunicorn = os.path.join(os.path.dirname(sys.executable), "gunicorn")
    server = subprocess.Popen(
        [gunicorn, "-c", "config/gunicorn.py"], cwd=settings.BASE_DIR, env=env
    )
    try:
        body = None
        for _ in range(100):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as r:
                    body = json.loads(r.read())
                break
            except OSError:
                time.sleep(0.1)
        assert body == {"status": "ok", "checks": {"database": "ok", "redis": "ok"}}
    finally:
        server.terminate()
        server.wait(timeout=30)
