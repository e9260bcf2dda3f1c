"""The ``eastmoney`` spider: EastMoney's list APIs, then the text API for each record,
as the original archive's script did every five minutes.

    scrapy crawl eastmoney [-a feeds=emnews,media,market]

Every record a list gives ends as a yielded post, as a logged and counted drop, or (with
``INCREMENTAL``, the default) as a known post: one already archived or recorded as a
duplicate, recognised from the state store before its text is requested. A record whose
text request fails (HTTP error, network error, empty text) is dropped with
its reason (``eastmoney/text_failed``); nothing marks it as seen, so the next run, which
finds it in the list again, requests it again.
"""

from __future__ import annotations

import scrapy
from scrapy.spidermiddlewares.httperror import HttpError

from crawler.eastmoney import (
    FEEDS,
    FeedRecord,
    ListFormatError,
    TextUnavailable,
    list_urls,
    parse_feed_list,
    parse_market_list,
    parse_media_list,
    post_from_record,
    text_api_text,
    text_api_url,
)
from crawler.report import report_drop
from pipelines.dedupe import open_store


class EastMoneySpider(scrapy.Spider):
    name = "eastmoney"

    def __init__(self, feeds: str = ",".join(FEEDS), *args, **kwargs):
        super().__init__(*args, **kwargs)
        wanted = [feed.strip() for feed in feeds.split(",") if feed.strip()]
        unknown = sorted(set(wanted) - set(FEEDS))
        if unknown or not wanted:
            raise ValueError(f"feeds must be a comma-separated subset of {','.join(FEEDS)}; got {feeds!r}")
        self.feeds = list(dict.fromkeys(wanted))
        # (feed, post id) of records already requested this run: lists overlap.
        self._requested: set[tuple[str, str]] = set()
        self.store = None

    async def start(self):
        if self.settings.getbool("INCREMENTAL", True):
            self.store = open_store(self.settings)
        for feed in self.feeds:
            for url in list_urls(self.settings, feed):
                yield scrapy.Request(url, callback=self.parse_list, errback=self.list_failed, cb_kwargs={"feed": feed})

    # --- lists ---------------------------------------------------------------------------

    def _records(self, response, feed: str) -> list[FeedRecord]:
        overrides = self.settings.getdict("CATEGORY_SLUG_OVERRIDES")
        if feed == "emnews":
            return parse_feed_list(response)
        parse = parse_media_list if feed == "media" else parse_market_list
        return parse(response, self.settings, overrides)

    def parse_list(self, response, feed: str):
        stats = self.crawler.stats
        try:
            records = self._records(response, feed)
        except ListFormatError as exc:
            stats.inc_value("eastmoney/list_failed")
            report_drop(self.crawler, response.url, "eastmoney-list-failed", f"{feed} list unreadable: {exc}")
            return
        stats.inc_value(f"eastmoney/lists/{feed}")
        for record in records:
            stats.inc_value("eastmoney/records")
            stats.inc_value(f"eastmoney/records/{feed}")
            if record.problem:
                stats.inc_value("eastmoney/record_invalid")
                detail = f"{feed} record {record.post_id or '?'} ({record.title!r}): {record.problem}"
                report_drop(self.crawler, response.url, "eastmoney-invalid-record", detail)
                continue
            key = (record.feed, record.post_id)
            if key in self._requested:
                stats.inc_value("eastmoney/record_repeated")
                self.logger.debug("EastMoney %s record %s listed twice <%s>", feed, record.post_id, response.url)
                continue
            self._requested.add(key)
            if self.store is not None and self.store.is_known(record.category, record.post_id):
                stats.inc_value("incremental/known_posts_skipped")
                continue
            # dont_filter: the feed and a media list name the same article with the same
            # infoCode, hence the same text URL, and each needs its own answer.
            yield scrapy.Request(
                text_api_url(record.info_code, self.settings),
                callback=self.parse_text,
                errback=self.text_failed,
                cb_kwargs={"record": record},
                dont_filter=True,
            )

    def closed(self, reason):
        if self.store is not None:
            self.store.close()

    def list_failed(self, failure):
        self.crawler.stats.inc_value("eastmoney/list_failed")
        feed = failure.request.cb_kwargs.get("feed", "")
        report_drop(
            self.crawler, failure.request.url, "eastmoney-list-failed", f"{feed} list: {_failure_reason(failure)}"
        )

    # --- texts ---------------------------------------------------------------------------

    def parse_text(self, response, record: FeedRecord):
        try:
            text = text_api_text(response, prefer="content" if record.feed == "emnews" else "text")
        except TextUnavailable as exc:
            self._text_dropped(record, response.url, exc.reason)
            return
        self.crawler.stats.inc_value(f"eastmoney/posts/{record.feed}")
        yield post_from_record(record, text, response.url)

    def text_failed(self, failure):
        request = failure.request
        self._text_dropped(request.cb_kwargs["record"], request.url, _failure_reason(failure))

    def _text_dropped(self, record: FeedRecord, url: str, reason: str) -> None:
        stats = self.crawler.stats
        stats.inc_value("eastmoney/text_failed")
        stats.inc_value(f"eastmoney/text_failed/{record.feed}")
        # Not archived, so not seen: the next run finds the record in its list again.
        detail = f"{record.feed} record {record.post_id}: {reason}; retried next run"
        report_drop(self.crawler, url, "eastmoney-text-unavailable", detail)


def _failure_reason(failure) -> str:
    if failure.check(HttpError):
        return f"HTTP {failure.value.response.status}"
    return f"{failure.type.__name__}: {failure.getErrorMessage()}"
