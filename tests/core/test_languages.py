"""Her pages in her language: Polish, Romanian, Urdu (right to left), Punjabi (Gurmukhi)
and Bengali besides English, chosen by the address; a switcher that keeps what she typed;
her reminder link page in the language of her referral; staff see her language first."""

import re
from datetime import timedelta

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse
from django.utils import timezone, translation

from core.permissions import Role
from referrals.models import Referral
from sessions_booking.services.booking import book_client
from sessions_booking.services.links import issue_link
from tests.support.factories import (
    GroupSessionFactory,
    ReferralFactory,
    TeamFactory,
    UserFactory,
    enable_mfa,
)
from tests.support.referral_journey import SELF, SELF_STEPS, VALID_ANSWERS, complete, post_step

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("public_form_team")]

LANGUAGES = ["pl", "ro", "ur", "pa", "bn"]
OWN_NAMES = {
    "en-gb": "English",
    "pl": "Polski",
    "ro": "Română",
    "ur": "اردو",
    "pa": "ਪੰਜਾਬੀ",
    "bn": "বাংলা",
}
# "Thank you, we have your details" and "Exit this page", as each catalogue has them.
THANK_YOU = {
    "pl": "Dziękujemy, mamy Twoje dane",
    "ro": "Vă mulțumim, am primit datele dumneavoastră",
    "ur": "شکریہ، ہمیں آپ کی معلومات مل گئی ہیں",
    "pa": "ਧੰਨਵਾਦ, ਸਾਨੂੰ ਤੁਹਾਡੀ ਜਾਣਕਾਰੀ ਮਿਲ ਗਈ ਹੈ",
    "bn": "ধন্যবাদ, আমরা আপনার তথ্য পেয়েছি",
}
EXIT = {
    "pl": "Opuść tę stronę",
    "ro": "Părăsiți această pagină",
    "ur": "یہ صفحہ چھوڑیں",
    "pa": "ਇਹ ਪੰਨਾ ਛੱਡੋ",
    "bn": "এই পাতা ছেড়ে যান",
}


def in_language(language: str, url_name: str, **kwargs) -> str:
    with translation.override(language):
        return reverse(url_name, kwargs=kwargs or None)


def html_of(response) -> str:
    return response.content.decode()


def input_value(html: str, name: str) -> str | None:
    match = re.search(rf'<input[^>]*name="{re.escape(name)}"[^>]*>', html)
    value = re.search(r'value="([^"]*)"', match.group(0)) if match else None
    return value.group(1) if value else None


# --- the address chooses the language ---------------------------------------------------


def test_english_is_unprefixed_and_each_language_has_its_prefix():
    assert reverse("public:self_referral_step", kwargs={"step": "about"}) == "/refer/about/"
    assert in_language("pl", "public:self_referral_step", step="about") == "/pl/refer/about/"
    assert in_language("ur", "public:home") == "/ur/"
    # Staff pages and her reminder link have no language prefix.
    assert in_language("pl", "home:staff_home") == "/staff/"


@pytest.mark.parametrize("language", LANGUAGES)
def test_each_public_page_is_in_the_language_of_its_address(client, language):
    for url in (
        f"/{language}/",
        f"/{language}/refer/about/",
        f"/{language}/refer/professional/referrer/",
    ):
        response = client.get(url)
        html = html_of(response)
        assert response.status_code == 200, url
        assert response["Content-Language"] == language
        assert f'<html lang="{language}"' in html
        assert EXIT[language] in html, url
        # The safety rules hold in every language: quick exit first, no store, no cookie
        # naming the language, no inline script or style (CSP).
        links = re.findall(r"<a [^>]*>", html)
        assert "data-quick-exit" in links[1], url
        assert response["Cache-Control"].startswith("no-store")
        assert "django_language" not in response.cookies
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), url
        assert " style=" not in html, url


def test_the_browser_language_never_chooses_the_page_language(client):
    """An unprefixed address is English whatever the browser asks for: the language she
    sees is the one in the address she chose, and nothing is remembered."""
    response = client.get("/refer/about/", HTTP_ACCEPT_LANGUAGE="pl,ur;q=0.8")
    assert response["Content-Language"] == "en-gb"
    assert "Exit this page" in html_of(response)


# --- right to left ----------------------------------------------------------------------


def test_urdu_pages_are_right_to_left_with_bootstraps_mirrored_stylesheet(client):
    for url in ("/ur/", "/ur/refer/about/", "/ur/refer/professional/referrer/"):
        html = html_of(client.get(url))
        assert '<html lang="ur" dir="rtl">' in html, url
        assert "vendor/bootstrap/bootstrap.rtl.min.css" in html, url
        assert "vendor/bootstrap/bootstrap.min.css" not in html, url
    assert finders.find("vendor/bootstrap/bootstrap.rtl.min.css")


@pytest.mark.parametrize("language", ["en-gb", "pl", "ro", "pa", "bn"])
def test_left_to_right_pages_keep_the_ordinary_stylesheet(client, language):
    url = "/refer/about/" if language == "en-gb" else f"/{language}/refer/about/"
    html = html_of(client.get(url))
    assert 'dir="ltr"' in html.split(">", 2)[1]
    assert "vendor/bootstrap/bootstrap.min.css" in html
    assert "bootstrap.rtl" not in html


def test_our_own_css_uses_logical_sides_so_it_mirrors():
    for name in ("css/haven.css", "css/calendar.css", "css/dataprotection.css"):
        css = open(finders.find(name), encoding="utf-8").read()  # noqa: SIM115
        css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
        assert not re.search(r"(?<![-\w])(left|right)\s*:|-(left|right)\b", css), name


# --- the switcher -----------------------------------------------------------------------


def test_the_switcher_names_each_language_in_itself_with_its_lang(client):
    html = html_of(client.get("/pl/"))
    switcher = re.search(r'<nav class="language-switcher".*?</nav>', html, re.S).group(0)
    assert 'aria-label="Język"' in switcher
    for code, name in OWN_NAMES.items():
        assert re.search(rf'lang="{code}"[^>]*>{name}<', switcher), code
    assert re.search(r'<span lang="pl" aria-current="true">Polski</span>', switcher)
    # Away from the form, plain links to the same page in each language (no JavaScript).
    assert 'href="/ro/" hreflang="ro"' in switcher
    assert 'href="/" hreflang="en-gb"' in switcher
    assert 'dir="rtl">اردو<' in switcher


def test_on_the_form_the_switcher_buttons_post_the_form_without_javascript(client):
    html = html_of(client.get("/refer/contact/"))
    assert '<form method="post" action="/refer/contact/" id="referral-form"' in html
    buttons = re.findall(r'<button type="submit" form="referral-form"[^>]*>', html)
    assert len(buttons) == 5
    for button in buttons:
        assert 'name="switch_language"' in button
        assert "formnovalidate" in button


def test_switching_language_keeps_her_answers_and_she_carries_on_in_polish(client):
    """Step 1 answered in English; on step 2 she has typed a little and switches to
    Polish: the same step opens in Polish with what she typed, step 1 keeps its answers,
    and she finishes the form in Polish."""
    assert post_step(client, SELF, "about").url == "/refer/contact/"
    half_typed = {
        f"{SELF['prefix']}-current_step": "contact",
        "contact-phone": "07911 123456",
        "contact-email": "jas@example.org",
        "switch_language": "pl",
    }
    response = client.post("/refer/contact/", half_typed)
    assert response.status_code == 302
    assert response.url == "/pl/refer/contact/"

    page = html_of(client.get(response.url))
    assert "Twoje bezpieczeństwo" in page  # "Keeping you safe"
    assert input_value(page, "contact-phone") == "07911 123456"
    assert input_value(page, "contact-email") == "jas@example.org"
    assert "Wystąpił problem" not in page  # no errors for what she has not finished

    first_step = html_of(client.get("/pl/refer/about/"))
    assert "O Tobie" in first_step
    assert (
        input_value(first_step, "about-preferred_name") == VALID_ANSWERS["about"]["preferred_name"]
    )
    assert input_value(first_step, "about-postcode") == VALID_ANSWERS["about"]["postcode"]

    with translation.override("pl"):
        last = complete(client, SELF, SELF_STEPS[1:])
    assert last.url == "/pl/refer/sent/"
    confirmation = html_of(client.get(last.url))
    assert THANK_YOU["pl"] in confirmation
    referral = Referral.objects.get()
    assert referral.preferred_name == VALID_ANSWERS["about"]["preferred_name"]
    assert referral.code_word == "bluebell"


def test_switching_from_polish_back_to_english_keeps_her_answers(client):
    with translation.override("pl"):
        post_step(client, SELF, "about")
    response = client.post(
        "/pl/refer/about/",
        {f"{SELF['prefix']}-current_step": "about", "about-preferred_name": "Ola",
         "switch_language": "en-gb"},
    )  # fmt: skip
    assert response.url == "/refer/about/"
    page = html_of(client.get(response.url))
    assert "About you" in page
    assert input_value(page, "about-preferred_name") == "Ola"


def test_an_unknown_language_keeps_her_on_the_same_page_in_the_same_language(client):
    response = client.post(
        "/pl/refer/about/",
        {f"{SELF['prefix']}-current_step": "about", "about-preferred_name": "Ola",
         "switch_language": "xx"},
    )  # fmt: skip
    assert response.url == "/pl/refer/about/"
    assert input_value(html_of(client.get(response.url)), "about-preferred_name") == "Ola"


def test_the_confirmation_page_has_no_switcher_it_is_shown_only_once(client):
    with translation.override("ro"):
        last = complete(client, SELF, SELF_STEPS)
    html = html_of(client.get(last.url))
    assert THANK_YOU["ro"] in html
    assert "language-switcher" not in html


# --- every language, end to end ----------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_she_completes_the_form_in_her_language_and_gets_her_confirmation_in_it(client, language):
    with translation.override(language):
        last = complete(client, SELF, SELF_STEPS)
    assert last.url == f"/{language}/refer/sent/"
    response = client.get(last.url)
    html = html_of(response)
    assert response["Content-Language"] == language
    assert THANK_YOU[language] in html
    reference = Referral.objects.get().reference
    assert f"{reference[:4]} {reference[4:]}" in html
    assert "Thank you" not in html
    assert "What happens next" not in html


def test_an_error_summary_in_urdu(client):
    response = client.post(
        "/ur/refer/about/",
        {f"{SELF['prefix']}-current_step": "about", "about-preferred_name": "",
         "about-postcode": "nope"},
    )  # fmt: skip
    html = html_of(response)
    assert response.status_code == 200
    assert '<html lang="ur" dir="rtl">' in html
    assert "<title>غلطی:" in html  # "Error:"
    summary = re.search(r'<div class="error-summary.*?</div>', html, re.S).group(0)
    assert "ایک مسئلہ ہے" in summary  # "There is a problem"
    assert "براہِ کرم اس سوال کا جواب دیں۔" in summary  # "Please answer this question."
    # Its example postcode isolated left to right (core/bidi.py).
    assert 'پوسٹ کوڈ لکھیں جیسے <bdi dir="ltr">B12 9QL</bdi>' in summary
    assert "ایک مسئلہ ہے" in summary
    assert not re.search(r"[A-Za-z]{4,}", re.sub(r"<[^>]*>|B12 9QL|B12", "", summary))


def test_djangos_own_field_errors_are_in_our_words_and_translated(client):
    with translation.override("pa"):
        family = {**VALID_ANSWERS["family"], "children_count": "many"}
        html = html_of(post_step(client, SELF, "family", family))
        support = {**VALID_ANSWERS["support"], "safe_now": ""}
        html += html_of(post_step(client, SELF, "support", support))
    assert "ਇੱਕ ਅੰਕ ਲਿਖੋ, ਜਿਵੇਂ 2।" in html  # "Enter a number, like 2."
    assert "ਕਿਰਪਾ ਕਰਕੇ ਇਸ ਸਵਾਲ ਦਾ ਜਵਾਬ ਦਿਓ।" in html  # "Please answer this question."
    assert "Enter a whole number" not in html
    assert "This field is required" not in html


# --- her reminder link page -------------------------------------------------------------


@pytest.fixture
def session():
    start = timezone.now() + timedelta(days=3)
    return GroupSessionFactory(
        starts_at=start, ends_at=start + timedelta(hours=2),
        booking_cutoff=start - timedelta(hours=1), capacity=4, creche_places=0,
    )  # fmt: skip


def her_link(keyworker, session, **referral) -> str:
    woman = ReferralFactory(
        team=keyworker.team, assigned_to=keyworker, safe_channels=["sms"],
        phone="+447911123456", safe_days=[], safe_from=None, safe_until=None, **referral,
    )  # fmt: skip
    booking = book_client(actor=keyworker, referral=woman, session=session)
    return issue_link(booking).replace("http://127.0.0.1:8000", "")


@pytest.mark.parametrize(
    ("preferred", "language", "title"),
    [
        ("ur", "ur", "آپ کی ملاقات"),
        ("pa", "pa", "ਤੁਹਾਡੀ ਮੁਲਾਕਾਤ"),
        ("bn", "bn", "আপনার অ্যাপয়েন্টমেন্ট"),
        ("pl", "pl", "Twoje spotkanie"),
        ("ro", "ro", "Programarea dumneavoastră"),
        ("en", "en-gb", "Your appointment"),
        ("other", "en-gb", "Your appointment"),
    ],
)
def test_the_reminder_link_page_is_in_her_preferred_language(
    client, keyworker, session, preferred, language, title
):
    url = her_link(keyworker, session, preferred_language=preferred)
    response = client.get(url)
    html = html_of(response)
    assert response.status_code == 200
    assert response["Content-Language"] == language
    assert f'<html lang="{language}" dir="{"rtl" if language == "ur" else "ltr"}">' in html
    assert f"<title>{title}</title>" in html
    assert "Haven" not in html
    # Confirming works the same way in her language, and comes back to her page.
    assert client.post(url, {"action": "confirm"}).status_code == 302
    assert response["Cache-Control"].startswith("no-store")


def test_an_unknown_link_is_in_english(client):
    response = client.get("/r/AAAAAAAAAAAA/")
    assert response.status_code == 404
    assert response["Content-Language"] == "en-gb"


# --- staff see her language and whether she needs an interpreter -------------------------


def test_staff_see_her_language_and_interpreter_on_the_case_caseload_and_queue(client):
    team = TeamFactory(name="North")
    keyworker = enable_mfa(UserFactory(team=team, roles={Role.KEYWORKER}))
    client.force_login(keyworker)
    hers = ReferralFactory(team=team, assigned_to=keyworker, preferred_language="ur",
                           needs_interpreter=True, status="contacting")  # fmt: skip
    waiting = ReferralFactory(team=team, assigned_to=None, status="new",
                              preferred_language="pl", needs_interpreter=True)  # fmt: skip

    case = html_of(client.get(reverse("referrals:case_detail", args=[hers.pk])))
    top = case.split('id="safe-contact-heading"')[0]
    assert re.search(r"Language:</strong> Urdu", top)
    assert "Needs an interpreter" in top

    caseload = html_of(client.get(reverse("home:staff_home")))
    assert '<th scope="col">Language</th>' in caseload
    assert re.search(
        r"<td>Urdu <span class=\"badge[^\"]*\">Needs an interpreter</span></td>", caseload
    )

    queue = html_of(client.get(reverse("referrals:team_queue")))
    assert '<th scope="col">Language</th>' in queue
    assert waiting.preferred_name in queue
    assert re.search(
        r"<td>Polish <span class=\"badge[^\"]*\">Needs an interpreter</span></td>", queue
    )
