"""``make bench``: run the benchmarks on databases of their own, print the table and
write bench/results/latest.json and latest.md.

    make bench                          # every benchmark
    make bench BENCH_ARGS=reminders     # only these

Exits non-zero only when a benchmark could not run; a missed target is a "no" in the
table.
"""

import argparse
import importlib
import sys

from bench import report
from bench.environment import bench_services, fresh_databases

# name -> module with ``run() -> bench.report.Result``
BENCHMARKS = {
    "reminders": "bench.reminders",
    "reminder-pace": "bench.reminder_pace",
    "web": "bench.web",
}


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="make bench BENCH_ARGS=...",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("names", nargs="*", metavar="NAME", help=", ".join(BENCHMARKS))
    parser.add_argument(
        "--keep-db", action="store_true", help="keep the benchmark database afterwards"
    )
    args = parser.parse_args(argv)
    unknown = sorted(set(args.names) - set(BENCHMARKS))
    if unknown:
        parser.error(f"unknown benchmark(s): {', '.join(unknown)}")
    return args


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    names = args.names or list(BENCHMARKS)
    results = []
    with bench_services(keep_database=args.keep_db) as services:
        for number, name in enumerate(names):
            if number:  # each benchmark on databases of its own making only
                fresh_databases(services)
            results.append(importlib.import_module(BENCHMARKS[name]).run())
    print(report.write(report.build_report(results)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
