"""How deeply a body's blocks may nest: at most :data:`LIMIT` levels, or a clear error.

python-markdown parses a blockquote, a list item, a footnote or an HTML block
with ``markdown="1"`` by calling its block parser again on what is inside, so
each level of nesting costs stack frames (two to eight) and work on all the
text inside it again.  A few hundred levels end in ``RecursionError`` (with or
without the speedups, at a depth that depends on the caller's own stack), or,
for blockquotes, in python-markdown silently leaving the rest of the quote as
text; a thousand nested list items take half a minute before failing.  No
report needs more than a handful of levels, so sitegen converts at most
:data:`LIMIT` and reports the line where a body goes deeper (any RecursionError
is reported as well, never shown as a traceback).
"""

from __future__ import annotations

import xml.etree.ElementTree as etree
from collections.abc import Callable

import markdown
from markdown.blockparser import BlockParser

# Levels of blocks inside blocks (blockquotes, list items, ...): docs/front-matter.md says it.
# A level of list items indented by four spaces takes python-markdown eight stack frames:
# 50 levels leave more than half of Python's default recursion limit to the caller.
LIMIT = 50


class TooDeep(Exception):
    """A body nests its blocks deeper than :data:`LIMIT` levels."""


class NestingGuard:
    """Installed as the block parser's ``parseBlocks``: counts the elements being filled.

    Every nested block (a quote, a list item, a footnote) is parsed by a call
    with a new parent element; calls that go on filling the same element (a list
    item's indented second paragraph) are one level.  Raises :class:`TooDeep`
    before the parser goes past :data:`LIMIT`, so the stack never gets near
    Python's recursion limit and a deep list costs no more than LIMIT levels of it.
    """

    def __init__(self, parser: BlockParser) -> None:
        self.parse: Callable[[etree.Element, list[str]], None] = parser.parseBlocks
        self.filling: set[int] = set()  # ids of the elements being filled, the root's included
        parser.parseBlocks = self  # type: ignore[method-assign]

    def __call__(self, parent: etree.Element, blocks: list[str]) -> None:
        key = id(parent)
        if key in self.filling:
            self.parse(parent, blocks)
            return
        if len(self.filling) > LIMIT:  # the root and LIMIT levels are open
            raise TooDeep
        self.filling.add(key)
        try:
            self.parse(parent, blocks)
        finally:
            self.filling.discard(key)


def message(found: bool) -> str:
    """What is wrong; ``found``: whether the line where the nesting goes too deep is known."""
    if not found:
        return "the body is nested too deeply to convert (Python's recursion limit)"
    return (
        f"blocks nested deeper than {LIMIT} levels (blockquotes, list items, footnotes, "
        'HTML with markdown="1" inside one another): sitegen converts at most '
        f"{LIMIT}; write it flatter"
    )


def crossing_line(md: markdown.Markdown, text: str) -> int | None:
    """The index of the line of ``text`` where its nesting first goes past the limit.

    Found by parsing ever shorter beginnings of the body (a binary search: a few
    dozen block parses at most, each stopped at the limit), as python-markdown
    keeps no line numbers.  None if the blocks are not too deep (a RecursionError
    came from elsewhere).
    """
    lines = text.split("\n")
    if not _too_deep(md, lines):
        return None
    low, high = 0, len(lines)  # lines[:low] is within the limit, lines[:high] is not
    while high - low > 1:
        middle = (low + high) // 2
        if _too_deep(md, lines[:middle]):
            high = middle
        else:
            low = middle
    return high - 1


def _too_deep(md: markdown.Markdown, lines: list[str]) -> bool:
    """Whether the blocks of these lines nest too deeply (preprocessed as ``convert`` does)."""
    md.reset()
    for preprocessor in md.preprocessors:
        lines = preprocessor.run(lines)
    try:
        md.parser.parseDocument(lines)
    except (TooDeep, RecursionError):
        return True
    return False
