"""Invented posts for self-contained tests (no third-party text)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from crawler.items import Post

CST = timezone(timedelta(hours=8))


def make_post(**fields) -> Post:
    """A whole, valid media post; ``fields`` override any field."""
    defaults = dict(
        id="NW202601052234253198",
        title="示例标题",
        date=datetime(2026, 1, 5, 6, 53, 37, tzinfo=CST),
        category="shanghaizhengquanbao",
        tag="上海证券报新闻",
        body="<p>示例正文。</p>",
        share_url="http://finews.zning.xyz/html_News/NewsShare.html?infoCode=NW202601052234253198",
        url="https://demo.finews.invalid/shanghaizhengquanbao/2026/01/05/NW202601052234253198.html",
    )
    defaults.update(fields)
    return Post(**defaults)
