"""Server-drawn SVG bar charts: no JavaScript, nothing from outside our own pages, and
every chart sits above a table that gives the same figures in words."""

from dataclasses import dataclass

from reports.tables import Table

WIDTH = 640
LABEL_WIDTH = 250
LABEL_CHARACTERS = 38  # about what fits LABEL_WIDTH at 12 px
BAR_AREA = WIDTH - LABEL_WIDTH - 70  # room at the right for the value text
ROW_HEIGHT = 24
BAR_HEIGHT = 16
TOP = 8
# templates/reports/_chart.html fills series 0 dark blue and series 1 hatched brown: both
# above 3:1 against white (WCAG 1.4.11), told apart by pattern as well as colour (1.4.1).


@dataclass
class Bar:
    x: float
    width: float
    series: int


@dataclass
class ChartRow:
    label: str
    y: float
    bars: list[Bar]
    value_text: str
    text_x: float


def chart_for(table: Table) -> dict | None:
    """Geometry for ``templates/reports/_chart.html``, or ``None`` when the table has no
    chart or nothing to draw."""
    if not table.chart or not table.rows:
        return None
    columns = table.chart["columns"]
    kind = table.chart["kind"]
    values = [[figures[c].value for c in columns] for _label, figures in table.rows]
    if kind == "percent":
        top = 100.0
    else:
        top = max((sum(v or 0 for v in row) for row in values), default=0)
    if not top:
        return None
    rows = []
    for n, ((label, figures), row_values) in enumerate(zip(table.rows, values, strict=True)):
        x, bars = float(LABEL_WIDTH), []
        for series, value in enumerate(row_values):
            if value:
                width = BAR_AREA * value / top
                bars.append(Bar(round(x, 1), round(width, 1), series % 2))
                x += width
        text = " + ".join(figures[c].text for c in columns)
        rows.append(
            ChartRow(
                label=label
                if len(label) <= LABEL_CHARACTERS
                else label[: LABEL_CHARACTERS - 1] + "…",
                y=TOP + n * ROW_HEIGHT,
                bars=bars,
                value_text=text,
                text_x=round(x + 6, 1),
            )
        )
    return {
        "width": WIDTH,
        "height": TOP * 2 + len(rows) * ROW_HEIGHT,
        "rows": rows,
        "bar_height": BAR_HEIGHT,
        "label_x": LABEL_WIDTH - 8,
        "legend": [table.columns[c] for c in columns] if len(columns) > 1 else [],
        "percent": kind == "percent",
    }
