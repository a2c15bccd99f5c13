"""From entries to post files: plan every file first, then write, never clobbering.

Planning is a pure function of the entries and of what the site already holds,
so slug collisions, alias collisions and re-runs are decided with the whole
picture, and a second run plans exactly the same bytes.  An entry is recognised
as already imported by its ``id`` (the old GUID), so renaming or moving an
imported post does not make the next run import it again.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from pathlib import Path
from urllib.parse import unquote, urlsplit

import yaml

from sitegen.errors import Problems
from sitegen.importers.html2md import to_markdown
from sitegen.importers.model import Entry, Export
from sitegen.index import urls
from sitegen.read.frontmatter import Split, decode, join, split
from sitegen.read.posts import alias_problem
from sitegen.read.slugs import explicit_slug_problem, slugify
from sitegen.read.yamlio import YamlMap, load

# The same rule as sitegen.read.posts applies to a front-matter ``id``.
_URI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:\S+$")
_PAGE_SUFFIX = re.compile(r"\.(?:html?|php|aspx?)$", re.I)


# -- the destination ----------------------------------------------------------------------


@dataclass(frozen=True)
class ExistingPost:
    """What the importer must know about a post already in the site."""

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


def page_key(path: str) -> str:
    """How sitegen compares pages for collisions (case-insensitive file systems)."""
    return urls.output_file(path).casefold()


def scan(directories: list[Path], base: Path) -> tuple[ExistingPost, ...]:
    """Every post under ``directories``; one that cannot be read still blocks its path."""
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
                found[path] = _existing(path, shown)
    return tuple(found.values())


def _existing(path: Path, shown: str) -> ExistingPost:
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
    pages = [page_key(urls.post(slug))] if slug else []
    pages += [page_key(urls.alias_path(a)) for a in aliases]
    return ExistingPost(path, shown, title, slug, text_of("id"), tuple(pages))


# -- planning -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Planned:
    path: Path
    text: str
    title: str
    draft: bool
    notes: tuple[str, ...]


Owner = ExistingPost | str  # a post already in the site, or the label of an entry of this run


@dataclass
class _Taken:
    """Slugs and pages claimed so far, by posts already in the site or by this run."""

    slugs: dict[str, Owner] = field(default_factory=dict)  # casefolded slug -> owner
    pages: dict[str, Owner] = field(default_factory=dict)  # page key -> owner


def _who(owner: Owner) -> str:
    return owner.shown if isinstance(owner, ExistingPost) else owner


def iso(value: datetime) -> str:
    text = value.replace(microsecond=0).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def slug_from_link(link: str | None) -> str | None:
    """The old URL's last segment when it is a usable slug (``/2016/12/aleppo.html``)."""
    if not link:
        return None
    try:
        path = unquote(urlsplit(link.strip()).path).rstrip("/")
    except ValueError:
        return None
    last = unicodedata.normalize("NFC", _PAGE_SUFFIX.sub("", path.rsplit("/", 1)[-1]))
    if not last or last.lower() == "index" or explicit_slug_problem(last):
        return None
    return last if any(ch.isalpha() for ch in last) else None


def old_path(link: str, base_path: str) -> tuple[str | None, str | None]:
    """(alias, None) for an old URL, or (None, why it gets no redirect)."""
    try:
        parts = urlsplit(link.strip())
    except ValueError:
        return None, "is not a URL"
    if parts.query:
        return None, "has a query string (like ?p=123), which a static page cannot answer"
    path = unicodedata.normalize("NFC", unquote(parts.path))
    if base_path != "/" and path.startswith(base_path):
        path = "/" + path[len(base_path) :]
    if path in ("", "/"):
        return None, "is the home page"
    problem = alias_problem(path)
    return (None, problem) if problem else (path, None)


def _candidate(entry: Entry, title: str) -> str:
    if entry.slug:
        slug = unicodedata.normalize("NFC", entry.slug.strip())
        return slug if not explicit_slug_problem(slug) else slugify(slug)
    return slug_from_link(entry.link) or slugify(title)


def plan(export: Export, dest: Destination) -> tuple[list[Planned], list[str]]:
    """Every file to write, and a note for each entry that cannot be imported."""
    by_guid = {post.guid: post for post in dest.existing if post.guid}
    by_path = {post.path: post for post in dest.existing}
    taken = _Taken()
    for post in dest.existing:
        if post.slug:
            taken.slugs.setdefault(post.slug.casefold(), post)
        for page in post.pages:
            taken.pages.setdefault(page, post)
    seen_guids: dict[str, str] = {}
    planned: list[Planned] = []
    not_imported: list[str] = []
    for entry in export.entries:
        if entry.date is None:
            not_imported.append(f"{entry.label}: has no date; not imported")
            continue
        notes = list(entry.notes)
        date = _aware(entry.date, dest.timezone)
        updated = _aware(entry.updated, dest.timezone) if entry.updated else None
        if updated is not None and updated.replace(microsecond=0) <= date.replace(microsecond=0):
            updated = None
        title = entry.title
        if not title:
            title = f"Untitled ({date.date().isoformat()})"
            notes.append(f"had no title; it is called {title!r} for now")
        guid = _guid(entry, seen_guids, notes)
        slug, path, mine = _place(entry, title, date, guid, by_guid, by_path, taken, dest, notes)
        aliases = _aliases(entry, slug, mine, taken, dest, notes)
        converted = to_markdown(entry.html, wordpress=entry.wordpress)
        notes += converted.dropped
        if not converted.markdown.strip():
            notes.append("has an empty body")
        data: dict[str, object] = {"title": title, "date": iso(date)}
        if updated is not None:
            data["updated"] = iso(updated)
        data["slug"] = slug
        if len(entry.authors) == 1:
            data["author"] = entry.authors[0]
        elif entry.authors:
            data["authors"] = list(entry.authors)
        if entry.draft:
            data["draft"] = True
        if entry.tags:
            data["tags"] = list(entry.tags)
        if entry.summary:
            data["summary"] = entry.summary
        if guid:
            data["id"] = guid
        if aliases:
            data["aliases"] = aliases
        text = join(front_matter(data), converted.markdown)
        planned.append(Planned(path, text, title, entry.draft, tuple(notes)))
    return planned, not_imported


def _aware(value: datetime, tz: tzinfo) -> datetime:
    """A naive export time means the site's time zone (as in sitegen's own front matter)."""
    return value if value.tzinfo else value.replace(tzinfo=tz)


def _guid(entry: Entry, seen: dict[str, str], notes: list[str]) -> str | None:
    """The old GUID when sitegen can keep it as ``id``, each GUID for one post only."""
    guid = entry.guid
    if guid and not _URI.match(guid):
        notes.append(
            f"its GUID {guid!r} is not a URI, as sitegen's 'id' must be; left out, "
            "so feed readers may show this post once more"
        )
        return None
    if guid and guid in seen:
        notes.append(f"has the same GUID as {seen[guid]}; its 'id' is left out")
        return None
    if guid:
        seen[guid] = entry.label
    return guid


def _place(
    entry: Entry,
    title: str,
    date: datetime,
    guid: str | None,
    by_guid: dict[str, ExistingPost],
    by_path: dict[Path, ExistingPost],
    taken: _Taken,
    dest: Destination,
    notes: list[str],
) -> tuple[str, Path, ExistingPost | None]:
    """A free slug (``-2``, ``-3`` ... on collision), the file, and the earlier import if any.

    An earlier import of the same entry is found by its id, or (for entries without
    one) by being the post at the very path with the same title.
    """
    base = _candidate(entry, title)
    matched = by_guid.get(guid) if guid else None
    number = 1
    while True:
        slug = base if number == 1 else f"{base}-{number}"
        path = matched.path if matched else dest.into / str(date.year) / f"{slug}.md"
        mine = matched
        if mine is None and guid is None:
            found = by_path.get(path)
            mine = found if found and found.guid is None and found.title == title else None
        slug_owner = taken.slugs.get(slug.casefold())
        page_owner = taken.pages.get(page_key(urls.post(slug)))
        if (
            (slug_owner is None or slug_owner is mine)
            and (page_owner is None or page_owner is mine)
            and (not path.exists() or (mine is not None and mine.path == path))
        ):
            break
        number += 1
    if number > 1:
        first = taken.slugs.get(base.casefold())
        by = _who(first) if first is not None else "a file already there"
        notes.append(f"slug {base!r} is already taken (by {by}); it gets {slug!r}")
    taken.slugs[slug.casefold()] = entry.label
    taken.pages[page_key(urls.post(slug))] = entry.label
    return slug, path, mine


def _aliases(
    entry: Entry,
    slug: str,
    mine: ExistingPost | None,
    taken: _Taken,
    dest: Destination,
    notes: list[str],
) -> list[str]:
    if not entry.link:
        return []
    alias, problem = old_path(entry.link, dest.base_path)
    if alias is None:
        notes.append(f"old URL {entry.link} gets no redirect: it {problem}")
        return []
    key = page_key(urls.alias_path(alias))
    if key == page_key(urls.post(slug)):
        return []  # the old URL is the new one
    owner = taken.pages.get(key)
    if owner is not None and owner is not mine:
        notes.append(f"old URL path {alias} is already used by {_who(owner)}; no redirect")
        return []
    taken.pages[key] = entry.label
    return [alias]


# -- front matter ---------------------------------------------------------------------------


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
    if isinstance(value, list):
        return [_as_read(v) for v in value]
    return value


# -- writing ----------------------------------------------------------------------------------
