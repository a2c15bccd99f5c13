"""The plan: every output of the site with the inputs it declares, and which to make.

:func:`plan` is computed once per build (and by ``check``, which then commits
nothing): it gathers the outputs every output kind declares, refuses two that
would write one path, derives each fingerprint from the declared inputs in one
place (:func:`fingerprint`), and compares it with what the last build recorded
to decide which must be made again.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path, PurePosixPath
from typing import Any

from sitegen.errors import ContentError, Problem
from sitegen.incremental.context import BuildContext
from sitegen.incremental.store import CACHE_DIR
from sitegen.index.site import Site
from sitegen.index.urls import Links
from sitegen.model import Post, listings
from sitegen.output import search
from sitegen.output.feeds import Feeds
from sitegen.output.figures import clean_copy, favicon_ico
from sitegen.output.geojson import geojson
from sitegen.output.imaging import OWN, ImageCache
from sitegen.output.outputs import Output, Owner
from sitegen.output.pages import Pages
from sitegen.output.render import Renderer
from sitegen.output.situation import data_outputs
from sitegen.output.writer import safe_key
from sitegen.theme import theme_dirs

STATIC = "static"  # the recorded fingerprint of a copied file (kept by size and mtime)


@dataclass(frozen=True)
class Plan:
    """Every file of the new output, in order: those to make, and those the last build left.

    ``kept`` maps the position of each output the previous output already
    holds exactly to that file's (size, mtime); every other one is made.
    """

    outputs: tuple[Output, ...]
    fingerprints: tuple[str, ...]
    kept: dict[int, tuple[int, int]]
    bundles: dict[str, list[str]]  # search bundle -> the pages it indexes (empty: no search)

    @property
    def todo(self) -> list[int]:
        return [i for i in range(len(self.outputs)) if i not in self.kept]


def plan(context: BuildContext, site: Site, last: dict[str, list[Any]]) -> Plan:
    """The plan of a build whose last output (if any) ``last`` records, path by path."""
    outputs, shared = declared(context, site)
    later = {search.BUNDLE: "the folder of the site's search index"} if site.config.search else {}
    if problems := collisions(outputs, later):
        raise ContentError(problems)
    key = hashlib.blake2b(context.output_key.encode(), digest_size=32).digest()
    theme = hashlib.blake2b(shared.encode(), key=key, digest_size=32).digest()
    fingerprints = tuple(fingerprint(item, key, theme) for item in outputs)
    kept = {}
    if context.previous is not None:
        for position, (item, made) in enumerate(zip(outputs, fingerprints, strict=True)):
            if (stat := _kept(context.previous, item, made, last)) is not None:
                kept[position] = stat
    bundles = search.shards(site.posts, site.pages) if context.config.search else {}
    # Fingerprinted, an output needs only its path and its recipe: its declared
    # inputs (views, owners, sitemap entries) are freed before the workers fork.
    made = tuple(Output(item.path, produce=item.produce, copy=item.copy) for item in outputs)
    return Plan(made, fingerprints, kept, bundles)


def declared(context: BuildContext, site: Site) -> tuple[list[Output], str]:
    """Every output kind's outputs, and what every themed output shares (see Renderer)."""
    config = site.config
    links = Links(config.base_url, config.base_path)
    renderer = Renderer(theme_dirs(context.root, "templates"), site, links)
    pages = Pages(renderer, site, links)
    outputs = list(pages.all())
    outputs.append(pages.sitemap([item.sitemap for item in outputs if item.sitemap]))
    outputs.append(pages.robots())
    outputs += Feeds(site, links, pages.views.figures).all()
    outputs.append(geojson(site, links))
    outputs += data_outputs(site, links, pages.views.maps)
    figures = pages.views.figures
    cache = (
        ImageCache(context.root / CACHE_DIR / "images", context.writes) if context.cache else None
    )
    originals = frozenset(figures.originals)
    outputs += static_files(theme_dirs(context.root, "static"), cache, originals)
    outputs += bundle_files(context.root, (*site.posts, *site.pages), cache, originals)
    outputs += figures.outputs(cache)
    outputs += favicon_ico(site, cache)
    return outputs, renderer.shared


def static_files(
    static_dirs: list[Path],
    cache: ImageCache | None = None,
    originals: frozenset[str] = frozenset(),
) -> list[Output]:
    """``static/`` under ``static/``; the site's own file wins over the theme's."""
    found: dict[str, Output] = {}
    for directory in static_dirs:
        for source in sorted(directory.rglob("*")):
            if source.is_file():
                key = PurePosixPath(STATIC, source.relative_to(directory).as_posix()).as_posix()
                if key not in found:
                    found[key] = published(source, key, key, cache, originals, Owner(key))
    return list(found.values())


def bundle_files(
    root: Path,
    posts: tuple[Post, ...],
    cache: ImageCache | None = None,
    originals: frozenset[str] = frozenset(),
) -> list[Output]:
    """A page bundle's files (all but its ``index.md`` and hidden files), beside its page."""
    found = []
    for post in posts:
        if post.bundle is None:
            continue
        folder = root / post.bundle
        for source in sorted(folder.rglob("*")):
            rel = source.relative_to(folder).as_posix()
            if rel == "index.md" or any(part.startswith(".") for part in rel.split("/")):
                continue
            if source.is_file():
                owner = Owner(post.path, 0, "")
                name = f"{post.bundle}/{rel}"
                found.append(published(source, name, post.url_path + rel, cache, originals, owner))
    return found


def published(
    source: Path,
    rel: str,
    key: str,
    cache: ImageCache | None,
    originals: frozenset[str],
    owner: Owner,
) -> Output:
    """A file of static/ or a bundle: a raster image without its metadata (unless the editor
    keeps it: ``keep_metadata``), anything else copied as it is."""
    if PurePosixPath(rel).suffix.lower() in OWN and rel not in originals:
        return replace(clean_copy(source, rel, key, cache), owner=owner)
    return Output(key, copy=source, owner=owner)


def fingerprint(item: Output, key: bytes, theme: bytes) -> str:
    """The one hash of what an output is made from: its declared inputs under the build's key.

    ``key`` covers sitegen, its libraries and the config; ``theme`` adds the
    templates and the view every page shares, for outputs made with them.
    """
    inputs = item.inputs
    if inputs is None:
        return STATIC
    h = hashlib.blake2b(digest_size=16, key=theme if inputs.theme else key)
    h.update(f"{item.path}\0{inputs.recipe}\0".encode())
    h.update(inputs.view.encode("utf-8", "surrogatepass"))
    h.update(
        "".join(f"\0{p.path}\0{p.digest}" for p in inputs.posts).encode("utf-8", "surrogatepass")
    )
    h.update(b"\0" + listings(inputs.listed))
    if inputs.files:
        h.update("\0".join(("", *inputs.files)).encode())
    return h.hexdigest()


def _kept(
    previous: Path, item: Output, made: str, last: dict[str, list[Any]]
) -> tuple[int, int] | None:
    """The previous output's file (size, mtime) if it is exactly what ``item`` would be.

    A made output: the last build recorded this fingerprint for it, and the
    file is as that build left it.  A copy: the file has the source's size and
    mtime (a copy keeps the mtime; comparing the bytes of every static file,
    fonts and vendored libraries, on every build would cost more).
    """
    key = safe_key(item.path)
    try:
        stat = os.stat(os.path.join(previous, key))  # a str join: once per output file
    except OSError:
        return None
    found = (stat.st_size, stat.st_mtime_ns)
    if item.copy is not None:
        source = item.copy.stat()
        return found if found == (source.st_size, source.st_mtime_ns) else None
    record = last.get(key)
    return found if record and record[0] == made and list(found) == record[1:] else None


# What sitegen's own outputs are, by recipe, for a collision's message (else "a page of ...").
_OWN = {
    "index.html": "the site's home page (or a page of its list)",
    "404.html": "the site's page for missing pages",
    "archive.html": "the site's archive",
    "search.html": "the site's search page",
    "rss": "an RSS feed of the site",
    "atom": "an Atom feed of the site",
    "sitemap.xml": "the site's sitemap",
    "robots.txt": "the site's robots.txt",
    "geojson": "the site's GeoJSON of places",
    "events.csv": "the site's table of events",
    "locations.html": "the site's index of places",
    "location.html": "the page of a place",
    "series_index.html": "the site's index of series",
    "series.html": "the page of a series",
    "situation.html": "a series' situation map",
    "situation.geojson": "a series' situation data",
    "situation.kml": "a series' situation data",
    "taxonomy.html": "the index of tags (or of another taxonomy)",
    "term.html": "the page of a tag (or of a term of another taxonomy)",
    "sources.html": "the site's index of sources",
    "sources_list.html": "a page of the site's sources list",
    "image": "an image the site makes",
}


def collisions(outputs: list[Output], later: Mapping[str, str] | None = None) -> list[Problem]:
    """Outputs that cannot all be written: reported where an editor asked for one.

    Two outputs of one path (compared without case, as some file systems do), a
    file where another output needs a folder (``/feed.xml`` and
    ``/feed.xml/index.html``), and an output where a folder is written after
    the plan: ``later`` maps such a folder (``pagefind``) to what it is.
    """
    first: dict[str, Output] = {}
    problems = []
    for item in outputs:
        key = safe_key(item.path)
        other = first.setdefault(key.casefold(), item)
        if other is not item:
            here, there = _reported(item, other)
            problems.append(_problem(here, f"/{here.path} is also {_what(there)}"))
    folders: set[str] = set()  # every folder the outputs need
    for key in first:
        cut = key.rfind("/")
        while cut > 0 and key[:cut] not in folders:  # (its parents are in already)
            folders.add(key[:cut])
            cut = key.rfind("/", 0, cut)
    taken = {**dict.fromkeys(folders & first.keys(), ""), **(later or {})}
    if taken.keys() & (folders | first.keys()):  # seldom: then find each output concerned
        problems += _in_folders(first, taken)
    return problems


def _in_folders(first: dict[str, Output], taken: Mapping[str, str]) -> list[Problem]:
    """Outputs inside a folder that is a file of the site, or written later (``what`` it is)."""
    problems = []
    for key, inside in first.items():
        for folder in (key[:cut] for cut in range(len(key)) if key[cut] == "/"):
            if folder not in taken:
                continue
            if what := taken[folder]:
                problems.append(_problem(inside, f"/{inside.path} is inside /{folder}/, {what}"))
            else:
                here, there = _reported(inside, first[folder])
                message = f"/{here.path} is a folder of the site: /{inside.path} is "
                if here is inside:
                    message = f"/{inside.path} would be inside /{there.path}, which is "
                problems.append(_problem(here, message + _what(there)))
            break
    for folder, what in taken.items():
        if what and folder in first:
            problems.append(_problem(first[folder], f"/{first[folder].path} is {what}"))
    return problems


def _reported(item: Output, other: Output) -> tuple[Output, Output]:
    """(where a collision is reported, the output it collides with): an editor's line first."""
    return (other, item) if _line(other) and not _line(item) else (item, other)


def _what(there: Output) -> str:
    """The output a collision is with, as a message says it."""
    if there.owner is not None:
        return f"written by {there.owner.path}"
    recipe = there.inputs.recipe if there.inputs else ""
    return _OWN.get(recipe, "a page of sitegen's own")


def _problem(here: Output, message: str) -> Problem:
    owner = here.owner or Owner(here.path)
    return Problem(owner.path, owner.line, owner.field, message)


def _line(item: Output) -> int:
    return item.owner.line if item.owner else 0
