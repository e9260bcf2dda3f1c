"""The demo snapshot (seeds/demo: the site demo.finews.invalid and the originals behind
its share links) is complete, consistent with the invented posts of seeds/demo_posts.py,
exactly what seeds/build_demo.py builds, and crawls into the canonical post files."""

from __future__ import annotations

import dataclasses
import os
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import lxml.html
import pytest
from scrapy import Request
from scrapy.http import Headers
from scrapy.responsetypes import responsetypes

from crawler.eastmoney import apply_upstream
from crawler.replay import FolderSnapshot
from crawler.settings.base import ARCHIVE_SITE_URL
from crawler.slugs import FEED_TAG, category_slug, media_tag
from pipelines.postfile import FEED_CATEGORY, parse_post, post_filename, read_post_file, render_post
from seeds.build_demo import (
    DEMO_DIR,
    SNAPSHOT_DIR,
    SNAPSHOT_HOSTS,
    broken_page_path,
    build_demo,
    find_jekyll,
    upstream_file,
    upstream_url,
)
from seeds.demo_posts import (
    BROKEN_POST,
    BUILD_TIME,
    DUPLICATE_IDS,
    EXPECTED_ARCHIVED,
    EXPECTED_DROPPED,
    EXPECTED_DUPLICATES,
    EXPECTED_REPLAY_MISSES,
    EXPECTED_UPSTREAM,
    HOST,
    LIQUID_POST_ID,
    LIQUID_TEXT,
    MEDIA,
    NO_UPSTREAM_ID,
    POSTS,
    RELATED_IDS,
    SITE_URL,
    page_path,
)
from tests.crawl import run_scrapy

SEEDS_DIR = DEMO_DIR.parent
BASE_URL = f"https://{HOST}/"
ATOM = "{http://www.w3.org/2005/Atom}"
POSTS_BY_ID = {post.id: post for post in POSTS}
MEDIA_POSTS = [post for post in POSTS if post.category != FEED_CATEGORY]
MEDIA_BY_ID = {post.id: post for post in MEDIA_POSTS}
FEED_POSTS = [post for post in POSTS if post.category == FEED_CATEGORY]
UPSTREAM_POSTS = [post for post in POSTS if post.id != NO_UPSTREAM_ID]


def snapshot_file(relative: str) -> Path:
    return SNAPSHOT_DIR / relative


def snapshot_files(root: Path) -> list[str]:
    return sorted(path.relative_to(root).as_posix() for path in root.rglob("*") if path.is_file())


def html_of(relative: str) -> lxml.html.HtmlElement:
    return lxml.html.fromstring(snapshot_file(relative).read_bytes().decode("utf-8"))


def local_file_for(url: str) -> str | None:
    """The snapshot file a demo-host URL replays from (the replay rule:
    ``index.html`` for ``/`` and paths ending in ``/``), or None for other hosts."""
    parts = urlsplit(url)
    if parts.hostname != HOST:
        return None
    path = unquote(parts.path).lstrip("/")
    return path + "index.html" if path == "" or path.endswith("/") else path


# --- The invented posts look like the real archive's ---------------------------------


def test_counts():
    assert len(POSTS) == 31
    assert len(MEDIA_POSTS) == 25
    assert len(FEED_POSTS) == 6
    assert sorted({post.category for post in POSTS}) == [
        "21shijijingjibaodao", "cailianshe", "emnews", "shanghaizhengquanbao", "zhengquanshibao",
        "zhongguozhengquanbao",
    ]  # fmt: skip
    assert len(POSTS_BY_ID) == len(POSTS)  # ids are unique
    assert (EXPECTED_ARCHIVED, EXPECTED_DUPLICATES, EXPECTED_DROPPED) == (30, 1, 1)
    assert (EXPECTED_UPSTREAM, EXPECTED_REPLAY_MISSES) == (30, 1)


def test_media_posts_have_real_shapes():
    for post in MEDIA_POSTS:
        assert re.fullmatch(r"NW\d{18}", post.id), post.id
        assert post.id[2:10] == f"{post.date:%Y%m%d}", post.id
        assert post.source_media in MEDIA
        assert post.category == category_slug(post.source_media)
        assert post.tag == media_tag(post.source_media)
        assert post.digest is None
        assert post.share_url == f"http://finews.zning.xyz/html_News/NewsShare.html?infoCode={post.id}"
        assert post.body.startswith("<p>")
        assert post.body.endswith(f'<p class="em_media">（文章来源：{post.source_media}）</p>')


def test_feed_posts_have_real_shapes():
    for post in [*FEED_POSTS, BROKEN_POST]:
        assert re.fullmatch(r"\d{18}", post.id), post.id
        assert post.id[:8] == f"{post.date:%Y%m%d}", post.id
        assert (post.category, post.tag) == ("emnews", FEED_TAG)
        assert post.share_url == f"http://finance.eastmoney.com/a/{post.id}.html"
        assert post.body.endswith(f'<p class="em_media">（文章来源：{post.source_media}）</p>')
    assert sorted(bool(post.digest) for post in FEED_POSTS) == [False, False, True, True, True, True]


def test_dates_are_in_2026_at_plus_eight_and_before_the_build_time():
    for post in [*POSTS, BROKEN_POST]:
        assert post.date.year == 2026
        assert post.date.utcoffset().total_seconds() == 8 * 3600
        assert post.date < BUILD_TIME


def test_post_files_round_trip():
    """What build_demo writes into _posts/ reads back as the same post."""
    for post in POSTS:
        parsed = parse_post(render_post(post, SITE_URL)).post
        assert (parsed.title, parsed.date, parsed.category, parsed.tag) == (
            post.title, post.date, post.category, post.tag,
        )  # fmt: skip
        assert (parsed.body, parsed.digest, parsed.share_url) == (post.body, post.digest, post.share_url)


def test_deliberate_features():
    feed_id, media_id = RELATED_IDS
    related = POSTS_BY_ID[feed_id], POSTS_BY_ID[media_id]
    assert (related[0].category, related[1].category) == ("emnews", "cailianshe")
    assert related[0].article_key == related[1].article_key == feed_id
    assert related[0].body == related[1].body

    first, second = (POSTS_BY_ID[post_id] for post_id in DUPLICATE_IDS)
    assert first.category == second.category == "zhengquanshibao"
    assert first.article_key != second.article_key
    assert first.body == second.body
    assert first.date < second.date

    liquid = POSTS_BY_ID[LIQUID_POST_ID]
    assert LIQUID_TEXT in liquid.body
    assert "render_with_liquid: false" in render_post(liquid, SITE_URL)

    # The post without an original is none of the other features' posts.
    assert NO_UPSTREAM_ID in MEDIA_BY_ID
    assert NO_UPSTREAM_ID not in {*RELATED_IDS, *DUPLICATE_IDS, LIQUID_POST_ID}


# --- The built snapshot ---------------------------------------------------------------


def test_snapshot_holds_exactly_the_expected_files():
    categories = {post.category for post in POSTS}
    expected = {page_path(post) for post in POSTS}
    expected |= {f"category/{category}.html" for category in categories}
    expected |= {"index.html", "emnews/index.html", "feed.xml", broken_page_path()}
    assert snapshot_files(SNAPSHOT_DIR) == sorted(expected)
    assert len(expected) == 41


def test_snapshot_holds_the_original_of_every_post_but_one():
    assert SNAPSHOT_HOSTS == (HOST, "choicewzp1.eastmoney.com", "finance.eastmoney.com")
    assert sorted(path.name for path in DEMO_DIR.iterdir()) == sorted(SNAPSHOT_HOSTS)
    upstream = [path for path in snapshot_files(DEMO_DIR) if not path.startswith(f"{HOST}/")]
    assert upstream == sorted(
        [f"choicewzp1.eastmoney.com/NewsData/GetNewsText.do?id={post.id}" for post in MEDIA_POSTS if post.id != NO_UPSTREAM_ID]
        + [f"finance.eastmoney.com/a/{post.id}.html" for post in FEED_POSTS]
    )  # fmt: skip
    assert len(upstream) == 24 + 6
    assert [str(upstream_file(post)) for post in UPSTREAM_POSTS] == [
        upstream_url(post).split("://", 1)[1] for post in UPSTREAM_POSTS
    ]
    assert FolderSnapshot(DEMO_DIR).lookup(upstream_url(MEDIA_BY_ID[NO_UPSTREAM_ID])) is None


def replayed(url: str):
    """The response the replay handler gives for ``url`` (crawler.replay's own lookup)."""
    stored = FolderSnapshot(DEMO_DIR).lookup(url)
    assert stored is not None, url
    headers = Headers()
    for name, value in stored.headers:
        headers.appendlist(name, value)
    response_class = responsetypes.from_args(headers=headers, url=url, body=stored.body)
    return response_class(url=url, status=stored.status, headers=headers, body=stored.body, request=Request(url))


def test_every_original_gives_back_its_demo_post():
    """apply_upstream, as the finews spider calls it, takes each original's body (and a
    feed post's digest from the article page) exactly as the demo post has them."""
    for post in UPSTREAM_POSTS:
        mirror_copy = dataclasses.replace(post, body="<p>镜像</p>", digest=None if post.digest is None else "")
        upstream = apply_upstream(mirror_copy, replayed(upstream_url(post)))
        assert upstream is not None, post.id
        assert (upstream.body, upstream.digest, upstream.body_source) == (post.body, post.digest, "upstream"), post.id
        expected_extractor = "eastmoney-text-api" if post.category != FEED_CATEGORY else "eastmoney-article-page"
        assert upstream.extractor == expected_extractor


def test_every_post_page_shows_its_post():
    for post in POSTS:
        page = html_of(page_path(post))
        assert [h1.text_content() for h1 in page.iter("h1")] == ["金融消息", post.title]
        assert post.share_url in page.xpath("//a/@href")
        nav = page.xpath("//a[starts-with(text(), '返回')]/@href")
        back = f"{SITE_URL}/emnews/" if post.category == FEED_CATEGORY else f"{SITE_URL}/category/{post.category}.html"
        assert nav == [back, f"{SITE_URL}/"]
        if post.digest:
            assert page.xpath("string(//blockquote)").strip() == post.digest
        else:
            assert not page.xpath("//blockquote")


def test_liquid_text_is_published_as_text():
    text = snapshot_file(page_path(POSTS_BY_ID[LIQUID_POST_ID])).read_text(encoding="utf-8")
    assert f"“{LIQUID_TEXT}”元/股" in text


def test_home_page_links_every_category_page():
    links = set(html_of("index.html").xpath("//h2/a/@href"))
    assert links == {f"/category/{post.category}.html" for post in POSTS}
    for link in links:
        assert snapshot_file(link.lstrip("/")).is_file()


def test_category_pages_list_every_post_of_their_category():
    for category in {post.category for post in POSTS}:
        listed = html_of(f"category/{category}.html").xpath("//ul[@class='posts']/li/a/@href")
        expected = [page_path(post) for post in POSTS if post.category == category]
        assert sorted(link.lstrip("/") for link in listed) == sorted(expected)
    emnews = html_of("emnews/index.html").xpath("//ul[@class='posts']/li/a/@href")
    assert sorted(link.lstrip("/") for link in emnews) == sorted(page_path(post) for post in FEED_POSTS)


def test_feed_lists_every_post_and_the_broken_page():
    feed = ET.fromstring(snapshot_file("feed.xml").read_bytes())
    assert feed.findtext(f"{ATOM}updated") == "2026-03-06T18:00:00+08:00"  # the pinned build time
    links = [entry.find(f"{ATOM}link").get("href") for entry in feed.iter(f"{ATOM}entry")]
    expected = [BASE_URL + page_path(post) for post in POSTS] + [BASE_URL + broken_page_path()]
    assert sorted(links) == sorted(expected)


def test_broken_page_is_raw_text():
    assert broken_page_path() == "2026/03/06/202603063652204418.html"
    text = snapshot_file(broken_page_path()).read_text(encoding="utf-8")
    assert text.startswith("\n<hr />\n<p>layout: post\ntitle: “午间公告速递：多家公司披露回购进展”\n")
    assert "<title>" not in text and "<h1>" not in text  # no layout: Jekyll read no front matter


def test_every_link_on_the_demo_host_resolves():
    """Every href/src on the demo host names a file of the snapshot (no replay misses)."""
    for relative in snapshot_files(SNAPSHOT_DIR):
        page_url = BASE_URL + relative
        if relative.endswith(".xml"):
            tree = ET.fromstring(snapshot_file(relative).read_bytes())
            urls = [link.get("href") for link in tree.iter(f"{ATOM}link")]
        else:
            urls = html_of(relative).xpath("//@href | //@src")
        for url in urls:
            target = local_file_for(urljoin(page_url, url))
            assert target is None or snapshot_file(target).is_file(), f"{relative}: {url}"


def test_start_urls():
    lines = (SEEDS_DIR / "start_urls.txt").read_text(encoding="utf-8").splitlines()
    urls = [line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#")]
    assert urls == ["https://finews.withounder.com/"]


# --- Rebuilding ------------------------------------------------------------------------


def test_rebuild_reproduces_the_committed_snapshot(tmp_path):
    if not find_jekyll():
        message = "jekyll not installed (apt-get install jekyll ruby-jekyll-feed)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    rebuilt = build_demo(tmp_path / "demo")
    assert snapshot_files(rebuilt) == snapshot_files(DEMO_DIR)
    for relative in snapshot_files(DEMO_DIR):
        assert (rebuilt / relative).read_bytes() == (DEMO_DIR / relative).read_bytes(), relative


# --- Crawling it (the committed snapshot: no Jekyll needed) ------------------------------


@pytest.fixture(scope="module")
def demo_crawl(tmp_path_factory):
    """``make demo`` into a fresh archive: the run report, the stats and the archive."""
    archive = tmp_path_factory.mktemp("demo-archive")
    done = run_scrapy(
        "crawl", "finews", "-a", f"start_url={BASE_URL}",
        "-s", f"REPLAY_SOURCE={DEMO_DIR}", "-s", f"ARCHIVE_DIR={archive}", "-s", "LOG_LEVEL=INFO",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    stats_dump = done.stderr.rpartition("Dumping Scrapy stats:")[2]
    stats = {name: int(value) for name, value in re.findall(r"'([\w/.-]+)': (\d+)", stats_dump)}
    return done.report(archive), stats, archive


def test_demo_crawl_counts(demo_crawl):
    report, stats, _ = demo_crawl
    counts = report["counts"]
    assert counts["archived"] == {"new": EXPECTED_ARCHIVED, "updated": 0, "unchanged": 0}
    assert (counts["found"], counts["duplicate"], counts["dropped"], counts["related"]) == (32, 1, 1, 1)
    assert counts["replay_misses"] == EXPECTED_REPLAY_MISSES
    assert [(d["kind"], {d["id"], d["of"]}) for d in report["duplicates"]] == [("same-body", set(DUPLICATE_IDS))]
    assert [d["reason"] for d in report["dropped"]] == ["raw-front-matter"]
    assert (stats["body_source/upstream"], stats["body_source/mirror"]) == (EXPECTED_UPSTREAM, 1)
    assert (stats["upstream/failed"], stats["replay/miss"], stats["replay/hit"]) == (1, 1, 71)
    assert "upstream/incomplete" not in stats


def test_demo_crawl_writes_the_canonical_post_files(demo_crawl):
    """A post whose original answered is archived exactly as the canonical post file of
    the demo post; the one without keeps the mirror's copy (Jekyll's paragraph breaks)."""
    report, _, archive = demo_crawl
    dropped_duplicate = {d["id"] for d in report["duplicates"]}
    archived = sorted(path.name for path in (archive / "_posts").glob("*.md"))
    assert archived == sorted(post_filename(post) for post in POSTS if post.id not in dropped_duplicate)
    for post in UPSTREAM_POSTS:
        if post.id not in dropped_duplicate:
            written = (archive / "_posts" / post_filename(post)).read_text(encoding="utf-8")
            assert written == render_post(post, ARCHIVE_SITE_URL), post.id
    no_upstream = MEDIA_BY_ID[NO_UPSTREAM_ID]
    mirror_copy = read_post_file(archive / "_posts" / post_filename(no_upstream)).post
    assert mirror_copy.body == no_upstream.body.replace("</p><p", "</p>\n<p")
    assert render_post(mirror_copy, ARCHIVE_SITE_URL) == render_post(
        dataclasses.replace(no_upstream, body=mirror_copy.body), ARCHIVE_SITE_URL
    )
