"""Category slugs: the original archive's rule, on every media name the corpus lists."""

from __future__ import annotations

import csv
import re

import pytest

from crawler.slugs import category_slug, media_tag
from tests.conftest import SHARED_DIR, shared_path


def _rows():
    path = SHARED_DIR / "corpus" / "pages" / "PINYIN_SLUGS.tsv"
    if not path.exists():
        return [pytest.param(None, id="PINYIN_SLUGS.tsv-missing")]
    with path.open(encoding="utf-8") as handle:
        return [pytest.param(row, id=row["media_name"]) for row in csv.DictReader(handle, delimiter="\t")]


@pytest.mark.parametrize("row", _rows())
def test_slug_follows_the_original_rule(row):
    shared_path("pages", "PINYIN_SLUGS.tsv")
    # Only what cannot stand in a category slug goes: a space (Jekyll would read two
    # categories) and punctuation such as "·" (2 of the 55 names).
    expected = re.sub(r"[^0-9A-Za-z_]", "", row["xpinyin0.7.7_original_rule"])
    assert category_slug(row["media_name"]) == expected


@pytest.mark.parametrize(
    ("name", "slug"),
    [("赣南日报", "gannanribao"), ("重庆日报", "zhongqingribao"), ("上海证券报", "shanghaizhengquanbao")],
)
def test_known_slugs(name, slug):
    assert category_slug(name) == slug


def test_overrides_win():
    assert category_slug("重庆日报", {"重庆日报": "chongqingribao"}) == "chongqingribao"


def test_tag_is_media_name_plus_news():
    assert media_tag(" 赣南日报 ") == "赣南日报新闻"
