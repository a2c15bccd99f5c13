"""Converting posts in worker processes, in batches.

Markdown conversion is pure-Python CPU work, so threads would not help.  Workers
read the files themselves (only paths go out) and send back ``PostResult``
values; each worker builds its Markdown renderer once.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from sitegen.config import SiteConfig
from sitegen.markup import MarkdownRenderer
from sitegen.model import digest
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


def _init(config: SiteConfig) -> None:
    _worker["config"] = config
    _worker["renderer"] = MarkdownRenderer()


def convert(root: Path, rel: str, config: SiteConfig, renderer: MarkdownRenderer) -> Converted:
    path = root / rel
    stat = path.stat()
    data = path.read_bytes()
    result = read_post(rel, data, config, renderer)
    return Converted(rel, stat.st_size, stat.st_mtime_ns, digest(data), result)


def _batch(root: Path, rels: list[str]) -> list[Converted]:
    config = _worker["config"]
    renderer = _worker["renderer"]
    return [convert(root, rel, config, renderer) for rel in rels]  # type: ignore[arg-type]


def default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


def convert_all(root: Path, rels: list[str], config: SiteConfig, jobs: int) -> Iterator[Converted]:
    """Convert posts with ``jobs`` processes (``jobs == 1``: in this process)."""
    if jobs <= 1 or len(rels) < MIN_PARALLEL:
        renderer = MarkdownRenderer()
        for rel in rels:
            yield convert(root, rel, config, renderer)
        return
    size = max(1, min(64, len(rels) // (jobs * 4)))
    batches = [rels[i : i + size] for i in range(0, len(rels), size)]
    with ProcessPoolExecutor(jobs, initializer=_init, initargs=(config,)) as pool:
        for done in pool.map(_batch, [root] * len(batches), batches):
            yield from done
