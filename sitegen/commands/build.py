"""The pipeline, in order: config -> posts -> site -> pages and feeds -> writer.

Every stage takes plain values and returns plain values; only reading the
sources, the cache and writing the output touch the disk.
"""

from __future__ import annotations

import dataclasses
import gc
import hashlib
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import partial
from pathlib import Path

from sitegen.errors import ContentError, Problem
from sitegen.incremental.parallel import convert_all, default_jobs, make_all
from sitegen.incremental.store import (
    BuildStamp,
    Entry,
    IndexCache,
    OutputManifest,
    PostStore,
    code_fingerprint,
    tree_digest,
    tree_listing,
)
from sitegen.index.links import broken_links
from sitegen.index.site import Layout, Site, arrange, index
from sitegen.index.site import index_key as site_index_key
from sitegen.index.urls import Links
from sitegen.model import DamagedCache, OutputFile, Post, digest
from sitegen.output import search
from sitegen.output.feeds import Feeds
from sitegen.output.geojson import geojson
from sitegen.output.render import Renderer, environment, theme_fingerprint
from sitegen.output.writer import (
    MARKER,
    WriteStats,
    check_output_dir,
    must_make,
    previous_output,
    write_site,
)
from sitegen.read.config import SiteConfig, load_config
from sitegen.theme import theme_dir


@dataclass(frozen=True)
class BuildOptions:
    output: Path | None = None
    drafts: bool = False
    future: bool = False
    base_url: str | None = None
    now: datetime | None = None
    jobs: int | None = None  # None: one process per core
    cache: bool = True
    progress: Callable[[int, int], None] | None = None  # (posts converted, posts to convert)


@dataclass(frozen=True)
class BuildResult:
    output: Path | None
    posts: int
    files: int
    seconds: float
    converted: int = 0  # posts whose Markdown was converted (not taken from the cache)
    written: int = 0  # output files with new bytes
    warnings: tuple[Problem, ...] = field(default_factory=tuple)
    timings: tuple[tuple[str, float], ...] = ()  # (phase, seconds), for --verbose
    # What the build held (posts, pages, manifest), handed to the caller so that it
    # decides when they are freed: the CLI ends the process first (see cli.run).
    held: tuple[object, ...] = field(default=(), repr=False, compare=False)


@dataclass(frozen=True)
class Loaded:
    site: Site
    problems: list[Problem]
    converted: int
    salt: bytes
    next_change: datetime | None = None  # the first future post's date: the site changes then
    timings: tuple[tuple[str, float], ...] = ()  # (phase, seconds) of reading and indexing


def discover(root: Path) -> tuple[list[str], list[Problem]]:
    """Every ``*.md`` under posts/, sorted; symlinks leading out of the site are refused."""
    site = root.resolve()
    found, problems = _markdown_files(root, site)
    static = root / "static"
    if static.is_dir():
        problems += [
            Problem(path.relative_to(root).as_posix(), 0, "", "is a symbolic link out of the site")
            for path in sorted(static.rglob("*"))
            if path.is_symlink() and not path.resolve().is_relative_to(site)
        ]
    return sorted(found, key=lambda rel: rel.split("/")), problems


def _markdown_files(root: Path, site: Path) -> tuple[list[str], list[Problem]]:
    """One scan of posts/ (linked folders are not entered); only links are resolved."""
    found: list[str] = []
    problems: list[Problem] = []
    top = root / "posts"
    if top.is_symlink() and not top.resolve().is_relative_to(site):
        return found, [Problem("posts", 0, "", "is a symbolic link out of the site")]
    stack = [("posts", top)]
    while stack:
        rel_dir, directory = stack.pop()
        try:
            entries = list(os.scandir(directory))
        except (FileNotFoundError, NotADirectoryError):
            continue
        for entry in entries:
            rel = f"{rel_dir}/{entry.name}"
            if entry.is_dir(follow_symlinks=False):
                stack.append((rel, Path(entry.path)))
            elif not entry.name.endswith(".md"):
                continue
            elif entry.is_symlink() and not Path(entry.path).resolve().is_relative_to(site):
                problems.append(Problem(rel, 0, "", "is a symbolic link out of the site"))
            elif entry.is_file():
                found.append(rel)
    return found, problems


def config_key(config: SiteConfig) -> str:
    """What reading a post depends on besides its bytes: sitegen's code and the config."""
    return digest(f"{code_fingerprint()}\n{config!r}".encode())


def read_posts(
    root: Path,
    config: SiteConfig,
    rels: list[str],
    store: PostStore,
    jobs: int,
    progress: Callable[[int, int], None] | None = None,
    bodies: Path | None = None,
) -> tuple[list[Post], list[Problem], int]:
    """Posts from the cache where unchanged, converted (in parallel) where not."""
    results = {}
    missing = []
    top = str(root)
    for rel in rels:
        entry = store.lookup(rel, os.path.join(top, rel))
        if entry is None:
            missing.append(rel)
        else:
            results[rel] = entry.result
    for count, done in enumerate(convert_all(root, missing, config, jobs, bodies), 1):
        # The stored post, whose values are shared with the other posts: one copy in memory.
        stored = store.put(done.rel, Entry(done.size, done.mtime_ns, done.digest, done.result))
        results[done.rel] = stored.result
        if progress is not None:
            progress(count, len(missing))
    posts, problems = [], []
    for rel in rels:
        result = results[rel]
        problems += result.problems
        if result.post is not None:
            posts.append(result.post)
    return posts, problems, len(missing)


def load_site(
    root: Path, config: SiteConfig, options: BuildOptions, save_cache: bool = True
) -> Loaded:
    """Everything up to the indexes, with every problem found on the way."""
    start = time.perf_counter()
    rels, problems = discover(root)
    key = config_key(config)
    store = PostStore(root, key, enabled=options.cache)
    store.load()
    jobs = options.jobs or default_jobs()
    bodies = store.bodies if save_cache else None  # ``check`` writes nothing
    posts, post_problems, converted = read_posts(
        root, config, rels, store, jobs, options.progress, bodies
    )
    if save_cache:
        store.save(set(rels))
    problems += post_problems
    read = time.perf_counter()
    now = options.now or datetime.now(UTC)
    site = _indexed(root, key, config, posts, now, options, save_cache)
    problems += site.problems
    if any(not p.warning for p in problems):
        raise ContentError(problems)
    salt = hashlib.blake2b(key.encode(), digest_size=32).digest()
    moment = now.timestamp()
    next_change = min((p.date for p in posts if p.instant > moment), default=None)
    timings = (("read", read - start), ("index", time.perf_counter() - read))
    return Loaded(site, problems, converted, salt, next_change, timings)


def _indexed(
    root: Path,
    key: str,
    config: SiteConfig,
    posts: list[Post],
    now: datetime,
    options: BuildOptions,
    save_cache: bool,
) -> Site:
    """The site's indexes: the last build's when every post indexes as it did then."""
    ordered, public = arrange(posts, now, options.drafts, options.future)
    cache = IndexCache(root, enabled=options.cache)
    index_key = digest(f"{key}\n{site_index_key(ordered, public)}".encode())
    layout = cache.load(index_key)
    if layout is not None:
        return layout.site(config, ordered, public)
    site = index(config, ordered, public)
    if save_cache:
        cache.save(index_key, Layout.of(site))
    return site


def theme_dirs(root: Path, kind: str) -> list[Path]:
    """The site's own ``templates``/``static`` first, then the default theme's."""
    dirs = [root / kind, theme_dir() / kind]
    return [
        d
        for i, d in enumerate(dirs)
        if d.is_dir() and d.resolve() not in [e.resolve() for e in dirs[:i]]
    ]


def outputs(loaded: Loaded) -> Iterator[OutputFile]:
    """Every output file, pages first (produced lazily, one at a time)."""
    site = loaded.site
    config = site.config
    links = Links(config.base_url, config.base_path)
    templates = theme_dirs(config.root, "templates")
    theme = theme_fingerprint(templates)
    renderer = Renderer(environment(templates), site, links, theme, loaded.salt)
    yield from renderer.pages()
    yield from Feeds(site, links, loaded.salt).all()
    yield geojson(site, links, loaded.salt)


def output_dir(root: Path, config: SiteConfig, options: BuildOptions) -> Path:
    return options.output if options.output is not None else root / config.output


SOURCES = ["site.yaml", "posts", "templates", "static"]


def stamp_key(root: Path, config: SiteConfig, options: BuildOptions) -> tuple[str, int]:
    """Everything a build's output depends on, by path, size and mtime; and the newest mtime."""
    sources, newest = tree_digest(root, SOURCES)
    theme, theme_newest = tree_digest(theme_dir(), ["templates", "static"])
    fixed = (options.drafts, options.future, options.now.isoformat() if options.now else None)
    key = digest(f"{config_key(config)}\n{sources}\n{theme}\n{fixed}".encode())
    return key, max(newest, theme_newest)


@contextmanager
def no_cycle_collection() -> Iterator[None]:
    """Pause Python's cyclic garbage collector for one build.

    A build holds millions of long-lived objects (every post of the archive) and
    makes almost no reference cycles, so each collection rescans the whole heap
    for nothing: about a third of a one-post rebuild at 10,000 posts.  Reference
    counting still frees everything else as it goes.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def build(root: Path, options: BuildOptions) -> BuildResult:
    """Build the site; a damaged cache is thrown away and the build done again without it."""
    root = root.absolute()  # the cache refers to files by absolute path, whatever the cwd
    with no_cycle_collection():
        try:
            return _build(root, options)
        except DamagedCache:  # raised before anything was committed to the output
            PostStore(root, "").clear()
            return _build(root, options)


def _build(root: Path, options: BuildOptions) -> BuildResult:
    start = time.perf_counter()
    config = load_config(root, options.base_url)
    output = output_dir(root, config, options)
    check_output_dir(output, root)  # before anything is read or cached
    stamp = BuildStamp(root, output, enabled=options.cache)
    key, newest = stamp_key(root, config, options)
    now = options.now or datetime.now(UTC)
    record = stamp.load(key, newest, int(now.timestamp() * 1e9))
    if record is not None:  # nothing changed since the last build: it is already done
        return BuildResult(
            output=output,
            posts=record["posts"],
            files=record["files"],
            seconds=time.perf_counter() - start,
            warnings=tuple(Problem(*p) for p in record["warnings"]),
        )
    loading = time.perf_counter()
    loaded = load_site(root, config, options)
    read = time.perf_counter()
    manifest = OutputManifest(root, output, enabled=options.cache)
    manifest.load()
    static = theme_dirs(root, "static")

    def finish(site: Path, stats: WriteStats) -> None:
        if config.search:
            search.index(site, stats, config.language, search.shards(loaded.site.posts))
        else:
            search.drop(site)

    files = list(outputs(loaded))
    previous = previous_output(output)
    todo = [i for i, item in enumerate(files) if must_make(item, previous, manifest)]
    planned = time.perf_counter()
    make = partial(make_all, files, todo, options.jobs or default_jobs())
    stats: WriteStats = write_site(
        make, static, output, root, manifest, finish, reserved=(search.BUNDLE,)
    )
    written = time.perf_counter()
    warnings = sorted(
        [p for p in loaded.problems if p.warning] + broken_links(loaded.site, stats.paths)
    )
    due = loaded.next_change
    stamp.save(
        key,
        int(due.timestamp() * 1e9) if due else None,
        {
            "posts": len(loaded.site.posts),
            "files": stats.total,
            "warnings": [dataclasses.astuple(p) for p in warnings],
        },
        # What the writer recorded, plus what it does not own: no walk of the whole output.
        [(rel, size, mtime) for rel, (_, size, mtime) in stats.records.items()]
        + tree_listing(output, [MARKER, search.BUNDLE])[0],
    )
    return BuildResult(
        output=output,
        posts=len(loaded.site.posts),
        files=stats.total,
        seconds=time.perf_counter() - start,
        converted=loaded.converted,
        written=stats.written,
        warnings=tuple(warnings),
        timings=(
            ("stamp", loading - start),
            *loaded.timings,
            ("plan", planned - read),  # every output's fingerprint, and which to make
            ("render", written - planned),  # and write
            ("save", time.perf_counter() - written),  # cache and stamp
        ),
        held=(loaded, files, manifest, stats),
    )


def check(root: Path, options: BuildOptions) -> BuildResult:
    """Validate and render everything, write nothing (the cache is only read)."""
    root = root.absolute()
    with no_cycle_collection():
        try:
            return _check(root, options)
        except DamagedCache:
            return _check(root, dataclasses.replace(options, cache=False))


def _check(root: Path, options: BuildOptions) -> BuildResult:
    start = time.perf_counter()
    loaded = load_site(root, load_config(root, options.base_url), options, save_cache=False)
    paths = set()
    for item in outputs(loaded):
        item.produce()  # renders every template: template errors surface here
        paths.add(item.path)
    for static in theme_dirs(root, "static"):
        paths |= {
            "static/" + p.relative_to(static).as_posix() for p in static.rglob("*") if p.is_file()
        }
    warnings = [p for p in loaded.problems if p.warning] + broken_links(loaded.site, paths)
    return BuildResult(
        output=None,
        posts=len(loaded.site.posts),
        files=len(paths),
        seconds=time.perf_counter() - start,
        converted=loaded.converted,
        warnings=tuple(sorted(warnings)),
        held=(loaded,),
    )
