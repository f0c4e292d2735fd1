"""Dashboard pages and CSV exports. Team leads see their own team's figures; service
admins the whole service (aggregate only, small numbers hidden); everyone else gets 404."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from core import audit
from core.choices import AuditAction
from core.permissions import EXPORT_TEAM_CASELOAD
from reports.forms import ReportFilterForm
from reports.selectors.dashboard import dashboard as dashboard_sections
from reports.selectors.dashboard import table_named
from reports.selectors.scope import may_see_reports, scope_for
from reports.tables import SUPPRESSION_NOTE
from reports.views import exports


def _scope_from(request):
    """The scope the request asks for, or ``(None, form)`` when the filters are wrong."""
    if not may_see_reports(request.user):
        raise Http404
    form = ReportFilterForm(request.GET, user=request.user)
    if not form.is_valid():
        return None, form
    data = form.cleaned_data
    programme = data.get("programme")
    scope = scope_for(
        request.user,
        start=data["start"],
        end=data["end"],
        team=data.get("team"),
        programme_id=programme.pk if programme else None,
    )
    return scope, form


@require_safe
@login_required
def dashboard(request):
    scope, form = _scope_from(request)
    context = {"form": form, "scope": scope, "suppression_note": SUPPRESSION_NOTE}
    if scope is None:
        return render(request, "reports/dashboard.html", context, status=400)
    context["sections"] = dashboard_sections(scope)
    context["query"] = request.GET.urlencode()
    return render(request, "reports/dashboard.html", context)


@require_safe
@login_required
def export_table(request, slug):
    """One dashboard table as CSV. Small numbers are always hidden in a file: it leaves
    the team's own view."""
    scope, form = _scope_from(request)
    if scope is None:
        return render(request, "reports/dashboard.html", {"form": form}, status=400)
    table = table_named(scope.with_suppression(), slug)
    audit.record(
        actor=request.user,
        action=AuditAction.EXPORTED_REPORT,
        team=scope.team,
        table=slug,
        start=scope.start.isoformat(),
        end=scope.end.isoformat(),
        programme=scope.programme_id,
        rows=len(table.rows),
    )
    return exports.csv_response(table.csv_rows(), filename=f"haven-{slug}-{scope.end}.csv")


@require_safe
@login_required
def export_caseload(request):
    """A team lead's own team's open cases, as CSV."""
    user = request.user
    if not user.has_perm(EXPORT_TEAM_CASELOAD) or user.team_id is None:
        raise Http404
    rows = exports.team_caseload_rows(user.team)
    audit.record(
        actor=request.user, action=AuditAction.EXPORTED_CASELOAD, team=user.team, rows=len(rows) - 1
    )
    today = timezone.localdate()
    return exports.csv_response(rows, filename=f"haven-caseload-{today}.csv")
