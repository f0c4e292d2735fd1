"""The dashboard's filters: dates, team (service admins only) and programme."""

from datetime import timedelta

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Team
from core.permissions import VIEW_SERVICE_REPORTS
from reports.selectors.scope import default_range
from sessions_booking.models import Programme

LONGEST_RANGE = timedelta(days=2 * 366)


class DateInput(forms.DateInput):
    input_type = "date"


class ReportFilterForm(forms.Form):
    start = forms.DateField(label=_("From"), widget=DateInput)
    end = forms.DateField(label=_("To"), widget=DateInput)
    team = forms.ModelChoiceField(
        label=_("Team"),
        queryset=Team.objects.order_by("name"),
        required=False,
        empty_label=_("Whole service"),
    )
    programme = forms.ModelChoiceField(
        label=_("Programme (group sessions)"),
        queryset=Programme.objects.order_by("name"),
        required=False,
        empty_label=_("All programmes"),
    )

    def __init__(self, data=None, *, user):
        filters = ["start", "end", "programme"]
        if user.has_perm(VIEW_SERVICE_REPORTS):
            filters.append("team")  # a team lead's figures are always her own team's
        # The dashboard opens on the last 12 weeks: a GET without filters is valid.
        if not data or not any(key in data for key in filters):
            start, end = default_range()
            data = {"start": start.isoformat(), "end": end.isoformat()}
        super().__init__(data)
        if "team" not in filters:
            del self.fields["team"]

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end:
            if start > end:
                self.add_error("end", _("The end date must be on or after the start date."))
            elif end - start > LONGEST_RANGE:
                self.add_error("start", _("Choose a range of two years or less."))
        return cleaned
