"""Placeholder: being written."""

from scrapy.exceptions import NotConfigured


class RunReport:
    @classmethod
    def from_crawler(cls, crawler):
        raise NotConfigured
