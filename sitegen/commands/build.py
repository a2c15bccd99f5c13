"""``sitegen build`` and ``sitegen check``: the whole pipeline, in order.

context -> (no-op stamp) -> config, posts and site indexes -> plan of outputs
-> make what changed into staging -> search index into staging -> commit ->
cache.  ``check`` runs the same stages up to the plan, makes every output in
memory and commits nothing, so the two can never disagree about a site.
"""

from __future__ import annotations

import gc
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from sitegen.errors import OutputError, Problem
from sitegen.incremental.content import Content, cache_area, load
from sitegen.incremental.context import BuildContext, BuildOptions, resolve
from sitegen.incremental.parallel import make_all
from sitegen.incremental.plan import Plan, plan
from sitegen.incremental.store import (
    BuildStamp,
    OutputManifest,
    PostStore,
    SearchDebt,
    output_area,
)
from sitegen.incremental.trees import tree_digest
from sitegen.index.links import broken_links
from sitegen.model import DamagedCache, digest
from sitegen.output import search
from sitegen.output.commit import OutputLock, remove_leftovers
from sitegen.output.writer import MARKER, Staged, Staging, owned_files, safe_key
from sitegen.theme import theme_dir

__all__ = ["BuildOptions", "BuildResult", "build", "check"]

SOURCES = ["site.yaml", "posts", "pages", "templates", "static"]  # what the no-op stamp looks at


@dataclass(frozen=True)
class BuildResult:
    output: Path | None
    posts: int  # posts shown (pages not counted)
    files: int  # output files, the search index's not counted
    seconds: float
    converted: int = 0  # Markdown files converted (not taken from the cache): posts, pages,
    # and the drafts and future posts left out, which are read and checked all the same
    pages: int = 0  # the pages of pages/
    drafts_left_out: int = 0  # drafts not shown (no --drafts)
    future_left_out: int = 0  # posts dated after now not shown (no --future), drafts not counted
    written: int = 0  # output files with new bytes (the search index's not counted)
    warnings: tuple = field(default_factory=tuple)  # Problem values
    search_behind: bool = False  # index_later left pages out of the search index
    timings: tuple[tuple[str, float], ...] = ()  # (phase, seconds), for --verbose
    # What the build held (posts, plan), handed to the caller so that it decides
    # when they are freed: the CLI ends the process first (see cli.run).
    held: tuple[object, ...] = field(default=(), repr=False, compare=False)


def _quiet(output: Path) -> None:
    """What a build says when another build of its output holds the lock: nothing."""


def build(
    root: Path, options: BuildOptions, on_wait: Callable[[Path], None] = _quiet
) -> BuildResult:
    """Build the site; a damaged cache is thrown away and the build done again without it.

    One build of an output at a time: a second one waits for the lock (after
    ``on_wait``), then reads the output as the first one left it.
    """
    with system_faults():
        return _locked(root, options, on_wait)


def _locked(root: Path, options: BuildOptions, on_wait: Callable[[Path], None]) -> BuildResult:
    context = resolve(root, options)
    assert context.output is not None
    waited: list[bool] = []
    lock = OutputLock(context.output, lambda: waited.append(True) or on_wait(context.output))
    with lock, no_cycle_collection():
        if waited:
            context = resolve(root, options)
        remove_leftovers(context.output)
        try:
            return _build(context)
        except DamagedCache:  # raised before anything was committed to the output
            PostStore(cache_area(context), context.read_key).clear()
            return _build(context)


def _build(context: BuildContext) -> BuildResult:
    start = time.perf_counter()
    assert context.output is not None
    place = output_area(context.root, context.output)
    key, newest = stamp_inputs(context)
    stamp = BuildStamp(place, context.output, key, context.cache)
    done = stamp.load(newest, int(context.now.timestamp() * 1e9))
    if done is not None:  # nothing changed since the last build: it is already done
        return BuildResult(context.output, seconds=time.perf_counter() - start, **done)
    loading = time.perf_counter()
    content = load(context)  # config -> posts -> site indexes
    manifest = OutputManifest(place, context.output_key, context.cache)
    manifest.load()
    indexed = time.perf_counter()
    the_plan = plan(context, content.site, manifest.files)
    planned = time.perf_counter()
    stamp.drop()  # until this build's is saved, no build may take the output as done
    debt = SearchDebt(place, "pages", context.cache)
    made, records, phases = make(context, the_plan, manifest, debt)
    warnings = tuple(sorted([*content.warnings, *broken_links(content.site, set(records))]))
    written = time.perf_counter()
    due = content.next_change
    summary = {**counts(content), "files": len(the_plan.outputs), "warnings": warnings}
    listing = [(rel, size, mtime) for rel, (_, size, mtime) in records.items()]
    behind = True
    try:  # the output is complete: a cache that cannot be saved is only slower next time
        manifest.write(records)
        behind = bool(debt.load())
        if not behind:  # while the search index is behind, no build is a no-op
            stamp.save(
                int(context.now.timestamp() * 1e9),
                int(due.timestamp() * 1e9) if due else None,
                summary,
                listing + _marker(context.output),
            )
    except OSError as error:
        manifest.drop()
        summary["warnings"] += (Problem(*_unsaved(error)),)
    return BuildResult(
        context.output,
        seconds=time.perf_counter() - start,
        converted=content.converted,
        written=sum(made[safe_key(item.path)].written for item in the_plan.outputs),
        timings=(
            ("stamp", loading - start),
            *content.timings,
            ("plan", planned - indexed),  # every output, its fingerprint, what to make
            *phases,  # render (and stage), search, commit
            ("save", time.perf_counter() - written),  # cache and stamp
        ),
        held=(content, the_plan, manifest),
        search_behind=behind,
        **summary,
    )


def make(
    context: BuildContext, the_plan: Plan, manifest: OutputManifest, debt: SearchDebt
) -> tuple[dict[str, Staged], dict[str, list], list[tuple[str, float]]]:
    """Execute the plan: make what changed, index it, commit; what became of every file.

    Returns each output path's ``Staged`` (files kept as they were included),
    the records for the next build (path -> [fingerprint, size, mtime]) and
    the time each step took.
    """
    start = time.perf_counter()
    assert context.output is not None
    outputs = the_plan.outputs
    last = manifest.files
    with Staging(context.output, context.previous) as staging:
        made_at = make_all(list(outputs), the_plan.todo, staging, context.jobs)
        made: dict[str, Staged] = {}
        records: dict[str, list] = {}
        for position, (item, fingerprint) in enumerate(
            zip(outputs, the_plan.fingerprints, strict=True)
        ):
            key = safe_key(item.path)
            kept = the_plan.kept.get(position)
            staged = made_at[position] if kept is None else Staged(False, *kept)
            made[key] = staged
            records[key] = [fingerprint, staged.size, staged.mtime_ns]
        old = set(last) if last else (owned_files(context.output) if context.previous else set())
        gone = old - set(made)
        touched = {key for key, staged in made.items() if staged.written} | gone
        if not last:  # no record of the last build (killed, or none): trust no search bundle
            touched |= set(made)
        rendered = time.perf_counter()
        owed = debt.load()
        indexed, stale = search.stage(
            the_plan.bundles, staging, touched | owed, context.config.language, context.index_later
        )
        records |= {key: [search.BUNDLE, s.size, s.mtime_ns] for key, s in indexed.items()}
        made |= indexed
        searched = time.perf_counter()
        manifest.drop()  # a build killed during the commit trusts no record
        if stale:
            debt.write(owed | stale)  # before the commit: a kill after it must not lose them
        staging.commit({key for key, s in made.items() if s.written}, old - set(made))
        if not stale:
            debt.drop()
    phases = [
        ("render", rendered - start),
        ("search", searched - rendered),
        ("commit", time.perf_counter() - searched),
    ]
    return made, records, phases


def check(root: Path, options: BuildOptions) -> BuildResult:
    """Validate and make every output in memory; write nothing (the cache is only read)."""
    with system_faults(), no_cycle_collection():
        context = resolve(root, options, write=False)
        try:
            return _check(context)
        except DamagedCache:
            return _check(resolve(root, BuildOptions(**{**vars(options), "cache": False}), False))


def _check(context: BuildContext) -> BuildResult:
    start = time.perf_counter()
    content: Content = load(context)
    the_plan = plan(context, content.site, {})
    for item in the_plan.outputs:
        if item.produce is not None:
            item.produce()  # renders every template: template errors surface here
    paths = {safe_key(item.path) for item in the_plan.outputs}
    return BuildResult(
        output=None,
        **counts(content),
        files=len(paths),
        seconds=time.perf_counter() - start,
        converted=content.converted,
        warnings=tuple(sorted([*content.warnings, *broken_links(content.site, paths)])),
        held=(content, the_plan),
    )


def counts(content: Content) -> dict[str, int]:
    """What the summary line counts: posts and pages shown, drafts and future posts not."""
    drafts, future = content.left_out
    return {
        "posts": len(content.site.posts),
        "pages": len(content.site.pages),
        "drafts_left_out": drafts,
        "future_left_out": future,
    }


def stamp_inputs(context: BuildContext) -> tuple[str, int]:
    """The no-op stamp's key, and the newest mtime among the sources.

    The key covers every source file's path, size and mtime (the site's and
    the default theme's), sitegen and the config, and the options.
    """
    sources, newest = tree_digest(context.root, SOURCES)
    theme, theme_newest = tree_digest(theme_dir(), ["templates", "static"])
    options = (context.drafts, context.future)
    key = digest(f"{context.output_key}\n{sources}\n{theme}\n{options}".encode())
    return key, max(newest, theme_newest)


def _marker(output: Path) -> list[tuple[str, int, int]]:
    stat = (output / MARKER).stat()
    return [(MARKER, stat.st_size, stat.st_mtime_ns)]


@contextmanager
def system_faults() -> Iterator[None]:
    """A system's refusal (disk full, permissions, a file where a folder goes) as a clear error.

    Raised before the commit (after it, only the cache is written, and its
    failures are warnings), so the output is as the last build left it.
    """
    try:
        yield
    except OSError as error:
        where = f"{error.filename}: " if error.filename else ""
        reason = error.strerror or str(error)
        message = f"{where}{reason} (the build stopped; the output was not changed)"
        raise OutputError(message) from None


def _unsaved(error: OSError) -> tuple[str, int, str, str, bool]:
    where = os.fspath(error.filename or ".sitegen-cache")
    reason = error.strerror or str(error)
    return where, 0, "", f"the cache could not be saved ({reason}): the next build is slower", True


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
