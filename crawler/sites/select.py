"""Evaluating a profile's selections on a page (pure functions over parsel selectors)."""

from __future__ import annotations

from parsel import Selector, SelectorList

from crawler.sites.profile import FieldRule, Selection

# Text of an element without the code it carries.
_TEXT_NODES = ".//text()[not(ancestor::script) and not(ancestor::style)]"


def collapse_space(text: str) -> str:
    """Runs of whitespace (U+3000 and NBSP included) made one space, ends trimmed."""
    return " ".join(text.split())


def run_selection(scope: Selector, selection: Selection) -> SelectorList:
    if selection.kind == "css":
        return scope.css(selection.query)
    return scope.xpath(selection.query)


def node_text(node: Selector) -> str:
    """The text of a selected element, text node or attribute, whitespace collapsed."""
    if isinstance(node.root, str):
        return collapse_space(node.root)
    return collapse_space("".join(node.xpath(_TEXT_NODES).getall()))


def _apply_regex(selection: Selection, text: str) -> str:
    if selection.regex is None:
        return text
    match = selection.regex.search(text)
    if not match:
        return ""
    return collapse_space(match.group(1) if match.re.groups else match.group(0))


def first_text(scope: Selector, rule: FieldRule | None) -> str:
    """The first non-empty text any alternative of ``rule`` yields, in order; ``""``."""
    if rule is None:
        return ""
    for selection in rule.alternatives:
        for node in run_selection(scope, selection):
            text = _apply_regex(selection, node_text(node))
            if text:
                return text
    return ""


def first_nodes(scope: Selector, rule: FieldRule | None) -> tuple[Selection | None, SelectorList]:
    """The nodes of the first alternative of ``rule`` that selects any element, with it."""
    if rule is None:
        return None, SelectorList([])
    for selection in rule.alternatives:
        nodes = SelectorList(node for node in run_selection(scope, selection) if not isinstance(node.root, str))
        if nodes:
            return selection, nodes
    return None, SelectorList([])


def _is_match(node: Selector) -> bool:
    # A boolean XPath expression gives one selector with data "1" or "0".
    return not isinstance(node.root, str) or node.root not in ("", "0", "false")


def matches_any(scope: Selector, selections: tuple[Selection, ...]) -> bool:
    return any(_is_match(node) for selection in selections for node in run_selection(scope, selection))
