"""The exporter and the archive folder: atomic, idempotent writes; updates, re-dating,
category pages and the old_post/ window."""

from __future__ import annotations

import os
from datetime import datetime

import pytest
from scrapy.utils.test import get_crawler

from pipelines.archive import Archive
from pipelines.export import JekyllPostExporter
from pipelines.outcomes import PostDropped
from tests.factories import CST, make_post


@pytest.fixture
def exporter(tmp_path):
    crawler = get_crawler(settings_dict={"ARCHIVE_DIR": str(tmp_path)})
    crawler.stats.open_spider()
    exporter = JekyllPostExporter.from_crawler(crawler)
    exporter.open_spider()
    return exporter


def test_first_write_is_new(exporter, tmp_path):
    post = exporter.process_item(make_post())
    assert post.extra["archive_status"] == "new"
    assert post.extra["archive_path"] == "_posts/2026-01-05-NW202601052234253198.md"
    assert (tmp_path / "_posts/2026-01-05-NW202601052234253198.md").read_bytes().startswith(b"---\nlayout: post\n")


def test_same_post_again_changes_nothing_on_disk(exporter, tmp_path):
    exporter.process_item(make_post())
    path = tmp_path / "_posts/2026-01-05-NW202601052234253198.md"
    os.utime(path, (1_000_000_000, 1_000_000_000))
    assert exporter.process_item(make_post()).extra["archive_status"] == "unchanged"
    assert path.stat().st_mtime == 1_000_000_000


def test_changed_post_is_rewritten_as_updated(exporter, tmp_path):
    exporter.process_item(make_post())
    assert exporter.process_item(make_post(title="新标题")).extra["archive_status"] == "updated"
    assert 'title: "新标题"' in (tmp_path / "_posts/2026-01-05-NW202601052234253198.md").read_text()


def test_redated_post_moves_to_its_new_file_name(exporter, tmp_path):
    exporter.process_item(make_post())
    moved = exporter.process_item(make_post(date=datetime(2026, 1, 6, 8, 0, tzinfo=CST)))
    assert moved.extra["archive_status"] == "updated"
    assert sorted(p.name for p in (tmp_path / "_posts").iterdir()) == ["2026-01-06-NW202601052234253198.md"]


def test_existing_archive_is_recognised_by_a_new_exporter(exporter, tmp_path):
    exporter.process_item(make_post())
    crawler = get_crawler(settings_dict={"ARCHIVE_DIR": str(tmp_path)})
    crawler.stats.open_spider()
    second = JekyllPostExporter.from_crawler(crawler)
    second.open_spider()
    assert second.process_item(make_post()).extra["archive_status"] == "unchanged"


def test_no_temporary_files_are_left(exporter, tmp_path):
    exporter.process_item(make_post())
    assert [p.name for p in (tmp_path / "_posts").iterdir()] == ["2026-01-05-NW202601052234253198.md"]


def test_category_page_is_titled_with_the_tag(exporter, tmp_path):
    exporter.process_item(make_post())
    assert (tmp_path / "category/shanghaizhengquanbao.html").read_text() == (
        '---\nlayout: category\ntitle: "上海证券报新闻"\ncategory: shanghaizhengquanbao\n---\n'
    )


def test_site_skeleton_is_written_once_and_never_overwritten(tmp_path):
    archive = Archive(tmp_path)
    assert {p.relative_to(tmp_path).as_posix() for p in archive.ensure_site()} == {
        "_config.yml", "_layouts/default.html", "_layouts/post.html", "_layouts/category.html",
        "index.html", "emnews.html",
    }  # fmt: skip
    (tmp_path / "_config.yml").write_text("title: mine\n")
    assert archive.ensure_site() == []
    assert (tmp_path / "_config.yml").read_text() == "title: mine\n"


def test_an_id_that_would_leave_posts_is_refused(exporter):
    with pytest.raises(PostDropped) as dropped:
        exporter.process_item(make_post(id="../../etc/x"))
    assert dropped.value.reason == "unsafe-id"


def test_old_posts_move_to_old_post_never_deleted(tmp_path):
    crawler = get_crawler(
        settings_dict={"ARCHIVE_DIR": str(tmp_path), "ARCHIVE_KEEP_DAYS": 3, "CRAWL_TIME": "2026-01-10T12:00:00+08:00"}
    )
    crawler.stats.open_spider()
    exporter = JekyllPostExporter.from_crawler(crawler)
    exporter.open_spider()
    exporter.process_item(make_post())  # 2026-01-05: older than three days
    exporter.process_item(make_post(id="NW202601092234253199", date=datetime(2026, 1, 9, 8, 0, tzinfo=CST)))
    exporter.close_spider()
    assert [p.name for p in (tmp_path / "old_post").iterdir()] == ["2026-01-05-NW202601052234253198.md"]
    assert [p.name for p in (tmp_path / "_posts").iterdir()] == ["2026-01-09-NW202601092234253199.md"]
    # A later crawl of the old post finds it in old_post/ and leaves it there.
    exporter.open_spider()
    assert exporter.process_item(make_post()).extra["archive_status"] == "unchanged"
    assert crawler.stats.get_value("archive/moved_to_old_post") == 1
