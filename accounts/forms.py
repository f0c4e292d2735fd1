from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.invitations import ROLES_NEEDING_A_TEAM, email_in_use
from accounts.models import Team, User
from accounts.roles import Role


class RadioGroup(forms.RadioSelect):
    """Radios whose error-summary link goes to the first option (Django gives no id for a
    radio group as a whole, which would leave the summary's link pointing nowhere)."""

    def id_for_label(self, id_, index=None):
        if index is None and id_:
            return f"{id_}_0"
        return super().id_for_label(id_, index)


class InviteStaffForm(forms.Form):
    full_name = forms.CharField(
        label=_("Full name"),
        max_length=150,
        error_messages={"required": _("Enter their full name.")},
        # The admin types someone else's details: the browser must not offer her own.
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    email = forms.EmailField(
        label=_("Email address"),
        error_messages={
            "required": _("Enter their email address."),
            "invalid": _("Enter an email address like name@example.org."),
        },
        help_text=_("Their work email address. The invitation is sent here."),
        widget=forms.EmailInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    role = forms.TypedChoiceField(
        label=_("Role"),
        choices=Role.choices,
        error_messages={"required": _("Choose a role.")},
        coerce=Role,
        widget=RadioGroup,
    )
    team = forms.ModelChoiceField(
        label=_("Team"),
        queryset=Team.objects.all(),
        required=False,
        empty_label=_("No team (service admins only)"),
        help_text=_("Keyworkers and team leads must be in a team."),
    )

    def clean_email(self):
        email = User.objects.normalize_email(self.cleaned_data["email"]).lower()
        if email_in_use(email):
            raise forms.ValidationError(
                _("A staff account already uses this email address."), code="email_in_use"
            )
        return email

    def clean(self):
        cleaned_data = super().clean()
        if cleaned_data.get("role") in ROLES_NEEDING_A_TEAM and not cleaned_data.get("team"):
            self.add_error("team", _("Choose a team: keyworkers and team leads work in a team."))
        return cleaned_data
