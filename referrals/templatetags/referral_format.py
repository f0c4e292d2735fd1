from django import template

from referrals.validation import display_phone

register = template.Library()


@register.filter
def phone(value: str) -> str:
    """A stored E.164 number as people read it: "+447911123456" -> "07911 123456"."""
    return display_phone(value) if value else ""
