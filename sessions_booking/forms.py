"""Forms service admins use to set up venues, programmes and sessions.

Forms check what can be checked from the input alone (a number is a number, a date is a
date); the scheduling rules (nothing in the past, no crèche places without a crèche, places
not below bookings) live in ``scheduling.py`` and come back through ``add_service_errors``
so every message is shown beside the field it is about.
"""

import re
from datetime import date, datetime

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts.models import User
from sessions_booking import scheduling
from sessions_booking.models import GroupSession, Programme, SessionSeries, Venue

CONFIRM_OPEN_TO_EVERYONE = _("I confirm this programme is open to everyone, not women only")


def active_staff(*, also=()):
    """Staff who may facilitate: active accounts (and whoever is already chosen, so that
    editing something run by a since-deactivated colleague still works)."""
    keep = [person.pk for person in also if person is not None]
    return User.objects.filter(Q(is_active=True) | Q(pk__in=keep)).order_by("full_name", "email")


def programme_label(programme: Programme) -> str:
    """How a programme is offered in a list: women-only is the default, so only the
    exception is spelled out (DESIGN.md section 3, rule 5)."""
    if programme.women_only:
        return str(programme.name)
    return _("%(name)s (open to everyone, not women-only)") % {"name": programme.name}


def in_use(model, *, also=None):
    keep = [also.pk] if also is not None else []
    return model.objects.filter(Q(is_active=True) | Q(pk__in=keep))


# --- Lenient input ------------------------------------------------------------------------

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


# --- Shared pieces --------------------------------------------------------------------------


class ServiceErrorsMixin:
    """Shows a ``ValidationError`` from ``scheduling`` beside the matching field.

    ``service_fields`` maps the service's argument names to this form's field names where
    they differ (a session's ``starts_at`` is typed as a date and a start time)."""

    service_fields: dict[str, str] = {}

    def add_service_errors(self, error: ValidationError) -> None:
        if not hasattr(error, "error_dict"):
            self.add_error(None, error)
            return
        for key, errors in error.error_dict.items():
            field = self.service_fields.get(key, key)
            self.add_error(field if field in self.fields else None, errors)


def _number(label, *, min_value=0, max_value=200, required=True, help_text="", initial=None):
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


def _day(label, **kwargs):
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


def _clock(label, **kwargs):
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


def _choice(label, *, required_message, required=True, empty_label=None):
    """A choice of venue, programme or facilitator (querysets are set per form)."""
    return forms.ModelChoiceField(
        queryset=Venue.objects.none(),
        label=label,
        required=required,
        empty_label=empty_label,
        error_messages={
            "required": required_message,
            "invalid_choice": _("Choose from the list: that choice is not in use any more."),
        },
    )


FROM_PROGRAMME = _("Leave blank to use the programme's default.")
CRECHE_HELP = _("Counted in children. Only at a venue with a crèche on site.")
CUTOFF_HELP = _("Booking closes this many hours before the session starts.")


class SessionChoicesMixin(forms.Form):
    """Venue and facilitator, offered from what is in use (plus the current choice)."""

    def set_choices(self, *, venue=None, facilitator=None):
        self.fields["venue"].queryset = in_use(Venue, also=venue)
        self.fields["facilitator"].queryset = active_staff(also=[facilitator])
        self.fields["facilitator"].label_from_instance = lambda person: person.full_name


# --- Venues and programmes ------------------------------------------------------------------


class VenueForm(forms.ModelForm):
    class Meta:
        model = Venue
        fields = [
            "name",
            "address",
            "women_only_building",
            "creche_on_site",
            "step_free",
            "separate_entrance",
            "staff_on_site",
            "no_shared_waiting_room",
            "safety_notes",
            "is_active",
        ]
        widgets = {
            "address": forms.Textarea(attrs={"rows": 3}),
            "safety_notes": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "safety_notes": _("For example: buzzer at the side door; a worker meets women there."),
            "is_active": _("Untick to stop offering this venue for new sessions."),
        }
        error_messages = {
            "name": {
                "required": _("Enter the venue's name."),
                "unique": _("There is already a venue with this name."),
            },
            "address": {"required": _("Enter the venue's address.")},
        }

    def clean(self):
        cleaned_data = super().clean()
        losing_creche = (
            self.instance.pk
            and self.instance.creche_on_site
            and not cleaned_data.get("creche_on_site")
        )
        if losing_creche:
            count = scheduling.upcoming_creche_sessions_at(self.instance).count()
            if count:
                self.add_error(
                    "creche_on_site",
                    ngettext(
                        "%(count)s session still to come here offers crèche places. Set its "
                        "crèche places to 0 or move it to another venue first.",
                        "%(count)s sessions still to come here offer crèche places. Set their "
                        "crèche places to 0 or move them to another venue first.",
                        count,
                    )
                    % {"count": count},
                )
        return cleaned_data


class ProgrammeForm(forms.ModelForm):
    confirm_open_to_everyone = forms.BooleanField(
        label=CONFIRM_OPEN_TO_EVERYONE,
        required=False,
        help_text=_("Needed only when you untick “Women only”."),
    )
    reminder_offsets_hours = HoursListField(
        label=_("Reminders (hours before)"),
        required=False,
        help_text=_("For example 48, 2: a reminder two days before and another two hours before."),
    )
    facilitators = forms.ModelMultipleChoiceField(
        queryset=User.objects.none(),
        label=_("Facilitators"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    field_order = [
        "name",
        "description",
        "women_only",
        "confirm_open_to_everyone",
        "trauma_informed",
        "default_capacity",
        "default_creche_places",
        "reminder_offsets_hours",
        "facilitators",
        "is_active",
    ]

    class Meta:
        model = Programme
        fields = [
            "name",
            "description",
            "women_only",
            "trauma_informed",
            "default_capacity",
            "default_creche_places",
            "reminder_offsets_hours",
            "facilitators",
            "is_active",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}
        help_texts = {
            "description": _("Women read this when they are offered a place. Plain words."),
            "default_creche_places": CRECHE_HELP,
            "is_active": _("Untick to stop offering this programme for new sessions."),
        }
        error_messages = {
            "name": {
                "required": _("Enter the programme's name."),
                "unique": _("There is already a programme with this name."),
            },
            "description": {"required": _("Describe the programme for the women it is for.")},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        current = list(self.instance.facilitators.all()) if self.instance.pk else []
        self.fields["facilitators"].queryset = active_staff(also=current)
        self.fields["facilitators"].label_from_instance = lambda person: person.full_name

    @property
    def turning_women_only_off(self) -> bool:
        was_women_only = self.instance.pk is None or self.instance.women_only
        return was_women_only and self.cleaned_data.get("women_only") is False

    def clean(self):
        cleaned_data = super().clean()
        if self.turning_women_only_off and not cleaned_data.get("confirm_open_to_everyone"):
            self.add_error(
                "confirm_open_to_everyone",
                _(
                    "Tick the box to confirm this programme is open to everyone, not women "
                    "only, or tick “Women only” again."
                ),
            )
        return cleaned_data


# --- Sessions and series --------------------------------------------------------------------


class SessionForm(ServiceErrorsMixin, SessionChoicesMixin):
    """One session on its own: create (with a programme) or edit (without)."""

    service_fields = {"starts_at": "day", "ends_at": "end_time"}

    programme = _choice(
        _("Programme"), required_message=_("Choose a programme."), empty_label=_("Choose…")
    )
    venue = _choice(_("Venue"), required_message=_("Choose a venue."), empty_label=_("Choose…"))
    facilitator = _choice(
        _("Facilitator"),
        required_message=_("Choose a facilitator."),
        required=False,
        empty_label=_("Not decided yet"),
    )
    day = _day(_("Date"))
    start_time = _clock(_("Starts"))
    end_time = _clock(_("Ends"))
    capacity = _number(_("Places (women)"), min_value=1, required=False, help_text=FROM_PROGRAMME)
    creche_places = _number(
        _("Crèche places (children)"), required=False, help_text=f"{CRECHE_HELP} {FROM_PROGRAMME}"
    )
    booking_cutoff_hours = _number(
        _("Booking closes (hours before)"), max_value=168, initial=2, help_text=CUTOFF_HELP
    )

    def __init__(self, *args, session: GroupSession | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.session = session
        if session is None:
            self.fields["programme"].queryset = in_use(Programme)
            self.fields["programme"].label_from_instance = programme_label
        else:
            del self.fields["programme"]
            for name in ("capacity", "creche_places"):
                self.fields[name].required = True
                self.fields[name].help_text = CRECHE_HELP if name == "creche_places" else ""
        self.set_choices(
            venue=session.venue if session else None,
            facilitator=session.facilitator if session else None,
        )

    @classmethod
    def initial_for(cls, session: GroupSession) -> dict:
        starts, ends = timezone.localtime(session.starts_at), timezone.localtime(session.ends_at)
        return {
            "venue": session.venue_id,
            "facilitator": session.facilitator_id,
            "day": starts.date(),
            "start_time": starts.time(),
            "end_time": ends.time(),
            "capacity": session.capacity,
            "creche_places": session.creche_places,
            "booking_cutoff_hours": round(
                (session.starts_at - session.booking_cutoff).total_seconds() / 3600
            ),
        }

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        programme = data.get("programme") or self.session.programme
        capacity, creche_places = data["capacity"], data["creche_places"]
        return {
            "venue": data["venue"],
            "facilitator": data["facilitator"],
            "starts_at": scheduling.local_datetime(data["day"], data["start_time"]),
            "ends_at": scheduling.local_datetime(data["day"], data["end_time"]),
            "capacity": programme.default_capacity if capacity is None else capacity,
            "creche_places": programme.default_creche_places
            if creche_places is None
            else creche_places,
            "booking_cutoff_hours": data["booking_cutoff_hours"],
            **({"programme": programme} if self.session is None else {}),
        }


class SeriesForm(ServiceErrorsMixin, SessionChoicesMixin):
    """A new weekly series."""

    programme = _choice(
        _("Programme"), required_message=_("Choose a programme."), empty_label=_("Choose…")
    )
    venue = _choice(_("Venue"), required_message=_("Choose a venue."), empty_label=_("Choose…"))
    facilitator = _choice(
        _("Facilitator"),
        required_message=_("Choose a facilitator."),
        required=False,
        empty_label=_("Not decided yet"),
    )
    first_date = _day(
        _("First date"), help_text=_("The series runs every week on this day of the week.")
    )
    start_time = _clock(_("Starts"))
    duration_minutes = _number(_("Length (minutes)"), min_value=15, max_value=12 * 60, initial=120)
    weeks = _number(
        _("Number of weeks"),
        min_value=1,
        max_value=scheduling.MAX_SERIES_WEEKS,
        help_text=_("Weeks the series covers, counting any skipped dates."),
    )
    skip_dates = forms.CharField(
        label=_("Dates to skip (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Bank holidays and closures: one date per line or separated by commas, such as "
            "25/12/2026. A skipped week is not made up at the end."
        ),
    )
    capacity = _number(_("Places (women)"), min_value=1, required=False, help_text=FROM_PROGRAMME)
    creche_places = _number(
        _("Crèche places (children)"), required=False, help_text=f"{CRECHE_HELP} {FROM_PROGRAMME}"
    )
    booking_cutoff_hours = _number(
        _("Booking closes (hours before)"), max_value=168, initial=2, help_text=CUTOFF_HELP
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = in_use(Programme)
        self.fields["programme"].label_from_instance = programme_label
        self.set_choices()

    def clean_skip_dates(self):
        return parse_days(
            self.cleaned_data["skip_dates"], on_or_after=self.cleaned_data.get("first_date")
        )

    def service_arguments(self) -> dict:
        data = dict(self.cleaned_data)
        programme = data["programme"]
        if data["capacity"] is None:
            data["capacity"] = programme.default_capacity
        if data["creche_places"] is None:
            data["creche_places"] = programme.default_creche_places
        return data


class SeriesEditForm(ServiceErrorsMixin, SessionChoicesMixin):
    """What changes for every session of a series still to come."""

    venue = _choice(_("Venue"), required_message=_("Choose a venue."), empty_label=_("Choose…"))
    facilitator = _choice(
        _("Facilitator"),
        required_message=_("Choose a facilitator."),
        required=False,
        empty_label=_("Not decided yet"),
    )
    start_time = _clock(_("Starts"))
    duration_minutes = _number(_("Length (minutes)"), min_value=15, max_value=12 * 60)
    capacity = _number(_("Places (women)"), min_value=1)
    creche_places = _number(_("Crèche places (children)"), help_text=CRECHE_HELP)

    def __init__(self, *args, series: SessionSeries, **kwargs):
        super().__init__(*args, **kwargs)
        self.set_choices(venue=series.venue, facilitator=series.facilitator)

    @classmethod
    def initial_for(cls, series: SessionSeries) -> dict:
        return {
            "venue": series.venue_id,
            "facilitator": series.facilitator_id,
            "start_time": series.start_time,
            "duration_minutes": series.duration_minutes,
            "capacity": series.capacity,
            "creche_places": series.creche_places,
        }
