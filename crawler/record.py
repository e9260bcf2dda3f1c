"""Recording: ``-s RECORD_TO=FILE.warc.gz`` writes every response the crawl downloads to a
WARC file (a request record and a response record each), which ``-s REPLAY_SOURCE=FILE``
can replay later (see :mod:`crawler.replay`).

The middleware sits close to the downloader (950 in base.py), so it stores the body as the
server sent it, before HttpCompressionMiddleware decompresses it or RedirectMiddleware
follows a redirect. ``Transfer-Encoding`` is left out of the stored headers: the download
handler has already undone the chunking, so the stored body is not chunked.

Records go to ``FILE.part``, renamed to FILE when the spider closes, so a crashed crawl
never leaves a truncated file under the final name. The file is gzipped per record when
the name ends in ``.gz``.

With ``REPLAY_SOURCE`` set too, replayed responses are recorded like live ones: that is
how a folder snapshot is turned into a WARC file. Replay misses (the empty 404s flagged
``replay-miss``) are not recorded, so they stay misses when the WARC is replayed; they
count ``record/skipped_replay_miss``.
"""

from __future__ import annotations

import logging
import os
from http import HTTPStatus
from io import BytesIO
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO
from urllib.parse import urlsplit

from scrapy import signals
from scrapy.exceptions import NotConfigured
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

if TYPE_CHECKING:
    from scrapy import Request, Spider
    from scrapy.crawler import Crawler
    from scrapy.http import Headers, Response

logger = logging.getLogger(__name__)

PART_SUFFIX = ".part"
# Hop-by-hop framing the handler already removed from the body.
_UNRECORDED_RESPONSE_HEADERS = frozenset({"transfer-encoding"})


def header_pairs(headers: Headers, skip: frozenset[str] = frozenset()) -> list[tuple[str, str]]:
    """Scrapy headers as (name, value) text pairs, one per value, in order."""
    pairs = []
    for name, values in headers.items():
        text_name = name.decode("latin-1")
        if text_name.lower() in skip:
            continue
        pairs.extend((text_name, value.decode("latin-1")) for value in values)
    return pairs


def request_status_and_headers(request: Request) -> StatusAndHeaders:
    parts = urlsplit(request.url)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    headers = header_pairs(request.headers)
    if not any(name.lower() == "host" for name, _ in headers):
        headers.insert(0, ("Host", parts.netloc))
    return StatusAndHeaders(f"{request.method} {target} HTTP/1.1", headers, is_http_request=True)


def response_status_and_headers(response: Response) -> StatusAndHeaders:
    try:
        reason = HTTPStatus(response.status).phrase
    except ValueError:
        reason = ""
    statusline = f"{response.status} {reason}".strip()
    headers = header_pairs(response.headers, skip=_UNRECORDED_RESPONSE_HEADERS)
    return StatusAndHeaders(statusline, headers, protocol=response.protocol or "HTTP/1.1")


class WarcRecorderMiddleware:
    """Downloader middleware writing each (request, response) pair to ``RECORD_TO``."""

    def __init__(self, crawler: Crawler, target: Path):
        self.crawler = crawler
        self.target = target
        self.part = target.with_name(target.name + PART_SUFFIX)
        self.handle: BinaryIO | None = None
        self.writer: WARCWriter | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> WarcRecorderMiddleware:
        target = crawler.settings.get("RECORD_TO")
        if not target:
            raise NotConfigured
        middleware = cls(crawler, Path(target))
        crawler.signals.connect(middleware.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(middleware.spider_closed, signal=signals.spider_closed)
        return middleware

    def spider_opened(self, spider: Spider) -> None:
        self.part.parent.mkdir(parents=True, exist_ok=True)
        self.handle = self.part.open("wb")
        self.writer = WARCWriter(self.handle, gzip=self.target.name.endswith(".gz"))
        info = {"software": "finews-archiver (Scrapy)", "format": "WARC File Format 1.1"}
        self.writer.write_record(self.writer.create_warcinfo_record(self.target.name, info))
        logger.info("Recording responses to %s", self.target, extra={"crawler": self.crawler})

    def spider_closed(self, spider: Spider) -> None:
        if self.handle is None:
            return
        self.handle.close()
        self.handle = self.writer = None
        os.replace(self.part, self.target)
        count = self.crawler.stats.get_value("record/responses", 0)
        logger.info("Recorded %d responses to %s", count, self.target, extra={"crawler": self.crawler})

    def process_response(self, request: Request, response: Response) -> Response:
        if self.writer is None:
            logger.warning("Not recorded (no open WARC): %s", response.url, extra={"crawler": self.crawler})
            self.crawler.stats.inc_value("record/skipped")
            return response
        if "replay-miss" in response.flags:
            self.crawler.stats.inc_value("record/skipped_replay_miss")
            return response
        self.write_pair(request, response)
        self.crawler.stats.inc_value("record/responses")
        return response

    def write_pair(self, request: Request, response: Response) -> None:
        writer = self.writer
        assert writer is not None
        warc_headers = {"WARC-IP-Address": str(response.ip_address)} if response.ip_address else {}
        response_record = writer.create_warc_record(
            request.url,  # the key replay looks answers up by
            "response",
            payload=BytesIO(response.body),
            length=len(response.body),
            http_headers=response_status_and_headers(response),
            warc_headers_dict=warc_headers,
        )
        request_record = writer.create_warc_record(
            request.url,
            "request",
            payload=BytesIO(request.body),
            length=len(request.body),
            http_headers=request_status_and_headers(request),
        )
        writer.write_request_response_pair(request_record, response_record)
