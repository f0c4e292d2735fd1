"""The steps of the referral form. Each step is a plain Django form; the wizard in
``referrals.views.public`` keeps their answers server-side between steps."""

from datetime import date

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.choices import PHONE_CHANNELS, Channel
from referrals.choices import AgeRange, Weekday
from referrals.forms.fields import (
    HoneypotMixin,
    PlainErrorsMixin,
    choice_checkboxes,
    yes_no_field,
)
from referrals.models import SHORT_TEXT
from referrals.rules.consent import CONSENT_VERSION, consent_wording
from referrals.rules.validation import (
    age_on,
    age_range_of,
    is_uk_mobile,
    normalise_uk_phone,
    postcode_district,
)

NOT_LISTED = ""


class AboutYouForm(HoneypotMixin, PlainErrorsMixin):
    title = _("About you")
    referrer_title = _("About her")
    referrer_wording = {
        "preferred_name": {"label": _("What would she like us to call her?")},
        "date_of_birth": {"help_text": _("Or choose an age range below if she prefers.")},
        "postcode": {
            "help_text": _(
                "Just the first part is fine, like B12. We use it to find her local team."
            )
        },
        "local_authority": {"label": _("Or choose her area")},
    }

    preferred_name = forms.CharField(
        label=_("What would you like us to call you?"),
        help_text=_("This can be a first name or a nickname."),
        max_length=80,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    full_name = forms.CharField(
        label=_("Full name (optional)"),
        max_length=SHORT_TEXT,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    date_of_birth = forms.DateField(
        label=_("Date of birth (optional)"),
        help_text=_("Or choose an age range below if you prefer."),
        required=False,
        widget=forms.DateInput(attrs={"type": "date", "autocomplete": "off"}),
    )
    age_range = forms.ChoiceField(
        label=_("Age range"),
        choices=[("", _("Choose an age range")), *AgeRange.choices],
        required=False,
    )
    postcode = forms.CharField(
        label=_("Postcode (optional)"),
        help_text=_("Just the first part is fine, like B12. We use it to find your local team."),
        max_length=10,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    local_authority = forms.ChoiceField(
        label=_("Or choose your area"),
        required=False,
        choices=[],
    )

    def __init__(self, *args, local_authorities=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["local_authority"].choices = [
            (NOT_LISTED, _("Not listed, or I'm not sure"))
        ] + [(name, name) for name in local_authorities]

    def clean_postcode(self):
        text = self.cleaned_data["postcode"]
        return postcode_district(text) if text.strip() else ""

    def clean_date_of_birth(self):
        born = self.cleaned_data["date_of_birth"]
        if born is None:
            return None
        today = date.today()
        age = age_on(born, today)
        if born > today:
            raise ValidationError(_("Date of birth must be in the past."), code="future")
        if age < 12 or age > 110:
            raise ValidationError(
                _("Check the year of her date of birth.")
                if self.for_referrer
                else _("Check the year of your date of birth."),
                code="implausible",
            )
        return born

    def clean(self):
        cleaned = super().clean()
        born, age_range = cleaned.get("date_of_birth"), cleaned.get("age_range")
        if not (born or age_range) and "date_of_birth" not in self.errors:
            self.add_error(
                "age_range",
                _("Give her date of birth or choose an age range.")
                if self.for_referrer
                else _("Give your date of birth or choose an age range."),
            )
        if born and age_range and age_range_of(age_on(born, date.today())) != age_range:
            # Either may be the slip: ask which is right, and keep both as she gave them.
            self.add_error(
                "age_range",
                ValidationError(
                    _(
                        "The date of birth gives an age of %(age)s, which is not in the age "
                        "range “%(range)s”. Which is right? Correct the date of birth or the "
                        "age range, or leave the date of birth empty."
                    ),
                    code="age_range_contradicts_date_of_birth",
                    params={
                        "age": age_on(born, date.today()),
                        "range": AgeRange(age_range).label,
                    },
                ),
            )
        return cleaned


class KeepingSafeForm(PlainErrorsMixin):
    title = _("Keeping you safe")
    referrer_title = _("Keeping her safe")
    referrer_wording = {
        "safe_channels": {
            "label": _("Which ways are safe for us to contact her?"),
            "help_text": _(
                "Tick only the ones that are safe for her. We will never use the others."
            ),
        },
        "phone": {"label": _("Her phone number")},
        "email": {"label": _("Her email address")},
        "postal_address": {"label": _("Her postal address")},
        "may_name_service": {
            "help_text": _("If she says no, messages will not name us or say what they are about.")
        },
    }

    safe_channels = choice_checkboxes(
        _("Which ways are safe for us to contact you?"),
        Channel.choices,
        help_text=_("Tick only the ones that are safe. We will never use the others."),
    )
    phone = forms.CharField(
        label=_("Phone number"),
        help_text=_("Needed if phone calls, voicemail or text messages are safe."),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
    )
    email = forms.EmailField(
        label=_("Email address"),
        help_text=_("Needed if email is safe."),
        max_length=254,
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    postal_address = forms.CharField(
        label=_("Postal address"),
        help_text=_("Needed if letters are safe."),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": 500, "autocomplete": "off"}),
    )
    may_name_service = yes_no_field(
        _("Can our messages say who they are from?"),
        help_text=_("If you say no, messages will not name us or say what they are about."),
        initial="no",
        required=True,
    )

    def clean_phone(self):
        text = self.cleaned_data["phone"].strip()
        return normalise_uk_phone(text) if text else ""

    def clean(self):
        cleaned = super().clean()
        channels = set(cleaned.get("safe_channels") or [])
        if channels & PHONE_CHANNELS and not cleaned.get("phone") and "phone" not in self.errors:
            self.add_error("phone", _("Enter a phone number, or untick calls and texts."))
        elif (
            Channel.SMS in channels and cleaned.get("phone") and not is_uk_mobile(cleaned["phone"])
        ):
            # The number stays as typed: it may well be right for calls.
            self.add_error(
                "phone",
                ValidationError(
                    _(
                        "Text messages can only go to a UK mobile number, starting 07. Enter a "
                        "mobile number, or untick text messages: we keep this number for calls."
                    ),
                    code="sms_needs_mobile",
                ),
            )
        if Channel.EMAIL in channels and not cleaned.get("email") and "email" not in self.errors:
            self.add_error("email", _("Enter an email address, or untick email."))
        if Channel.LETTER in channels and not cleaned.get("postal_address"):
            self.add_error("postal_address", _("Enter a postal address, or untick letters."))
        return cleaned


# Each step is at most about two phone screens (1,500 px at 360 x 740, measured in
# tests/browser/test_public_form_steps_in_browser.py): "Keeping you safe" and "What would
# help" (now referrals/forms/need_steps.py) were one page each, of ten and seventeen
# questions. A step validates only its own fields.
class SafeTimesForm(PlainErrorsMixin):
    title = _("Safe times")
    referrer_wording = {
        "safe_days": {"label": _("Which days is it safe to contact her?")},
        "code_word": {"help_text": _("A word we will say so she knows it is really us.")},
    }

    safe_days = forms.TypedMultipleChoiceField(
        label=_("Which days is it safe to contact you?"),
        help_text=_("Leave them all unticked if any day is fine."),
        choices=Weekday.choices,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    safe_from = forms.TimeField(
        label=_("Safe from (time)"),
        help_text=_("For example 10:00. Leave both times empty if any time is fine."),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    safe_until = forms.TimeField(
        label=_("Safe until (time)"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    if_someone_else_answers = forms.CharField(
        label=_("If someone else answers, what should we say?"),
        help_text=_("For example: “It's the dentist, I'll call back.”"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "maxlength": 500}),
    )
    code_word = forms.CharField(
        label=_("Code word (optional)"),
        help_text=_("A word we will say so you know it is really us."),
        max_length=50,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )

    def clean(self):
        cleaned = super().clean()
        safe_from, safe_until = cleaned.get("safe_from"), cleaned.get("safe_until")
        if (safe_from is None) != (safe_until is None):
            self.add_error("safe_until", _("Give both times, or leave both empty."))
        elif safe_from is not None and safe_from >= safe_until:
            self.add_error("safe_until", _("The end time must be later than the start time."))
        return cleaned


class ConsentForm(PlainErrorsMixin):
    title = _("Your agreement")

    consent_to_store = forms.BooleanField(
        label=consent_wording("store"),
        error_messages={
            "required": _("We can only take your referral if you agree that we can keep it.")
        },
    )
    consent_to_contact = forms.BooleanField(label=consent_wording("contact"), required=False)
    consent_to_share = forms.BooleanField(label=consent_wording("share"), required=False)
    consent_version = forms.CharField(widget=forms.HiddenInput, initial=CONSENT_VERSION)

    def clean_consent_version(self):
        # Always record the wording actually shown by this code, whatever was posted.
        return CONSENT_VERSION


class ProfessionalConsentForm(ConsentForm):
    title = _("Her agreement")

    referrer_confirmed_consent = forms.BooleanField(
        label=_(
            "I confirm that she has agreed to this referral, and to each statement I have "
            "ticked below, in her own words."
        ),
        error_messages={"required": _("We can only accept a referral she has agreed to.")},
    )
    field_order = ["referrer_confirmed_consent"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The statements she agreed to, as the referrer reads them out or ticks for her.
        for key in ("store", "contact", "share"):
            self.fields[f"consent_to_{key}"].label = consent_wording(f"{key}_referrer")


class CheckAnswersForm(PlainErrorsMixin):
    title = _("Check your answers")


class ReferrerForm(HoneypotMixin, PlainErrorsMixin):
    title = _("About you, the referrer")

    # Each required field says which it is, in the error summary and by the field: six
    # "Please answer this question." lines on an empty page told her nothing.
    referrer_name = forms.CharField(
        label=_("Your name"),
        max_length=SHORT_TEXT,
        error_messages={"required": _("Enter your name.")},
    )
    referrer_organisation = forms.CharField(
        label=_("Organisation"),
        max_length=SHORT_TEXT,
        error_messages={"required": _("Enter your organisation.")},
    )
    referrer_role = forms.CharField(
        label=_("Your role"),
        max_length=SHORT_TEXT,
        error_messages={"required": _("Enter your role.")},
    )
    referrer_phone = forms.CharField(
        label=_("Phone number"),
        error_messages={"required": _("Enter your phone number.")},
        max_length=20,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
    )
    referrer_email = forms.EmailField(
        label=_("Work email address"),
        error_messages={"required": _("Enter your work email address.")},
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    referrer_relationship = forms.CharField(
        label=_("How do you know her?"),
        help_text=_("For example: her GP, probation officer or social worker."),
        max_length=SHORT_TEXT,
        error_messages={"required": _("Say how you know her.")},
    )

    def clean_referrer_phone(self):
        return normalise_uk_phone(self.cleaned_data["referrer_phone"].strip())
