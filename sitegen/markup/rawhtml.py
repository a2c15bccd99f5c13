"""Raw HTML in a body: allowed, kept valid where Markdown broke it, and checked.

Editors embed tables, ``<details>``, iframes of their own; sitegen publishes
that HTML as written.  What it looks for, as warnings at the editor's line:

- ``<script>``, event-handler attributes (``onclick=``) and ``javascript:``
  URLs (in raw HTML, Markdown links and attribute lists): code that would run
  in every reader's browser;
- a block element (``<div>``, ``<table>``, ``<figure>``...) inside a
  paragraph, which browsers take apart (they end the paragraph before it).

Where Markdown itself made the paragraph around HTML (python-markdown wraps a
block that starts with an inline tag, such as ``<a href>`` or ``<span>``, in
``<p>``), the paragraph is taken away instead: the HTML is published as
written.  A shortcode inside raw HTML is an error: it is never read there.

Raw HTML is read with python's own HTML tokenizer (the one python-markdown
uses): lxml's parser repairs a ``<div>`` inside a ``<p>`` silently, so it
cannot tell that the editor's HTML needed repair.
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as etree
from html.parser import HTMLParser
from typing import TYPE_CHECKING

import markdown
from markdown.treeprocessors import Treeprocessor
from markdown.util import STX

from sitegen.markup import shortcodes, urls
from sitegen.markup.elements import BodyContext
from sitegen.markup.locate import Locator

if TYPE_CHECKING:
    from sitegen.markup.sitrep import SitreExtension

# Start tags that end an open <p> (HTML's parsing rules, "close a p element").
# fmt: off
BLOCKS = frozenset({
    "address", "article", "aside", "blockquote", "center", "details", "dialog", "dir", "div",
    "dl", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5",
    "h6", "header", "hgroup", "hr", "li", "dd", "dt", "listing", "main", "menu", "nav", "ol",
    "p", "plaintext", "pre", "search", "section", "summary", "table", "ul", "xmp",
})
_SCOPES = frozenset({
    "applet", "caption", "html", "table", "td", "th", "marquee", "object", "template", "button",
})
_VOID = frozenset({
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
    "source", "track", "wbr",
})
_LITERAL = frozenset({"pre", "code", "kbd", "samp", "script", "style", "textarea"})  # text as is
# fmt: on
# What a Markdown link or attribute list that runs code holds: an entity, a handler, "script",
# a link whose scheme is not one of the usual allowed ones (data:, say).
_RISKY = re.compile(
    r"&|script|\{[^{}\n]*\b(?:on[a-z]*|href|src)\s*="  # from the last "{": linear
    r"|\](?:\(|:[ \t])[\x00-\x20<]*(?!(?:https?|mailto|tel):)[a-z][a-z0-9+.\x00-\x1f-]*:",
    re.I,
)
_PLACEHOLDER = re.compile(STX + r"wzxhzdk:(\d+)\x03")
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)")

SCRIPT = (
    "<script> in the body: it would run in every reader's browser (feed readers drop it); "
    "remove it, or embed the page that needs it in an <iframe>"
)


def attribute_problems(
    tag: str, attributes: list[tuple[str, str | None]], decoded: bool = False
) -> list[tuple[str, str]]:
    """(attribute, what is wrong) for each attribute of an element that runs code or holds
    a URL :mod:`urls` refuses; ``decoded``: the values' character references are read
    already (else they are read here, as a browser reads them)."""
    attributes = [(n.lower(), v if decoded or not v else html.unescape(v)) for n, v in attributes]
    refused: dict[str, str] = {}
    for name, url in urls.element_urls(tag, attributes):
        scheme = urls.refused(url, image=urls.is_image(tag, name))
        if scheme is not None:
            refused.setdefault(name, _url_problem(tag, name, scheme))
    found = []
    for name, _ in attributes:
        if name.startswith("on") and len(name) > 2:
            found.append((name, _handler(tag, name)))
        elif name in refused:
            found.append((name, refused.pop(name)))
    return found


def _handler(tag: str, name: str) -> str:
    return (
        f"{name}= on <{tag}>: an event-handler attribute runs code in every reader's "
        "browser; remove it"
    )


def _url_problem(tag: str, name: str, scheme: str) -> str:
    if scheme == "data":
        why = "it can hold a page that runs code (only an image may be a data: URL); link to a file"
    elif scheme.endswith("script"):
        why = "it runs code in every reader's browser; link to a page"
    else:
        why = "sitegen publishes http(s), mailto, tel and the other schemes its docs list; link"
    return f"{scheme}: URL in {name}= of <{tag}>: {why} instead"


def nesting(tag: str, made_by_markdown: bool) -> str:
    if made_by_markdown:
        return (
            f"<{tag}> inside a paragraph is invalid HTML (browsers end the paragraph before "
            "it): start the HTML on a line of its own, after a blank line"
        )
    return (
        f"<{tag}> inside <p> is invalid HTML (browsers end the paragraph before it, then "
        f"meet a stray </p>): close the <p> before the <{tag}>"
    )


class RawHtmlTree(Treeprocessor):
    """The tree's side: paragraphs around raw HTML, and attributes Markdown wrote.

    Runs last: every attribute is set (attribute lists too), and raw HTML is
    still a placeholder in the text, numbered as in ``htmlStash``.
    """

    def __init__(self, extension: SitreExtension, md: markdown.Markdown) -> None:
        super().__init__(md)
        self.extension = extension

    def run(self, root: etree.Element) -> None:
        context = self.extension.context
        if context is None:
            return
        if self.md.htmlStash.html_counter:
            paragraphs = [(parent, p) for parent in root.iter() for p in parent if p.tag == "p"]
            for parent, paragraph in paragraphs:
                if self.paragraph(paragraph, context):
                    _unwrap(parent, paragraph)
                    # The lead was read from the tree before: the HTML's first paragraph
                    # may now be another, so the reader takes it from the HTML.
                    self.md.treeprocessors["sitegen_lead"].lead = None
        if not self.md.htmlStash.html_counter and not _RISKY.search("\n".join(self.md.lines)):
            return  # no raw HTML, and no link or attribute list that could run code
        for element in root.iter():
            if element.tag == "script":  # md_in_html makes raw HTML elements
                context.html.append((("<script",), SCRIPT))
            values = {name.lower(): value for name, value in element.items()}
            for name, message in attribute_problems(str(element.tag), list(values.items())):
                written = values[name].split(STX, 1)[0]
                context.html.append(((written, f"{name}="), message))

    def paragraph(self, paragraph: etree.Element, context: BodyContext) -> bool:
        """Whether Markdown put this paragraph around HTML; notes a block in the editor's text."""
        text = "".join(paragraph.itertext())
        if "wzxhzdk:" not in text:
            return False
        stash = self.md.htmlStash.rawHtmlBlocks
        open_tags: list[str] = []
        balanced = True
        block: tuple[re.Match[str], str] | None = None
        for found in _PLACEHOLDER.finditer(text):
            index = int(found.group(1))
            chunk = stash[index] if index < len(stash) else None  # (a quote's text may hold one)
            tag = _TAG.match(chunk) if isinstance(chunk, str) else None
            if tag is None:
                continue
            closing, name = tag.group(1) == "/", tag.group(2).lower()
            if block is None and name in BLOCKS:
                block = (found, name)
            if name in _VOID or (chunk.endswith("/>") and not closing):
                continue
            if not closing:
                open_tags.append(name)
            elif open_tags and open_tags[-1] == name:
                open_tags.pop()
            else:
                balanced = False
        starts_with_html = (paragraph.text or "").lstrip().startswith(STX + "wzxhzdk:")
        if starts_with_html and (block is not None or not balanced or open_tags):
            return True
        if block is not None:
            found, name = block
            chunk = str(stash[int(found.group(1))])
            before = _PLACEHOLDER.sub(lambda m: _chunk(stash, m), text[: found.start()])
            needles = (before.rsplit("\n", 1)[-1] + chunk, chunk)
            context.html.append((needles, nesting(name, True)))
        return False


def _chunk(stash: list[object], placeholder: re.Match[str]) -> str:
    index = int(placeholder.group(1))
    return str(stash[index]) if index < len(stash) else placeholder.group(0)


def _unwrap(parent: etree.Element, paragraph: etree.Element) -> None:
    """The paragraph's text and elements in its place, without the <p>."""
    at = list(parent).index(paragraph)
    children = list(paragraph)
    text, tail = paragraph.text or "", paragraph.tail or ""
    if children:
        children[-1].tail = (children[-1].tail or "") + tail
    else:
        text += tail
    if at:
        parent[at - 1].tail = (parent[at - 1].tail or "") + text
    else:
        parent.text = (parent.text or "") + text
    parent.remove(paragraph)
    for offset, child in enumerate(children):
        parent.insert(at + offset, child)


class _Scan(HTMLParser):
    """One piece of raw HTML: what runs code, blocks inside paragraphs, shortcodes.

    ``found`` holds (line in the piece, error?, message).  Character references
    are kept apart from text (``{{&lt;`` is how HTML shows a shortcode as text).
    """

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.found: list[tuple[int, bool, str]] = []
        self.open: list[list[object]] = []  # [tag, (line, tag) of a block that broke it]
        self.literal = 0
        self.text: list[str] = []
        self.text_line = 1

    def parse_html_declaration(self, i: int) -> int:
        """``<![if ...]>`` (Word's, say) is a bogus comment, as browsers read it."""
        if self.rawdata.startswith("<![", i) and not self.rawdata.startswith("<![CDATA[", i):
            end = self.rawdata.find(">", i)
            return -1 if end < 0 else end + 1
        return super().parse_html_declaration(i)

    def handle_starttag(
        self, tag: str, attrs: list[tuple[str, str | None]], closed: bool = False
    ) -> None:
        self.flush()
        line = self.getpos()[0]
        written = (self.get_starttag_text() or "").lower()
        if tag == "script":
            self.found.append((line, False, SCRIPT))
        for name, message in attribute_problems(tag, attrs, decoded=True):
            at = line + written[: max(written.find(name.lower()), 0)].count("\n")
            self.found.append((at, False, message))
        if tag in BLOCKS and tag != "p":
            for entry in reversed(self.open):
                if entry[0] in _SCOPES:
                    break
                if entry[0] == "p":
                    entry[1] = entry[1] or (line, tag)
                    break
        if tag not in _VOID and not closed:
            self.open.append([tag, None])
            self.literal += tag in _LITERAL

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs, closed=True)

    def handle_endtag(self, tag: str) -> None:
        self.flush()
        for depth in range(len(self.open) - 1, -1, -1):
            if self.open[depth][0] == tag:
                closed = self.open[depth:]
                del self.open[depth:]
                self.literal -= sum(entry[0] in _LITERAL for entry in closed)
                broken = closed[0][1]
                if tag == "p" and isinstance(broken, tuple):
                    self.found.append((broken[0], False, nesting(broken[1], False)))
                return

    def handle_data(self, data: str) -> None:
        if not self.text:
            self.text_line = self.getpos()[0]
        self.text.append(data)

    def handle_entityref(self, name: str) -> None:
        self.text.append("\x00")

    handle_charref = handle_entityref

    def handle_comment(self, data: str) -> None:
        self.flush()  # text on either side of a comment is not one text

    handle_decl = handle_pi = unknown_decl = handle_comment

    def flush(self) -> None:
        text = "".join(self.text)
        self.text = []
        if self.literal or "{{" not in text:
            return
        inside = str(self.open[-1][0]) if self.open else ""
        for match in shortcodes.ANY.finditer(text):
            line = self.text_line + text.count("\n", 0, match.start())
            self.found.append((line, True, shortcodes.problem(match.group(0), inside)))

    def close(self) -> None:
        super().close()
        self.flush()


def report_body(md: markdown.Markdown, text: str, context: BodyContext) -> None:
    """Every problem of the body's raw HTML and shortcodes, each at its line."""
    chunks = [c for c in md.htmlStash.rawHtmlBlocks if isinstance(c, str) and c.strip()]
    found: list[tuple[str, list[tuple[int, bool, str]]]] = []
    for chunk in chunks:
        if "<" not in chunk and "{{" not in chunk:
            continue
        scan = _Scan()
        try:
            scan.feed(chunk)
            scan.close()
        except AssertionError:  # _markupbase's word for markup it cannot read: read no further
            scan.flush()
        if scan.found:
            found.append((chunk, scan.found))
    if not (context.stray or context.html or found):
        return
    locator = Locator.of(md, text, context)
    for chunk, problems in found:  # in the stash's order: blocks first, then inline tags
        bare = chunk.lstrip("\n")
        at = locator.line((bare.rstrip(), bare.split("\n", 1)[0])) - (len(chunk) - len(bare))
        for line, error, message in problems:
            where = max(at + line - 1, context.body_line)
            if error:
                context.problems.error(where, "", message)
            else:
                context.problems.warn(where, "", message)
    for needles, message in context.html:
        context.problems.warn(locator.line(needles), "", message)
    shortcodes.report(locator, context)
