"""Form fields shared by the referral steps."""

from django import forms
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

from referrals.models import LONG_TEXT

YES_NO = [("yes", _("Yes")), ("no", _("No"))]

# Django's own error messages, in plainer words and in our translation catalogue (Django's
# catalogues for Punjabi and Urdu miss some of them): a woman filling the form in her
# language must never meet an English error. Keyed by error code; validators' messages
# (max_length, min_value, max_value, an email's "invalid") are replaced by code too.
PLAIN_ERROR_MESSAGES = {
    "required": _("Please answer this question."),
    "invalid_choice": _("Choose one of the options."),
    "invalid_list": _("Choose one or more of the options."),
    "max_length": _("Please shorten this to %(limit_value)d characters or fewer."),
    "min_value": _("Enter %(limit_value)s or more."),
    "max_value": _("Enter %(limit_value)s or fewer."),
}
PLAIN_INVALID_MESSAGES = (
    (forms.DateField, _("Enter a real date, like 27 3 1990, or leave it empty.")),
    (forms.TimeField, _("Enter a time, like 10:00.")),
    (forms.IntegerField, _("Enter a number, like 2.")),
    (forms.EmailField, _("Enter an email address, like name@example.com.")),
)


def django_default_messages(field: forms.Field) -> dict:
    defaults = {}
    for cls in reversed(type(field).__mro__):
        defaults.update(getattr(cls, "default_error_messages", {}))
    return defaults


class PlainErrorsMixin(forms.Form):
    """Each field's Django default error messages replaced by PLAIN_ERROR_MESSAGES; a
    message the form gives itself (error_messages=...) is kept.

    The same steps serve a woman and a professional referring her: with ``for_referrer``
    the questions are asked about her ("What would she like us to call her?"), from
    ``referrer_title`` and ``referrer_wording`` (a field's label, help_text or choices)."""

    referrer_title = None
    referrer_wording: dict = {}

    def __init__(self, *args, for_referrer=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.title = type(self).title
        self.for_referrer = for_referrer
        if for_referrer:
            self.title = self.referrer_title or self.title
            for name, wording in self.referrer_wording.items():
                for attribute, text in wording.items():
                    setattr(self.fields[name], attribute, text)
        for field in self.fields.values():
            defaults = django_default_messages(field)
            plain = dict(PLAIN_ERROR_MESSAGES)
            for field_class, message in PLAIN_INVALID_MESSAGES:
                if isinstance(field, field_class):
                    plain["invalid"] = message
            for code, message in plain.items():
                current = field.error_messages.get(code)
                if current is None or current is defaults.get(code):
                    field.error_messages[code] = message


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
    """A field people never see, reach or hear (hidden by CSS, out of the tab order and out of
    the accessibility tree) that bots fill in.

    The view rejects a filled-in honeypot quietly: a bot learns nothing."""

    website = forms.CharField(
        label=_("Leave this empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )
    # Its container is aria-hidden too (templates/forms/field.html): a screen
    # reader would otherwise read "Leave this empty" to her. Bots reading the HTML still
    # find an ordinary text field.
    website.hidden_from_people = True
