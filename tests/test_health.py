import pytest
from django.db import OperationalError
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


class UnreachableDatabase:
    def cursor(self):
        raise OperationalError("connection refused")


def test_healthz_names_the_database_as_down_when_it_cannot_be_reached(client, monkeypatch):
    monkeypatch.setattr(health, "connection", UnreachableDatabase())
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"] == {"database": "down", "redis": "ok"}


def test_healthz_is_not_cached(client, db):
    assert "no-store" in client.get("/healthz")["Cache-Control"]
