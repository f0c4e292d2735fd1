"""Started only by the test suite (tests/support/clock.py: child_environment): a process a test
starts runs on the test's moved clock, shifted by the same number of seconds."""

import os

_shift = os.environ.get("HAVEN_TEST_CLOCK_SHIFT_SECONDS")
if _shift:
    import time

    import time_machine

    # Forked children (gunicorn and Celery pool workers) inherit the moved clock.
    time_machine.travel(time.time() + float(_shift), tick=True).start()
