"""``scrapy import-posts SRC_DIR``: adopt an existing finews archive.

Every post file goes through the same pipelines as crawled posts (dates, validation,
sanitising, dedupe, export) into ``ARCHIVE_DIR``. Prints the counts of imported,
unchanged, duplicate and rejected posts, with the file and reason of each rejection,
and exits non-zero if any post was rejected.
"""

from __future__ import annotations

import json
from pathlib import Path

from scrapy import Spider
from scrapy.commands import ScrapyCommand
from scrapy.exceptions import UsageError

from crawler.report import report_drop
from pipelines.archive import Archive
from pipelines.postfile import PostFormatError, read_post_file


def post_files(src: Path) -> list[Path]:
    """The posts of ``src``: an archive root (``_posts/`` and ``old_post/``) or a flat
    folder of post files."""
    archive = Archive(src)
    folders = [archive.posts_dir, archive.old_posts_dir]
    if not any(folder.is_dir() for folder in folders):
        folders = [src]
    return sorted(path for folder in folders if folder.is_dir() for path in folder.glob("*.md"))


class ImportPostsSpider(Spider):
    """Yields the posts of a folder as items; makes no requests."""

    name = "import-posts"

    def __init__(self, src_dir: str, **kwargs):
        super().__init__(**kwargs)
        self.src_dir = Path(src_dir)

    async def start(self):
        for path in post_files(self.src_dir):
            self.crawler.stats.inc_value("import/files")
            try:
                parsed = read_post_file(path)
            except (PostFormatError, UnicodeDecodeError) as exc:
                report_drop(self.crawler, path.resolve().as_uri(), "unreadable-post", str(exc))
                continue
            for note in parsed.notes:
                self.crawler.stats.inc_value(f"import/variant/{note}")
            yield parsed.post


class Command(ScrapyCommand):
    requires_project = True

    def process_options(self, args, opts):
        super().process_options(args, opts)
        # The printed counts are the output; the log only needs warnings. Above the
        # project's LOG_LEVEL, below -L / -s on the command line.
        self.settings.set("LOG_LEVEL", "WARNING", priority=25)

    def syntax(self):
        return "[options] SRC_DIR"

    def short_desc(self):
        return "Adopt an existing finews archive: run its posts through the pipelines into ARCHIVE_DIR"

    def run(self, args, opts):
        if len(args) != 1:
            raise UsageError("give exactly one SRC_DIR")
        src = Path(args[0])
        if not src.is_dir():
            raise UsageError(f"not a folder: {src}")
        crawler = self.crawler_process.create_crawler(ImportPostsSpider)
        self.crawler_process.crawl(crawler, src_dir=str(src))
        self.crawler_process.start()
        report = json.loads(Path(crawler.stats.get_value("run/report")).read_text(encoding="utf-8"))
        archived = report["counts"]["archived"]
        imported = archived["new"] + archived["updated"]
        print(f"imported   {imported} (new {archived['new']}, updated {archived['updated']})")
        print(f"unchanged  {archived['unchanged']}")
        print(f"duplicate  {report['counts']['duplicate']}")
        for dup in report["duplicates"]:
            print(f"  {dup['url']}: duplicate ({dup['kind']}) of {dup['of']}")
        print(f"rejected   {report['counts']['dropped']}")
        for drop in report["dropped"]:
            print(f"  {drop['url']}: {drop['reason']}: {drop['detail']}")
        print(f"report     {crawler.stats.get_value('run/report')}")
        if report["counts"]["dropped"]:
            self.exitcode = 1
