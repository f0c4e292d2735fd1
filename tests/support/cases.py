"""Acting on a case as staff do, through its pages."""

from django.urls import reverse


def post(client, name, referral, data=None, **headers):
    """Post to one of a case's actions (``case_add_note``, ``case_next_contact``...)."""
    return client.post(reverse(name, args=[referral.pk]), data or {}, **headers)
