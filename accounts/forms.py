from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Team, User
from accounts.services.invitations import ROLES_NEEDING_A_TEAM, email_in_use
from core.permissions import Role


class RadioGroup(forms.RadioSelect):
    """Radios whose error-summary link goes to the first option (Django gives no id for a
    radio group as a whole, which would leave the summary's link pointing nowhere)."""

    def id_for_label(self, id_, index=None):
        if index is None and id_:
            return f"{id_}_0"
        return super().id_for_label(id_, index)


def team_field() -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        label=_("Team"),
        queryset=Team.objects.all(),
        required=False,
        empty_label=_("No team (service admins only)"),
        help_text=_("Keyworkers and team leads must be in a team."),
    )


class TeamForRolesForm(forms.Form):
    """Keyworkers and team leads work in a team: the form asks for one when ``roles_chosen()``
    names either."""

    def roles_chosen(self, cleaned_data) -> set[Role]:
        raise NotImplementedError

    def clean(self):
        cleaned_data = super().clean()
        if self.roles_chosen(cleaned_data) & ROLES_NEEDING_A_TEAM and not cleaned_data.get("team"):
            self.add_error("team", _("Choose a team: keyworkers and team leads work in a team."))
        return cleaned_data


class InviteStaffForm(TeamForRolesForm):
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
    team = team_field()

    def clean_email(self):
        email = User.objects.normalize_email(self.cleaned_data["email"]).lower()
        if email_in_use(email):
            raise forms.ValidationError(
                _("A staff account already uses this email address."), code="email_in_use"
            )
        return email

    def roles_chosen(self, cleaned_data) -> set[Role]:
        return {cleaned_data["role"]} if cleaned_data.get("role") else set()


class StaffRolesForm(TeamForRolesForm):
    """What a service admin may change about someone else on the people pages: her roles
    and her team. Superuser status and single permissions are never offered anywhere."""

    roles = forms.TypedMultipleChoiceField(
        label=_("Roles"),
        choices=Role.choices,
        coerce=Role,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Untick every role to leave the account with no access to cases."),
    )
    team = team_field()

    def roles_chosen(self, cleaned_data) -> set[Role]:
        return set(cleaned_data.get("roles") or ())
