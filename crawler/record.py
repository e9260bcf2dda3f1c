"""Placeholder: being written."""

from scrapy.exceptions import NotConfigured


class WarcRecorderMiddleware:
    @classmethod
    def from_crawler(cls, crawler):
        raise NotConfigured
