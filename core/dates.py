"""Dates and times as her language writes them, on her pages and in messages to her.

Django's date format characters give Polish months in the nominative and capitalise
Romanian names ("Wtorek 8 Grudzień 2026", "Marți 8 Decembrie"), where the languages write
"wtorek, 8 grudnia 2026" and "marți, 8 decembrie 2026". Babel carries each language's own
patterns from the Unicode CLDR, so these functions ask it, in the active language (English
is British English). Times are on the 24-hour clock in every language, as everywhere else
in the service. Staff pages are English and keep Django's formats.
"""

from datetime import date, datetime

from babel import Locale, UnknownLocaleError
from babel.dates import format_date, format_skeleton
from django.utils import timezone
from django.utils.translation import get_language, to_locale

BRITISH_ENGLISH = Locale("en", "GB")


def current_locale() -> Locale:
    """The CLDR locale of the active language (British English for any English)."""
    language = get_language() or "en-gb"
    if language.split("-")[0] == "en":
        return BRITISH_ENGLISH
    try:
        return Locale.parse(to_locale(language))
    except (UnknownLocaleError, ValueError):
        return BRITISH_ENGLISH


def _local(value: date | datetime) -> date | datetime:
    if isinstance(value, datetime) and timezone.is_aware(value):
        return timezone.localtime(value)
    return value


def day_month_year(value: date | datetime) -> str:
    """ "8 December 2026", "8 grudnia 2026", "8 decembrie 2026"."""
    return format_date(_local(value), "long", locale=current_locale())


def weekday_date(value: date | datetime) -> str:
    """ "Tuesday, 8 December 2026", "wtorek, 8 grudnia 2026", "marți, 8 decembrie 2026"."""
    return format_date(_local(value), "full", locale=current_locale())


def clock_time(moment: datetime) -> str:
    """ "14:30", in the service's time zone."""
    return format_skeleton("Hm", _local(moment), locale=current_locale())


def _with_time(day: str, moment: datetime, locale: Locale) -> str:
    # The language's own way of joining a date and a time: "{1}, {0}", "{1} {0}".
    return str(locale.datetime_formats["medium"]).format(clock_time(moment), day)


def weekday_date_time(moment: datetime) -> str:
    """ "Tuesday, 8 December 2026, 14:30", "wtorek, 8 grudnia 2026, 14:30"."""
    return _with_time(weekday_date(moment), moment, current_locale())


def short_date_time(moment: datetime) -> str:
    """For a text message: "Tue 8 Dec, 14:30", "wt., 8 gru, 14:30", "mar., 8 dec., 14:30"."""
    locale = current_locale()
    day = format_skeleton("MMMEd", _local(moment), locale=locale)
    return _with_time(day, moment, locale)


def add_working_days(day: date, days: int) -> date:
    """The date ``days`` working days (Monday to Friday) after ``day``. Bank holidays count
    as working days, as in the dashboard's "within 2 working days"."""
    while days > 0:
        day = date.fromordinal(day.toordinal() + 1)
        if day.weekday() < 5:
            days -= 1
    return day
