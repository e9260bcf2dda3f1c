"""Offline replay: ``-s REPLAY_SOURCE=PATH`` makes any spider answer every request from a
saved snapshot instead of the network, through the real engine and every downloader
middleware. Spider URLs are not rewritten: the snapshot is keyed by the real URL.

PATH is one of:

* a **WARC file** (``.warc`` / ``.warc.gz``): ``response`` records are indexed by
  ``WARC-Target-URI`` (fragment dropped) when the crawl starts; the last record for a URL
  wins. Status, headers and body are served exactly as recorded (still compressed if the
  server compressed them, so HttpCompressionMiddleware and friends run as live); only
  ``Transfer-Encoding: chunked`` is undone, as a live download handler would.
* a **folder of host folders**, ``PATH/<host>/<path>``, like a ``wget --mirror`` tree:

  - scheme and port are ignored (http and https of a host hit the same folder) and the
    host is lower-cased;
  - the path is percent-decoded; ``/`` and any path ending in ``/`` map to
    ``index.html`` inside it; a path that names a directory maps to its ``index.html``;
  - a URL with a query maps to a file named ``<path>?<query>`` literally;
  - Content-Type comes from the extension (``mimetypes`` built-in table; body sniffing
    for unknown extensions), plus ``; charset=utf-8`` for text types, because the shared
    pages are stored as UTF-8 even where their ``<meta>`` says gb2312;
  - a sidecar ``<file>.headers`` (lines ``Name: value``, optional first line
    ``HTTP/1.1 <status> [reason]``) gives status and headers explicitly; a guessed
    Content-Type is added only when it has none. A sidecar without its file serves an
    empty body (handy for redirects).

The request method is ignored. A URL not in the snapshot gets an empty 404 flagged
``replay-miss``, a ``Replay miss: <url>`` warning and the ``replay/miss`` stat; hits count
``replay/hit``. Every scheme Scrapy knows is routed here, so nothing reaches the network.
"""

from __future__ import annotations

import logging
import mimetypes
import weakref
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING
from urllib.parse import unquote, urldefrag, urlsplit

from scrapy.core.downloader.handlers.base import BaseDownloadHandler
from scrapy.exceptions import UsageError
from scrapy.http import Headers, Response
from scrapy.responsetypes import responsetypes
from w3lib.url import safe_url_string
from warcio.archiveiterator import ArchiveIterator
from warcio.bufferedreaders import ChunkedDataReader

if TYPE_CHECKING:
    from scrapy import Request
    from scrapy.crawler import Crawler
    from scrapy.settings import Settings

logger = logging.getLogger(__name__)

HANDLER_PATH = "crawler.replay.ReplayDownloadHandler"
# Above "project" (20), where base.py lives, so the replay overrides beat it; below
# "spider" (30) and "cmdline" (40), so an explicit -s still wins.
REPLAY_SETTINGS_PRIORITY = 25
# Handlers are routed at the top priority: no spider or -s may reopen the network.
REPLAY_HANDLERS_PRIORITY = 40
WARC_SUFFIXES = (".warc", ".warc.gz")
SIDECAR_SUFFIX = ".headers"

# The built-in table only, so a guess never depends on the host's /etc/mime.types.
_MIME_TYPES = mimetypes.MimeTypes(filenames=())
_TEXT_APPLICATION_TYPES = {"application/javascript", "application/json", "application/xml"}


@dataclass(frozen=True)
class StoredResponse:
    """One answer from a snapshot, before it becomes a Scrapy response."""

    status: int
    headers: tuple[tuple[str, str], ...]
    body: bytes
    protocol: str = "HTTP/1.1"


# --- folder snapshots ------------------------------------------------------------------


def folder_relpath_for(url: str) -> PurePosixPath | None:
    """``<host>/<path>`` of a URL inside a folder snapshot (before the directory check),
    or None when the URL cannot name a file there (no host, ``..`` segments)."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if not host:
        return None
    path = unquote(parts.path) or "/"
    if path.endswith("/"):
        path += "index.html"
    segments = [segment for segment in path.split("/") if segment not in ("", ".")]
    if ".." in segments or not segments:
        return None
    if parts.query:
        segments[-1] += "?" + parts.query
    return PurePosixPath(host, *segments)


def is_text_type(media_type: str) -> bool:
    return (
        media_type.startswith("text/")
        or media_type in _TEXT_APPLICATION_TYPES
        or media_type.endswith(("+xml", "+json"))
    )


def content_type_for(path: str, body: bytes) -> str:
    """Content-Type for a stored file: its extension, else a sniff of the body."""
    media_type, _ = _MIME_TYPES.guess_type(path, strict=False)
    if media_type is None:
        sniffed = responsetypes.from_body(body).__name__
        media_type = {
            "HtmlResponse": "text/html",
            "XmlResponse": "text/xml",
            "TextResponse": "text/plain",
        }.get(sniffed, "application/octet-stream")
    return f"{media_type}; charset=utf-8" if is_text_type(media_type) else media_type


def parse_headers_sidecar(text: str) -> tuple[int, tuple[tuple[str, str], ...]]:
    """Status and headers from a ``.headers`` sidecar; raises ValueError on a bad line."""
    status = 200
    headers: list[tuple[str, str]] = []
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if lines and lines[0].upper().startswith("HTTP/"):
        fields = lines.pop(0).split(None, 2)
        if len(fields) < 2 or not fields[1].isdigit():
            raise ValueError(f"bad status line in headers sidecar: {text.splitlines()[0]!r}")
        status = int(fields[1])
    for line in lines:
        name, colon, value = line.partition(":")
        if not colon or not name.strip():
            raise ValueError(f"bad header line in headers sidecar: {line!r}")
        headers.append((name.strip(), value.strip()))
    return status, tuple(headers)


class FolderSnapshot:
    """A tree of host folders; see the module docstring for the URL → file mapping."""

    def __init__(self, root: Path):
        self.root = Path(root)

    def file_for(self, url: str) -> Path | None:
        """The file a URL maps to (it may not exist), or None when it cannot map."""
        relpath = folder_relpath_for(url)
        if relpath is None:
            return None
        path = self.root.joinpath(*relpath.parts)
        if path.is_dir():
            path = path / "index.html"
        return path

    def lookup(self, url: str) -> StoredResponse | None:
        path = self.file_for(url)
        if path is None:
            return None
        sidecar = path.with_name(path.name + SIDECAR_SUFFIX)
        has_file, has_sidecar = path.is_file(), sidecar.is_file()
        if not (has_file or has_sidecar):
            return None
        body = path.read_bytes() if has_file else b""
        status, headers = 200, ()
        if has_sidecar:
            status, headers = parse_headers_sidecar(sidecar.read_text(encoding="utf-8"))
        if not any(name.lower() == "content-type" for name, _ in headers):
            if has_file:
                # The type comes from the path part, never from a literal "?query".
                plain_name = path.name.partition("?")[0]
                headers += (("Content-Type", content_type_for(plain_name, body)),)
        return StoredResponse(status, headers, body)


# --- WARC snapshots --------------------------------------------------------------------


def replay_key(url: str) -> str:
    """The form both a request URL and a WARC-Target-URI are indexed by."""
    return safe_url_string(urldefrag(url.strip().strip("<>")).url)


class WarcSnapshot:
    """``response`` records of a WARC file, indexed by target URI (the last one wins)."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self.offsets: dict[str, int] = {}
        with self.path.open("rb") as handle:
            records = ArchiveIterator(handle)
            for record in records:
                uri = record.rec_headers.get_header("WARC-Target-URI")
                if record.rec_type == "response" and uri and record.http_headers:
                    self.offsets[replay_key(uri)] = records.get_record_offset()

    def __len__(self) -> int:
        return len(self.offsets)

    def lookup(self, url: str) -> StoredResponse | None:
        offset = self.offsets.get(replay_key(url))
        if offset is None:
            return None
        with self.path.open("rb") as handle:
            handle.seek(offset)
            record = next(iter(ArchiveIterator(handle)))
            http = record.http_headers
            headers = tuple(http.headers)
            if (http.get_header("Transfer-Encoding") or "").lower() == "chunked":
                # Undo only the chunking; any Content-Encoding stays for the middlewares.
                body = ChunkedDataReader(record.raw_stream).read()
                headers = tuple(h for h in headers if h[0].lower() != "transfer-encoding")
            else:
                body = record.raw_stream.read()
        return StoredResponse(int(http.get_statuscode()), headers, body, http.protocol or "HTTP/1.1")


def is_warc_path(path: Path) -> bool:
    return path.name.lower().endswith(WARC_SUFFIXES)


def check_source(source: str) -> Path:
    """The snapshot path, or UsageError when it is neither a folder nor a WARC file."""
    path = Path(source)
    if path.is_dir() or (path.is_file() and is_warc_path(path)):
        return path
    raise UsageError(f"REPLAY_SOURCE must be a folder of host folders or a .warc/.warc.gz file: {source}")


def open_snapshot(source: str) -> FolderSnapshot | WarcSnapshot:
    path = check_source(source)
    return FolderSnapshot(path) if path.is_dir() else WarcSnapshot(path)


# --- Scrapy components -----------------------------------------------------------------

# One snapshot per crawler, shared by the handler instances (one is built per scheme).
_snapshots: weakref.WeakKeyDictionary[Crawler, FolderSnapshot | WarcSnapshot] = weakref.WeakKeyDictionary()


def snapshot_for(crawler: Crawler) -> FolderSnapshot | WarcSnapshot:
    if crawler not in _snapshots:
        source = crawler.settings.get("REPLAY_SOURCE")
        _snapshots[crawler] = snapshot = open_snapshot(source)
        size = f"{len(snapshot)} responses" if isinstance(snapshot, WarcSnapshot) else "folder"
        logger.info("Replaying from %s (%s)", source, size, extra={"crawler": crawler})
    return _snapshots[crawler]


class ReplayDownloadHandler(BaseDownloadHandler):
    """Answers every request from the ``REPLAY_SOURCE`` snapshot; a miss is an empty 404."""

    lazy = False  # open (and index) the snapshot at startup, so a bad one fails early

    def __init__(self, crawler: Crawler):
        super().__init__(crawler)
        self.snapshot = snapshot_for(crawler)

    async def download_request(self, request: Request) -> Response:
        stored = self.snapshot.lookup(request.url)
        stats = self.crawler.stats
        if stored is None:
            stats.inc_value("replay/miss")
            logger.warning("Replay miss: %s", request.url, extra={"crawler": self.crawler})
            return Response(request.url, status=404, body=b"", flags=["replay-miss"], request=request)
        stats.inc_value("replay/hit")
        headers = Headers()
        for name, value in stored.headers:
            headers.appendlist(name, value)
        response_class = responsetypes.from_args(headers=headers, url=request.url, body=stored.body)
        return response_class(
            url=request.url,
            status=stored.status,
            headers=headers,
            body=stored.body,
            flags=["replay"],
            request=request,
            protocol=stored.protocol,
        )


class ReplayAddon:
    """Inert unless ``REPLAY_SOURCE`` is set; then applies ``crawler.settings.replay`` and
    routes every download-handler scheme to :class:`ReplayDownloadHandler`."""

    def update_settings(self, settings: Settings) -> None:
        source = settings.get("REPLAY_SOURCE")
        if not source:
            return
        check_source(source)
        settings.setmodule("crawler.settings.replay", priority=REPLAY_SETTINGS_PRIORITY)
        schemes = set(settings.getwithbase("DOWNLOAD_HANDLERS")) | {"http", "https"}
        settings.set(
            "DOWNLOAD_HANDLERS",
            dict.fromkeys(sorted(schemes), HANDLER_PATH),
            priority=REPLAY_HANDLERS_PRIORITY,
        )
