import pytest
from django.test import override_settings

from config import health


@pytest.mark.django_db
def test_healthz_reports_ok_when_database_and_redis_answer(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok", "redis": "ok"}}


@pytest.mark.django_db
def test_healthz_names_redis_as_down_when_it_cannot_be_reached(client):
    # Port 1 on loopback: nothing listens there, so the connection is refused.
    with override_settings(REDIS_URL="redis://127.0.0.1:1/0"):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "down", "checks": {"database": "ok", "redis": "down"}}


@pytest.mark.django_db
def test_healthz_names_the_database_as_down_when_it_cannot_be_reached(client, monkeypatch):
    """The check opens a connection of its own: here to a port where nothing listens."""
    from django.db import connection

    monkeypatch.setitem(connection.settings_dict, "HOST", "127.0.0.1")
    monkeypatch.setitem(connection.settings_dict, "PORT", "1")
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"] == {"database": "down", "redis": "ok"}


def test_a_check_still_hanging_from_the_last_probe_is_reported_down_at_once(client, monkeypatch):
    """While a server is frozen, probes do not pile up threads: the hanging check is not
    started again, and the answer comes within the probe's time."""
    import threading
    import time

    release = threading.Event()
    started = []

    def hangs():
        started.append(1)
        release.wait(10)
        return True

    monkeypatch.setitem(health.CHECKS, "database", hangs)
    try:
        first = time.monotonic()
        assert client.get("/healthz").json()["checks"]["database"] == "down"
        assert client.get("/healthz").json()["checks"]["database"] == "down"
        took = time.monotonic() - first
    finally:
        release.set()
        while health._in_flight:  # the released check finishes and says so
            time.sleep(0.01)
    assert started == [1]  # the second probe did not start a second waiting check
    assert took < 2 * health.ANSWER_WITHIN + 1, took


def test_healthz_is_not_cached(client, db):
    assert "no-store" in client.get("/healthz")["Cache-Control"]
