"""What the site already holds, as far as an import must know: where an import goes,
which slugs and pages are taken, and which entries an earlier import wrote.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import tzinfo
from pathlib import Path

from sitegen.errors import Problems
from sitegen.index import urls
from sitegen.read.frontmatter import Split, decode, split
from sitegen.read.posts import alias_problem
from sitegen.read.slugs import slugify
from sitegen.read.yamlio import YamlMap, load


@dataclass(frozen=True)
class ExistingPost:
    """What the importer must know about a post (or a page) already in the site."""

    path: Path
    shown: str  # the path as messages name it: posts/2016/x.md
    title: str | None
    slug: str | None
    guid: str | None
    pages: tuple[str, ...]  # output files (casefolded) its URL and aliases write


@dataclass(frozen=True)
class Destination:
    into: Path
    timezone: tzinfo
    base_path: str = "/"
    existing: tuple[ExistingPost, ...] = ()
    pages: Path | None = None  # where pages go (the site's pages/); None: beside ``into``
    media: Path | None = None  # --media: the uploads folder of a WordPress backup
    sections: frozenset[str] = frozenset()  # the site's custom taxonomies: /<name>/ is theirs

    @property
    def page_folder(self) -> Path:
        return self.pages if self.pages is not None else self.into.parent / "pages"


def page_key(path: str) -> str:
    """How sitegen compares pages for collisions (case-insensitive file systems)."""
    return urls.output_file(path).casefold()


def page_url(slug: str) -> str:
    """A page of pages/ is written at /<slug>/ (a post at /posts/<slug>/)."""
    return f"{slug}/"


def scan(directories: list[Path], base: Path, *, pages: bool = False) -> tuple[ExistingPost, ...]:
    """Every post (``pages``: every page) under ``directories``; an unreadable one still
    blocks its path."""
    found: dict[Path, ExistingPost] = {}
    for directory in directories:
        if not directory.is_dir():
            continue
        for path in sorted(directory.rglob("*.md")):
            if path.is_file() and path not in found:
                try:
                    shown = path.relative_to(base).as_posix()
                except ValueError:
                    shown = str(path)
                found[path] = _existing(path, shown, pages)
    return tuple(found.values())


def _existing(path: Path, shown: str, page: bool) -> ExistingPost:
    try:
        text = decode(path.read_bytes(), shown)
    except OSError:
        text = None
    parts = split(text, shown) if isinstance(text, str) else None
    data = load(parts.yaml, Problems(shown)) if isinstance(parts, Split) else None
    if not isinstance(data, YamlMap):
        return ExistingPost(path, shown, None, None, None, ())

    def text_of(key: str) -> str | None:
        value = data.get(key)
        return value.strip() or None if isinstance(value, str) else None

    title = text_of("title")
    slug = text_of("slug") or (slugify(title) if title else None)
    listed = data.get("aliases")
    listed = listed if isinstance(listed, list) else [listed]
    aliases = [a for a in listed if isinstance(a, str) and not alias_problem(a)]
    pages = [page_key(page_url(slug) if page else urls.post(slug))] if slug else []
    pages += [page_key(urls.alias_path(a)) for a in aliases]
    return ExistingPost(path, shown, title, slug, text_of("id"), tuple(pages))
