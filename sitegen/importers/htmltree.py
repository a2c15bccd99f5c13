"""An old post's HTML, parsed and put in the shape Markdown can say.

Browsers render much that Markdown cannot write as it is written: a link around
paragraphs, rows outside any ``<tbody>`` order, a ``<tfoot>`` before the body,
whitespace between elements that leave nothing.  Before the converter
(:mod:`html2md`) sees the tree, these passes rewrite it into what a browser
shows, so each tag's conversion can stay simple:

- relative URLs resolved against the page the post was published at;
- a link or emphasis around block elements is pushed down into each block (a
  card link ``<a><h2>..</h2><p>..</p></a>`` becomes a link in each), and a link
  inside a link is only text (browsers end the first);
- tables: rows in the order browsers draw them (head, body, foot), cells
  outside rows put in rows, other content put before the table, as browsers do;
  a table inside a cell or a heading becomes its text;
- stray list items get a list, and text directly in a list an item;
- markup inside ``<pre>`` taken away (what it shows is text);
- whitespace collapsed as CSS does: never at the start of a line, never twice.
"""

from __future__ import annotations

import re
import warnings
from contextlib import suppress
from urllib.parse import urljoin

from bs4 import (
    BeautifulSoup,
    MarkupResemblesLocatorWarning,
    NavigableString,
    PageElement,
    ParserRejectedMarkup,
    Tag,
    XMLParsedAsHTMLWarning,
)

from sitegen.markup import urls
from sitegen.markup.rawhtml import BLOCKS

# fmt: off
TABLE_PARTS = frozenset({"table", "caption", "thead", "tbody", "tfoot", "tr", "td", "th"})
_PUSHED = frozenset({
    "a", "abbr", "b", "big", "cite", "code", "del", "em", "font", "i", "kbd", "mark", "q", "s",
    "samp", "small", "strike", "strong", "sub", "sup", "tt", "u",
})
# What the converter drops (and reports) even inside <pre>: kept there for it to see.
_NOT_TEXT = frozenset({
    "script", "style", "noscript", "head", "title", "template", "iframe", "object", "embed",
    "video", "audio", "form", "input", "button", "select", "textarea", "applet", "canvas",
    "svg", "math",
})
_LISTS = frozenset({"ul", "ol", "menu", "dir"})
_OPAQUE = frozenset({"pre", "script", "style", "textarea", "title", "head", "noscript"})
_RESOLVED = ("href", "src", "data-src", "data-lazy-src", "poster", "data")
# fmt: on
_BLOCKISH = (BLOCKS | TABLE_PARTS) - _NOT_TEXT  # <form> is dropped: it leaves no block
_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
# Text pasted from Microsoft Word carries <![if !supportLists]> ... <![endif]> markers.
_WORD_CONDITIONALS = re.compile(r"<!\[(?:if\b[^\]]*|endif)\]>", re.I)


def parse(markup: str) -> BeautifulSoup:
    """Python's own HTML parser keeps the markup as written; lxml's takes what it refuses."""
    markup = _WORD_CONDITIONALS.sub("", markup)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", MarkupResemblesLocatorWarning)  # a body that is a URL
        warnings.simplefilter("ignore", XMLParsedAsHTMLWarning)  # a body that starts <?xml
        try:
            return BeautifulSoup(markup, "html.parser")
        except ParserRejectedMarkup:
            return BeautifulSoup(markup, "lxml")


def prepare(soup: BeautifulSoup, *, base: str | None, paragraphs: bool) -> None:
    """Every pass, in order; ``paragraphs``: newlines in text are WordPress's paragraphs."""
    if base:
        _resolve(soup, base)
    for pre in soup.find_all("pre"):
        _literal(pre)
    _stray_cells(soup)
    _stray_parts(soup)
    for caption in soup.find_all("figcaption"):  # in italics, pushed into blocks as any <em>
        caption.append(soup.new_tag("em"))
        for child in list(caption.children)[:-1]:
            caption.contents[-1].append(child)
    for inner in soup.select("a a"):
        inner.unwrap()
    for element in reversed(soup.find_all(_PUSHED)):
        if element.find(_BLOCKISH):
            _push_down(soup, element)
    for table in reversed(soup.find_all("table")):
        if table.find_parent(["td", "th", *_HEADINGS]):
            _flatten(table)
        else:
            _shape_table(soup, table)
    _stray_cells(soup)  # again: cells a table put out before it
    _collapse(soup, True, " \t\xa0" if paragraphs else " \t\n\r\f\xa0")


def _resolve(soup: BeautifulSoup, base: str) -> None:
    """Document-relative URLs made absolute; a fragment alone stays on the page."""
    for element in soup.find_all(True):
        for name in _RESOLVED:
            value = element.get(name)
            if not isinstance(value, str):
                continue
            url = urls.read(value)
            if url and not url.startswith("#"):
                with suppress(ValueError):  # a URL urllib cannot read (a bad IPv6 host): kept
                    element[name] = urljoin(base, url)


def _literal(pre: Tag) -> None:
    """A ``<pre>`` shows text: markup inside it is taken away, a line break or a block
    ending its line."""
    for tag in pre.find_all(True):
        if tag.name in _NOT_TEXT or tag.find_parent(_NOT_TEXT) is not None:
            continue
        if tag.name == "br" or tag.name in _BLOCKISH:
            tag.insert_after("\n")
        tag.unwrap()


def _push_down(soup: BeautifulSoup, element: Tag) -> None:
    """``<a><p>x</p><p>y</p></a>`` -> ``<p><a>x</a></p><p><a>y</a></p>``."""

    def wrap(run: list[PageElement]) -> None:
        if any(_content(node) for node in run):
            copy = soup.new_tag(element.name, attrs=dict(element.attrs))
            run[0].insert_before(copy)
            for node in run:
                copy.append(node)

    def into(container: Tag) -> None:
        run: list[PageElement] = []
        for child in [*container.children, None]:
            if child is None or (
                isinstance(child, Tag) and (child.name in _BLOCKISH or child.find(_BLOCKISH))
            ):
                wrap(run)
                run = []
                if child is not None and child.name not in _OPAQUE:
                    into(child)
            else:
                run.append(child)

    into(element)
    element.unwrap()


def _flatten(table: Tag) -> None:
    """A table inside a cell or a heading: its text, cells and rows apart by spaces."""
    table.insert_before(" ")
    for part in table.find_all(["caption", "tr", "td", "th"]):
        part.append(" ")
    for part in [table, *table.find_all(TABLE_PARTS)]:
        part.name = "span"


def _shape_table(soup: BeautifulSoup, table: Tag) -> None:
    """Rows as browsers draw them: head, body, foot; cells outside a row in one; anything
    else (text, a caption) before the table."""
    rows: dict[str, list[Tag]] = {"thead": [], "tbody": [], "tfoot": []}
    outside: list[PageElement] = []
    made: Tag | None = None  # the row made for cells outside any row
    for section, node in _parts(table):
        if isinstance(node, Tag) and node.name == "tr":
            for child in list(node.children):
                if isinstance(child, Tag) and child.name in ("td", "th"):
                    continue
                child.extract()
                if _content(child):
                    outside.append(child)
            rows[section].append(node.extract())
            made = None
        elif isinstance(node, Tag) and node.name in ("td", "th"):
            if made is None:
                made = soup.new_tag("tr")
                rows[section].append(made)
            made.append(node.extract())
        elif isinstance(node, Tag) and node.name in ("colgroup", "col"):
            node.decompose()
        elif _content(node):
            if isinstance(node, Tag) and node.name == "caption":
                node.name = "p"
            outside.append(node.extract())
    for node in outside:
        table.insert_before(node)
    table.clear()
    for row in rows["thead"] + rows["tbody"] + rows["tfoot"]:
        table.append(row)


def _parts(table: Tag) -> list[tuple[str, PageElement]]:
    """Each child of the table and of its sections, with its section."""
    found: list[tuple[str, PageElement]] = []
    for child in list(table.children):
        if isinstance(child, Tag) and child.name in ("thead", "tbody", "tfoot"):
            found += [(child.name, part) for part in child.children]
        else:
            found.append(("tbody", child))
    return found


def _content(node: PageElement | None) -> bool:
    return isinstance(node, Tag) or (type(node) is NavigableString and bool(node.strip()))


def _stray_cells(soup: BeautifulSoup) -> None:
    """Table parts outside a table (or put out of one, as browsers do) become text."""
    for part in soup.find_all(TABLE_PARTS - {"table"}):
        if part.find_parent("table") is None:
            if part.name in ("td", "th"):
                part.append(" ")
            part.name = "div" if part.name in ("tr", "caption") else "span"


def _stray_parts(soup: BeautifulSoup) -> None:
    """List items without a list get one; text directly in a list an item; a term (one
    line in Markdown) holding blocks, a block."""
    for term in soup.find_all("dt"):
        if term.find(_BLOCKISH):
            term.name = "div"
    for item in soup.find_all("li"):
        parent = item.parent
        if parent is not None and parent.name == "li":  # <li>a<li>b: siblings, as browsers
            for later in reversed([item, *item.next_siblings]):
                parent.insert_after(later.extract())
        elif item.parent is not None and item.parent.name not in _LISTS:
            run = [item]
            while isinstance(run[-1].next_sibling, Tag) and run[-1].next_sibling.name == "li":
                run.append(run[-1].next_sibling)
            item.wrap(soup.new_tag("ul"))
            for later in run[1:]:
                item.parent.append(later.extract())
    for listing in soup.find_all(_LISTS):
        run: list[PageElement] = []
        for child in [*listing.children, None]:
            if child is None or (isinstance(child, Tag) and child.name == "li"):
                if any(_content(node) for node in run):
                    item = soup.new_tag("li")
                    run[0].insert_before(item)
                    for node in run:
                        item.append(node)
                run = []
            else:
                run.append(child)


def _collapse(node: Tag, after_space: bool, spaces: str) -> bool:
    """Leading whitespace of a text taken away where a browser shows none: after a line
    start (a block's edge, ``<br>``) or after whitespace.  Returns the state after ``node``."""
    for child in list(node.children):
        if isinstance(child, Tag):
            name = child.name.lower()
            if name in _OPAQUE:
                after_space = after_space or name == "pre"
                continue
            breaks = name in _BLOCKISH or name in ("br", "li", "dd", "dt")
            after_space = _collapse(child, after_space or breaks, spaces) or breaks
            if name == "img":
                after_space = False
        elif type(child) is NavigableString:
            text = str(child)
            if after_space:
                text = text.lstrip(spaces)
                if text != child:
                    child.replace_with(text)
            if text:
                after_space = text[-1] in " \t\n\r\f\xa0"
    return after_space


# Elements whose Markdown sets off what is inside from what is beside: a link's brackets,
# raw HTML tags, a line break.  Others (<span>, <font>) leave their content's edges bare.
_DELIMITED = frozenset({"a", "abbr", "del", "s", "strike", "sub", "sup", "q", "img", "br"})


def touching(el: Tag, kinds: tuple[str, ...]) -> bool:
    """Whether Markdown markers of ``el`` (``*``, a backtick) would touch those of another
    element of ``kinds`` (``*a**b*``, ```a``b```), through what leaves no text between."""
    for forward in (False, True):
        node: Tag = el
        while True:
            beside = node.next_sibling if forward else node.previous_sibling
            while beside is not None and silent(beside):
                beside = beside.next_sibling if forward else beside.previous_sibling
            if isinstance(beside, Tag):
                if beside.name in kinds or (not _delimits(beside) and beside.find(kinds)):
                    return True
                break
            if beside is not None:  # text
                break
            parent = node.parent  # nothing beside: the parent's edge, if it has none of its own
            if parent is not None and parent.name in kinds:
                return True
            if parent is None or parent.name == "[document]" or _delimits(parent):
                break
            node = parent
    return False


def _delimits(tag: Tag) -> bool:
    """Whether an element's Markdown sets its content off (a link without a URL is text,
    an ``<abbr>`` without a title too)."""
    if tag.name == "a":
        href = urls.read(str(tag.get("href") or ""))
        return bool(href) and urls.allowed(href)
    if tag.name == "abbr":
        return bool(str(tag.get("title") or "").strip())
    return tag.name in _DELIMITED or tag.name in _BLOCKISH


def silent(node: PageElement) -> bool:
    """Whether a node leaves nothing in the Markdown (a comment, a dropped element)."""
    if isinstance(node, Tag):
        if node.name in _NOT_TEXT:
            return True
        return (
            not node.get_text()
            and node.find(["img", "br", "hr"]) is None
            and (node.name not in ("img", "br", "hr"))
        )
    return type(node) is not NavigableString or not node  # a comment, a doctype; ""
