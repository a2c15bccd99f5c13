"""Converting posts in worker processes, in batches.

Markdown conversion is pure-Python CPU work, so threads would not help.  Workers
read the files themselves (only paths go out), write each body into the cache
and send back ``PostResult`` values without it; each worker builds its Markdown
renderer once.
"""

from __future__ import annotations

import multiprocessing as mp
import os
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path

from sitegen.config import SiteConfig
from sitegen.errors import ContentError, Problem, SitegenError
from sitegen.markup import MarkdownRenderer
from sitegen.model import Body, OutputFile, Post, digest
from sitegen.posts import PostResult, read_post

# Below this many posts a pool costs more than it saves.
MIN_PARALLEL = 16


@dataclass(frozen=True)
class Converted:
    rel: str
    size: int
    mtime_ns: int
    digest: str
    result: PostResult


_worker: dict[str, object] = {}  # per worker process: its config and renderer


def _init(config: SiteConfig, bodies: Path | None) -> None:
    _worker["config"] = config
    _worker["bodies"] = bodies
    _worker["renderer"] = MarkdownRenderer()


def convert(
    root: Path, rel: str, config: SiteConfig, renderer: MarkdownRenderer, bodies: Path | None
) -> Converted:
    """Read one post; with ``bodies``, its HTML goes to a file there instead of into the result."""
    path = root / rel
    stat = path.stat()
    data = path.read_bytes()
    result = read_post(rel, data, config, renderer)
    if bodies is not None and result.post is not None:
        result = replace(result, post=stash_body(result.post, bodies))
    return Converted(rel, stat.st_size, stat.st_mtime_ns, digest(data), result)


def stash_body(post: Post, bodies: Path) -> Post:
    """The post with its HTML in ``bodies/<digest>.html`` (named by the post file's hash).

    Written in place, not renamed into place: a body is checked against its hash
    whenever it is read, so a torn write is found then like any damage, and a
    rename costs more than the write on some file systems.
    """
    target = bodies / f"{post.digest}.html"
    html = post.body_html
    bodies.mkdir(parents=True, exist_ok=True)
    with open(target, "wb") as handle:
        handle.write(html.encode("utf-8", "surrogatepass"))
    return replace(post, body=Body.stored(html, str(target)))


def _batch(root: Path, rels: list[str]) -> list[Converted]:
    config = _worker["config"]
    renderer = _worker["renderer"]
    bodies = _worker["bodies"]
    return [convert(root, rel, config, renderer, bodies) for rel in rels]  # type: ignore[arg-type]


def default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


def convert_all(
    root: Path, rels: list[str], config: SiteConfig, jobs: int, bodies: Path | None = None
) -> Iterator[Converted]:
    """Convert posts with ``jobs`` processes (``jobs == 1``: in this process)."""
    if jobs <= 1 or len(rels) < MIN_PARALLEL:
        renderer = MarkdownRenderer()
        for rel in rels:
            yield convert(root, rel, config, renderer, bodies)
        return
    size = max(1, min(64, len(rels) // (jobs * 4)))
    batches = [rels[i : i + size] for i in range(0, len(rels), size)]
    with ProcessPoolExecutor(jobs, initializer=_init, initargs=(config, bodies)) as pool:
        for done in pool.map(_batch, [root] * len(batches), batches):
            yield from done


# The output files of the build being rendered: forked workers inherit this list
# (closures cannot be pickled, indices can).
_outputs: list[OutputFile] = []


def _make(indices: list[int]) -> list[tuple[int, bytes]] | tuple[Problem, ...]:
    try:
        return [(index, _outputs[index].produce()) for index in indices]
    except SitegenError as exc:  # sent back as values: the exception does not pickle whole
        return tuple(exc.problems) or (Problem("", 0, "", str(exc)),)


def make_all(files: list[OutputFile], todo: list[int], jobs: int) -> Iterator[OutputFile]:
    """``files`` in order, those at ``todo`` made by forked workers when it pays.

    Files are handed on as soon as their batch is back, so the writer holds a few
    batches of bytes at a time, never the whole site.
    """
    if jobs <= 1 or len(todo) < MIN_PARALLEL or "fork" not in mp.get_all_start_methods():
        yield from files
        return
    size = max(1, min(32, len(todo) // (jobs * 4)))
    batches = [todo[i : i + size] for i in range(0, len(todo), size)]
    _outputs[:] = files
    pool = ProcessPoolExecutor(jobs, mp_context=mp.get_context("fork"))
    try:
        position = 0
        for batch, result in zip(batches, pool.map(_make, batches), strict=True):
            if isinstance(result, tuple):
                raise ContentError(result)
            made = dict(result)
            while position <= batch[-1]:
                item = files[position]
                if position in made:
                    item = OutputFile(item.path, item.fingerprint, partial(_given, made[position]))
                yield item
                position += 1
        yield from files[position:]
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
        _outputs.clear()


def _given(data: bytes) -> bytes:
    return data
