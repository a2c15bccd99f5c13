"""python-markdown made faster for SITREPs, with byte-identical output.

python-markdown runs every pass over every post and tries every inline pattern
on every piece of text, though a typical post needs few of them.  Each speedup
here only skips work that cannot change the result: a pass or a pattern whose
trigger characters are absent, or a lookup repeated with the same answer.
tests/test_markup.py renders random Markdown with and without them and
compares, so an upgrade of python-markdown that breaks an assumption fails there;
and :mod:`sitegen.markup.upstream` keeps them out of any python-markdown whose
code is not the code they were written against (see :func:`status`).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from collections.abc import Callable, Sequence
from typing import Any

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
from markdown.treeprocessors import Treeprocessor
from markdown.util import ETX, STX, AtomicString, Registry

from sitegen.markup import linear
from sitegen.markup.inlinetext import process_placeholders
from sitegen.markup.serializer import to_html
from sitegen.markup.upstream import status

__all__ = ["Speedups", "status", "to_html"]  # status: why they are off, if they are

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


def _same(old: Sequence[object], new: Sequence[object]) -> bool:
    """Whether two lists of processors hold the same objects in the same order."""
    return len(old) == len(new) and all(a is b for a, b in zip(old, new, strict=True))


class _Inline(InlinePass):
    """python-markdown's inline pass, trying each pattern only on text it can match.

    The stock pass calls every pattern on every piece of text, about a thousand
    calls per post that nearly all find nothing.  A substring test (or else one
    regex search in C) decides the same: a pattern whose regex finds nothing
    leaves the text as it is.  The patterns are also a tuple, as a Registry sorts
    and looks up by name on each indexed access; it is read again from the
    Registry at each run, so that a pattern registered later is used.  And a
    pattern's matches are found and put in place in linear time where
    :mod:`sitegen.markup.linear` knows how.
    """

    def __init__(self, md: markdown.Markdown, needs: dict[str, tuple[str, ...]]) -> None:
        super().__init__(md)
        self.needs_by_regex = needs
        self.inlinePatterns = ()  # type: ignore[assignment]
        self.refresh()

    def refresh(self) -> None:
        """Reads the patterns again if the Registry changed (a few microseconds per run)."""
        patterns = tuple(self.md.inlinePatterns)
        if _same(self.inlinePatterns, patterns):  # type: ignore[arg-type]
            return
        self.inlinePatterns = patterns  # type: ignore[assignment]
        regexes = [
            p.getCompiledRegExp() if isinstance(p, InlineProcessor) else None for p in patterns
        ]
        self.finds = tuple(linear.finditer(r) if r else None for r in regexes)
        self.needs = tuple(self.needs_by_regex.get(r.pattern, ()) if r else () for r in regexes)
        self.deferred = tuple(
            linear.Deferred(self, p, i, linear.lookbehind(p))
            if linear.lookbehind(p) is not None
            else None
            for i, p in enumerate(patterns)
        )
        for pattern in patterns:
            linear.install(pattern)

    def run(self, tree: etree.Element, ancestors: list[str] | None = None) -> etree.Element:
        self.refresh()
        return super().run(tree, ancestors)

    # Overrides the name-mangled ``InlineProcessor.__processPlaceholders``: same contract.
    def _InlineProcessor__processPlaceholders(
        self, data: str | None, parent: etree.Element, isText: bool = True
    ) -> list[tuple[etree.Element, list[str]]]:
        return process_placeholders(self, data, parent, isText)

    # Overrides the name-mangled ``InlineProcessor.__handleInline``: same contract.
    def _InlineProcessor__handleInline(self, data: str, patternIndex: int = 0) -> str:
        if isinstance(data, AtomicString):
            return data
        apply = self._InlineProcessor__applyPattern  # type: ignore[attr-defined]
        patterns, finds, needs = self.inlinePatterns, self.finds, self.needs
        deferred = self.deferred
        for index in range(patternIndex, len(patterns)):
            for need in needs[index]:
                if need in data:
                    break
            else:
                if needs[index]:  # none of them: no match
                    continue
            find = finds[index]
            if find is not None and next(find(data, 0), None) is None:
                continue  # what applying it would have answered
            if deferred[index] is not None and find is not None:
                data = deferred[index].apply(data, find)
                continue
            matched, start = True, 0  # the stock loop: again from after each match
            while matched:
                data, matched, start = apply(patterns[index], data, index, start)
        return data


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
    ``parseBlocks``, which nested blocks (lists, quotes) call again; the
    processors are read again from the Registry at the start of each document
    (the parser's ``parseDocument``), so that one registered later is asked.
    """

    def __init__(self, parser: BlockParser) -> None:
        self.parser = parser
        self.document = parser.parseDocument
        self.processors: tuple[blocks.BlockProcessor, ...] = ()
        self.steps: tuple[tuple[blocks.BlockProcessor, tuple[str, ...], str], ...] = ()
        self.refresh()

    def refresh(self) -> None:
        processors = tuple(self.parser.blockprocessors)
        if not _same(self.processors, processors):
            self.processors = processors
            self.steps = tuple(
                (p, _BLOCK_NEEDS.get(type(p), ()), _LINE_STARTS.get(type(p), ""))
                for p in processors
            )

    def parse_document(self, lines: list[str]) -> etree.ElementTree:
        """The parser's ``parseDocument``, with the processors read again first."""
        self.refresh()
        return self.document(lines)

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


class _Watched(list):  # type: ignore[type-arg]
    """A list that calls ``changed`` after every change in place."""

    def __init__(self, items: list[str], changed: Callable[[], object]) -> None:
        super().__init__(items)
        self.changed = changed


def _watching(name: str) -> Callable[..., Any]:
    stock = getattr(list, name)

    def method(self: _Watched, *args: Any, **kwargs: Any) -> Any:
        result = stock(self, *args, **kwargs)
        self.changed()
        return result

    method.__name__ = name
    return method


for _name in (
    "append",
    "extend",
    "insert",
    "remove",
    "pop",
    "clear",
    "sort",
    "reverse",
    "__setitem__",
    "__delitem__",
    "__iadd__",
    "__imul__",
):
    setattr(_Watched, _name, _watching(_name))


class _BlockLevel:
    """``Markdown.is_block_level`` answered from a memo (the stock one scans a list).

    Called for nearly every element by several passes.  The answer depends only on
    the tag and on ``md.block_level_elements``, which an extension may change after
    loading (md_in_html reads it afresh): the list is replaced by one that empties
    the memo when changed in place, and one assigned in its place is watched in turn.
    """

    def __init__(self, md: markdown.Markdown) -> None:
        self.md = md
        self.stock = md.is_block_level
        self.memo: dict[object, bool] = {}
        self.watched = md.block_level_elements = _Watched(md.block_level_elements, self.memo.clear)

    def __call__(self, tag: object) -> bool:
        if self.md.block_level_elements is not self.watched:  # a new list was assigned
            self.memo.clear()
            self.watched = self.md.block_level_elements = _Watched(
                self.md.block_level_elements, self.memo.clear
            )
        try:
            return self.memo[tag]
        except KeyError:
            answer = self.memo[tag] = self.stock(tag)
            return answer


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


class Speedups:
    """Installs the speedups in a configured Markdown; ``prepare`` is called per text.

    Only where :func:`status` answers None: ``MarkdownRenderer`` checks.
    """

    def __init__(self, md: markdown.Markdown) -> None:
        md.is_block_level = _BlockLevel(md)  # type: ignore[method-assign]
        if md.serializer is serializers.to_html_string:
            md.serializer = to_html
        md.treeprocessors.register(_Inline(md, _NEEDS), "inline", 20)
        if type(md.preprocessors["normalize_whitespace"]) is NormalizeWhitespace:
            md.preprocessors.register(_NormalizeWhitespace(md), "normalize_whitespace", 30)
        parsing = _BlockParsing(md.parser)
        md.parser.parseBlocks = parsing  # type: ignore[method-assign]
        md.parser.parseDocument = parsing.parse_document  # type: ignore[method-assign]
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
        and sources from front matter): it never meets the preprocessors.  ``text``
        is looked at as every pass sees it: without STX and ETX, which python-markdown
        removes first (a ``<div>`` or a fence with STX inside is one to it).
        """
        if STX in text or ETX in text:
            text = text.replace(STX, "").replace(ETX, "")
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
