from celery import shared_task

from notices.services import deliver_waiting


@shared_task(name="notices.tasks.deliver_waiting_notices", ignore_result=True)
def deliver_waiting_notices() -> int:
    """Woken after a commit that queued notices, and by beat every 30 seconds."""
    return deliver_waiting()
