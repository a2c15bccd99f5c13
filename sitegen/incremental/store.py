"""The cache in ``.sitegen-cache/``: what earlier builds made, kept to be reused.

Every store follows one protocol (:class:`Store`): a pickle file headed by the
cache format and the store's key, read whole or not at all — missing, damaged,
foreign or stale under another key, it counts as empty and is made again.

The cache has two kinds of place:

- an *area* per read key (``areas/<key>/``): the converted posts and the last
  site indexes, which depend on sitegen, its libraries and the parts of the
  config that reading uses.  ``sitegen build`` and ``sitegen serve`` (another
  ``base_url``) share one; a site.yaml edit that reading uses starts another,
  and the few most recently used areas are kept, so switching back and forth
  never throws the other's work away.
- a folder per output directory (``outputs/<hash>/``): what the last build wrote
  there (the manifest) and the no-op stamp.

The cache is local to one checkout and written only by sitegen.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import pickle
import shutil
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sitegen.incremental.trees import listing_digest, tree_digest
from sitegen.index.site import Layout
from sitegen.model import Post, digest
from sitegen.output.writer import CACHE_NAME, cache_folder
from sitegen.read.posts import PostResult

CACHE_DIR = CACHE_NAME
FORMAT = 2
AREAS_KEPT = 3  # read keys whose converted posts are kept (build, serve, one more)
RACY_NS = 2_000_000_000  # files touched this close to a store's write are re-hashed
_OLD_LAYOUT = ("posts", "bodies", "index.pickle")  # the cache's layout before areas


def atomic_write(path: Path, data: bytes) -> None:
    cache_folder(path.parent)
    fd, tmp = tempfile.mkstemp(prefix=path.name, dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        if path.is_dir() and not path.is_symlink():  # damage: a folder where the file goes
            shutil.rmtree(path)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


class Store:
    """One file of the cache: ``(FORMAT, key, payload)``, trusted only under its own key."""

    def __init__(self, path: Path, key: str, enabled: bool = True) -> None:
        self.path = path
        self.key = key
        self.enabled = enabled

    def read(self) -> Any | None:
        """The payload, or None when the file is missing, damaged or under another key."""
        if not self.enabled:
            return None
        try:
            with self.path.open("rb") as handle:
                header, key, payload = pickle.load(handle)
        except Exception:  # missing, truncated or foreign: made again
            return None
        return payload if header == FORMAT and key == self.key else None

    def write(self, payload: Any) -> None:
        if self.enabled:
            atomic_write(self.path, pickle.dumps((FORMAT, self.key, payload), protocol=5))

    def drop(self) -> None:
        with contextlib.suppress(NotADirectoryError):  # a file holds its folder: gone all the same
            remove(self.path)


def area(root: Path, read_key: str) -> Path:
    """The cache area of one read key (read by ``check``, which writes nothing)."""
    return root / CACHE_DIR / "areas" / read_key[:24]


def use_area(here: Path) -> None:
    """Mark an area as just used by a build; the areas beyond the few most recent go."""
    top = here.parent.parent
    cache_folder(here)
    os.utime(here)
    others = sorted(
        (p for p in here.parent.iterdir() if p != here),
        key=lambda p: p.stat().st_mtime_ns,
        reverse=True,
    )
    for old in others[AREAS_KEPT - 1 :]:
        shutil.rmtree(old, ignore_errors=True)
    for name in _OLD_LAYOUT:
        remove(top / name)
    for old in [*top.glob("output-*.json"), *top.glob("stamp-*.json")]:
        old.unlink(missing_ok=True)


def remove(path: Path) -> None:
    """Whatever is at ``path`` (a folder, a file, a link) is gone."""
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)


def output_area(root: Path, output: Path) -> Path:
    """Where the manifest and the stamp of one output directory live."""
    return root / CACHE_DIR / "outputs" / digest(str(output.resolve()).encode())[:24]


@dataclass(frozen=True)
class Entry:
    size: int
    mtime_ns: int
    digest: str
    result: PostResult


class PostStore:
    """Converted posts by site-relative path, in ``SHARDS`` stores under the area's key.

    A build that converted one post rewrites one shard, and a damaged shard
    costs only its own posts.  The body HTML of each post is a slice of a pack
    file in ``bodies/`` (one per batch of posts converted together), read and
    checked against its hash only when a page or feed needs it; a pack goes
    once no stored post refers to it.  A file whose size or mtime changed, or
    whose mtime is too close to its shard's write to be trusted (git's "racy"
    case), is hashed again.
    """

    SHARDS = 32

    def __init__(self, area: Path | None, key: str) -> None:
        enabled = area is not None
        top = area if area is not None else Path()
        self.shards = [
            Store(top / "posts" / f"{n}.pickle", key, enabled) for n in range(self.SHARDS)
        ]
        self.bodies = top / "bodies" if enabled else None
        self.enabled = enabled
        self.entries: dict[str, Entry] = {}
        self.written_ns: dict[int, int] = {}  # per shard
        self.stored_ns: dict[str, int] = {}  # per path: when its shard was written
        self.dirty: set[int] = set()
        self.orphans: set[str] = set()  # bodies that entries stopped referring to
        self._shared: dict[object, object] = {}  # among the posts stored by this build

    @classmethod
    def shard(cls, rel: str) -> int:
        return int(digest(rel.encode("utf-8", "surrogatepass"))[:2], 16) % cls.SHARDS

    def load(self) -> None:
        for number, store in enumerate(self.shards):
            payload = store.read()
            if not isinstance(payload, tuple) or len(payload) != 2:
                continue
            written_ns, entries = payload
            if not isinstance(entries, dict) or not all(
                isinstance(e, Entry) and self.shard(r) == number for r, e in entries.items()
            ):
                continue
            self.entries.update(entries)
            self.written_ns[number] = written_ns
            self.stored_ns.update(dict.fromkeys(entries, written_ns))

    def lookup(self, rel: str, path: str) -> Entry | None:
        """The cached entry if the file is unchanged, else None (the post must be converted)."""
        entry = self.entries.get(rel)
        if entry is None:
            return None
        stat = os.stat(path)  # (a body missing from the cache is caught when it is read)
        same_stat = (entry.size, entry.mtime_ns) == (stat.st_size, stat.st_mtime_ns)
        if same_stat and stat.st_mtime_ns < self.stored_ns.get(rel, 0) - RACY_NS:
            return entry
        with open(path, "rb") as handle:
            if entry.digest != digest(handle.read()):
                return None
        # Same bytes, new stat (touched, or checked out again): remember the new stat.
        return self.put(rel, Entry(stat.st_size, stat.st_mtime_ns, entry.digest, entry.result))

    def put(self, rel: str, entry: Entry) -> Entry:
        """Store ``entry``; the stored one (its post sharing values with others) is returned."""
        post = entry.result.post
        if post is not None:
            post = self._share(post)
            entry = dataclasses.replace(entry, result=dataclasses.replace(entry.result, post=post))
        self._forget(rel)
        self.entries[rel] = entry
        self.dirty.add(self.shard(rel))
        return entry

    def _share(self, post: Post) -> Post:
        """The post, remade with the values it shares with others stored by this build.

        Pickled once per shard and loaded as one object: sources, places, names
        of fields and terms repeat across most posts, and the store's load time
        goes by the number of objects (a one-post rebuild loads all of them).
        """
        shared = self._shared

        def one(value: Any) -> Any:
            return shared.setdefault(value, value)

        return dataclasses.replace(
            post,
            sources=tuple(map(one, post.sources)),
            places=tuple(map(one, post.places)),
            authors=one(tuple(map(one, post.authors))),
            tags=one(tuple(map(one, post.tags))),
            taxonomies=one(
                tuple((one(name), one(tuple(map(one, terms)))) for name, terms in post.taxonomies)
            ),
            series=one(post.series),
            lines={one(key): line for key, line in post.lines.items()},
        )

    def _forget(self, rel: str) -> None:
        old = self.entries.get(rel)
        if old is not None and old.result.post is not None and old.result.post.body.path:
            self.orphans.add(old.result.post.body.path)

    def save(self, keep: set[str]) -> None:
        if not self.enabled:
            return
        for rel in set(self.entries) - keep:
            self._forget(rel)
            del self.entries[rel]
            self.dirty.add(self.shard(rel))
        unknown = set(range(self.SHARDS)) - set(self.written_ns)  # missing or damaged
        self.dirty |= unknown
        if not self.dirty:
            return
        shards: dict[int, dict[str, Entry]] = {number: {} for number in self.dirty}
        for rel, entry in self.entries.items():
            number = self.shard(rel)
            if number in shards:
                shards[number][rel] = entry
        now = time.time_ns()
        for number, entries in shards.items():
            self.shards[number].write((now, entries))
            self.written_ns[number] = now
        self.dirty.clear()
        self._prune_bodies(everything=bool(unknown))

    def clear(self) -> None:
        """Forget every converted post (the store and all bodies)."""
        for store in self.shards:
            store.drop()
        if self.bodies is not None:
            remove(self.bodies)

    def _prune_bodies(self, everything: bool) -> None:
        """Remove bodies no entry refers to: those let go this build, or all (after damage)."""
        if self.bodies is None or (not everything and not self.orphans):
            return
        live = {
            e.result.post.body.path
            for e in self.entries.values()
            if e.result.post is not None and e.result.post.body.path is not None
        }
        if everything and self.bodies.is_dir():
            self.orphans |= {str(body) for body in self.bodies.glob("*")}
        for body in self.orphans - live:
            remove(Path(body))
        self.orphans.clear()


class IndexCache(Store):
    """The last build's site indexes (a ``Layout``), under a key of what they were made from.

    The key covers the area's key and every shown post's ``index`` digest in
    order; a build whose posts index exactly as before (an edit inside a body)
    takes the layout instead of grouping every post again.
    """

    def __init__(self, area: Path | None, key: str) -> None:
        super().__init__((area or Path()) / "index.pickle", key, area is not None)

    def load(self) -> Layout | None:
        layout = self.read()
        return layout if isinstance(layout, Layout) else None


class OutputManifest(Store):
    """What the last build wrote into one output directory: path -> [fingerprint, size, mtime]."""

    def __init__(self, place: Path, key: str, enabled: bool = True) -> None:
        super().__init__(place / "manifest.pickle", key, enabled)
        self.files: dict[str, list[Any]] = {}

    def load(self) -> None:
        files = self.read()
        self.files = files if isinstance(files, dict) else {}


class SearchDebt(Store):
    """Pages of one output whose search bundle was left stale (``index_later``): made next."""

    def __init__(self, place: Path, key: str, enabled: bool = True) -> None:
        super().__init__(place / "search-debt.pickle", key, enabled)

    def load(self) -> set[str]:
        pages = self.read()
        return pages if isinstance(pages, set) else set()


class BuildStamp(Store):
    """What the last successful build into one output was made from, for the no-op check.

    When the sources (by path, size and mtime), sitegen, the options and the output
    itself are exactly as the last build left them, and no future-dated post has
    come due, the build is already done: nothing is read, rendered or written.
    The key is the sources' and options' digest, so any change reads as a miss.
    """

    def __init__(self, place: Path, output: Path, key: str, enabled: bool = True) -> None:
        super().__init__(place / "stamp.pickle", key, enabled)
        self.output = output

    def load(self, newest_ns: int, now_ns: int) -> dict[str, Any] | None:
        """The last build's summary if it still holds, else None.

        ``newest_ns`` is the newest mtime among the sources: one too close to the
        stamp's own writing (git's "racy" case) cannot be trusted to differ.
        """
        record = self.read()
        if not isinstance(record, dict) or now_ns < record["now_ns"]:
            return None  # (a build "at" an earlier moment may show fewer posts)
        if record["next_change"] is not None and now_ns >= record["next_change"]:
            return None  # a future post is due
        if newest_ns >= record["written_ns"] - RACY_NS:
            return None
        if tree_digest(self.output, ["."])[0] != record["output"]:
            return None  # the output was changed by hand, or removed
        return record["summary"]

    def save(
        self,
        now_ns: int,
        next_change: int | None,
        summary: dict[str, Any],
        output: list[tuple[str, int, int]],
    ) -> None:
        """Record the build; ``output`` lists every file of the output (path, size, mtime)."""
        self.write(
            {
                "now_ns": now_ns,
                "next_change": next_change,
                "written_ns": time.time_ns(),
                "output": listing_digest(output),
                "summary": summary,
            }
        )
