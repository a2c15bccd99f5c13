"""The incremental cache in ``.sitegen-cache/``: converted posts and what the last build wrote.

Two stores, both rebuilt from scratch whenever they look stale or damaged:

- ``posts/<n>.pickle`` map each post file to its stat, the hash of its bytes and the
  ``PostResult`` read from it; the body HTML of each post is a slice of a pack
  file in ``bodies/<key>/`` (one per batch of posts converted together), read
  (and checked against its hash) only when a page or feed needs it.  A pack is
  removed once no stored post refers to it.  The whole store is keyed by a
  hash of sitegen's own code and of the whole config, so a new sitegen or any
  change to ``site.yaml`` re-reads everything.  A file whose size or mtime
  changed, or whose mtime is too close to the store's own write time to be
  trusted (git's "racy" case), is hashed again.
- ``index.pickle`` holds the last build's site indexes by post position, under a
  key of every post's ``index`` digest: a body edit does not regroup the archive.
- ``output-<hash>.json`` records, per output directory, the fingerprint, size and
  mtime of every file written, so an unchanged page is left as it is instead of
  rendered again.

The cache is local to one checkout and written only by sitegen.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import pickle
import shutil
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sitegen.index.site import Layout
from sitegen.model import Post, digest
from sitegen.read.posts import PostResult

CACHE_DIR = ".sitegen-cache"
FORMAT = 1
RACY_NS = 2_000_000_000  # files touched this close to the store's write are re-hashed
_SOURCES = Path(__file__).resolve().parents[1]  # the sitegen package


def code_fingerprint() -> str:
    """A hash of sitegen's own source, so a changed sitegen never trusts old results."""
    h = hashlib.blake2b(digest_size=16)
    for path in sorted(_SOURCES.rglob("*.py")):
        h.update(path.relative_to(_SOURCES).as_posix().encode())
        h.update(path.read_bytes())
    return h.hexdigest()


@dataclass(frozen=True)
class Entry:
    size: int
    mtime_ns: int
    digest: str
    result: PostResult


def _atomic_write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=path.name, dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


class PostStore:
    """Converted posts by site-relative path; ``key`` covers code and config.

    The store is split into ``SHARDS`` files by a hash of the path: a build that
    converted one post rewrites one shard, and a damaged shard costs only its
    own posts.  Equal sources and places of posts converted together are stored once.
    """

    SHARDS = 32

    def __init__(self, root: Path, key: str, enabled: bool = True) -> None:
        self.path = root / CACHE_DIR / "posts"
        # Bodies live beside the store, in a folder of this key: a new key starts afresh.
        self.bodies = root / CACHE_DIR / "bodies" / key[:24] if enabled else None
        self.key = key
        self.enabled = enabled
        self.entries: dict[str, Entry] = {}
        self.written_ns: dict[int, int] = {}  # per shard
        self.stored_ns: dict[str, int] = {}  # per path: when its shard was written
        self.dirty: set[int] = set()
        self.orphans: set[str] = set()  # bodies that entries stopped referring to
        self._shared: dict[object, object] = {}  # among the posts stored by this build

    @classmethod
    def shard(cls, rel: str) -> int:
        return (
            hashlib.blake2b(rel.encode("utf-8", "surrogatepass"), digest_size=2).digest()[0]
            % cls.SHARDS
        )

    def load(self) -> None:
        if not self.enabled:
            return
        for number in range(self.SHARDS):
            try:
                with (self.path / f"{number}.pickle").open("rb") as handle:
                    header, key, written_ns, entries = pickle.load(handle)
                if header != FORMAT or key != self.key or not isinstance(entries, dict):
                    continue
                if not all(
                    isinstance(e, Entry) and self.shard(r) == number for r, e in entries.items()
                ):
                    continue
            except Exception:  # missing, truncated or foreign: its posts are read again
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
        if post is not None:  # posts stored together share their equal values (see _share)
            post = self._share(post)
            entry = dataclasses.replace(entry, result=dataclasses.replace(entry.result, post=post))
        self._forget(rel)
        self.entries[rel] = entry
        self.dirty.add(self.shard(rel))
        return entry

    def _share(self, post: Post) -> Post:
        """The post with the values it has in common with others stored by this build.

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
            payload = pickle.dumps((FORMAT, self.key, now, entries), protocol=5)
            _atomic_write(self.path / f"{number}.pickle", payload)
            self.written_ns[number] = now
        self.dirty.clear()
        self._prune_bodies(everything=bool(unknown))

    def clear(self) -> None:
        """Forget every converted post (the store and all bodies)."""
        shutil.rmtree(self.path, ignore_errors=True)
        shutil.rmtree(self.path.parent / "bodies", ignore_errors=True)

    def _prune_bodies(self, everything: bool) -> None:
        """Remove bodies no entry refers to: those let go this build, or all (after damage)."""
        if self.bodies is None:
            return
        for other in self.bodies.parent.glob("*"):
            if other != self.bodies:
                shutil.rmtree(other, ignore_errors=True)
        if not everything and not self.orphans:
            return
        live = {
            e.result.post.body.path
            for e in self.entries.values()
            if e.result.post is not None and e.result.post.body.path is not None
        }
        if everything and self.bodies.is_dir():
            self.orphans |= {str(body) for body in self.bodies.glob("*")}
        for body in self.orphans - live:
            Path(body).unlink(missing_ok=True)
        self.orphans.clear()


class IndexCache:
    """The last build's site indexes (a ``Layout``), under a key of what they were made from.

    The key covers the store's key (code and config) and every shown post's
    ``index`` digest in order; a build whose posts index exactly as before (an
    edit inside a body) takes the layout instead of grouping every post again.
    """

    def __init__(self, root: Path, enabled: bool = True) -> None:
        self.path = root / CACHE_DIR / "index.pickle"
        self.enabled = enabled

    def load(self, key: str) -> Layout | None:
        if not self.enabled:
            return None
        try:
            with self.path.open("rb") as handle:
                header, stored, layout = pickle.load(handle)
        except Exception:  # missing, truncated or foreign: the indexes are made again
            return None
        ok = header == FORMAT and stored == key and isinstance(layout, Layout)
        return layout if ok else None

    def save(self, key: str, layout: Layout) -> None:
        if self.enabled:
            _atomic_write(self.path, pickle.dumps((FORMAT, key, layout), protocol=5))


class OutputManifest:
    """What the last build wrote into one output directory, by path."""

    def __init__(self, root: Path, output: Path, enabled: bool = True) -> None:
        name = digest(str(output.resolve()).encode())
        self.path = root / CACHE_DIR / f"output-{name}.json"
        self.enabled = enabled
        self.files: dict[str, list[Any]] = {}
        self.verdicts: dict[str, bool] = {}  # output path -> must be made (this build)

    def load(self) -> None:
        if not self.enabled:
            return
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            if data.get("format") == FORMAT and isinstance(data.get("files"), dict):
                self.files = data["files"]
        except Exception:  # missing or damaged: every page is rendered afresh
            self.files = {}

    def reusable(self, rel: str, fingerprint: str, old: str) -> bool:
        """True when the previous output still holds exactly what this fingerprint made."""
        record = self.files.get(rel)
        if not record or record[0] != fingerprint:
            return False
        try:
            stat = os.stat(old)
        except OSError:
            return False
        return [stat.st_size, stat.st_mtime_ns] == record[1:]

    def drop(self) -> None:
        """Forget the record before the output changes (it is saved again when done)."""
        self.path.unlink(missing_ok=True)

    def save(self, files: dict[str, list[Any]]) -> None:
        if not self.enabled:
            return
        data = json.dumps({"format": FORMAT, "files": files}, sort_keys=True)
        _atomic_write(self.path, data.encode("utf-8"))


def tree_listing(root: Path, names: list[str]) -> tuple[list[tuple[str, int, int]], int]:
    """(path, size, mtime) of every file under ``root/name`` for each name, and the newest mtime."""
    entries = []
    for name in names:
        top = root / name
        if top.is_file():
            stat = top.stat()
            entries.append((name, stat.st_size, stat.st_mtime_ns))
            continue
        for directory, _, filenames in os.walk(top, followlinks=True):
            rel_dir = os.path.relpath(directory, root)
            prefix = "" if rel_dir == "." else rel_dir + os.sep
            for filename in filenames:
                stat = os.stat(os.path.join(directory, filename))
                entries.append((prefix + filename, stat.st_size, stat.st_mtime_ns))
    return entries, max((mtime for _, _, mtime in entries), default=0)


def listing_digest(entries: list[tuple[str, int, int]]) -> str:
    h = hashlib.blake2b(digest_size=16)
    for rel, size, mtime in sorted(entries):
        h.update(f"{rel}\0{size}\0{mtime}\n".encode("utf-8", "surrogatepass"))
    return h.hexdigest()


def tree_digest(root: Path, names: list[str]) -> tuple[str, int]:
    """A hash of every file's path, size and mtime under ``root/name``, and the newest mtime."""
    entries, newest = tree_listing(root, names)
    return listing_digest(entries), newest


class BuildStamp:
    """What the last successful build into one output was made from, for the no-op check.

    When the sources (by path, size and mtime), sitegen, the options and the output
    itself are exactly as the last build left them, and no future-dated post has
    come due, the build is already done: nothing is read, rendered or written.
    """

    def __init__(self, root: Path, output: Path, enabled: bool = True) -> None:
        name = digest(str(output.resolve()).encode())
        self.path = root / CACHE_DIR / f"stamp-{name}.json"
        self.output = output
        self.enabled = enabled

    def load(self, key: str, newest_ns: int, now_ns: int) -> dict[str, Any] | None:
        """The last build's record if it still holds, else None.

        ``newest_ns`` is the newest mtime among the sources: one too close to the
        stamp's own writing (git's "racy" case) cannot be trusted to differ.
        """
        if not self.enabled:
            return None
        try:
            record = json.loads(self.path.read_text(encoding="utf-8"))
        except Exception:  # missing or damaged: build
            return None
        if record.get("format") != FORMAT or record.get("key") != key:
            return None
        if record.get("next_change") is not None and now_ns >= record["next_change"]:
            return None  # a future post is due
        if newest_ns >= record.get("written_ns", 0) - RACY_NS:
            return None
        if tree_digest(self.output, ["."])[0] != record.get("output"):
            return None  # the output was changed by hand, or removed
        return record

    def save(
        self,
        key: str,
        next_change: int | None,
        summary: dict[str, Any],
        output: list[tuple[str, int, int]] | None = None,
    ) -> None:
        """Record the build; ``output`` lists the output's files if the caller knows them."""
        if not self.enabled:
            return
        record = {
            "format": FORMAT,
            "key": key,
            "next_change": next_change,
            "written_ns": time.time_ns(),
            "output": listing_digest(output)
            if output is not None
            else tree_digest(self.output, ["."])[0],
            **summary,
        }
        _atomic_write(self.path, json.dumps(record, sort_keys=True).encode("utf-8"))
