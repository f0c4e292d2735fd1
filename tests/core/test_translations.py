"""The translation catalogues (locale/*/LC_MESSAGES/django.po): up to date with the code,
every public message translated into every language, compiled files current, and each
marked as a draft awaiting a native speaker's review (docs/languages.md)."""

import gettext
import re
import shutil
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
from django.conf import settings

from accounts.management.commands.update_translations import translated_languages
from tests.support.translation_catalogues import (
    header_fields,
    is_public_location,
    public_form_messages,
    read_po,
)

LANGUAGES = translated_languages()
# What the project is made of, for makemessages in a copy (everything it scans, and the
# catalogues it merges into).
SOURCES = [
    "manage.py",
    "config",
    "core",
    "notices",
    "accounts",
    "referrals",
    "sessions_booking",
    "partners",
    "home",
    "reports",
    "dataprotection",
    "templates",
    "locale",
]
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")
# The script each language is written in (Unicode script names, as unicodedata names them).
SCRIPT = {"pl": "LATIN", "ro": "LATIN", "ur": "ARABIC", "pa": "GURMUKHI", "bn": "BENGALI"}


def catalogue(language: str) -> Path:
    return settings.BASE_DIR / "locale" / language / "LC_MESSAGES" / "django.po"


def entries_by_key(path: Path) -> dict:
    _header, entries = read_po(path)
    return {entry.key: entry for entry in entries}


def public_entries(language: str) -> list:
    form_messages = public_form_messages()
    return [
        entry
        for entry in entries_by_key(catalogue(language)).values()
        if entry.msgid in form_messages or any(map(is_public_location, entry.locations))
    ]


def test_the_site_offers_english_and_the_five_languages():
    assert settings.LANGUAGE_CODE == "en-gb"
    assert LANGUAGES == ["pl", "ro", "ur", "pa", "bn"]
    for language in LANGUAGES:
        assert catalogue(language).exists(), language


def test_makemessages_finds_nothing_new_changed_or_gone(tmp_path):
    """makemessages run on a copy of the code changes no message in any catalogue: every
    marked string is in them and none that the code no longer has."""
    for name in SOURCES:
        source = settings.BASE_DIR / name
        if source.is_dir():
            shutil.copytree(source, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy(source, tmp_path / name)
    subprocess.run(
        [sys.executable, "manage.py", "update_translations", "--no-compile"],
        cwd=tmp_path,
        check=True,
        capture_output=True,
    )
    for language in LANGUAGES:
        committed = entries_by_key(catalogue(language))
        regenerated = entries_by_key(tmp_path / "locale" / language / "LC_MESSAGES" / "django.po")
        new = sorted(set(regenerated) - set(committed), key=str)
        gone = sorted(set(committed) - set(regenerated), key=str)
        assert not new, f"{language}: run `manage.py update_translations`; new messages: {new}"
        assert not gone, f"{language}: run `manage.py update_translations`; gone: {gone}"
        for key, entry in committed.items():
            assert regenerated[key].msgstr == entry.msgstr, (language, key)
            assert regenerated[key].flags == entry.flags, (language, key)


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_message_of_the_public_pages_is_translated(language):
    entries = public_entries(language)
    # The walk must find the public pages' messages, or it proves nothing.
    assert len(entries) > 200
    assert public_form_messages() <= {entry.msgid for entry in entries}
    missing = [entry.msgid for entry in entries if not entry.translated]
    assert missing == [], f"{language}: untranslated or fuzzy: {missing}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_translations_keep_every_placeholder(language):
    for entry in entries_by_key(catalogue(language)).values():
        for text in entry.msgstr.values():
            if text:
                assert sorted(PLACEHOLDER.findall(text)) == sorted(
                    PLACEHOLDER.findall(entry.msgid)
                ), (language, entry.msgid, text)


@pytest.mark.parametrize("language", LANGUAGES)
def test_each_language_is_written_in_its_own_script(language):
    """Punjabi in Gurmukhi (not Shahmukhi), Urdu in Arabic script, Bengali in Bengali."""
    for entry in public_entries(language):
        text = entry.msgstr[0]
        scripts = {
            unicodedata.name(character).split()[0]
            for character in text
            if character.isalpha() and not character.isascii()
        }
        if SCRIPT[language] == "LATIN":
            assert scripts <= {"LATIN"}, (language, text)
        else:  # names such as Haven, FRANK and GP stay in Latin letters (ASCII, not counted)
            assert scripts == {SCRIPT[language]}, (language, text)


@pytest.mark.parametrize("language", LANGUAGES)
def test_each_catalogue_says_it_needs_a_native_speakers_review(language):
    header, _entries = read_po(catalogue(language))
    note = "\n".join(header.translator_comments)
    assert "needs review by a native speaker before go-live" in note
    fields = header_fields(header)
    assert fields["X-Review-Status"] == "needs review by a native speaker before go-live"
    assert fields["Language"] == language
    assert "fuzzy" not in header.flags


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_committed_compiled_catalogues_match_the_po_files(language, tmp_path):
    """The .mo files Django reads are committed; they must say what the .po files say."""
    compiled = tmp_path / "django.mo"
    subprocess.run(
        ["msgfmt", "--check-format", "-o", str(compiled), str(catalogue(language))],
        check=True,
    )
    committed = catalogue(language).with_suffix(".mo")
    with compiled.open("rb") as fresh, committed.open("rb") as kept:
        assert gettext.GNUTranslations(kept)._catalog == gettext.GNUTranslations(fresh)._catalog
