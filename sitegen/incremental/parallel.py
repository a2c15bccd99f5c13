"""The build's two parallel steps: converting posts and making outputs, in worker processes.

Markdown conversion and rendering are pure-Python CPU work, so threads would
not help.  Conversion workers read the files themselves (only paths go out),
write each batch's bodies into one cache file and send back ``PostResult``
values without them; each builds its Markdown renderer once.  Render workers
are forked with the plan's outputs and stage the files they make.
"""

from __future__ import annotations

import multiprocessing as mp
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from sitegen.errors import ContentError, Problem, SitegenError
from sitegen.markup.sitrep import MarkdownRenderer
from sitegen.model import digest
from sitegen.output.outputs import Output
from sitegen.output.writer import Staged, Staging, cache_folder, safe_key
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
    try:
        stat = path.stat()
        data = path.read_bytes()
    except OSError as error:  # unreadable: reported with every other problem of the run
        unread = Problem(rel, 0, "", f"cannot be read: {error.strerror or error}")
        return Converted(rel, 0, 0, "", PostResult(None, (unread,)))
    result = read_post(rel, data, config, renderer)
    return Converted(rel, stat.st_size, stat.st_mtime_ns, digest(data), result)


def stash(batch: list[Converted], bodies: Path | None) -> list[Converted]:
    """The batch, its posts' HTML moved into one pack file ``bodies/<hash>.pack``.

    One file per batch, not per post: creating a file costs more than writing
    it on most file systems, and a clean build would otherwise create one per
    post.  The pack is named by its posts' paths and hashes, so converting the
    same posts again writes the same bytes to the same name.  It is written in
    place, not renamed into place: every body is checked against its hash when
    it is read, so a torn write is found then like any damage.
    """
    stored = [c.result.post for c in batch if c.result.post is not None]
    if bodies is None or not stored:
        return batch
    datas = [post.body_html.encode("utf-8", "surrogatepass") for post in stored]
    name = digest("\n".join(f"{post.path}\0{post.digest}" for post in stored).encode())
    target = bodies / f"{name}.pack"
    cache_folder(bodies)
    with open(target, "wb") as handle:
        handle.write(b"".join(datas))
    offset = 0
    for post, data in zip(stored, datas, strict=True):
        post.body.stash(data, str(target), offset)
        offset += len(data)
    return batch


def _batch(root: Path, rels: list[str]) -> list[Converted]:
    config = _worker["config"]
    renderer = _worker["renderer"]
    batch = [convert(root, rel, config, renderer) for rel in rels]  # type: ignore[arg-type]
    return stash(batch, _worker["bodies"])  # type: ignore[arg-type]


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


_maker: dict[str, object] = {}  # per forked render worker: the outputs and the staging


def _adopt(outputs: list[Output], staging: Staging) -> None:
    _maker["outputs"] = outputs
    _maker["staging"] = staging


def make_one(item: Output, staging: Staging) -> Staged:
    """Make one output and stage it (or find the previous output holds its bytes already)."""
    key = safe_key(item.path)
    if item.copy is not None:
        return staging.copy(key, item.copy)
    return staging.put(key, item.produce())  # type: ignore[misc]


def _make(indices: list[int]) -> list[tuple[int, Staged]] | tuple[Problem, ...]:
    outputs: list[Output] = _maker["outputs"]  # type: ignore[assignment]
    staging: Staging = _maker["staging"]  # type: ignore[assignment]
    try:
        return [(index, make_one(outputs[index], staging)) for index in indices]
    except SitegenError as exc:  # sent back as values: the exception does not pickle whole
        return tuple(exc.problems) or (Problem("", 0, "", str(exc)),)


def make_all(
    outputs: list[Output], todo: list[int], staging: Staging, jobs: int
) -> dict[int, Staged]:
    """Make and stage the outputs at ``todo``, with ``jobs`` forked workers when it pays.

    Each worker makes and writes its files itself and sends back only what
    became of them.  The batches go out last first: the outputs that take
    longest (the sources page, place pages, feeds) come last in ``outputs``,
    and a worker left with one of them at the end would keep the other idle.
    The workers are forked, so they inherit the outputs (closures do not pickle).
    """
    if jobs <= 1 or len(todo) < MIN_PARALLEL or "fork" not in mp.get_all_start_methods():
        return {index: make_one(outputs[index], staging) for index in todo}
    size = max(1, min(32, len(todo) // (jobs * 4)))
    batches = [todo[i : i + size] for i in range(0, len(todo), size)]
    made: dict[int, Staged] = {}
    with ProcessPoolExecutor(
        jobs, mp_context=mp.get_context("fork"), initializer=_adopt, initargs=(outputs, staging)
    ) as pool:
        for result in pool.map(_make, batches[::-1]):
            if isinstance(result, tuple):
                pool.shutdown(wait=True, cancel_futures=True)
                raise ContentError(result)
            made.update(result)
    return made
