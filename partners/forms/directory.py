"""Forms for the partner directory (service admins)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Team
from partners.models import PartnerOrganisation, PartnerService
from referrals.choices import Language


class OrganisationForm(forms.ModelForm):
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")

    class Meta:
        model = PartnerOrganisation
        fields = ["name", "website"]


class CommaListField(forms.CharField):
    """Names separated by commas, stored as a list."""

    def prepare_value(self, value):
        return ", ".join(value) if isinstance(value, list | tuple) else value

    def to_python(self, value):
        value = super().to_python(value)
        return [part.strip() for part in value.split(",") if part.strip()]


class PartnerServiceForm(forms.ModelForm):
    teams = forms.ModelMultipleChoiceField(
        label=_("Teams whose area it covers"), queryset=Team.objects.order_by("name"),
        required=False, widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip
    local_authorities = CommaListField(
        label=_("Local authorities it covers"), required=False, max_length=1000,
        help_text=_("Council areas, separated by commas: Birmingham, Sandwell."),
    )  # fmt: skip
    languages = forms.MultipleChoiceField(
        label=_("Languages offered"), choices=Language.choices, required=False,
        widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip

    class Meta:
        model = PartnerService
        fields = [
            "organisation", "name", "kind", "teams", "local_authorities", "women_only",
            "languages", "how_to_refer", "referral_contact", "referral_needs",
            "usual_wait_days", "is_active",
        ]  # fmt: skip
        widgets = {"referral_needs": forms.Textarea(attrs={"rows": 3})}

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("teams") and not cleaned.get("local_authorities"):
            self.add_error(
                "teams", _("Choose the teams or name the local authorities this service covers.")
            )
        return cleaned
