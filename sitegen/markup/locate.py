"""Where in the editor's file a piece of a body was written, for messages about it.

python-markdown keeps no line numbers, so a problem found in the tree or in
raw HTML is looked up by its text (a shortcode, a tag as written, an
attribute) in the body as the preprocessors saw it.  Fenced code and code
spans are left out of the search (nothing there is ever reported), and each
occurrence answers once: a second ``<script>`` is found on the second
``<script>`` line.  Only run when there is something to report.
"""

from __future__ import annotations

import bisect
import re
from collections import deque
from collections.abc import Callable, Iterable

import markdown

from sitegen.markup.elements import BodyContext

_FENCE = re.compile(r"^\s{0,3}(`{3,}|~{3,})")
_CODE_SPAN = re.compile(r"(`+).+?\1")

# How much an occurrence looks like the one meant: lower is likelier.  Called
# with the occurrence's whole line and the needle (both lower-cased).
Rank = Callable[[str, str], int]


def indented(line: str, needle: str) -> int:
    """Lines indented four spaces or more may be code: looked at last."""
    return 1 if line.startswith("    ") else 0


def _masked(lines: list[str]) -> str:
    """The lines joined, lower-cased, with fenced code and code spans blanked out."""
    out: list[str] = []
    fence: str | None = None
    for line in lines:
        if fence is not None:
            stripped = line.strip()
            if stripped.startswith(fence) and not stripped.strip(fence[0]):
                fence = None
            out.append("")
            continue
        if match := _FENCE.match(line):
            fence = match.group(1)
            out.append("")
            continue
        out.append(_CODE_SPAN.sub(lambda m: "\x00" * len(m.group(0)), line))
    return "\n".join(out).lower()


class Locator:
    """Finds the file line of a text of the body; each occurrence is given out once.

    In time linear in the text for each needle however many are asked (a body
    may hold thousands of the same stray shortcode): the occurrences given out
    are disjoint, kept sorted; each needle's occurrences are ranked once, and
    lines counted once.
    """

    def __init__(self, lines: list[str], body_line: int) -> None:
        self.text = _masked(lines)
        self.body_line = body_line
        self.starts: list[int] = []  # the occurrences given out: sorted, disjoint
        self.stops: list[int] = []
        self.queues: dict[tuple[str, Rank], dict[int, deque[int]]] = {}
        self.newlines: list[int] | None = None

    @classmethod
    def of(cls, md: markdown.Markdown, text: str, context: BodyContext) -> Locator:
        """A locator over ``text`` as python-markdown's first preprocessor leaves it."""
        normalize = md.preprocessors["normalize_whitespace"]
        return cls(normalize.run(text.split("\n")), context.body_line)

    def _free(self, at: int, end: int) -> bool:
        """Whether ``[at, end)`` overlaps no occurrence given out."""
        before = bisect.bisect_left(self.starts, end) - 1  # the last one starting before end
        return before < 0 or self.stops[before] <= at

    def find(self, needle: str, rank: Rank = indented) -> int | None:
        """The file line of the likeliest occurrence of ``needle`` not given out yet.

        The lowest rank, then the earliest: from queues per rank, made on the first ask.
        """
        needle = needle.lower()
        if not needle.strip():
            return None
        queues = self.queues.get((needle, rank))
        if queues is None:
            queues = self.queues[(needle, rank)] = self._queues(needle, rank)
        for score in sorted(queues):
            queue = queues[score]
            while queue and not self._free(queue[0], queue[0] + len(needle)):
                queue.popleft()
            if queue:
                at = queue.popleft()
                index = bisect.bisect_left(self.starts, at)
                self.starts.insert(index, at)
                self.stops.insert(index, at + len(needle))
                return self.body_line + self._line_index(at)
        return None

    def _queues(self, needle: str, rank: Rank) -> dict[int, deque[int]]:
        """The free occurrences of ``needle`` by rank, each in the text's order."""
        queues: dict[int, deque[int]] = {}
        at = self.text.find(needle)
        while at >= 0:
            if self._free(at, at + len(needle)):
                line_start = self.text.rfind("\n", 0, at) + 1
                line_end = self.text.find("\n", at)
                line = self.text[line_start : line_end if line_end >= 0 else None]
                queues.setdefault(rank(line, needle), deque()).append(at)
            at = self.text.find(needle, at + 1)
        return queues

    def _line_index(self, at: int) -> int:
        if self.newlines is None:
            self.newlines = [m.start() for m in re.finditer("\n", self.text)]
        return bisect.bisect_left(self.newlines, at)

    def line(self, needles: Iterable[str], rank: Rank = indented) -> int:
        """The line of the first of ``needles`` found; the body's first line if none is."""
        for needle in needles:
            found = self.find(needle, rank)
            if found is not None:
                return found
        return self.body_line
