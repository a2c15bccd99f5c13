"""The block form of sitegen's shortcodes: ``{{< kind id >}}`` alone on a line.

Quotes and images are embedded this way.  Being a block processor, an embed
works inside list items and blockquotes and never inside code blocks, as
Markdown itself decides; the block is swallowed whole (the speedups are told).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from typing import TYPE_CHECKING

import markdown.blockparser
from markdown.blockprocessors import BlockProcessor

from sitegen.markup.elements import BodyContext

if TYPE_CHECKING:
    from sitegen.markup.sitrep import SitreExtension


def shortcode(kind: str) -> re.Pattern[str]:
    return re.compile(rf"^\{{\{{<\s*{kind}\s+(\S+?)\s*>\}}\}}$")


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
