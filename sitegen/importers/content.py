"""What one planned file holds: front matter that sitegen reads back exactly as it
was meant, and the body in Markdown with the files its page bundle gets.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from sitegen.errors import Problems
from sitegen.importers.html2md import Converted, to_markdown
from sitegen.importers.media import Bundle, Uploads
from sitegen.importers.model import Entry
from sitegen.read.frontmatter import join
from sitegen.read.yamlio import load


@dataclass(frozen=True)
class Planned:
    path: Path
    text: str
    title: str
    draft: bool
    notes: tuple[str, ...]
    page: bool = False
    files: tuple[tuple[str, Path], ...] = ()  # (name in the page bundle, the file copied there)
    lines: tuple[tuple[int, str], ...] = ()  # notes about one line of the written file


@dataclass(frozen=True)
class Body:
    """An entry's Markdown and, with ``--media``, the files it brings into its bundle."""

    converted: Converted
    bundle: Bundle | None
    image: str | None  # the featured image's name in the bundle (front matter ``image``)

    @classmethod
    def convert(cls, entry: Entry, uploads: Uploads | None, media: bool = True) -> Body:
        bundle = Bundle(uploads) if uploads is not None and media else None
        converted = to_markdown(
            entry.html, wordpress=entry.wordpress, media=bundle, base=entry.base
        )
        image = bundle.featured(entry.featured) if bundle and entry.featured else None
        return cls(converted, bundle, image)

    @property
    def bundled(self) -> bool:
        return self.bundle is not None and bool(self.bundle.files)

    def settled(self, entry: Entry, uploads: Uploads | None, path: Path, notes: list[str]) -> Body:
        """The body as written at ``path``: an earlier import as one file keeps its links."""
        body = self
        if self.bundled and path.name != "index.md":
            body = Body.convert(entry, uploads, media=False)
            notes.append(
                f"was imported earlier as one file, so its attachments are not copied; "
                f"make it a page bundle ({path.stem}/index.md) and import again to copy them"
            )
        notes += body.converted.dropped
        notes += body.bundle.notes if body.bundle is not None else []
        if not body.converted.markdown.strip():
            notes.append("has an empty body")
        return body

    def planned(
        self, path: Path, data: dict[str, object], draft: bool, notes: list[str], page: bool = False
    ) -> Planned:
        text = join(front_matter(data), self.converted.markdown)
        files = tuple(self.bundle.files.items()) if self.bundle and self.bundled else ()
        lines = _alt_lines(text, self.bundle.no_alt) if self.bundle and files else ()
        return Planned(path, text, str(data["title"]), draft, tuple(notes), page, files, lines)


def _alt_lines(text: str, names: list[str]) -> tuple[tuple[int, str], ...]:
    """Where the written file has a local image without alt text, which sitegen refuses."""
    found = []
    for number, line in enumerate(text.split("\n"), 1):
        for name in dict.fromkeys(names):
            if f"![]({name})" in line or f'![]({name} "' in line:
                found.append(
                    (
                        number,
                        f"the image {name} has no alt text, and sitegen refuses a local image "
                        f"without it: write ![what it shows]({name})",
                    )
                )
    return tuple(found)


def front_matter(data: dict[str, object]) -> str:
    """YAML that sitegen reads back to exactly ``data`` (checked, not hoped)."""
    text = yaml.safe_dump(
        data, allow_unicode=True, sort_keys=False, default_flow_style=False, width=1_000_000
    )
    problems = Problems("front matter")
    loaded = load(text, problems)
    expected = {k: _as_read(v) for k, v in data.items()}
    if problems.items or not isinstance(loaded, dict) or dict(loaded) != expected:
        raise AssertionError(f"front matter does not round-trip: {data!r} -> {text!r}")
    return text


def _as_read(value: object) -> object:
    """How sitegen's loader returns a value: every scalar is a string."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, list):
        return [_as_read(v) for v in value]
    return value
