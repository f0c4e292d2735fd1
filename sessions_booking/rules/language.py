"""Which language she needs at a group, and which sessions suit her first. Pure."""

from sessions_booking.choices import GroupLanguage

ENGLISH = "en"


def her_language(referral) -> str | None:
    """The group language she speaks, from her referral; None for "another language" (no
    group or agency language to match it to) or for English without an interpreter."""
    language = referral.preferred_language
    if language not in GroupLanguage.values:
        return None
    if language == ENGLISH and not referral.needs_interpreter:
        return None
    return language


def needs_language_support(referral) -> bool:
    """A woman whose language is not English, or who needs an interpreter."""
    return referral.preferred_language != ENGLISH or bool(referral.needs_interpreter)


def interpreter_language_for(referral, session) -> str | None:
    """The language she needs an interpreter for at ``session``, or None (the session is in
    her language, or she needs no interpreter)."""
    language = her_language(referral)
    if language is None or language == session.language:
        return None
    return language


def suits_her_first(session, *, language, interpreted_languages) -> bool:
    """Whether a session goes first on her groups page: it is in her language, or already
    has an interpreter (requested, booked or confirmed) for it."""
    return session.language == language or language in interpreted_languages
