"""The service admin's form for reminder wording, checked by sessions_booking.rules.wording."""

from django import forms
from django.utils.translation import gettext_lazy as _

from sessions_booking.models import MessageTemplate
from sessions_booking.rules import wording


class MessageTemplateForm(forms.ModelForm):
    class Meta:
        model = MessageTemplate
        fields = ["subject", "text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 4})}
        help_texts = {
            "subject": _("Used when the reminder goes by email."),
            "text": _(
                "Must include {when}, {where} and {link}. Keep it short: a text message "
                "holds 160 plain characters."
            ),
        }
        error_messages = {
            "subject": {"required": _("Enter the email subject.")},
            "text": {"required": _("Enter the message.")},
        }

    def __init__(self, *args, language: str, names_service: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.language, self.names_service = language, names_service
        if names_service:
            self.fields["text"].help_text = _(
                "Must include {when}, {where} and {link}; may include {service} and "
                "{programme}. Only women who allowed messages to name the service get this."
            )

    def clean(self):
        cleaned_data = super().clean()
        if "subject" in cleaned_data and "text" in cleaned_data:
            for problem in wording.problems(
                subject=cleaned_data["subject"],
                text=cleaned_data["text"],
                language=self.language,
                names_service=self.names_service,
            ):
                self.add_error("text", problem)
        return cleaned_data

    def save(self, *, user):
        template, _created = MessageTemplate.objects.update_or_create(
            language=self.language,
            names_service=self.names_service,
            defaults={
                "subject": self.cleaned_data["subject"],
                "text": self.cleaned_data["text"],
                "updated_by": user,
            },
        )
        return template
