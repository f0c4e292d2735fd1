"""Flags an app above referrals adds to her case page ("High domestic-abuse risk"), without
referrals importing that app: each app registers a function in its ``AppConfig.ready()``,
and the case page asks them all. A function takes the referral and returns a list of
``CaseFlag``; it should run at most one query."""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class CaseFlag:
    text: str
    # "danger" for a safeguarding flag, "warning" for something to act on, "info" otherwise.
    level: str = "info"
    url: str = ""
    link_text: str = ""


_PROVIDERS: list[Callable] = []


def register(provider: Callable) -> None:
    if provider not in _PROVIDERS:
        _PROVIDERS.append(provider)


def flags_for(referral, *, user) -> list[CaseFlag]:
    flags = []
    for provider in _PROVIDERS:
        flags += provider(referral, user=user)
    return flags
