"""Markdown conversion: sitegen's faster passes give python-markdown's own output."""

from __future__ import annotations

import sys
import xml.etree.ElementTree as etree

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown.blockprocessors import BlockProcessor
from markdown.inlinepatterns import SimpleTagInlineProcessor
from markdown.serializers import to_html_string
from markdown.treeprocessors import InlineProcessor, Treeprocessor

from sitegen.errors import Problems
from sitegen.markup.links import _LINK, link_targets
from sitegen.markup.serializer import to_html
from sitegen.markup.sitrep import BodyContext, MarkdownRenderer
from sitegen.model import Quote, Source
from sitegen.read.posts import _tidy, first_paragraph_of

_SOURCES = {"ft": Source(id="ft", name="FT"), "isw": Source(id="isw", name="ISW")}
_QUOTES = {
    "q": Quote(id="q", text="Held.", speaker="A. Speaker", source="ft"),
    # Front-matter text reaches the tree without the preprocessors: markers, braces, STX.
    "toc": Quote(id="toc", text="[TOC]"),
    "odd": Quote(id="odd", text="x \x0292\x03 {: #y } &amp; <b>", speaker="S \\*"),
}

# Pieces of inline (and some block) syntax that every pattern of the pass reacts to.
_FRAGMENTS = st.sampled_from(
    [
        " ",
        "\n",
        "  \n",
        "\n\n",
        "word",
        "`",
        "``",
        "`code`",
        "\\",
        "\\`",
        "\\\\",
        "\\[",
        "[",
        "]",
        "(",
        ")",
        "!",
        "[a](http://x.org/ 'T')",
        "![i](/i.png)",
        "[r]",
        "[r][]",
        "\n\n[r]: /ref\n\n",
        "[^1]",
        "\n\n[^1]: Note.\n\n",
        "[@ft]",
        "[@ft; @isw]",
        "[@nope]",
        "{{< quote q >}}",
        "\n{{< quote q >}}\n",  # a line of its own after text: split from it
        "{{< youtube x >}}",  # an error
        "{{% quote q %}}",
        '<a href="javascript:x()" onclick="y()">',  # warnings
        "<script>",
        '{: onclick="x()" }',
        "[j](javascript:x)",
        "<span>",
        "\n\n{{< quote toc >}}\n\n",
        "\n\n{{< quote odd >}}\n\n",
        "~~~\n",
        "```python\n",
        "<div>\n",
        "</div>\n",
        '\n\n<div markdown="1">\n',
        "\n\n<p>raw</p>\n\n",
        "\\{",
        "{",
        "}",
        "\x02",
        "\x03",
        # python-markdown drops STX and ETX first: what they split is whole again.
        "``\x02`\n",
        "~\x03~~\n",
        "\n\n<\x02div>\n",
        "<\x03/div>\n",
        "\n\n[TO\x02C]\n\n",
        "\t",
        "\n===\n",
        "\n---\n",
        "***",
        " - - -\n",
        ": ",
        "|",
        "]:",
        "<",
        ">",
        "<http://x.org/a>",
        "<me@x.org>",
        "<b>",
        "</b>",
        "<!-- c -->",
        "&",
        "&amp;",
        "&#38;",
        "*",
        "**",
        "_",
        "__",
        "# ",
        "## H ",
        "- ",
        "1. ",
        "> ",
        "    ",
        "| a | b |\n|---|---|\n| c | d |\n",
        "```\n",
        "{: #id }",
        "Term\n:   Def\n",
        "*[HTML]: Hyper Text\n",
        "HTML",
        "[TOC]",
        "\n\n[TOC]\n\n",
        "Тыс",
        "حلب",
    ]
) | st.text(  # what a post file can hold: UTF-8 without NUL
    st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=4
)


_OURS = MarkdownRenderer()
_THEIRS = MarkdownRenderer(speedups=False)  # python-markdown as it comes


# Subsets of the quotes: with none holding a marker, a brace or STX, the gates may close.
_SOME_QUOTES = st.sampled_from([{}, {"q": _QUOTES["q"]}, _QUOTES])


def _render(
    renderer: MarkdownRenderer, text: str, quotes: dict[str, Quote] = _QUOTES
) -> tuple[str, str, tuple[str, ...], list[str]]:
    context = BodyContext(Problems("p.md"), 1, _SOURCES, quotes)
    rendered = renderer.render(text, context)
    problems = [str(p) for p in context.problems.items]
    return rendered.html, rendered.toc_html, rendered.cited, problems


def test_the_speedups_are_really_installed() -> None:
    assert type(_OURS.md.treeprocessors["inline"]) is not InlineProcessor
    assert type(_THEIRS.md.treeprocessors["inline"]) is InlineProcessor
    assert _THEIRS.speedups is None and _OURS.speedups is not None
    _render(_OURS, "no fence, no tag")
    assert not _OURS.speedups.fenced.active and not _OURS.speedups.html.active
    _render(_OURS, "```\ncode\n```\n\n<b>b</b>\n")
    assert _OURS.speedups.fenced.active and _OURS.speedups.html.active
    assert _OURS.md.serializer is to_html and _THEIRS.md.serializer is to_html_string


def test_the_serializer_writes_what_python_markdown_writes() -> None:
    root = etree.Element("div")
    etree.SubElement(
        root, "p", {"class": "a&b", "hidden": "hidden", "title": 'say "<x>"'}
    ).text = "1 < 2 & 3 > 2 &amp;"
    etree.SubElement(root, "script").text = "if (a < b && c) {}"
    etree.SubElement(root, "br").tail = "after <br> & "
    etree.SubElement(root, "input", {"open": None, "value": "v"})  # a valueless attribute
    root.append(etree.Comment(" a -- comment "))
    etree.SubElement(root, etree.QName("http://www.w3.org/2000/svg", "svg")).text = "s"
    loose = etree.SubElement(root, None)  # type: ignore[arg-type]  # children without a tag
    loose.text, loose.tail = "bare & text", " tail"
    etree.SubElement(loose, "em").text = "in"
    deep = root
    for _ in range(3 * sys.getrecursionlimit()):  # past the recursion limit: the stock one writes
        deep = etree.SubElement(deep, "span")
    deep.text = "bottom"
    shallow = root[:-1]
    for tree in (root, *shallow):
        assert to_html(tree) == to_html_string(tree)


def test_attribute_lists_are_looked_for_only_outside_swallowed_embeds() -> None:
    def render(renderer: MarkdownRenderer, text: str) -> str:
        quotes = {"q": _QUOTES["q"]}  # no brace in any front-matter text
        return renderer.render(text, BodyContext(Problems("p.md"), 1, _SOURCES, quotes)).html

    embeds_only = "Held [@ft].\n\n{{< quote q >}}\n"
    assert render(_OURS, embeds_only) == render(_THEIRS, embeds_only)
    assert _OURS.speedups is not None and not _OURS.speedups.attr_list.active
    with_list = "Lead.\n{: .lead }\n\n{{< quote q >}}\n"
    html = render(_OURS, with_list)
    assert html == render(_THEIRS, with_list) and '<p class="lead">Lead.</p>' in html
    assert _OURS.speedups.attr_list.active


def test_a_toc_marker_is_still_replaced() -> None:
    html = _render(_OURS, "## One\n\n[TOC]\n\n## Two\n")[0]
    assert '<div class="toc">' in html and "[TOC]" not in html


def test_a_post_with_every_inline_form_renders_as_python_markdown_does() -> None:
    text = (
        "## Front [@ft]\n\nHeld `x[@ft]` and **bold _both_** [link](/a/) ![img](/i.png)"
        " <http://x.org/> <me@x.org> &amp; \\*not\\* [ref] [^1] [@ft; @isw]  \nnext\n\n"
        "{{< quote q >}}\n\n[ref]: /r/\n[^1]: A note [@isw].\n\n[TOC]\n\nEnd [@nope].\n"
    )
    ours = _render(_OURS, text)
    assert ours == _render(_THEIRS, text)
    assert "<code>x[@ft]</code>" in ours[0] and "<br" in ours[0] and "<em>both</em>" in ours[0]


@pytest.mark.parametrize(
    "text",
    [
        "``\x02`\ncode\n``\x02`",  # a fence, not a code span
        "<\x02div>",
        "<\x02div>\n*raw*\n",  # an HTML block, not a paragraph with emphasis
        "[TO\x02C]",  # the contents marker
    ],
)
def test_stx_and_etx_count_for_nothing_as_in_python_markdown(text: str) -> None:
    """python-markdown removes them before any pass; the gates decide on what is left."""
    for quotes in ({}, _QUOTES):
        assert _render(_OURS, text, quotes) == _render(_THEIRS, text, quotes)


def test_a_tag_made_block_level_after_loading_is_block_level() -> None:
    ours, theirs = MarkdownRenderer(), MarkdownRenderer(speedups=False)
    text = '<custom>x</custom>\n\nA <custom>y</custom>\n\n<custom markdown="1">\n*z*\n</custom>\n'
    before = _render(ours, text)
    assert before == _render(theirs, text)
    for renderer in (ours, theirs):
        renderer.md.block_level_elements.append("custom")
    after = _render(ours, text)
    assert after == _render(theirs, text) and after != before
    for renderer in (ours, theirs):  # a change in place that keeps the length
        renderer.md.block_level_elements[-1] = "other"
    assert _render(ours, text) == _render(theirs, text) == before
    for renderer in (ours, theirs):  # a new list
        renderer.md.block_level_elements = [*renderer.md.block_level_elements, "custom"]
    assert _render(ours, text) == _render(theirs, text) == after


class _Aside(BlockProcessor):
    """A block starting with ``!!! `` becomes an ``<aside>``."""

    def test(self, parent: etree.Element, block: str) -> bool:
        return block.startswith("!!! ")

    def run(self, parent: etree.Element, blocks: list[str]) -> None:
        etree.SubElement(parent, "aside").text = blocks.pop(0)[4:]


class _Mark(Treeprocessor):
    def run(self, root: etree.Element) -> None:
        for aside in root.iter("aside"):
            aside.set("class", "marked")


def test_patterns_and_processors_registered_later_are_used() -> None:
    ours, theirs = MarkdownRenderer(), MarkdownRenderer(speedups=False)
    text = "A ++new++ word  \nbroken.\n\n!!! Aside, **bold**\n\n---\n"
    assert _render(ours, text) == _render(theirs, text)  # the passes have run once
    for renderer in (ours, theirs):
        md = renderer.md
        md.inlinePatterns.register(SimpleTagInlineProcessor(r"(\+\+)(.+?)\+\+", "ins"), "ins", 65)
        md.inlinePatterns.deregister("linebreak")
        md.parser.blockprocessors.register(_Aside(md.parser), "aside", 50)
        md.parser.blockprocessors.deregister("hr")
        md.treeprocessors.register(_Mark(md), "mark", 1)
    html = _render(ours, text)[0]
    assert html == _render(theirs, text)[0]
    assert "<ins>new</ins>" in html and '<aside class="marked">Aside, <strong>' in html
    assert "<br" not in html and "<hr>" not in html
    for renderer in (ours, theirs):  # one replaced under its name: same count, same names
        renderer.md.inlinePatterns.register(
            SimpleTagInlineProcessor(r"(\+\+)(.+?)\+\+", "del"), "ins", 65
        )
    html = _render(ours, text)[0]
    assert html == _render(theirs, text)[0] and "<del>new</del>" in html


@settings(max_examples=400, deadline=None)
@given(parts=st.lists(_FRAGMENTS, max_size=30), quotes=_SOME_QUOTES)
def test_any_text_renders_as_python_markdown_does(
    parts: list[str], quotes: dict[str, Quote]
) -> None:
    text = "".join(parts)
    ours = _render(_OURS, text, quotes)
    assert ours == _render(_THEIRS, text, quotes)
    # The first paragraph read from the tree is the one the HTML shows.
    lead = _OURS.render(text, BodyContext(Problems("p.md"), 1, _SOURCES, quotes)).lead
    if lead is not None:
        assert _tidy(lead) == _tidy(first_paragraph_of(ours[0]))


@settings(max_examples=2000, deadline=None)
@given(
    parts=st.lists(
        st.sampled_from(
            ['href="', 'src="', 'data-src="', " ", "\n", "\u00a0", '"', "=", "h", 'ref="', "#"]
        ),
        max_size=16,
    )
)
def test_link_targets_finds_what_the_link_regex_finds(parts: list[str]) -> None:
    """The link scan by ``str.find`` answers exactly as the regex it replaces."""
    html = "".join(parts)
    assert list(link_targets(html)) == [m.group(1) for m in _LINK.finditer(html)]
