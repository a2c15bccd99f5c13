"""What a tree of files holds, as (path, size, mtime) listings and their digests.

The no-op stamp compares the sources' and the output's listings with the last
build's; serve takes the sources' digest before its first build.
"""

from __future__ import annotations

import os
from pathlib import Path

from sitegen.model import digest


def tree_listing(root: Path, names: list[str]) -> tuple[list[tuple[str, int, int]], int]:
    """(path, size, mtime) of every file under ``root/name`` for each name, and the newest mtime."""
    entries = []
    for name in names:
        top = root / name
        if top.is_file():
            stat = top.stat()
            entries.append((name, stat.st_size, stat.st_mtime_ns))
            continue
        seen: set[str] = set()  # folders walked, by real path: a loop of links is walked once
        for directory, folders, filenames in os.walk(top, followlinks=True):
            real = os.path.realpath(directory)
            if real in seen:
                folders.clear()
                continue
            seen.add(real)
            rel_dir = os.path.relpath(directory, root)
            prefix = "" if rel_dir == "." else rel_dir + os.sep
            for filename in filenames:
                try:
                    stat = os.stat(os.path.join(directory, filename))
                except OSError:  # a link to nothing: discovery reports it
                    stat = os.lstat(os.path.join(directory, filename))
                entries.append((prefix + filename, stat.st_size, stat.st_mtime_ns))
    return entries, max((mtime for _, _, mtime in entries), default=0)


def listing_digest(entries: list[tuple[str, int, int]]) -> str:
    return digest(
        "".join(f"{rel}\0{size}\0{mtime}\n" for rel, size, mtime in sorted(entries)).encode(
            "utf-8", "surrogatepass"
        )
    )


def tree_digest(root: Path, names: list[str]) -> tuple[str, int]:
    """A hash of every file's path, size and mtime under ``root/name``, and the newest mtime."""
    entries, newest = tree_listing(root, names)
    return listing_digest(entries), newest
