"""Normalise the date strings Chinese news sites print into timezone-aware instants.

``normalize_date`` is a pure function over an explicit regex grammar: it either reads
the whole string or raises ``DateParseError``. It never guesses: no fuzzy parsing, no
"current year" or "today" filled in silently, no date in the future (epoch timestamps, absolute by nature, excepted).

What it reads (after cleanup: full-width digits and punctuation folded to ASCII, any
run of whitespace, U+3000 and NBSP included, made one space):

- label prefixes: ``发布时间：``, ``发布日期:``, ``最后更新:``, ``发表于``, ``pubtime:'…'``…
- a tail naming the source or author after the date: ``… 来源：人民网``
- ``2019年9月26日 15:10``, ``2019年06月15日08:18``, ``2022年1月3日 6时53分``,
  ``2021年10月7日 星期四`` (the weekday must agree with the date)
- ``2019-09-07 13:43:45``, ``2020.10.04``, ``2019/3/18 12:09:30``, ``2007-08-20-23:59:59``
- ISO 8601 with an offset (``…T13:43:45+08:00``, ``…Z``, ``… +0800``): converted to ``tz``
- epoch milliseconds (13 digits) or seconds (10 digits)
- relative: ``刚刚``, ``N秒/分钟/小时/天/周前``, ``今天``/``昨天``/``前天`` with or without a time
- no year (``09月07日``, ``01-03 06:53``) or no day (``16:09``): the latest such moment
  not after the crawl time (plus the future tolerance, which absorbs clock skew)

Decisions where the data left a choice:

- A month without a day (``2022年01月``) is rejected: the archive files a post under
  its day, and the 1st of the month would be an invented day.
- Year-last dates (``01/03/2022``) are rejected: D/M and M/D cannot be told apart,
  and Chinese sites put the year first.
- ``N天前``/``N周前`` keep the crawl's time of day (``1天前`` = 24 h earlier) and are
  ``date_only``: the source gave no time of day.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta, timezone
from functools import lru_cache
from typing import NamedTuple
from zoneinfo import ZoneInfo

from itemadapter import ItemAdapter

from pipelines.outcomes import PostDropped

DEFAULT_TZ = "Asia/Shanghai"
DEFAULT_FUTURE_TOLERANCE = timedelta(minutes=10)


class DateParseError(ValueError):
    """The string is not a date this module can read completely (or it lies in the future)."""

    def __init__(self, raw: str, reason: str):
        self.raw = raw
        self.reason = reason
        super().__init__(f"cannot read date {raw!r}: {reason}")


class ParsedDate(NamedTuple):
    value: datetime  # aware, in the site's zone
    date_only: bool  # the source gave no time of day


# --- Cleanup -------------------------------------------------------------------------

# Full-width digits and the punctuation dates use, folded to ASCII. Whitespace (U+3000,
# NBSP, tabs, newlines) needs no entry: str.split() already treats it all as blanks.
_FOLD = str.maketrans(
    {
        **{chr(0xFF10 + n): str(n) for n in range(10)},
        "：": ":",
        "／": "/",
        "－": "-",
        "．": ".",
        "＋": "+",
        "（": "(",
        "）": ")",
        "＂": '"',
        "＇": "'",
    }
)

# Labels sites print before the date. Only these: an unknown word before a date is
# not skipped, it makes the string unreadable.
_CN_LABEL = (
    r"(?:发布时间|发布日期|发表时间|发表日期|更新时间|更新日期|最后更新|最后修改|修改时间|"
    r"时间|日期|发布于|发表于|更新于|发布|发表|更新)"
)
_PREFIX = re.compile(
    rf"^(?:{_CN_LABEL} ?:? ?"
    # JS/JSON keys in page source: pubtime:'…', "showtime": "…", publish_time=…
    r"|[\"']?[A-Za-z_][A-Za-z0-9_]*[\"']? ?[:=] ?)"
)
_QUOTED = re.compile(r"^([\"'])(.*)\1$")
# What may follow the date: the source or author line sites print on the same line.
_TAIL = re.compile(r" ?(?:来源|作者|责任编辑|编辑|稿源|出处) ?:.*$")


def _clean(raw: str) -> str:
    # The guards skip work most strings do not need: this runs on every item.
    ascii_only = raw.isascii()
    text = " ".join((raw if ascii_only else raw.translate(_FOLD)).split())
    if text and not text[0].isdigit():
        text = _PREFIX.sub("", text, count=1)
        quoted = _QUOTED.match(text)
        if quoted:
            text = quoted.group(2).strip()
    return text if ascii_only else _TAIL.sub("", text, count=1)


# --- Grammar -------------------------------------------------------------------------

# Time of day: 06:53, 13:43:45, 13:43:45.123, 6时53分, 6点53分12秒, 6时.
_TIME = (
    r"(?P<hour>\d{1,2})(?:"
    r":(?P<minute>\d{2})(?::(?P<second>\d{2})(?:\.(?P<fraction>\d{1,6}))?)?"
    r"| ?[时点](?: ?(?P<cn_minute>\d{1,2}) ?分(?: ?(?P<cn_second>\d{1,2}) ?秒)?)?"
    r")"
)
_WEEKDAY = r"(?:\(? ?(?:星期|周|礼拜)(?P<{name}>[一二三四五六日天]) ?\)?)"
_OFFSET = r"(?P<offset>Z|[+-]\d{2}:?\d{2})"


def _after_date(time_separator: str) -> str:
    """What may follow a date: a weekday, a time of day (the weekday before or after
    it), and an offset only when there is a time."""
    before = _WEEKDAY.format(name="weekday")
    after = _WEEKDAY.format(name="weekday_after")
    return rf"(?: ?{before})?(?:{time_separator}{_TIME}(?: ?{_OFFSET})?(?: ?{after})?)?"


# After 日 the time may follow directly (2019年06月15日08:18); after digits it needs a
# separator, or 2019-09-2612:11 would be split by guesswork.
_AFTER_CN_DATE = _after_date(r" ?")
_AFTER_NUMERIC_DATE = _after_date(r"(?: |T|-)")

_CN_YMD = re.compile(rf"(?P<year>\d{{4}}) ?年 ?(?P<month>\d{{1,2}}) ?月 ?(?P<day>\d{{1,2}}) ?[日号]{_AFTER_CN_DATE}")
_NUM_YMD = re.compile(
    rf"(?P<year>\d{{4}})(?P<sep>[-/.])(?P<month>\d{{1,2}})(?P=sep)(?P<day>\d{{1,2}}){_AFTER_NUMERIC_DATE}"
)
_CN_MD = re.compile(rf"(?P<month>\d{{1,2}}) ?月 ?(?P<day>\d{{1,2}}) ?[日号]{_AFTER_CN_DATE}")
# No year: month first (the Chinese order), dashes or slashes, never dots (3.25 is a number).
_NUM_MD = re.compile(rf"(?P<month>\d{{1,2}})(?P<sep>[-/])(?P<day>\d{{1,2}}){_AFTER_NUMERIC_DATE}")
_TIME_ONLY = re.compile(_TIME)
_EPOCH = re.compile(r"\d{10}|\d{13}")
_JUST_NOW = re.compile(r"刚刚|刚才")
_AGO = re.compile(r"(?P<count>\d+) ?(?P<unit>秒钟?|分钟|分|小时|个小时|钟头|天|日|周|星期)前")
_NAMED_DAY = re.compile(rf"(?P<day_name>今天|今日|昨天|昨日|前天)(?: ?{_TIME})?")
# Recognised only to say why they are rejected.
_FUTURE_WORD = re.compile(r"(?:明天|明日|后天).*|\d+ ?\S*后")
_YEAR_MONTH = re.compile(r"\d{4} ?(?:年 ?\d{1,2} ?月|[-/.]\d{1,2})")

_AGO_UNITS = {
    "秒": timedelta(seconds=1),
    "秒钟": timedelta(seconds=1),
    "分": timedelta(minutes=1),
    "分钟": timedelta(minutes=1),
    "小时": timedelta(hours=1),
    "个小时": timedelta(hours=1),
    "钟头": timedelta(hours=1),
    "天": timedelta(days=1),
    "日": timedelta(days=1),
    "周": timedelta(weeks=1),
    "星期": timedelta(weeks=1),
}
_DAY_UNITS = {"天", "日", "周", "星期"}
_DAYS_BACK = {"今天": 0, "今日": 0, "昨天": 1, "昨日": 1, "前天": 2}
_WEEKDAYS = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6}

# Grammar families, tried in order (most frequent first); the name labels stats and benches.
_FAMILIES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("numeric-ymd", _NUM_YMD),
    ("cn-ymd", _CN_YMD),
    ("epoch", _EPOCH),
    ("cn-md", _CN_MD),
    ("numeric-md", _NUM_MD),
    ("time-only", _TIME_ONLY),
    ("ago", _AGO),
    ("named-day", _NAMED_DAY),
    ("just-now", _JUST_NOW),
)


def _match(text: str) -> tuple[str, re.Match[str]] | None:
    for family, pattern in _FAMILIES:
        match = pattern.fullmatch(text)
        if match:
            return family, match
    return None


def date_family(raw: str) -> str | None:
    """The name of the grammar that reads ``raw`` (``cn-ymd``, ``ago``…), or None.
    Says nothing about whether the values are valid; for stats and benchmarks."""
    found = _match(_clean(raw))
    return found[0] if found else None


# --- Arithmetic ----------------------------------------------------------------------


_TIME_GROUPS = ("hour", "minute", "second", "fraction", "cn_minute", "cn_second")


@lru_cache(maxsize=16)
def _zone(tz: str) -> ZoneInfo:
    return ZoneInfo(tz)


def _time_of_day(match: re.Match[str]) -> time | None:
    hour, minute, second, fraction, cn_minute, cn_second = match.group(*_TIME_GROUPS)
    if hour is None:
        return None
    minute = minute or cn_minute or 0
    second = second or cn_second or 0
    micro = int(fraction.ljust(6, "0")) if fraction else 0
    return time(int(hour), int(minute), int(second), micro)


def _offset(match: re.Match[str]) -> timezone | None:
    text = match.group("offset")
    if not text:
        return None
    if text == "Z":
        return UTC
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    return timezone(sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:])))


def _check_weekday(match: re.Match[str], day: date) -> None:
    for name in match.group("weekday", "weekday_after"):
        if name and _WEEKDAYS[name] != day.weekday():
            raise ValueError(f"weekday 星期{name} does not match {day.isoformat()}")


def _latest_not_after(candidates, bound: datetime) -> datetime | None:
    """The first (latest) candidate moment not after ``bound``; None when none is."""
    for moment in candidates:
        if moment <= bound:
            return moment
    return None


def _at(day: date, clock: time | None, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, clock or time(0), tzinfo=zone)


def _maybe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _resolve(family: str, match: re.Match[str], now: datetime, bound: datetime) -> ParsedDate:
    """``now`` is the crawl time in the site's zone; ``bound`` the latest acceptable moment.
    Raises ValueError with the reason when the values do not make a moment."""
    zone = now.tzinfo
    if family in ("numeric-ymd", "cn-ymd"):
        day = date(int(match.group("year")), int(match.group("month")), int(match.group("day")))
        _check_weekday(match, day)
        clock = _time_of_day(match)
        offset = _offset(match) if clock else None
        if offset is not None:
            value = datetime.combine(day, clock, tzinfo=offset).astimezone(zone)
        else:
            value = _at(day, clock, zone)
        return ParsedDate(value, clock is None)

    if family in ("cn-md", "numeric-md"):
        month, day_of_month = int(match.group("month")), int(match.group("day"))
        if _maybe_date(2000, month, day_of_month) is None:  # 2000 is a leap year: 02-29 passes
            raise ValueError(f"no such day {month}-{day_of_month}")
        clock = _time_of_day(match)
        offset = _offset(match) if clock else None
        if offset is not None:
            raise ValueError("an offset on a date without a year")
        # Feb 29 may need up to 8 years back to find a leap year not after the bound.
        days = (_maybe_date(year, month, day_of_month) for year in range(bound.year, bound.year - 9, -1))
        value = _latest_not_after((_at(day, clock, zone) for day in days if day), bound)
        if value is None:
            raise ValueError("no such day in recent years")
        _check_weekday(match, value.date())
        return ParsedDate(value, clock is None)

    if family == "time-only":
        clock = _time_of_day(match)
        today = bound.date()
        candidates = (_at(today - timedelta(days=back), clock, zone) for back in (0, 1))
        return ParsedDate(_latest_not_after(candidates, bound), False)

    if family == "epoch":
        digits = match.group(0)
        seconds = int(digits) / 1000 if len(digits) == 13 else int(digits)
        return ParsedDate(datetime.fromtimestamp(seconds, zone), False)

    if family == "ago":
        unit = match.group("unit")
        delta = int(match.group("count")) * _AGO_UNITS[unit]
        # Durations are counted on the UTC line, so a DST change in ``tz`` cannot shift them.
        value = (now.astimezone(UTC) - delta).astimezone(zone)
        return ParsedDate(value, unit in _DAY_UNITS)

    if family == "named-day":
        day = now.date() - timedelta(days=_DAYS_BACK[match.group("day_name")])
        clock = _time_of_day(match)
        return ParsedDate(_at(day, clock, zone), clock is None)

    if family == "just-now":
        return ParsedDate(now, False)

    raise AssertionError(f"unhandled family {family}")


def _why_unreadable(text: str) -> str:
    if not text:
        return "empty"
    if _FUTURE_WORD.fullmatch(text):
        return "relative date in the future"
    if _YEAR_MONTH.fullmatch(text):
        return "a month without a day"
    return "not a date this grammar reads"


def normalize_date(
    raw: str,
    crawled_at: datetime,
    tz: str = DEFAULT_TZ,
    future_tolerance: timedelta = DEFAULT_FUTURE_TOLERANCE,
) -> ParsedDate:
    """Read ``raw`` completely into an aware datetime in ``tz``, or raise ``DateParseError``.

    ``crawled_at`` (naive = in ``tz``) anchors relative dates and dates without a year
    or day; a result later than ``crawled_at + future_tolerance`` is rejected.
    """
    parsed, _family = _normalize(raw, crawled_at, tz, future_tolerance)
    return parsed


def _normalize(raw: str, crawled_at: datetime, tz: str, future_tolerance: timedelta) -> tuple[ParsedDate, str]:
    zone = _zone(tz)
    now = crawled_at.replace(tzinfo=zone) if crawled_at.tzinfo is None else crawled_at.astimezone(zone)
    bound = now + future_tolerance
    text = _clean(raw or "")
    found = _match(text)
    if found is None:
        raise DateParseError(raw, _why_unreadable(text))
    family, match = found
    try:
        parsed = _resolve(family, match, now, bound)
    except (ValueError, OverflowError) as error:  # out-of-range fields, weekday mismatch…
        raise DateParseError(raw, str(error)) from None
    # Epoch timestamps are machine-written instants, not text that could be misread
    # into the future (dates.tsv expects an API's 2022-05-29 stamp read on 2022-01-03).
    if parsed.value > bound and family != "epoch":
        raise DateParseError(raw, f"{parsed.value.isoformat()} is after the crawl time {now.isoformat()}")
    return parsed, family


# --- Pipeline ------------------------------------------------------------------------


def parse_crawl_time(setting: str | datetime, tz: str = DEFAULT_TZ) -> datetime:
    """The ``CRAWL_TIME`` setting (ISO 8601, or a datetime set from code; naive = in
    ``tz``) as an aware datetime."""
    value = setting
    if not isinstance(value, datetime):
        try:
            value = datetime.fromisoformat(str(setting).strip())
        except ValueError:
            raise ValueError(f"CRAWL_TIME is not an ISO 8601 date and time: {setting!r}") from None
    return value.replace(tzinfo=_zone(tz)) if value.tzinfo is None else value


class DateNormalizationPipeline:
    """Fills ``Post.date`` and ``Post.date_only`` from ``Post.date_raw``.

    A post whose date cannot be read is dropped (``PostDropped("bad-date", …)``); a
    post with neither date nor date_raw (or only blanks) passes on for validation to
    report. A date already set is kept, a naive one put in the site's zone.
    """

    def __init__(
        self,
        crawl_time: datetime | None = None,
        future_tolerance: timedelta = DEFAULT_FUTURE_TOLERANCE,
        tz: str = DEFAULT_TZ,
        stats=None,
    ):
        self.crawl_time = crawl_time
        self.future_tolerance = future_tolerance
        self.tz = tz
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler):
        settings = crawler.settings
        crawl_time = settings.get("CRAWL_TIME") or None  # "" = now, at each item
        return cls(
            crawl_time=parse_crawl_time(crawl_time) if crawl_time else None,
            future_tolerance=timedelta(seconds=settings.getfloat("DATE_FUTURE_TOLERANCE", 600)),
            stats=crawler.stats,
        )

    def _crawled_at(self, post: ItemAdapter) -> datetime:
        # The post's own crawl time first: it is when the page showed "3小时前".
        return post.get("crawled_at") or self.crawl_time or datetime.now(_zone(self.tz))

    def process_item(self, item):
        post = ItemAdapter(item)
        current = post.get("date")
        if current is not None:
            if current.tzinfo is None:
                post["date"] = current.replace(tzinfo=_zone(self.tz))
                self._inc("dates/tz-attached")
            return item
        raw = post.get("date_raw") or ""
        if not raw.strip():
            return item
        try:
            parsed, family = _normalize(raw, self._crawled_at(post), self.tz, self.future_tolerance)
        except DateParseError:
            raise PostDropped("bad-date", f"cannot read date {raw!r}", post.get("url", "")) from None
        post["date"] = parsed.value
        post["date_only"] = parsed.date_only
        self._inc(f"dates/normalized/{family}")
        return item

    def _inc(self, key: str) -> None:
        if self.stats is not None:
            self.stats.inc_value(key)
