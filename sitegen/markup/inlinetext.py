"""python-markdown's placeholders put back into the tree, in linear time.

Part of :mod:`sitegen.markup.speedups`.  The stock inline pass appends each
piece of text between two placeholders to the text (or tail) before it with
``+=``, copying all of it each time: a paragraph of 50,000 entities (``&amp;``)
or escapes took quadratic time.  Here the pieces that go to the same place are
collected and joined once; the strings are the same.
"""

from __future__ import annotations

import xml.etree.ElementTree as etree
from typing import Any

from markdown import util


class _Text:
    """Text pieces in waiting for the place they go to (a text or a tail)."""

    def __init__(self, parent: etree.Element, is_text: bool) -> None:
        self.parent, self.is_text = parent, is_text
        self.pieces: list[str] = []

    def flush(self, result: list[tuple[etree.Element, list[str]]]) -> None:
        """Appends the pieces where the stock ``linkText`` would have, one by one."""
        pieces = [piece for piece in self.pieces if piece]
        self.pieces = []
        if not pieces:
            return
        if result:
            target, name = result[-1][0], "tail"
        else:
            target, name = self.parent, "text" if self.is_text else "tail"
        before = getattr(target, name)
        # As ``+=`` does: a piece alone on an empty place keeps its type (an AtomicString).
        joined = pieces[0] if len(pieces) == 1 else "".join(pieces)
        setattr(target, name, before + joined if before else joined)


def process_placeholders(
    inline: Any, data: str | None, parent: etree.Element, is_text: bool = True
) -> list[tuple[etree.Element, list[str]]]:
    """The stock ``InlineProcessor.__processPlaceholders``, its text joined once per place."""
    prefix = util.INLINE_PLACEHOLDER_PREFIX
    stashed = inline.stashed_nodes
    result: list[tuple[etree.Element, list[str]]] = []
    text = _Text(parent, is_text)
    start = 0
    while data:
        index = data.find(prefix, start)
        if index == -1:
            rest = data[start:]
            atomic = isinstance(data, util.AtomicString)
            text.pieces.append(util.AtomicString(rest) if atomic else rest)
            break
        id, end = inline._InlineProcessor__findPlaceholder(data, index)
        if id not in stashed:  # not a placeholder after all
            text.pieces.append(data[start : index + len(prefix)])
            start = index + len(prefix)
            continue
        node = stashed.get(id)
        if index > 0:
            text.pieces.append(data[start:index])
        if isinstance(node, str):
            text.pieces.append(node)
            start = end
            continue
        for child in [node, *node]:
            if child.tail and child.tail.strip():
                inline._InlineProcessor__processElementText(node, child, False)
            if child.text and child.text.strip():
                inline._InlineProcessor__processElementText(child, child)
        start = end
        text.flush(result)
        result.append((node, inline.ancestors[:]))
    text.flush(result)
    return result
