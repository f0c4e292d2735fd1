from django.urls import path

from referrals.views import home, public, staff

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
    path("staff/", staff.staff_home, name="staff_home"),
]
