"""EastMoney parsers on the constructed fixtures (tests/fixtures/eastmoney/README.md), and
the format of the posts they make against the real canonical posts of the corpus."""

from __future__ import annotations

import json
import re
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from scrapy import Request
from scrapy.http import HtmlResponse, Response, TextResponse
from scrapy.settings import Settings

from crawler.eastmoney import (
    DEFAULT_FEED_LIST_URLS,
    DEFAULT_MARKET_LIST_URLS,
    DEFAULT_MEDIA_LIST_URLS,
    FeedRecord,
    ListFormatError,
    TextUnavailable,
    apply_upstream,
    article_code_of,
    feed_digest,
    list_urls,
    parse_article_page,
    parse_feed_list,
    parse_market_list,
    parse_media_list,
    parse_text_api,
    share_link_request,
    source_media_of,
    text_api_text,
    text_api_url,
)
from crawler.items import Post
from pipelines.postfile import ARCHIVE_TZ, post_filename, read_post_file, render_post
from pipelines.stock_widgets import strip_stock_widgets

FIXTURES = Path(__file__).parent / "fixtures" / "eastmoney"
SITE = FIXTURES / "site"
EXPECTED = FIXTURES / "expected"

A, B, C = "202206012400000101", "202206012400000202", "202206012400000303"
FEED_LIST, MEDIA_LIST = DEFAULT_FEED_LIST_URLS[0], DEFAULT_MEDIA_LIST_URLS[0]
MARKET_37, MARKET_38, MARKET_39 = DEFAULT_MARKET_LIST_URLS
TEXT = "http://choicewzp1.eastmoney.com/NewsData/GetNewsText.do?id="
A_PAGE = f"http://finance.eastmoney.com/news/1354,{A}.html"
B_PAGE = f"http://stock.eastmoney.com/news/1355,{B}.html"
SHARE = "http://finews.zning.xyz/html_News/NewsShare.html?infoCode="


def fixture_file(url: str, root: Path = SITE) -> Path:
    """The snapshot file of a URL: ``<host>/<path>[?<query>]``, port ignored (as in replay)."""
    parts = urlsplit(url)
    name = parts.path.lstrip("/") + (f"?{parts.query}" if parts.query else "")
    return root / parts.hostname / name


def fetch(url: str, root: Path = SITE) -> Response:
    """The response replay would give: the file, or an empty 404 when it is missing."""
    path = fixture_file(url, root)
    request = Request(url)
    if not path.exists():
        return Response(url, status=404, body=b"", request=request)
    cls = HtmlResponse if urlsplit(url).path.endswith(".html") else TextResponse
    return cls(url, body=path.read_bytes(), encoding="utf-8", request=request)


def api_value(url: str, key: str) -> str:
    return json.loads(fixture_file(url).read_text(encoding="utf-8"))[key]


def with_date(post: Post) -> Post:
    """What the date pipeline does to an API showtime (Beijing wall-clock time)."""
    post.date = datetime.strptime(post.date_raw, "%Y-%m-%d %H:%M:%S").replace(tzinfo=ARCHIVE_TZ)
    return post


def records_by_id(records: list[FeedRecord]) -> dict[str, FeedRecord]:
    return {record.post_id: record for record in records}


# --- endpoints ---------------------------------------------------------------------------------


def test_default_endpoints_are_the_original_scripts():
    settings = Settings()
    assert list_urls(settings, "emnews") == ["http://183.136.162.242/web/webapi?type=102&count=100&newsid=1"]
    assert list_urls(settings, "media") == ["http://183.136.162.242/web/webapi?type=45&count=100&newsid=1"]
    assert list_urls(settings, "market") == [
        f"http://43.240.125.15:1818/information/newmarket/web/webapi?marketType={n}&count=100" for n in (37, 38, 39)
    ]
    assert text_api_url("NW1") == "http://choicewzp1.eastmoney.com/NewsData/GetNewsText.do?id=NW1"


def test_endpoints_follow_settings():
    settings = Settings(
        {
            "EASTMONEY_FEED_LIST_URLS": "http://a.example/list1,http://a.example/list2",
            "EASTMONEY_TEXT_API_URL": "http://proxy.example/text?id={info_code}",
        }
    )
    assert list_urls(settings, "emnews") == ["http://a.example/list1", "http://a.example/list2"]
    assert text_api_url("NW9", settings) == "http://proxy.example/text?id=NW9"


# --- list APIs ---------------------------------------------------------------------------------


def test_feed_list_records():
    records = parse_feed_list(fetch(FEED_LIST))
    assert [r.post_id for r in records] == [A, B, C, ""]
    assert records[0] == FeedRecord(
        feed="emnews",
        info_code="NW" + A,
        post_id=A,
        title="示例科技新型储能项目投产 年产能提升约三成",
        date_raw="2022-06-01 09:30:15",
        category="emnews",
        tag="东财滚动新闻",
        share_url=A_PAGE,
        digest="示例科技6月1日公告，公司位于江城的新型储能项目正式投产，年产能提升约三成。（上海证券报）",
        list_url=FEED_LIST,
    )
    assert records[1].digest == ""  # the feed gave no digest
    assert records[1].share_url == B_PAGE
    assert records[2].digest == "示例港口集团发布5月数据，集装箱吞吐量同比增长约一成。"
    assert [r.problem for r in records] == ["", "", "", "missing infoCode"]


def test_media_list_records():
    records = parse_media_list(fetch(MEDIA_LIST))
    assert records == [
        FeedRecord(
            feed="media",
            info_code="NW" + A,
            post_id="NW" + A,
            title="示例科技新型储能项目投产 年产能提升约三成",
            date_raw="2022-06-01 09:30:15",
            category="shanghaizhengquanbao",
            tag="上海证券报新闻",
            share_url=SHARE + "NW" + A,
            media="上海证券报",
            list_url=MEDIA_LIST,
        ),
        FeedRecord(
            feed="media",
            info_code="NW202206012400000606",
            post_id="NW202206012400000606",
            title="江城启动夏季消费季活动",
            date_raw="2022-06-01 08:00:05",
            category="jiangchengribao",
            tag="江城日报新闻",
            share_url=SHARE + "NW202206012400000606",
            media="江城日报",
            list_url=MEDIA_LIST,
        ),
    ]


def test_media_list_slug_overrides_and_share_url_setting():
    settings = Settings({"EASTMONEY_SHARE_URL": "https://mirror.example/share?c={info_code}"})
    records = parse_media_list(fetch(MEDIA_LIST), settings, {"江城日报": "jcrb"})
    assert [(r.category, r.tag, r.share_url) for r in records] == [
        ("shanghaizhengquanbao", "上海证券报新闻", "https://mirror.example/share?c=NW" + A),
        ("jcrb", "江城日报新闻", "https://mirror.example/share?c=NW202206012400000606"),
    ]


def test_market_list_records():
    records = parse_market_list(fetch(MARKET_37))
    assert [(r.feed, r.post_id, r.media, r.category, r.tag, r.date_raw, r.title, r.problem) for r in records] == [
        ("market", "NW202206012400000404", "证券时报", "zhengquanshibao", "证券时报新闻", "2022-06-01 11:12:13",
         "示例银行发布二季度理财产品收益报告", ""),
        ("market", "NW202206012400000505", "中国基金报", "zhongguojijinbao", "中国基金报新闻", "2022-06-01 11:30:00",
         "示例基金公司调整旗下产品费率", ""),
    ]  # fmt: skip
    assert parse_market_list(fetch(MARKET_38)) == []
    assert parse_market_list(fetch(MARKET_39)) == []  # "record": null


@pytest.mark.parametrize(
    "body, message",
    [
        (b"<html>busy</html>", "not JSON"),
        (b'{"data": []}', "no 'records' list"),
        (b'{"records": "none"}', "'records' is not a list"),
        (b"[]", "no 'records' list"),
    ],
)
def test_unreadable_lists_raise(body, message):
    with pytest.raises(ListFormatError, match=message):
        parse_feed_list(TextResponse(FEED_LIST, body=body, encoding="utf-8"))


def test_records_missing_fields_name_them():
    body = '{"nodeList": [{"from": "", "infocode": "NW1", "title": "t", "showtime": "2022-06-01 08:00:00"},' \
        ' {"from": "某报", "infocode": "", "title": "", "showtime": ""}]}'  # fmt: skip
    records = parse_media_list(TextResponse(MEDIA_LIST, body=body.encode(), encoding="utf-8"))
    assert [r.problem for r in records] == ["missing from", "missing infoCode, title, showtime"]


@pytest.mark.parametrize(
    "raw, digest",
    [
        ("【标题】正文摘要。（财联社）", "正文摘要。（财联社）"),
        ("【标题】【附】第二段", "第二段"),  # after the LAST 】, as the original did
        ("没有书名号的摘要", "没有书名号的摘要"),
        ("【只有标题】", ""),
        ("", ""),
        (None, ""),
        ("【标题】第一行\n第二行 ", "第一行 第二行"),  # the > line of a post is one line
    ],
)
def test_feed_digest(raw, digest):
    assert feed_digest(raw) == digest


# --- text API ----------------------------------------------------------------------------------


def test_text_api_emnews_post():
    record = records_by_id(parse_feed_list(fetch(FEED_LIST)))[A]
    post = parse_text_api(fetch(TEXT + "NW" + A), record)
    assert post == Post(
        id=A,
        title="示例科技新型储能项目投产 年产能提升约三成",
        date_raw="2022-06-01 09:30:15",
        category="emnews",
        tag="东财滚动新闻",
        body=api_value(TEXT + "NW" + A, "content"),
        digest="示例科技6月1日公告，公司位于江城的新型储能项目正式投产，年产能提升约三成。（上海证券报）",
        share_url=A_PAGE,
        url=TEXT + "NW" + A,
        article_key=A,
        body_source="feed-api",
        source_media="上海证券报",  # from the closing em_media paragraph, widget text kept
        extractor="eastmoney-text-api",
        extra={"list_url": FEED_LIST, "info_code": "NW" + A, "feed": "emnews"},
    )
    assert post.body.endswith("报）</p>") and "keytip" in post.body  # as published, widgets kept


def test_text_api_media_post_takes_the_text_key():
    record = records_by_id(parse_media_list(fetch(MEDIA_LIST)))["NW" + A]
    post = parse_text_api(fetch(TEXT + "NW" + A), record)
    assert post.body == api_value(TEXT + "NW" + A, "text")
    assert (post.id, post.article_key, post.digest, post.category, post.tag, post.source_media) == (
        "NW" + A, A, None, "shanghaizhengquanbao", "上海证券报新闻", "上海证券报",
    )  # fmt: skip
    assert post.share_url == SHARE + "NW" + A


def test_text_api_plain_text_feed_post():
    record = records_by_id(parse_feed_list(fetch(FEED_LIST)))[B]
    post = parse_text_api(fetch(TEXT + "NW" + B), record)
    assert (post.body, post.digest, post.source_media) == (
        "示例市监局发布夏季用电安全提示，提醒商户定期检查线路、规范使用大功率电器。（财联社）", "", "",
    )  # fmt: skip


def test_text_api_failures_give_none_with_a_reason():
    feed = records_by_id(parse_feed_list(fetch(FEED_LIST)))
    market = records_by_id(parse_market_list(fetch(MARKET_37)))
    missing = fetch(TEXT + "NW" + C)
    empty = fetch(TEXT + "NW202206012400000505")
    assert parse_text_api(missing, feed[C]) is None
    assert parse_text_api(empty, market["NW202206012400000505"]) is None
    with pytest.raises(TextUnavailable, match="HTTP 404"):
        text_api_text(missing)
    with pytest.raises(TextUnavailable, match="empty content"):
        text_api_text(empty, prefer="text")
    with pytest.raises(TextUnavailable, match="not JSON"):
        text_api_text(TextResponse(TEXT + "x", body=b"<html></html>", encoding="utf-8"))
    with pytest.raises(TextUnavailable, match="empty content"):
        text_api_text(TextResponse(TEXT + "x", body=b'{"content": "  \\n"}', encoding="utf-8"))


def test_text_api_reads_gb18030_and_bytes_without_content_type():
    body = '{"text": "<p>示例正文</p>"}'
    assert text_api_text(Response(TEXT + "x", body=body.encode("gb18030")), prefer="text") == "<p>示例正文</p>"
    assert text_api_text(Response(TEXT + "x", body=body.encode("utf-8")), prefer="text") == "<p>示例正文</p>"


def test_source_media_of():
    assert source_media_of('<p>x</p><p class="em_media">（文章来源：江城日报）</p>') == "江城日报"
    assert source_media_of("plain text（财联社）") == ""


# --- article pages -----------------------------------------------------------------------------


def test_article_page_with_abstract():
    post = parse_article_page(fetch(A_PAGE))
    assert (post.id, post.title, post.date_raw, post.source_media, post.category, post.tag) == (
        A, "示例科技新型储能项目投产 年产能提升约三成", "2022年06月01日 09:30", "上海证券报", "emnews", "东财滚动新闻",
    )  # fmt: skip
    # The body as published in #ContentBody, through the source line: the same bytes the
    # text API gives; the editor line after it is page furniture.
    assert post.body == api_value(TEXT + "NW" + A, "content")
    assert post.digest == "示例科技6月1日公告，公司位于江城的新型储能项目正式投产，年产能提升约三成。（上海证券报）"
    assert (post.share_url, post.url, post.body_source, post.extractor) == (
        A_PAGE, A_PAGE, "upstream", "eastmoney-article-page",
    )  # fmt: skip


def test_article_page_without_abstract():
    post = parse_article_page(fetch(B_PAGE))
    assert (post.id, post.date_raw, post.source_media, post.digest) == (B, "2022年06月01日 10:05", "财联社", "")
    assert post.body == (
        "<p>示例市监局发布夏季用电安全提示，提醒商户定期检查线路、规范使用大功率电器。（财联社）</p>"
        '<p class="em_media">（文章来源：财联社）</p>'
    )


def test_pages_that_are_not_articles_give_none():
    assert parse_article_page(fetch(SHARE + "NW202206012400000404")) is None  # script shell
    assert parse_article_page(fetch(f"http://finance.eastmoney.com/a/{C}.html")) is None  # 404
    page = fetch(A_PAGE)
    assert parse_article_page(page.replace(url="http://example.com/news/1354,202206012400000101.html")) is None
    no_body = page.replace(body=re.sub(rb'id="ContentBody"', b'id="Other"', page.body))
    assert parse_article_page(no_body) is None


@pytest.mark.parametrize(
    "url, code",
    [
        (f"http://finance.eastmoney.com/a/{A}.html", A),
        (f"https://finance.eastmoney.com/news/1354,{A}.html", A),
        (f"http://hk.eastmoney.com/news/11060,{A}.html", A),
        (f"http://finance.eastmoney.com/news/1354,{A}.html?from=share", A),
        (f"http://eastmoney.com.example.org/a/{A}.html", ""),
        (f"http://finance.eastmoney.com/a/{A}1.html", ""),
        ("http://finance.eastmoney.com/", ""),
    ],
)
def test_article_code_of(url, code):
    assert article_code_of(url) == code


# --- share links -------------------------------------------------------------------------------


def test_share_link_request_for_a_share_page_asks_the_text_api():
    request = share_link_request(SHARE + "NW202206012400000404", Settings(), {"post_id": "x"})
    assert request.url == TEXT + "NW202206012400000404"
    assert request.meta == {"post_id": "x", "eastmoney_share_url": SHARE + "NW202206012400000404"}
    other_host = "http://choicewzp1.eastmoney.com/html_News/NewsShare.html?infoCode=NW1"
    assert share_link_request(other_host, Settings(), {}).url == TEXT + "NW1"
    proxied = Settings({"EASTMONEY_TEXT_API_URL": "http://proxy.example/t?id={info_code}"})
    assert share_link_request(other_host, proxied, {}).url == "http://proxy.example/t?id=NW1"


def test_share_link_request_for_an_article_page_and_others():
    def callback(response):
        return None

    request = share_link_request(A_PAGE, Settings(), {}, callback=callback)
    assert (request.url, request.callback) == (A_PAGE, callback)
    assert share_link_request("http://example.com/a/1.html", Settings(), {}) is None
    assert share_link_request("", Settings(), {}) is None
    assert share_link_request("http://finews.zning.xyz/html_News/NewsShare.html", Settings(), {}) is None


def mirror_post(**fields) -> Post:
    base = {
        "title": "标题",
        "category": "emnews",
        "tag": "东财滚动新闻",
        "body": "<p>镜像正文</p>",
        "url": "http://mirror/x",
    }
    return Post(**{**base, **fields})


def test_apply_upstream_text_api():
    post = mirror_post(id="NW" + A, digest=None, category="shanghaizhengquanbao", share_url=SHARE + "NW" + A)
    upstream = apply_upstream(post, fetch(TEXT + "NW" + A))
    assert upstream.body == api_value(TEXT + "NW" + A, "text")
    assert (upstream.digest, upstream.body_source, upstream.extractor, upstream.extra) == (
        None, "upstream", "eastmoney-text-api", {"upstream_url": TEXT + "NW" + A},
    )  # fmt: skip
    assert (upstream.id, upstream.url, upstream.title) == ("NW" + A, "http://mirror/x", "标题")
    assert post.body == "<p>镜像正文</p>"  # the mirror's post is not changed


def test_apply_upstream_article_page_takes_body_and_digest():
    post = mirror_post(id=A, digest="镜像摘要", share_url=A_PAGE)
    upstream = apply_upstream(post, fetch(A_PAGE))
    assert upstream.body == api_value(TEXT + "NW" + A, "content")
    assert upstream.digest == "示例科技6月1日公告，公司位于江城的新型储能项目正式投产，年产能提升约三成。（上海证券报）"
    # A page without an abstract keeps the mirror's digest.
    no_abstract = apply_upstream(mirror_post(id=B, digest="镜像摘要", share_url=B_PAGE), fetch(B_PAGE))
    assert (no_abstract.digest, no_abstract.body_source) == ("镜像摘要", "upstream")


def test_apply_upstream_incomplete_answers_give_none():
    feed_post = mirror_post(id=C, digest="", share_url=f"http://finance.eastmoney.com/news/1350,{C}.html")
    assert apply_upstream(feed_post, fetch(TEXT + "NW" + C)) is None  # 404
    assert apply_upstream(feed_post, fetch(f"http://finance.eastmoney.com/news/1350,{C}.html")) is None
    assert apply_upstream(mirror_post(id="NW202206012400000505"), fetch(TEXT + "NW202206012400000505")) is None
    assert apply_upstream(mirror_post(id=B, digest=""), fetch(A_PAGE)) is None  # another article's page
    assert apply_upstream(mirror_post(id="NW202206012400000404"), fetch(SHARE + "NW202206012400000404")) is None


# --- the posts' format -------------------------------------------------------------------------


def fixture_posts() -> list[Post]:
    feed = records_by_id(parse_feed_list(fetch(FEED_LIST)))
    media = records_by_id(parse_media_list(fetch(MEDIA_LIST)) + parse_market_list(fetch(MARKET_37)))
    records = [feed[A], feed[B], media["NW" + A], media["NW202206012400000606"], media["NW202206012400000404"]]
    posts = [parse_text_api(fetch(TEXT + record.info_code), record) for record in records]
    retry = parse_text_api(fetch(TEXT + "NW" + C, FIXTURES / "retry"), feed[C])
    return [with_date(post) for post in [*posts, retry]]


def test_rendered_posts_equal_the_expected_files():
    posts = fixture_posts()
    assert sorted(post_filename(post) for post in posts) == sorted(path.name for path in EXPECTED.glob("*.md"))
    for post in posts:
        assert render_post(post).encode("utf-8") == (EXPECTED / post_filename(post)).read_bytes(), post.id


# The canonical layouts of the corpus, with the values that vary left open.
_FRONT = r'---\nlayout: post\ntitle: "[^"\n]+"\ndate: \d{4}-\d\d-\d\d \d\d:\d\d:\d\d \+0800\n'
_SITE = r"//finews\.withounder\.com"
LAYOUTS = {
    "emnews-digest": re.compile(
        _FRONT + r"categories: emnews\ntags: 东财滚动新闻\n---\n> [^\n]+\n\n(?:.|\n)+\n\n"
        r"<http://[a-z]+\.eastmoney\.com/news/\d+,\d{18}\.html>\n\n"
        rf"\[返回东财滚动新闻\]\({_SITE}/emnews/\)｜\[返回首页\]\({_SITE}/\)"
    ),
    "emnews-no-digest": re.compile(
        _FRONT + r"categories: emnews\ntags: 东财滚动新闻\n---\n\n[^>\n](?:.|\n)*\n\n"
        r"<http://[a-z]+\.eastmoney\.com/news/\d+,\d{18}\.html>\n\n"
        rf"\[返回东财滚动新闻\]\({_SITE}/emnews/\)｜\[返回首页\]\({_SITE}/\)"
    ),
    "media": re.compile(
        _FRONT + r"categories: (?P<slug>[a-z0-9]+)\ntags: (?P<tag>\w+新闻)\n---\n<p[ >](?:.|\n)+</p>\n\n"
        r"<http://finews\.zning\.xyz/html_News/NewsShare\.html\?infoCode=NW\d{18}>\n\n"
        rf"\[返回(?P=tag)\]\({_SITE}/category/(?P=slug)\.html\)｜\[返回首页\]\({_SITE}/\)"
    ),
}
CANONICAL = {
    "emnews-digest": "2022-05-26-202205262391921712.md",
    "emnews-no-digest": "2021-12-08-202112082206885192.md",
    "media": "2022-01-03-NW202201032234253198.md",
}
EXPECTED_LAYOUT = {
    f"2022-06-01-{A}.md": "emnews-digest",
    f"2022-06-01-{C}.md": "emnews-digest",
    f"2022-06-01-{B}.md": "emnews-no-digest",
    f"2022-06-01-NW{A}.md": "media",
    "2022-06-01-NW202206012400000606.md": "media",
    "2022-06-01-NW202206012400000404.md": "media",
}


def test_expected_files_have_the_layout_of_the_corpus_canonical_posts(corpus_posts_dir):
    for layout, name in CANONICAL.items():
        text = (corpus_posts_dir / name).read_text(encoding="utf-8")
        assert LAYOUTS[layout].fullmatch(text), f"corpus {name} is not {layout}"
    for name, layout in EXPECTED_LAYOUT.items():
        text = (EXPECTED / name).read_text(encoding="utf-8")
        assert LAYOUTS[layout].fullmatch(text), f"expected {name} is not {layout}"
        others = [other for other in LAYOUTS if other != layout]
        assert not any(LAYOUTS[other].fullmatch(text) for other in others)


def post_shape(text: str) -> tuple[list[str], list[str]]:
    """The front matter keys in order, and the kinds of the lines after it (a run of
    body lines counted once)."""
    lines = text.split("\n")
    end = lines.index("---", 1)
    keys = [line.split(":", 1)[0] for line in lines[1:end]]

    def kind(line: str) -> str:
        if not line:
            return "blank"
        for prefix, name in (("> ", "digest"), ("<http", "share"), ("[返回", "nav")):
            if line.startswith(prefix):
                return name
        return "body"

    kinds = [kind(line) for line in lines[end + 1 :]]
    return keys, [k for i, k in enumerate(kinds) if not (k == "body" and i and kinds[i - 1] == "body")]


def test_expected_files_have_the_lines_of_the_corpus_canonical_posts(corpus_posts_dir):
    """Line by line: the same front matter keys in the same order, the same places for
    blank lines, the lead, the body, the share link and the nav line."""
    assert post_shape((corpus_posts_dir / CANONICAL["emnews-digest"]).read_text(encoding="utf-8")) == (
        ["layout", "title", "date", "categories", "tags"],
        ["digest", "blank", "body", "blank", "share", "blank", "nav"],
    )
    for name, layout in EXPECTED_LAYOUT.items():
        mine = post_shape((EXPECTED / name).read_text(encoding="utf-8"))
        assert mine == post_shape((corpus_posts_dir / CANONICAL[layout]).read_text(encoding="utf-8")), name


def _json(data) -> bytes:
    return json.dumps(data, ensure_ascii=False).encode("utf-8")


def test_corpus_media_post_is_what_the_media_parser_would_write(corpus_posts_dir):
    """The corpus's own media post rebuilt from the fields a media record gives: the
    record -> post mapping (slug, tag, share URL, id, date) is the original script's."""
    source = corpus_posts_dir / "2022-01-03-NW202201032234253198.md"
    real = read_post_file(source).post
    entry = {
        "from": "赣南日报",
        "infocode": "NW202201032234253198",
        "title": real.title,
        "showtime": "2022-01-03 06:53:37",
    }
    (record,) = parse_media_list(TextResponse(MEDIA_LIST, body=_json({"nodeList": [entry]}), encoding="utf-8"))
    answer = TextResponse(TEXT + record.info_code, body=_json({"text": real.body}), encoding="utf-8")
    post = with_date(parse_text_api(answer, record))
    assert post_filename(post) == source.name
    assert render_post(post).encode("utf-8") == source.read_bytes()


def test_corpus_emnews_post_is_what_the_feed_parser_would_write(corpus_posts_dir):
    source = corpus_posts_dir / "2022-05-26-202205262391921712.md"
    real = read_post_file(source).post
    entry = {
        "title": real.title,
        "digest": f"【{real.title}】{real.digest}",
        "id": "202205262391921712",
        "url_w": real.share_url,
        "showtime": "2022-05-26 00:19:55",
        "infoCode": "NW202205262391921712",
    }
    (record,) = parse_feed_list(TextResponse(FEED_LIST, body=_json({"records": [entry]}), encoding="utf-8"))
    answer = TextResponse(TEXT + "NW202205262391921712", body=_json({"content": real.body}), encoding="utf-8")
    post = with_date(parse_text_api(answer, record))
    assert post_filename(post) == source.name
    assert render_post(post).encode("utf-8") == source.read_bytes()


def test_content_and_text_keys_differ_only_by_widgets():
    content, text = api_value(TEXT + "NW" + A, "content"), api_value(TEXT + "NW" + A, "text")
    assert content != text
    assert strip_stock_widgets(content) == strip_stock_widgets(text)


def test_showtime_normalises_to_the_post_date():
    dates = pytest.importorskip("pipelines.dates")
    if not hasattr(dates, "normalize_date"):
        pytest.skip("pipelines.dates.normalize_date not written yet")
    crawled = datetime(2022, 6, 1, 12, 0, tzinfo=ARCHIVE_TZ)
    for post in fixture_posts():
        parsed = dates.normalize_date(post.date_raw, crawled)
        assert parsed.value == post.date and not parsed.date_only
    page = parse_article_page(fetch(A_PAGE))
    assert dates.normalize_date(page.date_raw, crawled).value == datetime(2022, 6, 1, 9, 30, tzinfo=ARCHIVE_TZ)
