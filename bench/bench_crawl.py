"""Crawl speed and memory: ``scrapy crawl finews`` over a replayed snapshot, fresh
archive and then a second (incremental) run. Prints figures; not a test.

    .venv/bin/python bench/bench_crawl.py [SNAPSHOT] [START_URL]

Default: the real mirror in ../shared (151 posts), else the bundled demo snapshot.
"""

from __future__ import annotations

import ast
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MIRROR = ROOT.parent / "shared" / "corpus" / "finews" / "mirror"
STATS = re.compile(r"Dumping Scrapy stats:\n(\{.*?\})\n", re.S)


def crawl(snapshot: Path, start_url: str, archive: Path) -> tuple[float, dict]:
    """Wall time and the crawl's stats; the child's peak RSS (KiB) as ``peak_rss_kib``."""
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "scrapy", "crawl", "finews", "-a", f"start_url={start_url}",
         "-s", f"REPLAY_SOURCE={snapshot}", "-s", f"ARCHIVE_DIR={archive}", "-s", "LOG_LEVEL=INFO"],
        cwd=ROOT, capture_output=True, text=True, check=True,
    )  # fmt: skip
    wall = time.perf_counter() - started
    raw = STATS.search(done.stderr).group(1)
    raw = re.sub(r"datetime\.datetime\([^)]*\)", "None", raw)  # start/finish times: not needed here
    stats = ast.literal_eval(raw)
    # The peak RSS of the largest child so far (for the second run: the larger of the
    # two). Scrapy's memusage stat samples once a minute, too rarely for a short crawl.
    stats["peak_rss_kib"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return wall, stats


def main(argv: list[str]) -> int:
    if len(argv) > 1:
        snapshot, start_url = Path(argv[1]), argv[2] if len(argv) > 2 else "https://finews.withounder.com/"
    elif MIRROR.exists():
        snapshot, start_url = MIRROR, "https://finews.withounder.com/"
    else:
        snapshot, start_url = ROOT / "seeds" / "demo", "https://demo.finews.invalid/"
    print(f"snapshot: {snapshot}")
    with tempfile.TemporaryDirectory() as folder:
        for label in ("first run (empty archive)", "second run (incremental)"):
            wall, stats = crawl(snapshot, start_url, Path(folder))
            responses = stats.get("response_received_count", 0)
            posts = sum(stats.get(f"posts/{status}", 0) for status in ("new", "updated", "unchanged"))
            elapsed = stats.get("elapsed_time_seconds", 0.0)
            print(
                f"{label}: {responses} responses, {posts} posts archived in {elapsed:.2f} s crawl time"
                f" ({responses / elapsed if elapsed else 0:.0f} responses/s), {wall:.2f} s with start-up;"
                f" peak RSS {stats['peak_rss_kib'] / 1024:.0f} MiB"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
