"""Markdown for SITREPs: python-markdown plus inline citations and embedded quotes.

``[@ft]`` / ``[@a; @b]`` (pandoc's citation form) become numbered links to the
post's source list, numbered in order of first citation; ``{{< quote id >}}``
alone on a line embeds a front-matter quote as ``<figure><blockquote>``.  Both
are found by a preprocessor so that unknown ids are reported at their file line;
fenced code and inline code spans are left alone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html import escape

import markdown
from markdown.extensions import Extension
from markdown.extensions.toc import slugify_unicode
from markdown.preprocessors import Preprocessor

from sitegen.errors import Problems
from sitegen.model import Quote, Source

_ID = r"[A-Za-z0-9_][A-Za-z0-9_.:-]*?"
CITATION = re.compile(rf"\[(@{_ID}(?:\s*;\s*@{_ID})*)\]")
QUOTE = re.compile(r"^\s{0,3}\{\{<\s*quote\s+(\S+?)\s*>\}\}\s*$")
_FENCE = re.compile(r"^\s{0,3}(`{3,}|~{3,})")
_BACKTICKS = re.compile(r"`+")


@dataclass
class BodyContext:
    """What one conversion may refer to, and what it found (citation order)."""

    problems: Problems
    body_line: int
    sources: dict[str, Source]
    quotes: dict[str, Quote]
    reported: set[str] = field(default_factory=set)  # bad ids already reported in front matter
    cited: list[str] = field(default_factory=list)

    def number(self, source_id: str) -> int:
        if source_id not in self.cited:
            self.cited.append(source_id)
        return self.cited.index(source_id) + 1


def cite_html(ids: list[str], context: BodyContext) -> str:
    links = ", ".join(
        f'<a href="#source-{escape(i)}" title="{escape(context.sources[i].name)}">'
        f"{context.number(i)}</a>"
        for i in ids
    )
    return f'<sup class="cite">[{links}]</sup>'


def quote_html(quote: Quote, context: BodyContext) -> str:
    source = context.sources.get(quote.source or "")
    paragraphs = [" ".join(p.split()) for p in re.split(r"\n\s*\n", quote.text) if p.strip()]
    body = "".join(f"<p>{escape(p)}</p>" for p in paragraphs)
    cite_attr = f' cite="{escape(source.url)}"' if source and source.url else ""
    caption = []
    if quote.speaker:
        caption.append(f'<span class="quote-speaker">{escape(quote.speaker)}</span>')
    if source:
        name = escape(source.name)
        if source.url:
            name = f'<a href="{escape(source.url)}">{name}</a>'
        caption.append(f"<cite>{name}</cite>{cite_html([source.id], context)}")
    figcaption = f"<figcaption>{', '.join(caption)}</figcaption>" if caption else ""
    return (
        f'<figure class="quote" id="quote-{escape(quote.id)}">'
        f"<blockquote{cite_attr}>{body}</blockquote>{figcaption}</figure>"
    )


class _References(Preprocessor):
    """Replaces citations and quote lines with stashed HTML, reporting unknown ids."""

    def __init__(self, md: markdown.Markdown, extension: SitreExtension) -> None:
        super().__init__(md)
        self.extension = extension

    def run(self, lines: list[str]) -> list[str]:
        context = self.extension.context
        if context is None:
            return lines
        out: list[str] = []
        fence: str | None = None
        for index, line in enumerate(lines):
            file_line = context.body_line + index
            if fence is not None:
                stripped = line.strip()
                if stripped.startswith(fence[0] * len(fence)) and not stripped.strip(fence[0]):
                    fence = None
                out.append(line)
                continue
            if match := _FENCE.match(line):
                fence = match.group(1)
                out.append(line)
                continue
            if match := QUOTE.match(line):
                out.extend(self._quote(match.group(1), file_line, context))
                continue
            out.append(self._citations(line, file_line, context))
        return out

    def _quote(self, quote_id: str, file_line: int, context: BodyContext) -> list[str]:
        quote = context.quotes.get(quote_id)
        if quote is None:
            known = ", ".join(sorted(context.quotes)) or "none in front matter"
            context.problems.error(file_line, "", f"unknown quote {quote_id!r} (known: {known})")
            return [""]
        return ["", self.md.htmlStash.store(quote_html(quote, context)), ""]

    def _citations(self, line: str, file_line: int, context: BodyContext) -> str:
        if "[@" not in line:
            return line
        # Split off inline code spans (`...`, ``...``) so their text stays literal.
        parts: list[str] = []
        pos = 0
        for tick in _BACKTICKS.finditer(line):
            if tick.start() < pos:
                continue
            close = line.find(tick.group(), tick.end())
            if close < 0:
                continue
            parts.append(self._replace(line[pos : tick.start()], file_line, context))
            parts.append(line[tick.start() : close + len(tick.group())])
            pos = close + len(tick.group())
        parts.append(self._replace(line[pos:], file_line, context))
        return "".join(parts)

    def _replace(self, text: str, file_line: int, context: BodyContext) -> str:
        def cite(match: re.Match[str]) -> str:
            ids = [part.strip().lstrip("@") for part in match.group(1).split(";")]
            unknown = [i for i in ids if i not in context.sources]
            for source_id in unknown:
                if source_id not in context.reported:
                    context.problems.error(file_line, "", f"unknown source {source_id!r}")
            if unknown:
                return match.group(0)
            return self.md.htmlStash.store(cite_html(ids, context))

        return CITATION.sub(cite, text)


class SitreExtension(Extension):
    """Registers the citation/quote preprocessor; ``context`` is set per conversion."""

    def __init__(self) -> None:
        super().__init__()
        self.context: BodyContext | None = None

    def extendMarkdown(self, md: markdown.Markdown) -> None:
        # After normalize_whitespace (30), which strips the stash's marker characters,
        # and before fenced code (25) and raw HTML blocks (20) are stashed.
        md.preprocessors.register(_References(md, self), "sitegen_references", 28)


@dataclass(frozen=True)
class Rendered:
    html: str
    toc_html: str
    headings: int
    cited: tuple[str, ...]


class MarkdownRenderer:
    """One configured python-markdown instance, reset for each post (it is costly to build)."""

    def __init__(self) -> None:
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

    def render(self, text: str, context: BodyContext) -> Rendered:
        self.md.reset()
        self.references.context = context
        try:
            html = self.md.convert(text)
        finally:
            self.references.context = None
        tokens = getattr(self.md, "toc_tokens", [])
        return Rendered(
            html=html,
            toc_html=getattr(self.md, "toc", ""),
            headings=_count(tokens),
            cited=tuple(context.cited),
        )


def _count(tokens: list[dict]) -> int:
    return sum(1 + _count(token.get("children", [])) for token in tokens)
