"""Forms for the places groups meet in and the kinds of group the service runs."""

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts.models import User
from sessions_booking.forms.inputs import CRECHE_HELP, ROOM_LIMIT_HELP, HoursListField
from sessions_booking.forms.querysets import active_staff
from sessions_booking.models import Programme, Venue
from sessions_booking.rules import wording
from sessions_booking.services import scheduling

CONFIRM_OPEN_TO_EVERYONE = _("I confirm this programme is open to everyone, not women only")


class VenueForm(forms.ModelForm):
    class Meta:
        model = Venue
        fields = [
            "name",
            "address",
            "women_only_building",
            "creche_on_site",
            "step_free",
            "separate_entrance",
            "staff_on_site",
            "no_shared_waiting_room",
            "safety_notes",
            "is_active",
        ]
        widgets = {
            "address": forms.Textarea(attrs={"rows": 3}),
            "safety_notes": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "safety_notes": _("For example: buzzer at the side door; a worker meets women there."),
            "is_active": _("Untick to stop offering this venue for new sessions."),
        }
        error_messages = {
            "name": {
                "required": _("Enter the venue's name."),
                "unique": _("There is already a venue with this name."),
            },
            "address": {"required": _("Enter the venue's address.")},
        }

    def clean_address(self):
        """The address goes into discreet reminders word for word (sessions_booking.rules.wording):
        it must not say what the building is for."""
        address = self.cleaned_data["address"]
        words = wording.disallowed_words_in(address, language="en")
        if words:
            raise forms.ValidationError(
                _(
                    "Reminders quote the address, and a reminder must not say what the "
                    "appointment is for. Leave out: %(words)s."
                )
                % {"words": ", ".join(f"“{word}”" for word in words)}
            )
        return address

    def clean(self):
        cleaned_data = super().clean()
        losing_creche = (
            self.instance.pk
            and self.instance.creche_on_site
            and not cleaned_data.get("creche_on_site")
        )
        if losing_creche:
            count = scheduling.upcoming_creche_sessions_at(self.instance).count()
            if count:
                self.add_error(
                    "creche_on_site",
                    ngettext(
                        "%(count)s session still to come here offers crèche places. Set its "
                        "crèche places to 0 or move it to another venue first.",
                        "%(count)s sessions still to come here offer crèche places. Set their "
                        "crèche places to 0 or move them to another venue first.",
                        count,
                    )
                    % {"count": count},
                )
        return cleaned_data


class ProgrammeForm(forms.ModelForm):
    confirm_open_to_everyone = forms.BooleanField(
        label=CONFIRM_OPEN_TO_EVERYONE,
        required=False,
        help_text=_("Needed only when you untick “Women only”."),
    )
    reminder_offsets_hours = HoursListField(
        label=_("Reminders (hours before)"),
        required=False,
        help_text=_("For example 48, 2: a reminder two days before and another two hours before."),
    )
    facilitators = forms.ModelMultipleChoiceField(
        queryset=User.objects.none(),
        label=_("Facilitators"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    field_order = [
        "name",
        "description",
        "women_only",
        "confirm_open_to_everyone",
        "trauma_informed",
        "language",
        "default_capacity",
        "default_creche_places",
        "reminder_offsets_hours",
        "facilitators",
        "is_active",
    ]

    class Meta:
        model = Programme
        fields = [
            "name",
            "description",
            "women_only",
            "trauma_informed",
            "language",
            "default_capacity",
            "default_creche_places",
            "reminder_offsets_hours",
            "facilitators",
            "is_active",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}
        help_texts = {
            "description": _("Women read this when they are offered a place. Plain words."),
            "default_creche_places": format_lazy("{} {}", CRECHE_HELP, ROOM_LIMIT_HELP),
            "language": _("The language the group is delivered in. English if left as it is."),
            "is_active": _("Untick to stop offering this programme for new sessions."),
        }
        error_messages = {
            "name": {
                "required": _("Enter the programme's name."),
                "unique": _("There is already a programme with this name."),
            },
            "description": {"required": _("Describe the programme for the women it is for.")},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        current = list(self.instance.facilitators.all()) if self.instance.pk else []
        self.fields["facilitators"].queryset = active_staff(also=current)
        self.fields["facilitators"].label_from_instance = lambda person: person.full_name
        # Older forms (and the Django admin's) may leave it out: the group is then in English.
        self.fields["language"].required = False

    def clean_language(self):
        return self.cleaned_data.get("language") or self.instance.language or "en"

    @property
    def turning_women_only_off(self) -> bool:
        was_women_only = self.instance.pk is None or self.instance.women_only
        return was_women_only and self.cleaned_data.get("women_only") is False

    def clean(self):
        cleaned_data = super().clean()
        if self.turning_women_only_off and not cleaned_data.get("confirm_open_to_everyone"):
            self.add_error(
                "confirm_open_to_everyone",
                _(
                    "Tick the box to confirm this programme is open to everyone, not women "
                    "only, or tick “Women only” again."
                ),
            )
        return cleaned_data
