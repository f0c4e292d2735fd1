"""The consent wording shown on the form. Change the wording → add a new version; the
version she saw is stored on her referral, so old records keep their meaning."""

from django.utils.translation import gettext_lazy as _

CONSENT_VERSION = "2026-11"

CONSENT_WORDING = {
    "2026-11": {
        "store": _(
            "I agree that Haven can keep the details I have given on this form, securely, "
            "to arrange support for me. Only the staff who support me can see them."
        ),
        "contact": _(
            "I agree to be contacted in the ways and at the times I said are safe, and in no "
            "other way."
        ),
        "share": _(
            "I agree that Haven can share my details with other services that can help me, "
            "such as my GP, mental-health or housing services. If there is a risk to me or "
            "to a child, Haven may have to share information to keep people safe, even "
            "without this agreement."
        ),
        # The same statements as a professional referring her reads them.
        "store_referrer": _(
            "She agrees that Haven can keep the details given on this form, securely, to "
            "arrange support for her. Only the staff who support her can see them."
        ),
        "contact_referrer": _(
            "She agrees to be contacted in the ways and at the times you said are safe for "
            "her, and in no other way."
        ),
        "share_referrer": _(
            "She agrees that Haven can share her details with other services that can help "
            "her, such as her GP, mental-health or housing services. If there is a risk to "
            "her or to a child, Haven may have to share information to keep people safe, "
            "even without this agreement."
        ),
    },
}


def consent_wording(key: str, version: str = CONSENT_VERSION):
    return CONSENT_WORDING[version][key]
