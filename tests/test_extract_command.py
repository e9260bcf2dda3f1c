"""``scrapy extract`` in a subprocess, on every page of ../shared/corpus/pages and on
small invented pages."""

from __future__ import annotations

import json
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from crawler.sites import html_text
from pipelines.dates import normalize_date
from tests.conftest import shared_path
from tests.crawl import run_scrapy
from tests.test_site_profiles import (
    ARTICLES,
    SOURCES_NOT_IN_MANIFEST,
    manifest_date_string,
    manifest_rows,
    manifest_source,
)

CRAWL_TIME = "2021-01-01T12:00:00+08:00"
CRAWLED_AT = datetime(2021, 1, 1, 12, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def extract(*args: str) -> tuple[int, list[dict], str]:
    run = run_scrapy("extract", *args, timeout=120)
    records = [json.loads(line) for line in run.stdout.splitlines() if line.strip()]
    return run.returncode, records, run.stderr


@pytest.fixture(scope="module")
def corpus_records() -> dict[str, dict]:
    """One run over every saved page, site recognised from the page itself."""
    rows = [row for row in manifest_rows() if row["file"].endswith(".html")]
    files = [str(shared_path("pages", row["file"])) for row in rows]
    code, records, stderr = extract(*files, "--crawl-time", CRAWL_TIME)
    assert code == 0, stderr
    assert len(records) == len(files)
    return {row["file"]: record for row, record in zip(rows, records, strict=True)}


def test_every_article_page(corpus_records):
    for row in manifest_rows():
        if row["kind"] != "article":
            continue
        record = corpus_records[row["file"]]
        headline, first, last = ARTICLES[row["file"]]
        expected_source = manifest_source(row["source_media"])
        expected_date = normalize_date(manifest_date_string(row["pubdate_string_as_on_page"]), CRAWLED_AT)
        assert record["extractor"] == f"profile:{row['site']}", row["file"]
        assert record["title"] == headline
        assert record["source"] == SOURCES_NOT_IN_MANIFEST.get(row["file"], expected_source)
        assert record["date"] == expected_date.value.isoformat()
        assert record["date"].endswith("+08:00")
        text = html_text(record["body"])
        assert (text[:20], text[-20:]) == (first, last), row["file"]
        assert record["file"].endswith(row["file"])
        # Only thepaper-nansha carries U+FFFD of its own (emoji the publisher lost).
        expected_garbled = "replacement-character" if "nansha" in row["file"] else None
        assert record["garbled"] == expected_garbled


def test_urls_come_from_the_page_when_it_names_one(corpus_records):
    assert corpus_records["ifeng/ifeng-nvtong-2019-11-25.html"]["url"] == "https://news.ifeng.com/c/7rtKNyg6PU9"
    assert corpus_records["ifeng/ifeng-nvtong-2019-11-25.html"]["id"] == "ifeng-7rtKNyg6PU9"
    assert corpus_records["stcn/stcn-wujiangonggao-tianqi-2019-09-26.html"]["url"].startswith("file://")


def test_listing_pages(corpus_records):
    readhub = corpus_records["readhub/readhub-topic-listing-2019-09-07.html"]
    assert readhub["kind"] == "listing" and readhub["extractor"] == "profile:readhub"
    assert len(readhub["links"]) == 3
    assert {link["date"] for link in readhub["links"]} == {"2020-12-31T00:00:00+08:00"}  # 昨天
    rolling = corpus_records["163/163-news-rolling-listing-2020-08-02.html"]
    assert rolling["kind"] == "listing" and len(rolling["links"]) == 29


def test_listing_dates_against_the_crawl_time():
    page = shared_path("pages", "163/163-news-rolling-listing-2020-08-02.html")
    code, records, stderr = extract(
        str(page), "--url", "https://news.163.com/", "--crawl-time", "2020-08-02T16:30:00+08:00"
    )
    assert code == 0, stderr
    links = records[0]["links"]
    assert links[0]["date_raw"] == "30分钟前" and links[0]["date"] == "2020-08-02T16:00:00+08:00"
    assert all(link["date"] for link in links)


def test_url_and_site_options():
    page = shared_path("pages", "people/people-culture-zhengbanqiao-2019-06-15.html")
    url = "http://culture.people.com.cn/n1/2019/0615/c1013-31153719.html"
    code, records, stderr = extract(str(page), "--url", url, "--crawl-time", CRAWL_TIME)
    assert code == 0, stderr
    assert (records[0]["url"], records[0]["id"], records[0]["category"]) == (
        url,
        "people-c1013-31153719",
        "renminwangwenhuapindao",
    )
    code, records, _ = extract(str(page), "--site", "people", "--crawl-time", CRAWL_TIME)
    assert records[0]["extractor"] == "profile:people"


INVENTED = """<html><head><meta charset="gb2312"><title>示例公司发布年度报告_示例财经网</title></head>
<body><div class="nav"><a href="/">首页</a> <a href="/a">新闻</a> <a href="/b">市场</a></div>
<div class="main"><h1>示例公司发布年度报告</h1>
<div class="info">2021-03-04 05:06 来源：示例日报</div>
<div class="content"><p>示例公司今日发布年度报告，全年营业收入同比增长百分之十二，净利润保持稳定。</p>
<p>公司表示，将继续加大研发投入，拓展海外市场，并计划在下半年推出新的产品线。</p>
<p>分析人士认为，公司的现金流状况良好，负债率处于行业较低水平，经营较为稳健。</p></div>
<div class="related"><a href="/1">相关新闻一</a><a href="/2">相关新闻二</a></div></div>
<div class="footer">版权所有 示例财经网</div></body></html>"""


def test_generic_path_on_a_page_without_profile(tmp_path):
    page = tmp_path / "invented.html"
    page.write_bytes(INVENTED.encode("gb18030"))  # as GB bytes, the way its <meta> says
    code, records, stderr = extract(str(page), "--url", "https://news.shili.com/2021/0304/123.html",
                                    "--crawl-time", "2021-06-01T00:00:00+08:00")  # fmt: skip
    assert code == 0, stderr
    record = records[0]
    assert record["extractor"] == "generic"
    assert record["title"] == "示例公司发布年度报告"
    assert (record["date"], record["source"], record["id"]) == ("2021-03-04T05:06:00+08:00", "示例日报", "shili-123")
    text = html_text(record["body"])
    assert text.startswith("示例公司今日发布年度报告") and text.endswith("经营较为稳健。")
    assert "相关新闻" not in text and "版权所有" not in text


def test_bad_invocations(tmp_path):
    page = tmp_path / "a.html"
    page.write_text("<html><body><h1>标题</h1></body></html>", encoding="utf-8")
    code, _, stderr = extract(str(page), "--site", "no-such-site")
    assert code != 0 and "no profile 'no-such-site'" in stderr
    code, _, stderr = extract(str(page), str(page), "--url", "https://a.example/")
    assert code != 0 and "one FILE" in stderr
    code, _, stderr = extract(str(page), "--crawl-time", "yesterday")
    assert code != 0 and "ISO 8601" in stderr
    code, records, stderr = extract(str(tmp_path / "missing.html"), str(page), "--crawl-time", CRAWL_TIME)
    assert code == 1 and "no such file" in stderr and len(records) == 1
