"""The post model: one archived article, whatever spider or importer produced it.

Every component (spiders, ``import-posts``, pipelines, the exporter) passes ``Post``
objects, used through itemadapter like any Scrapy item.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime

# EastMoney article codes: 18 digits, yyyymmdd + 10 digits. Media posts carry them
# with an "NW" prefix (NW202201032234253198), rolling-feed posts bare
# (202201032234253198); both name the same upstream article.
_ARTICLE_CODE = re.compile(r"(?<!\d)(\d{18})(?!\d)")


def article_key_for(post_id: str) -> str:
    """The canonical deduplication key of a post id: the EastMoney article code when
    the id carries one, else the id itself."""
    match = _ARTICLE_CODE.search(post_id or "")
    return match.group(1) if match else (post_id or "")


@dataclass
class Post:
    """One article, as the archive stores it.

    ``digest`` has three states because the archive has two body layouts:
    ``None`` for media posts (the body follows the front matter directly) and a
    string for rolling-feed posts, whose body opens with a ``> digest`` line, or
    with a blank line when the feed gave no digest (``""``).
    """

    id: str = ""
    title: str = ""
    date: datetime | None = None  # timezone-aware; None until the date pipeline has run
    category: str = ""  # slug: the pinyin of the media name, or "emnews"
    tag: str = ""  # media name + 新闻, or 东财滚动新闻
    body: str = ""  # HTML (or the plain text of early feed posts), as published
    digest: str | None = None
    share_url: str = ""  # link to the original article
    url: str = ""  # where this copy was crawled (or imported) from
    article_key: str = ""  # dedupe key; filled from id when empty
    date_raw: str = ""  # the date string exactly as the source showed it
    date_only: bool = False  # the source gave a date without a time of day
    body_source: str = ""  # which source the body came from: mirror, upstream, feed-api, import
    source_media: str = ""  # the media name as shown by the source (来源：…)
    extractor: str = ""  # profile or generic path that produced the fields
    crawled_at: datetime | None = None
    extra: dict = field(default_factory=dict)  # facts a pipeline records about the post (related posts…)

    def __post_init__(self) -> None:
        if not self.article_key:
            self.article_key = article_key_for(self.id)

    @property
    def is_feed_post(self) -> bool:
        return self.digest is not None
