"""Forms on the data protection pages."""

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from referrals.reference import normalise_reference_code

REASON_LENGTH = 500


class FindCaseForm(forms.Form):
    reference = forms.CharField(
        label=_("Case reference"),
        max_length=20,
        help_text=_("The 8-character code she or her referrer quotes, e.g. K7MP 4QXR."),
    )


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
        referral = self.referral
        names = [name for name in (referral.preferred_name, referral.full_name) if name]
        contact = [value for value in (referral.email, referral.phone) if value]
        if referral.phone:
            contact.append("0" + referral.phone.removeprefix("+44"))
        named = any(
            re.search(rf"(?<!\w){re.escape(name)}(?!\w)", reason, re.IGNORECASE) for name in names
        )
        squashed = re.sub(r"[\s()-]", "", reason).casefold()
        if named or any(value.casefold() in squashed for value in contact):
            raise forms.ValidationError(
                _(
                    "The reason is kept in the audit log for ever, so it must not name her or "
                    "give her contact details. Describe the request without them."
                )
            )
        return reason
