"""End to end: ``scrapy crawl finews`` over the real mirror, replayed offline through the
real Scrapy engine, and a second identical run."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest

from pipelines.postfile import ARCHIVE_TZ, read_post_file
from tests.conftest import shared_path
from tests.corpus import manifest_posts, text_key
from tests.crawl import run_scrapy

SITE = "https://finews.withounder.com"
RAW_PAGE = f"{SITE}/2021/12/08/202112082206703990.html"  # front matter Jekyll did not parse; linked nowhere
CRAWLED = re.compile(r"Crawled \((\d+)\) <GET ([^>]+)>")


@pytest.fixture(scope="module")
def crawls(tmp_path_factory):
    mirror = shared_path("finews", "mirror")
    archive = tmp_path_factory.mktemp("archive")
    args = ("crawl", "finews", "-s", f"REPLAY_SOURCE={mirror}", "-s", f"ARCHIVE_DIR={archive}", "-s", "LOG_LEVEL=DEBUG")
    first = run_scrapy(*args, "-a", f"urls={RAW_PAGE}")
    first_report = first.report(archive)
    files = {path.name: (path.read_bytes(), path.stat().st_mtime_ns) for path in (archive / "_posts").iterdir()}
    second = run_scrapy(*args)
    return archive, first, first_report, files, second, second.report(archive)


def _source_posts():
    posts = shared_path("finews", "posts")
    for entry in manifest_posts(shared_path("finews", "MANIFEST.tsv")):
        post = read_post_file(posts / entry.filename).post
        if post.date is not None and "leading-blank-line" not in entry.notes:
            yield post


def test_first_run_accounts_for_every_post(crawls):
    _, first, report, _, _, _ = crawls
    assert first.returncode == 0, first.stderr[-3000:]
    assert report["counts"]["archived"] == {"new": 149, "updated": 0, "unchanged": 0}
    assert report["counts"]["duplicate"] == 2
    assert report["counts"]["found"] == 152  # 151 well-formed pages and the raw-text page


def test_raw_text_page_is_dropped_with_its_reason(crawls):
    _, _, report, _, _, _ = crawls
    assert [(d["url"], d["reason"]) for d in report["dropped"]] == [(RAW_PAGE, "raw-front-matter")]


def test_identical_bodies_are_recorded_as_duplicates(crawls):
    _, _, report, _, _, _ = crawls
    assert sorted((d["id"], d["of"], d["kind"]) for d in report["duplicates"]) == [
        ("202112082206749391", "202112082206748961", "same-body"),
        ("202112082206781916", "202112082206672930", "same-body"),
    ]


def test_every_source_post_is_archived_with_its_fields(crawls):
    archive, _, report, _, _, _ = crawls
    archived = {read_post_file(p).post.id: read_post_file(p).post for p in (archive / "_posts").iterdir()}
    duplicates = {d["id"] for d in report["duplicates"]}
    sources = list(_source_posts())
    assert len(sources) == 151
    for source in sources:
        if source.id in duplicates:
            continue
        post = archived[source.id]
        assert (post.title, post.date, post.category, post.tag, post.share_url) == (
            source.title, source.date, source.category, source.tag, source.share_url
        ), source.id  # fmt: skip
        assert text_key((post.digest or "") + "\n" + post.body) == text_key((source.digest or "") + "\n" + source.body)
    assert len(archived) == 149


def test_replay_misses_are_only_off_site_share_links(crawls):
    _, first, _, _, _, _ = crawls
    misses = re.findall(r"Replay miss: (\S+)", first.stderr)
    assert misses and all(urlsplit(url).netloc != "finews.withounder.com" for url in misses)
    assert len(misses) == 149  # one original article per archived post; none is in the snapshot


def test_bodies_come_from_the_mirror_when_the_originals_are_missing(crawls):
    _, first, _, _, _, _ = crawls
    assert "'body_source/mirror': 151" in first.stderr
    assert "'upstream/failed': 149" in first.stderr


def test_second_run_changes_nothing(crawls):
    archive, _, _, files, _, report = crawls
    assert report["counts"]["archived"] == {"new": 0, "updated": 0, "unchanged": 0}
    assert {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in (archive / "_posts").iterdir()} == files


def test_second_run_fetches_only_listings_and_feed(crawls):
    _, _, _, _, second, _ = crawls
    fetched = [url for _, url in CRAWLED.findall(second.stderr)]
    listing = re.compile(rf"^{SITE}/(|emnews/|feed\.xml|category/[a-z0-9]+\.html)$")
    assert fetched and [url for url in fetched if not listing.match(url)] == []
    assert len(fetched) == 14  # home, /emnews/, feed.xml and the 11 category pages


def test_second_run_reports_the_known_posts_it_skipped(crawls):
    _, _, _, _, _, report = crawls
    assert report["counts"]["known_skipped"] == 151


def test_archived_dates_are_in_beijing_time(crawls):
    archive, _, _, _, _, _ = crawls
    post = read_post_file(archive / "_posts" / "2022-01-03-NW202201032234253198.md").post
    assert post.date.astimezone(ARCHIVE_TZ).isoformat() == "2022-01-03T06:53:37+08:00"
