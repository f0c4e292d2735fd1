"""Reading what service admins type: dates and hours written the way people write them,
and the number, date and time fields every setup form uses."""

import re
from datetime import date, datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

CRECHE_HELP = _("Counted in children. Only at a venue with a crèche on site.")
ROOM_LIMIT_HELP = _(
    "The room limit: how many children fit depends also on their ages and the crèche workers."
)
RATIOS_HELP = _(
    "Ratios by age on the day: under 2, one worker to 3 children; aged 2, one to 5; 3 and "
    "over, one to 8."
)
WORKERS_HELP = format_lazy(
    "{} {}", RATIOS_HELP, _("Leave blank for enough workers for a full room of babies.")
)

_WEEKDAY = re.compile(
    r"^(mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)(day|nesday|rsday|urday|sday)?\.?,?\s+",
    re.IGNORECASE,
)
_ORDINAL = re.compile(r"(\d+)(st|nd|rd|th)\b", re.IGNORECASE)
_WITH_YEAR = ["%Y-%m-%d", "%d/%m/%Y", "%d/%m/%y", "%d-%m-%Y", "%d.%m.%Y", "%d %B %Y", "%d %b %Y"]
_WITHOUT_YEAR = ["%d/%m", "%d %B", "%d %b"]


def parse_day(text: str, *, on_or_after: date | None = None) -> date | None:
    """A date as people write it: 2026-12-25, 25/12/2026, 25/12/26, 25 Dec 2026, Friday
    25th December 2026, or without a year (25 Dec, 25/12): then the first such day on or
    after ``on_or_after``. None if it cannot be read."""
    cleaned = " ".join(text.strip().rstrip(".").split())
    cleaned = _ORDINAL.sub(r"\1", _WEEKDAY.sub("", cleaned)).replace(",", " ")
    cleaned = " ".join(cleaned.split()).replace("Sept ", "Sep ").replace("sept ", "sep ")
    for pattern in _WITH_YEAR:
        try:
            return datetime.strptime(cleaned, pattern).date()
        except ValueError:
            continue
    for pattern in _WITHOUT_YEAR:
        try:
            # 2000 is a leap year, so 29 Feb is read before a year is chosen for it.
            read = datetime.strptime(f"{cleaned} 2000", f"{pattern} %Y").date()
        except ValueError:
            continue
        start = on_or_after or timezone.localdate()
        for year in (start.year, start.year + 1, start.year + 2):
            try:
                candidate = read.replace(year=year)
            except ValueError:  # 29 Feb in a year without one
                continue
            if candidate >= start:
                return candidate
    return None


def parse_days(text: str, *, on_or_after: date | None = None) -> list[date]:
    """Dates one per line or separated by commas or semicolons. Raises ValidationError
    naming every piece that could not be read."""
    days, unreadable = [], []
    for line in re.split(r"[\n;]+", text or ""):
        if not line.strip():
            continue
        whole = parse_day(line, on_or_after=on_or_after)
        if whole is not None:  # "Monday, 2 November 2026" is one date, commas and all
            days.append(whole)
            continue
        for piece in line.split(","):
            if not piece.strip():
                continue
            day = parse_day(piece, on_or_after=on_or_after)
            if day is None:
                unreadable.append(piece.strip())
            else:
                days.append(day)
    if unreadable:
        raise ValidationError(
            _(
                "We could not read these as dates: %(pieces)s. Write each date like 25/12/2026 "
                "or 25 December 2026, one per line or separated by commas."
            ),
            params={"pieces": ", ".join(f"“{piece}”" for piece in unreadable)},
            code="unreadable_dates",
        )
    return sorted(set(days))


class HoursListField(forms.CharField):
    """Whole numbers of hours, such as "48, 2", cleaned to a list, largest first."""

    def prepare_value(self, value):
        if isinstance(value, list | tuple):
            return ", ".join(str(hours) for hours in value)
        return value

    def to_python(self, value):
        text = super().to_python(value)
        pieces = [piece for piece in re.split(r"[\s,;]+", text) if piece]
        bad = [piece for piece in pieces if not piece.isdigit() or not 1 <= int(piece) <= 24 * 14]
        if bad:
            raise ValidationError(
                _(
                    "Enter hours before the session as whole numbers from 1 to 336, separated "
                    "by commas, such as 48, 2. These are not: %(bad)s."
                ),
                params={"bad": ", ".join(bad)},
                code="invalid_hours",
            )
        return sorted({int(piece) for piece in pieces}, reverse=True)


def number_field(label, *, min_value=0, max_value=200, required=True, help_text="", initial=None):
    return forms.IntegerField(
        label=label,
        min_value=min_value,
        max_value=max_value,
        required=required,
        help_text=help_text,
        initial=initial,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "class": "input-narrow"}),
        error_messages={
            "required": _("Enter a number."),
            "invalid": _("Enter a whole number, such as 12."),
            "min_value": _("Enter %(limit_value)s or more."),
            "max_value": _("Enter %(limit_value)s or less."),
        },
    )


def day_field(label, **kwargs):
    return forms.DateField(
        label=label,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d/%m/%Y", "%d/%m/%y", "%d-%m-%Y"],
        error_messages={
            "required": _("Enter a date."),
            "invalid": _("Enter a real date, such as 25/12/2026."),
        },
        **kwargs,
    )


def clock_field(label, **kwargs):
    return forms.TimeField(
        label=label,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        input_formats=["%H:%M", "%H.%M", "%H:%M:%S", "%I:%M%p", "%I:%M %p", "%I%p"],
        error_messages={
            "required": _("Enter a time."),
            "invalid": _("Enter a time on the 24-hour clock, such as 18:30."),
        },
        **kwargs,
    )
