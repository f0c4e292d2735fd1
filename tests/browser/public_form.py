"""Both public forms as she fills them in a browser: their steps and her answers."""

from referrals.views.public import ProfessionalReferralWizard, SelfReferralWizard
from tests.support.referral_journey import VALID_ANSWERS

SELF_STEPS = [name for name, _ in SelfReferralWizard.form_list]
PROFESSIONAL_STEPS = [name for name, _ in ProfessionalReferralWizard.form_list]
ANSWERS = {
    "self": VALID_ANSWERS,
    "professional": {
        **VALID_ANSWERS,
        "agreement": {**VALID_ANSWERS["agreement"], "referrer_confirmed_consent": "on"},
    },
}
FORMS = {
    "self": ("/refer/", SELF_STEPS),
    "professional": ("/refer/professional/", PROFESSIONAL_STEPS),
}


def answer(page, step, answers) -> list[str]:
    """Give a step's answers as she would, with clicks and typing. Returns the words typed."""
    typed = []
    for name, value in answers.items():
        field = page.locator(f'[name="{step}-{name}"]')
        if not field.count():
            continue
        kind = field.first.evaluate("e => e.tagName === 'SELECT' ? 'select' : e.type")
        if kind == "hidden":
            continue
        if kind == "checkbox" and field.count() == 1:
            field.check()
        elif kind in ("checkbox", "radio"):
            for one in value if isinstance(value, list) else [value]:
                field.and_(page.locator(f'[value="{one}"]')).check()
        elif kind == "select":
            field.select_option(value)
        else:
            field.fill(value)
            if kind in ("text", "tel", "email", "textarea"):
                typed.append(value)
    return typed
