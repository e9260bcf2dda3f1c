"""The ``site`` spider: any news site that has a profile in ``seeds/sites``.

    scrapy crawl site -a profile=stcn                  # its start URLs -> listings -> articles
    scrapy crawl site -a url=https://…/article.html    # one page; the site found from the URL or page
    scrapy crawl site -a profile=people -a url=…       # one page read with that profile

The spider only decides what to fetch and follow; reading pages is ``crawler.sites``'
(profiles) and ``crawler.generic``'s (pages no profile knows). Links from a listing are
followed when some profile calls them articles: its own, or the profile owning the
link's host (a topic page on one site can list articles of others). Listing pages are
capped by ``-a max_pages=N`` (default ``SITE_MAX_LISTING_PAGES``, 20).
"""

from __future__ import annotations

from datetime import datetime

import scrapy
from scrapy.http import Request, Response, TextResponse

from crawler.encoding import with_true_encoding
from crawler.generic import extract_generic
from crawler.report import report_fetch_failure
from crawler.sites import (
    SiteProfile,
    detect_profile,
    extract_article,
    extract_listing,
    load_profiles,
    next_page_url,
    page_kind,
    profile_for_url,
)
from pipelines.dates import DEFAULT_TZ, parse_crawl_time

DEFAULT_MAX_LISTING_PAGES = 20


class SiteSpider(scrapy.Spider):
    name = "site"

    def __init__(self, profile: str = "", url: str = "", max_pages: str = "", *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.profile_name = profile
        self.page_url = url
        self.max_pages_arg = max_pages
        self.profiles: dict[str, SiteProfile] = {}
        self.listing_pages = 0

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        settings = crawler.settings
        spider.profiles = load_profiles(settings.get("SITE_PROFILES_DIR") or None)
        if spider.profile_name and spider.profile_name not in spider.profiles:
            known = ", ".join(sorted(spider.profiles))
            raise ValueError(f"no site profile {spider.profile_name!r} (known: {known})")
        if not spider.profile_name and not spider.page_url:
            raise ValueError("give -a profile=NAME (crawl its start URLs) or -a url=URL (one page)")
        spider.max_listing_pages = int(
            spider.max_pages_arg or settings.getint("SITE_MAX_LISTING_PAGES", 0) or DEFAULT_MAX_LISTING_PAGES
        )
        crawl_time = settings.get("CRAWL_TIME")
        spider.fixed_crawl_time = parse_crawl_time(crawl_time, DEFAULT_TZ) if crawl_time else None
        spider.slug_overrides = settings.getdict("CATEGORY_SLUG_OVERRIDES")
        spider.generic_engine = settings.get("GENERIC_EXTRACTOR", "fallback")
        return spider

    # --- what to fetch ------------------------------------------------------------------------

    async def start(self):
        profile = self.profiles.get(self.profile_name)
        if self.page_url:
            owner = profile or profile_for_url(self.page_url, self.profiles.values())
            yield Request(
                self.page_url, callback=self.parse_page, cb_kwargs={"profile_name": owner.name if owner else ""}
            )
            return
        assert profile is not None
        if not profile.start_urls:
            self.logger.error("profile %s has no start_urls: give -a url=URL", profile.name)
        for url in profile.start_urls:
            yield Request(url, callback=self.parse_page, cb_kwargs={"profile_name": profile.name})

    def _crawled_at(self) -> datetime:
        return self.fixed_crawl_time or datetime.now().astimezone()

    def _inc(self, key: str) -> None:
        self.crawler.stats.inc_value(key)

    def _is_text(self, response: Response) -> bool:
        if isinstance(response, TextResponse):
            return True
        self.logger.warning("not a text page, skipped: %s", response.url)
        self._inc("site/skipped/not-text")
        return False

    def parse_page(self, response: Response, profile_name: str = ""):
        """A page of unknown kind: a start URL or ``-a url``."""
        if not self._is_text(response):
            return
        profile = self.profiles.get(profile_name)
        response = with_true_encoding(response, profile.charset if profile else None)
        profile = profile or detect_profile(response.selector, self.profiles.values(), response.url)
        if profile is None:
            yield from self.parse_article(response, "")
            return
        kind = page_kind(response, profile)
        if kind == "listing":
            yield from self.parse_listing(response, profile.name)
        elif kind == "article":
            yield from self.parse_article(response, profile.name)
        else:
            self.logger.warning("neither article nor listing for profile %s: %s", profile.name, response.url)
            self._inc("site/skipped/unknown-page")

    def _article_profile(self, url: str, current: SiteProfile) -> SiteProfile | None:
        if current.is_article_url(url):
            return current
        owner = profile_for_url(url, self.profiles.values())
        return owner if owner is not None and owner.is_article_url(url) else None

    def _listing_request(self, url: str, profile: SiteProfile) -> Request | None:
        if self.listing_pages >= self.max_listing_pages:
            self._inc("site/skipped/listing-page-cap")
            return None
        self.listing_pages += 1
        return Request(url, callback=self.parse_listing, cb_kwargs={"profile_name": profile.name})

    def article_failed(self, failure):
        report_fetch_failure(self.crawler, failure)

    def parse_listing(self, response: Response, profile_name: str):
        if not self._is_text(response):
            return
        profile = self.profiles[profile_name]
        response = with_true_encoding(response, profile.charset)
        self._inc("site/listing-pages")
        entries = extract_listing(response, profile)
        if not entries:
            self.logger.warning("listing without entries (profile %s): %s", profile.name, response.url)
            self._inc("site/listing-pages/empty")
        for entry in entries:
            target = self._article_profile(entry.url, profile)
            if target is None:
                self.logger.debug("no profile reads %s as an article; not followed", entry.url)
                self._inc("site/links/not-followed")
                continue
            self._inc("site/links/articles")
            yield Request(
                entry.url,
                callback=self.parse_article,
                errback=self.article_failed,
                cb_kwargs={"profile_name": target.name, "listing_date": entry.date_raw},
            )
        following = [next_page_url(response, profile)]
        # Other listings the page links to (topic pages, sections), the profile's own.
        following += [
            url for url in map(response.urljoin, response.css("a::attr(href)").getall()) if profile.is_listing_url(url)
        ]
        for url in dict.fromkeys(filter(None, following)):
            if url != response.url:
                request = self._listing_request(url, profile)
                if request is not None:
                    yield request

    # --- what to keep --------------------------------------------------------------------------

    def parse_article(self, response: Response, profile_name: str = "", listing_date: str = ""):
        if not self._is_text(response):
            return
        profile = self.profiles.get(profile_name)
        response = with_true_encoding(response, profile.charset if profile else None)
        if profile is not None:
            post = extract_article(response, profile, crawled_at=self._crawled_at(), slug_overrides=self.slug_overrides)
        else:
            post = extract_generic(
                response, engine=self.generic_engine, crawled_at=self._crawled_at(), slug_overrides=self.slug_overrides
            )
            self._inc("site/articles/generic")
        if not post.date_raw and listing_date:
            # The article page shows no date of its own: the listing's is the best there is.
            post.date_raw = listing_date
            post.extra["date_from"] = "listing"
            self._inc("site/dates/from-listing")
        self._inc("site/articles")
        self._inc(f"site/articles/{profile.name if profile else 'generic'}")
        yield post
