"""``scrapy extract FILE... [--url URL] [--site NAME] [--crawl-time ISO]``: read saved
pages the way the ``site`` spider reads live ones, and print one JSON line per file.

Without ``--url``/``--site`` the site is recognised from the page itself (its canonical
link or og:url, else a profile's markers); pages no profile knows go the generic way.
An article prints ``url, title, date (ISO 8601 with offset), date_only, date_raw, source,
category, tag, body, extractor, id, garbled, file``; a listing (``kind: listing``) prints
its ``links``, each with ``url, title, date_raw, date``. The date is normalised against ``--crawl-time``
(default: the ``CRAWL_TIME`` setting, else now), which anchors "3小时前" and "昨天".
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import Any, ClassVar

from scrapy.commands import ScrapyCommand
from scrapy.exceptions import UsageError
from scrapy.http import HtmlResponse

from crawler.encoding import detect_encoding, looks_garbled
from crawler.generic import ENGINES, extract_generic
from crawler.sites import (
    SiteProfile,
    detect_profile,
    extract_article,
    extract_listing,
    html_text,
    load_profiles,
    page_kind,
    self_urls,
)
from crawler.sites.select import collapse_space
from pipelines.dates import DEFAULT_TZ, DateParseError, normalize_date, parse_crawl_time


def saved_page_response(path: Path, url: str = "", charset: str | None = None) -> HtmlResponse:
    """A saved page as a response, decoded by the bytes (its <meta> may lie), at ``url``
    (else the URL the page gives for itself, else the file's own URI)."""
    body = path.read_bytes()
    response = HtmlResponse(url or path.resolve().as_uri(), body=body, encoding=detect_encoding(body, None, charset))
    if not url:
        own = self_urls(response.selector)
        if own:
            response = response.replace(url=own[0])
    return response


def _date_fields(raw: str, crawled_at: datetime) -> dict[str, Any]:
    if not raw:
        return {"date": None, "date_only": None}
    try:
        parsed = normalize_date(raw, crawled_at)
    except DateParseError as error:
        return {"date": None, "date_only": None, "date_error": str(error)}
    return {"date": parsed.value.isoformat(), "date_only": parsed.date_only}


def extract_saved_page(
    path: Path,
    profiles: Mapping[str, SiteProfile],
    *,
    crawled_at: datetime,
    url: str = "",
    site: SiteProfile | None = None,
    generic_engine: str = "fallback",
    slug_overrides: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """The JSON record ``scrapy extract`` prints for one saved page."""
    response = saved_page_response(path, url, site.charset if site else None)
    profile = site or detect_profile(response.selector, profiles.values(), url)
    if profile is not None and profile.charset and site is None:
        response = saved_page_response(path, url or response.url, profile.charset)
    kind = page_kind(response, profile) if profile is not None else "article"
    record: dict[str, Any] = {"file": str(path), "url": response.url, "kind": kind}
    if kind == "listing":
        # The article keys too, empty, so every line has the same core fields.
        record.update(title=collapse_space(response.xpath("string(//title)").get() or ""), date=None, date_raw="")
        record.update(source="", body="", extractor=profile.extractor)
        record["links"] = [
            {
                "url": entry.url,
                "title": entry.title,
                "date_raw": entry.date_raw,
                **_date_fields(entry.date_raw, crawled_at),
            }
            for entry in extract_listing(response, profile)
        ]
        return record
    if profile is not None:
        post = extract_article(response, profile, crawled_at=crawled_at, slug_overrides=slug_overrides)
    else:
        post = extract_generic(response, engine=generic_engine, crawled_at=crawled_at, slug_overrides=slug_overrides)
    record.update(
        id=post.id,
        title=post.title,
        **_date_fields(post.date_raw, crawled_at),
        date_raw=post.date_raw,
        source=post.source_media,
        category=post.category,
        tag=post.tag,
        body=post.body,
        extractor=post.extractor,
        garbled=looks_garbled(f"{post.title}\n{html_text(post.body)}"),
    )
    return record


class Command(ScrapyCommand):
    requires_project = True
    requires_crawler_process = False
    default_settings: ClassVar[dict[str, Any]] = {"LOG_ENABLED": False}

    def syntax(self) -> str:
        return "FILE... [--url URL] [--site NAME] [--crawl-time ISO]"

    def short_desc(self) -> str:
        return "Extract the article (or listing) of saved pages; print one JSON line per file"

    def long_desc(self) -> str:
        return (__doc__ or "").replace("\n", " ")

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        parser.add_argument("--url", default="", help="the page's URL (one FILE only)")
        parser.add_argument("--site", default="", help="the profile to read the pages with (seeds/sites/NAME.toml)")
        parser.add_argument("--crawl-time", dest="crawl_time", default="", help="ISO 8601 time the pages were saved")
        parser.add_argument("--generic", default="fallback", choices=ENGINES, help="engine for pages without profile")

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        assert self.settings is not None
        if not args:
            raise UsageError("give at least one saved page")
        if opts.url and len(args) > 1:
            raise UsageError("--url names one page: give one FILE with it")
        profiles = load_profiles(self.settings.get("SITE_PROFILES_DIR") or None)
        site = None
        if opts.site:
            if opts.site not in profiles:
                raise UsageError(f"no profile {opts.site!r}; known: {', '.join(sorted(profiles))}")
            site = profiles[opts.site]
        try:
            crawl_time = opts.crawl_time or self.settings.get("CRAWL_TIME") or datetime.now().astimezone()
            crawled_at = parse_crawl_time(crawl_time, DEFAULT_TZ)
        except ValueError as error:
            raise UsageError(str(error)) from None
        overrides = self.settings.getdict("CATEGORY_SLUG_OVERRIDES")
        for name in args:
            path = Path(name)
            if not path.is_file():
                print(f"extract: no such file: {name}", file=sys.stderr)
                self.exitcode = 1
                continue
            record = extract_saved_page(
                path, profiles, crawled_at=crawled_at, url=opts.url, site=site,
                generic_engine=opts.generic, slug_overrides=overrides,
            )  # fmt: skip
            print(json.dumps(record, ensure_ascii=False), flush=True)
