from django import template

from core import bidi, dates
from referrals.rules.validation import display_phone

register = template.Library()


@register.filter
def ltr_isolated(value):
    """On a right-to-left page, each phone number, postcode, e-mail address, reference or
    other left-to-right value in ``value`` kept in its own order (core.bidi)."""
    return bidi.isolate_html_if_bidi(value)


@register.filter
def weekday_date_time(value) -> str:
    """A moment as her language writes it: "wtorek, 8 grudnia 2026, 14:30" (core.dates)."""
    return dates.weekday_date_time(value) if value else ""


@register.filter
def phone(value: str) -> str:
    """A stored E.164 number as people read it: "+447911123456" -> "07911 123456"."""
    return display_phone(value) if value else ""
