"""pipelines.dedupe: the corpus's real duplicate pairs, and run semantics on invented posts."""

from __future__ import annotations

import gc
import itertools
import random
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from scrapy import signals
from scrapy.utils.test import get_crawler

from crawler.items import Post
from pipelines.archive import state_dir
from pipelines.dedupe import (
    NEAR_BODY_MAX_DISTANCE,
    NEAR_BODY_MIN_CHARS,
    DedupePipeline,
    DuplicateRecord,
    PostPrint,
    SqliteDedupeStore,
    band_keys,
    band_layout,
    match_kind,
    open_store,
    post_print,
)
from pipelines.fingerprint import hamming
from pipelines.outcomes import DuplicatePost
from pipelines.postfile import ARCHIVE_TZ, read_post_file, render_post
from tests.corpus import manifest_posts

# --- helpers -------------------------------------------------------------------------


def make_pipeline(archive: Path, **settings) -> DedupePipeline:
    crawler = get_crawler(settings_dict={"ARCHIVE_DIR": str(archive), **settings})
    pipeline = DedupePipeline.from_crawler(crawler)
    pipeline.open_spider()
    return pipeline


def run(pipeline: DedupePipeline, posts, *, exporter_drops: frozenset[str] = frozenset()) -> list[tuple]:
    """Feed posts as the engine would: ``item_scraped`` for kept posts, ``item_dropped``
    for dropped ones (``exporter_drops``: ids a later pipeline drops). Returns, in
    order, (id, "kept", related ids) or (id, kind, of)."""
    send = pipeline.crawler.signals.send_catch_log
    outcomes = []
    for post in posts:
        try:
            item = pipeline.process_item(post)
        except DuplicatePost as duplicate:
            assert (duplicate.post_id, duplicate.url) == (post.id, post.url)
            send(signals.item_dropped, item=post, response=None, exception=duplicate, spider=None)
            outcomes.append((post.id, duplicate.kind, duplicate.of))
            continue
        if post.id in exporter_drops:
            send(signals.item_dropped, item=item, response=None, exception=Exception("disk full"), spider=None)
            outcomes.append((post.id, "exporter-dropped", ()))
        else:
            send(signals.item_scraped, item=item, response=None, spider=None)
            outcomes.append((post.id, "kept", tuple(item.extra.get("related", []))))
    pipeline.close_spider()
    return outcomes


def stats(pipeline: DedupePipeline) -> dict:
    return {k: v for k, v in pipeline.stats.get_stats().items() if k.startswith("dedupe/")}


# Invented texts (no third-party content). LONG is ~250 characters, over NEAR_BODY_MIN_CHARS.
LONG = (
    "<p>本报讯，某市统计部门今日发布的数据显示，今年前三季度全市规模以上工业增加值同比增长百分之六点二，"
    "增速比上半年加快零点八个百分点。其中，高技术制造业增加值增长百分之十一点五，占规模以上工业的比重"
    "提高到百分之二十三。</p><p>分行业看，电子设备、汽车零部件和新材料三个行业合计贡献了全市工业增长的一半以上。"
    "与此同时，社会消费品零售总额稳步回升，餐饮、旅游和文化消费明显回暖，线上零售额增长较快。"
    "有关负责人表示，下一阶段将继续加大对中小企业的金融支持力度，推动重点项目尽快开工建设，"
    "确保全年经济社会发展目标顺利完成。</p>"
)


def post(post_id: str, body: str, category: str = "caijingkuaixun", url: str = "", minutes: int = 0) -> Post:
    return Post(
        id=post_id,
        title=f"测试标题{post_id}",
        date=datetime(2024, 3, 1, 9, 30, tzinfo=ARCHIVE_TZ) + timedelta(minutes=minutes),
        category=category,
        tag="东财滚动新闻" if category == "emnews" else "财经快讯新闻",
        body=body,
        digest="" if category == "emnews" else None,
        share_url=f"https://example.com/share/{post_id}",
        url=url or f"https://news.example.com/{category}/{post_id}.html",
    )


# --- the corpus --------------------------------------------------------------------------


def corpus_posts(posts_dir: Path) -> dict[str, Post]:
    """Fresh Post objects of the corpus by file name, without the broken file that
    validation rejects before dedupe (-202205262391921712.md: no title, no date)."""
    posts = {path.name: read_post_file(path).post for path in sorted(posts_dir.glob("*.md"))}
    return {name: p for name, p in posts.items() if p.title and p.date}


def manifest_pairs(manifest: Path) -> dict[tuple[str, str], str]:
    """{(file, file): note} for every dup-of / near-dup-of pair listed in MANIFEST.tsv."""
    pairs = {}
    for row in manifest_posts(manifest):
        for note in row.notes.split("; "):
            marker, _, rest = note.partition(":")
            if marker in ("dup-of", "near-dup-of"):
                other, _, description = rest.partition(" ")
                pairs[tuple(sorted((row.filename, other)))] = f"{marker} {description}".strip()
    return pairs


BROKEN = "-202205262391921712.md"

# SimHash distances of the pairs MANIFEST.tsv lists (pairs with the broken file left
# out: its body text equals both 2022-05-26 copies, distance 0).
MANIFEST_DISTANCES = {
    ("2021-12-08-202112082206672930.md", "2021-12-08-202112082206781916.md"): 0,
    ("2021-12-08-202112082206703990.md", "2021-12-08-202112082206717618.md"): 16,
    ("2021-12-08-202112082206735022.md", "2021-12-08-202112082206882385.md"): 24,
    ("2021-12-08-202112082206735975.md", "2021-12-08-202112082206883363.md"): 21,
    ("2021-12-08-202112082206736198.md", "2021-12-08-202112082206882385.md"): 15,
    ("2021-12-08-202112082206736819.md", "2021-12-08-202112082206808923.md"): 31,
    ("2021-12-08-202112082206747356.md", "2021-12-08-202112082206826055.md"): 26,
    ("2021-12-08-202112082206748961.md", "2021-12-08-202112082206749391.md"): 0,
    ("2021-12-08-202112082206757673.md", "2021-12-08-202112082206761079.md"): 21,
    ("2021-12-08-202112082206859047.md", "2021-12-08-202112082206865340.md"): 20,
    ("2021-12-08-202112082206885192.md", "2021-12-08-202112082206891293.md"): 23,
    ("2021-12-08-202112082206885586.md", "2021-12-08-202112082206885694.md"): 23,
    ("2021-12-08-202112082206896571.md", "2021-12-08-202112082206936037.md"): 10,
    ("2022-01-07-202201072239307540.md", "2022-01-07-NW202201072239307540.md"): 0,
    ("2022-04-21-202204212352230938.md", "2022-04-21-NW202204212352230938.md"): 0,
    ("2022-05-26-202205262391921712.md", "2022-05-26-NW202205262391921712.md"): 0,
    ("2022-05-30-202205302396671645.md", "2022-05-30-NW202205302396671645.md"): 0,
    ("2022-05-31-202205312398034850.md", "2022-05-31-NW202205312398034850.md"): 0,
}
# The only same-category duplicates ("identical body" pairs) and cross-category relations
# (the dup-of pairs: the rolling feed and the media category hold the same article).
CORPUS_DUPLICATES = {
    "202112082206781916": ("same-body", "202112082206672930"),
    "202112082206749391": ("same-body", "202112082206748961"),
}
CORPUS_RELATED = {
    "NW202201072239307540": ("202201072239307540",),
    "NW202204212352230938": ("202204212352230938",),
    "NW202205262391921712": ("202205262391921712",),
    "NW202205302396671645": ("202205302396671645",),
    "NW202205312398034850": ("202205312398034850",),
}


def test_corpus_simhash_distances(corpus_posts_dir, corpus_manifest):
    """The measurements behind NEAR_BODY_MAX_DISTANCE (run with -s to see the table)."""
    posts = corpus_posts(corpus_posts_dir)
    prints = {name: post_print(p) for name, p in posts.items()}
    listed = manifest_pairs(corpus_manifest)
    distances = {}
    print("\nSimHash distance of the pairs MANIFEST.tsv lists:")
    for (a, b), note in sorted(listed.items()):
        if BROKEN in (a, b):
            continue
        distances[(a, b)] = hamming(prints[a].simhash, prints[b].simhash)
        print(f"  {distances[(a, b)]:2d}  {a}  {b}  {note}")
    assert distances == MANIFEST_DISTANCES

    duplicates = {pair for pair, note in listed.items() if note.startswith("dup-of") or "identical body" in note}
    others = sorted(
        (hamming(prints[a].simhash, prints[b].simhash), a, b)
        for a, b in itertools.combinations(sorted(prints), 2)
        if (a, b) not in duplicates
    )
    print(f"closest non-duplicate pairs: {others[:3]}")
    # One digit apart in a 23-character flash ("…超40亿元" / "…超50亿元"): different news,
    # the reason for both the threshold (< 4) and the minimum length of near-body matching.
    assert others[0] == (4, "2021-12-08-202112082206761079.md", "2021-12-08-202112082206777086.md")
    assert others[0][0] > NEAR_BODY_MAX_DISTANCE
    assert [d for d, *_ in others[1:3]] == [12, 12]


def test_corpus_pairs_are_exactly_the_manifest_duplicates(corpus_posts_dir):
    posts = corpus_posts(corpus_posts_dir)
    prints = [post_print(p) for p in posts.values()]
    found = {}
    for a, b in itertools.permutations(prints, 2):
        if kind := match_kind(a, b):
            relation = "duplicate" if a.category == b.category else "related"
            found[tuple(sorted((a.id, b.id)))] = (kind, relation)
    expected = {tuple(sorted((i, of))): ("same-body", "duplicate") for i, (_, of) in CORPUS_DUPLICATES.items()}
    expected |= {tuple(sorted((i, of[0]))): ("same-article", "related") for i, of in CORPUS_RELATED.items()}
    assert found == expected


def test_corpus_run_then_rerun(tmp_path, corpus_posts_dir):
    archive = tmp_path / "archive"
    first = make_pipeline(archive)
    outcomes = run(first, corpus_posts(corpus_posts_dir).values())
    dropped = {i: (kind, of) for i, kind, of in outcomes if kind != "kept"}
    related = {i: rel for i, kind, rel in outcomes if kind == "kept" and rel}
    assert dropped == CORPUS_DUPLICATES
    assert related == CORPUS_RELATED
    kept = len(outcomes) - 2
    assert stats(first) == {"dedupe/duplicate/same-body": 2, "dedupe/related": 5}

    # A second run over the same posts: every archived post is a re-crawl (not a
    # duplicate), the two duplicates get the same outcome again, and now both copies of
    # a cross-category article are archived, each is related to the other.
    second = make_pipeline(archive)
    again = run(second, corpus_posts(corpus_posts_dir).values())
    assert {i: (kind, of) for i, kind, of in again if kind != "kept"} == CORPUS_DUPLICATES
    both_ways = CORPUS_RELATED | {of[0]: (i,) for i, of in CORPUS_RELATED.items()}
    assert {i: rel for i, kind, rel in again if kind == "kept" and rel} == both_ways
    assert stats(second) == {"dedupe/recrawled": kept, "dedupe/duplicate/same-body": 2, "dedupe/related": 10}


def test_corpus_archive_is_indexed_on_first_use(tmp_path, corpus_posts_dir, corpus_manifest):
    """An archive laid out like the original (links to the corpus files, nothing copied)."""
    archive = tmp_path / "archive"
    for row in manifest_posts(corpus_manifest):
        folder = archive / ("old_post" if "src:old_post" in row.notes else "_posts")
        folder.mkdir(parents=True, exist_ok=True)
        if not (folder / row.filename).is_symlink():
            (folder / row.filename).symlink_to(corpus_posts_dir / row.filename)
    valid = len(corpus_posts(corpus_posts_dir))

    pipeline = make_pipeline(archive)
    assert stats(pipeline) == {"dedupe/indexed_from_archive": valid}
    outcomes = run(pipeline, corpus_posts(corpus_posts_dir).values())
    # Both copies of each identical-body pair are in the archive: both are re-crawls.
    assert [o for o in outcomes if o[1] != "kept"] == []
    assert stats(pipeline)["dedupe/recrawled"] == valid

    # Deleting the state rebuilds it with the same content.
    store = open_store(pipeline.settings)
    before = sorted(store._db.execute("SELECT category, post_id, article_key, body_hash, simhash FROM posts"))
    store.close()
    for path in state_dir(pipeline.settings).iterdir():
        path.unlink()
    rebuilt = make_pipeline(archive)
    assert stats(rebuilt) == {"dedupe/indexed_from_archive": valid}
    after = sorted(rebuilt.store._db.execute("SELECT category, post_id, article_key, body_hash, simhash FROM posts"))
    assert after == before


# --- run semantics on invented posts --------------------------------------------------------


def test_same_id_within_a_run_is_a_duplicate_but_not_in_a_later_run(tmp_path):
    first = make_pipeline(tmp_path)
    assert run(first, [post("2024030112345", "<p>央行开展逆回购。</p>")] * 2) == [
        ("2024030112345", "kept", ()),
        ("2024030112345", "same-id", "2024030112345"),
    ]
    later = make_pipeline(tmp_path)
    assert run(later, [post("2024030112345", "<p>央行开展逆回购，规模扩大。</p>")]) == [("2024030112345", "kept", ())]
    assert stats(later) == {"dedupe/recrawled": 1}


@pytest.mark.parametrize(
    ("second", "kind"),
    [
        (post("B1", "<p>完全不同的另一篇。</p>", url="https://news.example.com/caijingkuaixun/A1.html"), "same-url"),
        (post("NW202403011234567890", "<p>改写后的正文。</p>"), "same-article"),
        (post("B3", "<div>　央行开展&nbsp;逆回购操作。</div>"), "same-body"),
        (post("B4", LONG.replace("百分之六点二", "百分之六点三")), "near-body"),
    ],
)
def test_kinds_of_duplicate_in_one_category(tmp_path, second, kind):
    original = post("A1", "<p>央行开展逆回购操作。</p>")
    if kind in ("same-article", "near-body"):
        original = post("202403011234567890" if kind == "same-article" else "A1", LONG)
    pipeline = make_pipeline(tmp_path)
    assert run(pipeline, [original, second]) == [(original.id, "kept", ()), (second.id, kind, original.id)]
    assert stats(pipeline) == {f"dedupe/duplicate/{kind}": 1}


def test_near_body_needs_long_texts_and_few_differing_bits(tmp_path):
    # Two short flashes one number apart are different news, though SimHash puts them
    # within the threshold: short texts are compared by exact hash only.
    flash = "<p>某公司公告称，前三季度净利润同比增长1.3%，超出市场预期。</p>"
    other_flash = flash.replace("1.3%", "1.5%")
    assert hamming(post_print(post("F", flash)).simhash, post_print(post("F", other_flash)).simhash) == 2
    # A long article with one sentence added (5 bits away) is a new version, kept; with
    # a source tag appended (1 bit away) it is the same article.
    added_sentence = LONG + "<p>她表示，相关政策将在年底前陆续出台。</p>"
    source_tag = LONG + "<p>（来源：某某日报）</p>"
    posts = [post("F1", flash), post("F2", other_flash), post("L1", LONG), post("L2", added_sentence)]
    posts.append(post("L3", source_tag))
    pipeline = make_pipeline(tmp_path)
    assert [outcome[1:] for outcome in run(pipeline, posts)] == [("kept", ())] * 4 + [("near-body", "L1")]


def test_same_article_in_two_categories_is_kept_and_related(tmp_path):
    feed = post("202403011234567890", LONG, category="emnews")
    media = post("NW202403011234567890", LONG, category="caijingkuaixun")
    pipeline = make_pipeline(tmp_path)
    assert run(pipeline, [feed, media]) == [
        ("202403011234567890", "kept", ()),
        ("NW202403011234567890", "kept", ("202403011234567890",)),
    ]
    assert stats(pipeline) == {"dedupe/related": 1}


def test_dedupe_across_categories_keeps_only_the_first(tmp_path):
    feed = post("202403011234567890", LONG, category="emnews")
    media = post("NW202403011234567890", "<p>另一种排版</p>", category="caijingkuaixun")
    pipeline = make_pipeline(tmp_path, DEDUPE_ACROSS_CATEGORIES=True)
    assert run(pipeline, [feed, media]) == [
        ("202403011234567890", "kept", ()),
        ("NW202403011234567890", "same-article", "202403011234567890"),
    ]


def test_a_recorded_duplicate_keeps_its_outcome(tmp_path):
    original, copy = post("A1", "<p>央行开展逆回购操作。</p>"), post("B1", "<p>央行开展逆回购操作。</p>")
    first = make_pipeline(tmp_path)
    assert run(first, [original, copy])[1] == ("B1", "same-body", "A1")
    # Next run the page at B1's URL has changed: it is still the duplicate it was.
    changed = post("B1", "<p>页面改版后内容不同。</p>")
    later = make_pipeline(tmp_path)
    assert run(later, [changed]) == [("B1", "same-body", "A1")]
    store = open_store(later.settings)
    assert store.url_outcome(copy.url) == "duplicate"
    assert store.url_outcome(original.url) == "archived"
    assert store.url_outcome("https://news.example.com/never-seen.html") is None
    assert store.is_known("caijingkuaixun", "B1") and store.is_known("caijingkuaixun", "A1")
    assert not store.is_known("emnews", "A1")
    store.close()


def test_a_post_dropped_later_is_not_remembered(tmp_path):
    original, copy = post("A1", "<p>央行开展逆回购操作。</p>"), post("B1", "<p>央行开展逆回购操作。</p>")
    first = make_pipeline(tmp_path)
    # The exporter drops A1 after B1 was judged its duplicate in the same run.
    first.process_item(original)
    with pytest.raises(DuplicatePost):
        first.process_item(copy)
    send = first.crawler.signals.send_catch_log
    send(signals.item_dropped, item=original, response=None, exception=None, spider=None)
    first.close_spider()
    store = open_store(first.settings)
    assert not store.is_known("caijingkuaixun", "A1")
    assert store.url_outcome(copy.url) is None  # its duplicate record went with it
    store.close()
    # In the next run the copy is archived: nothing stands in its way.
    second = make_pipeline(tmp_path)
    assert run(second, [copy]) == [("B1", "kept", ())]


def test_exporter_drop_frees_the_id_within_the_run(tmp_path):
    # A1 is dropped by the exporter (say, a full disk): its second sighting is not a
    # duplicate of a post that never got archived, and nothing is remembered.
    pipeline = make_pipeline(tmp_path)
    outcomes = run(pipeline, [post("A1", LONG), post("A1", LONG)], exporter_drops=frozenset({"A1"}))
    assert outcomes == [("A1", "exporter-dropped", ()), ("A1", "exporter-dropped", ())]
    assert not open_store(pipeline.settings).is_known("caijingkuaixun", "A1")


def test_index_from_archive_and_rebuild(tmp_path):
    archive = tmp_path / "site"
    (archive / "_posts").mkdir(parents=True)
    (archive / "old_post").mkdir()
    archived = [post("202403011234567890", LONG, category="emnews"), post("A1", "<p>央行开展逆回购操作。</p>")]
    old = post("A0", "<p>旧文章正文。</p>", minutes=-60 * 24 * 30)
    for folder, p in [("_posts", archived[0]), ("_posts", archived[1]), ("old_post", old)]:
        date = p.date.astimezone(ARCHIVE_TZ)
        (archive / folder / f"{date:%Y-%m-%d}-{p.id}.md").write_text(render_post(p), encoding="utf-8")
    (archive / "_posts" / "2024-03-01-broken.md").write_text("no front matter", encoding="utf-8")

    pipeline = make_pipeline(archive)
    assert stats(pipeline) == {"dedupe/indexed_from_archive": 3}
    assert (archive / ".state" / "dedupe.sqlite").is_file()
    outcomes = run(
        pipeline,
        [
            post("A1", "<p>央行开展逆回购操作（更新）。</p>"),  # re-crawl of an archived post
            post("C1", "<p>旧文章正文。</p>"),  # same body as an old_post post
            post("NW202403011234567890", LONG),  # the feed post's article in a media category
        ],
    )
    assert outcomes == [
        ("A1", "kept", ()),
        ("C1", "same-body", "A0"),
        ("NW202403011234567890", "kept", ("202403011234567890",)),
    ]
    # The next open does not index again.
    assert stats(make_pipeline(archive)) == {}


def test_state_dir_setting(tmp_path):
    pipeline = make_pipeline(tmp_path / "archive", STATE_DIR=str(tmp_path / "state"))
    run(pipeline, [post("A1", "<p>正文</p>")])
    assert (tmp_path / "state" / "dedupe.sqlite").is_file()
    assert not (tmp_path / "archive" / ".state").exists()


def test_signal_handlers_survive_garbage_collection(tmp_path):
    pipeline = make_pipeline(tmp_path)
    item = pipeline.process_item(post("A1", "<p>正文</p>"))
    gc.collect()
    pipeline.crawler.signals.send_catch_log(signals.item_scraped, item=item, response=None, spider=None)
    assert pipeline.store.is_archived("caijingkuaixun", "A1")
    pipeline.close_spider()


# --- the store ----------------------------------------------------------------------------


def test_band_layout_covers_64_bits():
    assert band_layout(3) == [(48, 16), (32, 16), (16, 16), (0, 16)]
    assert band_layout(2) == [(42, 22), (21, 21), (0, 21)]


def test_near_lookup_finds_every_neighbour_within_the_threshold(tmp_path):
    rng = random.Random(7)
    store = SqliteDedupeStore(tmp_path / "s.sqlite")
    stored = [
        PostPrint("emnews", f"P{i}", f"P{i}", "", rng.getrandbits(64), rng.getrandbits(64), 500) for i in range(2000)
    ]
    assert store.bulk_add_archived(stored) == 2000
    for target in stored[:300]:
        flipped = target.simhash
        for bit in rng.sample(range(64), rng.randrange(NEAR_BODY_MAX_DISTANCE + 1)):
            flipped ^= 1 << bit
        assert target in store.near_lookup(flipped)
        assert any(key in band_keys(target.simhash) for key in band_keys(flipped))
    assert store.near_lookup(stored[0].simhash, text_len=NEAR_BODY_MIN_CHARS - 1) == []
    assert store.exact_lookup(stored[5].body_hash) == [stored[5]]
    store.close()


def test_store_round_trips_unsigned_fingerprints_and_duplicates(tmp_path):
    store = SqliteDedupeStore(tmp_path / "s.sqlite")
    top = PostPrint("emnews", "X", "X", "https://a.example/x", (1 << 64) - 1, 1 << 63, 300, "2024-03-01T01:30:00+00:00")
    store.add_archived(top)
    assert store.candidates(replace_url(top, "")) == [top]
    store.add_archived(replace_url(top, ""))  # a re-crawl without URL keeps the known one
    assert store.url_outcome("https://a.example/x") == "archived"
    record = DuplicateRecord("emnews", "Y", "https://a.example/y", "X", "same-body")
    store.add_duplicate(record)
    assert store.recorded_duplicate("emnews", "Y", "") == record
    assert store.recorded_duplicate("other", "Z", "https://a.example/y") == record
    assert store.recorded_duplicate("other", "Z", "https://a.example/z") is None
    store.close()


def replace_url(p: PostPrint, url: str) -> PostPrint:
    return replace(p, url=url)
