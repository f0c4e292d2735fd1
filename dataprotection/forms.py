"""Forms on the data protection pages."""

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from referrals.rules.reference import normalise_reference_code

REASON_LENGTH = 500


class FindCaseForm(forms.Form):
    reference = forms.CharField(
        label=_("Case reference"),
        max_length=20,
        help_text=_("The 8-character code she or her referrer quotes, e.g. K7MP 4QXR."),
    )


def names_or_contacts_her(text: str, referral) -> bool:
    """Whether ``text`` gives her name, phone number or e-mail address: what is written in
    the audit log is kept for ever, and must not identify her."""
    names = [name for name in (referral.preferred_name, referral.full_name) if name]
    contact = [value for value in (referral.email, referral.phone) if value]
    if referral.phone:
        contact.append("0" + referral.phone.removeprefix("+44"))
    named = any(
        re.search(rf"(?<!\w){re.escape(name)}(?!\w)", text, re.IGNORECASE) for name in names
    )
    squashed = re.sub(r"[\s()-]", "", text).casefold()
    return named or any(value.casefold() in squashed for value in contact)


NAMES_HER = _(
    "This is kept in the audit log for ever, so it must not name her or give her contact "
    "details. Describe the request without them."
)


class SubjectAccessRequestForm(forms.Form):
    """What every subject access copy is produced for: her request, named by reference."""

    request_reference = forms.CharField(
        label=_("Request reference"),
        max_length=60,
        help_text=_("Your reference for her request, e.g. SAR-2026-014."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    reason = forms.CharField(
        label=_("Why this copy is being produced"),
        max_length=REASON_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            'For example: "She asked in writing on 3 March for a copy of her records." Kept '
            "in the audit log for ever: do not write her name or contact details."
        ),
    )
    format = forms.ChoiceField(
        label=_("Copy to produce"),
        choices=[
            ("html", _("Readable page (print it or save it as a PDF)")),
            ("json", _("JSON file (machine-readable)")),
        ],
        initial="html",
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, referral, **kwargs):
        super().__init__(*args, **kwargs)
        self.referral = referral

    def _not_naming_her(self, name: str) -> str:
        value = self.cleaned_data[name]
        if names_or_contacts_her(value, self.referral):
            raise forms.ValidationError(NAMES_HER)
        return value

    def clean_request_reference(self):
        return self._not_naming_her("request_reference")

    def clean_reason(self):
        return self._not_naming_her("reason")


class EraseForm(forms.Form):
    reason = forms.CharField(
        label=_("Why her data is being erased"),
        max_length=REASON_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            'For example: "She asked in writing on 3 March; no legal reason to keep it." '
            "This is kept in the audit log for ever: do not write her name or contact details."
        ),
    )
    confirm_reference = forms.CharField(
        label=_("Type the case reference to confirm"),
        max_length=20,
        help_text=_("Erasure cannot be undone."),
    )

    def __init__(self, *args, referral, **kwargs):
        super().__init__(*args, **kwargs)
        self.referral = referral

    def clean_confirm_reference(self):
        typed = self.cleaned_data["confirm_reference"]
        if normalise_reference_code(typed) != self.referral.reference:
            raise forms.ValidationError(
                _("That is not this case's reference. Check it and type it again.")
            )
        return typed

    def clean_reason(self):
        reason = self.cleaned_data["reason"]  # stripped, NUL characters refused by Django
        if names_or_contacts_her(reason, self.referral):
            raise forms.ValidationError(
                _(
                    "The reason is kept in the audit log for ever, so it must not name her or "
                    "give her contact details. Describe the request without them."
                )
            )
        return reason
