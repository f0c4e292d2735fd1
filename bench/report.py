"""Benchmark results: rows for the table, details for the JSON, both written to
bench/results/latest.json and bench/results/latest.md."""

import json
import os
import platform
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

RESULTS_DIR = Path(__file__).resolve().parent / "results"
NOT_APPLICABLE = "—"


@dataclass(frozen=True)
class Row:
    benchmark: str
    measured: str
    target: str = NOT_APPLICABLE
    met: bool | None = None  # None: nothing to meet, measured for information


@dataclass
class Result:
    name: str
    rows: list[Row]
    details: dict = field(default_factory=dict)


def machine() -> dict:
    return {
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "platform": platform.platform(),
    }


def _met(value: bool | None) -> str:
    return NOT_APPLICABLE if value is None else ("yes" if value else "no")


def markdown_table(rows: list[dict]) -> str:
    lines = ["| Benchmark | Measured | Target | Met? |", "|---|---|---|---|"]
    lines += [
        f"| {row['benchmark']} | {row['measured']} | {row['target']} | {_met(row['met'])} |"
        for row in rows
    ]
    return "\n".join(lines) + "\n"


def markdown(report: dict) -> str:
    rows = [row for bench in report["benchmarks"].values() for row in bench["rows"]]
    runs = ", ".join(
        f"{name} {bench['measured_at']}" for name, bench in report["benchmarks"].items()
    )
    cpus = report["machine"]["cpus"]
    return (
        "# Benchmark results\n\n"
        f"Measured: {runs}, on {cpus} CPU(s), Python {report['machine']['python']}. "
        "Details in latest.json.\n\n" + markdown_table(rows)
    )


def load_previous() -> dict:
    """The benchmarks of the last report, so running some of them keeps the others'."""
    try:
        return json.loads((RESULTS_DIR / "latest.json").read_text())["benchmarks"]
    except (FileNotFoundError, KeyError, ValueError):
        return {}


def build_report(results: list[Result]) -> dict:
    now = datetime.now(UTC).isoformat(timespec="seconds")
    benchmarks = load_previous()
    for result in results:
        benchmarks[result.name] = {
            "measured_at": now,
            "rows": [asdict(row) for row in result.rows],
            "details": result.details,
        }
    return {"machine": machine(), "benchmarks": benchmarks}


def _write(path: Path, text: str) -> None:
    """Whole or not at all: a run stopped half-way leaves the previous file."""
    partial = path.with_name(path.name + ".tmp")
    partial.write_text(text)
    partial.replace(path)


def write(report: dict) -> str:
    RESULTS_DIR.mkdir(exist_ok=True)
    text = markdown(report)
    _write(RESULTS_DIR / "latest.json", json.dumps(report, indent=2, default=str) + "\n")
    _write(RESULTS_DIR / "latest.md", text)
    return text
