"""What a dashboard figure is, how small numbers are hidden, and the tables that carry
figures to a page, a chart or a CSV file."""

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

# Fewer women than this in a figure that leaves a team's own view could identify her.
SMALL_NUMBER = 5
SMALL_COUNT_TEXT = "<5"
# A rate, median or percentile worked out from fewer than SMALL_NUMBER women.
TOO_FEW_TEXT = "n<5"
NO_DATA_TEXT = "—"


@dataclass(frozen=True)
class Figure:
    """One cell: ``value`` for charts and sorting (``None`` when hidden or unknown),
    ``text`` for people and CSV files."""

    value: float | None
    text: str

    def __str__(self):
        return self.text


def count(n: int, *, suppress: bool) -> Figure:
    n = n or 0
    if suppress and 0 < n < SMALL_NUMBER:
        return Figure(None, SMALL_COUNT_TEXT)
    return Figure(n, f"{n:,}")


def share(part: int, whole: int, *, suppress: bool) -> Figure:
    """``part`` of ``whole`` as a percentage. Hidden when either side is a small number,
    since 1 of 3 or 97 of 100 would let someone work the small count out."""
    part, whole = part or 0, whole or 0
    if whole == 0:
        return Figure(None, NO_DATA_TEXT)
    if suppress and (whole < SMALL_NUMBER or 0 < part < SMALL_NUMBER):
        return Figure(None, TOO_FEW_TEXT)
    percent = 100 * part / whole
    return Figure(round(percent, 1), f"{percent:.0f}%")


def days(value: float | None, women: int, *, suppress: bool) -> Figure:
    """A number of days (median, percentile or mean) worked out from ``women`` cases."""
    if value is None or not women:
        return Figure(None, NO_DATA_TEXT)
    if suppress and women < SMALL_NUMBER:
        return Figure(None, TOO_FEW_TEXT)
    return Figure(round(value, 1), f"{value:.1f}")


@dataclass
class Table:
    """A titled table: a label per row and one figure per column. ``slug`` names its CSV
    export; ``chart`` says which columns a chart draws (see reports.charts)."""

    slug: str
    title: str
    row_heading: str
    columns: list[str]
    rows: list[tuple[str, list[Figure]]] = field(default_factory=list)
    note: str = ""
    chart: dict | None = None
    drawn: dict | None = None  # the chart's geometry, once drawn (reports.charts)

    def add(self, label, figures: list[Figure]):
        self.rows.append((str(label), figures))

    def csv_rows(self):
        yield [str(self.row_heading), *(str(c) for c in self.columns)]
        for label, figures in self.rows:
            yield [label, *(figure.text for figure in figures)]


SUPPRESSION_NOTE = _(
    "Counts from 1 to 4 are shown as “<5”, and rates or days worked out from fewer than "
    "5 women as “n<5”, so that no woman can be identified."
)
