from django.contrib import admin
from django.urls import include, path

from config.health import healthz

admin.site.site_header = "Haven administration"
admin.site.site_title = "Haven administration"

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("accounts/", include("allauth.urls")),
    path("django-admin/", admin.site.urls),
    path("", include("referrals.urls")),
]
