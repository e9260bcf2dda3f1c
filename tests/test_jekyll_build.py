"""Jekyll builds the archive: every imported post has its page, with the right title
and date, and every category page lists its posts. Needs Debian's jekyll (.ci/run
installs it); skips without it, fails on CI."""

from __future__ import annotations

import os
import shutil
import subprocess
from datetime import datetime, timedelta, timezone

import pytest
from lxml import html

from crawler.items import Post
from pipelines.archive import Archive
from pipelines.postfile import ARCHIVE_TZ, read_post_file, render_post
from tests.conftest import shared_path
from tests.crawl import run_scrapy


def _jekyll() -> str:
    path = shutil.which("jekyll")
    if path is None:
        if os.environ.get("CI"):
            pytest.fail("jekyll is not installed (.ci/run installs Debian's jekyll)")
        pytest.skip("jekyll is not installed: apt-get install jekyll ruby-jekyll-feed")
    return path


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    jekyll = _jekyll()
    archive = tmp_path_factory.mktemp("archive")
    imported = run_scrapy("import-posts", str(shared_path("finews", "posts")), "-s", f"ARCHIVE_DIR={archive}")
    assert imported.returncode == 1, imported.stderr[-3000:]  # 1: the broken post is rejected
    liquid = Post(
        id="NW202601052234250001", title="模板语法测试", date=datetime(2026, 1, 5, 8, 0, tzinfo=timezone(timedelta(hours=8))),
        category="ceshi", tag="测试新闻", body="<p>价格 {{ site.title }} {% include nothing.html %}</p>",
        share_url="http://finews.zning.xyz/html_News/NewsShare.html?infoCode=NW202601052234250001",
    )  # fmt: skip
    (archive / "_posts" / "2026-01-05-NW202601052234250001.md").write_text(render_post(liquid), encoding="utf-8")
    Archive(archive).write_category_page("ceshi", "测试新闻")
    site = tmp_path_factory.mktemp("site")
    done = subprocess.run([jekyll, "build", "-q", "-s", str(archive), "-d", str(site)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return archive, site


def _page(site, path):
    return html.fromstring((site / path.lstrip("/")).read_bytes().decode("utf-8"))


def test_every_post_has_its_page_with_title_and_date(built):
    archive, site = built
    posts = [read_post_file(path).post for path in sorted((archive / "_posts").glob("*.md"))]
    assert len(posts) == 151
    for post in posts:
        local = post.date.astimezone(ARCHIVE_TZ)
        page = _page(site, f"/{post.category}/{local:%Y/%m/%d}/{post.id}.html")
        assert page.xpath("string(//section/h1)") == post.title, post.id
        assert page.xpath("string(//section/small[1])") == f"(GMT+8, Asia/Shanghai, CST) {local:%Y-%m-%d %H:%M:%S}"
        assert page.xpath("string(//meta[@property='article:published_time']/@content)") == local.isoformat()


def test_every_category_page_lists_its_posts(built):
    archive, site = built
    by_category: dict[str, set[str]] = {}
    for path in (archive / "_posts").glob("*.md"):
        post = read_post_file(path).post
        local = post.date.astimezone(ARCHIVE_TZ)
        by_category.setdefault(post.category, set()).add(f"/{post.category}/{local:%Y/%m/%d}/{post.id}.html")
    assert len(by_category) == 12
    for category, urls in by_category.items():
        assert set(_page(site, f"/category/{category}.html").xpath("//section//li/a/@href")) == urls, category


def test_category_pages_are_titled_with_their_tag(built):
    _, site = built
    assert _page(site, "/category/gannanribao.html").xpath("string(//section/h2)") == "赣南日报新闻"


def test_liquid_in_a_body_is_not_executed(built):
    _, site = built
    text = (site / "ceshi/2026/01/05/NW202601052234250001.html").read_text(encoding="utf-8")
    assert "<p>价格 {{ site.title }} {% include nothing.html %}</p>" in text


def test_feed_page_shows_the_latest_20_feed_posts(built):
    _, site = built
    assert len(_page(site, "/emnews/index.html").xpath("//section//li/a")) == 20
