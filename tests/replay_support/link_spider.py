"""Test spider for replay/record crawls: from ``start_url`` it fetches every ``<a href>`` of
every page on the start host (off-host links are fetched once, never followed further)
and yields ``{"url", "status", "title"}`` for each response, 404s included.

``-a run_out=FILE`` dumps the final stats and the effective settings that matter to JSON
when the spider closes, so tests need not parse the log.
"""

from __future__ import annotations

import json
from urllib.parse import urlsplit

import scrapy
from scrapy.http import TextResponse

REPORTED_SETTINGS = ("AUTOTHROTTLE_ENABLED", "DOWNLOAD_DELAY", "ROBOTSTXT_OBEY", "RETRY_ENABLED")


class LinkSpider(scrapy.Spider):
    name = "replay_links"
    custom_settings = {"HTTPERROR_ALLOW_ALL": True}  # misses become items too

    def __init__(self, start_url: str, run_out: str = "", **kwargs):
        super().__init__(**kwargs)
        self.start_url = start_url
        self.start_host = urlsplit(start_url).hostname
        self.run_out = run_out

    async def start(self):
        yield scrapy.Request(self.start_url)

    def parse(self, response):
        is_text = isinstance(response, TextResponse)
        title = (response.css("title::text").get() or "").strip() if is_text else ""
        yield {"url": response.url, "status": response.status, "title": title}
        if not is_text or urlsplit(response.url).hostname != self.start_host:
            return
        for href in response.css("a::attr(href)").getall():
            url = response.urljoin(href)
            if urlsplit(url).scheme in ("http", "https"):
                yield scrapy.Request(url)

    def closed(self, reason):
        if not self.run_out:
            return
        settings = self.crawler.settings
        report = {
            "reason": reason,
            "stats": {key: value for key, value in self.crawler.stats.get_stats().items() if "/" in key},
            "settings": {name: settings.get(name) for name in REPORTED_SETTINGS},
            "download_handlers": dict(settings.getwithbase("DOWNLOAD_HANDLERS")),
        }
        with open(self.run_out, "w", encoding="utf-8") as handle:
            json.dump(report, handle, indent=1, default=str, sort_keys=True)
