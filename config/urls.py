from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from accounts.admin import signed_in_admin_login
from config.health import healthz

admin.site.site_header = admin.site.site_title = f"{settings.SERVICE_NAME} administration"
# Sign in to the Django admin through allauth (rate limits, MFA), never its own form.
admin.site.login = secure_admin_login(signed_in_admin_login)

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("accounts/", include("allauth.urls")),
    path("django-admin/", admin.site.urls),
    path("staff/people/", include("accounts.urls")),
    path("staff/reports/", include("reports.urls")),
    path("staff/data-protection/", include("dataprotection.urls")),
    path("", include("home.urls")),
    path("", include("referrals.urls.staff")),
    # Staff booking and group setup pages (staff/...), and her reminder link (r/...).
    path("", include("sessions_booking.urls")),
    # The partner directory and her support plan (staff/partners/..., staff/cases/<pk>/support/...).
    path("", include("partners.urls")),
]
# Her pages in her language, chosen by the address (English unprefixed, /pl/refer/ ...), never
# by a cookie or the browser's Accept-Language: nothing about her choice is left on a shared
# phone, and the page she is shown is the page she asked for.
urlpatterns += i18n_patterns(
    path("", include("referrals.urls.public")),
    prefix_default_language=False,
)

# Friendly pages, drawn without the database; a database that did not answer is a 503.
handler500 = "config.errors.server_error"
