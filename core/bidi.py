"""Left-to-right values inside right-to-left text (Urdu).

In a right-to-left paragraph the Unicode bidirectional algorithm lays out each group of
digits on its own, right to left: "07911 123456" shows as "123456 07911", a wrong number,
and an example postcode, date, e-mail address or an address starting with a house number
is scrambled the same way. Each such value is isolated as left to right: with
``<bdi dir="ltr">`` in HTML, and with the Unicode isolates LRI (U+2066) ... PDI (U+2069) in
plain text (text messages and e-mail; GOV.UK Notify passes them through unchanged, and
Urdu text messages are sent as UCS-2 anyway, so they cost no extra message part).

What is isolated: a run of Latin-script tokens (letters, digits and the punctuation of
numbers, addresses and links), joined by single spaces or ", ", that holds a digit, an "@"
or "://". Plain Latin words ("Haven", "Shift") need nothing: they keep their order by
themselves. Left-to-right pages are left as they are.
"""

import re

from django.conf import settings
from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import SafeData, SafeString
from django.utils.translation import get_language_bidi

LRI = "\u2066"  # LEFT-TO-RIGHT ISOLATE
PDI = "\u2069"  # POP DIRECTIONAL ISOLATE

# A word never ends in sentence punctuation ("like name@example.com." keeps its full stop).
_WORD = r"\+?[A-Za-z0-9][A-Za-z0-9@._:/+\-%#?=&~]*(?<![.,:;?])"
_RUN = re.compile(rf"{LRI}[^{PDI}]*{PDI}|{_WORD}(?:(?:, | ){_WORD})*")


def _needs_isolating(run: str) -> bool:
    if run.startswith(LRI):
        return False  # isolated already
    return any(character.isdigit() for character in run) or "@" in run or "://" in run


def isolate_text(text: str) -> str:
    """Plain text with every left-to-right value wrapped in LRI ... PDI."""
    return _RUN.sub(
        lambda match: f"{LRI}{match[0]}{PDI}" if _needs_isolating(match[0]) else match[0], text
    )


def is_bidi(language: str) -> bool:
    """Whether ``language`` (a language code such as "ur" or "en-gb") is written right to left."""
    return language.split("-")[0] in settings.LANGUAGES_BIDI


def isolate_text_if_bidi(text: str) -> str:
    """``isolate_text`` in a right-to-left language (the active one), else ``text``."""
    return isolate_text(text) if get_language_bidi() else text


def isolate_html(text) -> SafeString:
    """Escaped HTML with every left-to-right value in ``<bdi dir="ltr">``. HTML we made
    ourselves (already safe) is returned as it is: its values are marked where it is made."""
    if isinstance(text, SafeData):
        return text
    text = str(text)
    parts = []
    position = 0
    for match in _RUN.finditer(text):
        if not _needs_isolating(match[0]):
            continue
        parts.append(escape(text[position : match.start()]))
        parts.append(format_html('<bdi dir="ltr">{}</bdi>', match[0]))
        position = match.end()
    parts.append(escape(text[position:]))
    # Every part is already escaped (escape, format_html): joined without marking anything.
    return format_html_join("", "{}", ((part,) for part in parts))


def isolate_html_if_bidi(text):
    """``isolate_html`` in a right-to-left language (the active one); otherwise ``text``
    unchanged, for the template to escape as usual."""
    return isolate_html(text) if get_language_bidi() else text
