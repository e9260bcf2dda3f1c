"""Content fingerprints of a post body: pure functions, stable across processes.

``body_text`` reduces a body (HTML or plain text) to the characters a reader sees, so
that two copies of one article compare equal whatever markup, entities or spacing
each site wrapped them in; ``exact_fingerprint`` hashes that text, ``simhash64``
gives a 64-bit locality-sensitive hash whose Hamming distance tracks how much of the
text two bodies share.
"""

from __future__ import annotations

import hashlib
import re

import lxml.etree
import lxml.html

# Full-width ASCII (U+FF01..U+FF5E) -> ASCII (U+0021..U+007E). Chinese sites type the
# same digits, Latin letters and punctuation either way ("６.３５" / "6.35", "Ａ股" /
# "A股", "（财联社）" / "(财联社)"), and copies of one article differ exactly there.
# Folding punctuation too loses nothing: "，" and "," never distinguish two articles.
_FULLWIDTH_TO_ASCII = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}

# Whitespace of every kind (str.isspace: ASCII, NBSP, U+3000 ideographic space…) plus
# the invisible format characters editors leave behind. Chinese text has no word
# spaces, so dropping them all only removes layout: indentation with U+3000, &nbsp;
# padding, line breaks that differ between the feed API and the article page.
_INVISIBLE = re.compile(r"[\s\u200b\u200c\u200d\u2060\ufeff\u00ad]+")

# C0 controls (other than whitespace) and DEL: invisible, and lxml refuses text holding
# them ("All strings must be XML compatible"), so they go before parsing.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

_VISIBLE_TEXT = lxml.etree.XPath("//text()[not(ancestor::script or ancestor::style)]")

SHINGLE_SIZE = 3  # characters: Chinese has no word boundaries, and 3-grams of Han
# characters are specific enough (~4,000 common characters) to tell texts apart while
# a one-character edit changes only 3 shingles.


def body_text(html_or_text: str) -> str:
    """The visible text of a body, normalised for comparison: tags stripped (script and
    style dropped), entities decoded, all whitespace removed, full-width ASCII folded."""
    if not html_or_text or not html_or_text.strip():
        return ""
    # A wrapper element makes any fragment (plain text, several top-level paragraphs)
    # parse as one tree; lxml decodes the entities while parsing.
    root = lxml.html.fragment_fromstring(_CONTROL.sub("", html_or_text), create_parent="div")
    text = "".join(_VISIBLE_TEXT(root))
    return _INVISIBLE.sub("", text).translate(_FULLWIDTH_TO_ASCII)


def _hash64(data: bytes) -> int:
    # blake2b, not hash(): Python salts str hashes per process, and the stored
    # fingerprints must compare across runs.
    return int.from_bytes(hashlib.blake2b(data, digest_size=8).digest(), "big")


def exact_fingerprint(text: str) -> int:
    """64-bit unsigned hash of normalised text (``body_text``)."""
    return _hash64(text.encode("utf-8"))


def shingles(text: str, size: int = SHINGLE_SIZE) -> list[str]:
    """Overlapping character n-grams; a text shorter than ``size`` is one shingle."""
    if len(text) <= size:
        return [text] if text else []
    return [text[i : i + size] for i in range(len(text) - size + 1)]


# _BIT_OF_BYTE[k] maps a byte to its bit k (0 or 1), for counting bits with translate().
_BIT_OF_BYTE = [bytes((value >> k) & 1 for value in range(256)) for k in range(8)]


def simhash64(text: str) -> int:
    """Charikar's SimHash over character shingles (each occurrence weighs 1).

    Bit i is set when more shingle hashes have bit i set than not; texts sharing most
    shingles therefore agree on most bits. The empty text hashes to 0.
    """
    hashes = [hashlib.blake2b(s.encode("utf-8"), digest_size=8).digest() for s in shingles(text)]
    if not hashes:
        return 0
    # Bit counts per column without a Python loop over shingles: take byte j of every
    # hash (one slice), map each byte to its bit k (translate), count the ones.
    packed = b"".join(hashes)
    half = len(hashes) / 2
    value = 0
    for j in range(8):  # big-endian bytes, as in _hash64
        column = packed[j::8]
        for k in range(7, -1, -1):
            value = (value << 1) | (column.translate(_BIT_OF_BYTE[k]).count(1) > half)
    return value


def hamming(a: int, b: int) -> int:
    """Number of differing bits between two 64-bit fingerprints."""
    return (a ^ b).bit_count()
