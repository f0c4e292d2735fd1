"""Lists every app shares: the ways a message can reach her, and what the audit trail records.
Values are stored; labels are shown (and translated)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    CALL = "call", _("Phone call")
    VOICEMAIL = "voicemail", _("Voicemail")
    SMS = "sms", _("Text message (SMS)")
    EMAIL = "email", _("Email")
    LETTER = "letter", _("Letter")


PHONE_CHANNELS = {Channel.CALL, Channel.VOICEMAIL, Channel.SMS}


class AuditAction(models.TextChoices):
    VIEWED_CASE = "viewed_case", _("Viewed case")
    PICKED_UP = "picked_up", _("Picked up from queue")
    ASSIGNED = "assigned", _("Assigned")
    CHANGED_STATUS = "changed_status", _("Changed status")
    RECORDED_CONTACT = "recorded_contact", _("Recorded contact attempt")
    ADDED_NOTE = "added_note", _("Added note")
    SET_NEXT_CONTACT = "set_next_contact", _("Set next contact date")
    EXPORTED = "exported", _("Exported")
    BOOKED = "booked", _("Booked into a group session")
    CANCELLED_BOOKING = "cancelled_booking", _("Cancelled a group booking")
    MARKED_ATTENDANCE = "marked_attendance", _("Marked attendance")
    RESENT_REMINDER = "resent_reminder", _("Resent a reminder")
    SHE_CONFIRMED = "she_confirmed", _("She confirmed by her reminder link")
    SHE_CANCELLED = "she_cancelled", _("She cancelled by her reminder link")
    INVITED_STAFF = "invited_staff", _("Invited a member of staff")
    DEACTIVATED_STAFF = "deactivated_staff", _("Deactivated a member of staff")
    CHANGED_STAFF_ROLES = "changed_staff_roles", _("Changed a member of staff's roles")
    ADMIN_ADDED = "admin_added", _("Added a record in the Django admin")
    ADMIN_CHANGED = "admin_changed", _("Changed a record in the Django admin")
    ADMIN_DELETED = "admin_deleted", _("Deleted a record in the Django admin")
    EXPORTED_REPORT = "exported_report", _("Exported a report")
    EXPORTED_CASELOAD = "exported_caseload", _("Exported the team's caseload")
    SUBJECT_ACCESS = "subject_access", _("Produced a subject access export")
    ERASED = "erased", _("Erased her personal data on request")
    ANONYMISED = "anonymised", _("Anonymised a case (retention)")
    RETENTION_RUN = "retention_run", _("Ran the retention rules")
    RECORDED_NEED = "recorded_need", _("Recorded or changed a support need")
    REFERRED_ONWARD = "referred_onward", _("Referred her to a partner service")
    UPDATED_ONWARD_REFERRAL = "updated_onward", _("Recorded progress of a partner referral")
    RECORDED_RISK = "recorded_risk", _("Recorded a domestic-abuse risk assessment")
    CHANGED_PARTNERS = "changed_partners", _("Changed the partner directory")
    REQUESTED_INTERPRETER = "requested_interpreter", _("Requested an interpreter")
    UPDATED_INTERPRETER = "updated_interpreter", _("Changed an interpreter request")
