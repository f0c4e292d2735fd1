from allauth.account.decorators import secure_admin_login
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from accounts.admin import signed_in_admin_login
from config.health import healthz

admin.site.site_header = "Haven administration"
admin.site.site_title = "Haven administration"
# Sign in to the Django admin through allauth (rate limits, MFA), never its own form.
admin.site.login = secure_admin_login(signed_in_admin_login)

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("accounts/", include("allauth.urls")),
    path("django-admin/", admin.site.urls),
    path("staff/people/", include("accounts.urls")),
    path("staff/", include("sessions_booking.urls_booking")),
    path("staff/groups/", include("sessions_booking.urls_config")),
    path("staff/reports/", include("referrals.reports.urls")),
    path("staff/data-protection/", include("referrals.dataprotection.urls")),
    # Short, for SMS: the confirm/cancel link in each reminder.
    path("r/", include("sessions_booking.urls_public")),
    path("", include("referrals.urls")),
]
# Her pages in her language, chosen by the address (English unprefixed, /pl/refer/ ...), never
# by a cookie or the browser's Accept-Language: nothing about her choice is left on a shared
# phone, and the page she is shown is the page she asked for.
urlpatterns += i18n_patterns(
    path("", include("referrals.urls_public")),
    prefix_default_language=False,
)

# Friendly pages, drawn without the database; a database that did not answer is a 503.
handler500 = "config.errors.server_error"
