"""The run report: every article accounted for, a summary, a JSON file, progress lines."""

from __future__ import annotations

import json
import logging
from pathlib import Path

from scrapy import Spider
from scrapy.utils.test import get_crawler

from crawler.items import Post
from crawler.report import RunReport, report_drop
from pipelines.outcomes import DuplicatePost, PostDropped


class DemoSpider(Spider):
    name = "demo"


def _report(tmp_path):
    crawler = get_crawler(DemoSpider, settings_dict={"ARCHIVE_DIR": str(tmp_path), "RUN_REPORT_PROGRESS_INTERVAL": 0})
    crawler.stats.open_spider()
    report = RunReport.from_crawler(crawler)
    spider = DemoSpider()
    report.spider_opened(spider)
    return crawler, report, spider


def _archived(status: str, post_id: str) -> Post:
    post = Post(id=post_id, url=f"https://demo.finews.invalid/{post_id}.html")
    post.extra["archive_status"] = status
    return post


def test_every_outcome_is_counted_and_written(tmp_path, caplog):
    crawler, report, spider = _report(tmp_path)
    report.item_scraped(_archived("new", "A1"))
    report.item_scraped(_archived("unchanged", "A2"))
    report.item_dropped(Post(id="D1"), DuplicatePost(of="A1", kind="same-body", url="https://x.invalid/d1", post_id="D1"))
    report.item_dropped(Post(id="B1"), PostDropped("missing-fields", "missing title", "https://x.invalid/b1"))
    report_drop(crawler, "https://x.invalid/raw", "raw-front-matter", "front matter shown as text")
    with caplog.at_level(logging.INFO):
        report.spider_closed(spider, "finished")
    written = json.loads(Path(crawler.stats.get_value("run/report")).read_text(encoding="utf-8"))
    assert written["counts"]["archived"] == {"new": 1, "updated": 0, "unchanged": 1}
    assert (written["counts"]["duplicate"], written["counts"]["dropped"], written["counts"]["found"]) == (1, 2, 5)
    assert written["duplicates"] == [{"id": "D1", "url": "https://x.invalid/d1", "of": "A1", "kind": "same-body"}]
    assert [(d["url"], d["reason"]) for d in written["dropped"]] == [
        ("https://x.invalid/b1", "missing-fields"), ("https://x.invalid/raw", "raw-front-matter")
    ]
    assert crawler.stats.get_value("dropped/missing-fields") == 1
    assert crawler.stats.get_value("dropped/raw-front-matter") == 1
    summary = caplog.records[-1].getMessage().splitlines()
    assert summary[0].endswith("finished (finished): 5 articles found")
    assert "  dropped         2" in summary
    assert "    raw-front-matter: 1" in summary
    assert Path(crawler.stats.get_value("run/report")).parent == tmp_path / ".state" / "runs"


def test_progress_line(tmp_path, caplog):
    crawler, report, _ = _report(tmp_path)
    report.item_scraped(_archived("new", "A1"))
    crawler.stats.set_value("response_received_count", 12)
    with caplog.at_level(logging.INFO):
        report.log_progress()
    assert caplog.records[-1].getMessage().startswith("Progress: 12 pages (")
    assert caplog.records[-1].getMessage().endswith("1 posts archived (1 new), 0 duplicates, 0 dropped")
