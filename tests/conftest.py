"""Shared fixtures. Real third-party data is read from ``../shared`` (never copied into
the tree); tests that need it skip when it is absent, and fail instead when ``CI`` is set."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings

# Property tests do file I/O and run on a busy 2-core CI machine: no per-example deadline.
settings.register_profile("finews", deadline=None)
settings.load_profile("finews")

REPO_ROOT = Path(__file__).resolve().parent.parent
SHARED_DIR = Path(os.environ.get("FINEWS_SHARED_DIR", REPO_ROOT.parent / "shared"))


def shared_path(*parts: str) -> Path:
    """A path under ../shared/corpus; skips (or fails on CI) when the data is absent."""
    path = SHARED_DIR.joinpath("corpus", *parts)
    if not path.exists():
        message = f"shared corpus data not found: {path} (set FINEWS_SHARED_DIR)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return path


@pytest.fixture(scope="session")
def corpus_posts_dir() -> Path:
    return shared_path("finews", "posts")


@pytest.fixture(scope="session")
def corpus_manifest() -> Path:
    return shared_path("finews", "MANIFEST.tsv")


@pytest.fixture(scope="session")
def mirror_dir() -> Path:
    return shared_path("finews", "mirror")
