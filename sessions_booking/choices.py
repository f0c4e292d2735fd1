"""Enums of the groups app."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from referrals.choices import Language

# The languages a group can be delivered in, or an interpreter asked for: the referral's
# languages (what she can tell us she speaks), without "another language".
GroupLanguage = models.TextChoices(
    "GroupLanguage",
    [(member.name, (member.value, member.label)) for member in Language if member != "other"],
)


class InterpreterMode(models.TextChoices):
    FACE_TO_FACE = "face_to_face", _("Face to face")
    TELEPHONE = "telephone", _("By telephone")


class InterpreterStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    BOOKED = "booked", _("Booked with the agency")
    CONFIRMED = "confirmed", _("Confirmed")
    CANCELLED = "cancelled", _("Cancelled")


# Requests still standing (an interpreter is on the way, or being arranged).
INTERPRETER_ACTIVE = [
    InterpreterStatus.REQUESTED,
    InterpreterStatus.BOOKED,
    InterpreterStatus.CONFIRMED,
]
