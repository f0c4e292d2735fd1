"""Notices: the messages a change must cause, kept in PostgreSQL with the change (an outbox).

A service that changes something people must hear about calls ``notices.services.queue``
inside its own transaction. The notice commits or rolls back with the change; a worker
delivers it afterwards (woken straight after the commit, and swept every 30 seconds), so an
outage of Redis can delay a notice but never lose it or fail the request (docs/operations.md "When
Redis is down"). What a notice says, and to whom, is decided when it is delivered by the
handler its app registered for its kind (``notices.registry``)."""
