"""Markdown for SITREPs: python-markdown plus inline citations and embedded quotes.

``[@ft]`` / ``[@a; @b]`` (pandoc's citation form) become numbered links to the
post's source list, numbered in order of first citation; ``{{< quote id >}}``
alone on a line embeds a front-matter quote as ``<figure><blockquote>``, and
``{{< image id >}}`` a front-matter image (see :mod:`sitegen.markup.images`);
any other shortcode is an error (:mod:`sitegen.markup.shortcodes`), and raw
HTML is checked (:mod:`sitegen.markup.rawhtml`).
All are Markdown-aware (an inline pattern and a block processor), so code blocks and
code spans stay literal; an unknown id is then looked up in the source lines so
that it is reported where the editor wrote it.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import markdown
import markdown.blockparser
from markdown.extensions import Extension
from markdown.extensions.toc import slugify_unicode
from markdown.inlinepatterns import InlineProcessor
from markdown.treeprocessors import Treeprocessor
from markdown.util import STX

from sitegen.markup import nesting, upstream
from sitegen.markup.elements import BodyContext, cite_element, fill_citation, quote_figure
from sitegen.markup.images import IMAGE, ImageBlock, MarkdownImages
from sitegen.markup.notes import LetteredNotes
from sitegen.markup.rawhtml import RawHtmlTree, report_body
from sitegen.markup.shortcodes import ShortcodeBlock, ShortcodeLines, StrayShortcodes, shortcode

if TYPE_CHECKING:  # imported only where the check passes: it uses python-markdown's internals
    from sitegen.markup.speedups import Speedups

_ID = r"[A-Za-z0-9_][A-Za-z0-9_.:-]*?"
CITATION = re.compile(rf"\[(@{_ID}(?:\s*;\s*@{_ID})*)\]")
QUOTE = shortcode("quote")
_FENCE = re.compile(r"^\s{0,3}(`{3,}|~{3,})")
_CODE_SPAN = re.compile(r"(`+).+?\1")


def _note_lines(lines: list[str], context: BodyContext) -> None:
    """Notes the file line of each citation and quote shortcode (for error messages).

    Markdown itself decides what is code; this pass only remembers where an id
    first appears outside fenced code, so an unknown one can be reported at the
    editor's line.  ``lines`` are the body as python-markdown's first
    preprocessor leaves it.  Run only when there is something to report.
    """
    fence: str | None = None
    for index, line in enumerate(lines):
        if fence is not None:
            stripped = line.strip()
            if stripped.startswith(fence) and not stripped.strip(fence[0]):
                fence = None
            continue
        if match := _FENCE.match(line):
            fence = match.group(1)
            continue
        file_line = context.body_line + index
        # Indented lines may be code: remembered only if nothing better turns up.
        lines_of = context.code_lines if line.startswith(("    ", "\t")) else context.lines
        if match := QUOTE.match(line.strip()):
            lines_of.setdefault(("quote", match.group(1)), file_line)
        if match := IMAGE.match(line.strip()):
            if ("image", match.group(1)) in lines_of:  # embedded again: reported here
                lines_of.setdefault(("image-again", match.group(1)), file_line)
            lines_of.setdefault(("image", match.group(1)), file_line)
        for match in CITATION.finditer(_CODE_SPAN.sub("", line)):
            for source_id in _ids(match):
                lines_of.setdefault(("source", source_id), file_line)


def _ids(match: re.Match[str]) -> list[str]:
    return [part.strip().lstrip("@") for part in match.group(1).split(";")]


class _Cite(InlineProcessor):
    """``[@a; @b]`` outside code: numbered links to the source list."""

    # Its regex looks at nothing before a match, nor does handleMatch: the speedups may
    # put all its matches in place at once (sitegen.markup.linear).
    lookbehind = ""

    def __init__(self, extension: SitreExtension, md: markdown.Markdown) -> None:
        super().__init__(CITATION.pattern, md)
        self.extension = extension

    def handleMatch(self, m: re.Match[str], data: str) -> tuple[etree.Element | None, int, int]:
        context = self.extension.context
        if context is None:
            return None, m.start(0), m.end(0)
        ids = _ids(m)
        unknown = [i for i in ids if i not in context.sources]
        if unknown:
            context.unknown.update(("source", i) for i in unknown)
            return None, m.start(0), m.end(0)
        return cite_element(ids, context), m.start(0), m.end(0)


class _Number(Treeprocessor):
    """Numbers citations in document order, once inline parsing has found them all.

    The inline pass visits nested elements (lists, tables, quotes) after the
    top-level paragraphs, so numbering there would not follow the text.
    """

    def __init__(self, extension: SitreExtension, md: markdown.Markdown) -> None:
        super().__init__(md)
        self.extension = extension

    def run(self, root: etree.Element) -> None:
        context = self.extension.context
        if context is None or not context.pending:
            return
        pending = context.pending
        for sup in [sup for sup in root.iter("sup") if sup in pending]:
            fill_citation(sup, pending[sup], context)
        for parent in root.iter():  # "in all [1]." never breaks before the "[1]"
            for position, child in enumerate(parent):
                if child in pending:
                    _glue(parent, position)


def _glue(parent: etree.Element, position: int) -> None:
    """The space before the citation at ``position`` of ``parent`` made a no-break space."""
    before = parent[position - 1] if position else None
    text = (before.tail if before is not None else parent.text) or ""
    stripped = text.rstrip(" \t\n")
    if stripped == text or (before is None and not stripped):
        return
    if before is not None:
        before.tail = stripped + "\u00a0"
    else:
        parent.text = stripped + "\u00a0"


class _QuoteBlock(ShortcodeBlock):
    """``{{< quote id >}}`` becomes the quote's figure."""

    pattern = QUOTE

    def embed(self, parent: etree.Element, name: str, context: BodyContext) -> None:
        quote = context.quotes.get(name)
        if quote is None:
            context.unknown.add(("quote", name))
        else:
            quote_figure(parent, quote, context)


class _Headings(Treeprocessor):
    """Keeps citation numbers out of heading ids and the table of contents.

    Runs after numbering and before ``toc``: a heading that cites gets the id and
    the contents label its text would have without the citation.
    """

    def run(self, root: etree.Element) -> None:
        citing = [
            heading
            for heading in root.iter()
            if heading.tag in _HEADINGS
            and "id" not in heading.attrib
            and any(is_citation(sup) for sup in heading.iter("sup"))
        ]
        if not citing:  # as in most posts
            return
        used = {el.get("id") for el in root.iter() if el.get("id")}
        for heading in citing:
            label = " ".join(text_without(heading, is_citation).split())
            slug = base = slugify_unicode(label, "-") or "section"
            number = 0
            while slug in used:
                number += 1
                slug = f"{base}_{number}"
            used.add(slug)
            heading.set("id", slug)
            heading.set("data-toc-label", label)


_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}


class _Lead(Treeprocessor):
    """The first top-level paragraph as plain text, read from the finished tree.

    Posts without a summary use it, and parsing the whole HTML again only to
    find it cost as much as a tenth of a conversion.  The tree cannot say what
    a raw HTML placeholder (STX) will become, nor decode an entity (``&``) the
    way the HTML will, so with either in sight ``lead`` is None and the caller
    reads the HTML instead.  Superscripts (citations, footnote marks) are left out.
    """

    def __init__(self, md: markdown.Markdown) -> None:
        super().__init__(md)
        self.lead: str | None = None

    def run(self, root: etree.Element) -> None:
        self.lead = ""
        for child in root:
            if any(STX in text for text in child.itertext()):
                self.lead = None  # raw HTML: it may hold (or be) the first paragraph
                return
            if child.tag == "p":
                text = text_without(child, is_superscript)
                self.lead = None if "&" in text or STX in text else text
                return


def text_without(element: etree.Element, left_out: Callable[[etree.Element], bool]) -> str:
    """An element's text (of an ElementTree or lxml tree), without the subtrees ``left_out``.

    A left-out element's tail stays: it is the text after it.  Comments and
    processing instructions (non-string tags) are always left out.
    """
    parts = [element.text or ""]
    for child in element:
        if isinstance(child.tag, str) and not left_out(child):
            parts.append(text_without(child, left_out))
        parts.append(child.tail or "")
    return "".join(parts)


def is_citation(element: etree.Element) -> bool:
    return element.tag == "sup" and element.get("class") == "cite"


def is_superscript(element: etree.Element) -> bool:
    """Citations and footnote marks, which a summary leaves out."""
    return element.tag == "sup"


class SitreExtension(Extension):
    """Citations and quotes; ``context`` is set for each conversion."""

    def __init__(self) -> None:
        super().__init__()
        self.context: BodyContext | None = None
        self.speedups: Speedups | None = None  # told of the embeds it swallows

    def extendMarkdown(self, md: markdown.Markdown) -> None:
        # Below backticks (190) and escapes (180), above links (160).
        md.inlinePatterns.register(_Cite(self, md), "sitegen_cite", 175)
        # Just below: shortcodes that no block processor took (above links and raw HTML).
        md.inlinePatterns.register(StrayShortcodes(self, md), "sitegen_shortcodes", 174)
        # Below code blocks (80) and blockquotes (20), above paragraphs (10).
        md.parser.blockprocessors.register(ShortcodeLines(self, md.parser), "sitegen_lines", 15.5)
        md.parser.blockprocessors.register(_QuoteBlock(self, md.parser), "sitegen_quote", 15)
        md.parser.blockprocessors.register(ImageBlock(self, md.parser), "sitegen_image", 14)
        # Right after the inline pass (20), before anything serializes the tree.
        md.treeprocessors.register(_Number(self, md), "sitegen_number", 19)
        md.treeprocessors.register(MarkdownImages(self, md), "sitegen_images", 18)
        # Before the table of contents (5) reads the headings.
        md.treeprocessors.register(_Headings(md), "sitegen_headings", 6)
        # After the contents (5): the notes' heading is not a section of the report.
        md.treeprocessors.register(LetteredNotes(md), "sitegen_notes", 4)
        # Last, once backslash escapes are undone (0).
        md.treeprocessors.register(_Lead(md), "sitegen_lead", -10)
        # After the lead is read: raw HTML Markdown wrapped in <p> is taken out of it.
        md.treeprocessors.register(RawHtmlTree(self, md), "sitegen_raw_html", -20)

    def report(self, md: markdown.Markdown, text: str) -> None:
        """Unknown ids met outside code, each once, at the line where it first appears."""
        context = self.context
        if context is None or not (context.unknown or context.twice):
            return
        # The lines as the preprocessors after normalize_whitespace (30) saw them.
        _note_lines(md.preprocessors["normalize_whitespace"].run(text.split("\n")), context)
        problems = [(kind, name, "") for kind, name in context.unknown]
        problems += [("image", name, "twice") for name in context.twice]
        for kind, name, twice in sorted(problems):
            key = (f"{kind}-again" if twice else kind, name)
            line = context.lines.get(key) or context.code_lines.get(key, context.body_line)
            if twice:
                context.problems.error(line, "", f"the image {name!r} is embedded twice")
            elif kind == "image" and name in context.reported:
                continue  # its front-matter entry is reported
            elif kind in ("quote", "image"):
                declared = context.quotes if kind == "quote" else context.image_ids
                known = ", ".join(sorted(declared)) or "none in front matter"
                context.problems.error(line, "", f"unknown {kind} {name!r} (known: {known})")
            elif name not in context.reported:
                context.problems.error(line, "", f"unknown source {name!r}")


@dataclass(frozen=True)
class Rendered:
    html: str
    toc_html: str
    headings: int
    cited: tuple[str, ...]
    lead: str | None  # the first paragraph's text; None: read it from ``html``


class MarkdownRenderer:
    """One configured python-markdown instance, reset for each post (it is costly to build)."""

    def __init__(self, speedups: bool = True) -> None:
        self.references = SitreExtension()
        self.md = markdown.Markdown(
            extensions=[
                "tables",
                "footnotes",
                "fenced_code",
                "def_list",
                "attr_list",
                "abbr",
                "toc",
                "md_in_html",
                "sane_lists",
                self.references,
            ],
            extension_configs={
                "toc": {"slugify": slugify_unicode, "toc_depth": "2-3"},
                "footnotes": {"BACKLINK_TITLE": "Back to reference %d"},
            },
            output_format="html",
        )
        self.lead: _Lead = self.md.treeprocessors["sitegen_lead"]
        # Off only to check that they change nothing (tests/test_markup.py), or where
        # python-markdown is not the code they were written for (upstream.status()).
        self.speedups: Speedups | None = None
        if speedups and upstream.status() is None:
            from sitegen.markup.speedups import Speedups

            self.speedups = Speedups(self.md)
        self.references.speedups = self.speedups
        nesting.NestingGuard(self.md.parser)  # wraps the speedups' block loop, if installed

    def render(self, text: str, context: BodyContext) -> Rendered:
        self.md.reset()
        self.lead.lead = ""  # as an empty text, which skips the tree passes, has none
        if self.speedups is not None:
            self.speedups.prepare(text, _inserted(context))
        self.references.context = context
        try:
            html = self.md.convert(text)
            self.references.report(self.md, text)
            report_body(self.md, text, context)
        except (nesting.TooDeep, RecursionError):
            self.references.context = None
            return self._too_deep(text, context)
        finally:
            self.references.context = None
        tokens = getattr(self.md, "toc_tokens", [])
        return Rendered(
            html=html,
            toc_html=getattr(self.md, "toc", ""),
            headings=_count(tokens),
            cited=tuple(context.cited),
            lead=self.lead.lead,
        )

    def _too_deep(self, text: str, context: BodyContext) -> Rendered:
        """The error for a body nested past :data:`nesting.LIMIT`, at the line that does."""
        index = nesting.crossing_line(self.md, text)
        line = context.body_line + (index or 0)
        context.problems.error(line, "", nesting.message(index is not None))
        return Rendered(html="", toc_html="", headings=0, cited=(), lead="")


def _inserted(context: BodyContext) -> str:
    """Every front-matter string a conversion may put into the tree (quotes, sources)."""
    parts = [s for q in context.quotes.values() for s in (q.text, q.speaker or "")]
    for source in context.sources.values():
        parts += (source.name, source.title or "", source.url or "")
    return "\n".join(parts)


def _count(tokens: list[dict]) -> int:
    return sum(1 + _count(token.get("children", [])) for token in tokens)
