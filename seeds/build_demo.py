"""Rebuild the demo snapshot ``seeds/demo/demo.finews.invalid/`` with the project's own
machinery: the invented posts of ``seeds/demo_posts.py`` are written by
``pipelines.postfile.render_post`` into an archive made by ``pipelines.archive.Archive``,
the way a crawl writes them, and built by real Jekyll (Debian's ``jekyll`` with
jekyll-feed). The built site is committed, so crawling the demo needs no Jekyll.

Usage: ``.venv/bin/python seeds/build_demo.py [OUT_DIR]``
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
if __name__ == "__main__" and str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))  # run as a script: make "seeds" importable

from pipelines.archive import Archive  # noqa: E402
from pipelines.postfile import ARCHIVE_TZ, post_filename, render_post  # noqa: E402
from seeds.demo_posts import BROKEN_POST, BUILD_TIME, HOST, POSTS, SITE_URL  # noqa: E402

SNAPSHOT_DIR = REPO_ROOT / "seeds" / "demo" / HOST
DEMO_CONFIG = "_demo_config.yml"  # layered over the template's _config.yml; "_" keeps it unpublished


class JekyllMissing(RuntimeError):
    """No ``jekyll`` executable to build the snapshot with."""


def find_jekyll() -> str | None:
    return shutil.which("jekyll")


def broken_page_path() -> str:
    """Where Jekyll publishes the broken post: its front matter is not read, so it has
    no category and the permalink's ``:categories`` segment is empty."""
    return f"{BROKEN_POST.date.astimezone(ARCHIVE_TZ):%Y/%m/%d}/{BROKEN_POST.id}.html"


def write_source(source: Path) -> None:
    """The Jekyll source folder: the archive skeleton, every demo post and category
    page as the exporter writes them, the broken post, and the demo's config layer."""
    archive = Archive(source)
    archive.ensure_site()
    for post in POSTS:
        (archive.posts_dir / post_filename(post)).write_bytes(render_post(post, SITE_URL).encode("utf-8"))
        archive.write_category_page(post.category, post.tag)
    # Like the real archive's 2021-12-08-202112082206703990.md: a blank line before the
    # front matter, so Jekyll reads none and publishes the file as raw text.
    broken = "\n" + render_post(BROKEN_POST, SITE_URL)
    (archive.posts_dir / post_filename(BROKEN_POST)).write_bytes(broken.encode("utf-8"))
    # url: absolute links in feed.xml and canonical tags point into the demo host.
    # time: Jekyll's build time (feed.xml <updated>), pinned so rebuilds are identical.
    config = f"url: https://{HOST}\ntime: {BUILD_TIME:%Y-%m-%d %H:%M:%S %z}\n"
    (source / DEMO_CONFIG).write_text(config, encoding="utf-8")


def jekyll_build(source: Path, destination: Path, jekyll: str) -> None:
    env = {**os.environ, "JEKYLL_ENV": "production", "TZ": "UTC", "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8"}
    command = [
        jekyll, "build", "--quiet", "--disable-disk-cache",
        "--source", str(source), "--destination", str(destination),
        "--config", f"{source / '_config.yml'},{source / DEMO_CONFIG}",
    ]  # fmt: skip
    completed = subprocess.run(command, env=env, capture_output=True, text=True)
    if completed.returncode != 0:
        raise RuntimeError(f"jekyll build failed ({completed.returncode}):\n{completed.stdout}\n{completed.stderr}")


def build_demo(out_dir: Path | str = SNAPSHOT_DIR, jekyll: str | None = None) -> Path:
    """Build the snapshot into ``out_dir``, replacing it. Returns ``out_dir``."""
    jekyll = jekyll or find_jekyll()
    if not jekyll:
        raise JekyllMissing("jekyll not found: apt-get install jekyll ruby-jekyll-feed")
    out_dir = Path(out_dir)
    with tempfile.TemporaryDirectory(prefix="finews-demo-") as tmp:
        source, built = Path(tmp) / "site", Path(tmp) / "_site"
        write_source(source)
        jekyll_build(source, built, jekyll)
        if not (built / broken_page_path()).is_file():
            raise RuntimeError(f"jekyll did not publish the broken post at {broken_page_path()}")
        if out_dir.exists():
            shutil.rmtree(out_dir)
        shutil.copytree(built, out_dir)
    return out_dir


def main(argv: list[str]) -> int:
    out_dir = build_demo(Path(argv[0]) if argv else SNAPSHOT_DIR)
    files = sorted(path for path in out_dir.rglob("*") if path.is_file())
    print(f"built {len(files)} files into {out_dir}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
