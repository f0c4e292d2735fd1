"""Fixed lists of answers. Values are stored; labels are shown (and translated)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Source(models.TextChoices):
    SELF = "self", _("Self-referral")
    PROFESSIONAL = "professional", _("Professional referral")


class Status(models.TextChoices):
    NEW = "new", _("New")
    CONTACTING = "contacting", _("Contacting")
    ASSESSMENT = "assessment", _("Assessment")
    ACTIVE = "active", _("Active")
    CLOSED = "closed", _("Closed")


class Priority(models.TextChoices):
    # Ordered by urgency; PRIORITY_RANK below gives the sort order.
    SAFEGUARDING = "safeguarding", _("Safeguarding")
    URGENT = "urgent", _("Urgent")
    ROUTINE = "routine", _("Routine")


PRIORITY_RANK = {Priority.SAFEGUARDING: 0, Priority.URGENT: 1, Priority.ROUTINE: 2}


class AgeRange(models.TextChoices):
    UNDER_18 = "under_18", _("Under 18")
    AGE_18_24 = "18_24", _("18 to 24")
    AGE_25_34 = "25_34", _("25 to 34")
    AGE_35_44 = "35_44", _("35 to 44")
    AGE_45_54 = "45_54", _("45 to 54")
    AGE_55_64 = "55_64", _("55 to 64")
    AGE_65_PLUS = "65_plus", _("65 or over")


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class Substance(models.TextChoices):
    ALCOHOL = "alcohol", _("Alcohol")
    CANNABIS = "cannabis", _("Cannabis")
    COCAINE = "cocaine", _("Cocaine")
    CRACK = "crack", _("Crack cocaine")
    OPIOIDS = "opioids", _("Heroin or other opioids")
    PRESCRIPTION = "prescription", _("Prescription or over-the-counter medicines")
    BENZODIAZEPINES = "benzodiazepines", _("Benzodiazepines (such as diazepam)")
    KETAMINE = "ketamine", _("Ketamine")
    OTHER = "other", _("Something else")


class YesNoPreferNot(models.TextChoices):
    YES = "yes", _("Yes")
    NO = "no", _("No")
    PREFER_NOT = "prefer_not", _("I'd rather not say")


class AbuseExperience(models.TextChoices):
    NONE = "none", _("No")
    CURRENT = "current", _("Yes, it is happening now")
    PAST = "past", _("Yes, in the past")
    PREFER_NOT = "prefer_not", _("I'd rather not say")


class SafeNow(models.TextChoices):
    YES = "yes", _("Yes, I am safe right now")
    NO = "no", _("No, I am not safe right now")
    NOT_SURE = "not_sure", _("I'm not sure")


class Housing(models.TextChoices):
    NONE = "none", _("No worries about housing")
    AT_RISK = "at_risk", _("I might lose my home")
    UNSAFE = "unsafe", _("Where I live is not safe for me")
    NO_HOME = "no_home", _("I have nowhere to stay")


class Language(models.TextChoices):
    ENGLISH = "en", _("English")
    POLISH = "pl", _("Polish")
    ROMANIAN = "ro", _("Romanian")
    URDU = "ur", _("Urdu")
    PUNJABI = "pa", _("Punjabi")
    BENGALI = "bn", _("Bengali")
    OTHER = "other", _("Another language")


class GroupInterest(models.TextChoices):
    RECOVERY = "recovery", _("Women's recovery group")
    TRAUMA = "trauma", _("Trauma-informed stabilisation group")
    MOTHERS = "mothers", _("Mothers in recovery")
    DROP_IN = "drop_in", _("Drop-in")
    ONE_TO_ONE = "one_to_one", _("One-to-one support only, for now")


class ClosedReason(models.TextChoices):
    COMPLETED = "completed", _("Completed")
    DECLINED = "declined", _("Declined")
    UNABLE_TO_CONTACT = "unable_to_contact", _("Unable to contact")
    MOVED_AWAY = "moved_away", _("Moved away")
    REFERRED_ELSEWHERE = "referred_elsewhere", _("Referred elsewhere")


class ContactOutcome(models.TextChoices):
    SPOKE = "spoke", _("Spoke to her")
    NO_ANSWER = "no_answer", _("No answer")
    LEFT_VOICEMAIL = "left_voicemail", _("Left a voicemail")
    UNSAFE_TO_TALK = "unsafe_to_talk", _("She could not talk safely")
    WRONG_NUMBER = "wrong_number", _("Wrong number")


# Outcomes where we did not reach her: three of these in 14 days suggests closing.
UNANSWERED_OUTCOMES = [
    ContactOutcome.NO_ANSWER,
    ContactOutcome.LEFT_VOICEMAIL,
    ContactOutcome.WRONG_NUMBER,
]


class AnonymisedBecause(models.TextChoices):
    CLOSED_CASE = "closed_case", _("Retention period after closure ended")
    NEVER_CONTACTED = "never_contacted", _("Self-referral never contacted")
    ERASURE_REQUEST = "erasure_request", _("She asked for her data to be erased")
