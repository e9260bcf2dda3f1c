"""The ``site`` spider end to end: ``scrapy crawl site`` in a subprocess against a
loopback HTTP server serving invented pages (a demo profile written for the test) and
real corpus pages with the charset trouble the live sites have."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from crawler.sites import html_text
from tests.conftest import shared_path
from tests.crawl import run_scrapy

FAST = [
    "-s", "ROBOTSTXT_OBEY=False", "-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False",
    "-s", "CRAWL_TIME=2021-06-01T12:00:00+08:00", "-s", "RETRY_ENABLED=False",
    # Dates and validation (which drops garbled text), not dedupe and export: items go to -O.
    "-s", 'ITEM_PIPELINES={"pipelines.dates.DateNormalizationPipeline": 100, "pipelines.validate.ValidationPipeline": 200}',
]  # fmt: skip


def _article(title: str, date: str, paragraphs: list[str]) -> str:
    body = "".join(f"<p>{text}</p>" for text in paragraphs)
    return (
        f"<html><head><meta charset='utf-8'><title>{title}_示例网</title></head><body>"
        f"<div class='nav'><a href='/list/'>新闻</a></div><h1 class='headline'>{title}</h1>"
        f"<p class='meta'>{date} 来源：<a href='/m'>示例日报</a></p><div class='story'>{body}</div>"
        "<div class='footer'>版权所有</div></body></html>"
    )


def _listing(items: list[tuple[str, str, str]], next_href: str = "") -> str:
    lis = "".join(f"<li><a href='{href}'>{title}</a><em>{date}</em></li>" for href, title, date in items)
    more = f"<a class='next' href='{next_href}'>下一页</a>" if next_href else ""
    return f"<html><head><meta charset='utf-8'></head><body><ul class='news'>{lis}</ul>{more}</body></html>"


class Site:
    """Pages by path: (content type, bytes)."""

    def __init__(self) -> None:
        self.pages: dict[str, tuple[str, bytes]] = {}
        self.requested: list[str] = []

    def add(self, path: str, html: str | bytes, charset: str = "utf-8") -> None:
        body = html.encode("utf-8") if isinstance(html, str) else html
        self.pages[path] = (f"text/html; charset={charset}", body)


@pytest.fixture(scope="module")
def server() -> Iterator[tuple[str, Site]]:
    site = Site()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802  (http.server's name)
            site.requested.append(self.path)
            page = site.pages.get(self.path)
            if page is None:
                self.send_response(404)
                self.end_headers()
                return
            self.send_response(200)
            self.send_header("Content-Type", page[0])
            self.send_header("Content-Length", str(len(page[1])))
            self.end_headers()
            self.wfile.write(page[1])

        def log_message(self, *args):
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"127.0.0.1:{httpd.server_address[1]}", site
    finally:
        httpd.shutdown()
        httpd.server_close()


DEMO_PROFILE = """
name = "demo"
domains = ["127.0.0.1"]
start_urls = ["http://{host}/list/"]

[urls]
article = ['/news/\\d+\\.html$']
listing = ['/list/(?:\\?p=\\d+)?$']

[article]
title = {{ css = "h1.headline" }}
date = {{ xpath = "//p[@class='meta']/text()", regex = '\\d{{4}}-\\d{{2}}-\\d{{2}} \\d{{2}}:\\d{{2}}' }}
source = {{ css = "p.meta a" }}
body = {{ css = "div.story" }}

[listing]
items = {{ css = "ul.news li" }}
link = {{ css = "a::attr(href)" }}
title = {{ css = "a" }}
date = {{ css = "em" }}
next_page = {{ css = "a.next::attr(href)" }}
"""

OTHER_PROFILE = """
name = "other"
media_name = "别站"
domains = ["localhost"]

[urls]
article = ['/other/\\d+\\.html$']

[article]
title = { css = "h1.headline" }
date = { xpath = "//p[@class='meta']/text()", regex = '\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}' }
body = { css = "div.story" }
"""


def crawl(tmp_path: Path, *args: str, profiles: dict[str, str] | None = None) -> tuple[list[dict], str]:
    out = tmp_path / "items.jsonl"
    extra: list[str] = []
    if profiles is not None:
        profiles_dir = tmp_path / "profiles"
        profiles_dir.mkdir(exist_ok=True)
        for name, text in profiles.items():
            (profiles_dir / f"{name}.toml").write_text(text, encoding="utf-8")
        extra = ["-s", f"SITE_PROFILES_DIR={profiles_dir}"]
    run = run_scrapy("crawl", "site", *args, *FAST, *extra, "-O", f"{out}:jsonlines", timeout=120)
    assert run.returncode == 0, run.stderr[-3000:]
    items = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()] if out.exists() else []
    return items, run.stderr


def test_profile_crawl_follows_listings_pages_and_other_sites(server, tmp_path):
    host, site = server
    port = host.split(":")[1]
    site.add("/list/", _listing([
        ("/news/1.html", "第一篇", "2021-05-01"),
        ("/news/2.html", "第二篇", "2021-05-02"),
        ("https://elsewhere.invalid/x.html", "站外", "2021-05-03"),
        (f"http://localhost:{port}/other/9.html", "别站", "2021-05-04"),
    ], next_href="/list/?p=2"))  # fmt: skip
    site.add("/list/?p=2", _listing([("/news/3.html", "第三篇", "昨天"), ("/news/4.html", "第四篇", "昨天")]))
    site.add("/news/1.html", _article("第一篇新闻", "2021-05-01 08:00", ["第一段正文内容。", "第二段正文内容。"]))
    site.add("/news/2.html", _article("第二篇新闻", "2021-05-02 09:30", ["另一篇的正文。"]))
    # No date on the page: the listing's "昨天" stands in.
    site.add("/news/3.html", _article("第三篇新闻", "", ["第三篇的正文。"]))
    # Text that went through a wrong decoding twice: dropped.
    site.add("/news/4.html", _article("锟斤拷锟斤拷", "2021-05-04 10:00", ["锟斤拷锟斤拷锟斤拷"]))
    site.add("/other/9.html", _article("别站的新闻", "2021-05-04 11:00", ["别站正文。"]))
    profiles = {"demo": DEMO_PROFILE.format(host=host), "other": OTHER_PROFILE}

    items, log = crawl(tmp_path, "-a", "profile=demo", profiles=profiles)

    by_title = {item["title"]: item for item in items}
    assert sorted(by_title) == ["别站的新闻", "第一篇新闻", "第三篇新闻", "第二篇新闻"]
    first = by_title["第一篇新闻"]
    assert (first["id"], first["date_raw"], first["source_media"], first["category"]) == (
        "demo-1",
        "2021-05-01 08:00",
        "示例日报",
        "shiliribao",
    )
    assert first["extractor"] == "profile:demo" and html_text(first["body"]) == "第一段正文内容。 第二段正文内容。"
    assert by_title["第三篇新闻"]["date_raw"] == "昨天"
    assert by_title["第三篇新闻"]["extra"] == {"date_from": "listing"}
    assert by_title["别站的新闻"]["extractor"] == "profile:other"
    assert "'dropped/garbled-text': 1" in log
    assert "'site/links/not-followed': 1" in log
    assert "elsewhere.invalid" not in " ".join(site.requested)


def test_one_url_detects_the_profile_or_reads_generically(server, tmp_path):
    host, site = server
    port = host.split(":")[1]
    site.add("/news/7.html", _article("单篇新闻", "2021-05-07 07:07", ["单篇正文。"]))
    site.add(
        "/plain/8.html",
        _article(
            "无档案网站的新闻标题",
            "2021-05-08 08:08",
            ["这是一段足够长的正文内容，用来让通用提取器找到正文所在的位置。"],
        ),
    )
    profiles = {"demo": DEMO_PROFILE.format(host=host), "other": OTHER_PROFILE.replace("localhost", "other.invalid")}

    items, _ = crawl(tmp_path, "-a", f"url=http://{host}/news/7.html", profiles=profiles)
    assert [(item["title"], item["extractor"]) for item in items] == [("单篇新闻", "profile:demo")]

    items, _ = crawl(tmp_path, "-a", f"url=http://localhost:{port}/plain/8.html", profiles=profiles)
    assert [(item["title"], item["extractor"], item["date_raw"]) for item in items] == [
        ("无档案网站的新闻标题", "generic", "2021-05-08 08:08")
    ]


@pytest.mark.parametrize(
    ("file", "profile", "as_gb18030", "headline"),
    [
        # GB18030 bytes under a GB2312 header, the way the live site sent them
        (
            "hexun/hexun-stock-jiaotongyunshubu-2019-09-26.html",
            "hexun",
            True,
            "交通运输部：着力打造京津冀区域综合立体交通网络",
        ),
        # UTF-8 bytes under a false GB2312 header (and <meta>): the bytes win
        ("people/people-culture-zhengbanqiao-2019-06-15.html", "people", False, "女儿出嫁，郑板桥画了几笔兰花当嫁妆"),
    ],
)
def test_real_pages_with_gb2312_header(server, tmp_path, file, profile, as_gb18030, headline):
    host, site = server
    raw = shared_path("pages", file).read_bytes()
    body = raw.decode("utf-8").encode("gb18030") if as_gb18030 else raw
    path = f"/corpus/{Path(file).name}"
    site.add(path, body, charset="gb2312")
    items, _ = crawl(tmp_path, "-a", f"profile={profile}", "-a", f"url=http://{host}{path}")
    assert len(items) == 1
    assert items[0]["title"] == headline
    assert items[0]["extractor"] == f"profile:{profile}"


def test_bad_arguments(tmp_path):
    run = run_scrapy("crawl", "site", "-a", "profile=no-such-site", *FAST, timeout=60)
    assert run.returncode != 0 and "no site profile 'no-such-site'" in run.stderr
    run = run_scrapy("crawl", "site", *FAST, timeout=60)
    assert run.returncode != 0 and "-a profile=NAME" in run.stderr
