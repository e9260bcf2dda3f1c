"""The exporter: the last pipeline, which writes each post as a Jekyll post file.

``ARCHIVE_DIR/_posts/<YYYY-MM-DD>-<id>.md`` in exactly the original archive's format
(``pipelines.postfile.render_post``), plus the category page of each category. Writes
are atomic; a post whose file already holds the same bytes is left alone (not even its
mtime changes) and counted as unchanged, a changed one is rewritten and counted as
updated. A post re-dated upstream moves to its new file name, so one id never has two
files.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from pathlib import Path

from pipelines.archive import Archive
from pipelines.atomic import write_if_changed
from pipelines.dates import parse_crawl_time
from pipelines.outcomes import PostDropped
from pipelines.postfile import DEFAULT_SITE_URL, post_filename, render_post

logger = logging.getLogger(__name__)


class JekyllPostExporter:
    def __init__(self, crawler):
        settings = crawler.settings
        self.stats = crawler.stats
        self.archive = Archive(settings.get("ARCHIVE_DIR", "archive"))
        self.site_url = settings.get("ARCHIVE_SITE_URL", DEFAULT_SITE_URL)
        self.keep_days = settings.getint("ARCHIVE_KEEP_DAYS", 0)
        self.crawl_time = settings.get("CRAWL_TIME", "")
        self.files: dict[str, Path] = {}

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def open_spider(self, spider=None):
        self.archive.ensure_site()
        self.files = self.archive.post_files()

    def close_spider(self, spider=None):
        if self.keep_days > 0:
            now = parse_crawl_time(self.crawl_time) if self.crawl_time else datetime.now(UTC)
            moved = self.archive.move_old_posts(self.keep_days, now)
            for path in moved:
                self.files[path.stem.split("-", 3)[-1]] = path
            self.stats.inc_value("archive/moved_to_old_post", len(moved))

    def process_item(self, post, spider=None):
        target = self._target(post)
        data = render_post(post, self.site_url).encode("utf-8")
        previous = self.files.get(post.id)
        wrote = write_if_changed(target, data)
        if previous is not None and previous != target:
            previous.unlink(missing_ok=True)  # re-dated: the post moved to a new file name
            wrote = True
        status = "unchanged" if not wrote else ("updated" if previous is not None else "new")
        self.files[post.id] = target
        if self.archive.write_category_page(post.category, post.tag):
            self.stats.inc_value("archive/category_pages_written")
        post.extra["archive_status"] = status
        post.extra["archive_path"] = str(target.relative_to(self.archive.root))
        self.stats.inc_value(f"posts/{status}")
        if status != "unchanged":
            logger.debug("Archived (%s) %s <%s>", status, post.extra["archive_path"], post.url)
        return post

    def _target(self, post) -> Path:
        """The post's file. A post already moved to old_post/ stays there; the
        resolved path must stay inside the archive (defence in depth: validation
        already rejects unsafe ids)."""
        name = post_filename(post)
        previous = self.files.get(post.id)
        folder = previous.parent if previous is not None else self.archive.posts_dir
        target = folder / name
        if target.resolve().parent != folder.resolve():
            raise PostDropped("unsafe-id", f"post id {post.id!r} would leave {folder}", post.url)
        return target
