"""Body sanitising: what must not reach a published site (scripts, inline event
handlers, ``javascript:`` links, frames) is removed with nh3 (the Ammonia sanitiser).

Only bodies that contain something unsafe are touched: nh3 re-serialises HTML
(``<br />`` becomes ``<br>``, comments and unknown attributes such as EastMoney's
``web="1"`` or ``data-code`` go), which would break the byte-exact seed format of
every post that never needed cleaning.
"""

from __future__ import annotations

import logging
import re

import nh3

logger = logging.getLogger(__name__)

UNSAFE = re.compile(
    r"<\s*(script|iframe|frame|object|embed|applet|form|base|meta|link|style)\b"
    r"|\son[a-z]+\s*="
    r"|(href|src|action|formaction|xlink:href)\s*=\s*[\"']?\s*(javascript|vbscript|data:text/html)",
    re.IGNORECASE,
)

# The markup real posts use (see the corpus): paragraphs, EastMoney's spans and
# quote links, images, <center>, <strong>, line breaks, block quotes, lists, tables.
ALLOWED_TAGS = {
    "p", "br", "span", "a", "img", "center", "strong", "b", "em", "i", "u", "blockquote",
    "ul", "ol", "li", "table", "thead", "tbody", "tr", "td", "th", "h2", "h3", "h4", "div",
    "font", "sup", "sub", "figure", "figcaption", "hr", "pre", "code",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "*": {"id", "class", "style", "title", "align", "data-code", "data-code2", "web"},
    "a": {"href", "target"},
    "img": {"src", "alt", "width", "height", "border"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan"},
    "font": {"color", "size"},
}


def is_unsafe(html: str) -> bool:
    return bool(UNSAFE.search(html))


def sanitize_html(html: str) -> str:
    """``html`` unchanged when it holds nothing unsafe, else cleaned by nh3."""
    if not is_unsafe(html):
        return html
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel=None,
        strip_comments=False,
    )


class BodySanitizerPipeline:
    def __init__(self, stats=None):
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler.stats)

    def process_item(self, post, spider=None):
        for field in ("body", "digest"):
            value = getattr(post, field)
            if value and is_unsafe(value):
                setattr(post, field, sanitize_html(value))
                logger.warning("Sanitised unsafe markup in the %s of %s <%s>", field, post.id, post.url)
                if self.stats:
                    self.stats.inc_value("sanitized/" + field)
        return post
