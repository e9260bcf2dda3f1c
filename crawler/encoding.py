"""Which encoding a page's bytes are really in, and whether decoded text came out garbled.

Chinese news sites often say one thing and send another: pages labelled GB2312 that
are UTF-8, pages saved as UTF-8 without updating their ``<meta charset>``. The rules:

- GB2312 and GBK labels decode as GB18030, their superset: real GB2312 pages use GBK
  and GB18030 characters, and a strict GB2312 codec would turn them into U+FFFD.
- The bytes win over the label: bytes that decode as UTF-8 without error are UTF-8
  (multi-byte GB text is practically never valid UTF-8), whatever the header or the
  ``<meta>`` says. Bytes that are not UTF-8 are read with the declared charset, then
  GB18030, whichever decodes them cleanly.
- A profile's ``charset`` override beats both, for a site that lies in a way the bytes
  cannot show.
"""

from __future__ import annotations

import codecs
import re

from scrapy.http import TextResponse
from w3lib.encoding import html_body_declared_encoding, http_content_type_encoding, read_bom

# Labels that name a subset of GB18030 (WHATWG maps them all to GBK; GB18030 reads more).
_GB_FAMILY = {"gb2312", "gb_2312", "gb_2312-80", "gbk", "x-gbk", "cp936", "ms936", "csgb2312", "euc-cn"}

# What UTF-8 Chinese turns into when read as GB18030: characters that almost never occur
# in real text (checked against the pages corpus) but make up most of such mojibake.
_GB_MOJIBAKE_CHARS = frozenset("涓锛銆浜鏈鍙澶鍏鍥鏂殑鐨鍒浠瀹杩鏃鏄灏鍦璇鍚骞鏉缁鈥寰缃鍗鐢浣鎴")
# UTF-8 read as Latin-1/cp1252: a lead byte letter followed by a continuation byte.
_LATIN_MOJIBAKE = re.compile("[\u00c2-\u00ef][\u0080-\u00bf\u2018-\u203a\u0152-\u0178]")
# The classic result of a U+FFFD that went through UTF-8 -> GBK once more.
_DOUBLE_MOJIBAKE = "锟斤拷"


def normalize_charset(label: str | None) -> str | None:
    """A Python codec name for a declared charset label; GB2312/GBK become ``gb18030``.
    ``None`` for an empty or unknown label."""
    if not label:
        return None
    name = label.strip().strip("'\"").lower()
    if name in _GB_FAMILY:
        return "gb18030"
    try:
        codec = codecs.lookup(name).name
    except LookupError:
        return None
    return "gb18030" if codec in {"gb2312", "gbk"} else codec


def declared_charset(body: bytes, content_type: str | None = None) -> str | None:
    """The charset the HTTP header declares, else the page's ``<meta>``, normalised."""
    declared = http_content_type_encoding(content_type) if content_type else None
    return normalize_charset(declared or html_body_declared_encoding(body))


def _decodes(body: bytes, encoding: str) -> bool:
    try:
        body.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return False
    return True


def detect_encoding(body: bytes, content_type: str | None = None, override: str | None = None) -> str:
    """The encoding to read ``body`` with (a Python codec name)."""
    forced = normalize_charset(override)
    if forced:
        return forced
    bom_encoding, _ = read_bom(body)
    if bom_encoding:
        return normalize_charset(bom_encoding) or "utf-8"
    if _decodes(body, "utf-8"):
        return "utf-8"
    declared = declared_charset(body, content_type)
    for candidate in (declared, "gb18030"):
        if candidate and candidate != "utf-8" and _decodes(body, candidate):
            return candidate
    # Nothing decodes cleanly: the declared charset with replacement characters, which
    # ``looks_garbled`` then catches.
    return declared or "gb18030"


def decode_html(body: bytes, content_type: str | None = None, override: str | None = None) -> tuple[str, str]:
    """``(text, encoding)`` for a page's bytes by the rules above."""
    encoding = detect_encoding(body, content_type, override)
    return body.decode(encoding, errors="replace"), encoding


def with_true_encoding(response: TextResponse, override: str | None = None) -> TextResponse:
    """``response`` re-read in the encoding its bytes are really in (itself when Scrapy
    already chose that one)."""
    content_type = response.headers.get(b"Content-Type")
    header = content_type.decode("latin-1") if content_type else None
    encoding = detect_encoding(response.body, header, override)
    if codecs.lookup(encoding).name == codecs.lookup(response.encoding).name:
        return response
    return response.replace(encoding=encoding)


def looks_garbled(text: str, max_replacement_chars: int = 0) -> str | None:
    """Why ``text`` looks wrongly decoded, or ``None`` when it looks fine.

    Reasons: ``replacement-character`` (U+FFFD: bytes the codec could not read; a few
    real pages carry some, e.g. emoji lost by the publisher, hence the allowance),
    ``gb-mojibake`` (UTF-8 read as GB), ``latin-mojibake`` (UTF-8 read as Latin-1).
    """
    if not text:
        return None
    # Mojibake first: reading UTF-8 as GB also leaves U+FFFD, but names the cause better.
    if _DOUBLE_MOJIBAKE in text:
        return "gb-mojibake"
    cjk = sum(1 for char in text if "\u4e00" <= char <= "\u9fff")
    markers = sum(1 for char in text if char in _GB_MOJIBAKE_CHARS)
    if markers >= 3 and markers * 20 >= cjk:
        return "gb-mojibake"
    if len(_LATIN_MOJIBAKE.findall(text)) >= 3:
        return "latin-mojibake"
    if text.count("\ufffd") > max_replacement_chars:
        return "replacement-character"
    return None
