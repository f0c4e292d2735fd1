"""Normalising what people type: phone numbers, postcodes, children's ages."""

import re
from datetime import date

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from referrals.choices import AgeRange

# A full postcode ("B12 9QL") or just its district ("B12").
POSTCODE_RE = re.compile(r"^(?P<district>[A-Z]{1,2}[0-9][0-9A-Z]?)\s*(?P<sector>[0-9][A-Z]{2})?$")


def normalise_uk_phone(text: str) -> str:
    """A UK (or international, with +) phone number in E.164 form, or a ValidationError."""
    try:
        number = phonenumbers.parse(text, "GB")
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_valid_number(number):
        raise ValidationError(
            _("Enter a phone number, like 07123 456 789 or 0121 496 0000."), code="phone"
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def is_uk_mobile(e164: str) -> bool:
    """A UK mobile number (07…): the only numbers text messages are sent to."""
    number = phonenumbers.parse(e164, "GB")
    return (
        number.country_code == 44
        and phonenumbers.number_type(number) == phonenumbers.PhoneNumberType.MOBILE
    )


def age_on(born: date, day: date) -> int:
    """Age in whole years on ``day``."""
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def age_range_of(age: int) -> str:
    """The AgeRange an age falls in."""
    for lowest, age_range in reversed(AGE_RANGE_STARTS):
        if age >= lowest:
            return age_range
    return AgeRange.UNDER_18


# Where each age range starts, youngest first.
AGE_RANGE_STARTS = [
    (0, AgeRange.UNDER_18),
    (18, AgeRange.AGE_18_24),
    (25, AgeRange.AGE_25_34),
    (35, AgeRange.AGE_35_44),
    (45, AgeRange.AGE_45_54),
    (55, AgeRange.AGE_55_64),
    (65, AgeRange.AGE_65_PLUS),
]


def display_phone(e164: str) -> str:
    number = phonenumbers.parse(e164, "GB")
    if number.country_code == 44:
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def postcode_district(text: str) -> str:
    """The district of a full or partial UK postcode; we never keep the rest of it."""
    match = POSTCODE_RE.match(text.strip().upper())
    if not match:
        raise ValidationError(
            _("Enter a postcode like B12 9QL, or just the first part, like B12."), code="postcode"
        )
    return match.group("district")


def parse_children_ages(text: str) -> list[int]:
    """ "2, 5 and 11" -> [2, 5, 11]. Ages are whole years; a baby under one is 0."""
    cleaned = re.sub(r"\band\b", ",", text.lower())
    if not re.fullmatch(r"[\d\s,;&/]*", cleaned):
        raise ValidationError(
            _("Write the ages as numbers, like 2, 5 and 11."), code="children_ages"
        )
    ages = [int(n) for n in re.findall(r"\d+", cleaned)]
    if any(age > 17 for age in ages):
        raise ValidationError(
            _("Only include children under 18. Write a baby under one as 0."), code="children_ages"
        )
    return ages
