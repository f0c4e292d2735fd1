"""Server-side sessions, encrypted at rest (docs/design.md, safety rule 2).

Between the steps of the public form her unfinished answers live in her session (formtools'
session storage), so a session row holds her name, how to reach her safely and what she has
told us about her safety. Django's database backend only signs a session: anyone who can
read the table (a backup, a replica, a database user) can read her answers. This backend
encrypts each session with Fernet, using exactly the keys of django-fernet-encrypted-fields
(SECRET_KEY and its fallbacks, each with every FIELD_ENCRYPTION_SALTS value: the first key
encrypts, all decrypt), so rotating keys works the same way for sessions as for the
encrypted columns.

A row that does not decrypt (made before this backend, or with a key since dropped) reads as
an empty session, as Django treats a row whose signature does not match.
"""

import logging

from cryptography.fernet import InvalidToken
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from encrypted_fields.fields import EncryptedTextField

logger = logging.getLogger(__name__)

# The field's keys (derived once per process: key derivation is deliberately slow).
_cipher_source = EncryptedTextField()


def cipher():
    return _cipher_source.f


class SessionStore(DatabaseSessionStore):
    def encode(self, session_dict):
        signed = super().encode(session_dict)
        return cipher().encrypt(signed.encode()).decode()

    def decode(self, session_data):
        try:
            signed = cipher().decrypt(session_data.encode()).decode()
        except (InvalidToken, ValueError, TypeError):
            logger.info("session: a row that does not decrypt was read as an empty session")
            return {}
        return super().decode(signed)
