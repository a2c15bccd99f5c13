"""The block structure of an old post in python-markdown's terms: lists, tables,
headings, quotes and code.

markdownify writes Markdown in the CommonMark manner; python-markdown, which
sitegen renders with, differs: the content of a list item is indented by four
spaces whatever the marker's width, a fenced code block cannot stand inside a
list item or a quote (an indented one can), two lists one after the other are
one list unless something stands between them.  These overrides write what
python-markdown reads back as the HTML's structure.  The tree they see has been
shaped by :mod:`htmltree` (table rows in order, no blocks inside inline markup).
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable

from bs4 import NavigableString, PageElement, Tag
from markdownify import MarkdownConverter, chomp, strip_pre

from sitegen.importers.htmltree import silent
from sitegen.markup.rawhtml import BLOCKS

_CONTAINERS = frozenset({"li", "blockquote", "dd"})  # content indented or quoted in Markdown
_NOT_RAW = frozenset({*_CONTAINERS, "td", "th", "_inline", "pre"})
_INDENT = "    "  # python-markdown's tab length: list content and code blocks


def _start(el: Tag) -> int | None:
    found = re.fullmatch(r"\s*\+?([0-9]{1,9})\s*", str(el.get("start") or ""))
    return int(found.group(1)) if found else None


def _kind(el: PageElement | None) -> str | None:
    name = el.name if isinstance(el, Tag) else None
    return "ol" if name == "ol" else "ul" if name in ("ul", "menu", "dir") else None


def _inline(node: PageElement) -> bool:
    """Whether a node is part of the line it stands in (no block, no line break)."""
    if isinstance(node, Tag):
        return node.name not in BLOCKS and node.name != "br" and node.find([*BLOCKS, "br"]) is None
    return True


def _first_line(el: Tag) -> bool:
    """Whether ``el`` continues the first line of the list item it is in."""
    node = el
    while node.parent is not None and node.parent.name != "li":
        if node.parent.name in BLOCKS or not all(map(_inline, node.previous_siblings)):
            return False
        node = node.parent
    return all(map(_inline, node.previous_siblings))


def _previous(el: PageElement) -> PageElement | None:
    """The sibling before, skipping whitespace and what leaves no Markdown (a comment, a
    dropped element)."""
    node = el.previous_sibling
    while node is not None and (
        silent(node) or (type(node) is NavigableString and not node.strip())
    ):
        node = node.previous_sibling
    return node


def heading_levels(soup: Tag) -> dict[int, int | None]:
    """The Markdown level of each heading level the body uses.

    The post's title is the page's only ``<h1>``: a body that uses ``<h1>`` moves
    down a level, and the levels that would pass ``h6`` close up the gaps above
    them (``h1, h5, h6`` become ``h2, h5, h6``).  A body that uses all six has one
    level too many: its ``<h6>`` becomes a bold line (None).
    """
    used = sorted({int(h.name[1]) for h in soup.find_all(re.compile(r"^h[1-6]$"))})
    if 1 not in used:
        return {}
    if len(used) == 6:
        return {n: n + 1 if n < 6 else None for n in used}
    levels: dict[int, int | None] = {}
    cap = 6
    for n in reversed(used):
        level = min(n + 1, cap)
        levels[n], cap = level, level - 1
    return levels


class BlockConverter(MarkdownConverter):
    """The block-level conversions, for python-markdown."""

    levels: dict[int, int | None]
    _widths: dict[int, int]  # columns of each table, by id()

    def drop(self, what: str) -> str:
        raise NotImplementedError

    @staticmethod
    def _block(markdown: str, parent_tags: set[str]) -> str:
        return markdown if "_inline" in parent_tags else f"\n\n{markdown}\n\n"

    def convert_div(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        if "_inline" in parent_tags:
            return f" {text.strip()} "
        text = text.strip("\n").rstrip()  # an indented code block keeps its first indent
        return f"\n\n{text}\n\n" if text.strip() else ""

    convert_p = convert_div

    def convert_hN(self, n: int, el: Tag, text: str, parent_tags: set[str]) -> str:
        if n > 6:  # no such element: browsers show its text inline
            return text
        text = text.strip()
        if re.search(r"(?<!\\)(?:\\\\)*#$", text):  # an unescaped closing '#' would vanish
            text = text[:-1] + "\\#"
        level = self.levels.get(n, n)
        if not text or "_inline" in parent_tags:
            return text
        if level is None:
            return self._block(f"**{' '.join(text.split())}**", parent_tags)
        return super().convert_hN(level, el, text, parent_tags)

    def convert_hr(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        # Not "---": "- ---" (a rule opening a list item) is a rule in python-markdown.
        return " " if "_inline" in parent_tags else "\n\n* * *\n\n"

    def convert_blockquote(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        if "_inline" in parent_tags:
            return f" {text.strip()} "
        text = text.strip("\n").rstrip()  # an indented code block keeps its first indent
        if not text.strip():
            return "\n"
        quoted = "\n".join(f"> {line}" if line.strip() else ">" for line in text.split("\n"))
        return f"\n\n{quoted}\n\n"

    def convert_pre(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        if "pre" in parent_tags:
            return text  # a <pre> inside a <pre> is part of the outer block
        if "_inline" in parent_tags:  # in a cell or a heading: a code span
            return self.convert_code(el, text, parent_tags)
        if parent_tags & _CONTAINERS and "_inline" not in parent_tags:
            # python-markdown reads fences only at a line's start: indent instead.
            code = strip_pre(text.replace("\r\n", "\n"))
            if not code.strip():
                return ""
            lines = [_INDENT + line if line.strip() else "" for line in code.split("\n")]
            # Right after a list, indented lines would continue its last item.
            after_list = _kind(_previous(el)) is not None
            return ("\n\n<!-- -->" if after_list else "") + "\n\n" + "\n".join(lines) + "\n\n"
        fenced = super().convert_pre(el, text, parent_tags)
        runs = re.findall(r"^[ \t]*(`{3,}|~{3,})", text, re.M)
        if not runs:
            return fenced
        # The code holds a fence line itself: fence with more backticks than it has.
        fence = "`" * (max(len(run) for run in runs) + 1)
        return re.sub(r"^(\n*)```|```(\n*)$", lambda m: m.group(0).replace("```", fence), fenced)

    # -- lists ---------------------------------------------------------------------

    @staticmethod
    def _raw(el: Tag | None, parent_tags: set[str]) -> bool:
        """``<ol reversed>`` has no Markdown: outside other blocks it is kept as HTML
        (``md_in_html`` reads its items' Markdown)."""
        return (
            el is not None
            and el.name == "ol"
            and el.has_attr("reversed")
            and not parent_tags & _NOT_RAW
        )

    def convert_list(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        if "_inline" in parent_tags:  # in a cell or a heading: its text
            return f" {text.strip()} "
        if self._raw(el, parent_tags):
            start = _start(el)
            attributes = " reversed" + (f' start="{start}"' if start is not None else "")
            return f'\n\n<ol{attributes} markdown="1">\n{text.strip()}\n</ol>\n\n'
        if el.name == "ol" and el.has_attr("reversed"):
            self.drop("the reversed numbering of a list inside a list, a quote or a table")
        before = _previous(el)
        if isinstance(before, Tag) and _kind(before) == _kind(el):
            text = "<!-- -->\n\n" + text  # else python-markdown reads the two lists as one
        if "li" in parent_tags:
            # Right after an item's first line a list needs no blank line, and stays tight;
            # after more, python-markdown reads it as text unless a blank line comes first.
            return ("\n" if _first_line(el) else "\n\n") + text.rstrip() + "\n\n"
        return "\n\n" + text.strip("\n") + "\n\n"

    convert_ul = convert_list
    convert_ol = convert_list
    convert_menu = convert_list
    convert_dir = convert_list

    def convert_li(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        if "_inline" in parent_tags:
            return f" {text.strip()} "
        if self._raw(el.parent, parent_tags):
            return f'<li markdown="block">\n\n{text.strip()}\n\n</li>\n'
        if not text.strip():
            return "\n"
        bullet = "-"
        if el.parent is not None and el.parent.name == "ol":
            bullet = f"{(_start(el.parent) or 1) + len(el.find_previous_siblings('li'))}."
        return _item(bullet, text)

    def convert_dd(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        if "_inline" in parent_tags or not text.strip():
            return f" {text.strip()} " if "_inline" in parent_tags else "\n"
        before = _previous(el)
        while isinstance(before, Tag) and before.name == "dd":
            before = _previous(before)
        if isinstance(before, Tag) and before.name == "dt" and before.get_text().strip():
            return _item(":  ", text)
        return self.convert_div(el, text, parent_tags)  # no term: python-markdown needs one

    # -- tables ----------------------------------------------------------------------

    def convert_td(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        flat = " ".join(text.split("\n")).strip()
        if el.parent is None or el.parent.name != "tr":  # a cell inside a cell: its text only
            return f" {flat} "
        return " " + flat + " |" * _span(el)

    convert_th = convert_td

    def convert_tr(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        """A row, padded to the widest row (python-markdown drops cells past the head's);
        the first row heads the table, as Markdown needs one."""
        table = el.parent
        if table is None or table.name != "table":
            return text
        width = self._widths.get(id(table))
        if width is None:
            rows = table.find_all("tr", recursive=False)
            width = self._widths[id(table)] = max(_width(row) for row in rows)
        if not width:
            return ""
        row = "|" + text + " |" * (width - _width(el)) + "\n"
        if el.find_previous_sibling("tr") is None:
            row += "| " + " | ".join(["---"] * width) + " |\n"
        return row

    # -- inline HTML that Markdown has no syntax for ----------------------------------

    def convert_abbr(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        title = " ".join(str(el.get("title") or "").split())
        prefix, suffix, inner = chomp(text)
        if not title or not inner or "_noformat" in parent_tags:
            return text
        return f'{prefix}<abbr title="{html.escape(title)}">{inner}</abbr>{suffix}'

    def get_conv_fn(self, tag_name: str) -> Callable[..., str] | None:
        name = tag_name.lower()
        found = super().get_conv_fn(tag_name)
        if name not in BLOCKS and name != "table":
            return found
        convert = found or self.convert_div  # <address>, <aside>, <details>: a block of its own

        def block(el: Tag, text: str, parent_tags: set[str]) -> str:
            # Even an empty block ends the text before it (<i>a<p></p>b</i>: two lines); in a
            # heading or a cell, a space does.
            converted = convert(el, text, parent_tags)
            if "_inline" in parent_tags:
                return f" {converted.strip()} "
            return converted or "\n\n"

        return block


def _item(marker: str, text: str) -> str:
    """A list item or a definition: the marker, then the lines after it indented.  A code
    block or a quote that opens the item starts on the line after the marker."""
    lines = text.rstrip().split("\n")
    while not lines[0].strip():  # a line break first: nothing to show
        del lines[0]
    # After an item of paragraphs or code, the next needs a blank line (else it is text).
    loose = "\n\n" in text.strip() or all(line.startswith(_INDENT) for line in lines)
    if lines[0].startswith((_INDENT, ">")):  # python-markdown misreads these after a marker
        lines = ["&#32;", "", *lines]  # a space: "- " alone would lose its space, and its item
    out = [f"{marker} {lines[0].strip()}"]
    out += [_INDENT + line if line.strip() else "" for line in lines[1:]]
    return "\n".join(out) + ("\n\n" if loose else "\n")


def _span(cell: Tag) -> int:
    """The columns a cell spans (written as empty cells after it: Markdown has no colspan)."""
    found = re.fullmatch(r"\s*([0-9]{1,4})\s*", str(cell.get("colspan") or ""))
    return max(1, min(1000, int(found.group(1)))) if found else 1


def _width(row: Tag) -> int:
    return sum(_span(cell) for cell in row.find_all(["td", "th"], recursive=False))
