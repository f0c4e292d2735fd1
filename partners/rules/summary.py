"""The summary a partner receives: drawn from only the details she agreed to share."""

from django.conf import settings

from partners.choices import SharedDetail
from referrals.choices import Language, Substance


def _lines(referral, need, detail: str) -> list[str]:
    if detail == SharedDetail.NAME:
        name = referral.full_name or referral.preferred_name
        return [f"Name: {name} (prefers {referral.preferred_name})"]
    if detail == SharedDetail.DATE_OF_BIRTH:
        born = referral.date_of_birth
        return [f"Date of birth: {born:%d/%m/%Y}" if born else "Date of birth: not given"]
    if detail == SharedDetail.CONTACT:
        lines = []
        if referral.phone:
            lines.append(f"Phone: {referral.phone}")
        if referral.email:
            lines.append(f"Email: {referral.email}")
        if referral.safe_from and referral.safe_until:
            lines.append(
                f"Safe to contact: {referral.safe_from:%H:%M} to {referral.safe_until:%H:%M}"
            )
        if referral.if_someone_else_answers:
            lines.append(f"If someone else answers: {referral.if_someone_else_answers}")
        return lines or ["Contact: none given"]
    if detail == SharedDetail.ADDRESS:
        return [f"Address: {referral.postal_address or 'not given'}"]
    if detail == SharedDetail.NEED:
        text = need.get_kind_display()
        return [f"Support wanted: {text}" + (f" ({need.detail})" if need.detail else "")]
    if detail == SharedDetail.SUBSTANCES:
        names = [Substance(value).label for value in referral.substances or []]
        return [f"Substances: {', '.join(str(n) for n in names) or 'none given'}"]
    if detail == SharedDetail.SAFETY:
        said = referral.get_abuse_experience_display() or "not said"
        return [f"Domestic abuse or sexual violence: {said}"]
    if detail == SharedDetail.CHILDREN:
        ages = ", ".join(str(age) for age in referral.children_ages)
        return [f"Children: {referral.children_count}" + (f" (ages {ages})" if ages else "")]
    if detail == SharedDetail.LANGUAGE:
        language = Language(referral.preferred_language).label
        interpreter = (
            "needs an interpreter" if referral.needs_interpreter else "no interpreter needed"
        )
        return [f"Language: {language}, {interpreter}"]
    if detail == SharedDetail.ACCESS:
        return [f"Access needs: {referral.access_needs or 'none given'}"]
    return []


def partner_summary(*, referral, need, shared: list[str]) -> str:
    """Plain text, in the order the details are listed, with nothing she did not agree to."""
    lines = [f"Referral from {settings.SERVICE_NAME}, reference {referral.display_reference}."]
    for detail in SharedDetail.values:
        if detail in shared:
            lines += _lines(referral, need, detail)
    return "\n".join(lines)
