"""The public pages of referrals: home, the self-referral and professional forms and the
confirmation page. config/urls.py serves them under i18n_patterns: English at /refer/,
every other language under its prefix, e.g. /pl/refer/ (docs/languages.md)."""

from django.urls import path

from referrals.views import public, public_home

app_name = "public"

urlpatterns = [
    path("", public_home.public_home, name="home"),
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
