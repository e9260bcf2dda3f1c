"""The opt-in stock-widget cleaner, on the real posts that carry EastMoney's widgets
(MANIFEST notes ``EM_StockImg-kline``, ``em-stock-tooltip-spans``) and on invented
snippets."""

from __future__ import annotations

import lxml.html
import pytest

from crawler.items import Post
from pipelines.postfile import read_post_file
from pipelines.stock_widgets import StockWidgetCleaner, has_stock_widgets, strip_stock_widgets

# Posts of the corpus that carry widgets: the EM_StockImg chart block, tooltip spans, or both.
WITH_WIDGETS = {
    "-202205262391921712.md",
    "2022-01-07-202201072239307540.md",
    "2022-01-21-202201212257099936.md",
    "2022-02-11-NW202202112274017262.md",
    "2022-05-26-202205262391921712.md",
    "2022-05-26-NW202205262391921712.md",
    "2022-05-30-202205302396671291.md",
    "2022-05-30-202205302396671645.md",
    "2022-05-31-202205312398034850.md",
    "2022-05-31-NW202205312398034850.md",
}
# The same article archived twice by the original: from the rolling feed (with tooltip
# spans) and from its media list (without them).
SAME_ARTICLE_PAIRS = [
    ("2022-01-07-202201072239307540.md", "2022-01-07-NW202201072239307540.md"),
    ("2022-05-26-202205262391921712.md", "2022-05-26-NW202205262391921712.md"),
    ("2022-05-31-202205312398034850.md", "2022-05-31-NW202205312398034850.md"),
]


def body_of(posts_dir, name: str) -> str:
    return read_post_file(posts_dir / name).post.body


def text_of(html: str) -> str:
    return lxml.html.fragment_fromstring(html, create_parent="div").text_content()


def test_the_corpus_posts_with_widgets_are_the_ones_known(corpus_posts_dir, corpus_manifest):
    changed = {
        path.name
        for path in corpus_posts_dir.glob("*.md")
        if strip_stock_widgets(body_of(corpus_posts_dir, path.name)) != body_of(corpus_posts_dir, path.name)
    }
    assert changed == WITH_WIDGETS
    manifest = corpus_manifest.read_text(encoding="utf-8")
    noted = {
        line.split("\t")[0]
        for line in manifest.splitlines()
        if "EM_StockImg-kline" in line or "em-stock-tooltip-spans" in line
    }
    assert noted <= WITH_WIDGETS  # some posts have spans the manifest does not note


def test_bodies_without_widgets_are_unchanged_byte_for_byte(corpus_posts_dir):
    others = sorted(path.name for path in corpus_posts_dir.glob("*.md") if path.name not in WITH_WIDGETS)
    assert len(others) == 143
    for name in others:
        body = body_of(corpus_posts_dir, name)
        assert not has_stock_widgets(body), name
        assert strip_stock_widgets(body) == body, name


@pytest.mark.parametrize("feed_post, media_post", SAME_ARTICLE_PAIRS)
def test_feed_copy_cleans_to_the_media_copy(corpus_posts_dir, feed_post, media_post):
    """The feed's body (tooltip spans) and the media list's (none) of one article are the
    same once both are cleaned: the cleaner removes exactly the widgets."""
    feed_body, media_body = body_of(corpus_posts_dir, feed_post), body_of(corpus_posts_dir, media_post)
    assert feed_body != media_body
    assert strip_stock_widgets(feed_body) == strip_stock_widgets(media_body)


def test_pair_with_a_real_text_difference(corpus_posts_dir):
    """2022-05-30 …671645: the media copy has one extra space before a </p>; nothing else."""
    feed = strip_stock_widgets(body_of(corpus_posts_dir, "2022-05-30-202205302396671645.md"))
    media = strip_stock_widgets(body_of(corpus_posts_dir, "2022-05-30-NW202205302396671645.md"))
    assert feed == media.replace("62亿元。 </p>", "62亿元。</p>")


@pytest.mark.parametrize("name", sorted(WITH_WIDGETS))
def test_text_is_preserved(corpus_posts_dir, name):
    """The visible text stays, character for character: the chart block has none (an
    image), and the spans keep the names they wrapped. The only text removed is the
    single space inside the hidden spacer paragraph some chart blocks come with."""
    body = body_of(corpus_posts_dir, name)
    cleaned = strip_stock_widgets(body)
    spacer = '<p style="display:none;height:1px;overflow:hidden;"> </p>'
    expected_text = text_of(body.replace(spacer, "", 1))
    assert text_of(cleaned) == expected_text
    for marker in ("EM_StockImg", "keytip", "infokey", "em_stock_key_common", 'id="quote_', 'id="bkquote_', "<span"):
        assert marker not in cleaned, marker


def test_real_post_cleaned_exactly(corpus_posts_dir):
    cleaned = strip_stock_widgets(body_of(corpus_posts_dir, "2022-05-26-202205262391921712.md"))
    assert cleaned.startswith(
        "<p>国内首款使用超低GWP(全球变暖潜值)制冷剂的新能源汽车来了！<br /></p><p>据霍尼韦尔官网消息"
    )
    assert cleaned.endswith(
        '自主知识产权。产品已有少量销售，主要应用于空调领域。</p><p class="em_media">（文章来源：上海证券报）</p>'
    )
    assert "具体来看，巨化股份、联创股份已有HFO-1234yf产品" in cleaned


def test_invented_snippets():
    chart = (
        '<p style="display:none;height:1px;overflow:hidden;"><br /></p><!-- EM_StockImg_Start -->'
        '<p style="text-align:center;"><a href="http://quote.example/r/1.000001" class="EmImageRemark">'
        '<img src="http://chart.example/k.png" alt="K图" /></a></p><!-- EM_StockImg_End -->'
    )
    html = (
        chart + '<p>示例<span id="stock_1.000001"><a href="http://quote.example/r/1.000001" class="keytip" '
        'data-code="1,000001">样本股份</a></span><span id="quote_1.000001"></span>与<span web="1" '
        'href="http://quote.example/r/90.BK0001" class="em_stock_key_common" data-code="90,BK0001">样本板块</span>'
        '<span id="bk_90.BK0001"><a href="http://quote.example/r/90.BK0001" class="keytip" data-code="90,BK0001">'
        '板块</a></span><span id="bkquote_90.BK0001"></span>，<span id="Info.1"><a href="http://data.example/" '
        'class="infokey">业绩</a></span>良好。<br /></p>'
    )
    assert strip_stock_widgets(html) == "<p>示例样本股份与样本板块板块，业绩良好。<br /></p>"
    # Only the widgets' own markup goes: other spans, links and comments stay.
    keep = '<p><span class="x">甲</span><a href="http://a.example/">乙</a><!-- note --><span id="quote"></span></p>'
    assert strip_stock_widgets(keep) == keep
    assert strip_stock_widgets("") == ""
    assert strip_stock_widgets("纯文本正文。（财联社）") == "纯文本正文。（财联社）"


def test_pipeline_cleans_body_and_digest_and_counts():
    class Stats:
        def __init__(self):
            self.values = {}

        def inc_value(self, key, count=1):
            self.values[key] = self.values.get(key, 0) + count

    stats = Stats()
    cleaner = StockWidgetCleaner(stats)
    widget = '<span web="1" href="h" class="em_stock_key_common" data-code="1,1">样本</span>'
    post = Post(id="1", body=f"<p>{widget}上涨</p>", digest=f"{widget}摘要")
    assert cleaner.process_item(post) is post
    assert (post.body, post.digest) == ("<p>样本上涨</p>", "样本摘要")
    plain = Post(id="2", body="<p>无组件</p>", digest=None)
    cleaner.process_item(plain)
    assert (plain.body, plain.digest) == ("<p>无组件</p>", None)
    assert stats.values == {"stock_widgets/cleaned": 1}
