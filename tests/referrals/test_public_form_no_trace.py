"""What the public form leaves behind: the browser keeps none of her
answers for suggestions (autocomplete off on every form and control), her unfinished answers
are encrypted in the session row, and a posted field no step defines is never stored."""

import zlib

import pytest
from django.contrib.sessions.backends.db import SessionStore as PlainDatabaseSessionStore
from django.contrib.sessions.models import Session
from django.core import signing

from config.encrypted_sessions import SessionStore
from tests.support.pages import Page
from tests.support.referral_journey import (
    PROFESSIONAL,
    PROFESSIONAL_STEPS,
    SELF,
    SELF_STEPS,
    VALID_ANSWERS,
    complete,
    post_step,
    step_url,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("public_form_team")]

PRIVATE_ANSWERS = [
    VALID_ANSWERS["about"]["full_name"],
    VALID_ANSWERS["times"]["code_word"],
    VALID_ANSWERS["contact"]["email"],
    VALID_ANSWERS["times"]["if_someone_else_answers"],
]


def controls_and_forms(html: str):
    page = Page(html)
    forms = [e for e in page.elements if e["tag"] == "form"]
    controls = [
        e
        for e in page.elements
        if e["tag"] in {"input", "select", "textarea"}
        and e["attrs"].get("type") not in {"hidden", "submit", "button"}
    ]
    return forms, controls


@pytest.mark.parametrize(
    ("wizard", "steps"),
    [(SELF, SELF_STEPS[:-1]), (PROFESSIONAL, PROFESSIONAL_STEPS[:-1])],
    ids=["self", "professional"],
)
def test_every_public_form_and_control_has_autocomplete_off(client, wizard, steps):
    for step in steps:
        # As a step first shows, and as it shows with errors (an empty Continue) if it
        # has a question that must be answered.
        pages = [client.get(step_url(wizard, step))]
        posted_empty = post_step(client, wizard, step, {})
        if posted_empty.status_code == 200:
            pages.append(posted_empty)
        client.get(step_url(wizard, step))
        for html in (page.content.decode() for page in pages):
            forms, controls = controls_and_forms(html)
            assert forms, step
            assert controls, step
            for element in forms + controls:
                assert element["attrs"].get("autocomplete") == "off", (step, element["attrs"])
        post_step(client, wizard, step, {**VALID_ANSWERS[step], "referrer_confirmed_consent": "on"})


def readable_without_the_keys(session_data: str) -> str:
    """What someone reading the session table sees: Django's signed value is only signed,
    its payload is base64 (zlib-compressed when that is shorter), readable by anyone."""
    payload = session_data.split(":")[0]
    try:
        compressed = payload.startswith(".")
        data = signing.b64_decode(payload.lstrip(".").encode())
        return (zlib.decompress(data) if compressed else data).decode()
    except Exception:  # whatever fails to decode, the raw row is what is read
        return session_data


def test_a_plainly_signed_session_would_show_her_answers_to_anyone_reading_the_table():
    """The check below is a real one: Django's own database sessions give her answers away."""
    plain = PlainDatabaseSessionStore().encode({"answers": PRIVATE_ANSWERS})
    shown = readable_without_the_keys(plain)
    assert all(words in shown for words in PRIVATE_ANSWERS)


def test_her_unfinished_answers_are_encrypted_in_the_session_row(client):
    complete(client, SELF, ["about", "contact", "times"])
    raw = Session.objects.get().session_data
    shown = readable_without_the_keys(raw)
    assert not [words for words in PRIVATE_ANSWERS if words in shown or words in raw]
    assert not [words for words in PRIVATE_ANSWERS if words.encode() in raw.encode()]
    # The application itself reads them back: the next page shows them.
    html = client.get(step_url(SELF, "times")).content.decode()
    assert VALID_ANSWERS["times"]["code_word"] in html
    stored = SessionStore(session_key=Session.objects.get().session_key).load()
    assert VALID_ANSWERS["times"]["code_word"] in str(stored)


def test_a_session_row_that_does_not_decrypt_reads_as_empty():
    """A row from before the encryption (or a key since dropped) is no session, not an error."""
    plain = PlainDatabaseSessionStore()
    plain["answers"] = PRIVATE_ANSWERS
    plain.save()
    assert SessionStore(session_key=plain.session_key).load() == {}


def test_posted_fields_no_step_defines_are_dropped_not_stored(client):
    extra = {
        "about-secret_note": "he reads my phone",
        "about-preferred_name_typo": "Jasvinder Kaur Sandhu",
        "made_up_field": "somewhere she hides",
    }
    payload = {f"{SELF['prefix']}-current_step": "about"}
    payload.update({f"about-{name}": value for name, value in VALID_ANSWERS["about"].items()})
    payload.update(extra)
    assert client.post(step_url(SELF, "about"), payload).status_code == 302
    stored = SessionStore(session_key=Session.objects.get().session_key).load()
    kept = str(stored)
    for name, value in extra.items():
        assert name not in kept
        assert value not in kept
    # Nor the CSRF token or the step's own bookkeeping; her answers are there.
    step_data = stored[f"wizard_{SELF['prefix']}"]["step_data"]["about"]
    assert set(step_data) == {f"about-{name}" for name in VALID_ANSWERS["about"]}
    assert step_data["about-preferred_name"] == [VALID_ANSWERS["about"]["preferred_name"]]
