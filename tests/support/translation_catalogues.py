"""Reading the translation catalogues (locale/*/LC_MESSAGES/django.po) for the tests, and
which of their messages the public pages use."""

import re
from dataclasses import dataclass, field
from pathlib import Path

from django import forms

# The public pages' own files: each message found in one of these must be translated into
# every language (tests/core/test_translations.py). Messages a public form shows from elsewhere
# (its fields' choices) are found by walking the forms: public_form_messages below.
PUBLIC_TEMPLATES = (
    "templates/base.html",
    "templates/400.html",
    "templates/403.html",
    "templates/403_csrf.html",
    "templates/404.html",
    "templates/500.html",
    "templates/503.html",
    "templates/errors/",
    "templates/public/",
    "templates/referrals/step.html",
    "templates/referrals/confirmation.html",
    "templates/referrals/confirmation_expired.html",
    "templates/referrals/received.html",
    "templates/referrals/_emergency.html",
    "templates/referrals/fields/",
    "templates/sessions_booking/link.html",
)
PUBLIC_MODULES = (
    "referrals/forms/steps.py",
    "referrals/forms/need_steps.py",
    "referrals/forms/fields.py",
    "referrals/rules/consent.py",
    "referrals/rules/validation.py",
    "referrals/forms/summary.py",
    "referrals/views/public.py",
)

_ESCAPES = {"n": "\n", "t": "\t", '"': '"', "\\": "\\", "r": "\r"}


def _unquote(text: str) -> str:
    text = text.strip()
    if not (text.startswith('"') and text.endswith('"')):
        raise ValueError(f"not a quoted PO string: {text!r}")
    return re.sub(r"\\(.)", lambda m: _ESCAPES.get(m.group(1), m.group(0)), text[1:-1])


@dataclass
class Entry:
    msgid: str = ""
    msgctxt: str | None = None
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    locations: list[str] = field(default_factory=list)
    flags: set[str] = field(default_factory=set)
    translator_comments: list[str] = field(default_factory=list)

    @property
    def key(self) -> tuple:
        return (self.msgctxt, self.msgid, self.msgid_plural)

    @property
    def translated(self) -> bool:
        return "fuzzy" not in self.flags and bool(self.msgstr) and all(self.msgstr.values())


def read_po(path: Path) -> tuple[Entry, list[Entry]]:
    """(the header entry, every other entry). Obsolete entries ("#~") are left out."""
    entries = []
    entry, last = Entry(), None

    def finish():
        nonlocal entry, last
        if last is not None:
            entries.append(entry)
        entry, last = Entry(), None

    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            finish()
        elif line.startswith("#~"):
            continue
        elif line.startswith("#:"):
            if last is not None:
                finish()
            entry.locations.extend(line[2:].split())
        elif line.startswith("#,"):
            if last is not None:
                finish()
            entry.flags.update(flag.strip() for flag in line[2:].split(","))
        elif line.startswith("# ") or line == "#":
            if last is not None:
                finish()
            entry.translator_comments.append(line[2:])
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            value = _unquote(line)
            if isinstance(last, tuple):
                entry.msgstr[last[1]] += value
            else:
                setattr(entry, last, getattr(entry, last) + value)
        else:
            keyword, _space, rest = line.partition(" ")
            if keyword.startswith("msgctxt") and last is not None:
                finish()
            match = re.fullmatch(r"msgstr\[(\d+)\]", keyword)
            if match:
                last = ("msgstr", int(match.group(1)))
                entry.msgstr[last[1]] = _unquote(rest)
            elif keyword == "msgstr":
                last = ("msgstr", 0)
                entry.msgstr[0] = _unquote(rest)
            elif keyword in ("msgid", "msgctxt", "msgid_plural"):
                last = keyword
                setattr(entry, keyword, _unquote(rest))
            else:
                raise ValueError(f"{path}: cannot read {line!r}")
    finish()
    header = next(e for e in entries if e.msgid == "" and e.msgctxt is None)
    return header, [e for e in entries if e is not header]


def header_fields(header: Entry) -> dict[str, str]:
    lines = [line for line in header.msgstr[0].split("\n") if ":" in line]
    return dict(line.split(": ", 1) for line in lines)


def is_public_location(location: str) -> bool:
    return location.startswith(PUBLIC_TEMPLATES) or location in PUBLIC_MODULES


def public_form_messages() -> set[str]:
    """Every label, hint and choice the public forms show, as written in the code."""
    from django.utils import translation

    from referrals.views.public import ProfessionalReferralWizard, SelfReferralWizard

    texts = set()
    with translation.override(None):  # the message ids themselves
        for wizard in (SelfReferralWizard, ProfessionalReferralWizard):
            for _step, form_class in wizard.form_list:
                texts.add(str(form_class.title))
                for form_field in form_class.base_fields.values():
                    texts.update(str(t) for t in (form_field.label, form_field.help_text) if t)
                    if isinstance(form_field, forms.ChoiceField):
                        texts.update(str(label) for _value, label in form_field.choices)
    return {text for text in texts if text}
