"""Incremental crawls of the demo: a second snapshot of the site with one more post is
crawled into the archive of the first, then again, then once more without the state
store. Each run must fetch only what it has to and touch only what changed.

Snapshot v1 is the demo without its newest media post, v2 the full demo (both built by
``seeds.build_demo``; needs Debian's jekyll: skipped without it, failed on CI)."""

from __future__ import annotations

import os
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from crawler.settings.base import ARCHIVE_SITE_URL
from pipelines.postfile import FEED_CATEGORY, post_filename, render_post
from seeds.build_demo import broken_page_path, build_demo, find_jekyll, upstream_url
from seeds.demo_posts import DUPLICATE_IDS, HOST, POSTS, page_path
from tests.crawl import run_scrapy

BASE_URL = f"https://{HOST}/"
NEWEST_MEDIA_POST = max((post for post in POSTS if post.category != FEED_CATEGORY), key=lambda post: post.date)
POSTS_BY_ID = {post.id: post for post in POSTS}
# Every run fetches the listings: home, /emnews/, the feed, each category page (no
# listing of the demo is paginated), and the broken page (dropped, so never "known").
LISTING_URLS = {BASE_URL, BASE_URL + "emnews/", BASE_URL + "feed.xml"} | {
    f"{BASE_URL}category/{category}.html" for category in {post.category for post in POSTS}
}
ALWAYS_FETCHED = LISTING_URLS | {BASE_URL + broken_page_path()}

_CRAWLED = re.compile(r"Crawled \((\d+)\) <GET (\S+)>")
_STAT = re.compile(r"'([\w/.-]+)': (\d+)")


@dataclass
class Run:
    """What one crawl did: its report, stats, requested URLs, and the archive after it."""

    report: dict
    stats: dict[str, int]
    crawled: dict[str, int]  # URL -> status
    files: dict[str, tuple[bytes, int]]  # archive path (outside .state) -> (bytes, mtime_ns)

    @property
    def archived(self) -> dict[str, int]:
        return self.report["counts"]["archived"]


def post_file(post) -> str:
    """The post's file in the archive, relative to it."""
    return f"_posts/{post_filename(post)}"


def archive_files(archive: Path) -> dict[str, tuple[bytes, int]]:
    files = {}
    for path in sorted(archive.rglob("*")):
        relative = path.relative_to(archive).as_posix()
        if path.is_file() and not relative.startswith(".state/"):
            files[relative] = (path.read_bytes(), path.stat().st_mtime_ns)
    return files


def crawl(snapshot: Path, archive: Path) -> Run:
    done = run_scrapy(
        "crawl", "finews", "-a", f"start_url={BASE_URL}",
        "-s", f"REPLAY_SOURCE={snapshot}", "-s", f"ARCHIVE_DIR={archive}", "-s", "LOG_LEVEL=DEBUG",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    stats_dump = done.stderr.rpartition("Dumping Scrapy stats:")[2]
    return Run(
        report=done.report(archive),
        stats={name: int(value) for name, value in _STAT.findall(stats_dump)},
        crawled={url: int(status) for status, url in _CRAWLED.findall(done.stderr)},
        files=archive_files(archive),
    )


@pytest.fixture(scope="module")
def runs(tmp_path_factory) -> list[Run]:
    """v1 into a new archive; v2 twice into the same one; v2 again after deleting .state."""
    jekyll = find_jekyll()
    if not jekyll:
        message = "jekyll not installed (apt-get install jekyll ruby-jekyll-feed)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    root = tmp_path_factory.mktemp("incremental")
    v1 = build_demo(root / "v1", jekyll, posts=[post for post in POSTS if post is not NEWEST_MEDIA_POST])
    v2 = build_demo(root / "v2", jekyll)
    archive = root / "archive"
    done = [crawl(v1, archive), crawl(v2, archive), crawl(v2, archive)]
    shutil.rmtree(archive / ".state")
    done.append(crawl(v2, archive))
    return done


def test_the_added_post_is_the_newest_media_post():
    assert NEWEST_MEDIA_POST.id == "NW202603063655730061"
    assert NEWEST_MEDIA_POST.date == max(post.date for post in POSTS)


def test_first_run_archives_the_v1_demo(runs):
    first = runs[0]
    assert first.archived == {"new": 29, "updated": 0, "unchanged": 0}
    counts = first.report["counts"]
    assert (counts["duplicate"], counts["dropped"], counts["replay_misses"]) == (1, 1, 1)
    assert len([name for name in first.files if name.startswith("_posts/")]) == 29
    assert post_file(NEWEST_MEDIA_POST) not in first.files


def test_second_run_archives_exactly_the_added_post(runs):
    first, second = runs[0], runs[1]
    assert second.archived == {"new": 1, "updated": 0, "unchanged": 0}
    counts = second.report["counts"]
    assert (counts["duplicate"], counts["dropped"], counts["replay_misses"]) == (0, 1, 0)
    added = post_file(NEWEST_MEDIA_POST)
    assert set(second.files) - set(first.files) == {added}
    assert second.files[added][0] == render_post(NEWEST_MEDIA_POST, ARCHIVE_SITE_URL).encode("utf-8")
    for name, (data, mtime) in first.files.items():
        assert second.files[name] == (data, mtime), f"{name} changed"
    assert second.stats["body_source/upstream"] == 1
    assert second.stats["incremental/known_posts_skipped"] == 30  # 29 archived + 1 recorded duplicate


def test_second_run_fetches_listings_and_the_added_post_only(runs):
    added = {BASE_URL + page_path(NEWEST_MEDIA_POST), upstream_url(NEWEST_MEDIA_POST)}
    assert runs[1].crawled == dict.fromkeys(ALWAYS_FETCHED | added, 200)
    assert runs[1].report["counts"]["requests"] == len(ALWAYS_FETCHED) + 2 == 12


def test_third_run_archives_and_fetches_nothing_new(runs):
    second, third = runs[1], runs[2]
    assert third.archived == {"new": 0, "updated": 0, "unchanged": 0}
    counts = third.report["counts"]
    assert (counts["duplicate"], counts["dropped"], counts["replay_misses"]) == (0, 1, 0)
    assert third.crawled == dict.fromkeys(ALWAYS_FETCHED, 200)
    assert third.stats["incremental/known_posts_skipped"] == 31
    assert "body_source/upstream" not in third.stats
    assert third.files == second.files


def test_without_state_the_store_is_rebuilt_from_the_archive(runs):
    third, fourth = runs[2], runs[3]
    assert fourth.stats["dedupe/indexed_from_archive"] == 30
    assert fourth.archived == {"new": 0, "updated": 0, "unchanged": 0}
    counts = fourth.report["counts"]
    assert (counts["duplicate"], counts["dropped"], counts["replay_misses"]) == (1, 1, 0)
    # The archive holds one of the duplicate pair; only the other, not in the archive,
    # is unknown to the rebuilt store: its page is fetched and found a duplicate again.
    (kept,) = [post_id for post_id in DUPLICATE_IDS if post_file(POSTS_BY_ID[post_id]) in third.files]
    (recorded,) = set(DUPLICATE_IDS) - {kept}
    assert [(d["id"], d["of"], d["kind"]) for d in fourth.report["duplicates"]] == [(recorded, kept, "same-body")]
    refetched = {BASE_URL + page_path(POSTS_BY_ID[recorded]), upstream_url(POSTS_BY_ID[recorded])}
    assert fourth.crawled == dict.fromkeys(ALWAYS_FETCHED | refetched, 200)
    assert fourth.stats["incremental/known_posts_skipped"] == 30
    assert fourth.files == third.files
