"""The partner directory: staff who work with cases read it; service admins keep it."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from core.permissions import (
    CONFIGURE_SERVICE,
    WORK_OWN_CASES,
    permission_or_404,
    service_admins_only,
)
from partners.forms.directory import OrganisationForm, PartnerServiceForm
from partners.models import PartnerOrganisation, PartnerService
from partners.selectors import organisations, partner_services
from partners.services import directory


@require_safe
@permission_or_404(WORK_OWN_CASES, CONFIGURE_SERVICE)
def partner_list(request):
    return render(
        request,
        "partners/directory.html",
        {
            "services": list(partner_services()),
            "organisations": list(organisations()),
            "can_edit": request.user.has_perm(CONFIGURE_SERVICE),
        },
    )


def _edit(request, *, form, template_title, done, save):
    if request.method == "POST" and form.is_valid():
        save(actor=request.user, form=form)
        messages.success(request, done)
        return redirect("partners:directory")
    return render(
        request,
        "partners/edit.html",
        {"form": form, "title": template_title},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "HEAD", "POST"])
@service_admins_only
def organisation_new(request):
    return _edit(
        request, form=OrganisationForm(request.POST or None),
        template_title=_("Add a partner organisation"), done=_("Organisation added."),
        save=directory.save_organisation,
    )  # fmt: skip


@require_http_methods(["GET", "HEAD", "POST"])
@service_admins_only
def organisation_edit(request, pk):
    organisation = get_object_or_404(PartnerOrganisation, pk=pk)
    return _edit(
        request, form=OrganisationForm(request.POST or None, instance=organisation),
        template_title=_("Change %(organisation)s") % {"organisation": organisation},
        done=_("Organisation saved."), save=directory.save_organisation,
    )  # fmt: skip


@require_http_methods(["GET", "HEAD", "POST"])
@service_admins_only
def service_new(request):
    return _edit(
        request, form=PartnerServiceForm(request.POST or None),
        template_title=_("Add a partner service"), done=_("Partner service added."),
        save=directory.save_service,
    )  # fmt: skip


@require_http_methods(["GET", "HEAD", "POST"])
@service_admins_only
def service_edit(request, pk):
    service = get_object_or_404(PartnerService, pk=pk)
    return _edit(
        request, form=PartnerServiceForm(request.POST or None, instance=service),
        template_title=_("Change %(service)s") % {"service": service},
        done=_("Partner service saved."), save=directory.save_service,
    )  # fmt: skip
