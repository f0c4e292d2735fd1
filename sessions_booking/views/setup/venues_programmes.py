"""The venues groups meet in and the programmes the service runs: lists and forms."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from core.permissions import service_admins_only
from sessions_booking.forms import ProgrammeForm, VenueForm
from sessions_booking.models import Programme, Venue
from sessions_booking.views.setup.common import FORM_METHODS, render_form

# --- Venues ---------------------------------------------------------------------------------


@require_safe
@service_admins_only
def venues(request):
    return render(request, "sessions_booking/setup/venues.html", {"venues": Venue.objects.all()})


@require_http_methods(FORM_METHODS)
@service_admins_only
def venue_edit(request, pk=None):
    venue = get_object_or_404(Venue, pk=pk) if pk else None
    form = VenueForm(request.POST if request.method == "POST" else None, instance=venue)
    if request.method == "POST" and form.is_valid():
        venue = form.save()
        messages.success(request, _("%(name)s is saved.") % {"name": venue.name})
        return redirect("sessions_booking:setup_venues")
    return render_form(
        request,
        form,
        title=_("Edit %(name)s") % {"name": venue.name} if venue else _("Add a venue"),
        submit=_("Save venue"),
        cancel_url=reverse("sessions_booking:setup_venues"),
        intro=_(
            "Women are told about the building before they come: say what makes it safe "
            "and easy to reach."
        ),
    )


# --- Programmes -----------------------------------------------------------------------------


@require_safe
@service_admins_only
def programmes(request):
    return render(
        request,
        "sessions_booking/setup/programmes.html",
        {"programmes": Programme.objects.prefetch_related("facilitators")},
    )


@require_http_methods(FORM_METHODS)
@service_admins_only
def programme_edit(request, pk=None):
    programme = get_object_or_404(Programme, pk=pk) if pk else None
    form = ProgrammeForm(request.POST if request.method == "POST" else None, instance=programme)
    if request.method == "POST" and form.is_valid():
        programme = form.save()
        if not programme.women_only:
            messages.warning(
                request,
                _(
                    "%(name)s is open to everyone (not women-only). This is shown wherever "
                    "its sessions appear."
                )
                % {"name": programme.name},
            )
        messages.success(request, _("%(name)s is saved.") % {"name": programme.name})
        return redirect("sessions_booking:setup_programmes")
    return render_form(
        request,
        form,
        title=_("Edit %(name)s") % {"name": programme.name} if programme else _("Add a programme"),
        submit=_("Save programme"),
        cancel_url=reverse("sessions_booking:setup_programmes"),
        intro=_(
            "Groups are women-only unless you say otherwise. Places and crèche places here "
            "are the starting values for each new session."
        ),
        programme=programme,
    )
