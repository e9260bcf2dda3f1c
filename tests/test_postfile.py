"""The post file format: byte-exact on the real archive's canonical posts, lossless on
its variants, and safe YAML for any title."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from pipelines.postfile import (
    id_from_filename,
    nav_line,
    parse_post,
    post_filename,
    read_post_file,
    render_post,
)
from tests.conftest import shared_path
from tests.corpus import corpus_filenames, manifest_posts
from tests.factories import make_post


def _corpus():
    return manifest_posts(shared_path("finews", "MANIFEST.tsv"))




# --- the exact format ------------------------------------------------------------------

def test_media_post_renders_the_seed_format():
    assert render_post(make_post()) == (
        "---\n"
        "layout: post\n"
        'title: "示例标题"\n'
        "date: 2026-01-05 06:53:37 +0800\n"
        "categories: shanghaizhengquanbao\n"
        "tags: 上海证券报新闻\n"
        "---\n"
        "<p>示例正文。</p>\n"
        "\n"
        "<http://finews.zning.xyz/html_News/NewsShare.html?infoCode=NW202601052234253198>\n"
        "\n"
        "[返回上海证券报新闻](//finews.withounder.com/category/shanghaizhengquanbao.html)｜[返回首页](//finews.withounder.com/)"
    )


def test_feed_post_with_digest_opens_with_a_quote_line():
    text = render_post(make_post(category="emnews", tag="东财滚动新闻", digest="摘要。"))
    assert "---\n> 摘要。\n\n<p>示例正文。</p>\n\n<" in text
    assert text.endswith("[返回东财滚动新闻](//finews.withounder.com/emnews/)｜[返回首页](//finews.withounder.com/)")


def test_feed_post_without_digest_opens_with_a_blank_line():
    text = render_post(make_post(category="emnews", tag="东财滚动新闻", digest=""))
    assert "---\n\n<p>示例正文。</p>\n\n<" in text


def test_date_is_written_in_beijing_time():
    utc = datetime(2026, 1, 4, 22, 53, 37, tzinfo=UTC)
    assert "date: 2026-01-05 06:53:37 +0800\n" in render_post(make_post(date=utc))
    assert post_filename(make_post(date=utc)) == "2026-01-05-NW202601052234253198.md"


def test_nav_line_follows_the_site_url_setting():
    assert nav_line("emnews", "东财滚动新闻", "https://example.org") == (
        "[返回东财滚动新闻](https://example.org/emnews/)｜[返回首页](https://example.org/)"
    )


def test_no_newline_at_end_of_file():
    assert not render_post(make_post()).endswith("\n")


def test_id_from_filename():
    assert id_from_filename("2022-01-03-NW202201032234253198.md") == "NW202201032234253198"
    assert id_from_filename("-202205262391921712.md") == "202205262391921712"


# --- the real archive --------------------------------------------------------------------

def test_corpus_has_78_canonical_posts():
    assert sum(p.canonical for p in _corpus()) == 78


@pytest.mark.parametrize("name", corpus_filenames(lambda post: post.canonical))
def test_canonical_post_round_trips_byte_for_byte(name):
    path = shared_path("finews", "posts", name)
    assert render_post(read_post_file(path).post).encode("utf-8") == path.read_bytes()


def test_every_variant_reads_back_losslessly():
    """Variants (no +0800, other nav lines, a blank line before the front matter) are
    rewritten in the canonical form; reading that back gives the same fields."""
    checked = 0
    for entry in _corpus():
        post = read_post_file(shared_path("finews", "posts", entry.filename)).post
        if post.date is None:
            continue  # the broken post: validation rejects it
        again = parse_post(render_post(post)).post
        for field in ("title", "date", "category", "tag", "body", "digest", "share_url"):
            assert getattr(again, field) == getattr(post, field), (entry.filename, field)
        checked += 1
    assert checked == 152


def test_date_without_offset_is_read_as_jekyll_does_as_utc():
    post = read_post_file(shared_path("finews", "posts", "2021-12-08-202112082206710723.md")).post
    assert post.date == datetime(2021, 12, 8, 10, 21, 26, tzinfo=UTC)
    assert post.date_raw == "2021-12-08 10:21:26"


def test_broken_post_has_no_title_and_no_date():
    post = read_post_file(shared_path("finews", "posts", "-202205262391921712.md")).post
    assert (post.id, post.title, post.date, post.date_raw) == ("202205262391921712", "", None, "")


def test_only_feed_posts_have_a_digest():
    post = read_post_file(shared_path("finews", "posts", "2021-12-01-init.md")).post
    assert (post.category, post.digest, post.body) == ("sitenews", None, "\n祝贺开站")


def test_two_line_relative_nav_is_not_part_of_the_body():
    post = read_post_file(shared_path("finews", "posts", "2021-12-08-202112082206735975.md")).post
    assert post.body.endswith("(央视新闻)")
    assert post.share_url == "http://finance.eastmoney.com/news/1355,202112082206735975.html"
    assert post.digest == ""


# --- YAML safety ------------------------------------------------------------------------

def _front_matter(text: str) -> dict:
    return yaml.safe_load(text.split("\n---\n", 1)[0][4:])


@given(title=st.text(), category=st.text(min_size=1), tag=st.text(min_size=1))
def test_front_matter_round_trips_any_strings(title, category, tag):
    loaded = _front_matter(render_post(make_post(title=title, category=category, tag=tag)))
    assert loaded["title"] == title
    assert str(loaded["categories"]) == category
    assert str(loaded["tags"]) == tag
    assert list(loaded)[:5] == ["layout", "title", "date", "categories", "tags"]


@pytest.mark.parametrize(
    "title",
    ['say "hi"', "back\\slash", "a: b", "line\nbreak", "---", "emoji 📈", "ctl\x01\x7f\x85\u2028", "# not a comment"],
)
def test_awkward_titles_round_trip(title):
    assert _front_matter(render_post(make_post(title=title)))["title"] == title
    assert parse_post(render_post(make_post(title=title))).post.title == title


def test_liquid_in_body_turns_liquid_off_for_that_post_only():
    assert "render_with_liquid: false\n---\n" in render_post(make_post(body="<p>{{ site.title }}</p>"))
    assert "render_with_liquid" not in render_post(make_post())
    assert parse_post(render_post(make_post(body="<p>{% raw %}</p>"))).post.body == "<p>{% raw %}</p>"
