"""The production shape described by docker-compose.yml (no Docker engine runs here)."""

import yaml
from django.conf import settings


def load_compose():
    return yaml.safe_load((settings.BASE_DIR / "docker-compose.yml").read_text())


def test_compose_runs_web_worker_beat_postgres_16_and_redis_7():
    services = load_compose()["services"]
    assert {"web", "worker", "beat", "db", "redis", "migrate"} <= set(services)
    assert services["db"]["image"].startswith("postgres:16")
    assert services["redis"]["image"].startswith("redis:7")
    assert "gunicorn" in " ".join(services["web"]["command"])
    assert "worker" in services["worker"]["command"]
    assert "beat" in services["beat"]["command"]


def test_compose_app_services_run_in_production_mode_against_compose_services():
    compose = load_compose()
    common = compose["x-app"]["environment"]
    assert common["HAVEN_ENV"] == "production"
    assert "@db:5432/" in common["DATABASE_URL"]
    # Web, worker and beat connect as the application role; only migrate as the owner.
    assert common["DATABASE_URL"].startswith("postgres://haven_app:")
    assert common["DATABASE_APP_ROLE"] == "haven_app"
    migrate = compose["services"]["migrate"]["environment"]
    assert migrate["DATABASE_URL"].startswith("postgres://haven:")
    assert migrate["DATABASE_APP_ROLE"] == "haven_app"
    db = compose["services"]["db"]
    assert any("docker-entrypoint-initdb.d" in volume for volume in db["volumes"])
    init = (settings.BASE_DIR / "deploy/postgres-init.sh").read_text()
    assert "CREATE ROLE haven_app LOGIN" in init
    assert common["REDIS_URL"].startswith("redis://redis:6379")
    # The secret comes from the operator's environment; compose fails loudly without it.
    assert common["SECRET_KEY"].startswith("${SECRET_KEY:?")
    assert common["FIELD_ENCRYPTION_SALTS"].startswith("${FIELD_ENCRYPTION_SALTS:?")


def test_dockerfile_runs_as_an_unprivileged_user_and_collects_static_files():
    dockerfile = (settings.BASE_DIR / "Dockerfile").read_text()
    assert "FROM python:3.11" in dockerfile
    assert "collectstatic" in dockerfile
    assert "\nUSER " in dockerfile
