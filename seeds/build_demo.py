"""Rebuild the demo snapshot ``seeds/demo/`` with the project's own machinery.

``demo.finews.invalid/``: the invented posts of ``seeds/demo_posts.py`` are written by
``pipelines.postfile.render_post`` into an archive made by ``pipelines.archive.Archive``,
the way a crawl writes them, and built by real Jekyll (Debian's ``jekyll`` with
jekyll-feed). Next to it, the originals behind the posts' share links, in the shapes
``crawler.eastmoney`` parses: text-API JSON (``choicewzp1.eastmoney.com``) for media
posts, article pages (``finance.eastmoney.com``) for rolling-feed posts, all but the one
named ``NO_UPSTREAM_ID``. The result is committed, so crawling the demo needs no Jekyll.

Usage: ``.venv/bin/python seeds/build_demo.py [OUT_DIR]`` (default ``seeds/demo``)
"""

from __future__ import annotations

import html
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterable
from pathlib import Path, PurePosixPath
from urllib.parse import urlsplit

REPO_ROOT = Path(__file__).resolve().parent.parent
if __name__ == "__main__" and str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))  # run as a script: make "seeds" importable

from crawler.eastmoney import DEFAULT_TEXT_API_URL, share_link_request  # noqa: E402
from crawler.items import Post  # noqa: E402
from crawler.replay import folder_relpath_for  # noqa: E402
from pipelines.archive import Archive  # noqa: E402
from pipelines.postfile import ARCHIVE_TZ, post_filename, render_post  # noqa: E402
from seeds.demo_posts import (  # noqa: E402
    BROKEN_POST,
    BUILD_TIME,
    HOST,
    NO_UPSTREAM_ID,
    POSTS,
    SITE_URL,
    feed_share_url,
)

DEMO_DIR = REPO_ROOT / "seeds" / "demo"  # the replay source: one folder per host
SNAPSHOT_DIR = DEMO_DIR / HOST  # the built demo site
TEXT_API_HOST = urlsplit(DEFAULT_TEXT_API_URL).hostname
ARTICLE_HOST = urlsplit(feed_share_url("0")).hostname
SNAPSHOT_HOSTS = (HOST, TEXT_API_HOST, ARTICLE_HOST)  # the folders a build replaces
DEMO_CONFIG = "_demo_config.yml"  # layered over the template's _config.yml; "_" keeps it unpublished


class JekyllMissing(RuntimeError):
    """No ``jekyll`` executable to build the snapshot with."""


def find_jekyll() -> str | None:
    return shutil.which("jekyll")


def broken_page_path() -> str:
    """Where Jekyll publishes the broken post: its front matter is not read, so it has
    no category and the permalink's ``:categories`` segment is empty."""
    return f"{BROKEN_POST.date.astimezone(ARCHIVE_TZ):%Y/%m/%d}/{BROKEN_POST.id}.html"


# --- The demo site ------------------------------------------------------------------------


def write_source(source: Path, posts: Iterable[Post] = POSTS) -> None:
    """The Jekyll source folder: the archive skeleton, every post and category page as
    the exporter writes them, the broken post, and the demo's config layer."""
    archive = Archive(source)
    archive.ensure_site()
    for post in posts:
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


# --- The originals behind the share links ---------------------------------------------------


def upstream_url(post: Post) -> str:
    """The URL the finews spider asks for the post's original (``share_link_request``
    with the default endpoints)."""
    request = share_link_request(post.share_url, None, {})
    if request is None:
        raise ValueError(f"{post.id}: share link {post.share_url} has no upstream")
    return request.url


def upstream_file(post: Post) -> PurePosixPath:
    """Where replay looks for the post's original: ``<host>/<path>[?<query>]``."""
    relpath = folder_relpath_for(upstream_url(post))
    if relpath is None:
        raise ValueError(f"{post.id}: {upstream_url(post)} cannot be stored in a folder snapshot")
    return relpath


def text_api_answer(post: Post) -> bytes:
    """``GetNewsText.do`` JSON, compact UTF-8 like the API's: ``{"text": body}`` for a
    media post, ``{"content": body}`` for a rolling-feed post."""
    key = "content" if post.digest is not None else "text"
    return json.dumps({key: post.body}, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def article_page(post: Post) -> bytes:
    """An EastMoney article page: ``<h1>`` title, ``.infos`` (date, 来源), the
    ``.abstract`` with ``【title】digest`` when the post has a digest, the body in
    ``#ContentBody`` followed by page furniture (the editor line)."""
    title = html.escape(post.title, quote=False)
    abstract = ""
    if post.digest:
        summary = html.escape(f"【{post.title}】{post.digest}", quote=False)
        abstract = (
            '<div class="abstract"><div class="b-review"><span>摘要</span></div>'
            f'<div class="txt">{summary}</div></div>\n'
        )
    page = f"""<!DOCTYPE html>
<html>
<head>
<meta charset="utf-8">
<title>{title}_东方财富网</title>
</head>
<body>
<div class="mainFrame">
<div class="newsContent">
<h1>
    {title}
</h1>
<div class="infos">
<div class="item">{post.date.astimezone(ARCHIVE_TZ):%Y年%m月%d日 %H:%M}</div>
<div class="item">来源：{html.escape(post.source_media, quote=False)}</div>
</div>
{abstract}<div class="txtinfos" id="ContentBody">
{post.body}
<div class="res-edit">责任编辑：演示编辑</div>
</div>
</div>
</div>
</body>
</html>
"""
    return page.encode("utf-8")


def upstream_answer(post: Post) -> bytes:
    """What the post's upstream URL answers: text-API JSON or an article page."""
    return article_page(post) if upstream_file(post).parts[0] == ARTICLE_HOST else text_api_answer(post)


def write_upstream(root: Path, posts: Iterable[Post] = POSTS) -> list[Path]:
    """The original of every post but ``NO_UPSTREAM_ID``, as replay files under ``root``."""
    written = []
    for post in posts:
        if post.id == NO_UPSTREAM_ID:
            continue  # left out on purpose: the crawl keeps the mirror's copy
        path = root.joinpath(*upstream_file(post).parts)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(upstream_answer(post))
        written.append(path)
    return written


# --- The whole snapshot -----------------------------------------------------------------


def build_demo(out_dir: Path | str = DEMO_DIR, jekyll: str | None = None, posts: Iterable[Post] = POSTS) -> Path:
    """Build the snapshot of ``posts`` into ``out_dir`` (a replay source: one folder per
    host), replacing the ``SNAPSHOT_HOSTS`` folders there. Returns ``out_dir``."""
    jekyll = jekyll or find_jekyll()
    if not jekyll:
        raise JekyllMissing("jekyll not found: apt-get install jekyll ruby-jekyll-feed")
    posts = list(posts)
    out_dir = Path(out_dir)
    with tempfile.TemporaryDirectory(prefix="finews-demo-") as tmp:
        source, built = Path(tmp) / "site", Path(tmp) / "_site"
        write_source(source, posts)
        jekyll_build(source, built, jekyll)
        if not (built / broken_page_path()).is_file():
            raise RuntimeError(f"jekyll did not publish the broken post at {broken_page_path()}")
        for host in SNAPSHOT_HOSTS:
            if (out_dir / host).exists():
                shutil.rmtree(out_dir / host)
        shutil.copytree(built, out_dir / HOST)
    write_upstream(out_dir, posts)
    return out_dir


def main(argv: list[str]) -> int:
    out_dir = build_demo(Path(argv[0]) if argv else DEMO_DIR)
    for host in SNAPSHOT_HOSTS:
        files = [path for path in (out_dir / host).rglob("*") if path.is_file()]
        print(f"built {len(files)} files into {out_dir / host}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
