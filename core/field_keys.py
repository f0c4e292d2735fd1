"""Derive the field-encryption keys once per process, not once per encrypted field.

django-fernet-encrypted-fields derives its Fernet keys (PBKDF2, 100,000 rounds per secret
and salt) lazily on each field object. Haven has dozens of encrypted fields, counting the
history models' copies, so a new web or worker process spent about two seconds of CPU on
its first request that read or wrote them: her first Send on a freshly started worker
waited for it. Every field derives the same keys from the same settings, so they are
derived once, at start-up, and shared.
"""

from django.apps import apps


def share_derived_keys() -> int:
    """Give every encrypted field the same derived keys. Returns how many fields share them."""
    from encrypted_fields.fields import EncryptedFieldMixin

    fields = [
        field
        for model in apps.get_models()
        for field in model._meta.concrete_fields
        if isinstance(field, EncryptedFieldMixin)
    ]
    if not fields:
        return 0
    keys = fields[0].keys  # derived here, once
    for field in fields:
        field.__dict__["keys"] = keys
        field.__dict__.pop("f", None)
    return len(fields)
