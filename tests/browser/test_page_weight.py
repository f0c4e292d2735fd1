"""The public form's first load is light: under 150 KB transferred (HTML, CSS and JavaScript
together), measured as production serves it.

Django's live server neither compresses nor hashes static files, so this starts the real
production web process (gunicorn, HAVEN_ENV=production, after collectstatic: WhiteNoise then
serves pre-compressed files) and lets Chromium load the page from it, counting the bytes
that came over the wire: headers and encoded bodies, as a phone would download them.
"""

import os
import socket
import subprocess
import sys
import time
import urllib.request

import pytest
from django.conf import settings

from tests.support.processes import child_process_environment

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.any_day, pytest.mark.django_db]

BUDGET_BYTES = 150 * 1000


def production_env(static_root, port):
    # The test database: the page must not depend on anything the tests did not set up.
    return child_process_environment(
        HAVEN_ENV="production",
        SECRET_KEY="k3x9-" * 12,
        FIELD_ENCRYPTION_SALTS="test-salt-one",
        ALLOWED_HOSTS="127.0.0.1",
        STATIC_ROOT=str(static_root),
        WEB_CONCURRENCY="1",
        GUNICORN_BIND=f"127.0.0.1:{port}",
        DJANGO_SETTINGS_MODULE=None,
    )


@pytest.fixture
def production_site(tmp_path):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = production_env(tmp_path / "static", port)
    collected = subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput"],
        cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert collected.returncode == 0, collected.stderr
    gunicorn = os.path.join(os.path.dirname(sys.executable), "gunicorn")
    server = subprocess.Popen(
        [gunicorn, "-c", "config/gunicorn.py"],
        cwd=settings.BASE_DIR, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(150):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2).close()
                break
            except OSError:
                time.sleep(0.1)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_the_public_forms_first_load_is_under_150_kb(production_site, chromium):
    # Behind the load balancer the app sees HTTPS (X-Forwarded-Proto); without it,
    # production would redirect this plain-HTTP request to https://.
    context = chromium.new_context(
        viewport={"width": 360, "height": 740},
        extra_http_headers={"X-Forwarded-Proto": "https"},
    )
    page = context.new_page()
    loaded = []
    page.on("requestfinished", lambda request: loaded.append(request))
    response = page.goto(f"{production_site}/refer/")
    page.wait_for_load_state("networkidle")
    assert response.status == 200

    transferred = 0
    report = []
    for request in loaded:
        sizes = request.sizes()
        size = sizes["responseHeadersSize"] + sizes["responseBodySize"]
        transferred += size
        encoding = request.response().headers.get("content-encoding", "none")
        report.append(f"{request.url} {encoding} {size} bytes")
    kinds = {request.resource_type for request in loaded}
    assert {"document", "stylesheet", "script"} <= kinds, report
    # What a phone downloads: the static files compressed, as WhiteNoise serves them.
    stylesheets = [r for r in loaded if r.resource_type == "stylesheet"]
    assert all(r.response().headers.get("content-encoding") for r in stylesheets), report
    print("\n".join(report), f"\ntotal {transferred} bytes")
    assert transferred < BUDGET_BYTES, "\n".join(report)
    context.close()
