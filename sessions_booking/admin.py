"""Venues, programmes and sessions in the technical Django admin (service admins only).

The staff pages under /staff/groups/ are where the calendar is run; these registrations are
for inspection and repairs. Venues and programmes are edited with the same forms as the
staff pages, so the rules hold here too (a programme stops being women-only only with the
confirmation ticked; a venue keeps its crèche while sessions to come offer crèche places).
Sessions and series are read-only here: changing them must go through ``scheduling`` (which
checks them against their bookings) and cancelling through ``booking.cancel_session`` (which
tells each woman). Interpreter requests are read-only for the same reason. Bookings (and
the children booked with them) hold case data and are never registered.
"""

from django.contrib import admin

from accounts.admin import AuditedAdmin
from sessions_booking.forms import ProgrammeForm, VenueForm
from sessions_booking.models import (
    GroupSession,
    InterpreterRequest,
    Programme,
    SessionSeries,
    Venue,
)


class NoDeleteAdmin(AuditedAdmin):
    """Configuration rows are taken out of use, never deleted: sessions and bookings point
    at them (and the database protects them anyway)."""

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyAdmin(NoDeleteAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Venue)
class VenueAdmin(NoDeleteAdmin):
    form = VenueForm
    list_display = ["name", "creche_on_site", "women_only_building", "step_free", "is_active"]
    list_filter = ["is_active", "creche_on_site", "women_only_building", "step_free"]
    search_fields = ["name", "address"]


@admin.register(Programme)
class ProgrammeAdmin(NoDeleteAdmin):
    form = ProgrammeForm
    fields = [
        "name",
        "description",
        "women_only",
        "confirm_open_to_everyone",
        "trauma_informed",
        "language",
        "default_capacity",
        "default_creche_places",
        "reminder_offsets_hours",
        "facilitators",
        "is_active",
    ]
    list_display = ["name", "women_only", "trauma_informed", "default_capacity", "is_active"]
    list_filter = ["is_active", "women_only", "trauma_informed"]
    search_fields = ["name"]


@admin.register(SessionSeries)
class SessionSeriesAdmin(ReadOnlyAdmin):
    list_display = ["programme", "venue", "first_date", "start_time", "weeks"]
    list_filter = ["programme", "venue"]
    list_select_related = ["programme", "venue"]
    date_hierarchy = "first_date"


@admin.register(GroupSession)
class GroupSessionAdmin(ReadOnlyAdmin):
    list_display = [
        "programme",
        "venue",
        "starts_at",
        "language",
        "capacity",
        "creche_places",
        "creche_workers",
        "cancelled_at",
    ]
    list_filter = ["programme", "venue", "language"]
    list_select_related = ["programme", "venue"]
    date_hierarchy = "starts_at"


@admin.register(InterpreterRequest)
class InterpreterRequestAdmin(ReadOnlyAdmin):
    """Read-only: requests are made and answered on the staff pages (which check the
    session's language and write the audit trail). Which women need them is case data and
    is not shown here."""

    list_display = ["session", "language", "mode", "female", "status", "agency_reference"]
    list_filter = ["status", "language", "mode"]
    list_select_related = ["session__programme"]
