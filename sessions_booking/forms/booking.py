import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from referrals.rules.validation import parse_children_ages
from sessions_booking.choices import InterpreterMode
from sessions_booking.forms.inputs import parse_day
from sessions_booking.models import ATTENDANCE_MARKS, BookingStatus
from sessions_booking.rules.creche import check_child_age
from sessions_booking.services.booking import Child
from sessions_booking.services.interpreters import InterpreterWish


def parse_dates_of_birth(text: str) -> list:
    """Dates of birth one per line or separated by commas or semicolons; twins give the same
    date twice, and both are kept."""
    days, unreadable = [], []
    for piece in re.split(r"[\n;,]+", text or ""):
        if not piece.strip():
            continue
        day = parse_day(piece)
        if day is None:
            unreadable.append(piece.strip())
        else:
            days.append(day)
    if unreadable:
        raise ValidationError(
            _(
                "We could not read these as dates of birth: %(pieces)s. Write each like "
                "14/03/2024, separated by commas."
            ),
            params={"pieces": ", ".join(f"“{piece}”" for piece in unreadable)},
            code="dates_of_birth",
        )
    return days


class BookSessionForm(forms.Form):
    session = forms.TypedChoiceField(label=_("Session"), coerce=int, widget=forms.RadioSelect)
    children_in_creche = forms.IntegerField(
        label=_("Children who need the crèche"), min_value=0, max_value=10, initial=0
    )
    children_ages = forms.CharField(
        label=_("Their ages in years"),
        help_text=_(
            "For example: 1 and 4 (a baby under one is 0). Give an age or a date of birth for "
            "each child: the crèche's ratios depend on their ages on the day."
        ),
        max_length=100,
        required=False,
    )
    children_dates_of_birth = forms.CharField(
        label=_("Or their dates of birth"),
        help_text=_("For example: 14/03/2025, 02/09/2021. Use this or ages, for each child."),
        max_length=200,
        required=False,
    )
    whole_series = forms.BooleanField(
        label=_("Book every future session of this weekly group"), required=False
    )
    request_interpreter = forms.BooleanField(
        label=_("Request an interpreter for her language if the session has none"),
        required=False,
    )
    interpreter_mode = forms.ChoiceField(
        label=_("How the interpreter attends"),
        choices=InterpreterMode.choices,
        initial=InterpreterMode.FACE_TO_FACE,
        required=False,
        widget=forms.RadioSelect,
        help_text=_("Face to face is best for group and trauma work."),
    )
    female_interpreter = forms.BooleanField(
        label=_("She asks for a female interpreter"), required=False
    )

    def __init__(self, *args, sessions, offer_interpreter=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.sessions = {s.pk: s for s in sessions}
        self.fields["session"].choices = [(s.pk, str(s.pk)) for s in sessions]
        if not offer_interpreter:
            for name in ("request_interpreter", "interpreter_mode", "female_interpreter"):
                del self.fields[name]

    def clean_children_ages(self):
        return parse_children_ages(self.cleaned_data["children_ages"])

    def clean_children_dates_of_birth(self):
        return parse_dates_of_birth(self.cleaned_data["children_dates_of_birth"])

    def clean(self):
        cleaned = super().clean()
        count = cleaned.get("children_in_creche")
        ages = cleaned.get("children_ages") or []
        born = cleaned.get("children_dates_of_birth") or []
        given = len(ages) + len(born)
        if count is not None and given and given != count:
            self.add_error(
                "children_ages" if ages else "children_dates_of_birth",
                _("Give one age or one date of birth for each child in the crèche."),
            )
        session = self.sessions.get(cleaned.get("session"))
        if session is not None:
            day = timezone.localtime(session.starts_at).date()
            for field, children in (
                ("children_dates_of_birth", [Child(date_of_birth=d) for d in born]),
                ("children_ages", [Child(age_in_years=a) for a in ages]),
            ):
                for child in children:
                    problem = check_child_age(
                        date_of_birth=child.date_of_birth,
                        age_in_years=child.age_in_years,
                        on=day,
                    )
                    if problem and field in cleaned:
                        self.add_error(field, problem)
        return cleaned

    def children(self) -> list[Child] | None:
        """Each child with a date of birth or an age; None when only a count was given."""
        ages = self.cleaned_data.get("children_ages") or []
        born = self.cleaned_data.get("children_dates_of_birth") or []
        if not ages and not born:
            return None
        return [Child(date_of_birth=day) for day in born] + [
            Child(age_in_years=age) for age in ages
        ]

    def interpreter(self) -> InterpreterWish | None:
        if not self.cleaned_data.get("request_interpreter"):
            return None
        return InterpreterWish(
            mode=self.cleaned_data.get("interpreter_mode") or InterpreterMode.FACE_TO_FACE,
            female=bool(self.cleaned_data.get("female_interpreter")),
        )


class AttendanceForm(forms.Form):
    """One radio group per booked woman: field name ``booking_<id>``."""

    def __init__(self, *args, bookings, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(mark.value, mark.label) for mark in BookingStatus if mark in ATTENDANCE_MARKS]
        for booking in bookings:
            self.fields[f"booking_{booking.pk}"] = forms.ChoiceField(
                label=booking.referral.preferred_name,
                choices=choices,
                required=False,
                widget=forms.RadioSelect,
                initial=booking.status if booking.status in ATTENDANCE_MARKS else None,
            )

    def marks(self) -> dict[int, str]:
        return {
            int(name.removeprefix("booking_")): value
            for name, value in self.cleaned_data.items()
            if value
        }
