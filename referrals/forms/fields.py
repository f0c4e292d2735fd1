"""Form fields shared by the referral steps."""

from django import forms
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

from referrals.models import LONG_TEXT

YES_NO = [("yes", _("Yes")), ("no", _("No"))]


def yes_no_field(label, *, required=False, help_text="", initial=None):
    """A Yes/No question as two radio buttons, cleaned to True/False (None if unanswered)."""
    return forms.TypedChoiceField(
        label=label,
        choices=YES_NO,
        coerce=lambda value: value == "yes",
        empty_value=None,
        widget=forms.RadioSelect,
        required=required,
        help_text=help_text,
        initial=initial,
    )


def long_text_field(label, *, help_text="", required=False):
    return forms.CharField(
        label=label,
        help_text=help_text,
        required=required,
        max_length=LONG_TEXT,
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": LONG_TEXT}),
        validators=[MaxLengthValidator(LONG_TEXT)],
    )


def choice_checkboxes(label, choices, *, help_text=""):
    return forms.MultipleChoiceField(
        label=label,
        choices=choices,
        required=False,
        help_text=help_text,
        widget=forms.CheckboxSelectMultiple,
    )


def radio_choice(label, choices, *, required=False, help_text="", initial=None):
    return forms.ChoiceField(
        label=label,
        choices=choices,
        required=required,
        help_text=help_text,
        initial=initial,
        widget=forms.RadioSelect,
    )


class HoneypotMixin(forms.Form):
    """A field people never see or reach (hidden by CSS, out of the tab order) that bots fill in.

    The view rejects a filled-in honeypot quietly: a bot learns nothing."""

    website = forms.CharField(
        label=_("Leave this empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )
