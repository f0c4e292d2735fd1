"""Entries an app above referrals adds to her case's timeline (a booking's every stage, a
partner referral's steps), without referrals importing that app: each app registers a
function in its ``AppConfig.ready()``; the case page asks them all. A function takes the
referral and returns a list of ``TimelineEntry``, in a fixed number of queries."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class TimelineEntry:
    at: datetime
    kind: str  # "status", "contact", "note", "booking", "partner"
    actor: object  # anything with ``full_name``: a member of staff, her, or the service
    item: object


@dataclass(frozen=True)
class Actor:
    """Who did it, when it was not a member of staff: she herself, or the service."""

    full_name: str


_PROVIDERS: list[Callable] = []


def register(provider: Callable) -> None:
    if provider not in _PROVIDERS:
        _PROVIDERS.append(provider)


def entries_for(referral) -> list[TimelineEntry]:
    entries = []
    for provider in _PROVIDERS:
        entries += provider(referral)
    return entries
