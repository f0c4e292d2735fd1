"""The suite's own promises: it can run on any day (tests/support/clock.py), and a process a test
starts uses exactly this run's database, Redis and clock (tests/support/processes.py)."""

import json
import subprocess
import sys
import uuid
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import environ
import pytest
import redis
import time_machine
from django.conf import settings
from django.db import connection

from tests.support.clock import destination
from tests.support.factories import TeamFactory
from tests.support.processes import child_process_environment, database_url_of

LONDON = ZoneInfo("Europe/London")
REAL_NOW = datetime(2026, 12, 2, 18, 0, tzinfo=UTC)


def half_past_midnight(*day) -> datetime:
    return datetime(*day, 0, 30, tzinfo=UTC)


def test_a_year_ahead_is_365_days_on():
    assert destination("year-ahead", real_now=REAL_NOW) == REAL_NOW + timedelta(days=365)


@pytest.mark.parametrize(
    ("clock", "real_now", "expected"),
    [
        ("spring-forward", REAL_NOW, half_past_midnight(2027, 3, 28)),
        ("fall-back", REAL_NOW, half_past_midnight(2027, 10, 31)),
        # Earlier in the year the same year's Sunday is still ahead.
        ("spring-forward", datetime(2027, 1, 5, tzinfo=UTC), half_past_midnight(2027, 3, 28)),
        ("fall-back", datetime(2028, 10, 1, tzinfo=UTC), half_past_midnight(2028, 10, 29)),
        # On the day itself the next year's is taken: the moment must still be ahead.
        ("spring-forward", datetime(2027, 3, 28, 9, tzinfo=UTC), half_past_midnight(2028, 3, 26)),
    ],
)  # fmt: skip
def test_the_clock_change_days_are_the_next_last_sundays(clock, real_now, expected):
    moment = destination(clock, real_now=real_now)
    assert moment == expected
    assert moment.astimezone(LONDON).weekday() == 6  # a Sunday


@pytest.mark.parametrize("clock", ["spring-forward", "fall-back"])
def test_the_clock_change_moments_are_half_an_hour_before_the_uk_clocks_change(clock):
    moment = destination(clock, real_now=REAL_NOW)
    before = moment.astimezone(LONDON).utcoffset()
    after = (moment + timedelta(hours=1)).astimezone(LONDON).utcoffset()
    assert before != after


def test_an_iso_moment_needs_its_offset():
    assert destination("2031-02-28T23:59:30+00:00", real_now=REAL_NOW) == datetime(
        2031, 2, 28, 23, 59, 30, tzinfo=UTC
    )
    with pytest.raises(pytest.UsageError):
        destination("2031-02-28T23:59:30", real_now=REAL_NOW)
    with pytest.raises(pytest.UsageError):
        destination("next tuesday", real_now=REAL_NOW)


@pytest.mark.parametrize(
    "db",
    [
        # The embedded PostgreSQL: no HOST, the socket directory in OPTIONS.
        {"NAME": "test_haven", "USER": "postgres", "PASSWORD": "", "HOST": "", "PORT": "",
         "OPTIONS": {"host": "/work/main/.data/postgres"}},
        {"NAME": "test_haven", "USER": "postgres", "PASSWORD": "", "HOST": "", "PORT": "",
         "OPTIONS": {"host": "/run/pg sockets", "port": 5433}},
        {"NAME": "test_haven", "USER": "haven", "PASSWORD": "p@ss:word/", "HOST": "db.internal",
         "PORT": 6543, "OPTIONS": {}},
        {"NAME": "test_haven", "USER": "postgres", "PASSWORD": "", "HOST": "/var/run/postgresql",
         "PORT": "", "OPTIONS": {"sslmode": "disable"}},
    ],
)  # fmt: skip
def test_the_database_url_for_a_child_names_the_same_server_and_database(db):
    parsed = environ.Env.db_url_config(database_url_of(db))
    host = parsed["HOST"] or parsed.get("OPTIONS", {}).get("host")
    port = parsed["PORT"] or parsed.get("OPTIONS", {}).get("port") or ""
    assert host == (db["HOST"] or db["OPTIONS"]["host"])
    assert str(port) == str(db["PORT"] or db["OPTIONS"].get("port", ""))
    assert (parsed["NAME"], parsed["USER"], parsed["PASSWORD"]) == (
        db["NAME"],
        db["USER"],
        db["PASSWORD"],
    )
    if "sslmode" in db["OPTIONS"]:
        assert parsed["OPTIONS"]["sslmode"] == "disable"


CHILD = """
import json, os, time, django
django.setup()
import redis
from django.conf import settings
from django.db import connection
from accounts.models import Team
print(json.dumps({
    "database": connection.settings_dict["NAME"],
    "user": connection.cursor().connection.info.user,
    "teams": sorted(Team.objects.values_list("name", flat=True)),
    "redis": redis.Redis.from_url(settings.REDIS_URL).get(os.environ["PROBE_KEY"]).decode(),
    "time": time.time(),
}))
"""


@pytest.mark.slow
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_process_a_test_starts_uses_this_runs_database_redis_and_clock():
    TeamFactory(name="Seen from the child")
    key = f"test-child-probe-{uuid.uuid4().hex}"
    store = redis.Redis.from_url(settings.REDIS_URL)
    store.set(key, "from the parent", ex=120)
    # A day the real clock never shows, so a child on the real clock would be caught.
    with time_machine.travel(datetime(2031, 6, 1, 12, 0, tzinfo=UTC), tick=True):
        result = subprocess.run(
            [sys.executable, "-c", CHILD],
            cwd=settings.BASE_DIR,
            env=child_process_environment(DJANGO_SETTINGS_MODULE="config.settings", PROBE_KEY=key),
            capture_output=True,
            text=True,
            timeout=120,
        )
        parent_time = datetime.now(UTC)
    store.delete(key)
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    assert seen["database"].startswith("test_")
    # As the application role where the run names one (make test does), as production's
    # web and worker processes connect.
    assert seen["user"] == (settings.DATABASE_APP_ROLE or connection.settings_dict["USER"])
    assert "Seen from the child" in seen["teams"]
    assert seen["redis"] == "from the parent"
    child_time = datetime.fromtimestamp(seen["time"], UTC)
    assert abs(child_time - parent_time) < timedelta(minutes=1)
    assert child_time.date() == date(2031, 6, 1)
