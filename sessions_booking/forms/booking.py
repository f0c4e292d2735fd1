from django import forms
from django.utils.translation import gettext_lazy as _

from referrals.rules.validation import parse_children_ages
from sessions_booking.models import ATTENDANCE_MARKS, BookingStatus


class BookSessionForm(forms.Form):
    session = forms.TypedChoiceField(label=_("Session"), coerce=int, widget=forms.RadioSelect)
    children_in_creche = forms.IntegerField(
        label=_("Children who need the crèche"), min_value=0, max_value=10, initial=0
    )
    children_ages = forms.CharField(
        label=_("Their ages"), help_text=_("For example: 2 and 5."), max_length=100, required=False
    )
    whole_series = forms.BooleanField(
        label=_("Book every future session of this weekly group"), required=False
    )

    def __init__(self, *args, sessions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["session"].choices = [(s.pk, str(s.pk)) for s in sessions]

    def clean_children_ages(self):
        return parse_children_ages(self.cleaned_data["children_ages"])

    def clean(self):
        cleaned = super().clean()
        count, ages = cleaned.get("children_in_creche"), cleaned.get("children_ages")
        if count is not None and ages and len(ages) != count:
            self.add_error("children_ages", _("Give one age for each child in the crèche."))
        return cleaned


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
