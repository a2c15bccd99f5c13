"""The importer's HTML to Markdown, built with sitegen's own renderer; and URL safety.

Each conversion is checked by what it becomes on the page: the Markdown is
rendered by sitegen's ``MarkdownRenderer`` and the HTML structure compared
exactly.  URL safety (``sitegen.markup.urls``, shared by the importer and the
raw-HTML warnings) is tested against the vectors of the OWASP XSS Filter
Evasion Cheat Sheet (OWASP Cheat Sheet Series, CC BY-SA 4.0), kept with their
attribution in ``data/xss_vectors.json``.
"""

from __future__ import annotations

import html
import json
import re
from collections import Counter
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import lxml.html
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sitegen.errors import Problems
from sitegen.importers.html2md import to_markdown
from sitegen.markup import urls
from sitegen.markup.sitrep import BodyContext, MarkdownRenderer

_RENDERER = MarkdownRenderer()
VECTORS = json.loads((Path(__file__).parent / "data" / "xss_vectors.json").read_text("utf-8"))


def render(markdown: str) -> str:
    """The page HTML of a body, which must build without an error or a warning."""
    context = BodyContext(Problems("p.md"), 1, {}, {})
    rendered = _RENDERER.render(markdown, context).html
    assert not context.problems.items, (markdown, context.problems.items)
    return rendered


def page(markup: str, **options: object) -> str:
    """What an imported body shows, with the whitespace between tags taken out."""
    markdown = to_markdown(markup, **options).markdown  # type: ignore[arg-type]
    return re.sub(r">\s+<", "><", render(markdown).strip())


# -- structure: lists, blocks, tables, headings (issue 19, items 10 and 11) -----------------

PAGES = [
    (
        "nested-list",
        "<ol><li>one<ul><li>a</li></ul></li><li>two</li></ol>",
        "<ol><li>one<ul><li>a</li></ul></li><li>two</li></ol>",
    ),
    (
        "nested-three-deep-after-item-ten",
        '<ol start="10"><li>ten<ol><li>x<ul><li>y</li></ul></li></ol></li></ol>',
        '<ol start="10"><li>ten<ol><li>x<ul><li>y</li></ul></li></ol></li></ol>',
    ),
    (
        "text-after-a-nested-list",
        "<ul><li>one<ul><li>a</li></ul>more</li></ul>",
        "<ul><li><p>one</p><ul><li>a</li></ul><p>more</p></li></ul>",
    ),
    (
        "two-lists-stay-two",
        "<ul><li>a</li></ul><ul><li>b</li></ul><ol><li>c</li></ol><ol start='5'><li>d</li></ol>",
        "<ul><li>a</li></ul><!-- --><ul><li>b</li></ul><ol><li>c</li></ol><!-- -->"
        '<ol start="5"><li>d</li></ol>',
    ),
    (
        "list-items-without-a-list",
        "<p>x</p><li>a</li><li>b</li>",
        "<p>x</p><ul><li>a</li><li>b</li></ul>",
    ),
    (
        "dropped-elements-leave-no-code-block",
        '<p>x</p><iframe src="https://maps.example/a"></iframe> <iframe src="https://maps.example/a">'
        '</iframe> <iframe src="https://maps.example/a"></iframe> <iframe src="https://maps.example'
        '/a"></iframe> <a href="https://x.org/">l</a>',
        '<p>x</p><p><a href="https://x.org/">l</a></p>',
    ),
    (
        "spaces-in-empty-elements",
        "<p>x</p><span> </span><span>&nbsp;</span><span> </span><span>\t</span><span> </span>y",
        "<p>x</p><p>y</p>",
    ),
    (
        "fence-lines-in-text",
        "<p>~~~</p><p>x</p><p>~~~</p><p>```</p><p>y</p><p>```</p>",
        "<p>&#126;~~</p><p>x</p><p>&#126;~~</p><p>```</p><p>y</p><p>```</p>",
    ),
    (
        "setext-underlines-in-text",
        "<p>Title<br>===</p><p>Other<br>---</p>",
        "<p>Title<br>\n&#61;==</p><p>Other<br>\n---</p>",
    ),
    (
        "digits-then-dot-apart",
        "<p>1<span>. not a list</span></p>",
        "<p>1. not a list</p>",
    ),
    (
        "table-with-tfoot-before-tbody",
        "<table><thead><tr><th>a</th></tr></thead><tfoot><tr><td>f</td></tr></tfoot>"
        "<tbody><tr><td>1</td></tr></tbody></table>",
        "<table><thead><tr><th>a</th></tr></thead><tbody><tr><td>1</td></tr><tr><td>f</td></tr>"
        "</tbody></table>",
    ),
    (
        "table-rows-wider-than-the-first",
        "<table><caption>Losses</caption><tr><td>a</td></tr><tr><td>1</td><td>2</td></tr></table>",
        "<p>Losses</p><table><thead><tr><th>a</th><th></th></tr></thead><tbody><tr><td>1</td>"
        "<td>2</td></tr></tbody></table>",
    ),
    (
        "table-in-a-cell",
        "<table><tr><td>a<table><tr><td>b</td><td>c</td></tr></table></td></tr></table>",
        "<table><thead><tr><th>a b c</th></tr></thead><tbody><tr><td></td></tr></tbody></table>",
    ),
    (
        "h5-and-h6-stay-apart",
        "<h1>T</h1><h5>Five</h5><h6>Six</h6>",
        '<h2 id="t">T</h2><h5 id="five">Five</h5><h6 id="six">Six</h6>',
    ),
    (
        "six-levels",
        "<h1>1</h1><h2>2</h2><h3>3</h3><h4>4</h4><h5>5</h5><h6>6</h6>",
        '<h2 id="1">1</h2><h3 id="2">2</h3><h4 id="3">3</h4><h5 id="4">4</h5><h6 id="5">5</h6>'
        "<p><strong>6</strong></p>",
    ),
    (
        "ol-start",
        '<ol start="3"><li>c</li><li>d</li></ol>',
        '<ol start="3"><li>c</li><li>d</li></ol>',
    ),
    (
        "ol-reversed",
        '<ol reversed start="3"><li>c</li><li>b <em>x</em></li></ol><p>after</p>',
        '<ol reversed start="3"><li><p>c</p></li><li><p>b <em>x</em></p></li></ol><p>after</p>',
    ),
    (
        "abbr",
        '<p>The <abbr title="North Atlantic &quot;Treaty&quot;">NATO</abbr> summit</p>',
        '<p>The <abbr title="North Atlantic &quot;Treaty&quot;">NATO</abbr> summit</p>',
    ),
    (
        "address-ends-its-paragraph",
        "<address>Kyiv</address><strong>bold</strong>",
        "<p>Kyiv</p><p><strong>bold</strong></p>",
    ),
    (
        "link-around-blocks",
        '<a href="https://x.org/"><h2>Title</h2><p>Lead <b>x</b></p></a>',
        '<h2 id="title"><a href="https://x.org/">Title</a></h2>'
        '<p><a href="https://x.org/">Lead <strong>x</strong></a></p>',
    ),
    (
        "code-in-a-list-item-and-a-quote",
        "<ul><li>run<pre>a = 1\n\nb = 2</pre></li></ul><blockquote><pre>q()</pre></blockquote>",
        "<ul><li>run<pre><code>a = 1\n\nb = 2\n</code></pre></li></ul>"
        "<blockquote><pre><code>q()\n</code></pre></blockquote>",
    ),
    (
        "definition-without-a-term",
        "<dl><dd>alone</dd></dl>",
        "<p>alone</p>",
    ),
]


@pytest.mark.parametrize(("markup", "expected"), [p[1:] for p in PAGES], ids=[p[0] for p in PAGES])
def test_imported_html_keeps_its_structure(markup: str, expected: str) -> None:
    assert page(markup) == expected


def test_audio_shortcode_becomes_a_link() -> None:
    converted = to_markdown("Listen:\n\n[audio https://x.org/a.mp3|titles=Talk]", wordpress=True)
    assert converted.dropped == ()
    assert render(converted.markdown) == (
        '<p>Listen:</p>\n<p><a href="https://x.org/a.mp3">Audio</a></p>'
    )
    assert to_markdown("[audio]https://x.org/b.ogg[/audio]", wordpress=True).markdown == (
        "[Audio](https://x.org/b.ogg)\n"
    )


def test_relative_urls_are_resolved_against_the_old_page() -> None:
    base = "https://old.example.com/2016/12/sitrep/"
    markup = (
        '<p><a href="../map/">map</a> <a href="#notes">notes</a> <img src="/up/a.png" alt="A">'
        ' <a href="https://x.org/">x</a> <a href="mailto:a@x.org">mail</a></p>'
    )
    assert to_markdown(markup, base=base).markdown == (
        "[map](https://old.example.com/2016/12/map/) [notes](#notes) "
        "![A](https://old.example.com/up/a.png) [x](https://x.org/) [mail](mailto:a@x.org)\n"
    )
    assert "[map](../map/)" in to_markdown(markup).markdown


def test_a_character_reference_in_a_url_is_not_decoded_twice() -> None:
    """``&amp;#106;avascript:`` is the relative URL ``&#106;avascript:``; python-markdown
    would pass ``&#106;`` through to the page, where browsers read it as ``j``."""
    got = page('<a href="&amp;#106;avascript:alert(1)">x</a>')
    anchor = lxml.html.fragment_fromstring(got, create_parent="div").find("p/a")
    assert anchor.get("href") == "&#106;avascript:alert%281%29"


# -- URL safety -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "scheme"),
    [
        ("java&#13;script:alert(1)", "javascript"),
        ("java&#x0A;script:alert(1)", "javascript"),
        (" \x01JaVa&#x09;ScRiPt:x", "javascript"),
        ("&#14; javascript:x", "javascript"),
        ("javascript&colon;x", "javascript"),
        ("java\x00script:x", "javascript"),  # old browsers skipped the NUL
        ("VBSCRIPT:x", "vbscript"),
        ("data:text/html,<script>x</script>", "data"),
        ("data:image/png;base64,AAAA", "data"),  # only as an image
        ("x:y", "x"),
        ("https://x.org/a", None),
        ("HTTP://x.org/", None),
        ("//x.org/a", None),
        ("/posts/x/", None),
        ("../a.png", None),
        ("#notes", None),
        ("?page=2", None),
        ("mailto:a@x.org", None),
        ("tel:+380441234567", None),
        ("ftp://x.org/f.pdf", None),
        ("geo:50.45,30.52", None),
        ("a b:c", None),  # not a scheme: a relative path
        ("1x:y", None),
    ],
)
def test_urls_are_read_as_browsers_read_them(written: str, scheme: str | None) -> None:
    assert urls.refused(written, references=True) == scheme


def test_data_images_only_as_images() -> None:
    assert urls.allowed("data:image/png;base64,AAAA", image=True)
    assert not urls.allowed("data:text/html,x", image=True)
    assert urls.is_image("IMG", "src") and not urls.is_image("iframe", "src")


def test_srcset_entries() -> None:
    assert urls.srcset("a.png 1x, data:image/png;base64,A,B 2x,c.png") == [
        "a.png",
        "data:image/png;base64,A,B",
        "c.png",
    ]


def test_raw_html_and_markdown_links_are_checked_with_the_same_rules() -> None:
    body = (
        "A [page](data:text/html,x) and [mail](mailto:a@x.org).\n\n"
        '<img src="data:image/png;base64,AAAA" alt="dot" srcset="a.png 1x, vbscript:x 2x">\n\n'
        '<a href="java&#13;script:x">a</a> <a href="geo:50.4,30.5">b</a> <a href="x:y">c</a>\n\n'
        '<meta http-equiv="refresh" content="0; url=javascript:x">\n'
    )
    context = BodyContext(Problems("p.md"), 1, {}, {})
    _RENDERER.render(body, context)
    assert [(p.line, p.message) for p in context.problems.items] == [
        (
            3,
            "vbscript: URL in srcset= of <img>: it runs code in every reader's browser; "
            "link to a page instead",
        ),
        (
            5,
            "javascript: URL in href= of <a>: it runs code in every reader's browser; "
            "link to a page instead",
        ),
        (
            5,
            "x: URL in href= of <a>: sitegen publishes http(s), mailto, tel and the other "
            "schemes its docs list; link instead",
        ),
        (
            7,
            "javascript: URL in content= of <meta>: it runs code in every reader's browser; "
            "link to a page instead",
        ),
        (
            1,
            "data: URL in href= of <a>: it can hold a page that runs code (only an image may "
            "be a data: URL); link to a file instead",
        ),
    ]


class _Urls(HTMLParser):
    """Every URL of every element, as the raw-HTML check reads them."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, url in urls.element_urls(tag, attrs):
            self.found.append((tag, url, urls.refused(url, image=urls.is_image(tag, name))))

    handle_startendtag = handle_starttag


@dataclass(frozen=True)
class Vector:
    section: str
    html: str
    refuse: bool


_VECTORS = [Vector(v["section"], v["html"], v["refuse"]) for v in VECTORS["vectors"]]


@pytest.mark.parametrize("vector", _VECTORS, ids=lambda v: v.section)
def test_cheat_sheet_vectors(vector: Vector) -> None:
    """Every javascript:, vbscript:, data: (or unknown scheme) vector is refused; the
    cheat sheet's ordinary URLs are kept."""
    parser = _Urls()
    parser.feed(vector.html)
    parser.close()
    assert parser.found
    refused = [found for found in parser.found if found[2] is not None]
    assert bool(refused) == vector.refuse, parser.found


@pytest.mark.parametrize("vector", [v for v in _VECTORS if v.refuse], ids=lambda v: v.section)
def test_cheat_sheet_vectors_in_a_post_are_warned_about(vector: Vector) -> None:
    """In a post's raw HTML: a warning, unless python-markdown publishes it as text."""
    context = BodyContext(Problems("p.md"), 1, {}, {})
    rendered = _RENDERER.render(f"Text.\n\n{vector.html}\n\nMore.\n", context).html
    warned = [p.message for p in context.problems.items if " URL in " in p.message]
    published = _Urls()
    published.feed(rendered)
    published.close()
    refused = [found for found in published.found if found[2] is not None]
    assert bool(warned) == bool(refused), (rendered, context.problems.items)


@pytest.mark.parametrize("vector", _VECTORS, ids=lambda v: v.section)
@pytest.mark.parametrize("wordpress", [False, True])
def test_cheat_sheet_vectors_import_without_code(vector: Vector, wordpress: bool) -> None:
    assert_no_code(page_html(to_markdown(vector.html, wordpress=wordpress).markdown))


def page_html(markdown: str) -> lxml.html.HtmlElement:
    rendered = render(markdown)
    return lxml.html.fragment_fromstring(rendered or "<p></p>", create_parent="div")


def assert_no_code(root: lxml.html.HtmlElement) -> None:
    """No script, no event handler, no URL that :mod:`urls` refuses."""
    assert not root.xpath("//script")
    for element in root.iter(tag=lxml.etree.Element):
        attributes = list(element.attrib.items())
        assert not [name for name, _ in attributes if name.lower().startswith("on")]
        for name, url in urls.element_urls(element.tag, attributes):
            assert urls.allowed(url, image=urls.is_image(element.tag, name)), (name, url)


# -- any HTML (issue 19, item 14) -----------------------------------------------------------

_DROPPED = {"script", "style", "iframe", "form", "svg"}
_VOID = {"br", "hr", "img"}
# fmt: off
_TAGS = [
    "p", "div", "span", "b", "i", "em", "strong", "code", "a", "a", "ul", "ol", "li", "li",
    "table", "thead", "tbody", "tfoot", "tr", "td", "th", "caption", "pre", "h1", "h2", "h3",
    "h5", "h6", "blockquote", "br", "hr", "img", "address", "abbr", "del", "sup", "dl", "dt",
    "dd", "section", "figure", "figcaption", *_DROPPED,
]
_URLS = [
    "https://example.org/a?b=1&amp;c=2", "/posts/x/", "#notes", "mailto:a@example.org",
    "//example.org/p", "javascript:alert(1)", " JaVa&#x09;ScRiPt:alert(1)", "java&#13;script:x",
    "&#106;avascript:x", "&amp;#106;avascript:x", "vbscript:x", "data:text/html,x",
    "data:image/png;base64,AAAA", "jav\tascript:x", "&#1;javascript:x", "x:y", "",
]
# fmt: on
_ATTRIBUTES = st.one_of(
    st.tuples(
        st.sampled_from(["href", "src", "data-src", "cite", "poster"]), st.sampled_from(_URLS)
    ),
    st.tuples(st.sampled_from(["onclick", "onerror", "ONLOAD"]), st.just("alert(1)")),
    st.tuples(st.just("title"), st.sampled_from(['a "b" <c>', "x' onclick='y", "T"])),
    st.tuples(st.just("start"), st.sampled_from(["3", "x", "²", "-1"])),
    st.tuples(st.just("colspan"), st.sampled_from(["2", "²", "0"])),
    st.tuples(st.sampled_from(["reversed", "class"]), st.sampled_from(["", "language-py"])),
)
_TEXT = st.lists(
    st.characters(blacklist_categories=("Cs", "Cc"))
    | st.sampled_from([*"#>-+*_`{}[]()<>&;:=!.1~|\\ \n\t\xa0", "~~~", "```", "    ", "1. "]),
    max_size=8,
).map("".join)


@dataclass(frozen=True)
class Node:
    tag: str | None  # None: text
    text: str = ""
    attributes: tuple[tuple[str, str], ...] = ()
    children: tuple[Node, ...] = ()

    def markup(self) -> str:
        if self.tag is None:
            return html.escape(self.text, quote=False)
        attributes = "".join(f' {n}="{v.replace(chr(34), "&quot;")}"' for n, v in self.attributes)
        if self.tag in _VOID:
            return f"<{self.tag}{attributes}>"
        inner = "".join(child.markup() for child in self.children)
        if self.tag in ("script", "style"):  # raw text elements: no tags inside
            inner = html.escape("".join(child.text for child in self.children), quote=False)
        return f"<{self.tag}{attributes}>{inner}</{self.tag}>"

    def shown(self) -> str:
        """The text a reader sees: all but the text of what the importer drops."""
        if self.tag is None:
            return self.text
        if self.tag in _DROPPED or self.tag in _VOID:
            return ""
        return "".join(child.shown() for child in self.children)


_NODES = st.recursive(
    _TEXT.map(lambda text: Node(None, text)),
    lambda children: st.builds(
        Node,
        st.sampled_from(_TAGS),
        st.just(""),
        st.lists(_ATTRIBUTES, max_size=2).map(tuple),
        st.lists(children, max_size=4).map(tuple),
    ),
    max_leaves=20,
)


def _letters(text: str) -> Counter[str]:
    return Counter(re.sub(r"\s+", "", text))


@settings(max_examples=200, deadline=None)
@given(nodes=st.lists(_NODES, min_size=1, max_size=4), wordpress=st.booleans())
def test_any_html_imports_as_markdown_that_builds_safely(
    nodes: list[Node], wordpress: bool
) -> None:
    """Any HTML: Markdown that builds without a warning, carries no code, and shows the
    text the HTML showed (in any order: browsers move a table's stray text before it)."""
    markup = "".join(node.markup() for node in nodes)
    converted = to_markdown(markup, wordpress=wordpress)
    root = page_html(converted.markdown)
    assert_no_code(root)
    shown = "".join(node.shown() for node in nodes)
    assert _letters(root.text_content()) == _letters(shown), (markup, converted.markdown)
