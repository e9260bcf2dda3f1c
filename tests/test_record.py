"""WARC recording (crawler/record.py): the middleware in-process, then record a small site
served on loopback and replay the WARC with the server gone."""

from __future__ import annotations

import gzip
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from scrapy import Request, Spider
from scrapy.exceptions import NotConfigured
from scrapy.http import HtmlResponse
from scrapy.utils.test import get_crawler
from warcio.archiveiterator import ArchiveIterator

from crawler.record import WarcRecorderMiddleware
from tests.conftest import shared_path
from tests.replay_support.crawl import run_link_spider


def warc_records(path: Path) -> list[tuple[str, str, object, bytes]]:
    """(type, target URI, HTTP status/headers, raw payload) of every record."""
    with path.open("rb") as handle:
        return [
            (
                record.rec_type,
                record.rec_headers.get_header("WARC-Target-URI"),
                record.http_headers,
                record.raw_stream.read(),
            )
            for record in ArchiveIterator(handle)
        ]


def test_inert_without_record_to():
    with pytest.raises(NotConfigured):
        WarcRecorderMiddleware.from_crawler(get_crawler())


@pytest.mark.parametrize("name", ["out.warc", "out.warc.gz"])
def test_middleware_writes_part_then_renames(tmp_path, name):
    target = tmp_path / "sub" / name
    crawler = get_crawler(settings_dict={"RECORD_TO": str(target)})
    middleware = WarcRecorderMiddleware.from_crawler(crawler)
    spider = Spider("t")
    middleware.spider_opened(spider)
    request = Request("https://site.test/a?b=1", headers={"User-Agent": "tester"})
    body = gzip.compress(b"<title>A</title>")
    response = HtmlResponse(
        request.url,
        status=200,
        body=body,
        request=request,
        headers={"Content-Encoding": "gzip", "Transfer-Encoding": "chunked", "Set-Cookie": ["a=1", "b=2"]},
    )
    assert middleware.process_response(request, response) is response
    # Until the spider closes, only the .part file exists.
    assert (tmp_path / "sub" / f"{name}.part").exists() and not target.exists()
    middleware.spider_closed(spider)
    assert target.exists() and not (tmp_path / "sub" / f"{name}.part").exists()
    assert (target.read_bytes()[:2] == b"\x1f\x8b") == name.endswith(".gz")
    records = warc_records(target)
    assert [(kind, uri) for kind, uri, _, _ in records] == [
        ("warcinfo", None),
        ("response", "https://site.test/a?b=1"),
        ("request", "https://site.test/a?b=1"),
    ]
    _, _, http, payload = records[1]
    assert payload == body  # the raw bytes, still compressed
    assert http.get_statuscode() == "200"
    assert http.headers == [("Content-Encoding", "gzip"), ("Set-Cookie", "a=1"), ("Set-Cookie", "b=2")]
    _, _, request_http, _ = records[2]
    assert request_http.to_str().splitlines()[:3] == ["GET /a?b=1 HTTP/1.1", "Host: site.test", "User-Agent: tester"]
    assert crawler.stats.get_value("record/responses") == 1


# --- record a loopback site, then replay it --------------------------------------------

SITE = {
    "index.html": (
        '<title>Local Home</title><a href="/a.html">a</a> <a href="/docs">docs</a>'
        ' <a href="/missing.html">missing</a> <a href="/packed.html">packed</a>'
    ),
    "a.html": '<title>Local A</title><a href="/">home</a>',
    "docs/index.html": "<title>Local Docs</title>",
}
PACKED_PAGE = b"<html><head><title>Packed Page</title></head></html>"


class SiteHandler(SimpleHTTPRequestHandler):
    """Serves the folder, plus /packed.html gzip-encoded (to see raw bytes recorded)."""

    def do_GET(self):
        if self.path != "/packed.html":
            return super().do_GET()
        body = gzip.compress(PACKED_PAGE)
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format, *args):  # keep the test output quiet
        pass


@pytest.fixture
def served_site(tmp_path):
    root = tmp_path / "site"
    for name, text in SITE.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(SiteHandler, directory=str(root)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def test_record_then_replay(tmp_path, served_site):
    base = f"http://127.0.0.1:{served_site.server_port}"
    warc = tmp_path / "crawl.warc.gz"
    recorded = run_link_spider(
        f"{base}/",
        tmp_path / "record",
        f"RECORD_TO={warc}",
        "AUTOTHROTTLE_ENABLED=False",
        "DOWNLOAD_DELAY=0",
    )
    served_site.shutdown()
    served_site.server_close()

    expected_rows = [
        (f"{base}/", 200, "Local Home"),
        (f"{base}/a.html", 200, "Local A"),
        (f"{base}/docs/", 200, "Local Docs"),
        (f"{base}/missing.html", 404, "Error response"),
        (f"{base}/packed.html", 200, "Packed Page"),
    ]
    assert recorded.item_rows() == expected_rows
    assert warc.exists() and not Path(f"{warc}.part").exists()

    records = warc_records(warc)
    responses = {uri: (http.get_statuscode(), payload) for kind, uri, http, payload in records if kind == "response"}
    # One response per fetched URL: robots.txt (obeyed while recording), the /docs
    # redirect and the 404 included.
    assert sorted(responses) == sorted(
        [f"{base}/robots.txt", f"{base}/", f"{base}/a.html", f"{base}/docs", f"{base}/docs/"]
        + [f"{base}/missing.html", f"{base}/packed.html"]
    )
    assert sum(kind == "response" for kind, _, _, _ in records) == 7
    assert sum(kind == "request" for kind, _, _, _ in records) == 7
    assert recorded.stats["record/responses"] == 7
    assert responses[f"{base}/docs"][0] == "301"
    assert gzip.decompress(responses[f"{base}/packed.html"][1]) == PACKED_PAGE

    replayed = run_link_spider(f"{base}/", tmp_path / "replay", f"REPLAY_SOURCE={warc}")
    assert replayed.item_rows() == expected_rows
    assert replayed.stats["replay/hit"] == 6  # robots.txt is not asked for in replay
    assert "replay/miss" not in replayed.stats
    assert "Replay miss" not in replayed.log


def test_folder_snapshot_converts_to_warc(tmp_path):
    """REPLAY_SOURCE + RECORD_TO turns the real mirror into a WARC that replays the same."""
    mirror = shared_path("finews", "mirror")
    start = "https://finews.withounder.com/"
    warc = tmp_path / "mirror.warc"
    converted = run_link_spider(start, tmp_path / "convert", f"REPLAY_SOURCE={mirror}", f"RECORD_TO={warc}")
    assert converted.stats["record/responses"] == converted.stats["replay/hit"] == 27
    assert converted.stats["record/skipped_replay_miss"] == 77  # misses stay misses
    assert sum(kind == "response" for kind, _, _, _ in warc_records(warc)) == 27

    replayed = run_link_spider(start, tmp_path / "replay", f"REPLAY_SOURCE={warc}")
    assert replayed.item_rows() == converted.item_rows()
    assert (replayed.stats["replay/hit"], replayed.stats["replay/miss"]) == (27, 77)
