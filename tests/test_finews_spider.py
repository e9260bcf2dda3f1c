"""What the finews spider follows, decided on invented listing pages without the engine."""

from __future__ import annotations

from scrapy.http import HtmlResponse
from scrapy.utils.test import get_crawler

from crawler.report import post_dropped
from crawler.spiders.finews import FinewsSpider

SITE = "https://demo.finews.invalid"


class KnownPosts:
    """A stand-in for the dedupe store: these (category, id) pairs are archived."""

    def __init__(self, *known):
        self.known = set(known)

    def is_known(self, category, post_id):
        return (category, post_id) in self.known


def _spider(store=None) -> FinewsSpider:
    crawler = get_crawler(FinewsSpider)
    spider = FinewsSpider.from_crawler(crawler, start_url=f"{SITE}/")
    crawler.stats.open_spider()
    spider.host, spider.store = "demo.finews.invalid", store
    return spider


def _listing(links: str, url: str = f"{SITE}/category/cailianshe.html") -> HtmlResponse:
    body = f"<html><body><section><h2>财联社新闻</h2><ul>{links}</ul></section></body></html>"
    return HtmlResponse(url=url, body=body.encode("utf-8"), encoding="utf-8")


POSTS = (
    '<li><a href="/cailianshe/2026/03/02/NW202603020000000001.html">一</a></li>'
    '<li><a href="/cailianshe/2026/03/01/NW202603010000000002.html">二</a></li>'
)
NEXT = '<a href="/category/cailianshe/page2/" rel="next">下一页</a>'


def _urls(requests):
    return [request.url for request in requests]


def test_new_posts_and_their_category_page_are_requested():
    requests = list(_spider().parse_listing(_listing(POSTS)))
    assert _urls(requests) == [
        f"{SITE}/category/cailianshe.html",
        f"{SITE}/cailianshe/2026/03/02/NW202603020000000001.html",
        f"{SITE}/category/cailianshe.html",
        f"{SITE}/cailianshe/2026/03/01/NW202603010000000002.html",
    ]  # the repeated category page is dropped by Scrapy's duplicate filter


def test_known_posts_are_not_requested_and_counted_once():
    spider = _spider(KnownPosts(("cailianshe", "NW202603020000000001")))
    list(spider.parse_listing(_listing(POSTS)))
    requests = list(spider.parse_listing(_listing(POSTS, url=f"{SITE}/")))
    assert f"{SITE}/cailianshe/2026/03/02/NW202603020000000001.html" not in _urls(requests)
    assert spider.crawler.stats.get_value("incremental/known_posts_skipped") == 1


def test_pagination_stops_at_a_page_of_known_posts():
    spider = _spider(KnownPosts(("cailianshe", "NW202603020000000001"), ("cailianshe", "NW202603010000000002")))
    requests = list(spider.parse_listing(_listing(POSTS + NEXT)))
    assert f"{SITE}/category/cailianshe/page2/" not in _urls(requests)
    assert spider.crawler.stats.get_value("incremental/pagination_stopped") == 1


def test_pagination_goes_on_while_a_page_has_new_posts():
    spider = _spider(KnownPosts(("cailianshe", "NW202603020000000001")))
    assert f"{SITE}/category/cailianshe/page2/" in _urls(spider.parse_listing(_listing(POSTS + NEXT)))


def test_links_to_other_hosts_are_not_followed():
    links = '<li><a href="https://elsewhere.invalid/cailianshe/2026/03/02/NW202603020000000001.html">外</a></li>'
    assert list(_spider().parse_listing(_listing(links))) == []


def test_a_post_without_category_gets_no_category_page():
    requests = _spider().post_requests(f"{SITE}/2026/03/06/202603063652204418.html")
    assert _urls(requests) == [f"{SITE}/2026/03/06/202603063652204418.html"]


def test_a_post_page_that_cannot_be_fetched_is_reported_as_dropped():
    from scrapy.spidermiddlewares.httperror import HttpError
    from twisted.python.failure import Failure

    spider = _spider()
    request = spider.post_requests(f"{SITE}/cailianshe/2026/03/02/NW202603020000000001.html")[-1]
    response = HtmlResponse(url=request.url, status=404, body=b"", request=request)
    dropped = []
    spider.crawler.signals.connect(lambda **kw: dropped.append(kw), signal=post_dropped, weak=False)
    failure = Failure(HttpError(response, "Ignoring non-200 response"))
    failure.request = request  # as Scrapy's scraper sets it
    request.errback(failure)
    assert [(d["url"], d["reason"]) for d in dropped] == [(request.url, "fetch-failed")]
    assert spider.crawler.stats.get_value("dropped/fetch-failed") == 1
