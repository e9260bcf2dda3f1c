"""Run the test spider with ``scrapy runspider`` in a subprocess from the repo root (a
CrawlerProcess cannot start twice in one process) and collect what it left behind."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
SPIDER_FILE = Path(__file__).with_name("link_spider.py")
SCRAPY = [sys.executable, "-m", "scrapy"]


@dataclass
class CrawlResult:
    items: list[dict]
    stats: dict
    settings: dict
    download_handlers: dict
    log: str

    def item_rows(self) -> list[tuple[str, int, str]]:
        """Items as sorted (url, status, title) rows: crawl order is not deterministic."""
        return sorted((item["url"], item["status"], item["title"]) for item in self.items)


def run_link_spider(start_url: str, workdir: Path, *settings: str, timeout: float = 60) -> CrawlResult:
    """Crawl from ``start_url``; ``settings`` are ``NAME=VALUE`` strings passed as ``-s``."""
    workdir.mkdir(parents=True, exist_ok=True)
    items_file, run_file, log_file = workdir / "items.jsonl", workdir / "run.json", workdir / "crawl.log"
    command = [
        *SCRAPY, "runspider", str(SPIDER_FILE),
        "-a", f"start_url={start_url}", "-a", f"run_out={run_file}",
        "-O", str(items_file),
        "-s", "ITEM_PIPELINES={}", "-s", "EXTENSIONS={}", "-s", f"LOG_FILE={log_file}",
    ]  # fmt: skip
    for setting in settings:
        command += ["-s", setting]
    completed = subprocess.run(command, cwd=REPO_ROOT, capture_output=True, text=True, timeout=timeout)
    log = log_file.read_text(encoding="utf-8") if log_file.exists() else ""
    if completed.returncode != 0 or not run_file.exists():
        raise AssertionError(f"crawl failed ({completed.returncode}):\n{completed.stderr}\n{log}")
    with items_file.open(encoding="utf-8") as handle:
        items = [json.loads(line) for line in handle if line.strip()]
    report = json.loads(run_file.read_text(encoding="utf-8"))
    return CrawlResult(items, report["stats"], report["settings"], report["download_handlers"], log)
