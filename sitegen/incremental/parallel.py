"""Converting posts in worker processes, in batches.

Markdown conversion is pure-Python CPU work, so threads would not help.  Workers
read the files themselves (only paths go out), write each batch's bodies into
one cache file and send back ``PostResult`` values without them; each worker
builds its Markdown renderer once.
"""

from __future__ import annotations

import multiprocessing as mp
import os
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path

from sitegen.errors import ContentError, Problem, SitegenError
from sitegen.markup.sitrep import MarkdownRenderer
from sitegen.model import Body, OutputFile, Staged, digest
from sitegen.read.config import SiteConfig
from sitegen.read.posts import PostResult, read_post

# Below this many posts a pool costs more than it saves.
MIN_PARALLEL = 16
BATCH = 64  # posts per batch: per worker task, and per body pack


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


def convert(root: Path, rel: str, config: SiteConfig, renderer: MarkdownRenderer) -> Converted:
    """Read one post (its HTML stays in memory: see ``stash``)."""
    path = root / rel
    stat = path.stat()
    data = path.read_bytes()
    result = read_post(rel, data, config, renderer)
    return Converted(rel, stat.st_size, stat.st_mtime_ns, digest(data), result)


def stash(batch: list[Converted], bodies: Path | None) -> list[Converted]:
    """The batch with its posts' HTML moved into one pack file ``bodies/<hash>.pack``.

    One file per batch, not per post: creating a file costs more than writing
    it on most file systems, and a clean build would otherwise create one per
    post.  The pack is named by its posts' paths and hashes, so converting the
    same posts again writes the same bytes to the same name.  It is written in
    place, not renamed into place: every body is checked against its hash when
    it is read, so a torn write is found then like any damage.
    """
    stored = [(i, c.result.post) for i, c in enumerate(batch) if c.result.post is not None]
    if bodies is None or not stored:
        return batch
    datas = [post.body_html.encode("utf-8", "surrogatepass") for _, post in stored]
    name = digest("\n".join(f"{post.path}\0{post.digest}" for _, post in stored).encode())
    target = bodies / f"{name}.pack"
    bodies.mkdir(parents=True, exist_ok=True)
    with open(target, "wb") as handle:
        handle.write(b"".join(datas))
    batch = list(batch)
    offset = 0
    for (i, post), data in zip(stored, datas, strict=True):
        body = Body.stored(data, str(target), offset)
        batch[i] = replace(batch[i], result=replace(batch[i].result, post=replace(post, body=body)))
        offset += len(data)
    return batch


def _batch(root: Path, rels: list[str]) -> list[Converted]:
    config = _worker["config"]
    renderer = _worker["renderer"]
    batch = [convert(root, rel, config, renderer) for rel in rels]  # type: ignore[arg-type]
    return stash(batch, _worker["bodies"])  # type: ignore[arg-type]


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
        for i in range(0, len(rels), BATCH):
            yield from stash(
                [convert(root, rel, config, renderer) for rel in rels[i : i + BATCH]], bodies
            )
        return
    size = max(1, min(BATCH, len(rels) // (jobs * 4)))
    batches = [rels[i : i + size] for i in range(0, len(rels), size)]
    with ProcessPoolExecutor(jobs, initializer=_init, initargs=(config, bodies)) as pool:
        for done in pool.map(_batch, [root] * len(batches), batches):
            yield from done


# The output files of the build being rendered, and how to stage one: forked
# workers inherit them (closures cannot be pickled, indices can).
_outputs: list[OutputFile] = []
_stage: list[Callable[[OutputFile], Staged]] = []


def _make(indices: list[int]) -> list[tuple[int, Staged]] | tuple[Problem, ...]:
    try:
        stage = _stage[0]
        return [(index, stage(_outputs[index])) for index in indices]
    except SitegenError as exc:  # sent back as values: the exception does not pickle whole
        return tuple(exc.problems) or (Problem("", 0, "", str(exc)),)


def make_all(
    files: list[OutputFile], todo: list[int], jobs: int, stage: Callable[[OutputFile], Staged]
) -> Iterator[tuple[OutputFile, Staged | None]]:
    """``files`` in order, those at ``todo`` made and staged by forked workers when it pays.

    Each file comes with what ``stage`` made of it in a worker, or None when it
    is left to the writer.  Workers write the files themselves and send back
    only their sizes and times, so every answer is held until the last: the
    batches go out last first, as the pages that take longest (the sources
    page, place pages, feeds) come last in ``files``, and a worker left with
    one of them at the end would keep the other idle.
    """
    if jobs <= 1 or len(todo) < MIN_PARALLEL or "fork" not in mp.get_all_start_methods():
        for item in files:
            yield item, None
        return
    size = max(1, min(32, len(todo) // (jobs * 4)))
    batches = [todo[i : i + size] for i in range(0, len(todo), size)]
    _outputs[:] = files
    _stage[:] = [stage]
    pool = ProcessPoolExecutor(jobs, mp_context=mp.get_context("fork"))
    try:
        made: dict[int, Staged] = {}
        for result in pool.map(_make, batches[::-1]):
            if isinstance(result, tuple):
                raise ContentError(result)
            made.update(result)
        for position, item in enumerate(files):
            yield item, made.get(position)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
        _outputs.clear()
        _stage.clear()
