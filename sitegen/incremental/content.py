"""Config and posts in, site indexes out: the reading stages, through the cache.

Posts come from the store where their files are unchanged and are converted
(in parallel) where not; the indexes are the last build's when every post
indexes as it did then.  ``check`` reads the cache the same way and writes
nothing back.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

from sitegen.errors import ContentError, Problem
from sitegen.incremental.context import BuildContext
from sitegen.incremental.parallel import convert_all
from sitegen.incremental.store import Entry, IndexCache, PostStore, area, use_area
from sitegen.index.site import Layout, Site, arrange, index, index_key
from sitegen.model import Named, Post, digest
from sitegen.read.discover import discover
from sitegen.read.imagefiles import read_image_files, wanted_by, wanted_by_config
from sitegen.read.layers import read_layer_files
from sitegen.theme import theme_dirs


@dataclass(frozen=True)
class Content:
    """The site as read: its indexes, the warnings found, and what reading cost."""

    site: Site
    warnings: tuple[Problem, ...]
    converted: int  # posts whose Markdown was converted (not taken from the cache)
    next_change: datetime | None  # the first future post's date: the site changes then
    timings: tuple[tuple[str, float], ...]  # (phase, seconds) of reading and indexing
    store: PostStore
    left_out: tuple[int, int] = (0, 0)  # (drafts, future posts) this build does not show


def cache_area(context: BuildContext) -> Path | None:
    """The cache area of this context's read key; None without the cache."""
    return area(context.root, context.read_key) if context.cache else None


def load(context: BuildContext) -> Content:
    """Everything up to the indexes, with every problem found on the way (raised if any)."""
    start = time.perf_counter()
    saving = context.cache and context.writes  # ``check`` writes nothing
    here = cache_area(context)
    if saving and here is not None:
        use_area(here)
    rels, problems = discover(context.root)
    store = PostStore(here, context.read_key)
    store.load()
    failed: list[Named] = []
    posts, post_problems, converted = read_posts(context, rels, store, saving, failed)
    problems += post_problems
    if saving:
        store.save(set(rels))
    layers, layer_problems = read_layer_files(context.root, [*posts, *failed])
    problems += layer_problems
    wanted = [*wanted_by([*posts, *failed]), *wanted_by_config(context.config)]
    images, image_problems = read_image_files(
        context.root, theme_dirs(context.root, "static"), wanted
    )
    problems += image_problems
    pages = tuple(sorted((p for p in posts if p.page), key=page_order))
    posts = [p for p in posts if not p.page]
    read = time.perf_counter()
    site = replace(indexed(context, here, posts, saving), layers=layers, pages=pages, images=images)
    problems += site.problems
    if any(not p.warning for p in problems):
        raise ContentError(problems)
    moment = context.now.timestamp()
    next_change = min((p.date for p in posts if p.instant > moment), default=None)
    timings = (("read", read - start), ("index", time.perf_counter() - read))
    warnings = tuple(p for p in problems if p.warning)
    left = left_out(posts, moment, context.drafts, context.future)
    return Content(site, warnings, converted, next_change, timings, store, left)


def left_out(posts: list[Post], moment: float, drafts: bool, future: bool) -> tuple[int, int]:
    """How many posts the build leaves out as drafts, and as dated after ``moment``.

    The complement of :func:`sitegen.index.site.select`; a draft dated in the
    future counts once, as a draft (``--drafts`` alone does not bring it in).
    """
    unshown_drafts = 0 if drafts else sum(1 for p in posts if p.draft)
    unshown_future = 0
    if not future:
        unshown_future = sum(1 for p in posts if p.instant > moment and (drafts or not p.draft))
    return unshown_drafts, unshown_future


def page_order(page: Post) -> tuple[bool, int, str]:
    """Pages in the navigation first, by their ``menu`` number; then by title."""
    return (page.menu is None, page.menu or 0, page.title.casefold())


def read_posts(
    context: BuildContext, rels: list[str], store: PostStore, saving: bool, failed: list[Named]
) -> tuple[list[Post], list[Problem], int]:
    """Posts from the store where unchanged, converted (in parallel) where not.

    What the posts with errors name goes into ``failed``: their files are
    checked all the same.
    """
    results = {}
    missing = []
    top = str(context.root)
    for rel in rels:
        entry = store.lookup(rel, os.path.join(top, rel))
        if entry is None:
            missing.append(rel)
        else:
            results[rel] = entry.result
    bodies = store.bodies if saving else None  # else the bodies stay in memory
    converting = convert_all(context.root, missing, context.config, context.jobs, bodies)
    for count, done in enumerate(converting, 1):
        # The stored post, whose values are shared with the other posts: one copy in memory.
        stored = store.put(done.rel, Entry(done.size, done.mtime_ns, done.digest, done.result))
        results[done.rel] = stored.result
        if context.progress is not None:
            context.progress(count, len(missing))
    posts, problems = [], []
    for rel in rels:
        result = results[rel]
        problems += result.problems
        if result.post is not None:
            posts.append(result.post)
        elif result.named is not None:
            failed.append(result.named)
    return posts, problems, len(missing)


def indexed(context: BuildContext, here: Path | None, posts: list[Post], save: bool) -> Site:
    """The site's indexes: the last build's when every post indexes as it did then.

    ``here`` is the cache area to read them from (None: made afresh), and to
    save them in with ``save``.
    """
    ordered, public = arrange(posts, context.now, context.drafts, context.future)
    key = digest(f"{context.read_key}\n{index_key(ordered, public)}".encode())
    cache = IndexCache(here, key)
    layout = cache.load()
    if layout is not None:
        return layout.site(context.config, ordered, public)
    site = index(context.config, ordered, public)
    if save:
        cache.write(Layout.of(site))
    return site
