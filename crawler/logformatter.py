"""Log lines for posts: one short line per dropped post (URL and reason), never the
whole item, whose body can run to thousands of characters."""

from __future__ import annotations

import logging

from scrapy.logformatter import LogFormatter


class PostLogFormatter(LogFormatter):
    def dropped(self, item, exception, response, spider):
        entry = super().dropped(item, exception, response, spider)
        entry["msg"] = "Dropped: %(exception)s"
        entry["args"] = {"exception": exception}
        return entry

    def scraped(self, item, response, spider):
        entry = super().scraped(item, response, spider)
        entry["level"] = logging.DEBUG
        entry["msg"] = "Scraped %(post_id)s from %(src)s"
        entry["args"] = {"post_id": getattr(item, "id", "?"), "src": getattr(item, "url", response)}
        return entry
