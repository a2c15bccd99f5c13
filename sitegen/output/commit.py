"""The commit: the output directory replaced by the complete new one in one step.

Whoever reads the output (a web server, rsync, a deploy script) sees the last
build or the new one, never a mix, and a build that fails or is killed at any
moment leaves the last output as it was.

Two trees live beside the output: the output itself and a *spare*
(``.<name>.sitegen-spare``) holding the build before it.  A file that is the
same in both is one file with two names (a hard link), so the spare costs
little disk.  A build moves its new files into the spare, makes the spare
equal to the new site by what changed in the last two builds (the cost is
what changed, not the size of the site), then exchanges the two directories
in one system call (``renameat2(RENAME_EXCHANGE)`` on Linux,
``renamex_np(RENAME_SWAP)`` on macOS; elsewhere three renames leave a moment
with no output).  Unchanged files keep their bytes and mtime.

The spare is trusted only with its record (``.sitegen-spare`` in it: which
output it pairs with and where the two differ), which is removed before the
spare is touched; a spare without one is made again from the output.
Everything a build makes beside the output starts with ``.<name>.sitegen-``;
what a killed build left there is removed by the next one (under the lock that
serialises builds of one output).
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import json
import os
import shutil
import stat
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from types import TracebackType

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: builds are not serialised there
    fcntl = None  # type: ignore[assignment]

MARKER = ".sitegen-output"
MARKER_TEXT = b"This directory is written by sitegen; it is replaced on every build.\n"
RECORD = ".sitegen-spare"  # in the spare only, never in the output
_OLD_LEFTOVERS = (".pagefind.new-",)  # staging names of sitegen before the spare, any output


def prefix(output: Path) -> str:
    """The start of every name a build makes beside ``output`` (git-ignored by ``sitegen init``)."""
    return f".{output.name}.sitegen-"


def spare_of(output: Path) -> Path:
    return output.parent / f"{prefix(output)}spare"


class OutputLock:
    """One build of an output at a time: the second waits (``on_wait`` says so first).

    A lock file beside the output, locked with ``flock``: the kernel releases it
    when the process ends, however it ends, so a killed build never blocks the next.
    """

    def __init__(self, output: Path, on_wait: Callable[[], None]) -> None:
        self.path = output.parent / f"{prefix(output)}lock"
        self.on_wait = on_wait
        self.fd: int | None = None

    def __enter__(self) -> OutputLock:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        if fcntl is not None:
            try:
                fcntl.flock(self.fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                self.on_wait()
                fcntl.flock(self.fd, fcntl.LOCK_EX)
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self.fd is not None:
            os.close(self.fd)  # closing releases the lock
            self.fd = None


def remove_leftovers(output: Path) -> list[str]:
    """Remove what killed builds left beside ``output`` (call with the lock held)."""
    mine = prefix(output)
    keep = {f"{mine}spare", f"{mine}lock"}
    old = (f".{output.name}.new-", *_OLD_LEFTOVERS)
    removed = []
    try:
        entries = list(os.scandir(output.parent))
    except OSError:
        return removed
    for entry in entries:
        if entry.name in keep or not entry.name.startswith((mine, *old)):
            continue
        if entry.is_dir(follow_symlinks=False):
            shutil.rmtree(entry.path, ignore_errors=True)
        else:
            os.unlink(entry.path)
        removed.append(entry.name)
    return sorted(removed)


def first(staging: Path, output: Path) -> None:
    """A first build: the staging directory becomes the output (no spare yet)."""
    (staging / MARKER).write_bytes(MARKER_TEXT)
    shutil.rmtree(spare_of(output), ignore_errors=True)  # a spare of an output deleted since
    if output.exists():
        output.rmdir()  # check_output_dir let it through only because it is empty
    os.rename(staging, output)


def commit(staging: Path, output: Path, changed: set[str], removed: set[str]) -> None:
    """Make the output the new site: ``changed`` files (in ``staging``) new, ``removed`` gone."""
    if not changed and not removed:
        return
    spare = spare_of(output)
    last = _trusted_record(spare, output)
    if last is None:
        _spare_from(output, spare)
        last = set()
    else:
        (spare / RECORD).unlink()  # the spare is being changed: untrusted until the next record
    tree = _Tree(spare)
    for key in sorted(removed | {key for key in last - changed if not _is_file(output / key)}):
        tree.remove(key)
    for key in sorted(changed):
        tree.put(key, staging / key, move=True)
    for key in sorted(last - changed - removed):
        if _is_file(output / key):
            tree.put(key, output / key, move=False)
    exchange(spare, output)
    _write_record(spare, output, changed | removed)


def _trusted_record(spare: Path, output: Path) -> set[str] | None:
    """Where the spare differs from the output, if its record pairs it with this output."""
    try:
        record = json.loads((spare / RECORD).read_text(encoding="utf-8"))
        if record["output"] != _identity(output / MARKER):
            return None
        return set(record["differ"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _write_record(spare: Path, output: Path, differ: Iterable[str]) -> None:
    record = {"output": _identity(output / MARKER), "differ": sorted(differ)}
    temporary = spare / f"{RECORD}.new"
    temporary.write_text(json.dumps(record), encoding="utf-8")
    os.replace(temporary, spare / RECORD)


def _identity(marker: Path) -> list[int]:
    """Which output a spare pairs with: the output folder itself and its marker.

    The marker is one file shared by the output and its spare (its mtime never
    changes, so rsync never sends it); an output deleted and built again has a
    new one, so a spare of the old output is never trusted with the new.
    """
    folder, info = os.stat(marker.parent), os.stat(marker)
    return [folder.st_dev, folder.st_ino, info.st_ino, info.st_mtime_ns]


def _is_file(path: Path) -> bool:
    try:
        return stat.S_ISREG(os.lstat(path).st_mode)
    except OSError:
        return False


def _spare_from(output: Path, spare: Path) -> None:
    """A spare equal to the output: every file linked (copied where links fail), the marker too."""
    shutil.rmtree(spare, ignore_errors=True)
    root = str(output)
    for directory, _, filenames in os.walk(output):
        target = spare / os.path.relpath(directory, root)
        target.mkdir(parents=True, exist_ok=True)
        for name in filenames:
            _link(os.path.join(directory, name), target / name)


def _link(source: str | Path, target: Path) -> None:
    try:
        os.link(source, target)
    except OSError as error:
        if error.errno not in (errno.EXDEV, errno.EPERM, errno.EMLINK, errno.ENOTSUP):
            raise
        shutil.copy2(source, target)


class _Tree:
    """The spare as it is brought up to the new site, one file at a time."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._made: set[str] = set()

    def put(self, key: str, source: Path, move: bool) -> None:
        target = self.root / key
        folder = str(target.parent)
        if folder not in self._made:
            self._folders(key)
            self._made.add(folder)
        if target.is_dir() and not target.is_symlink():  # a folder stands where a file now goes
            shutil.rmtree(target)
        if move:
            os.replace(source, target)
        else:
            target.unlink(missing_ok=True)
            _link(source, target)

    def _folders(self, key: str) -> None:
        folder = self.root
        for part in key.split("/")[:-1]:
            folder = folder / part
            if folder.is_symlink() or (folder.exists() and not folder.is_dir()):
                folder.unlink()  # a file stands where a folder now goes
            folder.mkdir(exist_ok=True)

    def remove(self, key: str) -> None:
        target = self.root / key
        if target.is_dir() and not target.is_symlink():
            shutil.rmtree(target)
        else:
            with contextlib.suppress(
                FileNotFoundError, NotADirectoryError
            ):  # a file holds its folder
                target.unlink()
        parent = target.parent
        while parent != self.root and parent.is_dir() and not any(parent.iterdir()):
            parent.rmdir()
            parent = parent.parent


def exchange(a: Path, b: Path) -> None:
    """Swap two directories' names, atomically where the system can."""
    if _exchange_call(a, b):
        return
    aside = b.parent / f"{prefix(b)}aside"  # a moment with no ``b``: removed if killed here
    os.rename(b, aside)
    os.rename(a, b)
    os.rename(aside, a)


def _exchange_call(a: Path, b: Path) -> bool:
    """``renameat2(RENAME_EXCHANGE)`` / ``renamex_np(RENAME_SWAP)``; False where unsupported."""
    libc = ctypes.CDLL(None, use_errno=True)
    if sys.platform.startswith("linux") and hasattr(libc, "renameat2"):
        at_fdcwd, rename_exchange = -100, 2
        result = libc.renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange)
    elif sys.platform == "darwin" and hasattr(libc, "renamex_np"):
        result = libc.renamex_np(os.fsencode(a), os.fsencode(b), 2)  # RENAME_SWAP
    else:
        return False
    if result == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP, errno.EOPNOTSUPP):
        return False  # this file system cannot exchange: rename instead
    raise OSError(code, os.strerror(code), str(a), None, str(b))
