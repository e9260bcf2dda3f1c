"""Extraction for pages no profile knows: a small hand-written reader, and trafilatura
when it is installed and asked for.

The hand-written reader:

- headline: the heading (or ``*title*`` element) whose text begins the ``<title>``,
  else ``og:title``, else the ``<title>`` cut at its site suffix (``_证券时报网``);
- date: the first full date (year, month, day, optional time) in the text after the
  headline, where the article's own date sits, before sidebars; else the meta tags;
- source: the ``来源：`` after the headline;
- body: the block with the most paragraph text in it, weighted by how much of its text
  that is (a page wrapper holding the article plus sidebars scores low), with link-dense
  and navigation-named parts dropped.

Posts are marked ``extractor="generic"`` (``generic:trafilatura`` for that engine).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from lxml import etree
from parsel import Selector
from scrapy.http import TextResponse

from crawler.items import Post
from crawler.sites.clean import clean_node, html_text
from crawler.sites.extract import BODY_SOURCE, media_category, post_id_from_url, site_label
from crawler.sites.profile import Selection
from crawler.sites.select import collapse_space

EXTRACTOR = "generic"
TRAFILATURA_EXTRACTOR = "generic:trafilatura"
ENGINES = ("fallback", "trafilatura", "auto")

DATE_PATTERN = re.compile(
    r"(?:19|20)\d{2}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?"
    r"(?:\s*(?:T\s*)?\d{1,2}\s*[:：时]\s*\d{2}(?:\s*[:：分]\s*\d{2})?)?"
)
_SOURCE_PATTERN = re.compile(r"来源\s*[:：]\s*(\S*)")
_SOURCE_STOP = re.compile(r"\s|作者|编辑|责编|时间|发布|\||｜")
_TITLE_SUFFIX = re.compile(r"\s*(?:_|\||｜|--|—|–|\s-\s)\s*")
_META_DATES = (
    "//meta[@property='article:published_time']/@content",
    "//meta[@name='article:published_time']/@content",
    "//meta[@property='og:release_date']/@content",
    "//meta[@itemprop='datePublished']/@content",
    "//meta[@name='PubDate' or @name='pubdate' or @name='publishdate' or @name='PublishDate']/@content",
    "//meta[starts-with(@name, 'og:time')]/@content",
    "//time/@datetime",
)
_INLINE = {
    "a", "b", "strong", "em", "i", "u", "span", "font", "small", "big", "sub", "sup", "label", "code",
    "br", "img", "abbr", "cite", "q", "s", "strike", "mark", "wbr", "nobr",
}  # fmt: skip
_PARAGRAPHS = {"p", "pre", "blockquote", "h2", "h3", "h4", "h5", "h6", "center"}
_SKIP = {
    "script", "style", "noscript", "head", "title", "nav", "header", "footer", "aside", "form", "select",
    "button", "textarea", "option",
}  # fmt: skip
# Class and id words of page furniture, matched against the words of each class token
# and of the id (split at - and _ and camelCase humps).
_FURNITURE = re.compile(
    r"^(?:comments?|footer|foot|nav|navbar|menu|sidebar|side|related|recommend|share|social|"
    r"hot|rank|ranking|ads?|advert|banner|copyright|breadcrumb|crumbs?|tags?|login|search|"
    r"statement|disclaimer|pager|pagination|qrcode|weixin|wx|zan|digg|like|swiper|slider|carousel)$",
    re.IGNORECASE,
)
_WORD = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|[0-9]+")
# WordPress labels a post's own <article> "tag-…" and "category-…": taxonomy, not furniture.
_TAXONOMY_TOKEN = re.compile(r"^(?:tag|category|categories)-", re.IGNORECASE)
# Short lines around an article that are not part of it: credits, sources, notices,
# captions, share prompts.
_BOILERPLATE = re.compile(
    r"^[\s（(【\[]*(?:责任编辑|责编|编辑[:：]|本文来源|免责声明|转播到|精彩视频推荐|图集|原标题|图为|图注|图片来源)"
    r"|未经授权|摄\s*[）)]$|供图$"
)
_BOILERPLATE_MAX = 100


@dataclass(frozen=True)
class GenericFields:
    title: str = ""
    date_raw: str = ""
    source: str = ""
    body: str = ""


def _tag(element) -> str:
    return element.tag.lower() if isinstance(element.tag, str) else ""


def _is_furniture(element) -> bool:
    tokens = [*element.get("class", "").split(), element.get("id", "")]
    return any(
        _FURNITURE.match(word) for token in tokens if not _TAXONOMY_TOKEN.match(token) for word in _WORD.findall(token)
    )


def skipped_nodes(root: etree._Element) -> set:
    """Every element in a part of the page that is never the article: code, head,
    navigation, furniture-named blocks, and all below them."""
    skipped: set = set()
    for node in root.iter():
        if not isinstance(node.tag, str):
            continue
        parent = node.getparent()
        if (
            (parent is not None and parent in skipped)
            or _tag(node) in _SKIP
            or (_tag(node) not in ("html", "body") and _is_furniture(node))
        ):
            skipped.add(node)
    return skipped


# --- headline ---------------------------------------------------------------------------


def _title_tag(page: Selector) -> str:
    return collapse_space(page.xpath("string(//title)").get() or "")


def _cut_site_suffix(title: str) -> str:
    parts = [part for part in _TITLE_SUFFIX.split(title) if part.strip()]
    return parts[0] if parts else title


def find_headline(page: Selector) -> tuple[str, etree._Element | None]:
    """The headline and its element (``None`` when it came from meta or ``<title>``)."""
    title = _title_tag(page)
    og_title = collapse_space(page.xpath("//meta[@property='og:title' or @name='og:title']/@content").get() or "")
    candidates = page.xpath(
        "//body//*[self::h1 or self::h2 or self::h3 or contains(@class, 'title') or contains(@id, 'title')"
        " or contains(@class, 'Title') or contains(@id, 'Title')]"
    )
    skipped = skipped_nodes(page.root)
    best: tuple[int, str, etree._Element | None] = (0, "", None)
    for candidate in candidates:
        element = candidate.root
        if element in skipped:
            continue
        full = collapse_space(candidate.xpath("string(.)").get() or "")
        own = collapse_space("".join(candidate.xpath("./text()").getall()))
        for text in (full, own):
            if not 4 <= len(text) <= 120:
                continue
            if og_title and text == og_title:
                score = 3000 + len(text)
            elif title.startswith(text):
                score = 2000 + len(text)
            elif text in title:
                score = 1000 + len(text)
            else:
                continue
            if score > best[0]:
                best = (score, text, element)
    if best[2] is not None:
        return best[1], best[2]
    if og_title:
        return og_title, None
    h1 = page.xpath("//body//h1")
    for candidate in h1:
        text = collapse_space(candidate.xpath("string(.)").get() or "")
        if text:
            return text, candidate.root
    return _cut_site_suffix(title), None


# --- date and source after the headline ----------------------------------------------------------


def _texts_after(page: Selector, element: etree._Element | None, limit: int = 400) -> list[str]:
    """The page's text nodes after ``element`` (from the top without one), in order,
    outside skipped parts."""
    root = page.root
    skipped = skipped_nodes(root)
    inside = set(element.iter()) if element is not None else set()
    started = element is None
    texts: list[str] = []
    for node in root.iter():
        if node is element:
            started = True
        if not started:
            continue
        if isinstance(node.tag, str) and node.text and node not in skipped and node not in inside:
            texts.append(node.text)
        parent = node.getparent()
        if node.tail and parent is not None and parent not in skipped and parent not in inside:
            texts.append(node.tail)
        if len(texts) >= limit:
            break
    return texts


def find_date(page: Selector, headline: etree._Element | None) -> str:
    for text in _texts_after(page, headline):
        match = DATE_PATTERN.search(text)
        if match:
            return collapse_space(match.group(0))
    for query in _META_DATES:
        value = collapse_space(page.xpath(query).get() or "")
        if value:
            return value
    return ""


def find_source(page: Selector, headline: etree._Element | None) -> str:
    texts = [collapse_space(text) for text in _texts_after(page, headline, limit=60)]
    for index, text in enumerate(texts):
        match = _SOURCE_PATTERN.search(text)
        if not match:
            continue
        rest = match.group(1) or next((later for later in texts[index + 1 : index + 3] if later), "")
        name = _SOURCE_STOP.split(rest, maxsplit=1)[0].strip()
        if name:
            return name
    return ""


# --- body -------------------------------------------------------------------------------------


def _block_owner(node: etree._Element) -> etree._Element:
    while _tag(node) in _INLINE and node.getparent() is not None:
        node = node.getparent()
    return node


def _in_link(node: etree._Element, owner: etree._Element) -> bool:
    while node is not None and node is not owner:
        if _tag(node) == "a":
            return True
        node = node.getparent()
    return False


def _text_weights(root: etree._Element, headline: etree._Element | None = None) -> tuple[dict, dict, dict]:
    """Per block element: its own paragraph text, its link text, and all text below it
    (the headline's text not counted: it is not body)."""
    own: dict = {}
    links: dict = {}
    total: dict = {}
    skipped = skipped_nodes(root) | (set(headline.iter()) if headline is not None else set())
    for node in root.iter():
        if not isinstance(node.tag, str) or node in skipped:
            continue
        for text, holder in ((node.text, node), (node.tail, node.getparent())):
            if holder is None or not text or not text.strip():
                continue
            length = len(collapse_space(text))
            owner = _block_owner(holder)
            if _in_link(holder, owner):
                links[owner] = links.get(owner, 0) + length
            else:
                own[owner] = own.get(owner, 0) + length
            ancestor = owner
            while ancestor is not None:
                total[ancestor] = total.get(ancestor, 0) + length
                ancestor = ancestor.getparent()
    return own, links, total


def find_body_element(page: Selector, headline: etree._Element | None = None) -> etree._Element | None:
    """The element holding the article's paragraphs."""
    own, links, total = _text_weights(page.root, headline)
    scores: dict = {}
    for block, length in own.items():
        if length < 10 or links.get(block, 0) > length:
            continue
        scores[block] = scores.get(block, 0) + length
        parent = block.getparent()
        if parent is not None and _tag(block) in _PARAGRAPHS | {"div"} and not _has_block_children(block):
            scores[parent] = scores.get(parent, 0) + length
    best, best_score = None, 0.0
    for element, score in scores.items():
        if _tag(element) in _PARAGRAPHS or _tag(element) in ("html", "body"):
            continue
        weighted = score * score / max(total.get(element, score), 1)
        if weighted > best_score:
            best, best_score = element, weighted
    return best


def _has_block_children(element: etree._Element) -> bool:
    return any(isinstance(child.tag, str) and _tag(child) not in _INLINE for child in element.iterdescendants())


_BODY_EXCLUDE = (
    Selection("xpath", ".//*[self::nav or self::header or self::footer or self::aside or self::form]"),
    Selection("xpath", ".//a[contains(., '返回') and contains(., '首页')]"),
)
_LINE_TAGS = {"p", "div", "span", "center", "li", "font", "strong", "b", "h4", "h5", "h6"}


def _link_dense(element: etree._Element) -> bool:
    text = collapse_space(element.xpath("string(.)"))
    if not text:
        return False
    link_text = sum(len(collapse_space(a.xpath("string(.)"))) for a in element.iter("a"))
    return link_text / len(text) > 0.5


def _boilerplate(element: etree._Element) -> bool:
    text = collapse_space(element.xpath("string(.)"))
    return 0 < len(text) <= _BOILERPLATE_MAX and bool(_BOILERPLATE.search(text))


def _dropped_in_body(element: etree._Element) -> list[etree._Element]:
    dropped = []
    for node in element.iterdescendants():
        if not isinstance(node.tag, str):
            continue
        tag = _tag(node)
        if (
            _is_furniture(node)
            or (tag in ("ul", "ol", "table", "div", "p", "dl") and _link_dense(node))
            or (tag in _LINE_TAGS and _boilerplate(node))
        ):
            dropped.append(node)
    return dropped


def generic_body(element: etree._Element, base_url: str) -> str:
    """``element`` cleaned, without furniture-named, link-dense and boilerplate parts."""
    marked = _dropped_in_body(element)
    # Mark on the page's tree, clean a copy, unmark: clean_node works on a copy.
    for node in marked:
        node.set("data-generic-drop", "1")
    try:
        return clean_node(element, (*_BODY_EXCLUDE, Selection("xpath", ".//*[@data-generic-drop]")), base_url)
    finally:
        for node in marked:
            node.attrib.pop("data-generic-drop", None)


def read_fallback(page: Selector, url: str) -> GenericFields:
    """The hand-written reader's fields for a page."""
    title, headline = find_headline(page)
    body_element = find_body_element(page, headline)
    return GenericFields(
        title=title,
        date_raw=find_date(page, headline),
        source=find_source(page, headline),
        body=generic_body(body_element, url) if body_element is not None else "",
    )


# --- trafilatura ------------------------------------------------------------------------------


def trafilatura_available() -> bool:
    try:
        import trafilatura  # noqa: F401, PLC0415
    except ImportError:
        return False
    return True


def read_trafilatura(html: str, url: str) -> GenericFields:
    """trafilatura's fields for a page (its title is the ``<title>``; its date keeps
    the time of day only with these date options)."""
    import trafilatura  # noqa: PLC0415  (optional dependency)

    document = trafilatura.bare_extraction(
        html,
        url=url or None,
        with_metadata=True,
        include_comments=False,
        include_formatting=True,
        include_images=True,
        date_extraction_params={"extensive_search": True, "original_date": True, "outputformat": "%Y-%m-%d %H:%M:%S"},
    )
    if document is None:
        return GenericFields()
    body = ""
    if document.body is not None:
        body = "".join(etree.tostring(child, encoding="unicode", method="html") for child in document.body)
    return GenericFields(
        title=collapse_space(document.title or ""),
        date_raw=document.date or "",
        source="",
        body=body.strip(),
    )


def extract_generic(
    response: TextResponse,
    *,
    engine: str = "fallback",
    crawled_at: datetime | None = None,
    slug_overrides: Mapping[str, str] | None = None,
) -> Post:
    """The article on ``response`` without a profile. ``engine``: ``fallback`` (the
    hand-written reader), ``trafilatura`` (its title, date and body; the source is
    always the hand-written reader's ``来源：``), or ``auto`` (the hand-written reader,
    fields it finds nothing for filled by trafilatura when installed)."""
    if engine not in ENGINES:
        raise ValueError(f"unknown generic engine {engine!r}; use one of {ENGINES}")
    url = response.url
    fields = read_fallback(response.selector, url)
    extractor = EXTRACTOR
    if engine == "trafilatura":
        other = read_trafilatura(response.text, url)
        fields = GenericFields(other.title, other.date_raw, fields.source, other.body)
        extractor = TRAFILATURA_EXTRACTOR
    elif engine == "auto" and not (fields.title and fields.date_raw and fields.body) and trafilatura_available():
        other = read_trafilatura(response.text, url)
        fields = GenericFields(
            fields.title or other.title, fields.date_raw or other.date_raw, fields.source, fields.body or other.body
        )
        extractor = TRAFILATURA_EXTRACTOR
    category, tag = media_category(fields.source, slug_overrides)
    return Post(
        id=post_id_from_url(url, site_label(url)),
        title=fields.title,
        date_raw=fields.date_raw,
        category=category,
        tag=tag,
        body=fields.body,
        share_url=url,
        url=url,
        source_media=fields.source,
        extractor=extractor,
        body_source=BODY_SOURCE,
        crawled_at=crawled_at,
    )


__all__ = [
    "DATE_PATTERN",
    "ENGINES",
    "GenericFields",
    "extract_generic",
    "find_body_element",
    "find_date",
    "find_headline",
    "find_source",
    "html_text",
    "read_fallback",
    "read_trafilatura",
    "trafilatura_available",
]
