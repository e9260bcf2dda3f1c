"""Validation: a post that cannot make a whole, safe post file is dropped here, with a
log line naming its URL and what is wrong, and a ``dropped/<reason>`` stat (counted by
the run report). Never a partial post on disk."""

from __future__ import annotations

import re

from crawler.encoding import looks_garbled
from pipelines.outcomes import PostDropped

# Ids and categories become file and folder names and URL segments: keep them to
# characters that are safe everywhere, with no "." run that could climb out.
SAFE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$")
SAFE_CATEGORY = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_]{0,127}$")
# A share URL is written as a markdown autolink <…>: it must be one URL token.
SAFE_SHARE_URL = re.compile(r"^(https?:)?//[^\s<>\"]+$")


def problems(post, max_replacement_chars: int = 0) -> tuple[str, str] | None:
    """``(reason, detail)`` of the first thing that makes ``post`` unarchivable, or None."""
    missing = [
        name
        for name, present in (
            ("id", post.id),
            ("title", post.title.strip()),
            ("date", post.date is not None),
            ("category", post.category),
            ("tag", post.tag),
            ("body", post.body.strip() or (post.digest or "").strip()),
        )
        if not present
    ]
    if missing:
        return "missing-fields", "missing " + ", ".join(missing)
    if not SAFE_ID.match(post.id):
        return "unsafe-id", f"id {post.id!r} is not a safe file name"
    if not SAFE_CATEGORY.match(post.category):
        return "unsafe-category", f"category {post.category!r} is not a safe slug"
    if post.share_url and not SAFE_SHARE_URL.match(post.share_url):
        return "bad-share-url", f"share URL {post.share_url!r} is not a single http(s) URL"
    if post.date.tzinfo is None:
        return "naive-date", f"date {post.date.isoformat()} has no time zone"
    for name in ("title", "digest", "body"):
        # A page decoded with the wrong charset: archiving it would publish mojibake.
        garbled = looks_garbled(getattr(post, name) or "", max_replacement_chars)
        if garbled:
            return "garbled-text", f"{name} looks wrongly decoded ({garbled})"
    return None


class ValidationPipeline:
    def __init__(self, max_replacement_chars: int = 0):
        self.max_replacement_chars = max_replacement_chars

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler.settings.getint("MAX_REPLACEMENT_CHARS", 0))

    def process_item(self, post, spider=None):
        problem = problems(post, self.max_replacement_chars)
        if problem:
            reason, detail = problem
            raise PostDropped(reason, detail, post.url)
        return post
