"""crawler.pages.finews on the real Jekyll mirror of the finews archive (../shared) and on
small invented pages.

Real pages are parsed once at module level; every post page of the mirror is then
checked against the source post it was built from."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from scrapy.http import HtmlResponse, XmlResponse

from crawler.items import Post
from crawler.pages.finews import (
    FeedEntry,
    NotAPost,
    feed_entries,
    is_post_url,
    listing_links,
    parse_post_page,
    post_url_parts,
)
from pipelines.postfile import ARCHIVE_TZ, read_post_file
from tests.conftest import shared_path
from tests.corpus import text_key, text_of

SITE = "https://finews.withounder.com"


def _shared_or_none(*parts: str) -> Path | None:
    """``shared_path`` at import time: None when the data is absent (the tests that need
    it skip), while on CI the failure ``shared_path`` raises still fails the run."""
    try:
        return shared_path(*parts)
    except pytest.skip.Exception:
        return None


MIRROR = _shared_or_none("finews", "mirror", "finews.withounder.com")
POSTS = _shared_or_none("finews", "posts")
needs_corpus = pytest.mark.skipif(
    MIRROR is None or POSTS is None, reason="shared corpus data not found (set FINEWS_SHARED_DIR)"
)


def html_response(rel: str, body: bytes) -> HtmlResponse:
    return HtmlResponse(url=f"{SITE}/{rel}", body=body, encoding="utf-8")


def mirror_page(rel: str) -> HtmlResponse | None:
    return html_response(rel, (MIRROR / rel).read_bytes()) if MIRROR else None


def parsed(rel: str):
    return parse_post_page(mirror_page(rel)) if MIRROR else None


# --- A few real pages, parsed once -----------------------------------------------------

FEED_DIGEST = parsed("emnews/2022/05/26/202205262391921712.html")  # digest blockquote, html body
MEDIA = parsed("cailianshe/2022/05/31/NW202205312398034850.html")  # media post, NewsShare link
EMPTY_SHARE = parsed("emnews/2021/12/08/202112082206870651.html")  # "<>" share, two-line "../" nav
OLD_NAV = parsed("emnews/2021/12/08/202112082206672930.html")  # two-line nav to finews.zning.me
NO_NAV = parsed("emnews/2021/12/08/202112082206704122.html")  # share link, no nav
SITE_INIT = parsed("sitenews/2021/12/01/init.html")  # no share link, no nav
RAW = parsed("2021/12/08/202112082206703990.html")  # front matter Jekyll did not parse


@needs_corpus
def test_feed_digest_title():
    assert FEED_DIGEST.title == "国内首次！蔚来汽车启用这款“绿色”制冷液 哪些A股公司早有布局？"


@needs_corpus
def test_feed_digest_date():
    assert FEED_DIGEST.date_raw == "2022-05-26 00:19:55"
    assert FEED_DIGEST.date == datetime(2022, 5, 26, 0, 19, 55, tzinfo=ARCHIVE_TZ)


@needs_corpus
def test_feed_digest_url_fields():
    assert (FEED_DIGEST.category, FEED_DIGEST.id) == ("emnews", "202205262391921712")
    assert FEED_DIGEST.url == f"{SITE}/emnews/2022/05/26/202205262391921712.html"


@needs_corpus
def test_feed_digest_tag():
    assert FEED_DIGEST.tag == "东财滚动新闻"


@needs_corpus
def test_feed_digest_share_url():
    assert FEED_DIGEST.share_url == "http://finance.eastmoney.com/news/1354,202205262391921712.html"


@needs_corpus
def test_feed_digest_digest():
    assert FEED_DIGEST.digest.startswith("据霍尼韦尔官网消息，5月24日，霍尼韦尔宣布为蔚来")
    assert FEED_DIGEST.digest.endswith("成为国内首家使用HFO-1234yf制冷剂的汽车企业。（上海证券报）")


@needs_corpus
def test_feed_digest_body():
    body = text_of(FEED_DIGEST.body)
    assert body[:30] == "国内首款使用超低GWP(全球变暖潜值)制冷剂的新能源汽车来了"
    assert body[-30:] == "已有少量销售，主要应用于空调领域。 （文章来源：上海证券报）"
    assert "<blockquote>" not in FEED_DIGEST.body


@needs_corpus
def test_feed_digest_body_is_the_pages_own_html():
    assert FEED_DIGEST.body.startswith('<p style="display:none;height:1px;overflow:hidden;"><br /></p>\n')
    assert FEED_DIGEST.body.endswith('<span id="bkquote_90.BK0473"></span>报）</p>')


@needs_corpus
def test_feed_digest_provenance():
    assert (FEED_DIGEST.body_source, FEED_DIGEST.extractor) == ("mirror", "finews")


@needs_corpus
def test_media_fields():
    assert MEDIA.title == "消费电子股大爆发！旺季迎来需求复苏 业绩兑现成关键 关注电子板块两主线"
    assert MEDIA.date_raw == "2022-05-31 18:03:41"
    assert (MEDIA.category, MEDIA.id, MEDIA.tag) == ("cailianshe", "NW202205312398034850", "财联社新闻")


@needs_corpus
def test_media_share_url():
    assert MEDIA.share_url == "http://finews.zning.xyz/html_News/NewsShare.html?infoCode=NW202205312398034850"


@needs_corpus
def test_media_has_no_digest():
    assert MEDIA.digest is None


@needs_corpus
def test_media_body():
    body = text_of(MEDIA.body)
    assert body[:30] == "今日(5月31日)，三大指数集体走高，其中，创业板指大涨超2"
    assert body[-30:] == "科技、传音控股、东山精密、横店东磁等。 （文章来源：财联社）"
    assert "返回" not in MEDIA.body and "NewsShare" not in MEDIA.body


@needs_corpus
def test_empty_share_line_is_not_body():
    assert EMPTY_SHARE.share_url == ""
    assert EMPTY_SHARE.body == (
        "<p>2021年12月8日讯，财政部2年期续发国债中标利率为2.4576%，边际利率为2.4823%，"
        "全场倍数为3.7，边际倍数为2.2。(东方财富Choice数据)</p>"
    )


@needs_corpus
def test_feed_post_without_digest_gets_empty_digest():
    assert EMPTY_SHARE.digest == ""
    assert EMPTY_SHARE.title == "财政部两期国债中标结果出炉（12-08）"


@needs_corpus
def test_date_line_shows_what_jekyll_made_of_a_date_without_offset():
    # The source says "2021-12-08 11:39:16" (no offset); Jekyll read it as UTC.
    assert EMPTY_SHARE.date_raw == "2021-12-08 19:39:16"


@needs_corpus
def test_two_line_nav_to_old_domain_is_stripped():
    assert OLD_NAV.share_url == "http://finance.eastmoney.com/news/11060,202112082206672930.html"
    assert OLD_NAV.body == "<p>离岸人民币兑美元升至6.3512，为2018年以来最高水平。</p>"


@needs_corpus
def test_page_without_nav():
    assert NO_NAV.share_url == "http://finance.eastmoney.com/news/1344,202112082206704122.html"
    body = text_of(NO_NAV.body)
    assert body[:30] == "摩根士丹利分析师Katy Huberty维持了对苹果的“增持"
    assert body[-30:] == "新收盘价高近17%)，和韦德布什给出的目标价并列华尔街最高。"


@needs_corpus
def test_site_post_without_share_link():
    assert (SITE_INIT.title, SITE_INIT.category, SITE_INIT.id, SITE_INIT.tag) == (
        "开站大吉",
        "sitenews",
        "init",
        "站长消息",
    )
    assert (SITE_INIT.share_url, SITE_INIT.digest, SITE_INIT.body) == ("", None, "<p>祝贺开站</p>")
    assert SITE_INIT.date_raw == "2021-12-01 21:33:50"


@needs_corpus
def test_raw_front_matter_page_is_not_a_post():
    assert isinstance(RAW, NotAPost)
    assert RAW.reason == "raw-front-matter"
    assert "FF：有充足的现金支持到FF 91完成投产" in RAW.detail


# --- Every post page of the mirror against its source post ------------------------------


def mirror_post_pages() -> list[str]:
    if MIRROR is None:
        return []
    return sorted(
        str(path.relative_to(MIRROR)) for path in MIRROR.rglob("*.html") if is_post_url(f"/{path.relative_to(MIRROR)}")
    )


POST_PAGES = mirror_post_pages()
RAW_PAGES = {"2021/12/08/202112082206703990.html"}


def source_post(rel: str) -> Post:
    """The post file the page was built from: ``posts/<Y>-<M>-<D>-<id>.md``."""
    year, month, day = rel.split("/")[-4:-1]
    _, post_id = post_url_parts(f"/{rel}")
    return read_post_file(POSTS / f"{year}-{month}-{day}-{post_id}.md").post


def jekyll_instant(post: Post) -> datetime:
    """The instant Jekyll published: a front-matter date without offset is a YAML
    timestamp, which Jekyll reads as UTC (not in the site's time zone)."""
    if re.search(r"[+-]\d{2}:?\d{2}$", post.date_raw.strip()):
        return post.date
    return post.date.replace(tzinfo=UTC)


def page_instant(post: Post) -> datetime:
    if post.date is not None:
        return post.date
    return datetime.fromisoformat(post.date_raw).replace(tzinfo=ARCHIVE_TZ)


@needs_corpus
def test_mirror_has_152_post_pages():
    assert len(POST_PAGES) == 152
    assert RAW_PAGES <= set(POST_PAGES)


@needs_corpus
@pytest.mark.parametrize("rel", POST_PAGES or ["(no mirror)"])
def test_every_mirror_post_page(rel):
    page = parse_post_page(mirror_page(rel))
    if rel in RAW_PAGES:
        assert isinstance(page, NotAPost) and page.reason == "raw-front-matter"
        return
    assert isinstance(page, Post), page
    source = source_post(rel)
    assert page.title == source.title
    assert page_instant(page) == jekyll_instant(source)
    assert page.date_raw == f"{page_instant(page).astimezone(ARCHIVE_TZ):%Y-%m-%d %H:%M:%S}"
    assert (page.category, page.tag, page.share_url) == (source.category, source.tag, source.share_url)
    # Only rolling-feed posts have a digest; the post file reader takes any body that
    # opens with a blank line (the site's init post) for a feed post without one.
    source_digest = source.digest if source.category == "emnews" else None
    assert (page.digest is None, page.digest == "") == (source_digest is None, source_digest == "")
    if source_digest:
        assert text_key(page.digest) == text_key(source_digest)
    # Markdown made the plain lines <p> and "> digest" a blockquote: same text either way.
    assert text_key((page.digest or "") + "\n" + page.body) == text_key((source.digest or "") + "\n" + source.body)
    assert "返回首页" not in page.body


# --- Listings and feed of the mirror ----------------------------------------------------


@needs_corpus
def test_home_page_links():
    links = listing_links(mirror_page("index.html"))
    assert len(links.post_urls) == 16
    assert links.post_urls[0] == f"{SITE}/sitenews/2021/12/01/init.html"
    assert links.post_urls[-1] == f"{SITE}/zhongguozhengquanbao/2022/05/30/NW202205302396671645.html"
    assert (links.category_urls, links.pagination_urls, links.feed_urls) == ([], [], [])


@needs_corpus
def test_emnews_index_links_shown_as_code():
    # The page's indented template became a markdown code block: its 20 links are text.
    links = listing_links(mirror_page("emnews/index.html"))
    assert len(links.post_urls) == 20
    assert links.post_urls[0] == f"{SITE}/emnews/2022/05/31/202205312398034850.html"
    assert links.post_urls[-1] == f"{SITE}/emnews/2021/12/08/202112082206884365.html"


@needs_corpus
def test_emnews_category_page_links():
    links = listing_links(mirror_page("category/emnews.html"))
    assert len(links.post_urls) == 140
    assert all((MIRROR / url.removeprefix(f"{SITE}/")).is_file() for url in links.post_urls)


@needs_corpus
def test_post_page_links_back_to_its_listing():
    links = listing_links(mirror_page("emnews/2022/05/26/202205262391921712.html"))
    assert links.category_urls == [f"{SITE}/emnews/"]
    assert links.post_urls == []  # body links go to other hosts


@needs_corpus
def test_feed_entries():
    feed = XmlResponse(url=f"{SITE}/feed.xml", body=(MIRROR / "feed.xml").read_bytes())
    entries = feed_entries(feed)
    assert len(entries) == 10
    assert entries[0] == FeedEntry(
        url=f"{SITE}/emnews/2022/05/31/202205312398034850.html",
        title="消费电子股大爆发！旺季迎来需求复苏 业绩兑现成关键 关注电子板块两主线",
        published="2022-05-31T18:03:41+08:00",
    )
    assert all(is_post_url(entry.url) for entry in entries)


# --- Invented pages ----------------------------------------------------------------------


def invented_page(
    *,
    date_line: str | None = "(GMT+8, Asia/Shanghai, CST) 2030-01-02 03:04:05",
    meta: str | None = "2030-01-02T03:04:05+08:00",
    title: str = "示例标题",
    content: str = "<p>第一段。</p>\n<p>第二段。</p>",
    share: str | None = "https://example.com/news/1,203001020304050607.html",
    nav: str | None = '<p><a href="/emnews/">返回示例新闻</a>｜<a href="/">返回首页</a></p>',
    tags: str | None = "<em>示例新闻</em>",
    section: bool = True,
) -> bytes:
    parts = []
    if date_line is not None:
        parts.append(f"<small>{date_line}</small>")
    parts.append(f"<h1>{title}</h1>\n\n{content}\n")
    if share is not None:
        parts.append(f'<p><a href="{share}">{share}</a></p>\n')
    if nav is not None:
        parts.append(f"{nav}\n")
    if tags is not None:
        parts.append(f"<small>tags: {tags}</small>")
    inner = "\n".join(parts)
    head = f'<meta property="article:published_time" content="{meta}" />' if meta is not None else ""
    body = f"<section>\n{inner}\n</section>" if section else inner
    return (
        f"<!DOCTYPE html><html><head><title>t</title>{head}</head><body>"
        f'<header><h1><a href="/">站点</a></h1></header>{body}</body></html>'
    ).encode()


def parse_invented(rel: str = "shili/2030/01/02/NW203001020304050607.html", **kwargs):
    return parse_post_page(html_response(rel, invented_page(**kwargs)))


def test_invented_page_fields():
    post = parse_invented()
    assert (post.title, post.category, post.id, post.tag) == ("示例标题", "shili", "NW203001020304050607", "示例新闻")
    assert (post.date_raw, post.date) == ("2030-01-02 03:04:05", datetime(2030, 1, 2, 3, 4, 5, tzinfo=ARCHIVE_TZ))
    assert post.body == "<p>第一段。</p>\n<p>第二段。</p>"
    assert (post.share_url, post.digest) == ("https://example.com/news/1,203001020304050607.html", None)


def test_without_section_the_site_header_h1_is_not_the_title():
    post = parse_invented(section=False)
    assert (post.title, post.body) == ("示例标题", "<p>第一段。</p>\n<p>第二段。</p>")


def test_dates_that_disagree():
    page = parse_invented(meta="2030-01-02T04:04:05+08:00")
    assert isinstance(page, NotAPost) and page.reason == "date-mismatch"


def test_same_instant_in_another_offset_agrees():
    post = parse_invented(meta="2030-01-01T19:04:05+00:00")
    assert post.date == datetime(2030, 1, 2, 3, 4, 5, tzinfo=ARCHIVE_TZ)


def test_meta_only():
    post = parse_invented(date_line=None)
    assert (post.date_raw, post.date) == ("2030-01-02T03:04:05+08:00", datetime(2030, 1, 2, 3, 4, 5, tzinfo=ARCHIVE_TZ))


def test_date_line_only_is_left_to_the_date_pipeline():
    post = parse_invented(meta=None)
    assert (post.date_raw, post.date) == ("2030-01-02 03:04:05", None)


def test_date_line_in_another_zone_sets_the_date():
    post = parse_invented(meta=None, date_line="(GMT+9) 2030-01-02 04:04:05")
    assert post.date == datetime(2030, 1, 2, 3, 4, 5, tzinfo=ARCHIVE_TZ)
    assert post.date.utcoffset() == timedelta(hours=9)


def test_no_date():
    page = parse_invented(meta=None, date_line=None)
    assert isinstance(page, NotAPost) and page.reason == "no-date"


def test_no_title():
    page = parse_invented(title="")
    assert isinstance(page, NotAPost) and page.reason == "no-title"


def test_listing_page_is_not_a_post():
    listing = (
        b"<html><body><header><h1>site</h1></header><section>"
        b'<ul><li><a href="/a/2030/01/02/x.html">x</a></li></ul></section></body></html>'
    )
    page = parse_post_page(html_response("index.html", listing))
    assert isinstance(page, NotAPost) and page.reason == "no-title"


def test_page_outside_the_post_urls():
    page = parse_post_page(html_response("about.html", invented_page()))
    assert isinstance(page, NotAPost) and page.reason == "not-a-post-url"


def test_feed_post_digest_comes_out_of_the_body():
    content = "<blockquote>\n  <p>摘要一句。</p>\n</blockquote>\n\n<p>正文。</p>"
    post = parse_invented("emnews/2030/01/02/203001020304050607.html", content=content)
    assert (post.digest, post.body) == ("摘要一句。", "<p>正文。</p>")


def test_media_post_keeps_a_leading_blockquote():
    content = "<blockquote><p>引文。</p></blockquote>\n<p>正文。</p>"
    post = parse_invented(content=content)
    assert (post.digest, post.body) == (None, content)


def test_two_line_relative_nav_and_no_share():
    nav = '<p><a href="../emnews/">返回示例新闻</a>\n<a href="../">返回首页</a></p>'
    post = parse_invented(nav=nav, share=None)
    assert (post.share_url, post.body) == ("", "<p>第一段。</p>\n<p>第二段。</p>")


def test_a_last_paragraph_that_only_links_is_body_unless_it_is_a_share_link():
    content = '<p>第一段。</p>\n<p><a href="https://example.org/more">更多</a></p>'
    post = parse_invented(content=content, share=None, nav=None)
    assert (post.share_url, post.body) == ("", content)


def test_one_line_page_keeps_its_serialization():
    one_line = invented_page(content="<p>甲<br />乙</p><p>丙</p>").replace(b"\n", b"")
    post = parse_post_page(html_response("shili/2030/01/02/x.html", one_line))
    assert post.body == "<p>甲<br />乙</p><p>丙</p>"


def test_text_right_after_the_title_falls_back_to_serialized_html():
    post = parse_invented(content="裸文本<p>段落&amp;</p>", share=None, nav=None)
    assert post.body == "裸文本<p>段落&amp;</p>"


def test_post_url_parts():
    assert post_url_parts(f"{SITE}/emnews/2022/05/26/202205262391921712.html") == ("emnews", "202205262391921712")
    assert post_url_parts("/2021/12/08/202112082206703990.html") == ("", "202112082206703990")
    assert post_url_parts(f"{SITE}/shili/2030/01/02/x.html?utm=1#top") == ("shili", "x")


@pytest.mark.parametrize(
    "url",
    [
        f"{SITE}/",
        f"{SITE}/category/emnews.html",
        f"{SITE}/emnews/",
        f"{SITE}/emnews/2022/13/26/x.html",
        f"{SITE}/emnews/2022/05/26/x.md",
        f"{SITE}/a/b/2022/05/26/x.html",
        f"{SITE}/feed.xml",
    ],
)
def test_not_post_urls(url):
    assert post_url_parts(url) is None and not is_post_url(url)


def test_listing_links_kinds():
    page = (
        '<html><head><link rel="alternate" type="application/atom+xml" href="/feed.xml">'
        '<link rel="next" href="/page2/"></head><body><section><ul>'
        '<li><a href="/shili/2030/01/02/a.html">a</a></li>'
        '<li><a href="//finews.example/shili/2030/01/02/b.html">b</a></li>'
        '<li><a href="https://elsewhere.example/shili/2030/01/02/c.html">c</a></li>'
        '<li><a href="/shili/2030/01/02/a.html">a again</a></li></ul>'
        '<a href="/category/shili.html">示例</a><a href="/emnews/">滚动</a>'
        '<a href="/page3/">3</a><a href="?p=9">下一页</a></section></body></html>'
    ).encode()
    links = listing_links(HtmlResponse(url="https://finews.example/", body=page, encoding="utf-8"))
    assert links.post_urls == [
        "https://finews.example/shili/2030/01/02/a.html",
        "https://finews.example/shili/2030/01/02/b.html",
    ]
    assert links.category_urls == ["https://finews.example/category/shili.html", "https://finews.example/emnews/"]
    assert links.pagination_urls == [
        "https://finews.example/page2/",
        "https://finews.example/page3/",
        "https://finews.example/?p=9",
    ]
    assert links.feed_urls == ["https://finews.example/feed.xml"]


def test_feed_entries_rss():
    rss = (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>t</title>'
        "<item><title>示例 &amp; 标题</title><link>https://finews.example/shili/2030/01/02/a.html</link>"
        "<pubDate>Wed, 02 Jan 2030 03:04:05 +0800</pubDate></item></channel></rss>"
    ).encode()
    entries = feed_entries(XmlResponse(url="https://finews.example/feed.xml", body=rss))
    assert entries == [
        FeedEntry("https://finews.example/shili/2030/01/02/a.html", "示例 & 标题", "Wed, 02 Jan 2030 03:04:05 +0800")
    ]


def test_feed_entries_atom_html_title_and_relative_link():
    atom = (
        b'<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
        b'<entry><title type="html">A &amp;amp; B</title><link href="/shili/2030/01/02/a.html" rel="alternate"/>'
        b"<updated>2030-01-02T03:04:05+08:00</updated></entry></feed>"
    )
    entries = feed_entries(XmlResponse(url="https://finews.example/feed.xml", body=atom))
    assert entries == [
        FeedEntry("https://finews.example/shili/2030/01/02/a.html", "A & B", "2030-01-02T03:04:05+08:00")
    ]
