"""Site profiles: what a news site's pages look like, as data (``seeds/sites/<name>.toml``).

The format (every key but ``name`` optional; see ``seeds/sites/stcn.toml``)::

    name = "stcn"                      # = the file name; posts get extractor "profile:stcn"
    media_name = "证券时报网"          # the source when a page names none
    domains = ["stcn.com"]             # hosts (and their subdomains) the site owns
    start_urls = ["http://…"]          # where ``scrapy crawl site -a profile=stcn`` starts
    charset = "gb18030"                # only for a site whose bytes lie about their charset

    [urls]                             # regexes (re.search) over absolute URLs
    article = ['…']
    listing = ['…']

    [detect]                           # recognise a saved page without its URL
    markers = [{ xpath = "…" }]        # any one matching is enough

    [article]                          # each field: one selection, or a list tried in order
    title = { css = "div.intal_tit h2" }
    date = { xpath = "…/text()", regex = '\\d{4}-…' }   # first group (or whole match) kept
    source = [{ css = "…" }, { xpath = "…", regex = '来源[:：]\\s*(.+)' }]
    body = { css = "div.txt_con", exclude_css = ["…"], exclude_xpath = [".//p[…]"] }

    [listing]                          # the other fields are relative to each item
    items = { css = "ul.list li" }
    link = { css = "a::attr(href)" }
    title = { css = "a" }
    date = { css = "span" }
    page_date = { xpath = "…" }        # dates entries that have no date of their own
    next_page = { xpath = "//a[contains(., '下一页')]/@href" }

A selection has exactly one of ``xpath`` or ``css`` (parsel's CSS: ``::text`` and
``::attr(x)`` work). Its text is the selected node's text, whitespace collapsed; exclude
selections are evaluated inside the body node (start XPaths with ``.//``).
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

DEFAULT_PROFILES_DIR = Path(__file__).resolve().parents[2] / "seeds" / "sites"

_KINDS = ("xpath", "css")
_TOP_LEVEL_KEYS = ("name", "media_name", "domains", "start_urls", "charset", "urls", "detect", "article", "listing")


class ProfileError(ValueError):
    """A profile file that cannot be used; the message names the file and the key."""


@dataclass(frozen=True)
class Selection:
    """One way to find a field: an XPath or CSS query, an optional regex over the text."""

    kind: str  # "xpath" or "css"
    query: str
    regex: re.Pattern[str] | None = None
    exclude: tuple[Selection, ...] = ()  # body only: nodes dropped from the content


@dataclass(frozen=True)
class FieldRule:
    """Alternatives for one field, tried in order; the first that yields a value wins."""

    alternatives: tuple[Selection, ...]


@dataclass(frozen=True)
class ListingRule:
    """How a listing page lists articles: one ``items`` node per entry, the other
    fields relative to it; ``page_date`` dates every entry that has no date of its own."""

    items: FieldRule
    link: FieldRule
    title: FieldRule | None = None
    date: FieldRule | None = None
    page_date: FieldRule | None = None
    next_page: FieldRule | None = None


@dataclass(frozen=True)
class SiteProfile:
    name: str
    domains: tuple[str, ...]
    media_name: str = ""  # the site's own media name: the source when a page names none
    start_urls: tuple[str, ...] = ()
    article_urls: tuple[re.Pattern[str], ...] = ()
    listing_urls: tuple[re.Pattern[str], ...] = ()
    charset: str | None = None  # the site lies about its charset in a way bytes cannot show
    markers: tuple[Selection, ...] = ()  # any of these matching marks a page of the site
    title: FieldRule | None = None
    date: FieldRule | None = None
    source: FieldRule | None = None
    body: FieldRule | None = None
    listing: ListingRule | None = None
    path: Path | None = field(default=None, compare=False)

    @property
    def extractor(self) -> str:
        return f"profile:{self.name}"

    def owns_host(self, host: str) -> int:
        """Length of the longest of the site's domains that ``host`` is (or is under);
        0 when none is."""
        host = host.lower().rstrip(".")
        return max(
            (len(domain) for domain in self.domains if host == domain or host.endswith("." + domain)),
            default=0,
        )

    def is_article_url(self, url: str) -> bool:
        return any(pattern.search(url) for pattern in self.article_urls)

    def is_listing_url(self, url: str) -> bool:
        return any(pattern.search(url) for pattern in self.listing_urls)


def _compile(pattern: str, where: str) -> re.Pattern[str]:
    try:
        return re.compile(pattern)
    except re.error as error:
        raise ProfileError(f"{where}: bad regex {pattern!r}: {error}") from None


def _strings(value: Any, where: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return tuple(value)
    raise ProfileError(f"{where}: expected a string or a list of strings")


def _selection(table: Any, where: str, allow_exclude: bool = False) -> Selection:
    if not isinstance(table, Mapping):
        raise ProfileError(f"{where}: expected a table with 'xpath' or 'css'")
    kinds = [kind for kind in _KINDS if kind in table]
    if len(kinds) != 1:
        raise ProfileError(f"{where}: give exactly one of 'xpath' or 'css'")
    known = {"xpath", "css", "regex"} | ({"exclude_xpath", "exclude_css"} if allow_exclude else set())
    unknown = set(table) - known
    if unknown:
        raise ProfileError(f"{where}: unknown keys {sorted(unknown)}")
    kind = kinds[0]
    regex = table.get("regex")
    exclude = tuple(
        Selection(exclude_kind, query)
        for exclude_kind in _KINDS
        for query in _strings(table.get(f"exclude_{exclude_kind}"), f"{where}.exclude_{exclude_kind}")
    )
    return Selection(
        kind=kind,
        query=table[kind],
        regex=_compile(regex, f"{where}.regex") if regex else None,
        exclude=exclude,
    )


def _field(value: Any, where: str, allow_exclude: bool = False) -> FieldRule | None:
    if value is None:
        return None
    tables = value if isinstance(value, list) else [value]
    if not tables:
        raise ProfileError(f"{where}: empty list of selections")
    return FieldRule(tuple(_selection(table, f"{where}[{i}]", allow_exclude) for i, table in enumerate(tables)))


def _listing(value: Any, where: str) -> ListingRule | None:
    if value is None:
        return None
    if not isinstance(value, Mapping) or "items" not in value or "link" not in value:
        raise ProfileError(f"{where}: a listing needs 'items' and 'link'")
    unknown = set(value) - {"items", "link", "title", "date", "page_date", "next_page"}
    if unknown:
        raise ProfileError(f"{where}: unknown keys {sorted(unknown)}")
    return ListingRule(
        items=_field(value["items"], f"{where}.items"),
        link=_field(value["link"], f"{where}.link"),
        title=_field(value.get("title"), f"{where}.title"),
        date=_field(value.get("date"), f"{where}.date"),
        page_date=_field(value.get("page_date"), f"{where}.page_date"),
        next_page=_field(value.get("next_page"), f"{where}.next_page"),
    )


def parse_profile(data: Mapping[str, Any], where: str = "<profile>", path: Path | None = None) -> SiteProfile:
    """A ``SiteProfile`` from the parsed TOML of one profile file."""
    unknown = set(data) - set(_TOP_LEVEL_KEYS)
    if unknown:
        raise ProfileError(f"{where}: unknown keys {sorted(unknown)}")
    name = data.get("name")
    if not isinstance(name, str) or not re.fullmatch(r"[a-z0-9][a-z0-9_-]*", name):
        raise ProfileError(f"{where}: 'name' must be a lowercase slug")
    domains = _strings(data.get("domains"), f"{where}.domains")
    urls = data.get("urls", {})
    article = data.get("article", {})
    detect = data.get("detect", {})
    if not domains and not detect.get("markers"):
        raise ProfileError(f"{where}: give 'domains' or detect.markers, or the site cannot be recognised")
    unknown_article = set(article) - {"title", "date", "source", "body"}
    if unknown_article:
        raise ProfileError(f"{where}.article: unknown keys {sorted(unknown_article)}")
    markers = detect.get("markers", [])
    profile = SiteProfile(
        name=name,
        domains=tuple(domain.lower() for domain in domains),
        media_name=str(data.get("media_name", "")),
        start_urls=_strings(data.get("start_urls"), f"{where}.start_urls"),
        article_urls=tuple(
            _compile(p, f"{where}.urls.article") for p in _strings(urls.get("article"), f"{where}.urls.article")
        ),
        listing_urls=tuple(
            _compile(p, f"{where}.urls.listing") for p in _strings(urls.get("listing"), f"{where}.urls.listing")
        ),
        charset=data.get("charset") or None,
        markers=tuple(_selection(m, f"{where}.detect.markers[{i}]") for i, m in enumerate(markers)),
        title=_field(article.get("title"), f"{where}.article.title"),
        date=_field(article.get("date"), f"{where}.article.date"),
        source=_field(article.get("source"), f"{where}.article.source"),
        body=_field(article.get("body"), f"{where}.article.body", allow_exclude=True),
        listing=_listing(data.get("listing"), f"{where}.listing"),
        path=path,
    )
    if profile.body is not None and profile.title is None:
        raise ProfileError(f"{where}.article: a profile with a body selector needs a title selector")
    return profile


def load_profile_file(path: Path) -> SiteProfile:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as error:
        raise ProfileError(f"{path}: {error}") from None
    profile = parse_profile(data, str(path), path)
    if profile.name != path.stem:
        raise ProfileError(f"{path}: name {profile.name!r} differs from the file name")
    return profile


def load_profiles(directory: Path | str | None = None) -> dict[str, SiteProfile]:
    """Every ``*.toml`` profile in ``directory`` (default ``seeds/sites``), by name."""
    root = Path(directory) if directory else DEFAULT_PROFILES_DIR
    return {profile.name: profile for profile in map(load_profile_file, sorted(root.glob("*.toml")))}


def profiles_for_host(host: str, profiles: Iterable[SiteProfile]) -> list[SiteProfile]:
    """Profiles owning ``host``, the most specific domain first."""
    owners = [(profile.owns_host(host), profile) for profile in profiles]
    return [profile for length, profile in sorted(owners, key=lambda pair: -pair[0]) if length]
