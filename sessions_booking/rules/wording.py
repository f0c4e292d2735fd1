"""The words of a reminder (docs/design.md, safety rule 3): discreet by default.

A template is plain text with named placeholders, e.g. ``Reminder: {when} at {where}.
To confirm or cancel: {link}``. No other template syntax is accepted (no attribute access,
no format specs), so an admin's template can never reach into an object.

Discreet templates (the default) may not contain the service's name or any word that
tells a reader what the appointment is for. Templates naming the service are used only
for women who allowed it. Her preferred language is used where a template exists in it;
otherwise English.
"""

import string
from dataclasses import dataclass

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from core.bidi import is_bidi, isolate_text
from core.dates import short_date_time

REQUIRED = ("when", "where", "link")
NAMED_ONLY = ("programme", "service")
SMS_FRAGMENT = 160

# Words that say what the appointment is for. English applies to every language (English
# words turn up in any message); the others are the stems of the same words in each
# language and still need a native speaker's review.
DISALLOWED_WORDS = {
    "en": ("drug", "alcohol", "treatment", "recovery", "abuse", "addict", "substance",
           "rehab", "sober", "detox", "domestic violence", "safeguarding", "women's service"),
    "pl": ("narkoty", "alkohol", "leczeni", "terapi", "uzależni", "przemoc", "odwyk"),
    "ro": ("drog", "alcool", "tratament", "dependen", "abuz", "violen", "dezintox"),
    "ur": ("منشیات", "شراب", "علاج", "نشہ", "تشدد"),
    "pa": ("ਨਸ਼", "ਸ਼ਰਾਬ", "ਇਲਾਜ", "ਹਿੰਸਾ"),
    "bn": ("মাদক", "মদ", "চিকিৎসা", "নেশা", "নির্যাতন"),
}  # fmt: skip

# Built-in wording, used until an admin saves her own. Non-English texts are drafts that
# need a native speaker's review before go-live (docs/languages.md).
DEFAULTS = {
    ("en", False): ("Reminder", "Reminder: {when} at {where}. To confirm or cancel: {link}"),
    ("en", True): (
        "{service} reminder",
        "{service} reminder: {programme}, {when} at {where}. To confirm or cancel: {link}",
    ),
    ("pl", False): (
        "Przypomnienie", "Przypomnienie: {when}, {where}. Potwierdź lub odwołaj: {link}"
    ),
    ("ro", False): ("Memento", "Memento: {when}, {where}. Confirmați sau anulați: {link}"),
    ("ur", False): ("یاد دہانی", "یاد دہانی: {when}، {where}۔ تصدیق یا منسوخی کے لیے: {link}"),  # noqa: RUF001
    ("pa", False): ("ਯਾਦ", "ਯਾਦ ਰੱਖੋ: {when}, {where}। ਪੱਕਾ ਕਰਨ ਜਾਂ ਰੱਦ ਕਰਨ ਲਈ: {link}"),
    ("bn", False): ("মনে করিয়ে দেওয়া", "মনে রাখবেন: {when}, {where}। নিশ্চিত বা বাতিল করতে: {link}"),
}  # fmt: skip


@dataclass(frozen=True)
class Wording:
    language: str
    names_service: bool
    subject: str
    text: str


# Words that ask her to reply, per language: replies to our texts and emails go nowhere.
REPLY_WORDS = {
    "en": ("reply", "text back", "text us", "respond to this"),
    "pl": ("odpowiedz", "odpisz"),
    "ro": ("răspunde", "raspunde", "răspundeți"),
    "ur": ("جواب",),
    "pa": ("ਜਵਾਬ",),
    "bn": ("উত্তর",),
}


def placeholders(text: str) -> list[str]:
    """The placeholder names in ``text``. Raises ValueError for anything that is not a
    plain ``{name}`` (format specs, conversions, attribute or index access, stray
    braces)."""
    names = []
    for _literal, field, spec, conversion in string.Formatter().parse(text):
        if field is None:
            continue
        if spec or conversion or not field.isidentifier():
            raise ValueError(field)
        names.append(field)
    return names


def disallowed_words_in(text: str, *, language: str) -> list[str]:
    folded = text.casefold()
    words = [*DISALLOWED_WORDS["en"], *DISALLOWED_WORDS.get(language, ()), settings.SERVICE_NAME]
    return [word for word in words if word and word.casefold() in folded]


def problems(*, subject: str, text: str, language: str, names_service: bool) -> list[str]:
    """Why this template may not be used; an empty list if it may."""
    found = []
    allowed = set(REQUIRED) | (set(NAMED_ONLY) if names_service else set())
    for part in (subject, text):
        try:
            names = placeholders(part)
        except ValueError:
            found.append(_("Use placeholders exactly as shown, such as {when}; no other braces."))
            continue
        unknown = sorted(set(names) - allowed)
        if unknown:
            found.append(
                _("Unknown or not allowed here: %(names)s.")
                % {"names": ", ".join(f"{{{name}}}" for name in unknown)}
            )
    try:
        missing = [name for name in REQUIRED if name not in placeholders(text)]
    except ValueError:
        missing = []
    if missing:
        found.append(
            _("The message must include %(names)s.")
            % {"names": ", ".join(f"{{{name}}}" for name in missing)}
        )
    folded = f"{subject}\n{text}".casefold()
    if any(word in folded for word in REPLY_WORDS.get(language, ()) + REPLY_WORDS["en"]):
        found.append(
            _(
                "Nobody reads replies to these messages: do not ask her to reply. Ask her to "
                "use her link or to call instead."
            )
        )
    if not names_service:
        words = disallowed_words_in(f"{subject}\n{text}", language=language)
        if words:
            found.append(
                _(
                    "A discreet message must not say what the appointment is for or name "
                    "the service. Remove: %(words)s."
                )
                % {"words": ", ".join(f"“{word}”" for word in words)}
            )
    return found


def saved_wordings() -> dict[tuple[str, bool], tuple[str, str]]:
    """Every admin-edited wording (a handful of rows): read once per sweep batch."""
    from sessions_booking.models import MessageTemplate

    return {
        (t.language, t.names_service): (t.subject, t.text)
        for t in MessageTemplate.objects.only("language", "names_service", "subject", "text")
    }


def wording_for(*, language: str, may_name_service: bool, saved=None) -> Wording:
    """Her language if there is a template in it, else English; the named wording only if
    she allowed it and one exists in that language. ``saved``: from ``saved_wordings``."""
    saved = saved_wordings() if saved is None else saved
    for key in [(language, True), (language, False), ("en", True), ("en", False)]:
        if key[1] and not may_name_service:
            continue
        if key in saved or key in DEFAULTS:
            subject, text = saved.get(key) or DEFAULTS[key]
            return Wording(key[0], key[1], subject, text)
    raise LookupError("There is no English discreet wording.")  # DEFAULTS always has it


def fill(template: str, values: dict) -> str:
    return template.format_map({name: values.get(name, "") for name in placeholders(template)})


def one_line(address: str) -> str:
    """An address typed on several lines, as one line: "1 High Street, Walsall WS1 1AA"
    (any line ending, blank lines and a comma already at a line's end allowed for)."""
    lines = [line.strip().rstrip(",").strip() for line in address.splitlines()]
    return ", ".join(line for line in lines if line)


def values_for(session, *, link: str, language: str) -> dict:
    with translation.override(language):
        when = short_date_time(session.starts_at)
    return {
        "when": when,
        "where": one_line(session.venue.address),
        "link": link,
        "programme": session.programme.name,
        "service": settings.SERVICE_NAME,
    }


def render(wording: Wording, values: dict) -> tuple[str, str]:
    """(subject, text) with the placeholders filled in; in a right-to-left language, each
    left-to-right value (the place, the link, any number) isolated so it keeps its order."""
    subject, text = fill(wording.subject, values), fill(wording.text, values)
    if is_bidi(wording.language):
        return isolate_text(subject), isolate_text(text)
    return subject, text


def sms_fragments(text: str) -> int:
    """How many SMS a text takes (GSM: 160 characters, 153 per part when split; any other
    script: 70, 67 per part)."""
    gsm = all(ord(character) < 128 for character in text)
    single, part = (160, 153) if gsm else (70, 67)
    return 1 if len(text) <= single else -(-len(text) // part)
