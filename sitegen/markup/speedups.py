"""python-markdown made faster for SITREPs, with byte-identical output.

python-markdown runs every pass over every post and tries every inline pattern
on every piece of text, though a typical post needs few of them.  Each speedup
here only skips work that cannot change the result: a pass or a pattern whose
trigger characters are absent, or a lookup repeated with the same answer.
tests/test_markup.py renders random Markdown with and without them and
compares, so an upgrade of python-markdown that breaks an assumption fails there.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from collections.abc import Callable

import markdown
import markdown.blockprocessors as blocks
import markdown.inlinepatterns as stock
import markdown.serializers as serializers
from markdown.blockparser import BlockParser
from markdown.extensions.abbr import AbbrBlockprocessor
from markdown.extensions.def_list import DefListProcessor
from markdown.extensions.footnotes import FootnoteBlockProcessor
from markdown.extensions.tables import TableProcessor
from markdown.inlinepatterns import InlineProcessor
from markdown.preprocessors import NormalizeWhitespace, Preprocessor
from markdown.treeprocessors import InlineProcessor as InlinePass
from markdown.treeprocessors import PrettifyTreeprocessor, Treeprocessor
from markdown.util import ETX, STX, AtomicString, Registry

# A substring that every match of a python-markdown inline regex contains (any one of
# the alternatives): where none is in the text, the regex need not be searched.
# Keyed by the exact regex, so a changed or unknown one is simply searched.
_NEEDS: dict[str, tuple[str, ...]] = {
    stock.BACKTICK_RE: ("`",),
    stock.ESCAPE_RE: ("\\",),
    stock.LINK_RE: ("[",),  # also reference and short_reference
    stock.IMAGE_LINK_RE: ("![",),  # also image_reference and short_image_ref
    stock.AUTOLINK_RE: ("<",),
    stock.AUTOMAIL_RE: ("<",),
    stock.HTML_RE: ("<",),
    stock.ENTITY_RE: ("&",),
    stock.LINE_BREAK_RE: ("  \n",),
    r"\[\^([^\]]*)\]": ("[^",),  # footnote references
    r"\*|_": ("*", "_"),  # emphasis and strong
}


# Where python's HTML parser, as python-markdown patches it, sees a tag, a comment,
# a declaration or a processing instruction.
_MARKUP = re.compile(r"<[A-Za-z/!?]")


class _Inline(InlinePass):
    """python-markdown's inline pass, trying each pattern only on text it can match.

    The stock pass calls every pattern on every piece of text, about a thousand
    calls per post that nearly all find nothing.  A substring test (or else one
    regex search in C) decides the same: a pattern whose regex finds nothing
    leaves the text as it is.  The patterns are also a frozen tuple, as a
    Registry sorts and looks up by name on each indexed access; nothing registers
    patterns after the renderer is built.
    """

    def __init__(self, md: markdown.Markdown, needs: dict[str, tuple[str, ...]]) -> None:
        super().__init__(md)
        self.inlinePatterns = tuple(md.inlinePatterns)  # type: ignore[assignment]
        regexes = [
            p.getCompiledRegExp() if isinstance(p, InlineProcessor) else None
            for p in self.inlinePatterns
        ]
        self.searches = tuple(r.search if r else None for r in regexes)
        self.needs = tuple(needs.get(r.pattern, ()) if r else () for r in regexes)

    # Overrides the name-mangled ``InlineProcessor.__handleInline``: same contract.
    def _InlineProcessor__handleInline(self, data: str, patternIndex: int = 0) -> str:
        if isinstance(data, AtomicString):
            return data
        apply = self._InlineProcessor__applyPattern  # type: ignore[attr-defined]
        patterns = self.inlinePatterns
        searches = self.searches
        needs = self.needs
        start = 0
        count = len(patterns)
        while patternIndex < count:
            for need in needs[patternIndex]:
                if need in data:
                    break
            else:
                if needs[patternIndex]:  # none of them: no match
                    start = 0
                    patternIndex += 1
                    continue
            search = searches[patternIndex]
            if search is not None and search(data, start) is None:
                matched = False  # what applying it would have answered
                start = 0
            else:
                data, matched, start = apply(patterns[patternIndex], data, patternIndex, start)
            if not matched:
                patternIndex += 1
        return data

    # Overrides ``InlineProcessor.__processPlaceholders``: same contract.
    def _InlineProcessor__processPlaceholders(
        self, data: str | None, parent: etree.Element, isText: bool = True
    ) -> list[tuple[etree.Element, list[str]]]:
        """Text without a placeholder (most of it) goes back where it came from directly.

        The stock method searches for placeholders in a loop built around a
        closure; with none in the text, all it does is append the text to the
        parent's text (or tail).
        """
        if data and STX not in data:  # every placeholder starts with STX
            text = AtomicString(data) if isinstance(data, AtomicString) else data
            if isText:
                parent.text = parent.text + text if parent.text else text
            else:
                parent.tail = parent.tail + text if parent.tail else text
            return []
        return InlinePass._InlineProcessor__processPlaceholders(self, data, parent, isText)  # type: ignore[attr-defined]

    # Overrides ``InlineProcessor.__processElementText``: same contract.
    def _InlineProcessor__processElementText(
        self, node: etree.Element, subnode: etree.Element, isText: bool = True
    ) -> None:
        """A text or tail without a placeholder (as in every citation) stays as it is.

        The stock method takes the text out, hands it to the placeholder method,
        which puts it back unchanged, and looks up the element's position.
        """
        text = subnode.text if isText else subnode.tail
        if text and STX not in text:
            return
        InlinePass._InlineProcessor__processElementText(self, node, subnode, isText)  # type: ignore[attr-defined]


# What every block a block processor acts on holds, read off its regex: a substring
# (any one of the alternatives), or a line starting with one of some characters
# (after any spaces: its regexes allow up to three).  Without it, its ``test``
# answers False, or (for the processors that test by running) its ``run`` puts
# the block back and answers False.
_BLOCK_NEEDS: dict[type, tuple[str, ...]] = {
    blocks.ReferenceProcessor: ("]:",),
    TableProcessor: ("|",),
    FootnoteBlockProcessor: ("[^",),
    AbbrBlockprocessor: ("*[",),
}
_LINE_STARTS: dict[type, str] = {
    blocks.HashHeaderProcessor: "#",
    blocks.SetextHeaderProcessor: "=-",  # the line under the heading
    blocks.HRProcessor: "-_*",
    blocks.BlockQuoteProcessor: ">",
    DefListProcessor: ":",
}


class _BlockParsing:
    """python-markdown's block loop, passing over processors that cannot act on a block.

    The stock loop asks every processor about every block; most ask with a regex
    search over the whole block, as long as a paragraph.  It also iterates a
    Registry, which rebuilds its list on every pass.  Installed as the parser's
    ``parseBlocks``, which nested blocks (lists, quotes) call again.
    """

    def __init__(self, parser: BlockParser) -> None:
        self.steps = tuple(
            (p, _BLOCK_NEEDS.get(type(p), ()), _LINE_STARTS.get(type(p), ""))
            for p in parser.blockprocessors
        )

    def __call__(self, parent: etree.Element, blocks: list[str]) -> None:
        steps = self.steps
        block = ""
        starts: set[str] | None = None  # the first character of each line of ``block``
        while blocks:
            for processor, need, first in steps:
                if blocks[0] is not block:  # as the stock loop, after a run that answered False
                    block = blocks[0]
                    starts = None
                if need:
                    for substring in need:
                        if substring in block:
                            break
                    else:
                        continue  # what its test (or run) would have answered
                elif first:
                    if starts is None:
                        starts = {line.lstrip(" ")[:1] for line in block.split("\n")}
                    if starts.isdisjoint(first):
                        continue
                if processor.test(parent, block) and processor.run(parent, blocks) is not False:
                    break


class _BlockLevel:
    """``Markdown.is_block_level`` answered from a memo (the stock one scans a list).

    Called for nearly every element by several passes; the list of block-level
    tags is complete once the extensions are loaded.
    """

    def __init__(self, md: markdown.Markdown) -> None:
        self.stock = md.is_block_level
        self.memo: dict[object, bool] = {}

    def __call__(self, tag: object) -> bool:
        try:
            return self.memo[tag]
        except KeyError:
            answer = self.memo[tag] = self.stock(tag)
            return answer


class _Prettify(PrettifyTreeprocessor):
    """The stock line breaks between block elements, with the lookups hoisted out of the walk.

    The stock walk is a method that looks up ``self.md.is_block_level`` up to
    three times per element, for every block element of every post.
    """

    def _prettifyETree(self, elem: etree.Element) -> None:
        is_block = self.md.is_block_level

        def walk(elem: etree.Element) -> None:
            tag = elem.tag
            if is_block(tag) and tag != "code" and tag != "pre":
                text = elem.text
                if (not text or not text.strip()) and len(elem) and is_block(elem[0].tag):
                    elem.text = "\n"
                for child in elem:
                    if is_block(child.tag):
                        walk(child)
            tail = elem.tail
            if not tail or not tail.strip():
                elem.tail = "\n"

        walk(elem)


class _NormalizeWhitespace(NormalizeWhitespace):
    """The stock first preprocessor, step for step, skipping its blank-line regex when idle.

    The regex (lines of only spaces made empty) starts with a lookbehind, so it
    is tried at every position of the text, a twentieth of a conversion; without
    a space before a newline it cannot match.
    """

    def run(self, lines: list[str]) -> list[str]:
        source = "\n".join(lines)
        source = source.replace(STX, "").replace(ETX, "")
        source = source.replace("\r\n", "\n").replace("\r", "\n") + "\n\n"
        source = source.expandtabs(self.md.tab_length)
        if " \n" in source:
            source = re.sub(r"(?<=\n) +\n", "\n", source)
        return source.split("\n")


class _Gate:
    """Lets a pass run only when the text being converted may give it work.

    The pass stays registered as it is (other passes read its attributes); only
    its ``run`` is wrapped.  When idle, a preprocessor hands the lines on and a
    tree processor leaves the tree as it is.
    """

    def __init__(self, processor: Preprocessor | Treeprocessor) -> None:
        self.active = True
        run = processor.run
        idle = isinstance(processor, Preprocessor)

        def gated(data):  # type: ignore[no-untyped-def]
            if self.active:
                return run(data)
            return data if idle else None

        processor.run = gated  # type: ignore[method-assign]


def _serialize(write: Callable[[str], object], el: etree.Element) -> None:
    """One element as python-markdown's HTML serializer writes it (the same calls, in order)."""
    tag = el.tag
    if tag.__class__ is not str:
        if tag is not None:  # a comment, a processing instruction, a qualified name
            serializers._serialize_html(write, el, "html")  # writes its children and tail too
            return
        text = el.text
        if text:
            write(_cdata(text) if "&" in text or "<" in text or ">" in text else text)
        for child in el:
            _serialize(write, child)
    else:
        if el.attrib:
            write(f"<{tag}")
            for k, v in sorted(el.items()):
                k = k.text if isinstance(k, etree.QName) else k
                v = v.text if isinstance(v, etree.QName) else v
                if v is None:
                    write(f" {k}")
                else:
                    v = _attribute(v)
                    write(f" {v}" if k == v and k in _BOOLEAN else f' {k}="{v}"')
            write(">")
        else:
            write(f"<{tag}>")
        lower = tag.lower()
        text = el.text
        if text:
            if lower == "script" or lower == "style":
                write(text)
            else:
                write(_cdata(text) if "&" in text or "<" in text or ">" in text else text)
        for child in el:
            _serialize(write, child)
        if lower not in _EMPTY:
            write(f"</{tag}>")
    tail = el.tail
    if tail:
        write(_cdata(tail) if "&" in tail or "<" in tail or ">" in tail else tail)


def to_html(root: etree.Element) -> str:
    """python-markdown's ``to_html_string``, recursive, in about a quarter less time.

    The stock serializer keeps a queue of elements and strings and lowercases
    each tag three times; this one writes the same strings in the same order
    (0.37 against 0.49 ms for a benchmark post, headings for the contents included).
    A tree nested deeper than Python's recursion limit goes to the stock one.
    """
    parts: list[str] = []
    try:
        _serialize(parts.append, root)
    except RecursionError:
        return serializers.to_html_string(root)
    return "".join(parts)


_cdata = serializers._escape_cdata
_attribute = serializers._escape_attrib_html
_BOOLEAN = serializers.BOOLEAN_ATTRIBUTES["html"]
_EMPTY = serializers.HTML_EMPTY


class Speedups:
    """Installs the speedups in a configured Markdown; ``prepare`` is called per text."""

    def __init__(self, md: markdown.Markdown) -> None:
        md.is_block_level = _BlockLevel(md)  # type: ignore[method-assign]
        if md.serializer is serializers.to_html_string:
            md.serializer = to_html
        md.treeprocessors.register(_Inline(md, _NEEDS), "inline", 20)
        if type(md.treeprocessors["prettify"]) is PrettifyTreeprocessor:
            md.treeprocessors.register(_Prettify(md), "prettify", 10)
        if type(md.preprocessors["normalize_whitespace"]) is NormalizeWhitespace:
            md.preprocessors.register(_NormalizeWhitespace(md), "normalize_whitespace", 30)
        md.parser.parseBlocks = _BlockParsing(md.parser)  # type: ignore[method-assign]
        self.fenced = _gate(md.preprocessors, "fenced_code_block")
        self.html = _gate(md.preprocessors, "html_block")
        self.unescape = _gate(md.treeprocessors, "unescape")
        self.attr_list = _gate(md.treeprocessors, "attr_list")
        self._braces = 0  # "{" in the text that no block processor has swallowed yet
        toc = md.treeprocessors["toc"] if "toc" in md.treeprocessors else None  # noqa: SIM401
        self.toc = toc  # (a Registry has no get)
        self.toc_marker: str = getattr(self.toc, "marker", "")  # as configured

    def prepare(self, text: str, inserted: str) -> None:
        """Sets which gated passes run for ``text``.

        ``inserted`` is every string that enters the tree from elsewhere (quotes
        and sources from front matter): it never meets the preprocessors.
        """
        if self.fenced is not None:  # a fence is three backticks or tildes
            self.fenced.active = "```" in text or "~~~" in text
        if self.html is not None:
            # The HTML block parser takes any other "<" (as in a ``{{< quote >}}``
            # shortcode) for text, and leaves text as it is.
            self.html.active = _MARKUP.search(text) is not None
        if self.unescape is not None:
            # Its placeholders come only from backslash escapes (STX is stripped
            # from the Markdown text, not from the inserted strings).
            self.unescape.active = "\\" in text or STX in inserted
        if self.attr_list is not None:
            # Every attribute list is in braces.
            self._braces = 0 if "{" in inserted else text.count("{")
            self.attr_list.active = "{" in inserted or self._braces > 0
        if self.toc is not None:
            # The contents extension walks the whole tree looking for a ``[TOC]``
            # paragraph to replace; without the marker in the text or in a quote,
            # there is none.
            found = self.toc_marker in text or self.toc_marker in inserted
            self.toc.marker = self.toc_marker if found else ""

    def swallowed(self, block: str) -> None:
        """Tells that a block processor consumed ``block`` whole: none of it reaches the tree.

        Once every "{" of the text was in such blocks (as in ``{{< quote id >}}``
        embeds), no attribute list can be left for its pass to find.
        """
        if self.attr_list is not None and self.attr_list.active and self._braces:
            self._braces -= block.count("{")
            if self._braces <= 0:
                self.attr_list.active = False


def _gate(registry: Registry, name: str) -> _Gate | None:
    return _Gate(registry[name]) if name in registry else None
