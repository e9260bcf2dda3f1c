"""Validation and sanitising: what cannot make a whole, safe post is dropped with a
reason; bodies are cleaned only when something in them is unsafe."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from scrapy.utils.test import get_crawler

from pipelines.export import JekyllPostExporter
from pipelines.outcomes import PostDropped
from pipelines.sanitize import BodySanitizerPipeline, is_unsafe, sanitize_html
from pipelines.validate import ValidationPipeline, problems
from tests.conftest import shared_path
from tests.factories import make_post


def test_a_whole_post_passes():
    assert problems(make_post()) is None


def test_missing_fields_are_named():
    assert problems(make_post(title=" ", date=None, body="")) == ("missing-fields", "missing title, date, body")


def test_a_feed_post_with_only_a_digest_passes():
    assert problems(make_post(category="emnews", tag="东财滚动新闻", body="", digest="摘要")) is None


@pytest.mark.parametrize("post_id", ["../x", "a/b", "a\x00b", ".hidden", "a b", "x" * 129, "..", "名字"])
def test_unsafe_ids_are_dropped(post_id):
    assert problems(make_post(id=post_id))[0] == "unsafe-id"


@pytest.mark.parametrize("category", ["Ab cd", "../x", "a-b", "news/x"])
def test_unsafe_categories_are_dropped(category):
    assert problems(make_post(category=category))[0] == "unsafe-category"


def test_share_url_must_be_one_url():
    assert problems(make_post(share_url="http://x.invalid/a b"))[0] == "bad-share-url"
    assert problems(make_post(share_url="")) is None  # the broken post's "<>": allowed, as the original wrote it


@pytest.mark.parametrize(
    ("field", "text", "why"),
    [("title", "中国证券报：市场上涨，成交量放大".encode().decode("gb18030", errors="replace"), "gb-mojibake"),
     ("body", "<p>" + "中国证券报：市场".encode().decode("latin-1") + "</p>", "latin-mojibake"),
     ("body", "<p>市场\ufffd上涨</p>", "replacement-character")],
)
def test_garbled_text_is_dropped(field, text, why):
    assert problems(make_post(**{field: text})) == ("garbled-text", f"{field} looks wrongly decoded ({why})")


def test_a_few_replacement_characters_can_be_allowed():
    assert problems(make_post(body="<p>市场\ufffd上涨</p>"), max_replacement_chars=1) is None


def test_pipeline_raises_with_url_and_reason():
    with pytest.raises(PostDropped) as dropped:
        ValidationPipeline().process_item(make_post(title=""))
    assert (dropped.value.reason, dropped.value.url) == ("missing-fields", "https://demo.finews.invalid/shanghaizhengquanbao/2026/01/05/NW202601052234253198.html")
    assert str(dropped.value) == "missing-fields: missing title <https://demo.finews.invalid/shanghaizhengquanbao/2026/01/05/NW202601052234253198.html>"


@given(post_id=st.text(max_size=40))
def test_any_id_is_refused_or_stays_inside_posts(post_id):
    """Validation then export: an id either is dropped or names a file in _posts/."""
    post = make_post(id=post_id)
    if problems(post) is not None:
        return
    with tempfile.TemporaryDirectory() as folder:
        archive = Path(folder)
        crawler = get_crawler(settings_dict={"ARCHIVE_DIR": folder})
        crawler.stats.open_spider()
        exporter = JekyllPostExporter.from_crawler(crawler)
        exporter.open_spider()
        exporter.process_item(post)
        assert [p.parent for p in archive.rglob("*.md")] == [archive / "_posts"]


# --- sanitising ---------------------------------------------------------------------------

@pytest.mark.parametrize(
    "markup",
    ['<p>a<script>alert(1)</script></p>', '<p onclick="x()">a</p>', '<a href="javascript:x()">a</a>',
     '<iframe src="http://x.invalid"></iframe>', '<img src=x onerror=alert(1)>'],
)  # fmt: skip
def test_unsafe_markup_is_detected_and_removed(markup):
    assert is_unsafe(markup)
    assert not is_unsafe(sanitize_html(markup))


def test_clean_keeps_the_markup_posts_use():
    dirty = '<p class="em_media">（文章来源：测试）</p><center><img src="http://x.invalid/a.png" width="5"></center>' \
        '<strong>重点</strong><script>x</script>'
    assert sanitize_html(dirty) == (
        '<p class="em_media">（文章来源：测试）</p><center><img src="http://x.invalid/a.png" width="5"></center>'
        "<strong>重点</strong>"
    )


def test_safe_bodies_are_left_byte_for_byte():
    body = '<p>行情<br /><span web="1" data-code="1,600000">浦发</span></p><!-- EM_StockImg_Start -->'
    assert sanitize_html(body) == body


def test_no_corpus_post_needs_cleaning():
    from pipelines.postfile import read_post_file

    posts = sorted(shared_path("finews", "posts").glob("*.md"))
    assert len(posts) == 153
    assert [p.name for p in posts if is_unsafe(read_post_file(p).post.body)] == []


def test_pipeline_cleans_body_and_counts_it():
    crawler = get_crawler()
    crawler.stats.open_spider()
    pipeline = BodySanitizerPipeline.from_crawler(crawler)
    post = pipeline.process_item(make_post(body="<p>a</p><script>b</script>"))
    assert post.body == "<p>a</p>"
    assert crawler.stats.get_value("sanitized/body") == 1
