"""EastMoney, the source of the original archive: parsers for its list and text APIs and
its article pages, and the share-link helpers the ``finews`` mirror spider uses.

Everything here is a pure function of a response (plus settings for URLs); the
``eastmoney`` spider (``crawler/spiders/eastmoney.py``) only decides what to request.

The original script polled three kinds of list API every five minutes:

- the rolling feed (``emnews``): ``{"records": [{"title", "digest", "id", "url_w",
  "showtime", "infoCode"}]}``;
- media lists: ``{"nodeList": [{"from", "infocode", "title", "showtime"}]}``;
- market lists: ``{"record": [{"medianame", "infoCode", "datetime", "title"}]}``;

and took each article's text from ``GetNewsText.do?id=<infoCode>``: ``{"content": …}``
for the feed, ``{"text": …}`` for the media lists. Dates are Beijing wall-clock strings
(``2022-05-26 00:19:55``), written to the post with ``+0800``; they go to ``date_raw``
and the date pipeline turns them into instants.
"""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

import scrapy
from scrapy.http import HtmlResponse, TextResponse

from crawler.items import Post
from crawler.slugs import FEED_TAG, category_slug, media_tag
from pipelines.postfile import FEED_CATEGORY

# --- Endpoints: settings with the original script's URLs as defaults -----------------------

FEED_LIST_URLS_SETTING = "EASTMONEY_FEED_LIST_URLS"
MEDIA_LIST_URLS_SETTING = "EASTMONEY_MEDIA_LIST_URLS"
MARKET_LIST_URLS_SETTING = "EASTMONEY_MARKET_LIST_URLS"
TEXT_API_URL_SETTING = "EASTMONEY_TEXT_API_URL"
SHARE_URL_SETTING = "EASTMONEY_SHARE_URL"

DEFAULT_FEED_LIST_URLS = ["http://183.136.162.242/web/webapi?type=102&count=100&newsid=1"]
DEFAULT_MEDIA_LIST_URLS = ["http://183.136.162.242/web/webapi?type=45&count=100&newsid=1"]
DEFAULT_MARKET_LIST_URLS = [
    f"http://43.240.125.15:1818/information/newmarket/web/webapi?marketType={market}&count=100"
    for market in ("37", "38", "39")
]
# ``{info_code}`` is replaced by the record's infoCode (NW202201032234253198).
DEFAULT_TEXT_API_URL = "http://choicewzp1.eastmoney.com/NewsData/GetNewsText.do?id={info_code}"
# The media posts' share link; the original archive's posts all point at this host.
DEFAULT_SHARE_URL = "http://finews.zning.xyz/html_News/NewsShare.html?infoCode={info_code}"

FEEDS = ("emnews", "media", "market")

EXTRACTOR_TEXT_API = "eastmoney-text-api"
EXTRACTOR_ARTICLE_PAGE = "eastmoney-article-page"

_ARTICLE_CODE = re.compile(r"(?<!\d)(\d{18})(?!\d)")
# finance.eastmoney.com/a/202205262391921712.html, …/news/1354,202205262391921712.html
_ARTICLE_PATH = re.compile(r"^/(?:a/|news/\d+,)(\d{18})\.html$")
_SHARE_PAGE_PATH = re.compile(r"/NewsShare\.html$", re.IGNORECASE)
_TEXT_API_PATH = re.compile(r"/GetNewsText\.do$", re.IGNORECASE)
# The last paragraph of EastMoney bodies names the source; widgets may sit inside it.
_EM_MEDIA = re.compile(r'<p class="em_media">（文章来源：(.*?)）</p>', re.DOTALL)
_TAG = re.compile(r"<[^>]+>")
_PAGE_DATE = re.compile(r"\d{4}年\d{1,2}月\d{1,2}日\s*\d{1,2}:\d{2}(?::\d{2})?")
_PAGE_SOURCE = re.compile(r"来源[：:]\s*(\S+)")


def list_urls(settings, feed: str) -> list[str]:
    """The list API URLs of one feed (``emnews``, ``media`` or ``market``)."""
    name, default = {
        "emnews": (FEED_LIST_URLS_SETTING, DEFAULT_FEED_LIST_URLS),
        "media": (MEDIA_LIST_URLS_SETTING, DEFAULT_MEDIA_LIST_URLS),
        "market": (MARKET_LIST_URLS_SETTING, DEFAULT_MARKET_LIST_URLS),
    }[feed]
    return settings.getlist(name, default)


def text_api_url(info_code: str, settings=None) -> str:
    template = settings.get(TEXT_API_URL_SETTING, DEFAULT_TEXT_API_URL) if settings else DEFAULT_TEXT_API_URL
    return template.format(info_code=info_code)


def media_share_url(info_code: str, settings=None) -> str:
    template = settings.get(SHARE_URL_SETTING, DEFAULT_SHARE_URL) if settings else DEFAULT_SHARE_URL
    return template.format(info_code=info_code)


# --- List APIs -------------------------------------------------------------------------------


class ListFormatError(ValueError):
    """A list API answer that is not the JSON object the parser expects."""


@dataclass(frozen=True)
class FeedRecord:
    """One entry of a list API: what the post needs besides its text.

    ``problem`` is non-empty when the record cannot become a post (no infoCode,
    title or date); the spider logs and counts it instead of requesting its text.
    """

    feed: str  # emnews, media or market
    info_code: str  # the text API's id, as the list gives it
    post_id: str
    title: str
    date_raw: str
    category: str
    tag: str
    share_url: str
    media: str = ""  # media name (media and market lists)
    digest: str | None = None  # emnews: the digest after its last 】 ("" when none)
    list_url: str = ""
    problem: str = ""


def _json_body(response) -> object:
    """The response body as JSON (UTF-8, with or without BOM; GB18030 as a fallback)."""
    body = response.body
    try:
        text = body.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = body.decode("gb18030")
    return json.loads(text)


def _entries(response, key: str) -> list[dict]:
    try:
        data = _json_body(response)
    except (ValueError, UnicodeDecodeError) as exc:
        raise ListFormatError(f"not JSON: {exc}") from exc
    if not isinstance(data, dict) or key not in data:
        raise ListFormatError(f"no {key!r} list in the answer")
    entries = data[key]
    if entries is None:  # an empty list is sometimes sent as null
        return []
    if not isinstance(entries, list):
        raise ListFormatError(f"{key!r} is not a list")
    return [entry if isinstance(entry, dict) else {} for entry in entries]


def _text(value) -> str:
    return "" if value is None else str(value).strip()


def feed_digest(raw) -> str:
    """The feed's digest as the post shows it: the text after its last 】 (the digest
    opens with 【title】), on one line; "" when the feed gives none."""
    text = _text(raw).split("】")[-1]
    return " ".join(text.split()) if "\n" in text or "\r" in text else text.strip()


def _problem(info_code: str, title: str, date_raw: str, date_key: str) -> str:
    missing = [name for name, value in (("infoCode", info_code), ("title", title), (date_key, date_raw)) if not value]
    return f"missing {', '.join(missing)}" if missing else ""


def parse_feed_list(response) -> list[FeedRecord]:
    """Records of the rolling feed's list API (``{"records": […]}``)."""
    records = []
    for entry in _entries(response, "records"):
        info_code = _text(entry.get("infoCode"))
        code = _ARTICLE_CODE.search(info_code)
        post_id = code.group(1) if code else _text(entry.get("id")) or info_code
        title, date_raw = _text(entry.get("title")), _text(entry.get("showtime"))
        # url_w is the article's page; without it, the page's unique URL by its code.
        share_url = _text(entry.get("url_w")) or (f"http://finance.eastmoney.com/a/{post_id}.html" if code else "")
        records.append(
            FeedRecord(
                feed="emnews",
                info_code=info_code,
                post_id=post_id,
                title=title,
                date_raw=date_raw,
                category=FEED_CATEGORY,
                tag=FEED_TAG,
                share_url=share_url,
                digest=feed_digest(entry.get("digest")),
                list_url=response.url,
                problem=_problem(info_code, title, date_raw, "showtime"),
            )
        )
    return records


def _media_records(
    response, feed: str, key: str, fields: tuple[str, str, str], settings, slug_overrides
) -> list[FeedRecord]:
    media_key, code_key, date_key = fields
    records = []
    for entry in _entries(response, key):
        media, info_code = _text(entry.get(media_key)), _text(entry.get(code_key))
        title, date_raw = _text(entry.get("title")), _text(entry.get(date_key))
        problem = _problem(info_code, title, date_raw, date_key)
        if not problem and not media:
            problem = f"missing {media_key}"
        records.append(
            FeedRecord(
                feed=feed,
                info_code=info_code,
                post_id=info_code,  # NW + the article code, as the infocode gives it
                title=title,
                date_raw=date_raw,
                category=category_slug(media, slug_overrides) if media else "",
                tag=media_tag(media) if media else "",
                share_url=media_share_url(info_code, settings),
                media=media,
                list_url=response.url,
                problem=problem,
            )
        )
    return records


def parse_media_list(response, settings=None, slug_overrides: Mapping[str, str] | None = None) -> list[FeedRecord]:
    """Records of a media list API (``{"nodeList": [{"from", "infocode", …}]}``)."""
    return _media_records(response, "media", "nodeList", ("from", "infocode", "showtime"), settings, slug_overrides)


def parse_market_list(response, settings=None, slug_overrides: Mapping[str, str] | None = None) -> list[FeedRecord]:
    """Records of a market list API (``{"record": [{"medianame", "infoCode", …}]}``)."""
    return _media_records(response, "market", "record", ("medianame", "infoCode", "datetime"), settings, slug_overrides)


# --- Text API --------------------------------------------------------------------------------


class TextUnavailable(ValueError):
    """The text API gave no usable text; ``reason`` is a short phrase for the log."""

    def __init__(self, reason: str):
        self.reason = reason
        super().__init__(reason)


def text_api_text(response, prefer: str = "content") -> str:
    """The article text of a text API answer (``content`` or ``text``, ``prefer`` first).

    Raises ``TextUnavailable`` for an HTTP error, a body that is not a JSON object, or
    empty text."""
    if response.status != 200:
        raise TextUnavailable(f"HTTP {response.status}")
    try:
        data = _json_body(response)
    except (ValueError, UnicodeDecodeError):
        raise TextUnavailable("answer is not JSON") from None
    if not isinstance(data, dict):
        raise TextUnavailable("answer is not a JSON object")
    other = "text" if prefer == "content" else "content"
    for key in (prefer, other):
        value = data.get(key)
        if isinstance(value, str) and value.strip():
            return value
    raise TextUnavailable("empty content")


def source_media_of(body: str) -> str:
    """The media named by the body's closing ``（文章来源：…）`` paragraph, or ""."""
    found = _EM_MEDIA.findall(body or "")
    return _TAG.sub("", found[-1]).strip() if found else ""


def post_from_record(record: FeedRecord, text: str, url: str = "") -> Post:
    """The post of a list record whose text the text API gave."""
    is_feed = record.feed == "emnews"
    return Post(
        id=record.post_id,
        title=record.title,
        date_raw=record.date_raw,
        category=record.category,
        tag=record.tag,
        body=text,
        digest=record.digest if is_feed else None,
        share_url=record.share_url,
        url=url,
        body_source="feed-api",
        source_media=record.media or source_media_of(text),
        extractor=EXTRACTOR_TEXT_API,
        extra={"list_url": record.list_url, "info_code": record.info_code, "feed": record.feed},
    )


def parse_text_api(response, record: FeedRecord) -> Post | None:
    """The post of ``record`` from its text API answer; None when the answer has no text."""
    try:
        text = text_api_text(response, prefer="content" if record.feed == "emnews" else "text")
    except TextUnavailable:
        return None
    return post_from_record(record, text, response.url)


# --- Article pages ---------------------------------------------------------------------------


def article_code_of(url: str) -> str:
    """The article code of an eastmoney.com article URL, or ""."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if not (host == "eastmoney.com" or host.endswith(".eastmoney.com")):
        return ""
    match = _ARTICLE_PATH.match(parts.path)
    return match.group(1) if match else ""


def _html(response) -> HtmlResponse | TextResponse:
    if isinstance(response, TextResponse):
        return response
    # A snapshot may serve a page without a Content-Type; EastMoney pages are UTF-8.
    return HtmlResponse(response.url, body=response.body, encoding="utf-8", request=response.request)


def _element_inner_html(html: str, element_id: str) -> str | None:
    """The markup inside the element with ``id``, exactly as published (a parser would
    re-serialise it: ``<br />`` → ``<br>``, attributes reordered), or None."""
    start = re.search(r"<(\w+)\b[^>]*\bid=[\"']" + re.escape(element_id) + r"[\"'][^>]*>", html)
    if not start:
        return None
    tag = start.group(1).lower()
    tags = re.compile(r"<(/?)" + tag + r"\b[^>]*>", re.IGNORECASE)
    depth, position = 1, start.end()
    for match in tags.finditer(html, position):
        depth += -1 if match.group(1) else 1
        if depth == 0:
            return html[position : match.start()]
    return None


def article_body(inner_html: str) -> str:
    """The article body from ``#ContentBody``: through the closing ``em_media``
    paragraph (what follows it is page furniture), trimmed."""
    matches = list(_EM_MEDIA.finditer(inner_html))
    if matches:
        inner_html = inner_html[: matches[-1].end()]
    return inner_html.strip()


def parse_article_page(response) -> Post | None:
    """An EastMoney article page (``/a/<code>.html``, ``/news/<column>,<code>.html``) as a
    rolling-feed post: id = the article code, share URL = the page. None when the page is
    not a complete article (no code in the URL, no title or body): the share page
    ``NewsShare.html`` is a script shell and gives None."""
    original_url = (response.meta.get("redirect_urls") or [response.url])[0] if response.request else response.url
    code = article_code_of(original_url) or article_code_of(response.url)
    if not code or response.status != 200:
        return None
    page = _html(response)
    title = " ".join(page.css(".newsContent h1::text, h1::text").get("").split())
    inner = _element_inner_html(page.text, "ContentBody")
    body = article_body(inner) if inner is not None else ""
    if not title or not _TAG.sub("", body).strip():
        return None
    infos = " ".join(" ".join(page.css(".infos ::text").getall()).split())
    date_match = _PAGE_DATE.search(infos)
    source_match = _PAGE_SOURCE.search(infos)
    abstract = page.css(".abstract .txt ::text").getall()
    return Post(
        id=code,
        title=title,
        date_raw=date_match.group(0) if date_match else "",
        category=FEED_CATEGORY,
        tag=FEED_TAG,
        body=body,
        digest=feed_digest("".join(abstract)) if abstract else "",
        share_url=original_url,
        url=response.url,
        body_source="upstream",
        source_media=source_match.group(1) if source_match else source_media_of(body),
        extractor=EXTRACTOR_ARTICLE_PAGE,
        extra={"page_digest": bool(abstract)},
    )


# --- Share links (for the finews mirror spider) ------------------------------------------------


def share_info_code(share_url: str) -> str:
    """The infoCode of a ``…/NewsShare.html?infoCode=…`` link, or ""."""
    parts = urlsplit(share_url)
    if not _SHARE_PAGE_PATH.search(parts.path):
        return ""
    values = parse_qs(parts.query).get("infoCode") or [""]
    return values[0].strip()


def share_link_request(share_url: str, settings, meta: dict, *, callback=None, errback=None) -> scrapy.Request | None:
    """The request for the original article behind a mirror post's share link: the text
    API for a ``NewsShare.html?infoCode=…`` link (that page is only a script shell), the
    page itself for an eastmoney.com article URL, None for anything else."""
    meta = {**meta, "eastmoney_share_url": share_url}
    info_code = share_info_code(share_url)
    if info_code:
        url = text_api_url(info_code, settings)
    elif article_code_of(share_url):
        url = share_url
    else:
        return None
    return scrapy.Request(url, callback=callback, errback=errback, meta=meta)


def apply_upstream(post: Post, response) -> Post | None:
    """A copy of the mirror's ``post`` with the upstream body (and, for rolling-feed
    posts, the page's digest when it shows one), or None when the upstream answer is not
    complete (error status, no text, another article): the caller keeps the mirror copy."""
    if response.status != 200:
        return None
    upstream_url = response.url
    if _TEXT_API_PATH.search(urlsplit(upstream_url).path):
        try:
            text = text_api_text(response, prefer="content" if post.digest is not None else "text")
        except TextUnavailable:
            return None
        return dataclasses.replace(
            post,
            body=text,
            body_source="upstream",
            extractor=EXTRACTOR_TEXT_API,
            extra={**post.extra, "upstream_url": upstream_url},
        )
    page = parse_article_page(response)
    if page is None or (post.article_key and page.article_key != post.article_key):
        return None
    digest = post.digest
    if digest is not None and page.extra.get("page_digest") and page.digest:
        digest = page.digest
    return dataclasses.replace(
        post,
        body=page.body,
        digest=digest,
        body_source="upstream",
        source_media=post.source_media or page.source_media,
        extractor=EXTRACTOR_ARTICLE_PAGE,
        extra={**post.extra, "upstream_url": upstream_url},
    )
