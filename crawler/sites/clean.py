"""Article content as clean HTML, and its plain text (pure functions over lxml trees).

Cleaning keeps the article's own markup (paragraphs, emphasis, images, tables) and
drops what only works on the live page: scripts, styles, forms, comments, event and
layout attributes, empty wrappers. Links and image sources are made absolute so the
archived copy still points at them. The sanitizer pipeline applies the final whitelist.
"""

from __future__ import annotations

import copy
import html
import re
from collections.abc import Iterable, Sequence
from urllib.parse import urljoin

from lxml import etree
from lxml import html as lxml_html
from parsel import Selector

from crawler.sites.profile import Selection
from crawler.sites.select import collapse_space, run_selection

_DROP_TAGS = {
    "script", "style", "noscript", "iframe", "form", "input", "button", "select", "textarea",
    "object", "embed", "link", "meta", "svg", "canvas", "template", "audio", "video", "source",
}  # fmt: skip
_KEEP_ATTRS = {"href", "src", "alt", "title", "colspan", "rowspan"}
# Elements that mean something even when they hold no text.
_VOID_CONTENT = {"img", "br", "hr", "td", "th", "tr", "table", "tbody", "thead"}
_BLOCK_TAGS = {
    "p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "table",
    "blockquote", "center", "section", "article", "pre", "dd", "dt", "dl", "figure", "figcaption",
}  # fmt: skip
_LAZY_SRC = ("data-src", "data-original", "data-lazy-src")


def _drop(element: etree._Element) -> None:
    """Remove ``element`` but keep its tail text in place."""
    if element.getparent() is not None:
        element.drop_tree()


def _strip_attributes(element: etree._Element, base_url: str) -> None:
    if element.tag == "img" and not element.get("src"):
        for lazy in _LAZY_SRC:
            if element.get(lazy):
                element.set("src", element.get(lazy))
                break
    for name in list(element.attrib):
        if name not in _KEEP_ATTRS:
            del element.attrib[name]
    for name in ("href", "src"):
        value = element.get(name)
        if value is None:
            continue
        if value.strip().lower().startswith("javascript:"):
            del element.attrib[name]
        elif base_url:
            element.set(name, urljoin(base_url, value.strip()))


def _is_empty(element: etree._Element) -> bool:
    if element.tag in _VOID_CONTENT:
        return False
    if (element.text or "").strip():
        return False
    return all(_is_empty(child) and not (child.tail or "").strip() for child in element)


def clean_node(node: etree._Element, exclude: Sequence[Selection] = (), base_url: str = "") -> str:
    """The inner HTML of ``node`` without scripts, excluded parts and empty wrappers."""
    root = copy.deepcopy(node)
    root.tail = None
    scope = Selector(root=root)
    for selection in exclude:
        for found in run_selection(scope, selection):
            if not isinstance(found.root, str) and found.root is not root:
                _drop(found.root)
    for element in list(root.iter()):
        if element is root:
            continue
        if not isinstance(element.tag, str) or element.tag in _DROP_TAGS:
            _drop(element)
    for element in root.iter():
        if isinstance(element.tag, str):
            _strip_attributes(element, base_url)
    # Bottom-up, so a wrapper left empty by its emptied children goes too.
    for element in reversed(list(root.iter())):
        if element is not root and isinstance(element.tag, str) and _is_empty(element):
            _drop(element)
    parts = [html.escape(root.text, quote=False)] if root.text else []
    parts.extend(etree.tostring(child, encoding="unicode", method="html") for child in root)
    return _tidy_html("".join(parts))


def _tidy_html(markup: str) -> str:
    markup = re.sub(r"[ \t\r\f\v]*\n\s*", "\n", markup)
    return markup.strip()


def clean_nodes(nodes: Iterable[etree._Element], exclude: Sequence[Selection] = (), base_url: str = "") -> str:
    return "\n".join(filter(None, (clean_node(node, exclude, base_url) for node in nodes)))


def html_text(markup: str) -> str:
    """The plain text of an HTML fragment: blocks separated by one space, whitespace
    collapsed. What "the body's text" means in tests and checks."""
    if not markup or not markup.strip():
        return ""
    root = lxml_html.fragment_fromstring(markup, create_parent="div")
    parts: list[str] = []

    def walk(element: etree._Element) -> None:
        if isinstance(element.tag, str) and element.tag not in ("script", "style"):
            block = element.tag in _BLOCK_TAGS
            if block:
                parts.append("\n")
            parts.append(element.text or "")
            for child in element:
                walk(child)
            if block:
                parts.append("\n")
        parts.append(element.tail or "")

    walk(root)
    return collapse_space("".join(parts))
