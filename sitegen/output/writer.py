"""Writing the built site: all or nothing, and never outside the output directory.

Files go into a staging directory beside the target, and the output changes only
once every file is rendered: a first build renames the staging directory into
place, later ones rename each changed file into place.  A marker file says a
directory is sitegen's own, so sitegen never writes into a directory it did not
write.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from sitegen.errors import OutputError
from sitegen.incremental.store import OutputManifest
from sitegen.model import OutputFile, Staged

MARKER = ".sitegen-output"
MARKER_TEXT = b"This directory is written by sitegen; it is replaced on every build.\n"


def check_output_dir(output: Path, root: Path) -> None:
    """Refuse an output that is the site, holds it, sits inside its sources, or is not ours."""
    out = output.resolve()
    site = root.resolve()
    if out == site or site.is_relative_to(out):
        raise OutputError(f"refusing to write the site into {output}: it contains the site itself")
    for source in ("posts", "templates", "static"):
        if out.is_relative_to(site / source):
            raise OutputError(f"refusing to write the site into {output}: it is inside {source}/")
    if output.is_symlink():
        raise OutputError(f"refusing to write the site into {output}: it is a symbolic link")
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


@dataclass
class WriteStats:
    written: int = 0  # files whose bytes are new
    kept: int = 0  # files carried over from the previous output (same bytes, same mtime)
    paths: set[str] = field(default_factory=set)  # every file of the new output
    changed: set[str] = field(default_factory=set)  # files whose bytes are new
    removed: set[str] | None = None  # generated files of the last build not made again (if known)
    records: dict[str, list[Any]] = field(default_factory=dict)  # path: [fingerprint, size, mtime]

    @property
    def total(self) -> int:
        return self.written + self.kept


def previous_output(output: Path) -> Path | None:
    """The output of the last build, if there is one (sitegen's marker in it)."""
    output = output.resolve()
    return output if (output / MARKER).is_file() else None


def must_make(item: OutputFile, previous: Path | None, manifest: OutputManifest | None) -> bool:
    """False when the previous output already holds exactly what ``item`` would make.

    Decided once per file and build (the manifest remembers the verdict).
    """
    if previous is None or manifest is None:
        return True
    verdict = manifest.verdicts.get(item.path)
    if verdict is None:
        key = safe_key(item.path)
        verdict = not manifest.reusable(key, item.fingerprint, os.path.join(previous, key))
        manifest.verdicts[item.path] = verdict
    return verdict


def stage_file(item: OutputFile, staging: Path, previous: Path | None) -> Staged:
    """Make ``item`` and put it in ``staging``, unless ``previous`` holds the same bytes.

    Run in the render workers as well as in the writer's own process: each file
    is written by the process that made it, so neither its bytes nor the cost
    of creating it (a folder and a file per page) fall on one process.
    """
    key = safe_key(item.path)
    data = item.produce()
    if previous is not None:
        old = os.path.join(previous, key)
        if _same_bytes(old, data):
            stat = os.stat(old)
            return Staged(False, stat.st_size, stat.st_mtime_ns)
    target = os.path.join(staging, key)
    os.makedirs(os.path.dirname(target), exist_ok=True)
    with open(target, "wb") as handle:
        handle.write(data)
        handle.flush()
        stat = os.fstat(handle.fileno())
    return Staged(True, stat.st_size, stat.st_mtime_ns)


Maker = Callable[[Callable[[OutputFile], Staged]], Iterable[tuple[OutputFile, Staged | None]]]


def write_site(
    make: Maker,
    static_dirs: list[Path],
    output: Path,
    root: Path,
    manifest: OutputManifest | None = None,
    finish: Callable[[Path, WriteStats], None] | None = None,
    reserved: tuple[str, ...] = (),
) -> WriteStats:
    """Render what changed into staging, then commit it into ``output``.

    ``make(stage)`` gives every output file in order, each with what became of
    it if a render worker already called ``stage`` on it (None: it is made
    here, unless the previous output holds it already).

    ``static_dirs`` are copied under ``static/``, the first one winning where two
    hold the same file (the site's own before the theme's).  ``finish(site,
    stats)`` runs once ``site`` holds the whole new site (the search index is made
    there); the top-level ``reserved`` entries of the output belong to it.

    Nothing in ``output`` changes until every file has been rendered, so a failed
    or interrupted build leaves the last output as it was.  A first build renames
    the staging directory into place.  Later builds leave unchanged files alone
    (same bytes, same mtime: rsync-friendly) and commit only the changed ones, each
    by an atomic rename, so the commit costs what changed, not the size of the
    site.  The manifest is dropped before the commit: a build killed in the middle
    of it is followed by one that trusts no fingerprint and compares bytes.
    """
    check_output_dir(output, root)
    output = output.resolve()
    output.parent.mkdir(parents=True, exist_ok=True)
    previous = previous_output(output)
    staging = Path(tempfile.mkdtemp(prefix=f".{output.name}.new-", dir=output.parent))
    stats = WriteStats()
    records = stats.records
    made = stats.paths

    def count(key: str, staged: Staged) -> None:
        if staged.written:
            stats.written += 1
            stats.changed.add(key)
        else:
            stats.kept += 1

    def place(item: OutputFile, staged: Staged | None) -> None:
        key = safe_key(item.path)
        if key in made:
            raise OutputError(f"internal error: {key} was written twice")
        made.add(key)
        if staged is None:
            if previous is not None and not must_make(item, previous, manifest):
                records[key] = manifest.files[key]  # type: ignore[union-attr]
                stats.kept += 1
                return
            staged = stage(item)
        count(key, staged)
        records[key] = [item.fingerprint, staged.size, staged.mtime_ns]

    def place_static(rel: PurePosixPath, source: Path) -> None:
        key = rel.as_posix()
        made.add(key)
        old = previous.joinpath(*rel.parts) if previous else None
        src = source.stat()
        records[key] = [STATIC, src.st_size, src.st_mtime_ns]
        if old is not None:
            try:
                now = old.stat()
            except OSError:
                now = None
            if now is not None and (now.st_size, now.st_mtime_ns) == (src.st_size, src.st_mtime_ns):
                stats.kept += 1
                return
        target = staging.joinpath(*rel.parts)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, target)
        count(key, Staged(True, src.st_size, src.st_mtime_ns))

    def stage(item: OutputFile) -> Staged:
        return stage_file(item, staging, previous)

    try:
        for item, staged in make(stage):
            place(item, staged)
        generated = set(made)
        for static_dir in static_dirs:
            for source in sorted(static_dir.rglob("*")) if static_dir.is_dir() else []:
                rel = PurePosixPath("static", source.relative_to(static_dir).as_posix())
                if not source.is_file():
                    continue
                if rel.as_posix() in generated:
                    raise OutputError(f"{rel} would overwrite a generated file of the same path")
                if rel.as_posix() not in made:  # else the site's own static/ gave it already
                    place_static(rel, source)
        if previous is None:
            (staging / MARKER).write_bytes(MARKER_TEXT)
            if finish is not None:
                finish(staging, stats)
            _move_in(staging, output)
        else:
            stats.removed = _old_files(output, manifest, reserved) - made
            if manifest is not None:
                manifest.drop()
            _commit(staging, output, stats.changed, stats.removed)
            if finish is not None:
                finish(output, stats)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    if manifest is not None:
        manifest.save(records)
    return stats


STATIC = "static"  # the manifest's fingerprint for a copied static file (kept by size and mtime)


def _old_files(
    output: Path, manifest: OutputManifest | None, reserved: tuple[str, ...]
) -> set[str]:
    """Every file of the last output that sitegen owns: the manifest's list, or a walk."""
    if manifest is not None and manifest.files:
        return set(manifest.files)
    found = set()
    for directory, dirnames, filenames in os.walk(output):
        rel_dir = Path(directory).relative_to(output).as_posix()
        if rel_dir == ".":
            dirnames[:] = [d for d in dirnames if d not in reserved]
            found |= {name for name in filenames if name != MARKER}
        else:
            found |= {f"{rel_dir}/{name}" for name in filenames}
    return found


def _commit(staging: Path, output: Path, changed: set[str], removed: set[str]) -> None:
    """Remove what is gone, then rename each changed file into place (atomically, one by one)."""
    for rel in sorted(removed):
        path = output / rel
        path.unlink(missing_ok=True)
        parent = path.parent
        while parent != output and parent.is_dir() and not any(parent.iterdir()):
            parent.rmdir()
            parent = parent.parent
    for rel in sorted(changed):
        target = output / rel
        for parent in reversed(PurePosixPath(rel).parents[:-1]):
            if (output / parent).is_file():  # a file stands where a folder now goes
                (output / parent).unlink()
        if target.is_dir():  # a folder stands where a file now goes
            shutil.rmtree(target)
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(staging / rel, target)


def keep_unchanged(fresh: Path, old: Path) -> None:
    """Re-link files of ``fresh`` whose bytes equal their namesakes in ``old`` (keeps mtimes)."""
    for path in sorted(fresh.rglob("*")):
        if path.is_file():
            before = old / path.relative_to(fresh)
            if before.is_file() and _same_bytes(before, path.read_bytes()):
                path.unlink()
                os.link(before, path)


def replace_dir(fresh: Path, target: Path) -> None:
    """Put the directory ``fresh`` where ``target`` is, with two renames."""
    if not target.exists():
        os.rename(fresh, target)
        return
    old = Path(tempfile.mkdtemp(prefix=f".{target.name}.old-", dir=target.parent))
    old.rmdir()
    os.rename(target, old)
    try:
        os.rename(fresh, target)
    except BaseException:
        os.rename(old, target)
        raise
    shutil.rmtree(old, ignore_errors=True)


def _same_bytes(path: str | Path, data: bytes) -> bool:
    try:
        if os.stat(path).st_size != len(data):
            return False
        with open(path, "rb") as handle:
            return handle.read() == data
    except OSError:
        return False


def _move_in(staging: Path, output: Path) -> None:
    """A first build: the staging directory becomes the output (an empty one is replaced)."""
    if output.exists():
        output.rmdir()  # check_output_dir let it through only because it is empty
    os.rename(staging, output)
