"""The run report: every article a run discovers is accounted for.

Archived (new, updated, unchanged), duplicate of an archived post (which one, how
recognised), or dropped (reason, URL). Pipelines report through Scrapy's own signals
(``item_scraped``, ``item_dropped``, ``item_error``); spiders report pages they drop
before any item exists (a page that is not a post, a listing that failed) by sending
``post_dropped``. At the end the run logs a one-screen summary and writes
``STATE_DIR/runs/<run id>.json``; during the run it logs progress at a steady interval.
"""

from __future__ import annotations

import json
import logging
import time
from collections import Counter
from datetime import UTC, datetime

from scrapy import signals
from scrapy.exceptions import NotConfigured
from twisted.internet import task

from pipelines.archive import state_dir
from pipelines.atomic import write_atomic
from pipelines.outcomes import DuplicatePost

logger = logging.getLogger(__name__)

# Sent by spiders: ``crawler.signals.send_catch_log(post_dropped, url=…, reason=…, detail=…)``.
post_dropped = object()

ARCHIVED = ("new", "updated", "unchanged")


def report_drop(crawler, url: str, reason: str, detail: str) -> None:
    """For spiders: account for an article dropped before it became an item."""
    crawler.stats.inc_value(f"dropped/{reason}")
    logger.warning("Dropped: %s: %s <%s>", reason, detail, url)
    crawler.signals.send_catch_log(post_dropped, url=url, reason=reason, detail=detail)


def report_fetch_failure(crawler, failure) -> None:
    """For spiders' errbacks on article requests: an article page that could not be
    fetched (HTTP error, timeout, replay miss) was found but not archived."""
    report_drop(crawler, failure.request.url, "fetch-failed", failure.getErrorMessage())


class RunReport:
    def __init__(self, crawler):
        self.crawler = crawler
        self.stats = crawler.stats
        self.interval = crawler.settings.getfloat("RUN_REPORT_PROGRESS_INTERVAL", 30.0)
        self.state_dir = state_dir(crawler.settings)
        self.archived: Counter[str] = Counter()
        self.duplicates: list[dict] = []
        self.dropped: list[dict] = []
        self.related: list[dict] = []
        self.run_id = ""
        self.started = 0.0
        self._progress = None

    @classmethod
    def from_crawler(cls, crawler):
        if not crawler.settings.getbool("RUN_REPORT_ENABLED", True):
            raise NotConfigured
        report = cls(crawler)
        crawler.signals.connect(report.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(report.spider_closed, signal=signals.spider_closed)
        crawler.signals.connect(report.item_scraped, signal=signals.item_scraped)
        crawler.signals.connect(report.item_dropped, signal=signals.item_dropped)
        crawler.signals.connect(report.item_error, signal=signals.item_error)
        crawler.signals.connect(report.spider_dropped, signal=post_dropped)
        return report

    # --- signal handlers ------------------------------------------------------------
    def spider_opened(self, spider):
        self.started = time.monotonic()
        self.run_id = f"{datetime.now(UTC):%Y%m%dT%H%M%S%fZ}-{spider.name}"
        self.stats.set_value("run/id", self.run_id)
        if self.interval > 0:
            self._progress = task.LoopingCall(self.log_progress)
            self._progress.start(self.interval, now=False)

    def item_scraped(self, item, response=None, spider=None):
        status = getattr(item, "extra", {}).get("archive_status")
        if status in ARCHIVED:
            self.archived[status] += 1
        for other in getattr(item, "extra", {}).get("related", []):
            self.related.append({"id": item.id, "category": item.category, "related": other})

    def item_dropped(self, item, exception, response=None, spider=None):
        if isinstance(exception, DuplicatePost):
            self.stats.inc_value(f"duplicates/{exception.kind}")
            self.duplicates.append(
                {"id": getattr(item, "id", ""), "url": exception.url or getattr(item, "url", ""),
                 "of": exception.of, "kind": exception.kind}
            )
        else:
            reason = getattr(exception, "reason", "dropped")
            self.stats.inc_value(f"dropped/{reason}")
            self.dropped.append(
                {"id": getattr(item, "id", ""), "url": getattr(exception, "url", "") or getattr(item, "url", ""),
                 "reason": reason, "detail": getattr(exception, "detail", str(exception))}
            )

    def item_error(self, item, response=None, spider=None, failure=None):
        self.stats.inc_value("dropped/error")
        self.dropped.append(
            {"id": getattr(item, "id", ""), "url": getattr(item, "url", ""), "reason": "error",
             "detail": failure.getErrorMessage() if failure is not None else "pipeline error"}
        )

    def spider_dropped(self, url, reason, detail):
        self.dropped.append({"id": "", "url": url, "reason": reason, "detail": detail})

    # --- output -----------------------------------------------------------------------
    def counts(self) -> dict:
        # Incremental crawls recognise archived posts (and recorded duplicates) before
        # requesting them: found again, accounted for in an earlier run.
        known = self.stats.get_value("incremental/known_posts_skipped", 0)
        return {
            "archived": {status: self.archived[status] for status in ARCHIVED},
            "duplicate": len(self.duplicates),
            "dropped": len(self.dropped),
            "related": len(self.related),
            "known_skipped": known,
            "found": known + sum(self.archived.values()) + len(self.duplicates) + len(self.dropped),
            "requests": self.stats.get_value("downloader/request_count", 0),
            "replay_misses": self.stats.get_value("replay/miss", 0),
        }

    def log_progress(self):
        minutes = max(time.monotonic() - self.started, 1e-9) / 60
        pages = self.stats.get_value("response_received_count", 0)
        posts = sum(self.archived.values())
        logger.info(
            "Progress: %d pages (%.0f/min), %d posts archived (%d new), %d duplicates, %d dropped",
            pages, pages / minutes, posts, self.archived["new"], len(self.duplicates), len(self.dropped),
        )

    def spider_closed(self, spider, reason):
        if self._progress is not None and self._progress.running:
            self._progress.stop()
        counts = self.counts()
        report = {
            "run_id": self.run_id,
            "spider": spider.name,
            "finish_reason": reason,
            "counts": counts,
            "duplicates": self.duplicates,
            "dropped": self.dropped,
            "related": self.related,
        }
        path = self.state_dir / "runs" / f"{self.run_id}.json"
        write_atomic(path, json.dumps(report, ensure_ascii=False, indent=1).encode("utf-8"))
        self.stats.set_value("run/report", str(path))
        archived = counts["archived"]
        lines = [
            f"Run {self.run_id} finished ({reason}): {counts['found']} articles found",
            f"  archived   {sum(archived.values()):>6}  (new {archived['new']}, updated {archived['updated']},"
            f" unchanged {archived['unchanged']})",
            f"  duplicate  {counts['duplicate']:>6}",
            f"  dropped    {counts['dropped']:>6}",
        ]
        if counts["known_skipped"]:
            lines.insert(1, f"  known      {counts['known_skipped']:>6}  (archived before: not fetched again)")
        for why, n in Counter(d["reason"] for d in self.dropped).most_common():
            lines.append(f"    {why}: {n}")
        lines.append(f"  requests   {counts['requests']:>6}  replay misses {counts['replay_misses']}")
        lines.append(f"  report: {path}")
        logger.info("\n".join(lines))
        if self.crawler.settings.getbool("RUN_REPORT_STDOUT"):
            print("\n".join(lines), flush=True)  # noqa: T201 - the demo command's output
