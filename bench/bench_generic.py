"""Hit rates of the generic extraction path (no profiles) on the article pages of
../shared/corpus/pages, per site and overall: figures to compare engines, not a test.

    .venv/bin/python bench/bench_generic.py [--engine fallback|trafilatura|auto ...]

A hit: title = the page's headline; date = the article's own date (normalised, to the
minute or second the page shows; ``day`` = the right calendar day only); body = its text
starts with the article's first 20 characters (``start``) and ends with its last 20
(``end``); both = ``body``. The expected
values are the ones tests/test_site_profiles.py checks the profiles against.
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
from collections import defaultdict
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))

from scrapy.http import HtmlResponse  # noqa: E402

from crawler.encoding import detect_encoding  # noqa: E402
from crawler.generic import ENGINES, extract_generic, trafilatura_available  # noqa: E402
from crawler.sites import html_text  # noqa: E402
from pipelines.dates import DateParseError, normalize_date  # noqa: E402
from tests.conftest import SHARED_DIR  # noqa: E402
from tests.test_site_profiles import ARTICLES, manifest_date_string  # noqa: E402

CRAWLED_AT = datetime(2021, 1, 1, 12, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
MEASURES = ("title", "date", "day", "start", "end", "body")


def _date(raw: str):
    try:
        return normalize_date(raw, CRAWLED_AT).value
    except DateParseError:
        return None


def score_page(file: str, row: dict[str, str], engine: str) -> dict[str, bool]:
    raw = (SHARED_DIR / "corpus" / "pages" / file).read_bytes()
    response = HtmlResponse(f"https://corpus.invalid/{file}", body=raw, encoding=detect_encoding(raw))
    post = extract_generic(response, engine=engine)
    headline, first, last = ARTICLES[file]
    text = html_text(post.body)
    expected_date = _date(manifest_date_string(row["pubdate_string_as_on_page"]))
    got_date = _date(post.date_raw)
    hits = {
        "title": post.title == headline,
        "date": expected_date is not None and got_date == expected_date,
        "day": expected_date is not None and got_date is not None and got_date.date() == expected_date.date(),
        "start": text.startswith(first),
        "end": text.endswith(last),
    }
    hits["body"] = hits["start"] and hits["end"]
    return hits


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engine", action="append", choices=ENGINES, help="engines to run (default: all available)")
    args = parser.parse_args(argv)
    engines = args.engine or [e for e in ENGINES if e == "fallback" or trafilatura_available()]
    manifest = SHARED_DIR / "corpus" / "pages" / "MANIFEST.tsv"
    if not manifest.exists():
        print(f"corpus not found: {manifest}", file=sys.stderr)
        return 2
    with manifest.open(encoding="utf-8", newline="") as handle:
        rows = [row for row in csv.DictReader(handle, delimiter="\t") if row["kind"] == "article"]
    for engine in engines:
        per_site: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        pages: dict[str, int] = defaultdict(int)
        started = time.perf_counter()
        for row in rows:
            hits = score_page(row["file"], row, engine)
            pages[row["site"]] += 1
            for measure in MEASURES:
                per_site[row["site"]][measure] += hits[measure]
        elapsed = time.perf_counter() - started
        print(f"\n== engine: {engine}  ({len(rows)} article pages, {elapsed:.1f} s)")
        print(f"{'site':<14}{'pages':>6}" + "".join(f"{m:>7}" for m in MEASURES))
        for site in sorted(pages):
            counts = "".join(f"{per_site[site][m]:>7}" for m in MEASURES)
            print(f"{site:<14}{pages[site]:>6}{counts}")
        total = len(rows)
        overall = "".join(f"{sum(s[m] for s in per_site.values()) / total:>7.0%}" for m in MEASURES)
        print(f"{'overall':<14}{total:>6}{overall}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
