from core.models import AuditEvent
from referrals.models.casework import CaseNote, ContactAttempt, StatusChange
from referrals.models.referral import LONG_TEXT, SHORT_TEXT, Referral

__all__ = [
    "LONG_TEXT",
    "SHORT_TEXT",
    "AuditEvent",
    "CaseNote",
    "ContactAttempt",
    "Referral",
    "StatusChange",
]
