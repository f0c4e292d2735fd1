"""The case status workflow as one table (docs/design.md, the domain):

    new -> contacting -> assessment -> active -> closed (with a reason)
    closed -> contacting (reopen, team leads only)

Each transition names the permission it needs; who may act on a given case at all is
decided by ``referrals.rules.access.can_work_on``.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from core.permissions import REOPEN_REFERRAL, WORK_OWN_CASES
from core.refusals import Refused
from referrals.choices import Status


@dataclass(frozen=True)
class Transition:
    source: Status
    target: Status
    label: str
    permission: str
    needs_reason: bool = False


TRANSITIONS = [
    Transition(Status.NEW, Status.CONTACTING, _("Start contacting her"), WORK_OWN_CASES),
    Transition(Status.CONTACTING, Status.ASSESSMENT, _("Move to assessment"), WORK_OWN_CASES),
    Transition(Status.ASSESSMENT, Status.ACTIVE, _("Make active"), WORK_OWN_CASES),
    *[
        Transition(source, Status.CLOSED, _("Close the case"), WORK_OWN_CASES, needs_reason=True)
        for source in (Status.NEW, Status.CONTACTING, Status.ASSESSMENT, Status.ACTIVE)
    ],
    Transition(Status.CLOSED, Status.CONTACTING, _("Reopen the case"), REOPEN_REFERRAL),
]

_BY_STEP = {(t.source, t.target): t for t in TRANSITIONS}


def find_transition(source: str, target: str) -> Transition:
    transition = _BY_STEP.get((Status(source), Status(target)))
    if transition is None:
        raise Refused(
            _("A case cannot go from “%(source)s” to “%(target)s”.")
            % {"source": Status(source).label, "target": Status(target).label}
        )
    return transition


def transitions_from(source: str, *, user) -> list[Transition]:
    """The transitions this user's role allows from a status (the case check is separate)."""
    return [t for t in TRANSITIONS if t.source == source and user.has_perm(t.permission)]
