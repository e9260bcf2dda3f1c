"""Profile-driven extraction: an article page to a ``Post``, a listing page to its links.

Only what the page shows is read; dates stay raw strings (``date_raw``, cleaned of
labels by the profile's regex) for the date pipeline, which knows the crawl time.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import unquote, urlsplit

from parsel import Selector
from scrapy.http import TextResponse

from crawler.items import Post
from crawler.sites.clean import clean_nodes
from crawler.sites.profile import SiteProfile
from crawler.sites.select import first_nodes, first_text, run_selection
from crawler.slugs import category_slug, media_tag

BODY_SOURCE = "upstream"
_NOT_ID = re.compile(r"[^A-Za-z0-9_-]+")
# Last path segments that name a script, not an article: the query then tells articles apart.
_GENERIC_SEGMENTS = {"", "index", "detail", "content", "article", "show", "view", "news", "default"}
_TOP_LEVEL_LABELS = {"com", "cn", "net", "org", "gov", "edu", "www", "info", "co", "hk"}


@dataclass(frozen=True)
class ListingEntry:
    """One article a listing page links to; ``date_raw`` as the listing shows it."""

    url: str
    title: str = ""
    date_raw: str = ""


def site_label(url: str) -> str:
    """A short name for a URL's site: ``news.ifeng.com`` -> ``ifeng``, ``www.shanxi.gov.cn``
    -> ``shanxi``; used to keep ids of different sites apart."""
    labels = [label for label in (urlsplit(url).hostname or "").split(".") if label]
    while labels and (labels[-1] in _TOP_LEVEL_LABELS or len(labels[-1]) == 2):
        labels.pop()
    return _NOT_ID.sub("", labels[-1]) if labels else "page"


def post_id_from_url(url: str, prefix: str = "") -> str:
    """A stable id: ``prefix-`` plus the URL's last path segment without extension,
    reduced to ``[A-Za-z0-9_-]`` (the query's values join in when the segment is a
    generic script name; a hash of the URL when nothing usable is left).

    The prefix (the profile's name) matters: numeric article ids repeat across sites,
    and ids are what the dedupe store and the post file names are keyed on.
    """
    parts = urlsplit(url)
    segments = [segment for segment in unquote(parts.path).split("/") if segment]
    last = segments[-1] if segments else ""
    stem = last.rsplit(".", 1)[0] if "." in last else last
    stem = _NOT_ID.sub("", stem)
    if stem.lower() in _GENERIC_SEGMENTS and parts.query:
        query_values = "-".join(value for _, _, value in (p.partition("=") for p in parts.query.split("&")))
        stem = "-".join(filter(None, [stem, _NOT_ID.sub("", query_values)]))
    if not stem:
        stem = hashlib.sha1(url.encode("utf-8")).hexdigest()[:12]
    return f"{prefix}-{stem}" if prefix else stem


def media_category(media_name: str, overrides: Mapping[str, str] | None = None) -> tuple[str, str]:
    """``(category, tag)`` of a media name by the archive's slug rule; empty without one."""
    if not media_name.strip():
        return "", ""
    return category_slug(media_name, overrides), media_tag(media_name)


def extract_article(
    response: TextResponse,
    profile: SiteProfile,
    *,
    crawled_at: datetime | None = None,
    slug_overrides: Mapping[str, str] | None = None,
) -> Post:
    """The article on ``response`` as the profile reads it. Fields the page does not
    have stay empty: the validation pipeline decides what is missing."""
    page = response.selector
    url = response.url
    selection, nodes = first_nodes(page, profile.body)
    body = clean_nodes((node.root for node in nodes), selection.exclude if selection else (), url)
    source = first_text(page, profile.source) or profile.media_name
    category, tag = media_category(source, slug_overrides)
    return Post(
        id=post_id_from_url(url, profile.name),
        title=first_text(page, profile.title),
        date_raw=first_text(page, profile.date),
        category=category,
        tag=tag,
        body=body,
        share_url=url,
        url=url,
        source_media=source,
        extractor=profile.extractor,
        body_source=BODY_SOURCE,
        crawled_at=crawled_at,
    )


def _usable_link(href: str) -> bool:
    href = href.strip().lower()
    return bool(href) and not href.startswith(("javascript:", "#", "mailto:"))


def extract_listing(response: TextResponse, profile: SiteProfile) -> list[ListingEntry]:
    """The entries of a listing page, absolute URLs, in page order, each URL once."""
    rule = profile.listing
    if rule is None:
        return []
    page = response.selector
    page_date = first_text(page, rule.page_date)
    entries: dict[str, ListingEntry] = {}
    for selection in rule.items.alternatives:
        for item in run_selection(page, selection):
            if isinstance(item.root, str):
                continue
            href = first_text(item, rule.link)
            if not _usable_link(href):
                continue
            url = response.urljoin(href)
            if url not in entries:
                entries[url] = ListingEntry(url, first_text(item, rule.title), first_text(item, rule.date) or page_date)
    return list(entries.values())


def next_page_url(response: TextResponse, profile: SiteProfile) -> str | None:
    """The listing's next page, absolute, or ``None`` on the last page."""
    if profile.listing is None:
        return None
    href = first_text(response.selector, profile.listing.next_page)
    if not _usable_link(href):
        return None
    url = response.urljoin(href)
    return url if url != response.url else None


def page_kind(response: TextResponse, profile: SiteProfile) -> str | None:
    """``"article"`` or ``"listing"``: by the profile's URL patterns, else by which of
    its selectors find something on the page; ``None`` when neither does."""
    if profile.is_article_url(response.url):
        return "article"
    if profile.is_listing_url(response.url):
        return "listing"
    page: Selector = response.selector
    if first_text(page, profile.title) and first_nodes(page, profile.body)[1]:
        return "article"
    if profile.listing is not None and first_nodes(page, profile.listing.items)[1]:
        return "listing"
    return None
