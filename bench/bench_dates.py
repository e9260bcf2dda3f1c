"""Benchmark ``normalize_date`` on the real strings of ../shared/corpus/dates.tsv.

Run: ``.venv/bin/python bench/bench_dates.py [--calls N]``. Prints the mean time per
call over all rows (repeated to at least N calls, default 100,000), then per grammar
family. Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import csv
import math
import os
import sys
import time
from collections import defaultdict
from datetime import datetime
from pathlib import Path
from typing import NamedTuple

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))

from pipelines.dates import DateParseError, date_family, normalize_date  # noqa: E402

SHARED_DIR = Path(os.environ.get("FINEWS_SHARED_DIR", REPO_ROOT.parent / "shared"))
DATES_TSV = SHARED_DIR / "corpus" / "dates.tsv"


def load_cases(path: Path) -> list[tuple[str, datetime]]:
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))
    return [(row["raw"], datetime.strptime(row["crawled_at"], "%Y-%m-%d %H:%M:%S %z")) for row in rows]


class Timing(NamedTuple):
    wall_us: float  # mean wall-clock µs per call
    cpu_us: float  # mean CPU µs per call: steadier on a shared machine
    calls: int


def measure(cases: list[tuple[str, datetime]], min_calls: int) -> Timing:
    """Mean µs per call over ``cases`` repeated to at least ``min_calls`` calls."""
    rounds = math.ceil(min_calls / len(cases))
    start, start_cpu = time.perf_counter(), time.process_time()
    for _ in range(rounds):
        for raw, crawled_at in cases:
            try:
                normalize_date(raw, crawled_at)
            except DateParseError:
                pass  # rejections are part of the workload
    wall, cpu = time.perf_counter() - start, time.process_time() - start_cpu
    calls = rounds * len(cases)
    return Timing(wall / calls * 1e6, cpu / calls * 1e6, calls)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=100_000, help="minimum calls over all rows")
    parser.add_argument("--family-calls", type=int, default=20_000, help="minimum calls per family")
    args = parser.parse_args()
    if not DATES_TSV.exists():
        print(f"shared corpus data not found: {DATES_TSV} (set FINEWS_SHARED_DIR)", file=sys.stderr)
        return 2

    cases = load_cases(DATES_TSV)
    measure(cases, len(cases) * 10)  # warm caches (zoneinfo, regex)
    overall = measure(cases, args.calls)
    print(
        f"normalize_date: {overall.wall_us:.2f} µs/call wall, {overall.cpu_us:.2f} µs/call CPU, "
        f"mean over {overall.calls:,} calls ({len(cases)} dates.tsv rows)"
    )

    by_family: dict[str, list[tuple[str, datetime]]] = defaultdict(list)
    for raw, crawled_at in cases:
        by_family[date_family(raw) or "unreadable"].append((raw, crawled_at))
    print(f"{'family':<14}{'rows':>5}{'wall µs':>10}{'CPU µs':>10}")
    for family, family_cases in sorted(by_family.items(), key=lambda item: -len(item[1])):
        timing = measure(family_cases, args.family_calls)
        print(f"{family:<14}{len(family_cases):>5}{timing.wall_us:>10.2f}{timing.cpu_us:>10.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
