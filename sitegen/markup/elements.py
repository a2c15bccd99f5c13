"""The elements that citations and quote embeds become, and what one conversion knows.

Used by :mod:`sitegen.markup.sitrep`'s inline pattern, block processor and
numbering pass; kept apart from them as plain element building.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from dataclasses import dataclass, field

from markdown.util import AtomicString

from sitegen.errors import Problems
from sitegen.model import Picture, Quote, Source


@dataclass
class BodyContext:
    """What one conversion may refer to, and what it found (citation order)."""

    problems: Problems
    body_line: int
    sources: dict[str, Source]
    quotes: dict[str, Quote]
    reported: set[str] = field(default_factory=set)  # bad ids already reported in front matter
    text: str = ""  # the Markdown body
    bundle: str | None = None  # the page bundle's folder: where relative images are
    image_ids: dict[str, int] = field(default_factory=dict)  # front matter's: id -> index
    embedded: list[str] = field(default_factory=list)  # image ids embedded, in order
    twice: set[str] = field(default_factory=set)  # image ids embedded more than once
    pictures: list[Picture] = field(default_factory=list)  # the body's own Markdown images
    cited: list[str] = field(default_factory=list)
    unknown: set[tuple[str, str]] = field(default_factory=set)  # ("source"|"quote"|"image", id)
    lines: dict[tuple[str, str], int] = field(default_factory=dict)  # first line of each id
    code_lines: dict[tuple[str, str], int] = field(default_factory=dict)  # ... on indented lines
    pending: dict[etree.Element, list[str]] = field(default_factory=dict)  # citations to fill
    stray: list[str] = field(default_factory=list)  # shortcodes left in text, as written
    html: list[tuple[tuple[str, ...], str]] = field(default_factory=list)  # (texts, warning)

    @property
    def first_body_image(self) -> int:
        """The index in ``Post.images`` of the body's first Markdown image."""
        return len(self.image_ids)

    def number(self, source_id: str) -> int:
        if source_id not in self.cited:
            self.cited.append(source_id)
        return self.cited.index(source_id) + 1


def cite_element(ids: list[str], context: BodyContext) -> etree.Element:
    """An empty ``<sup class="cite">``, which _Number fills once the inline pass is done.

    Empty until then because the inline pass visits the text and tail of every
    child of the elements it makes, and a citation's links have nothing for it.
    """
    sup = etree.Element("sup", {"class": "cite"})
    context.pending[sup] = ids
    return sup


def fill_citation(sup: etree.Element, ids: list[str], context: BodyContext) -> None:
    """``<sup class="cite">[<a href="#source-x">1</a>, …]</sup>``, numbered in document order."""
    sup.text = "["
    for position, source_id in enumerate(ids):
        link = etree.SubElement(
            sup, "a", {"href": f"#source-{source_id}", "title": context.sources[source_id].name}
        )
        link.text = str(context.number(source_id))
        link.tail = "]" if position == len(ids) - 1 else ", "


def quote_figure(parent: etree.Element, quote: Quote, context: BodyContext) -> None:
    """``<figure><blockquote cite><p>…</p></blockquote><figcaption>…</figcaption></figure>``.

    Built as elements so that the caption's ``[@source]`` is numbered by the
    inline pass in document order; the quote's own text is atomic (never Markdown).
    """
    source = context.sources.get(quote.source or "")
    figure = etree.SubElement(parent, "figure", {"class": "quote", "id": f"quote-{quote.id}"})
    blockquote = etree.SubElement(figure, "blockquote")
    if source and source.url:
        blockquote.set("cite", source.url)
    for paragraph in re.split(r"\n\s*\n", quote.text):
        if paragraph.strip():
            etree.SubElement(blockquote, "p").text = AtomicString(" ".join(paragraph.split()))
    if not quote.speaker and not source:
        return
    caption = etree.SubElement(figure, "figcaption")
    parts: list[etree.Element] = []
    if quote.speaker:
        parts.append(_text_element("span", quote.speaker, {"class": "quote-speaker"}))
    if source:
        # The speaker once: "Ensign Rees Howell Gronow, 1st Foot Guards" names the outlet.
        name, speaker = source.name.casefold(), (quote.speaker or "").casefold()
        if not speaker or (name not in speaker and speaker not in name):
            parts.append(_text_element("span", source.name, {"class": "quote-source"}))
        if source.title or source.url:
            cite = etree.Element("cite")
            label = source.title or source.name
            if source.url:
                cite.append(_text_element("a", label, {"href": source.url}))
            else:
                cite.text = AtomicString(label)
            parts.append(cite)
    for position, part in enumerate(parts):
        caption.append(part)
        part.tail = ", " if position < len(parts) - 1 else None
    if source:  # numbered by _Cite, in order with the body's citations; then the grade
        parts[-1].tail = f"[@{source.id}]" + (" " if source.grade else "")
        if source.grade:
            attrs = {"class": "grade", "data-grade": source.grade, "title": source.grade_meaning}
            grade = _text_element("abbr", source.grade, attrs)
            grade.tail = None
            caption.append(grade)


def _text_element(tag: str, text: str, attrs: dict[str, str]) -> etree.Element:
    element = etree.Element(tag, attrs)
    element.text = AtomicString(text)
    return element
