"""Opt-in cleaner for EastMoney's stock-quote widgets in post bodies.

EastMoney decorates article HTML with live-quote widgets: a K-line chart between
``<!-- EM_StockImg_Start -->`` and ``<!-- EM_StockImg_End -->``, and stock, sector
and data-topic names wrapped in tooltip links (``keytip``, ``infokey``,
``em_stock_key_common``) followed by empty ``quote_…``/``bkquote_…`` spans that a
script fills with prices. The archive keeps them, as the original did; this cleaner
removes them for users who want plain article HTML.

It works with regular expressions on the exact widget markup, not an HTML parser:
a parser re-serialises the whole body (``<br />`` becomes ``<br>``), and a body
without widgets must come out byte-for-byte unchanged.

Enable it in settings, before the sanitizer::

    ITEM_PIPELINES = {"pipelines.stock_widgets.StockWidgetCleaner": 250, ...}
"""

from __future__ import annotations

import re

from itemadapter import ItemAdapter

# The chart block, with the hidden spacer paragraph EastMoney inserts right before it.
_STOCK_IMG_BLOCK = re.compile(
    r'(?:<p style="display:none;height:1px;overflow:hidden;">(?:<br />|\s|&nbsp;)*</p>)?'
    r"<!-- EM_StockImg_Start -->.*?<!-- EM_StockImg_End -->",
    re.DOTALL,
)
# Text without tags: the widgets only ever wrap a plain name.
_TEXT = r"([^<]*)"
# <span id="stock_1.600160"><a href="…" class="keytip" data-code="…">巨化股份</a></span>
# <span id="Info.3321"><a href="…" class="infokey">业绩</a></span>
_TOOLTIP_SPAN = re.compile(
    r'<span id="(?:stock_|bk_|Info\.)[^"]*">'
    r'<a\b[^>]*\bclass="(?:keytip|infokey)"[^>]*>' + _TEXT + r"</a></span>"
)
# The same links without their span, should a body carry them bare.
_TOOLTIP_LINK = re.compile(r'<a\b[^>]*\bclass="(?:keytip|infokey)"[^>]*>' + _TEXT + r"</a>")
# <span web="1" href="…" class="em_stock_key_common" data-code="…">蔚来</span>
_KEY_COMMON_SPAN = re.compile(r'<span\b[^>]*\bclass="em_stock_key_common"[^>]*>' + _TEXT + r"</span>")
# <span id="quote_106.NIO"></span>, <span id="bkquote_90.BK0493"></span>: price slots.
_EMPTY_QUOTE_SPAN = re.compile(r'<span id="(?:quote_|bkquote_)[^"]*"></span>')


def has_stock_widgets(html: str) -> bool:
    return any(
        pattern.search(html) for pattern in (_STOCK_IMG_BLOCK, _TOOLTIP_LINK, _KEY_COMMON_SPAN, _EMPTY_QUOTE_SPAN)
    )


def strip_stock_widgets(html: str) -> str:
    """``html`` without the quote widgets; the names they wrapped stay as plain text.
    A body without widgets is returned unchanged."""
    if not html:
        return html
    cleaned = _STOCK_IMG_BLOCK.sub("", html)
    cleaned = _TOOLTIP_SPAN.sub(r"\1", cleaned)
    cleaned = _TOOLTIP_LINK.sub(r"\1", cleaned)
    cleaned = _KEY_COMMON_SPAN.sub(r"\1", cleaned)
    return _EMPTY_QUOTE_SPAN.sub("", cleaned)


class StockWidgetCleaner:
    """Item pipeline: strips the widgets from every post body (and digest)."""

    def __init__(self, stats=None):
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler):
        return cls(stats=crawler.stats)

    def process_item(self, item):
        adapter = ItemAdapter(item)
        changed = False
        for field in ("body", "digest"):
            value = adapter.get(field)
            if not value:
                continue
            cleaned = strip_stock_widgets(value)
            if cleaned != value:
                adapter[field] = cleaned
                changed = True
        if changed and self.stats is not None:
            self.stats.inc_value("stock_widgets/cleaned")
        return item
