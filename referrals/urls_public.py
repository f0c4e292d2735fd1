"""The public pages of referrals: home, the self-referral and professional forms and the
confirmation page. config/urls.py serves them under i18n_patterns: English at /refer/,
every other language under its prefix, e.g. /pl/refer/ (README, "Languages")."""

from django.urls import path

from referrals.views import home, public

urlpatterns = [
    path("", home.public_home, name="public_home"),
    path("refer/", public.self_referral, name="self_referral"),
    path("refer/sent/", public.referral_confirmation, name="referral_confirmation"),
    path("refer/professional/", public.professional_referral, name="professional_referral"),
    path(
        "refer/professional/<slug:step>/",
        public.professional_referral,
        name="professional_referral_step",
    ),
    path("refer/<slug:step>/", public.self_referral, name="self_referral_step"),
]
