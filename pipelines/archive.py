"""The archive folder: where posts, category pages and state live, and the site
skeleton every archive starts from."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from pathlib import Path

from pipelines.atomic import write_atomic, write_if_changed
from pipelines.postfile import ARCHIVE_TZ, id_from_filename, yaml_double_quoted, yaml_scalar

SITE_TEMPLATE = Path(__file__).with_name("site_template")
POSTS = "_posts"
OLD_POSTS = "old_post"  # the original kept three days in _posts/ and moved older posts here
_DATED_NAME = re.compile(r"^(\d{4})-(\d{2})-(\d{2})-")


def state_dir(settings) -> Path:
    """``STATE_DIR``, or ``ARCHIVE_DIR/.state`` (Jekyll skips dot folders)."""
    explicit = settings.get("STATE_DIR")
    return Path(explicit) if explicit else Path(settings.get("ARCHIVE_DIR", "archive")) / ".state"


class Archive:
    """One archive folder on disk."""

    def __init__(self, root: Path | str):
        self.root = Path(root)
        self.posts_dir = self.root / POSTS
        self.old_posts_dir = self.root / OLD_POSTS

    def ensure_site(self) -> list[Path]:
        """Write the Jekyll skeleton files that are missing; never overwrite a file a
        user may have edited. Returns the files written."""
        written = []
        for source in sorted(SITE_TEMPLATE.rglob("*")):
            if source.is_file():
                target = self.root / source.relative_to(SITE_TEMPLATE)
                if not target.exists():
                    write_atomic(target, source.read_bytes())
                    written.append(target)
        self.posts_dir.mkdir(parents=True, exist_ok=True)
        return written

    def post_files(self) -> dict[str, Path]:
        """Every archived post by id, in _posts/ and old_post/."""
        files: dict[str, Path] = {}
        for folder in (self.old_posts_dir, self.posts_dir):  # _posts/ wins if both hold one
            if folder.is_dir():
                for path in folder.glob("*.md"):
                    files[id_from_filename(path.name)] = path
        return files

    def category_page(self, category: str) -> Path:
        return self.root / "category" / f"{category}.html"

    def write_category_page(self, category: str, tag: str) -> bool:
        """``category/<slug>.html``, titled with its tag (the original site's titles
        were often another category's). Returns whether it wrote."""
        text = f"---\nlayout: category\ntitle: {yaml_double_quoted(tag)}\ncategory: {yaml_scalar(category)}\n---\n"
        return write_if_changed(self.category_page(category), text.encode("utf-8"))

    def move_old_posts(self, keep_days: int, now: datetime) -> list[Path]:
        """Move posts dated more than ``keep_days`` before ``now`` from _posts/ to
        old_post/ (never delete). The date is the one in the file name."""
        cutoff = (now.astimezone(ARCHIVE_TZ) - timedelta(days=keep_days)).date()
        moved = []
        for path in sorted(self.posts_dir.glob("*.md")):
            match = _DATED_NAME.match(path.name)
            if match and datetime(*map(int, match.groups())).date() < cutoff:
                self.old_posts_dir.mkdir(parents=True, exist_ok=True)
                target = self.old_posts_dir / path.name
                path.replace(target)
                moved.append(target)
        return moved
