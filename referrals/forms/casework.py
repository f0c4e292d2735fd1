"""Forms keyworkers and team leads use on the caseload and case pages."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.choices import Channel
from referrals.choices import ClosedReason, ContactOutcome, Priority, Status
from referrals.models import LONG_TEXT
from referrals.selectors import SORTS


class CaseFilterForm(forms.Form):
    scope = forms.ChoiceField(
        label=_("Show"),
        choices=[
            ("mine", _("My cases")),
            ("queue", _("Team queue")),
            ("team", _("All team cases")),
        ],
        required=False,
    )
    q = forms.CharField(
        label=_("Search by name or reference"),
        max_length=80,
        required=False,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("Any open status")), *Status.choices], required=False
    )
    priority = forms.ChoiceField(
        label=_("Priority"), choices=[("", _("Any priority")), *Priority.choices], required=False
    )
    sort = forms.ChoiceField(
        label=_("Sort by"),
        choices=[
            ("priority", _("Most urgent first")),
            ("waiting", _("Waiting longest")),
            ("next_contact", _("Next contact due")),
            ("name", _("Name")),
        ],
        required=False,
    )

    def __init__(self, *args, can_see_team=False, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            is_select = isinstance(field.widget, forms.Select)
            field.widget.attrs["class"] = "form-select" if is_select else "form-control"
        if not can_see_team:
            self.fields["scope"].choices = self.fields["scope"].choices[:2]

    def filters(self) -> dict:
        data = self.cleaned_data if self.is_valid() else {}
        sort = data.get("sort") or "priority"
        return {
            "scope": data.get("scope") or "mine",
            "status": data.get("status") or "",
            "priority": data.get("priority") or "",
            "search": data.get("q") or "",
            "sort": sort if sort in SORTS else "priority",
        }


class StatusForm(forms.Form):
    target = forms.ChoiceField(label=_("Change status to"), choices=Status.choices)
    closed_reason = forms.ChoiceField(
        label=_("Reason for closing"),
        choices=[("", _("Choose a reason")), *ClosedReason.choices],
        required=False,
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("target") == Status.CLOSED and not cleaned.get("closed_reason"):
            self.add_error("closed_reason", _("Choose a reason for closing the case."))
        return cleaned


class ContactAttemptForm(forms.Form):
    channel = forms.ChoiceField(
        label=_("How did you try to contact her?"), widget=forms.RadioSelect
    )
    outcome = forms.ChoiceField(
        label=_("What happened?"), choices=ContactOutcome.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(
        label=_("Note (optional)"),
        max_length=LONG_TEXT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "maxlength": LONG_TEXT}),
    )

    def __init__(self, *args, referral, **kwargs):
        super().__init__(*args, **kwargs)
        # Only the channels she said are safe can even be chosen (docs/design.md, safety rules).
        self.fields["channel"].choices = [
            (value, label) for value, label in Channel.choices if value in referral.safe_channels
        ]


class CaseNoteForm(forms.Form):
    text = forms.CharField(
        label=_("Note"),
        max_length=LONG_TEXT,
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": LONG_TEXT}),
    )
    restricted = forms.BooleanField(
        label=_("Restricted (safeguarding): only her keyworker and team leads can read it"),
        required=False,
    )


class NextContactForm(forms.Form):
    on = forms.DateField(
        label=_("Next contact due"),
        required=False,
        help_text=_("Leave empty to clear it."),
        widget=forms.DateInput(attrs={"type": "date"}),
    )


class AssignForm(forms.Form):
    keyworker = forms.TypedChoiceField(label=_("Assign to"), coerce=int)

    def __init__(self, *args, caseworkers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["keyworker"].choices = [("", _("Choose a keyworker"))] + [
            (user.pk, user.full_name) for user in caseworkers
        ]
