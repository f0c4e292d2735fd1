"""Forms on her support plan."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from partners.choices import (
    NeedSource,
    OnwardStatus,
    RiskLevel,
    RiskTool,
    SharedDetail,
    SupportKind,
)
from partners.models import LONG_TEXT
from partners.rules.support import next_steps

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class NeedForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of support"), choices=SupportKind.choices)
    detail = forms.CharField(
        label=_("What she wants"), required=False, max_length=LONG_TEXT,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("In her words, for example: trauma-focused therapy, not a group."),
    )  # fmt: skip
    source = forms.ChoiceField(
        label=_("Where this need comes from"), choices=NeedSource.choices,
        initial=NeedSource.ASSESSMENT, widget=forms.RadioSelect,
    )  # fmt: skip


class OnwardReferralForm(forms.Form):
    need = forms.TypedChoiceField(label=_("For her need"), coerce=int)
    service = forms.TypedChoiceField(label=_("Partner service"), coerce=int)
    shared_details = forms.MultipleChoiceField(
        label=_("What she agreed to share"), choices=SharedDetail.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose what she agreed to share.")},
    )  # fmt: skip
    consent_given = forms.BooleanField(
        label=_(
            "I read her the consent wording, and she agreed to share these details with "
            "this partner for this referral."
        ),
        error_messages={"required": _("Record her consent to share before referring her.")},
    )
    sent_on = forms.DateField(label=_("Date sent"), widget=DATE_INPUT)

    def __init__(self, *args, needs=(), services=(), covering=frozenset(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["need"].choices = [("", _("Choose a need"))] + [
            (need.pk, need.get_kind_display()) for need in needs
        ]
        not_covering = _("does not cover her area")
        self.fields["service"].choices = [("", _("Choose a partner service"))] + [
            (
                service.pk,
                f"{service.get_kind_display()}: {service}"
                + ("" if service.pk in covering else f" ({not_covering})"),
            )
            for service in services
        ]
        self.fields["need"].error_messages["required"] = _("Choose the need she is referred for.")
        self.fields["service"].error_messages["required"] = _("Choose a partner service.")
        if not self.is_bound:
            self.initial.setdefault("sent_on", timezone.localdate())


class StepForm(forms.Form):
    status = forms.ChoiceField(label=_("What happened"))
    on = forms.DateField(label=_("On"), widget=DATE_INPUT)
    appointment_on = forms.DateField(
        label=_("Appointment date (when an appointment was offered)"), required=False,
        widget=DATE_INPUT,
    )  # fmt: skip

    def __init__(self, *args, current: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [
            (status, OnwardStatus(status).label) for status in next_steps(current)
        ]
        if not self.is_bound:
            self.initial.setdefault("on", timezone.localdate())

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("status") == OnwardStatus.APPOINTMENT_OFFERED and not cleaned.get(
            "appointment_on"
        ):
            self.add_error("appointment_on", _("Give the date of the appointment offered."))
        return cleaned


class RiskAssessmentForm(forms.Form):
    tool = forms.ChoiceField(label=_("Tool"), choices=RiskTool.choices)
    assessed_on = forms.DateField(label=_("Assessed on"), widget=DATE_INPUT)
    score = forms.IntegerField(
        label=_("Score"), required=False, min_value=0, max_value=100,
        help_text=_("For the DASH checklist, the number of ticked questions (0 to 27)."),
    )  # fmt: skip
    level = forms.ChoiceField(label=_("Risk level"), choices=RiskLevel.choices)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("assessed_on", timezone.localdate())

    def clean(self):
        cleaned = super().clean()
        score = cleaned.get("score")
        if cleaned.get("tool") == RiskTool.DASH and score is not None and score > 27:
            self.add_error("score", _("A DASH score is from 0 to 27."))
        return cleaned
