"""The steps of the referral form about what would help her: her safety, health, children
and the groups she would come to. Four steps, each at most about two phone screens
(see referrals/forms/steps.py for the others)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from referrals.choices import (
    AbuseExperience,
    GroupInterest,
    Housing,
    Language,
    SafeNow,
    Substance,
    YesNoPreferNot,
)
from referrals.forms.fields import (
    PlainErrorsMixin,
    choice_checkboxes,
    long_text_field,
    radio_choice,
    yes_no_field,
)
from referrals.models import SHORT_TEXT
from referrals.rules.validation import parse_children_ages


class WhatWouldHelpForm(PlainErrorsMixin):
    title = _("What would help")
    referrer_wording = {
        "safe_now": {
            "label": _("Is she safe right now?"),
            "choices": [
                (SafeNow.YES, _("Yes, she is safe right now")),
                (SafeNow.NO, _("No, she is not safe right now")),
                (SafeNow.NOT_SURE, _("Not sure")),
            ],
        },
        "abuse_experience": {
            "label": _("Has she experienced domestic abuse or sexual violence?"),
            "help_text": _("She does not have to tell us. It helps us offer the right support."),
        },
        "abuse_details": {"label": _("Anything she wants us to know about her safety (optional)")},
        "housing": {
            "label": _("Does she have any worries about housing?"),
            "choices": [
                (Housing.NONE, _("No worries about housing")),
                (Housing.AT_RISK, _("She might lose her home")),
                (Housing.UNSAFE, _("Where she lives is not safe for her")),
                (Housing.NO_HOME, _("She has nowhere to stay")),
            ],
        },
    }

    safe_now = radio_choice(_("Are you safe right now?"), SafeNow.choices, required=True)
    abuse_experience = radio_choice(
        _("Have you experienced domestic abuse or sexual violence?"),
        AbuseExperience.choices,
        help_text=_("You do not have to tell us. It helps us offer the right support."),
    )
    abuse_details = long_text_field(
        _("Anything you want us to know about your safety (optional)"),
    )
    housing = radio_choice(_("Do you have any worries about housing?"), Housing.choices)


class HealthForm(PlainErrorsMixin):
    title = _("Your health")
    referrer_title = _("Her health")
    referrer_wording = {
        "substances": {"label": _("What would she like help with?")},
        "wants_mental_health_support": {
            "label": _("Would she like support with her mental health?")
        },
        "pregnant": {"label": _("Is she pregnant?")},
    }

    substances = choice_checkboxes(
        _("What would you like help with?"), Substance.choices, help_text=_("Tick all that apply.")
    )
    substances_other = forms.CharField(
        label=_("Something else"), max_length=SHORT_TEXT, required=False
    )
    wants_mental_health_support = yes_no_field(_("Would you like support with your mental health?"))
    pregnant = radio_choice(_("Are you pregnant?"), YesNoPreferNot.choices)

    def clean(self):
        cleaned = super().clean()
        if Substance.OTHER in (cleaned.get("substances") or []) and not cleaned.get(
            "substances_other"
        ):
            self.add_error("substances_other", _("Tell us what else, or untick “Something else”."))
        return cleaned


class ChildrenForm(PlainErrorsMixin):
    title = _("Children and coming to groups")
    referrer_wording = {
        "children_count": {"label": _("How many children under 18 does she look after?")},
        "needs_childcare": {"label": _("Would she need childcare to come to a group?")},
        "children_at_risk": {"label": _("Is she worried about her children's safety?")},
        "access_needs": {
            "label": _("Anything that would make it easier for her to come (optional)")
        },
    }

    children_count = forms.IntegerField(
        label=_("How many children under 18 do you look after?"),
        help_text=_("Write 0 if none."),
        min_value=0,
        max_value=15,
        initial=0,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    children_ages = forms.CharField(
        label=_("Their ages"),
        help_text=_("For example: 2, 5 and 11. Write a baby under one as 0."),
        max_length=100,
        required=False,
    )
    needs_childcare = yes_no_field(_("Would you need childcare to come to a group?"))
    children_at_risk = yes_no_field(_("Are you worried about your children's safety?"))
    access_needs = long_text_field(
        _("Anything that would make it easier to come (optional)"),
        help_text=_("For example step-free access, large print, or a quiet space."),
    )

    def clean_children_ages(self):
        return parse_children_ages(self.cleaned_data["children_ages"])

    def clean(self):
        cleaned = super().clean()
        count, ages = cleaned.get("children_count"), cleaned.get("children_ages")
        if count is not None and ages and len(ages) != count:
            self.add_error(
                "children_ages",
                _("Give one age for each child. Check how many children you wrote above."),
            )
        return cleaned


class LanguageAndGroupsForm(PlainErrorsMixin):
    title = _("Language and groups")
    referrer_wording = {
        "preferred_language": {"label": _("Which language would she like to use?")},
        "needs_interpreter": {"label": _("Would she like an interpreter?")},
        "group_interests": {"label": _("Which groups would she like to hear about?")},
        "women_only_groups": {"label": _("Would she only come to groups for women?")},
        "anything_else": {"label": _("Is there anything else you or she would like to tell us?")},
    }

    preferred_language = forms.ChoiceField(
        label=_("Which language would you like to use?"),
        choices=Language.choices,
        initial=Language.ENGLISH,
    )
    preferred_language_other = forms.CharField(
        label=_("Other language"), max_length=80, required=False
    )
    needs_interpreter = yes_no_field(_("Would you like an interpreter?"))
    group_interests = choice_checkboxes(
        _("Which groups would you like to hear about?"), GroupInterest.choices
    )
    women_only_groups = yes_no_field(
        _("Would you only come to groups for women?"),
        help_text=_("All our groups are women-only unless we clearly say otherwise."),
        initial="yes",
    )
    anything_else = long_text_field(_("Is there anything else you would like to tell us?"))

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("preferred_language") == Language.OTHER and not cleaned.get(
            "preferred_language_other"
        ):
            self.add_error("preferred_language_other", _("Tell us which language."))
        return cleaned
