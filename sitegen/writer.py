"""Writing the built site: all or nothing, and never outside the output directory.

Files go into a fresh staging directory beside the target; only when every file
is written is the old output moved aside and the new one renamed into place.  A
marker file says a directory is sitegen's own, so sitegen never replaces a
directory it did not write.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from sitegen.cache import OutputManifest
from sitegen.errors import OutputError
from sitegen.model import OutputFile

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


@dataclass
class WriteStats:
    written: int = 0  # files whose bytes are new
    kept: int = 0  # files carried over from the previous output (same bytes, same mtime)
    paths: set[str] = field(default_factory=set)  # every file of the new output
    changed: set[str] = field(default_factory=set)  # files whose bytes are new
    removed: set[str] | None = None  # generated files of the last build not made again (if known)

    @property
    def total(self) -> int:
        return self.written + self.kept


def previous_output(output: Path) -> Path | None:
    """The output of the last build, if there is one (sitegen's marker in it)."""
    output = output.resolve()
    return output if (output / MARKER).is_file() else None


def must_make(item: OutputFile, previous: Path | None, manifest: OutputManifest | None) -> bool:
    """False when the previous output already holds exactly what ``item`` would make."""
    if previous is None or manifest is None:
        return True
    rel = safe_relative(item.path)
    return not manifest.reusable(rel.as_posix(), item.fingerprint, previous.joinpath(*rel.parts))


def write_site(
    files: Iterable[OutputFile],
    static_dirs: list[Path],
    output: Path,
    root: Path,
    manifest: OutputManifest | None = None,
    finish: Callable[[Path, Path | None, WriteStats], None] | None = None,
) -> WriteStats:
    """Write every file and the static trees into staging, then swap it into ``output``.

    ``static_dirs`` are copied under ``static/``, the first one winning where two
    hold the same file (the site's own before the theme's).  ``finish(staging,
    previous, stats)`` runs last, before the swap (the search index is made there).

    A file whose fingerprint matches the manifest, or whose new bytes equal the
    old file's, is hard-linked from the previous output: unchanged files keep
    their bytes and mtime, and only changed pages are rendered at all.
    """
    check_output_dir(output, root)
    output = output.resolve()
    output.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{output.name}.new-", dir=output.parent))
    previous = previous_output(output)
    stats = WriteStats()
    records: dict[str, list[Any]] = {}
    made = stats.paths

    def place(item: OutputFile) -> None:
        rel = safe_relative(item.path)
        key = rel.as_posix()
        if key in made:
            raise OutputError(f"internal error: {key} was written twice")
        made.add(key)
        target = staging.joinpath(*rel.parts)
        target.parent.mkdir(parents=True, exist_ok=True)
        old = previous.joinpath(*rel.parts) if previous else None
        if old is not None and not must_make(item, previous, manifest):
            os.link(old, target)
            stats.kept += 1
        else:
            data = item.produce()
            if old is not None and _same_bytes(old, data):
                os.link(old, target)
                stats.kept += 1
            else:
                target.write_bytes(data)
                stats.written += 1
                stats.changed.add(key)
        stat = target.stat()
        records[key] = [item.fingerprint, stat.st_size, stat.st_mtime_ns]

    try:
        for item in files:
            place(item)
        generated = set(made)
        for static_dir in static_dirs:
            for source in sorted(static_dir.rglob("*")) if static_dir.is_dir() else []:
                rel = PurePosixPath("static", source.relative_to(static_dir).as_posix())
                if source.is_file() and rel.as_posix() not in made:
                    _place_static(staging, previous, rel, source, generated, stats)
                    made.add(rel.as_posix())
        if previous is not None and _same_bytes(previous / MARKER, MARKER_TEXT):
            os.link(previous / MARKER, staging / MARKER)
        else:
            (staging / MARKER).write_bytes(MARKER_TEXT)
        if manifest is not None and manifest.files and previous is not None:
            stats.removed = set(manifest.files) - made
        if finish is not None:
            finish(staging, previous, stats)
        _swap(staging, output)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    if manifest is not None:
        manifest.save(records)
    return stats


def _place_static(
    staging: Path,
    previous: Path | None,
    rel: PurePosixPath,
    source: Path,
    generated: set[str],
    stats: WriteStats,
) -> None:
    """A static file: linked from the previous output when size and mtime still match."""
    if rel.as_posix() in generated:
        raise OutputError(f"{rel} would overwrite a generated file of the same path")
    target = staging.joinpath(*rel.parts)
    target.parent.mkdir(parents=True, exist_ok=True)
    old = previous.joinpath(*rel.parts) if previous else None
    src = source.stat()
    if old is not None:
        try:
            now = old.stat()
        except OSError:
            now = None
        if now is not None and (now.st_size, now.st_mtime_ns) == (src.st_size, src.st_mtime_ns):
            os.link(old, target)
            stats.kept += 1
            return
    shutil.copy2(source, target)
    stats.written += 1
    stats.changed.add(rel.as_posix())


def keep_unchanged(tree: Path, previous: Path | None, rel: str) -> None:
    """Re-link files under ``tree/rel`` whose bytes equal the previous output's (keeps mtimes)."""
    if previous is None:
        return
    for path in sorted((tree / rel).rglob("*")):
        if path.is_file():
            old = previous / path.relative_to(tree)
            if old.is_file() and _same_bytes(old, path.read_bytes()):
                path.unlink()
                os.link(old, path)


def _same_bytes(path: Path, data: bytes) -> bool:
    try:
        return path.stat().st_size == len(data) and path.read_bytes() == data
    except OSError:
        return False


def _swap(staging: Path, output: Path) -> None:
    """Replace ``output`` by ``staging`` with two renames; the old tree is removed after."""
    if not output.exists():
        os.rename(staging, output)
        return
    old = Path(tempfile.mkdtemp(prefix=f".{output.name}.old-", dir=output.parent))
    old.rmdir()
    os.rename(output, old)
    try:
        os.rename(staging, output)
    except BaseException:
        os.rename(old, output)
        raise
    shutil.rmtree(old, ignore_errors=True)
