"""Asking for an interpreter for a session, and recording the agency's answer."""

from django import forms
from django.utils.translation import gettext_lazy as _

from sessions_booking.choices import GroupLanguage, InterpreterMode, InterpreterStatus


def mode_field():
    return forms.ChoiceField(
        label=_("How the interpreter attends"),
        choices=InterpreterMode.choices,
        initial=InterpreterMode.FACE_TO_FACE,
        widget=forms.RadioSelect,
        help_text=_("Face to face is best for group and trauma work."),
    )


def female_field():
    return forms.BooleanField(label=_("A female interpreter"), required=False)


class InterpreterRequestForm(forms.Form):
    language = forms.ChoiceField(
        label=_("Language"),
        choices=[("", _("Choose a language")), *GroupLanguage.choices],
        error_messages={"required": _("Choose the language the interpreter is for.")},
    )
    mode = mode_field()
    female = female_field()


class InterpreterUpdateForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), choices=InterpreterStatus.choices, widget=forms.RadioSelect
    )
    agency_reference = forms.CharField(
        label=_("Agency's reference"),
        max_length=60,
        required=False,
        help_text=_("The booking reference the interpreting agency gave."),
    )
    mode = mode_field()
    female = female_field()

    @classmethod
    def initial_for(cls, interpreter_request) -> dict:
        return {
            "status": interpreter_request.status,
            "agency_reference": interpreter_request.agency_reference,
            "mode": interpreter_request.mode,
            "female": interpreter_request.female,
        }
