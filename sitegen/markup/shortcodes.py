"""sitegen's shortcodes: ``{{< kind id >}}`` alone on a line, and every other use of one.

Quotes and images are embedded this way.  Being a block processor, an embed
works inside list items and blockquotes and never inside code blocks, as
Markdown itself decides; the block is swallowed whole (the speedups are told).
A shortcode on a line of its own right after other text (no blank line
between) is split from it and embedded all the same.

Any other ``{{< ... >}}`` (or Hugo's ``{{% ... %}}``) that reaches the text of
the page is an error: an unknown kind, a known one with other than one id,
or one where it cannot work (inside a paragraph, a heading, a table cell).
Code spans and code blocks keep shortcodes as text (that is how a page shows
one), and so does a backslash before the first brace: ``\\{{< quote q >}}``.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from typing import TYPE_CHECKING

import markdown.blockparser
from markdown.blockprocessors import BlockProcessor
from markdown.inlinepatterns import InlineProcessor

from sitegen.markup.elements import BodyContext

if TYPE_CHECKING:
    from sitegen.markup.locate import Locator
    from sitegen.markup.sitrep import SitreExtension

KINDS = ("quote", "image")  # in the order messages name them
# Any shortcode as Hugo writes them: the inside of {{< >}} (group 1) or {{% %}} (group 2),
# or the rest of the line after an opening that is never closed.
ANY = re.compile(r"\{\{<(.*?)>\}\}|\{\{%(.*?)%\}\}|\{\{[<%][^\n]*", re.S)


def shortcode(kind: str) -> re.Pattern[str]:
    return re.compile(rf"^\{{\{{<\s*{kind}\s+(\S+?)\s*>\}}\}}$")


_EMBEDS = tuple(shortcode(kind) for kind in KINDS)


def problem(written: str, in_html: str | None = None) -> str:
    """What is wrong with a shortcode found in the text of the page (where none works).

    ``in_html``: the raw HTML element it was found in, if any.
    """
    match = ANY.fullmatch(written)
    if match is None or match.lastindex is None:
        closer = "%}}" if written.startswith("{{%") else ">}}"
        return f"{written.strip()[:40]!r} opens a shortcode that is not closed with {closer}"
    percent = match.lastindex == 2
    words = match.group(match.lastindex).split()
    kind = words[0] if words else ""
    shown = "{{< " + " ".join(words) + " >}}"
    if kind.startswith("/*"):
        return (
            f"{written}: to show a shortcode as text, write it in a code span "
            "or with a backslash before it: \\{{< ... >}}"
        )
    if kind not in KINDS:
        return f"unknown shortcode {kind!r} (known: {', '.join(KINDS)})"
    if len(words) != 2:
        example = f"{{{{< {kind} {words[1] if len(words) > 1 else 'ID'} >}}}}"
        return f"{shown} takes one {kind} id: write {example} alone on a line"
    if in_html is not None:
        element = f" (<{in_html}>)" if in_html else ""
        return f"{shown} inside raw HTML{element} is not read: put it outside, alone on a line"
    if percent:
        return f"{written} is written {shown}, alone on a line"
    return f"{shown} must stand alone on a line"


class StrayShortcodes(InlineProcessor):
    """Notes every shortcode left in text, for :func:`report`; the text stays as it is.

    Registered below backticks and backslash escapes, so code spans and escaped
    braces never reach it, and above links and raw HTML, so it sees each
    shortcode whole and once.
    """

    # Its regex looks at nothing before a match, nor does handleMatch: the speedups may
    # put all its matches in place at once (sitegen.markup.linear).
    lookbehind = ""

    def __init__(self, extension: SitreExtension, md: markdown.Markdown) -> None:
        super().__init__(ANY.pattern, md)
        self.extension = extension

    def handleMatch(self, m: re.Match[str], data: str) -> tuple[None, int, int]:
        context = self.extension.context
        if context is not None:
            context.stray.append(m.group(0))
        return None, m.start(0), m.end(0)


_MARKERS = re.compile(r"^[\s>]*(?:[-*+]\s+|\d+[.)]\s+)?")


def _standalone(line: str, needle: str) -> int:
    """Rank for :class:`Locator`: a shortcode alone on its line was most likely embedded."""
    if line.startswith("    "):
        return 2
    return 1 if _MARKERS.sub("", line).strip() == needle else 0


def report(locator: Locator, context: BodyContext) -> None:
    """An error at its line for each shortcode left in text."""
    for written in context.stray:
        needles = (written, written.split("\n", 1)[0])
        context.problems.error(locator.line(needles, _standalone), "", problem(written))


class ShortcodeLines(BlockProcessor):
    """A block with an embed on a line of its own among other lines: split around it.

    ``Text\\n{{< quote q >}}`` is one paragraph to Markdown; the editor meant
    the text and then the quote.
    """

    def __init__(self, extension: SitreExtension, parser: markdown.blockparser.BlockParser) -> None:
        super().__init__(parser)
        self.extension = extension

    def test(self, parent: etree.Element, block: str) -> bool:
        if "{{<" not in block or self.extension.context is None:
            return False
        return "\n" in block.strip() and _embed_line(block) is not None

    def run(self, parent: etree.Element, blocks: list[str]) -> bool:
        lines = blocks[0].split("\n")
        at = _embed_line(blocks[0])
        if at is None:
            return False
        pieces = ["\n".join(lines[:at]), lines[at], "\n".join(lines[at + 1 :])]
        blocks[0:1] = [piece for piece in pieces if piece.strip()]
        return True


def _embed_line(block: str) -> int | None:
    """The index of the first line of ``block`` that is an embed, if any.

    None if it may be code: the block has a fence line (a fence Markdown did
    not take, as in a list item), or a code span is still open before it.
    """
    lines = block.split("\n")
    if any(line.lstrip().startswith(("```", "~~~")) for line in lines):
        return None
    for index, line in enumerate(lines):
        if "{{<" in line and any(embed.match(line.strip()) for embed in _EMBEDS):
            before = "\n".join(lines[:index])
            return None if "`" in _CODE_SPAN.sub("", before) else index
    return None


_CODE_SPAN = re.compile(r"(`+).+?(?<!`)\1(?!`)", re.S)


class ShortcodeBlock(BlockProcessor):
    """A paragraph that is only ``{{< kind id >}}``: :meth:`embed` puts what it names there."""

    pattern: re.Pattern[str]

    def __init__(self, extension: SitreExtension, parser: markdown.blockparser.BlockParser) -> None:
        super().__init__(parser)
        self.extension = extension

    def test(self, parent: etree.Element, block: str) -> bool:
        return self.extension.context is not None and self.pattern.match(block.strip()) is not None

    def run(self, parent: etree.Element, blocks: list[str]) -> bool:
        context = self.extension.context
        block = blocks[0]
        match = self.pattern.match(block.strip())
        if context is None or match is None:
            return False
        blocks.pop(0)
        if self.extension.speedups is not None:
            self.extension.speedups.swallowed(block)
        self.embed(parent, match.group(1), context)
        return True

    def embed(self, parent: etree.Element, name: str, context: BodyContext) -> None:
        raise NotImplementedError
