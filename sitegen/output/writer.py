"""Writing the built site: all or nothing, and never outside the output directory.

New files go into a staging directory beside the target (:class:`Staging`),
and the output changes only once every file is made, in one step
(``output/commit.py``).  A marker file says a directory is sitegen's own, so
sitegen never writes into a directory it did not write.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from types import TracebackType

from sitegen.errors import OutputError
from sitegen.output import commit
from sitegen.output.commit import MARKER

CACHE_NAME = ".sitegen-cache"  # the cache's folder in the site (incremental/store.py)

__all__ = [
    "CACHE_NAME",
    "MARKER",
    "Staged",
    "Staging",
    "cache_folder",
    "check_output_dir",
    "owned_files",
    "safe_key",
]


def check_output_dir(output: Path, root: Path) -> None:
    """Refuse an output that is the site, holds it, sits inside its sources, or is not ours."""
    out = output.resolve()
    site = root.resolve()
    if out == site or site.is_relative_to(out):
        raise OutputError(f"refusing to write the site into {output}: it contains the site itself")
    for source in ("posts", "pages", "templates", "static"):
        if out.is_relative_to(site / source):
            raise OutputError(f"refusing to write the site into {output}: it is inside {source}/")
    if output.is_symlink():
        raise OutputError(f"refusing to write the site into {output}: it is a symbolic link")
    for parent in output.parents:
        if parent.exists() and not parent.is_dir():
            raise OutputError(f"cannot write the site into {output}: {parent} is a file")
    if out.exists():
        if not out.is_dir():
            raise OutputError(f"refusing to write the site into {output}: it is a file")
        if any(out.iterdir()) and not (out / MARKER).is_file():
            raise OutputError(
                f"refusing to replace {output}: it holds files sitegen did not write "
                f"(no {MARKER} marker). Empty it or choose another directory with -o."
            )


def safe_relative(path: str) -> PurePosixPath:
    """A site-relative path that cannot leave the output directory."""
    pure = PurePosixPath(path)
    if pure.is_absolute() or ".." in pure.parts or "\\" in path or "\x00" in path or not pure.parts:
        raise OutputError(f"refusing to write {path!r}: it would leave the output directory")
    return pure


def safe_key(path: str) -> str:
    """``safe_relative(path).as_posix()``, without a path object for a path already normal.

    Called for every output file of every build; a path with no empty, ``.`` or
    ``..`` segment and no backslash or NUL is its own normal form.
    """
    segments = path.split("/")
    if "" in segments or "." in segments or ".." in segments or "\\" in path or "\x00" in path:
        return safe_relative(path).as_posix()
    return path


@dataclass(frozen=True)
class Staged:
    """What became of one output file: its bytes staged anew, or the previous output's kept."""

    written: bool  # False: the previous output already held exactly these bytes
    size: int
    mtime_ns: int


def previous_output(output: Path) -> Path | None:
    """The output of the last build, if there is one (sitegen's marker in it)."""
    output = output.resolve()
    return output if (output / MARKER).is_file() else None


class Staging:
    """A fresh directory beside the output where one build's new files wait for the commit.

    Used as a context manager: whatever happens, the staging directory is gone
    afterwards.  Render workers (forked) stage the files they make themselves,
    so neither the bytes nor the cost of creating files fall on one process.
    """

    def __init__(self, output: Path, previous: Path | None) -> None:
        self.output = output.resolve()
        self.previous = previous
        self.output.parent.mkdir(parents=True, exist_ok=True)
        self.dir = self.scratch("new")
        self._made: set[str] = set()  # folders known to exist (a mkdir is a system call)

    def _folder_of(self, path: str) -> None:
        folder = os.path.dirname(path)
        if folder not in self._made:
            os.makedirs(folder, exist_ok=True)
            self._made.add(folder)

    def scratch(self, kind: str) -> Path:
        """A fresh folder beside the output (on its file system), named as a build's own."""
        name = f"{commit.prefix(self.output)}{kind}-"
        return Path(tempfile.mkdtemp(prefix=name, dir=self.output.parent))

    def __enter__(self) -> Staging:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        shutil.rmtree(self.dir, ignore_errors=True)

    def put(self, key: str, data: bytes) -> Staged:
        """Stage ``data`` at ``key``, unless the previous output holds the same bytes."""
        if self.previous is not None:
            old = os.path.join(self.previous, key)
            if same_bytes(old, data):
                stat = os.stat(old)
                return Staged(False, stat.st_size, stat.st_mtime_ns)
        target = os.path.join(self.dir, key)
        self._folder_of(target)
        with open(target, "wb") as handle:
            handle.write(data)
            handle.flush()
            stat = os.fstat(handle.fileno())
        return Staged(True, stat.st_size, stat.st_mtime_ns)

    def take(self, key: str, path: Path) -> Staged:
        """Stage the file at ``path`` by moving it, unless the previous output has its bytes."""
        if self.previous is not None:
            old = os.path.join(self.previous, key)
            if same_bytes(old, path.read_bytes()):
                stat = os.stat(old)
                return Staged(False, stat.st_size, stat.st_mtime_ns)
        target = self.dir / key
        self._folder_of(str(target))
        os.replace(path, target)
        stat = target.stat()
        return Staged(True, stat.st_size, stat.st_mtime_ns)

    def copy(self, key: str, source: Path) -> Staged:
        """Stage a copy of ``source``, its mtime kept (the plan compares by size and mtime)."""
        target = self.dir / key
        self._folder_of(str(target))
        shutil.copy2(source, target)
        stat = target.stat()
        return Staged(True, stat.st_size, stat.st_mtime_ns)

    def commit(self, changed: set[str], removed: set[str]) -> None:
        """Make the output the new site in one step: the staging directory itself on a first build.

        Later builds exchange the output with a spare brought up to the new site
        (see ``output/commit.py``), so the commit costs what changed, not the
        size of the site, and unchanged files keep their mtime (rsync-friendly).
        """
        if self.previous is None:
            commit.first(self.dir, self.output)
        else:
            commit.commit(self.dir, self.output, changed, removed)


def cache_folder(path: Path) -> None:
    """``mkdir -p`` for a folder of sitegen's cache, whatever stands in its way.

    The cache is sitegen's alone: a file or a link where one of its folders
    should be (damage, an editor's mistake) is removed, never obeyed or fatal.
    Only names at or below the folder called ``.sitegen-cache`` are touched.
    """
    try:
        path.mkdir(parents=True, exist_ok=True)
        return
    except (FileExistsError, NotADirectoryError):
        pass
    parts = path.parts
    if CACHE_NAME not in parts:
        raise OutputError(f"{path}: is not a folder of sitegen's cache")
    top = Path(*parts[: parts.index(CACHE_NAME)])
    for part in parts[parts.index(CACHE_NAME) :]:
        top = top / part
        if top.is_symlink() or (top.exists() and not top.is_dir()):
            top.unlink()
    path.mkdir(parents=True, exist_ok=True)


def owned_files(output: Path) -> set[str]:
    """Every file of an output directory but sitegen's marker (when no manifest lists them)."""
    found = set()
    for directory, _, filenames in os.walk(output):
        rel_dir = Path(directory).relative_to(output).as_posix()
        prefix = "" if rel_dir == "." else rel_dir + "/"
        found |= {prefix + name for name in filenames}
    found.discard(MARKER)
    return found


def same_bytes(path: str | Path, data: bytes) -> bool:
    try:
        if os.stat(path).st_size != len(data):
            return False
        with open(path, "rb") as handle:
            return handle.read() == data
    except OSError:
        return False
