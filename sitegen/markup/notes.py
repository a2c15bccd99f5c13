"""Footnotes lettered a, b, c: never confused with citations, which are numbered [1], [2].

A post cites sources ``[1]`` and may also have Markdown footnotes, which
python-markdown numbers from 1 as well: two "1"s in one paragraph, one a
source and one a remark.  This pass letters the footnote marks, labels them
for screen readers ("Note a"), and heads the notes' list so that the page
says which is which.  It runs after the contents are made, so the notes'
heading is not a section of the report.
"""

from __future__ import annotations

import xml.etree.ElementTree as etree

from markdown.treeprocessors import Treeprocessor


def letter(number: int) -> str:
    """1 -> a, 26 -> z, 27 -> aa: spreadsheet-column letters."""
    text = ""
    while number > 0:
        number, rest = divmod(number - 1, 26)
        text = chr(ord("a") + rest) + text
    return text


class LetteredNotes(Treeprocessor):
    """Footnote marks and the notes' list, lettered; the list headed "Notes"."""

    def run(self, root: etree.Element) -> None:
        notes = next((e for e in root.iter("div") if e.get("class") == "footnote"), None)
        if notes is None:
            return
        for link in root.iter("a"):
            kind = link.get("class")
            if kind == "footnote-ref" and (link.text or "").isdigit():
                link.text = letter(int(link.text or 0))
                link.set("aria-label", f"Note {link.text}")
            elif kind == "footnote-backref":
                number = (link.get("title") or "").rsplit(" ", 1)[-1]
                if number.isdigit():
                    link.set("title", f"Back to note {letter(int(number))}")
                    link.set("aria-label", f"Back to note {letter(int(number))}")
        notes.tag = "section"
        notes.set("aria-labelledby", "footnotes-title")
        rule = notes.find("hr")
        if rule is not None:
            notes.remove(rule)
        heading = etree.Element("h2", {"id": "footnotes-title"})
        heading.text = "Notes "
        key = etree.SubElement(heading, "span", {"class": "list-key"})
        key.text = "marked a, b, c in the text"
        heading.tail = "\n"
        notes.insert(0, heading)
        for ol in notes.iter("ol"):
            ol.set("class", "notes")
