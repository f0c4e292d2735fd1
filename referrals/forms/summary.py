"""Turn a step's cleaned answers into rows for "Check your answers"."""

from datetime import date, time

from django import forms
from django.utils.formats import time_format
from django.utils.translation import gettext as _

from core.dates import day_month_year
from referrals.forms.fields import HoneypotMixin
from referrals.rules.validation import display_phone

NOT_SHOWN = set(HoneypotMixin.base_fields) | {"consent_version"}


def display_value(field: forms.Field, value) -> str:
    if value in (None, "", [], ()):
        return _("Not given")
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    choices = dict(getattr(field, "choices", []) or [])
    if isinstance(value, list | tuple):
        if not choices:
            return ", ".join(str(v) for v in value)
        return ", ".join(str(choices.get(v, choices.get(str(v), v))) for v in value)
    if choices:
        return str(choices.get(value, choices.get(str(value), value)))
    if isinstance(value, date):
        return day_month_year(value)
    if isinstance(value, time):
        return time_format(value, "H:i")
    if isinstance(value, str) and value.startswith("+") and value[1:].isdigit():
        return display_phone(value)
    return str(value)


def answer_rows(form: forms.Form) -> list[tuple[str, str]]:
    """(question, answer) for every field of a valid, cleaned form."""
    return [
        (str(field.label), display_value(field, form.cleaned_data.get(name)))
        for name, field in form.fields.items()
        if name not in NOT_SHOWN
    ]
