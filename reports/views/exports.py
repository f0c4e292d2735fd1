"""CSV files. Written with defusedcsv, so a cell that starts with ``=``, ``+``, ``-``, ``@``
(or ``|``, ``%``) is prefixed with an apostrophe and a spreadsheet shows it as text instead
of running it as a formula (CSV injection)."""

from defusedcsv import csv as defused_csv
from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from referrals.choices import Status
from referrals.models import Referral

# Excel reads a UTF-8 file as UTF-8 only when it starts with a byte order mark.
BYTE_ORDER_MARK = "\ufeff"


def csv_response(rows, *, filename: str) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    add_never_cache_headers(response)
    response.write(BYTE_ORDER_MARK)
    defused_csv.writer(response).writerows(rows)
    return response


def team_caseload_rows(team) -> list[list[str]]:
    """The team's open cases: what a team lead needs to plan the work, no more (no
    contact details, no notes)."""
    cases = (
        Referral.objects.filter(team=team, anonymised_at__isnull=True)
        .exclude(status=Status.CLOSED)
        .select_related("assigned_to")
        .order_by("created_at", "pk")
    )
    rows = [
        [
            _("Reference"), _("Preferred name"), _("Received"), _("Status"), _("Priority"),
            _("Keyworker"), _("Next contact"), _("Interpreter"), _("Needs childcare"),
        ]
    ]  # fmt: skip
    for case in cases:
        rows.append(
            [
                case.display_reference,
                case.preferred_name,
                date_format(timezone.localdate(case.created_at), "Y-m-d"),
                case.get_status_display(),
                case.get_priority_display(),
                case.assigned_to.full_name if case.assigned_to else _("Unassigned"),
                date_format(case.next_contact_on, "Y-m-d") if case.next_contact_on else "",
                case.get_preferred_language_display() if case.needs_interpreter else "",
                _("Yes") if case.needs_childcare else "",
            ]
        )
    return rows
