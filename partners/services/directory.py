"""Writes to the partner directory (service admins): organisations and their services."""

from django.db import transaction

from core import audit
from core.choices import AuditAction


@transaction.atomic
def save_organisation(*, actor, form):
    """Save a valid organisation form (new or changed)."""
    organisation = form.save()
    audit.record(actor=actor, action=AuditAction.CHANGED_PARTNERS, organisation=organisation.pk)
    return organisation


@transaction.atomic
def save_service(*, actor, form):
    """Save a valid partner service form (new or changed), with the teams it covers."""
    service = form.save()
    audit.record(actor=actor, action=AuditAction.CHANGED_PARTNERS, service=service.pk)
    return service
