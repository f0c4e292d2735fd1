"""Forms for sessions: one on its own, a new weekly series, and a series' sessions to come."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sessions_booking.choices import GroupLanguage
from sessions_booking.forms.inputs import (
    CRECHE_HELP,
    RATIOS_HELP,
    ROOM_LIMIT_HELP,
    WORKERS_HELP,
    clock_field,
    day_field,
    number_field,
    parse_days,
)
from sessions_booking.forms.querysets import (
    active_staff,
    facilitator_choice,
    in_use,
    programme_choice,
    programme_label,
    venue_choice,
)
from sessions_booking.models import GroupSession, Programme, SessionSeries, Venue
from sessions_booking.services import scheduling

FROM_PROGRAMME = _("Leave blank to use the programme's default.")
CUTOFF_HELP = _("Booking closes this many hours before the session starts.")


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


class SessionChoicesMixin(forms.Form):
    """Venue and facilitator, offered from what is in use (plus the current choice)."""

    def set_choices(self, *, venue=None, facilitator=None):
        self.fields["venue"].queryset = in_use(Venue, also=venue)
        self.fields["facilitator"].queryset = active_staff(also=[facilitator])
        self.fields["facilitator"].label_from_instance = lambda person: person.full_name


def places_from_programme():
    return number_field(_("Places (women)"), min_value=1, required=False, help_text=FROM_PROGRAMME)


def creche_places_from_programme():
    return number_field(
        _("Crèche room limit (children)"),
        required=False,
        help_text=f"{CRECHE_HELP} {ROOM_LIMIT_HELP} {FROM_PROGRAMME}",
    )


def creche_workers_field():
    return number_field(_("Crèche workers"), max_value=50, required=False, help_text=WORKERS_HELP)


def language_choice(blank_label):
    return forms.ChoiceField(
        label=_("Language the group is delivered in"),
        choices=[("", blank_label), *GroupLanguage.choices],
        required=False,
    )


def booking_cutoff_hours_field():
    return number_field(
        _("Booking closes (hours before)"), max_value=168, initial=2, help_text=CUTOFF_HELP
    )


class SessionForm(ServiceErrorsMixin, SessionChoicesMixin):
    """One session on its own: create (with a programme) or edit (without)."""

    service_fields = {"starts_at": "day", "ends_at": "end_time"}

    programme = programme_choice()
    venue = venue_choice()
    facilitator = facilitator_choice()
    day = day_field(_("Date"))
    start_time = clock_field(_("Starts"))
    end_time = clock_field(_("Ends"))
    capacity = places_from_programme()
    creche_places = creche_places_from_programme()
    creche_workers = creche_workers_field()
    language = language_choice(_("The programme's language"))
    booking_cutoff_hours = booking_cutoff_hours_field()

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
            self.fields["creche_workers"].help_text = RATIOS_HELP
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
            "creche_workers": session.creche_workers,
            "language": session.language,
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
            "creche_workers": data.get("creche_workers"),
            "language": data.get("language") or None,
            "booking_cutoff_hours": data["booking_cutoff_hours"],
            **({"programme": programme} if self.session is None else {}),
        }


class SeriesForm(ServiceErrorsMixin, SessionChoicesMixin):
    """A new weekly series."""

    programme = programme_choice()
    venue = venue_choice()
    facilitator = facilitator_choice()
    first_date = day_field(
        _("First date"), help_text=_("The series runs every week on this day of the week.")
    )
    start_time = clock_field(_("Starts"))
    duration_minutes = number_field(
        _("Length (minutes)"), min_value=15, max_value=12 * 60, initial=120
    )
    weeks = number_field(
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
    capacity = places_from_programme()
    creche_places = creche_places_from_programme()
    creche_workers = creche_workers_field()
    booking_cutoff_hours = booking_cutoff_hours_field()

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

    venue = venue_choice()
    facilitator = facilitator_choice()
    start_time = clock_field(_("Starts"))
    duration_minutes = number_field(_("Length (minutes)"), min_value=15, max_value=12 * 60)
    capacity = number_field(_("Places (women)"), min_value=1)
    creche_places = number_field(_("Crèche room limit (children)"), help_text=CRECHE_HELP)
    creche_workers = creche_workers_field()

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
            "creche_workers": series.creche_workers,
        }
