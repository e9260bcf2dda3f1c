"""The post file format of the finews archive: render a ``Post`` to the exact bytes of
the original archive's posts, and read any post file (canonical or one of the older
variants) back into a ``Post``.

Canonical layout (no newline at the end of the file)::

    ---
    layout: post
    title: "<title>"
    date: YYYY-MM-DD HH:MM:SS +0800
    categories: <slug>
    tags: <media name>新闻
    ---
    [> digest⏎]⏎                 <- rolling-feed posts only
    <body>

    <<share url>>

    [返回<tag>](<site>/category/<slug>.html)｜[返回首页](<site>/)
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import yaml

from crawler.items import Post

ARCHIVE_TZ = ZoneInfo("Asia/Shanghai")
DEFAULT_SITE_URL = "//finews.withounder.com"
FEED_CATEGORY = "emnews"  # the rolling feed: its nav link goes to /emnews/, not to a category page
DATE_FORMAT = "%Y-%m-%d %H:%M:%S %z"

# Characters PyYAML refuses in a stream, plus the ones YAML folds as line breaks inside a
# double-quoted scalar: all must be written as escapes for the title to round-trip.
_YAML_UNSAFE = re.compile("[^\x09\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]")
_YAML_NAMED_ESCAPES = {"\\": "\\\\", '"': '\\"', "\t": "\\t", "\n": "\\n", "\r": "\\r", "\x00": "\\0"}
# A plain (unquoted) scalar is written only when it cannot be read as anything but itself.
_CJK = "\u3400-\u4dbf\u4e00-\u9fff"
_PLAIN_SAFE = re.compile(rf"^[0-9A-Za-z{_CJK}][0-9A-Za-z_{_CJK}\u3000-\u303f\uff01-\uff5e]*$")
LIQUID_MARKUP = re.compile(r"\{\{|\{%")


class PostFormatError(ValueError):
    """A post file whose structure cannot be read (no front matter, bad date…)."""


def yaml_double_quoted(value: str) -> str:
    """``value`` as a YAML double-quoted scalar that loads back to exactly ``value``."""

    def escape(match: re.Match) -> str:
        char = match.group(0)
        if char in _YAML_NAMED_ESCAPES:
            return _YAML_NAMED_ESCAPES[char]
        code = ord(char)
        if code <= 0xFF:
            return f"\\x{code:02x}"
        if code <= 0xFFFF:
            return f"\\u{code:04x}"
        return f"\\U{code:08x}"

    escaped = re.sub(r'[\\"]', escape, value)
    escaped = _YAML_UNSAFE.sub(escape, escaped)
    return f'"{escaped}"'


def yaml_scalar(value: str) -> str:
    """Plain when that is unambiguous (every real category and tag), quoted otherwise."""
    if _PLAIN_SAFE.match(value) and yaml.safe_load(value) == value:
        return value
    return yaml_double_quoted(value)


def format_date(date: datetime) -> str:
    if date.tzinfo is None:
        raise ValueError("post dates must be timezone-aware")
    return date.astimezone(ARCHIVE_TZ).strftime(DATE_FORMAT)


def nav_line(category: str, tag: str, site_url: str = DEFAULT_SITE_URL) -> str:
    back = f"{site_url}/emnews/" if category == FEED_CATEGORY else f"{site_url}/category/{category}.html"
    return f"[返回{tag}]({back})｜[返回首页]({site_url}/)"


def post_filename(post: Post) -> str:
    """``YYYY-MM-DD-<id>.md``, the date taken in the archive's time zone."""
    return f"{post.date.astimezone(ARCHIVE_TZ):%Y-%m-%d}-{post.id}.md"


def render_post(post: Post, site_url: str = DEFAULT_SITE_URL) -> str:
    """The post file's text, byte-for-byte the original archive's format."""
    front = [
        "---",
        "layout: post",
        f"title: {yaml_double_quoted(post.title)}",
        f"date: {format_date(post.date)}",
        f"categories: {yaml_scalar(post.category)}",
        f"tags: {yaml_scalar(post.tag)}",
    ]
    text = post.body if post.digest is None else post.digest + post.body
    if LIQUID_MARKUP.search(text):
        # Jekyll would execute {{ }} / {% %} in third-party text; this front matter key
        # (Jekyll >= 4.0) turns Liquid off for this post only, so other posts keep the
        # original bytes.
        front.append("render_with_liquid: false")
    front.append("---")
    lead = ""
    if post.digest is not None:
        lead = (f"> {post.digest}\n" if post.digest else "") + "\n"
    return (
        "\n".join(front)
        + "\n"
        + lead
        + post.body
        + f"\n\n<{post.share_url}>\n\n"
        + nav_line(post.category, post.tag, site_url)
    )


@dataclass
class ParsedFile:
    """What ``parse_post`` found besides the post: how far the file is from canonical."""

    post: Post
    notes: list[str]


_SHARE_LINE = re.compile(r"^<([^<>\s]*)>$")
_NAV_LINE = re.compile(r"^\[返回")


def _parse_date(raw: str) -> datetime | None:
    raw = raw.strip()
    if not raw or raw == "+0800":  # the broken post's "date:  +0800"
        return None
    for fmt in (DATE_FORMAT, "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d"):
        try:
            parsed = datetime.strptime(raw, fmt)
        except ValueError:
            continue
        # Jekyll reads front matter with Psych, for which a YAML timestamp without an
        # offset is UTC, whatever the site's `timezone` (the real mirror shows the 54
        # posts of the original archive without "+0800" eight hours later than their
        # text). Read them the way the site showed them, so import and crawl agree.
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
    raise PostFormatError(f"unreadable date {raw!r}")


def parse_post(text: str, url: str = "") -> ParsedFile:
    """Read a post file of the finews archive, canonical or variant, into a ``Post``.

    Raises ``PostFormatError`` when the file has no front matter. Empty fields (the
    broken post's title and date) come back empty: validation decides what to reject.
    """
    notes: list[str] = []
    if not text.startswith("---\n"):
        stripped = text.lstrip("\n")
        if stripped.startswith("---\n"):
            notes.append("blank lines before front matter")
            text = stripped
        else:
            raise PostFormatError("no front matter")
    end = text.find("\n---\n", 3)
    if end < 0:
        raise PostFormatError("front matter is not closed")
    try:
        meta = yaml.load(text[4 : end + 1], Loader=yaml.BaseLoader) or {}
    except yaml.YAMLError as exc:
        raise PostFormatError(f"front matter is not YAML: {exc}") from exc
    if not isinstance(meta, dict):
        raise PostFormatError("front matter is not a mapping")
    rest = text[end + len("\n---\n") :]

    # Peel the share link and nav lines off the end.
    lines = rest.split("\n")
    while lines and (_NAV_LINE.match(lines[-1]) or not lines[-1].strip()):
        lines.pop()
    share_url = ""
    if lines and (share := _SHARE_LINE.match(lines[-1])):
        share_url = share.group(1)
        lines.pop()
        if lines and lines[-1] == "":
            lines.pop()
    else:
        notes.append("no share link")
    section = "\n".join(lines)

    def field_text(key: str) -> str:
        value = meta.get(key, "")
        return " ".join(value) if isinstance(value, list) else str(value)

    category = field_text("categories") or field_text("category")
    digest: str | None = None
    if category != FEED_CATEGORY:
        body = section  # only rolling-feed posts have the digest slot
    elif section.startswith("> "):
        first, _, body = section.partition("\n")
        digest = first[2:]
        body = body[1:] if body.startswith("\n") else body
    elif section.startswith("\n"):
        digest, body = "", section[1:]
    else:
        body = section

    post = Post(
        id="",
        title=field_text("title"),
        date_raw=field_text("date"),
        category=category,
        tag=field_text("tags") or field_text("tag"),
        body=body,
        digest=digest,
        share_url=share_url,
        url=url,
        body_source="import",
    )
    if post.date_raw.strip() in ("", "+0800"):
        post.date_raw = ""  # the broken post's "date:  +0800": no date at all
    post.date = _parse_date(post.date_raw)
    if post.date is not None and not post.date_raw.rstrip().endswith("+0800"):
        notes.append("date without offset")
    return ParsedFile(post=post, notes=notes)


_FILENAME = re.compile(r"^(?:(\d{4}-\d{2}-\d{2})-)?-?(?P<id>.+)\.(?:md|markdown|html)$")


def id_from_filename(name: str) -> str:
    """``2022-01-03-NW202201032234253198.md`` -> ``NW202201032234253198``."""
    match = _FILENAME.match(name)
    return match.group("id") if match else ""


def read_post_file(path, url: str | None = None) -> ParsedFile:
    """Parse one post file from disk; the post id comes from its file name."""
    from pathlib import Path

    path = Path(path)
    text = path.read_bytes().decode("utf-8")
    parsed = parse_post(text, url=url if url is not None else path.resolve().as_uri())
    parsed.post.id = id_from_filename(path.name)
    parsed.post.article_key = ""
    parsed.post.__post_init__()
    return parsed
