"""``scrapy crawl finews``: archive every post a finews-style news site shows.

The spider only decides what to follow; what a page says is read by
``crawler.pages.finews`` (post pages, listings, the feed) and, behind share links, by
``crawler.eastmoney`` (the original articles).

What it follows, from the start URL (``-a start_url=…``, default ``FINEWS_START_URL``):
home page and ``/emnews/`` -> posts; a post -> its category page
``/category/<category>.html`` (every category has one, linked or not: the real mirror
lists its 142 rolling-feed posts in full only on the unlinked ``/category/emnews.html``);
listings -> posts, categories, pagination; ``/feed.xml`` when present -> posts.
Scrapy's duplicate filter fetches each URL once per run.

Incremental (``INCREMENTAL``, on by default): a post already archived or recorded as a
duplicate is recognised from the state store by its URL's category and id before any
request, and a category listing that shows only known posts ends its pagination.
"""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import urljoin, urlsplit

from scrapy import Request, Spider

from crawler.eastmoney import apply_upstream, share_link_request
from crawler.pages.finews import NotAPost, feed_entries, listing_links, parse_post_page, post_url_parts
from crawler.report import report_drop, report_fetch_failure
from pipelines.dedupe import open_store


class FinewsSpider(Spider):
    name = "finews"

    def __init__(self, start_url: str | None = None, urls: str = "", **kwargs):
        super().__init__(**kwargs)
        self.start_url_arg = start_url
        # -a urls=U1,U2: post pages to archive besides what the site links (one-off runs)
        self.extra_urls = [url.strip() for url in urls.split(",") if url.strip()]
        self.store = None
        self.known_seen: set[tuple[str, str]] = set()

    @property
    def start_url(self) -> str:
        return self.start_url_arg or self.settings.get("FINEWS_START_URL")

    async def start(self):
        settings = self.settings
        self.host = urlsplit(self.start_url).netloc
        self.incremental = settings.getbool("INCREMENTAL", True)
        self.follow_share_links = settings.getbool("FOLLOW_SHARE_LINKS", True)
        if self.incremental:
            self.store = open_store(settings)
        yield self.listing_request(self.start_url)
        yield self.listing_request(urljoin(self.start_url, "emnews/"))
        # The feed is optional: a site without one answers 404, which is no loss.
        yield Request(urljoin(self.start_url, "feed.xml"), callback=self.parse_feed, errback=self.feed_missing)
        for url in self.extra_urls:
            yield Request(url, callback=self.parse_post, errback=self.post_failed)

    def closed(self, reason):
        if self.store is not None:
            self.store.close()

    # --- listings ---------------------------------------------------------------------
    def parse_listing(self, response):
        links = listing_links(response)
        known = 0
        for url in links.post_urls:
            requests = self.post_requests(url)
            known += not any(r.callback == self.parse_post for r in requests)
            yield from requests
        for url in links.category_urls + links.feed_urls:
            if self.on_site(url):
                yield Request(url, callback=self.parse_feed) if url in links.feed_urls else self.listing_request(url)
        if links.post_urls and known == len(links.post_urls) and links.pagination_urls:
            # Listings are newest first: a page of known posts means the rest is known too.
            self.crawler.stats.inc_value("incremental/pagination_stopped")
            return
        for url in links.pagination_urls:
            if self.on_site(url):
                yield self.listing_request(url)

    def parse_feed(self, response):
        for entry in feed_entries(response):
            yield from self.post_requests(entry.url)

    def feed_missing(self, failure):
        self.crawler.stats.inc_value("finews/feed_missing")
        self.logger.info("No feed at %s", failure.request.url)

    # --- posts ----------------------------------------------------------------------------
    def post_requests(self, url: str) -> list[Request]:
        """The post's category page (fetched once: the duplicate filter drops the
        repeats) and, unless the post is already known, the post page."""
        parts = post_url_parts(url)
        if parts is None or not self.on_site(url):
            return []
        category, post_id = parts
        requests = []
        if category:  # a page Jekyll published without front matter has no category
            requests.append(self.listing_request(urljoin(self.start_url, f"category/{category}.html")))
        if self.store is not None and self.store.is_known(category, post_id):
            if (category, post_id) not in self.known_seen:  # count each post once, however often linked
                self.known_seen.add((category, post_id))
                self.crawler.stats.inc_value("incremental/known_posts_skipped")
        else:
            requests.append(Request(url, callback=self.parse_post, errback=self.post_failed))
        return requests

    def post_failed(self, failure):
        report_fetch_failure(self.crawler, failure)

    def listing_request(self, url: str) -> Request:
        return Request(url, callback=self.parse_listing, errback=self.listing_failed)

    def listing_failed(self, failure):
        self.crawler.stats.inc_value("finews/listing_failed")
        self.logger.warning("Listing failed: %s <%s>", failure.getErrorMessage(), failure.request.url)

    def parse_post(self, response):
        post = parse_post_page(response)
        if isinstance(post, NotAPost):
            report_drop(self.crawler, response.url, post.reason, post.detail)
            return
        post.crawled_at = datetime.now(UTC)
        request = share_link_request(post.share_url, self.settings, {"post": post}) if self.follow_share_links else None
        if request is None:
            yield self.with_body_source(post, "mirror")
            return
        # The post rides in the request: if the duplicate filter dropped a share link
        # two posts have in common, the second post would vanish without a trace.
        yield request.replace(callback=self.parse_upstream, errback=self.upstream_failed, dont_filter=True)

    def parse_upstream(self, response):
        mirror_copy = response.meta["post"]
        upstream = apply_upstream(mirror_copy, response)
        if upstream is None:
            self.crawler.stats.inc_value("upstream/incomplete")
            yield self.with_body_source(mirror_copy, "mirror")
        else:
            yield self.with_body_source(upstream, "upstream")

    def upstream_failed(self, failure):
        """The original article could not be had (error, not allowed, not in the
        replay): the mirror's copy is archived, so nothing is lost."""
        self.crawler.stats.inc_value("upstream/failed")
        self.logger.info("Upstream failed for %s: %s", failure.request.url, failure.getErrorMessage())
        yield self.with_body_source(failure.request.meta["post"], "mirror")

    # --- helpers ----------------------------------------------------------------------------
    def with_body_source(self, post, source: str):
        post.body_source = source
        self.crawler.stats.inc_value(f"body_source/{source}")
        return post

    def on_site(self, url: str) -> bool:
        return urlsplit(url).netloc == self.host
