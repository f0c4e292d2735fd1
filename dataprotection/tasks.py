"""The daily retention run (Celery beat: CELERY_BEAT_SCHEDULE["run-retention"])."""

from celery import shared_task

from dataprotection.services import run_retention as run_retention_rules


# Anonymising a large backlog can take longer than the default one-minute limit; each case
# is its own transaction, so a run cut short keeps what it did and the next run goes on.
@shared_task(name="dataprotection.tasks.run_retention", soft_time_limit=30 * 60, time_limit=31 * 60)
def run_retention() -> dict:
    """Anonymise the cases whose retention period has ended (no actor: the service)."""
    return run_retention_rules()
