"""Drive the referral wizards through the Django test client, step by step."""

from django.urls import reverse

SELF = {"url_name": "public:self_referral_step", "prefix": "self_referral_wizard"}
PROFESSIONAL = {
    "url_name": "public:professional_referral_step",
    "prefix": "professional_referral_wizard",
}

VALID_ANSWERS = {
    "referrer": {
        "referrer_name": "Dr Helen Price",
        "referrer_organisation": "Moseley Road Surgery",
        "referrer_role": "GP",
        "referrer_phone": "0121 496 0001",
        "referrer_email": "helen.price@nhs.example",
        "referrer_relationship": "Her GP",
    },
    "about": {
        "preferred_name": "Jas",
        "full_name": "Jasvinder Kaur",
        "age_range": "25_34",
        "postcode": "b12 9ql",
        "local_authority": "",
    },
    "contact": {
        "safe_channels": ["sms", "email"],
        "phone": "07911 123456",
        "email": "jas@example.org",
        "may_name_service": "no",
    },
    "times": {
        "safe_days": ["0", "2"],
        "safe_from": "10:00",
        "safe_until": "14:00",
        "if_someone_else_answers": "Say it's the pharmacy.",
        "code_word": "bluebell",
    },
    "support": {
        "safe_now": "yes",
        "abuse_experience": "past",
        "housing": "none",
    },
    "health": {
        "substances": ["alcohol", "prescription"],
        "wants_mental_health_support": "yes",
        "pregnant": "no",
    },
    "family": {
        "children_count": "2",
        "children_ages": "3 and 6",
        "needs_childcare": "yes",
        "children_at_risk": "no",
    },
    "groups": {
        "preferred_language": "pa",
        "needs_interpreter": "yes",
        "group_interests": ["mothers"],
        "women_only_groups": "yes",
        "anything_else": "I can only come on weekday mornings.",
    },
    "agreement": {"consent_to_store": "on", "consent_to_contact": "on", "consent_version": "x"},
    "check": {},
}


def step_url(wizard, step):
    return reverse(wizard["url_name"], kwargs={"step": step})


def post_step(client, wizard, step, answers=None, goto=None):
    """Post one step as the browser would; ``goto`` presses Back or a Change button."""
    answers = VALID_ANSWERS[step] if answers is None else answers
    payload = {f"{wizard['prefix']}-current_step": step}
    payload.update({f"{step}-{name}": value for name, value in answers.items()})
    if goto:
        payload["wizard_goto_step"] = goto
    return client.post(step_url(wizard, step), payload)


def complete(client, wizard, steps, overrides=None):
    """Post every step with valid answers (``overrides`` per step merged in); returns the
    last response."""
    overrides = overrides or {}
    response = None
    for step in steps:
        response = post_step(
            client, wizard, step, {**VALID_ANSWERS[step], **overrides.get(step, {})}
        )
        assert response.status_code == 302, (step, response.content.decode()[:3000])
    return response


SELF_STEPS = [
    "about",
    "contact",
    "times",
    "support",
    "health",
    "family",
    "groups",
    "agreement",
    "check",
]
PROFESSIONAL_STEPS = ["referrer", *SELF_STEPS]
