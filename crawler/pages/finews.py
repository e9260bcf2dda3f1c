"""Pages of a finews-style Jekyll archive: the original site, its saved mirror, and the
archive this project writes. Pure functions over a Scrapy response (no engine).

Only the post layout's own structure is relied on, never the original site's extras
(og tags, scripts, author)::

    <small>(GMT+8, Asia/Shanghai, CST) YYYY-MM-DD HH:MM:SS</small>
    <h1>title</h1>
    [<blockquote><p>digest</p></blockquote>]        rolling-feed (emnews) posts only
    body
    <p><a href="URL">URL</a></p>                    share link, written back by the exporter
    <p><a …>返回…</a>｜<a …>返回首页</a></p>          nav, one line, two lines or absent
    <small>tags: <em>tag</em></small>

inside the layout's ``<section>`` when there is one, plus
``<meta property="article:published_time">``. Post URLs are Jekyll's default permalink,
``/<category>/<YYYY>/<MM>/<DD>/<id>.html`` (``/<YYYY>/<MM>/<DD>/<id>.html`` for a post
without category).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from urllib.parse import unquote, urljoin, urlsplit

from lxml import etree
from lxml import html as lxml_html
from w3lib.html import remove_tags

from crawler.items import Post
from pipelines.postfile import ARCHIVE_TZ, FEED_CATEGORY

EXTRACTOR = "finews"
BODY_SOURCE = "mirror"


@dataclass(frozen=True)
class NotAPost:
    """A page that cannot be read as a post. ``reason`` is a slug for stats and logs."""

    reason: str
    detail: str


@dataclass
class ListingLinks:
    """The links a spider follows from a page, absolute, in document order, deduplicated."""

    post_urls: list[str] = field(default_factory=list)
    category_urls: list[str] = field(default_factory=list)
    pagination_urls: list[str] = field(default_factory=list)
    feed_urls: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class FeedEntry:
    url: str
    title: str
    published: str  # as the feed wrote it (Atom published/updated, RSS pubDate)


# --- URLs ---------------------------------------------------------------------------

_POST_PATH = re.compile(
    r"^/(?:(?P<category>[^/]+)/)?(?P<year>\d{4})/(?P<month>0[1-9]|1[0-2])/(?P<day>0[1-9]|[12]\d|3[01])"
    r"/(?P<id>[^/]+)\.html$"
)
# /category/<slug>.html pages, and the rolling feed's own listing /emnews/.
_CATEGORY_PATH = re.compile(
    rf"^/(?:category/[^/]+(?:\.html|/(?:index\.html)?)|{re.escape(FEED_CATEGORY)}/(?:index\.html)?)$"
)
_PAGINATION_PATH = re.compile(r"/page(?:/)?\d+/?(?:index\.html)?$")
_FEED_PATH = re.compile(r"/(?:feed|atom|rss|index)\.(?:xml|rss|atom)$|\.(?:rss|atom)$")
_NEXT_PAGE_TEXTS = {"下一页", "下页", "后一页", "下一頁"}


def post_url_parts(url: str) -> tuple[str, str] | None:
    """``(category, id)`` of a post URL; category is ``""`` for a post Jekyll filed
    without one (``/2021/12/08/<id>.html``). None for any other URL."""
    match = _POST_PATH.match(unquote(urlsplit(url).path))
    if not match:
        return None
    return match.group("category") or "", match.group("id")


def is_post_url(url: str) -> bool:
    return post_url_parts(url) is not None


# --- Parsing helpers ----------------------------------------------------------------


def _html_root(response):
    """The page's lxml tree, parsed from ``response.text`` so that element source lines
    index that text (parsel strips leading whitespace first, which shifts them)."""
    text = response.text.replace("\x00", "\ufffd")
    if not text.strip():
        return text, None
    parser = etree.HTMLParser(encoding="utf-8", remove_blank_text=False)
    root = etree.fromstring(text.encode("utf-8"), parser)
    return text, root


def _text(element) -> str:
    return "".join(element.itertext())


def _is_element(node) -> bool:
    return isinstance(node.tag, str)


def _inside(element, tag: str) -> bool:
    return any(ancestor.tag == tag for ancestor in element.iterancestors())


def _container(root):
    """The layout's ``<section>`` holding the post, else ``<body>``. Scoping matters on
    the original site: its og:description carries the raw body unescaped, so a parser
    spills copies of body paragraphs (share and nav links too) outside the section."""
    for section in root.iter("section"):
        if section.find(".//h1") is not None:
            return section
    body = root.find("body")
    return body if body is not None else root


class _Source:
    """Finds where a parsed element starts in the page text, so the body can be kept
    byte-for-byte as the page serialized it."""

    def __init__(self, text: str, root):
        self.text = text
        self.root = root
        self.line_starts = [0] + [match.end() for match in re.finditer("\n", text)]

    def offset_of(self, node) -> int | None:
        line = node.sourceline
        if line is None or not 1 <= line <= len(self.line_starts):
            return None
        is_comment = node.tag is etree.Comment
        if not (is_comment or _is_element(node)):
            return None
        # The node is the k-th of its kind starting on its line.
        index = 0
        for other in self.root.iter(node.tag):
            if other is node:
                break
            if other.sourceline == line:
                index += 1
        opening = re.compile("<!--" if is_comment else rf"<{re.escape(node.tag)}(?=[\s/>])", re.I)
        start = self.line_starts[line - 1]
        end = self.line_starts[line] if line < len(self.line_starts) else len(self.text)
        matches = list(opening.finditer(self.text, start, end))
        return matches[index].start() if index < len(matches) else None


def _text_key(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _fragment_text(markup: str) -> str:
    if not markup.strip():
        return ""
    return lxml_html.fragment_fromstring(markup, create_parent="div").text_content()


def _body_html(source: _Source, lead: str, nodes: list, end_node) -> str:
    """The body nodes' HTML: the page's own text between the first body node and the
    first node after the body when both can be located and the slice reads back to the
    same text; lxml's serialization of the nodes otherwise."""
    serialized = html.escape(lead, quote=False) + "".join(
        etree.tostring(node, encoding="unicode", method="html", with_tail=True) for node in nodes
    )
    if not nodes or lead.strip() or end_node is None:
        return serialized.strip()
    start, end = source.offset_of(nodes[0]), source.offset_of(end_node)
    if start is None or end is None or end < start:
        return serialized.strip()
    raw = source.text[start:end].strip()
    if _text_key(_fragment_text(raw)) != _text_key(_fragment_text(serialized)):
        return serialized.strip()
    return raw


# --- Post pages ---------------------------------------------------------------------

_TIMESTAMP = re.compile(r"\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(?::\d{2})?")
_GMT_LABEL = re.compile(r"GMT\s*([+-])\s*(\d{1,2})(?::?(\d{2}))?")
_TAGS_LINE = re.compile(r"^\s*tags\s*:", re.I)
# What kramdown makes of front matter Jekyll did not recognise: an <hr /> from the
# first "---", then the YAML lines as one paragraph.
_RAW_FRONT_MATTER = re.compile(r"^\s*layout:\s*\S+.*^\s*title:\s*(?P<title>[^\n]*)", re.S | re.M)
_NAV_SEPARATORS = re.compile(r"[\s｜|/]*")
_UNLINKED_SHARE = re.compile(r"^\s*<([^<>\s]*)>\s*$")


def _date_line(container):
    for small in container.iter("small"):
        text = _text(small)
        if not _TAGS_LINE.match(text) and _TIMESTAMP.search(text):
            return small
    return None


def _tags_line(container):
    for small in container.iter("small"):
        if _TAGS_LINE.match(_text(small)):
            return small
    return None


def _title_heading(container, date_small):
    if date_small is not None:
        following = date_small.getnext()
        while following is not None and not _is_element(following):
            following = following.getnext()
        if following is not None and following.tag == "h1":
            return following
    for heading in container.iter("h1"):
        if not _inside(heading, "header"):
            return heading
    return None


def _raw_front_matter(container) -> str | None:
    paragraph = container.find(".//p")
    if paragraph is None:
        return None
    match = _RAW_FRONT_MATTER.match(_text(paragraph))
    return match.group("title").strip() if match else None


def _label_zone(label: str, wall_clock: datetime):
    """The zone the date line names (``GMT+8``); the archive's zone when unlabelled."""
    match = _GMT_LABEL.search(label)
    if not match:
        return ARCHIVE_TZ
    sign = -1 if match.group(1) == "-" else 1
    offset = timedelta(hours=int(match.group(2)), minutes=int(match.group(3) or 0))
    if offset * sign == ARCHIVE_TZ.utcoffset(wall_clock):
        return ARCHIVE_TZ
    return timezone(sign * offset)


def _published_meta(root) -> tuple[str, datetime | None]:
    for meta in root.iter("meta"):
        if meta.get("property") == "article:published_time" and meta.get("content", "").strip():
            raw = meta.get("content").strip()
            try:
                return raw, datetime.fromisoformat(raw)
            except ValueError:
                return raw, None
    return "", None


def _page_date(container, root) -> tuple[str, datetime | None] | NotAPost:
    """``(date_raw, date)`` from the date line and the published_time meta, which must
    agree. ``date`` is set only when the page states the instant unambiguously: the
    meta with an offset, or a date line labelled with a zone other than the archive's
    (an unlabelled or GMT+8 line is left to the date pipeline, which reads date_raw in
    Asia/Shanghai: the same instant)."""
    small = _date_line(container)
    line_raw, line_date = "", None
    if small is not None:
        label = _text(small)
        line_raw = _TIMESTAMP.search(label).group(0)
        wall_clock = datetime.fromisoformat(line_raw.replace("T", " "))
        line_date = wall_clock.replace(tzinfo=_label_zone(label, wall_clock))
    meta_raw, meta_date = _published_meta(root)
    if line_date is None and meta_date is None:
        detail = f"unreadable article:published_time {meta_raw!r}" if meta_raw else "no date line and no meta"
        return NotAPost("no-date", detail)
    if line_date is not None and meta_date is not None:
        if line_raw.count(":") == 1:  # a line without seconds: compare to the minute
            meta_date = meta_date.replace(second=0, microsecond=0)
        agree = meta_date == (line_date if meta_date.tzinfo else line_date.replace(tzinfo=None))
        if not agree:
            return NotAPost("date-mismatch", f"date line {_text(small).strip()!r} vs published_time {meta_raw!r}")
    if meta_date is not None and meta_date.tzinfo is not None:
        return line_raw or meta_raw, meta_date.astimezone(ARCHIVE_TZ)
    if line_date is not None and line_date.tzinfo is not ARCHIVE_TZ:
        return line_raw, line_date
    return line_raw or meta_raw, None


def _only_links(paragraph) -> list | None:
    """The ``<a>`` children of a paragraph made of links and separators only, else None."""
    children = [child for child in paragraph if _is_element(child)]
    if not children or any(child.tag not in ("a", "br") for child in children):
        return None
    loose = (paragraph.text or "") + "".join(child.tail or "" for child in children)
    if not _NAV_SEPARATORS.fullmatch(loose):
        return None
    return [child for child in children if child.tag == "a"]


def _is_nav(node) -> bool:
    if not _is_element(node) or node.tag != "p":
        return False
    links = _only_links(node)
    return bool(links) and all(_text(link).strip().startswith("返回") for link in links)


def _share_link(node) -> str | None:
    """The URL of a share paragraph: one link whose text is its own address (what
    markdown makes of ``<url>``), or a link to a NewsShare page or EastMoney article.
    A share line markdown could not link (the exporter's ``<>`` for a missing URL)
    stays text: ``<p>&lt;&gt;</p>``."""
    if not _is_element(node) or node.tag != "p":
        return None
    if len(node) == 0 and (unlinked := _UNLINKED_SHARE.match(node.text or "")):
        return unlinked.group(1)
    links = _only_links(node)
    if not links or len(links) != 1:
        return None
    href = (links[0].get("href") or "").strip()
    text = _text(links[0]).strip()
    if href and (text == href or "NewsShare.html?infoCode=" in href or "eastmoney.com/" in href):
        return href
    return None


def _digest_text(blockquote) -> str:
    paragraphs = [child for child in blockquote if _is_element(child) and child.tag == "p"]
    if paragraphs:
        return "\n".join(_text(paragraph).strip() for paragraph in paragraphs)
    return _text(blockquote).strip()


def parse_post_page(response) -> Post | NotAPost:
    """A post page read into a ``Post``, or the reason it is not one.

    category and id come from the URL; ``body`` is the page's own HTML between the title
    (or the digest blockquote) and the share/nav paragraphs; ``digest`` is the leading
    blockquote's text for emnews posts ("" without one), None for other posts. ``date``
    is set only when the page states the instant (see ``_page_date``); otherwise the
    date pipeline reads ``date_raw``."""
    text, root = _html_root(response)
    if root is None:
        return NotAPost("empty-page", "the page has no content")
    container = _container(root)
    date_small = _date_line(container)
    heading = _title_heading(container, date_small)
    if heading is None or not _text(heading).strip():
        raw_title = _raw_front_matter(container)
        if raw_title is not None:
            return NotAPost("raw-front-matter", f"front matter rendered as text (title: {raw_title})")
        return NotAPost("no-title", "no <h1> title in the page content")
    dated = _page_date(container, root)
    if isinstance(dated, NotAPost):
        return dated
    date_raw, date = dated
    category, post_id = post_url_parts(response.url) or ("", "")
    if not post_id:
        return NotAPost("not-a-post-url", "the URL is not /<category>/<YYYY>/<MM>/<DD>/<id>.html")

    tags_small = _tags_line(container)
    tags = [_text(em).strip() for em in tags_small.iter("em")] if tags_small is not None else []

    # The body: the title's siblings up to the tags line.
    nodes, lead_node, node = [], heading, heading.getnext()
    while node is not None and node is not tags_small:
        nodes.append(node)
        node = node.getnext()
    end_node = node
    digest: str | None = None
    if category == FEED_CATEGORY:
        digest = ""
        first = nodes[0] if nodes else None
        if first is not None and first.tag == "blockquote" and not (heading.tail or "").strip():
            digest = _digest_text(first)
            lead_node = first
            nodes = nodes[1:]
    # Peel the exporter's nav and share paragraphs off the end.
    while nodes and _is_nav(nodes[-1]):
        end_node = nodes.pop()
    share_url = ""
    if nodes and (share := _share_link(nodes[-1])) is not None:
        share_url = share
        end_node = nodes.pop()
    body = _body_html(_Source(text, root), lead_node.tail or "", nodes, end_node)

    return Post(
        id=post_id,
        title=_text(heading).strip(),
        date=date,
        date_raw=date_raw,
        category=category,
        tag=tags[0] if tags else "",
        body=body,
        digest=digest,
        share_url=share_url,
        url=response.url,
        body_source=BODY_SOURCE,
        extractor=EXTRACTOR,
    )


# --- Listing pages ------------------------------------------------------------------

_ESCAPED_HREF = re.compile(r"""href\s*=\s*["']([^"'<>\s]+)["']""")


def listing_links(response) -> ListingLinks:
    """Links to posts, category listings, next pages and feeds. Post, category and
    pagination links count only on the page's own host. Links written as escaped text
    in a code block count as post links too: the original /emnews/ page shows its 20
    latest posts that way (its indented template became a markdown code block)."""
    _, root = _html_root(response)
    links = ListingLinks()
    if root is None:
        return links
    host = urlsplit(response.url).netloc.lower()
    seen: dict[str, set[str]] = {}

    def add(kind: str, url: str) -> None:
        if url not in seen.setdefault(kind, set()):
            seen[kind].add(url)
            getattr(links, kind).append(url)

    for element in root.iter("a", "link", "pre"):
        if element.tag == "pre":
            for href in _ESCAPED_HREF.findall(_text(element)):
                url = response.urljoin(html.unescape(href))
                if urlsplit(url).netloc.lower() == host and is_post_url(url):
                    add("post_urls", url)
            continue
        href = (element.get("href") or "").strip()
        if not href or href.startswith(("#", "javascript:", "mailto:")):
            continue
        url = response.urljoin(href)
        rel = (element.get("rel") or "").lower().split()
        kind_type = (element.get("type") or "").lower()
        path = urlsplit(url).path
        same_host = urlsplit(url).netloc.lower() == host
        if "alternate" in rel and ("atom" in kind_type or "rss" in kind_type):
            add("feed_urls", url)
        elif element.tag == "link":
            if "next" in rel:
                add("pagination_urls", url)
        elif "next" in rel or _text(element).strip() in _NEXT_PAGE_TEXTS:
            add("pagination_urls", url)
        elif not same_host:
            continue
        elif is_post_url(url):
            add("post_urls", url)
        elif _CATEGORY_PATH.match(path):
            add("category_urls", url)
        elif _PAGINATION_PATH.search(path):
            add("pagination_urls", url)
        elif _FEED_PATH.search(path):
            add("feed_urls", url)
    return links


# --- Feeds --------------------------------------------------------------------------


def _local(element) -> str:
    return etree.QName(element).localname if isinstance(element.tag, str) else ""


def _child(element, *names: str):
    for name in names:
        for child in element:
            if _local(child) == name:
                return child
    return None


def _child_text(element, *names: str) -> str:
    child = _child(element, *names)
    return (child.text or "").strip() if child is not None else ""


def _entry_title(entry) -> str:
    title = _child(entry, "title")
    if title is None:
        return ""
    if title.get("type") == "xhtml":
        return _text(title).strip()
    text = (title.text or "").strip()
    # An Atom type="html" title is escaped HTML (jekyll-feed writes them so).
    return html.unescape(remove_tags(text)).strip() if title.get("type") == "html" else text


def _entry_url(entry, base: str) -> str:
    for link in entry:
        if _local(link) == "link" and link.get("href") and link.get("rel", "alternate") == "alternate":
            return urljoin(link.base or base, link.get("href").strip())
    link_text = _child_text(entry, "link")  # RSS
    if link_text:
        return urljoin(base, link_text)
    guid = _child(entry, "guid")
    if guid is not None and guid.get("isPermaLink", "true") == "true" and guid.text:
        return urljoin(base, guid.text.strip())
    return ""


def feed_entries(response) -> list[FeedEntry]:
    """The entries of an Atom or RSS feed, in feed order."""
    parser = etree.XMLParser(recover=True, resolve_entities=False, no_network=True, huge_tree=True)
    try:
        root = etree.fromstring(response.body, parser, base_url=response.url)
    except etree.XMLSyntaxError:
        return []
    if root is None:
        return []
    entries = []
    for entry in root.iter():
        if _local(entry) not in ("entry", "item"):
            continue
        entries.append(
            FeedEntry(
                url=_entry_url(entry, response.url),
                title=_entry_title(entry),
                published=_child_text(entry, "published", "pubDate", "date", "updated"),
            )
        )
    return entries
