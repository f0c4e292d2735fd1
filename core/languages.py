"""The languages her pages are shown in (docs/languages.md).

The language is part of the address: English unprefixed (/refer/about/), every other
language under its code (/pl/refer/about/), from Django's i18n_patterns. Switching language
is a link to the same page under the other prefix, or, on the form, a button that keeps
what she typed (referrals.views.public.ReferralWizard.post). Nothing is stored in the
browser: no language cookie.
"""

from django.conf import settings
from django.utils.translation import get_language_info

# The name a switcher writes on a button that posts the form: the language to go to.
SWITCH_FIELD = "switch_language"


def language_codes() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def site_language(preferred_language: str | None) -> str:
    """The language to show her pages in, from a referral's preferred language ("en", "pl",
    ... or "other"): the same code when the site has it, English otherwise."""
    codes = language_codes()
    if preferred_language in codes:
        return preferred_language
    for code in codes:  # "en" -> "en-gb"
        if code.split("-")[0] == preferred_language:
            return code
    return settings.LANGUAGE_CODE


def unprefixed(path: str, current: str) -> str:
    """``path`` without the current language's prefix: "/pl/refer/" -> "/refer/"."""
    prefix = f"/{current}/"
    if current != settings.LANGUAGE_CODE and path.startswith(prefix):
        return path[len(prefix) - 1 :]
    return path


def language_links(path: str, current: str) -> list[dict]:
    """One entry per language for the switcher: its code, its own name, whether it is
    written right to left, whether it is the page's language, and the same page's path in
    it. Public URL patterns are not translated, so swapping the prefix is exact (and far
    cheaper than resolving the path again for each language)."""
    bare = unprefixed(path, current)
    links = []
    for code, name in settings.LANGUAGES:
        links.append(
            {
                "code": code,
                "name": name,
                "bidi": get_language_info(code)["bidi"],
                "current": code == current,
                "path": bare if code == settings.LANGUAGE_CODE else f"/{code}{bare}",
            }
        )
    return links
