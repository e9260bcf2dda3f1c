"""Date normalisation: every row of ../shared/corpus/dates.tsv, the date strings of the
real pages in ../shared/corpus/pages, small invented cases per grammar family, and the
pipeline around the pure function."""

from __future__ import annotations

import csv
import re
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from scrapy.utils.test import get_crawler

from crawler.items import Post
from pipelines.dates import (
    DateNormalizationPipeline,
    DateParseError,
    ParsedDate,
    date_family,
    normalize_date,
    parse_crawl_time,
)
from pipelines.outcomes import PostDropped
from tests.conftest import SHARED_DIR, shared_path

SHANGHAI = ZoneInfo("Asia/Shanghai")
CRAWL = datetime(2022, 1, 3, 12, 0, tzinfo=SHANGHAI)  # a Monday
FMT = "%Y-%m-%d %H:%M:%S %z"  # the format of dates.tsv's expected column
TOLERANCE = timedelta(minutes=10)


def show(raw: str, crawled_at: datetime = CRAWL, **kwargs) -> str:
    return normalize_date(raw, crawled_at, **kwargs).value.strftime(FMT)


def check_expectation(raw: str, crawled_at: datetime, expected: str) -> None:
    """Exact comparison of one row's expected value (or rejection), at the row's own
    crawl time. (dates.tsv's epoch row expects 2022-05-29 with crawled_at 2022-01-03:
    epoch timestamps are absolute and exempt from the future check.)"""
    if expected == "REJECT":
        with pytest.raises(DateParseError) as caught:
            normalize_date(raw, crawled_at)
        assert repr(raw) in str(caught.value)
        return
    assert show(raw, crawled_at) == expected


# --- ../shared/corpus/dates.tsv ------------------------------------------------------


def _tsv_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))


def _dates_tsv_params():
    # Collected before fixtures exist: read the file directly when it is there; the
    # test itself goes through shared_path, which skips (or fails on CI) when absent.
    path = SHARED_DIR / "corpus" / "dates.tsv"
    if not path.exists():
        return [pytest.param(None, id="dates.tsv-missing")]
    return [pytest.param(row, id=row["raw"]) for row in _tsv_rows(path)]


@pytest.mark.parametrize("row", _dates_tsv_params())
def test_dates_tsv_row(row):
    shared_path("dates.tsv")
    crawled_at = datetime.strptime(row["crawled_at"], FMT)
    check_expectation(row["raw"], crawled_at, row["expected"])


def test_dates_tsv_is_not_empty():
    assert len(_tsv_rows(shared_path("dates.tsv"))) >= 40


# --- ../shared/corpus/pages/DATE_FORMATS.tsv -----------------------------------------

_ESCAPE = re.compile(r"\\(?:u([0-9a-fA-F]{4})|x([0-9a-fA-F]{2}))")


def _unescape(text: str) -> str:
    """DATE_FORMATS.tsv writes U+3000 and NBSP as \\u3000 and \\xa0."""
    return _ESCAPE.sub(lambda m: chr(int(m.group(1) or m.group(2), 16)), text)


def test_date_formats_tsv():
    """Every string of DATE_FORMATS.tsv at its base time (2022-01-03T12:00).

    Where dates.tsv lists the same string it governs (DATE_FORMATS.tsv resolves ``16:09``
    and ``09月07日`` into the future of its base); the two year-last "ambiguity probes"
    are rejected, since D/M and M/D cannot be told apart.
    """
    expected_by_dates_tsv = {row["raw"]: row["expected"] for row in _tsv_rows(shared_path("dates.tsv"))}
    rows = _tsv_rows(shared_path("pages", "DATE_FORMATS.tsv"))
    assert len(rows) >= 40
    base = datetime.fromisoformat("2022-01-03T12:00").replace(tzinfo=SHANGHAI)
    for row in rows:
        raw = _unescape(row["string"])
        if row["where_seen"].startswith("ambiguity probe"):
            with pytest.raises(DateParseError, match="not a date this grammar reads"):
                normalize_date(raw, base)
            continue
        if raw in expected_by_dates_tsv:
            expected = expected_by_dates_tsv[raw]
        else:
            fields = [int(part) for part in row[next(k for k in row if k.startswith("expected"))].split(",")]
            expected = datetime(*fields, tzinfo=SHANGHAI).strftime(FMT)
        check_expectation(raw, base, expected)


# --- pubdate_string_as_on_page of ../shared/corpus/pages/MANIFEST.tsv ----------------

LATER = datetime(2022, 6, 1, 12, 0, tzinfo=SHANGHAI)
# file -> (crawl time, the normalised value of each date the cell lists)
PAGE_DATES: dict[str, tuple[datetime, list[str]]] = {
    "stcn/stcn-wujiangonggao-tianqi-2019-09-26.html": (LATER, ["2019-09-26 12:11:00 +0800"]),
    "hexun/hexun-stock-jiaotongyunshubu-2019-09-26.html": (LATER, ["2019-09-26 10:56:28 +0800"]),
    "sina/sina-finance-12306-piyao-2018-12-28.html": (LATER, ["2018-12-28 19:55:00 +0800"]),
    "sina/sina-finance-zhaiquan-paomo-2019-09-09.html": (LATER, ["2019-09-09 20:52:00 +0800"]),
    "sina/sina-tech-iphone11-2019-09-11.html": (LATER, ["2019-09-11 01:53:00 +0800"]),
    "163/163-money-longhu-2019-09-07.html": (LATER, ["2019-09-07 13:43:45 +0800"]),
    "people/people-culture-zhengbanqiao-2019-06-15.html": (LATER, ["2019-06-15 08:18:00 +0800"]),
    "xinhuanet/xinhuanet-faguo-bagong-2019-12-10.html": (LATER, ["2019-12-10 07:57:40 +0800"]),
    "thepaper/thepaper-chongdianbao-2019-09-24.html": (LATER, ["2019-09-24 09:10:00 +0800"]),
    "thepaper/thepaper-nansha-youlun-2019-08-13.html": (LATER, ["2019-08-13 14:07:00 +0800"]),
    "cjn/cjn-changjiangwang-wuhan-2020-10-04.html": (LATER, ["2020-10-04 20:30:00 +0800"]),
    "ifeng/ifeng-nvtong-2019-11-25.html": (LATER, ["2019-11-25 16:04:30 +0800"]),
    "huanqiu/huanqiu-buyidao-2020-06-05.html": (LATER, ["2020-06-05 20:35:00 +0800"]),
    "cjddsb/cjddsb-dangdaishangbao-jinrong-2019-09-23.html": (LATER, ["2019-09-23 14:34:05 +0800"]),
    "fund-portal/fund-portal-tiantianjijin-zixunhuizong-2019-09-26.html": (
        LATER,
        ["2019-09-26 15:10:00 +0800"],
    ),
    "mingridapan/mingridapan-gushi-yuce-2019-09-26.html": (LATER, ["2019-09-26 10:09:11 +0800"]),
    "toutiao/toutiao-menggu-2019-09-08.html": (LATER, ["2019-09-08 11:42:03 +0800"]),
    "qq/qq-finance-lengjing-2019-09-23.html": (LATER, ["2019-09-23 07:48:00 +0800"]),
    "shanxi-gov/shanxi-gov-pinpai-silu-2019-09-18.html": (LATER, ["2019-09-18 06:23:00 +0800"]),
    "guancha/guancha-article-with-yesterday-sidebar-2019-09-07.html": (LATER, ["2019-09-07 15:10:53 +0800"]),
    "163/163-news-rolling-listing-2020-08-02.html": (
        datetime(2020, 8, 2, 9, 0, tzinfo=SHANGHAI),
        ["2020-08-02 08:30:00 +0800", "2020-08-02 08:00:00 +0800", "2020-08-01 09:00:00 +0800"],
    ),
    "readhub/readhub-topic-listing-2019-09-07.html": (
        datetime(2019, 9, 8, 9, 0, tzinfo=SHANGHAI),
        ["2019-09-07 00:00:00 +0800", "2019-09-07 00:00:00 +0800", "2019-09-06 00:00:00 +0800"],
    ),
    "gmw/gmw-yuhangyuan-hejiu-2017-03-10.html": (LATER, ["2017-03-10 09:58:00 +0800"]),
    "qq/qq-tech-deepmind-2016-10-14.html": (LATER, ["2016-10-14 07:17:00 +0800"]),
    "eastmoney/em-api-json-samples-from-code-comments.txt": (
        LATER,
        ["2022-05-31 18:03:41 +0800", "2022-05-29 21:00:08 +0800", "2022-01-21 18:05:40 +0800"],
    ),
}

_ANNOTATION = re.compile(r" \([A-Za-z_ ]+\)$")  # the manifest's "(JS ARTICLE_INFO)"
_LIST_SEPARATOR = re.compile(r" / | ?; ")  # listing pages: several dates in one cell
_FIELD_VALUE = re.compile(r"^[A-Za-z_]+ (.+)$")  # the manifest's `showtime "…"` notation


def page_date_strings(cell: str) -> list[str]:
    """The date strings as on the page, from the manifest's notation of them."""
    cell = _ANNOTATION.sub("", cell).replace("\\n", "\n").replace("\\t", "\t")
    strings = []
    for part in _LIST_SEPARATOR.split(cell):
        field_value = _FIELD_VALUE.match(part)
        strings.append(field_value.group(1) if field_value else part)
    return strings


def test_page_date_strings_of_the_manifest():
    rows = _tsv_rows(shared_path("pages", "MANIFEST.tsv"))
    assert {row["file"] for row in rows} == set(PAGE_DATES)
    for row in rows:
        crawled_at, expected = PAGE_DATES[row["file"]]
        strings = page_date_strings(row["pubdate_string_as_on_page"])
        got = [show(raw, crawled_at) for raw in strings]
        assert got == expected, row["file"]


def test_page_date_notations_read_as_on_page():
    # Invented strings in the shapes the manifest shows: JS key, label then newline+tabs.
    assert show("pubtime:'2021-12-30 07:48'") == "2021-12-30 07:48:00 +0800"
    assert show('"showtime": "2021-12-30 18:03:41"') == "2021-12-30 18:03:41 +0800"
    assert show("发布时间：\n\t\t\t\t2021-12-26 10:09:11") == "2021-12-26 10:09:11 +0800"


# --- Families, on invented strings ---------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected", "date_only"),
    [
        # 年月日 with and without time; 时/分; 星期
        ("2021年3月4日", "2021-03-04 00:00:00 +0800", True),
        ("2021年03月04日 05:06", "2021-03-04 05:06:00 +0800", False),
        ("2021年3月4日05:06:07", "2021-03-04 05:06:07 +0800", False),
        ("2021 年 3 月 4 日", "2021-03-04 00:00:00 +0800", True),
        ("2021年3月4日 5时6分", "2021-03-04 05:06:00 +0800", False),
        ("2021年3月4日 5点6分7秒", "2021-03-04 05:06:07 +0800", False),
        ("2021年3月4日 5时", "2021-03-04 05:00:00 +0800", False),
        ("2021年3月4日 星期四", "2021-03-04 00:00:00 +0800", True),
        ("2021年3月4日（星期四） 05:06", "2021-03-04 05:06:00 +0800", False),
        ("2021-03-04 05:06 周四", "2021-03-04 05:06:00 +0800", False),
        # label prefixes, source after the date, U+3000 / NBSP / newlines
        ("发布时间：2021-03-04 05:06", "2021-03-04 05:06:00 +0800", False),
        ("时间: 2021年3月4日", "2021-03-04 00:00:00 +0800", True),
        ("更新时间 2021-03-04", "2021-03-04 00:00:00 +0800", True),
        ("2021-03-04 05:06\u3000来源：某某日报", "2021-03-04 05:06:00 +0800", False),
        ("2021年3月4日\xa005:06\xa0\xa0来源: 某网", "2021-03-04 05:06:00 +0800", False),
        ("2021-03-04 05:06 作者：某人", "2021-03-04 05:06:00 +0800", False),
        ("  2021-03-04\n\t05:06  ", "2021-03-04 05:06:00 +0800", False),
        # full-width digits and punctuation
        ("２０２１－０３－０４　０５：０６", "2021-03-04 05:06:00 +0800", False),
        ("发布时间：２０２１年３月４日", "2021-03-04 00:00:00 +0800", True),
        # dotted, slashed, dashed-before-time
        ("2021.3.4", "2021-03-04 00:00:00 +0800", True),
        ("2021.03.04 05:06:07", "2021-03-04 05:06:07 +0800", False),
        ("2021/3/4 5:06", "2021-03-04 05:06:00 +0800", False),
        ("2021-03-04-05:06:07", "2021-03-04 05:06:07 +0800", False),
        # ISO with offsets, converted to the site's zone
        ("2021-03-04T05:06:07+08:00", "2021-03-04 05:06:07 +0800", False),
        ("2021-03-04T05:06:07Z", "2021-03-04 13:06:07 +0800", False),
        ("2021-03-04T05:06:07.250-0500", "2021-03-04 18:06:07 +0800", False),
        ("2021-03-04 05:06:07 +0000", "2021-03-04 13:06:07 +0800", False),
        ("2021-03-04T05:06:07", "2021-03-04 05:06:07 +0800", False),
        # epoch milliseconds and seconds
        ("1614805567000", "2021-03-04 05:06:07 +0800", False),
        ("1614805567", "2021-03-04 05:06:07 +0800", False),
        # relative to the crawl time (2022-01-03 12:00)
        ("刚刚", "2022-01-03 12:00:00 +0800", False),
        ("45秒前", "2022-01-03 11:59:15 +0800", False),
        ("5分钟前", "2022-01-03 11:55:00 +0800", False),
        ("５ 分钟前", "2022-01-03 11:55:00 +0800", False),
        ("13小时前", "2022-01-02 23:00:00 +0800", False),
        ("2天前", "2022-01-01 12:00:00 +0800", True),
        ("1周前", "2021-12-27 12:00:00 +0800", True),
        ("今天", "2022-01-03 00:00:00 +0800", True),
        ("今天 08:15", "2022-01-03 08:15:00 +0800", False),
        ("昨天", "2022-01-02 00:00:00 +0800", True),
        ("昨天 23:59", "2022-01-02 23:59:00 +0800", False),
        ("前天 07:00", "2022-01-01 07:00:00 +0800", False),
        # no year: the latest such day not after the crawl
        ("1月2日", "2022-01-02 00:00:00 +0800", True),
        ("1月4日", "2021-01-04 00:00:00 +0800", True),
        ("12月31日 23:00", "2021-12-31 23:00:00 +0800", False),
        ("01-03 11:59", "2022-01-03 11:59:00 +0800", False),
        ("01-03 12:30", "2021-01-03 12:30:00 +0800", False),
        ("2/29", "2020-02-29 00:00:00 +0800", True),
        # no day: today or yesterday, the latest not after the crawl
        ("11:59", "2022-01-03 11:59:00 +0800", False),
        ("12:30", "2022-01-02 12:30:00 +0800", False),
        ("00:00:01", "2022-01-03 00:00:01 +0800", False),
    ],
    ids=lambda value: value if isinstance(value, str) else None,
)
def test_family(raw, expected, date_only):
    parsed = normalize_date(raw, CRAWL)
    assert isinstance(parsed, ParsedDate)
    assert parsed.value.strftime(FMT) == expected
    assert parsed.date_only is date_only
    assert parsed.value.tzinfo == SHANGHAI


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("", "empty"),
        ("   \u3000", "empty"),
        ("+0800", "not a date"),
        ("发布时间：", "empty"),
        ("2021年02月30日", "day is out of range"),
        ("2021-13-01", "month must be in 1..12"),
        ("2021-03-04 24:00", "hour must be in 0..23"),
        ("2021-03-04 05:60", "minute must be in 0..59"),
        ("2021年3月4日 星期五", "does not match"),  # 2021-03-04 was a Thursday
        ("02-30", "no such day"),
        ("2022年01月", "a month without a day"),
        ("2022-01", "a month without a day"),
        ("明天", "relative date in the future"),
        ("后天 08:00", "relative date in the future"),
        ("3天后", "relative date in the future"),
        ("01/03/2022", "not a date"),  # year last: D/M or M/D?
        ("2021-03-0405:06", "not a date"),  # digits run together
        ("2021-03/04", "not a date"),  # mixed separators
        ("3.25", "not a date"),  # dotted without a year is a number
        ("2021-03-04 阅读 12", "not a date"),  # unknown words after the date
        ("约 2021-03-04", "not a date"),  # unknown words before it
        ("21-03-04", "not a date"),  # two-digit year
        ("12345678901", "not a date"),  # neither epoch seconds nor milliseconds
        ("3个月前", "not a date"),  # months have no fixed length
        ("99999999天前", "out of range"),
        ("yesterday", "not a date"),
    ],
    ids=lambda value: value,
)
def test_rejects_with_the_string_in_the_message(raw, reason):
    with pytest.raises(DateParseError, match=re.escape(reason)) as caught:
        normalize_date(raw, CRAWL)
    assert repr(raw) in str(caught.value)
    assert caught.value.raw == raw


def test_date_parse_error_is_a_value_error():
    assert issubclass(DateParseError, ValueError)


# --- The future, the tolerance and the pinned crawl time ----------------------------


def test_future_within_tolerance_is_accepted():
    assert show("2022-01-03 12:09:59") == "2022-01-03 12:09:59 +0800"
    assert show("2022-01-03 12:10:00") == "2022-01-03 12:10:00 +0800"


def test_future_beyond_tolerance_is_rejected():
    for raw in ("2022-01-03 12:10:01", "2022-01-04", "今天 13:00", "2022-01-03T04:10:01Z"):
        with pytest.raises(DateParseError, match="after the crawl time"):
            normalize_date(raw, CRAWL)


def test_tolerance_is_a_parameter():
    with pytest.raises(DateParseError):
        normalize_date("2022-01-03 12:00:01", CRAWL, future_tolerance=timedelta(0))
    assert show("2022-01-03 13:00", future_tolerance=timedelta(hours=1)) == "2022-01-03 13:00:00 +0800"


def test_tolerance_also_bounds_dates_without_a_day():
    # A listing showing 12:05 at 12:00 is five minutes of clock skew, not yesterday.
    assert show("12:05") == "2022-01-03 12:05:00 +0800"
    assert show("12:05", future_tolerance=timedelta(0)) == "2022-01-02 12:05:00 +0800"


def test_crawl_time_pins_relative_dates():
    other = datetime(2020, 2, 29, 0, 30, tzinfo=SHANGHAI)
    assert show("1小时前", other) == "2020-02-28 23:30:00 +0800"
    assert show("昨天", other) == "2020-02-28 00:00:00 +0800"
    assert show("3月1日", other) == "2019-03-01 00:00:00 +0800"
    assert show("00:45", other) == "2020-02-28 00:45:00 +0800"
    assert show("2月29日", datetime(2023, 1, 1, tzinfo=SHANGHAI)) == "2020-02-29 00:00:00 +0800"


def test_crawl_time_in_another_zone_is_read_in_the_site_zone():
    # 2022-01-02 20:00 UTC is already the 3rd in Shanghai: 昨天 is the 2nd.
    utc_evening = datetime.fromisoformat("2022-01-02T20:00:00+00:00")
    assert show("昨天", utc_evening) == "2022-01-02 00:00:00 +0800"
    assert show("刚刚", utc_evening) == "2022-01-03 04:00:00 +0800"


def test_naive_crawl_time_is_in_the_site_zone():
    assert show("1小时前", datetime(2022, 1, 3, 12, 0)) == "2022-01-03 11:00:00 +0800"


def test_other_site_zone():
    tokyo = ZoneInfo("Asia/Tokyo")
    parsed = normalize_date("2022-01-03T01:00:00Z", CRAWL, tz="Asia/Tokyo")
    assert parsed.value.tzinfo == tokyo
    assert parsed.value.strftime(FMT) == "2022-01-03 10:00:00 +0900"


def test_date_family_names_the_grammar():
    assert date_family("2019年9月26日 15:10") == "cn-ymd"
    assert date_family("2019-09-26 15:10") == "numeric-ymd"
    assert date_family("1653829208000") == "epoch"
    assert date_family("3小时前") == "ago"
    assert date_family("16:09") == "time-only"
    assert date_family("not a date") is None


# --- The pipeline ---------------------------------------------------------------------


def make_post(**fields) -> Post:
    return Post(id="NW202201030000000001", url="https://example.invalid/a/1.html", **fields)


def pipeline(**settings) -> DateNormalizationPipeline:
    return DateNormalizationPipeline.from_crawler(get_crawler(settings_dict=settings))


def test_pipeline_fills_date_from_date_raw_and_the_post_crawl_time():
    post = make_post(date_raw="3小时前", crawled_at=CRAWL)
    assert pipeline().process_item(post) is post
    assert post.date == datetime(2022, 1, 3, 9, 0, tzinfo=SHANGHAI)
    assert post.date_only is False


def test_pipeline_sets_date_only():
    post = pipeline().process_item(make_post(date_raw="2021年3月4日", crawled_at=CRAWL))
    assert post.date == datetime(2021, 3, 4, tzinfo=SHANGHAI)
    assert post.date_only is True


def test_pipeline_uses_crawl_time_setting_when_the_post_has_none():
    post = pipeline(CRAWL_TIME="2022-01-03T12:00:00+08:00").process_item(make_post(date_raw="昨天 22:17"))
    assert post.date.strftime(FMT) == "2022-01-02 22:17:00 +0800"


def test_pipeline_prefers_the_post_crawl_time_to_the_setting():
    item = make_post(date_raw="刚刚", crawled_at=datetime(2021, 6, 1, 8, 0, tzinfo=SHANGHAI))
    post = pipeline(CRAWL_TIME="2022-01-03T12:00:00+08:00").process_item(item)
    assert post.date.strftime(FMT) == "2021-06-01 08:00:00 +0800"


def test_pipeline_falls_back_to_now():
    before = datetime.now(SHANGHAI)
    post = pipeline().process_item(make_post(date_raw="刚刚"))
    assert before <= post.date <= datetime.now(SHANGHAI)


def test_pipeline_future_tolerance_setting():
    crawl_time = {"CRAWL_TIME": "2022-01-03 12:00:00"}  # naive: Asia/Shanghai
    with pytest.raises(PostDropped):
        pipeline(**crawl_time).process_item(make_post(date_raw="2022-01-03 12:30"))
    post = pipeline(DATE_FUTURE_TOLERANCE=3600, **crawl_time).process_item(make_post(date_raw="2022-01-03 12:30"))
    assert post.date.strftime(FMT) == "2022-01-03 12:30:00 +0800"


def test_pipeline_drops_an_unreadable_date():
    post = make_post(date_raw="某日", crawled_at=CRAWL)
    with pytest.raises(PostDropped) as caught:
        pipeline().process_item(post)
    assert caught.value.reason == "bad-date"
    assert caught.value.detail == "cannot read date '某日'"
    assert caught.value.url == post.url


def test_pipeline_passes_a_post_without_any_date():
    post = make_post(crawled_at=CRAWL)
    assert pipeline().process_item(post) is post
    assert post.date is None


def test_pipeline_keeps_an_aware_date_and_attaches_tz_to_a_naive_one():
    aware = datetime(2021, 3, 4, 5, 6, tzinfo=ZoneInfo("UTC"))
    post = pipeline().process_item(make_post(date=aware, date_raw="ignored"))
    assert post.date is aware
    post = pipeline().process_item(make_post(date=datetime(2021, 3, 4, 5, 6), date_raw="ignored"))
    assert post.date == datetime(2021, 3, 4, 5, 6, tzinfo=SHANGHAI)


def test_pipeline_counts_what_it_did():
    crawler = get_crawler(settings_dict={"CRAWL_TIME": "2022-01-03T12:00:00+08:00"})
    stage = DateNormalizationPipeline.from_crawler(crawler)
    stage.process_item(make_post(date_raw="3小时前"))
    stage.process_item(make_post(date=datetime(2021, 3, 4)))
    stats = crawler.stats.get_stats()
    assert stats["dates/normalized/ago"] == 1
    assert stats["dates/tz-attached"] == 1


def test_bad_crawl_time_setting_fails_loudly():
    with pytest.raises(ValueError, match="CRAWL_TIME"):
        pipeline(CRAWL_TIME="yesterday-ish")


def test_parse_crawl_time():
    assert parse_crawl_time("2022-01-03T04:00:00Z") == datetime(2022, 1, 3, 12, 0, tzinfo=SHANGHAI)
    assert parse_crawl_time("2022-01-03 12:00").tzinfo == SHANGHAI


def test_crawl_time_setting_may_be_a_datetime():
    stage = DateNormalizationPipeline.from_crawler(get_crawler(settings_dict={"CRAWL_TIME": CRAWL}))
    assert stage.process_item(make_post(date_raw="刚刚")).date == CRAWL
