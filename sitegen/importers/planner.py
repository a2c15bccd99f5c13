"""From entries to post and page files: plan every file first, then write, never clobbering.

Planning is a pure function of the entries and of what the site already holds,
so slug collisions, alias collisions and re-runs are decided with the whole
picture, and a second run plans exactly the same bytes.  An entry is recognised
as already imported by its ``id`` (the old GUID), so renaming or moving an
imported post does not make the next run import it again; a page has no ``id``
and is recognised by its file and title.

Posts go to ``--into`` (``<year>/<slug>.md``), pages (WordPress ``page``) to
``pages/<slug>.md`` with a page's front matter; posts and pages share one set of
slugs.  With ``--media`` an entry that references files of the old uploads is
written as a page bundle (``<slug>/index.md``) with those files beside it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, tzinfo
from pathlib import Path
from urllib.parse import unquote, urlsplit

from sitegen.importers.content import Body, Planned
from sitegen.importers.existing import Destination, ExistingPost, page_key, page_url
from sitegen.importers.media import Uploads
from sitegen.importers.model import Entry, Export
from sitegen.index import urls
from sitegen.read.posts import alias_problem
from sitegen.read.schema import RESERVED_SECTIONS
from sitegen.read.slugs import explicit_slug_problem, slugify

# The same rule as sitegen.read.posts applies to a front-matter ``id``.
_URI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:\S+$")
_PAGE_SUFFIX = re.compile(r"\.(?:html?|php|aspx?)$", re.I)
_SLASHES = re.compile(r"//+")
# What sitegen writes at the top of a site itself: no page and no old URL may take it.
_OWN_FILES = frozenset(
    {"index.html", "404.html", "feed.xml", "atom.xml", "sitemap.xml", "robots.txt"}
    | {"locations.geojson", "events.csv", "pagefind"}
)
_OWN_FOLDERS = ("page/", "static/", "pagefind/")


Owner = ExistingPost | str  # a post or page already in the site, or an entry of this run


@dataclass
class _Run:
    """One import: what is claimed so far and how earlier imports are recognised."""

    dest: Destination
    uploads: Uploads | None
    slugs: dict[str, Owner]  # casefolded slug -> owner (posts and pages share slugs)
    pages: dict[str, Owner]  # page key -> owner
    by_guid: dict[str, ExistingPost]
    by_path: dict[Path, ExistingPost]
    guids: dict[str, str]  # GUIDs of this run -> the entry that has it
    sections: frozenset[str]  # top-level names that sitegen's own pages and files take

    @classmethod
    def start(cls, export: Export, dest: Destination) -> _Run:
        uploads = Uploads(dest.media, export) if dest.media is not None else None
        sections = RESERVED_SECTIONS | dest.sections | _OWN_FILES
        run = cls(dest, uploads, {}, {}, {}, {}, {}, frozenset(s.casefold() for s in sections))
        for post in dest.existing:
            if post.guid:
                run.by_guid.setdefault(post.guid, post)
            run.by_path[post.path] = post
            if post.slug:
                run.slugs.setdefault(post.slug.casefold(), post)
            for page in post.pages:
                run.pages.setdefault(page, post)
        return run

    def sitegens(self, path: str) -> bool:
        """Whether sitegen writes the page at ``path`` (``archive/``, ``feed.xml`` ...) itself."""
        path = path.casefold()
        return (path.rstrip("/") in self.sections and path.count("/") <= 1) or (
            path.startswith(_OWN_FOLDERS)
        )


@dataclass(frozen=True)
class _Where:
    """Where an entry of one kind goes: its folder and its URL by slug."""

    folder: Path
    url: Callable[[str], str]
    page: bool

    def file(self, slug: str, bundle: bool) -> Path:
        return self.folder / slug / "index.md" if bundle else self.folder / f"{slug}.md"


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
    # WordPress writes some links with '//' (a home URL ending in '/'); one '/' was served.
    path = _SLASHES.sub("/", unicodedata.normalize("NFC", unquote(parts.path)))
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
    run = _Run.start(export, dest)
    planned: list[Planned] = []
    not_imported: list[str] = []
    for entry in export.entries:
        result = _page(entry, run) if entry.page else _post(entry, run)
        if isinstance(result, str):
            not_imported.append(result)
        else:
            planned.append(result)
    return planned, not_imported


def _post(entry: Entry, run: _Run) -> Planned | str:
    if entry.date is None and entry.bad_date:
        return f"{entry.label}: its date {entry.bad_date!r} is not a valid date; not imported"
    if entry.date is None:
        return f"{entry.label}: has no date; not imported"
    notes = list(entry.notes)
    date = _aware(entry.date, run.dest.timezone)
    updated = _aware(entry.updated, run.dest.timezone) if entry.updated else None
    if updated is not None and updated.replace(microsecond=0) <= date.replace(microsecond=0):
        updated = None
    title = entry.title
    if not title:
        title = f"Untitled ({date.date().isoformat()})"
        notes.append(f"had no title; it is called {title!r} for now")
    guid = _guid(entry, run.guids, notes)
    body = Body.convert(entry, run.uploads)
    where = _Where(run.dest.into / str(date.year), urls.post, page=False)
    slug, path, mine = _place(entry, title, guid, where, body.bundled, run, notes)
    aliases = _aliases(entry, urls.post(slug), mine, run, notes)
    body = body.settled(entry, run.uploads, path, notes)
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
    if body.image:
        data["image"] = body.image
    if guid:
        data["id"] = guid
    if aliases:
        data["aliases"] = aliases
    return body.planned(path, data, entry.draft, notes)


def _page(entry: Entry, run: _Run) -> Planned | str:
    """A page of pages/: a page's fields only (no date, author, tags or id)."""
    if entry.draft:
        return (
            f"{entry.label}: a page that was not public on the old blog (draft, scheduled, "
            "private or password-protected); a page in pages/ is always published, "
            "so it is not imported"
        )
    notes = list(entry.notes)
    if entry.tags:
        notes.append(
            f"its categories and tags ({', '.join(entry.tags)}) are left out: a page has none"
        )
    title = entry.title
    if not title:
        title = "Untitled page"
        notes.append(f"had no title; it is called {title!r} for now")
    body = Body.convert(entry, run.uploads)
    where = _Where(run.dest.page_folder, page_url, page=True)
    slug, path, mine = _place(entry, title, None, where, body.bundled, run, notes)
    aliases = _aliases(entry, page_url(slug), mine, run, notes)
    body = body.settled(entry, run.uploads, path, notes)
    data: dict[str, object] = {"title": title, "slug": slug}
    if entry.summary:
        data["summary"] = entry.summary
    if entry.menu is not None:
        data["menu"] = entry.menu
    changed = entry.updated or entry.date
    if changed is not None:
        data["updated"] = iso(_aware(changed, run.dest.timezone))
    if body.image:
        data["image"] = body.image
    if aliases:
        data["aliases"] = aliases
    return body.planned(path, data, False, notes, page=True)


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
    guid: str | None,
    where: _Where,
    bundle: bool,
    run: _Run,
    notes: list[str],
) -> tuple[str, Path, ExistingPost | None]:
    """A free slug (``-2``, ``-3`` ... on collision), the file, and the earlier import if any.

    An earlier import of the same entry is found by its id, or (for entries without
    one) by being the post at the very path (as one file or a bundle) with the same title.
    """
    base = _candidate(entry, title)
    number = 1
    while True:
        slug = base if number == 1 else f"{base}-{number}"
        path, mine = _mine(where, slug, bundle, title, guid, run)
        slug_owner = run.slugs.get(slug.casefold())
        page_owner = run.pages.get(page_key(where.url(slug)))
        if (
            (slug_owner is None or slug_owner is mine)
            and (page_owner is None or page_owner is mine)
            and not (where.page and run.sitegens(where.url(slug)))
            and (not path.exists() or (mine is not None and mine.path == path))
        ):
            break
        number += 1
    if number > 1:
        first = run.slugs.get(base.casefold()) or run.pages.get(page_key(where.url(base)))
        by = _who(first) if first is not None else "a file already there"
        if first is None and where.page and run.sitegens(where.url(base)):
            by = f"sitegen's own /{where.url(base)}"
        notes.append(f"slug {base!r} is already taken (by {by}); it gets {slug!r}")
    run.slugs[slug.casefold()] = entry.label
    run.pages[page_key(where.url(slug))] = entry.label
    return slug, path, mine


def _mine(
    where: _Where, slug: str, bundle: bool, title: str, guid: str | None, run: _Run
) -> tuple[Path, ExistingPost | None]:
    """The file for ``slug`` and the earlier import of this entry, if there is one."""
    matched = run.by_guid.get(guid) if guid else None
    if matched is not None:
        return matched.path, matched
    path = where.file(slug, bundle)
    if guid is None:
        for candidate in (path, where.file(slug, not bundle)):
            found = run.by_path.get(candidate)
            if found and found.guid is None and found.title == title:
                return candidate, found
    return path, None


def _aliases(
    entry: Entry, url: str, mine: ExistingPost | None, run: _Run, notes: list[str]
) -> list[str]:
    """The old URL's path as an alias of the new ``url``, when it can have a redirect."""
    if not entry.link:
        return []
    alias, problem = old_path(entry.link, run.dest.base_path)
    if alias is None:
        notes.append(f"old URL {entry.link} gets no redirect: it {problem}")
        return []
    key = page_key(urls.alias_path(alias))
    if key == page_key(url):
        return []  # the old URL is the new one
    if run.sitegens(urls.alias_path(alias)):
        notes.append(f"old URL path {alias} is a page sitegen writes itself; no redirect")
        return []
    owner = run.pages.get(key)
    if owner is not None and owner is not mine:
        notes.append(f"old URL path {alias} is already used by {_who(owner)}; no redirect")
        return []
    run.pages[key] = entry.label
    return [alias]
