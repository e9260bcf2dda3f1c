"""Helpers over ../shared/corpus/finews/MANIFEST.tsv, for tests and benchmarks."""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

from lxml import html as lxml_html


@dataclass(frozen=True)
class CorpusPost:
    filename: str
    category: str
    notes: str

    @property
    def canonical(self) -> bool:
        """The 78 posts in the exact format the exporter writes."""
        return "nav:one-line-｜" in self.notes and "empty-title" not in self.notes


def manifest_posts(manifest: Path) -> list[CorpusPost]:
    with manifest.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    return [
        CorpusPost(row["filename"], row["category"], row["variant_notes"])
        for row in rows
        if not row["filename"].startswith("site/")
    ]


def corpus_filenames(predicate=lambda post: True) -> list[str]:
    """Manifest file names for parametrising at collection time. When the shared corpus
    is absent this gives one placeholder, whose test then skips (or fails on CI)
    through ``shared_path``."""
    from tests.conftest import SHARED_DIR

    manifest = SHARED_DIR / "corpus" / "finews" / "MANIFEST.tsv"
    if not manifest.exists():
        return ["<shared corpus missing>"]
    return [post.filename for post in manifest_posts(manifest) if predicate(post)]


def text_of(markup: str) -> str:
    """The text a reader sees, whitespace runs collapsed."""
    if not markup.strip():
        return ""
    return " ".join(lxml_html.fragment_fromstring(markup, create_parent="div").text_content().split())


def text_key(markup: str) -> str:
    """Tags and all whitespace stripped: what must survive markdown -> HTML -> parse."""
    return re.sub(r"\s+", "", text_of(markup))
