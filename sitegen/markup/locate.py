"""Where in the editor's file a piece of a body was written, for messages about it.

python-markdown keeps no line numbers, so a problem found in the tree or in
raw HTML is looked up by its text (a shortcode, a tag as written, an
attribute) in the body as the preprocessors saw it.  Fenced code and code
spans are left out of the search (nothing there is ever reported), and each
occurrence answers once: a second ``<script>`` is found on the second
``<script>`` line.  Only run when there is something to report.
"""

from __future__ import annotations

import re
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
    """Finds the file line of a text of the body; each occurrence is given out once."""

    def __init__(self, lines: list[str], body_line: int) -> None:
        self.text = _masked(lines)
        self.body_line = body_line
        self.taken: list[tuple[int, int]] = []

    @classmethod
    def of(cls, md: markdown.Markdown, text: str, context: BodyContext) -> Locator:
        """A locator over ``text`` as python-markdown's first preprocessor leaves it."""
        normalize = md.preprocessors["normalize_whitespace"]
        return cls(normalize.run(text.split("\n")), context.body_line)

    def find(self, needle: str, rank: Rank = indented) -> int | None:
        """The file line of the likeliest occurrence of ``needle`` not given out yet."""
        needle = needle.lower()
        if not needle.strip():
            return None
        best: tuple[int, int] | None = None
        at = self.text.find(needle)
        while at >= 0:
            end = at + len(needle)
            if not any(start < end and at < stop for start, stop in self.taken):
                line_start = self.text.rfind("\n", 0, at) + 1
                line_end = self.text.find("\n", at)
                line = self.text[line_start : line_end if line_end >= 0 else None]
                score = rank(line, needle)
                if best is None or score < best[0]:
                    best = (score, at)
                if score == 0:
                    break
            at = self.text.find(needle, at + 1)
        if best is None:
            return None
        at = best[1]
        self.taken.append((at, at + len(needle)))
        return self.body_line + self.text.count("\n", 0, at)

    def line(self, needles: Iterable[str], rank: Rank = indented) -> int:
        """The line of the first of ``needles`` found; the body's first line if none is."""
        for needle in needles:
            found = self.find(needle, rank)
            if found is not None:
                return found
        return self.body_line
