"""Category slugs from media names, by the rule the existing archive's 1,975 category
URLs were made with: xpinyin 0.7.7, ``get_pinyin(name).replace('-', '')``.

pypinyin gives other slugs for 重庆, 银行, 厦门 and others, which would split a
category of the existing archive in two; do not swap the library.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache

from xpinyin import Pinyin

FEED_TAG = "东财滚动新闻"  # the rolling feed's tag; its category is "emnews"
# What may stay in a slug: it becomes a Jekyll category (split on whitespace) and a file name.
_NOT_SLUG = re.compile(r"[^0-9A-Za-z_]")


@lru_cache(maxsize=1)
def _pinyin() -> Pinyin:
    return Pinyin()


def category_slug(media_name: str, overrides: Mapping[str, str] | None = None) -> str:
    """``赣南日报`` -> ``gannanribao``.

    Characters that cannot stand in a category slug (spaces, punctuation) are removed:
    ``21世纪经济报道 21财经APP`` gives ``21shijijingjibaodao21caijingAPP``, where the
    original rule kept a space that Jekyll would have read as two categories, and
    ``上海证券报·中国证券网`` loses its ``·``. ``CATEGORY_SLUG_OVERRIDES`` spells any
    name otherwise.
    """
    name = media_name.strip()
    if overrides and name in overrides:
        return overrides[name]
    return _NOT_SLUG.sub("", _pinyin().get_pinyin(name).replace("-", ""))


def media_tag(media_name: str) -> str:
    """The tag of a media category: the media name plus 新闻."""
    return f"{media_name.strip()}新闻"
