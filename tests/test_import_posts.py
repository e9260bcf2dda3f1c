"""``scrapy import-posts``: adopting the real archive's 153 posts."""

from __future__ import annotations

import pytest

from tests.conftest import shared_path
from tests.corpus import manifest_posts
from tests.crawl import run_scrapy


@pytest.fixture(scope="module")
def imported(tmp_path_factory):
    archive = tmp_path_factory.mktemp("archive")
    posts = shared_path("finews", "posts")
    first = run_scrapy("import-posts", str(posts), "-s", f"ARCHIVE_DIR={archive}")
    second = run_scrapy("import-posts", str(posts), "-s", f"ARCHIVE_DIR={archive}")
    for state in (archive / ".state").glob("dedupe.sqlite*"):  # the store and its WAL files
        state.unlink()
    rebuilt = run_scrapy("import-posts", str(posts), "-s", f"ARCHIVE_DIR={archive}")
    return archive, posts, first, second, rebuilt


def test_exit_code_says_a_post_was_rejected(imported):
    _, _, first, _, _ = imported
    assert first.returncode == 1, first.stderr[-2000:]


def test_broken_post_is_rejected_naming_file_and_missing_fields(imported):
    archive, posts, first, _, _ = imported
    assert f"  {(posts / '-202205262391921712.md').resolve().as_uri()}: missing-fields: missing title, date" in (
        first.stdout.splitlines()
    )
    assert sorted(p.name for p in (archive / "_posts").glob("*202205262391921712.md")) == [
        "2022-05-26-202205262391921712.md", "2022-05-26-NW202205262391921712.md"
    ]
    assert not (archive / "_posts" / "-202205262391921712.md").exists()


def test_every_canonical_post_is_written_byte_for_byte(imported):
    archive, posts, _, _, _ = imported
    canonical = [p.filename for p in manifest_posts(shared_path("finews", "MANIFEST.tsv")) if p.canonical]
    assert len(canonical) == 78
    for name in canonical:
        assert (archive / "_posts" / name).read_bytes() == (posts / name).read_bytes(), name


def test_counts_of_the_first_import(imported):
    _, _, first, _, _ = imported
    counts = {line.split()[0]: int(line.split()[1]) for line in first.stdout.splitlines() if line[:1].isalpha()
              and line.split()[1].isdigit()}  # fmt: skip
    # 153 files: 1 rejected, 2 identical-body duplicates (same category), 150 written.
    assert counts == {"imported": 150, "unchanged": 0, "duplicate": 2, "rejected": 1}


def test_identical_body_pairs_are_recorded_as_duplicates(imported):
    _, posts, first, _, _ = imported
    lines = first.stdout.splitlines()
    for dup, of in (("202112082206749391", "202112082206748961"), ("202112082206781916", "202112082206672930")):
        uri = (posts / f"2021-12-08-{dup}.md").resolve().as_uri()
        assert f"  {uri}: duplicate (same-body) of {of}" in lines


def test_second_import_changes_nothing(imported):
    _, _, _, second, _ = imported
    lines = second.stdout.splitlines()
    assert "imported   0 (new 0, updated 0)" in lines
    assert "unchanged  150" in lines
    assert "duplicate  2" in lines


def test_deleted_state_is_rebuilt_from_the_archive_with_the_same_result(imported):
    _, _, _, second, rebuilt = imported
    summary = [line for line in rebuilt.stdout.splitlines() if not line.startswith("report")]
    assert summary == [line for line in second.stdout.splitlines() if not line.startswith("report")]
