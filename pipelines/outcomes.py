"""How a pipeline says a post leaves the run without being archived.

Both are ``DropItem`` so Scrapy's ``item_dropped`` signal carries them to the run
report (``crawler.report``); the log formatter prints them as one short line with
the URL and reason instead of the whole item.
"""

from __future__ import annotations

from scrapy.exceptions import DropItem


class PostDropped(DropItem):
    """The post cannot be archived. ``reason`` is a short slug used in the
    ``dropped/<reason>`` stat; ``detail`` is the human sentence for the log."""

    def __init__(self, reason: str, detail: str, url: str = ""):
        self.reason = reason
        self.detail = detail
        self.url = url
        super().__init__(f"{reason}: {detail} <{url}>", log_level="WARNING")


class DuplicatePost(DropItem):
    """The post is an article already archived. ``of`` names the archived post
    (its id), ``kind`` how it was recognised (``same-id``, ``same-url``,
    ``same-article``, ``same-body``, ``near-body``)."""

    def __init__(self, of: str, kind: str, url: str = "", post_id: str = ""):
        self.of = of
        self.kind = kind
        self.url = url
        self.post_id = post_id
        super().__init__(f"duplicate ({kind}) of {of}: {post_id} <{url}>", log_level="INFO")
