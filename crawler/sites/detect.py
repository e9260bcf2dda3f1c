"""Which site a page belongs to: by its URL, the URL it names for itself, or markers."""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import urlsplit

from parsel import Selector

from crawler.sites.profile import SiteProfile, profiles_for_host
from crawler.sites.select import matches_any

_SELF_URL_QUERIES = (
    "//link[@rel='canonical']/@href",
    "//meta[@property='og:url']/@content",
    "//meta[@name='og:url']/@content",
)


def self_urls(page: Selector) -> list[str]:
    """Absolute http(s) URLs the page gives for itself (canonical link, og:url)."""
    found = []
    for query in _SELF_URL_QUERIES:
        for value in page.xpath(query).getall():
            value = value.strip()
            if urlsplit(value).scheme in ("http", "https") and value not in found:
                found.append(value)
    return found


def profile_for_url(url: str, profiles: Iterable[SiteProfile]) -> SiteProfile | None:
    """The profile owning ``url``'s host (the most specific domain), if any."""
    host = urlsplit(url).hostname or ""
    owners = profiles_for_host(host, profiles) if host else []
    return owners[0] if owners else None


def detect_profile(page: Selector, profiles: Iterable[SiteProfile], url: str = "") -> SiteProfile | None:
    """The profile of the page at ``url``: by ``url``, else by the page's own URL, else
    by the first profile (in name order) whose markers match."""
    profiles = sorted(profiles, key=lambda profile: profile.name)
    for candidate in [url, *self_urls(page)]:
        if candidate:
            owner = profile_for_url(candidate, profiles)
            if owner is not None:
                return owner
    for profile in profiles:
        if profile.markers and matches_any(page, profile.markers):
            return profile
    return None
