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
from collections.abc import Iterable
from pathlib import Path, PurePosixPath

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


def write_site(
    files: Iterable[OutputFile], static_dir: Path | None, output: Path, root: Path
) -> int:
    """Write every file and the static tree, then swap the result into ``output``."""
    check_output_dir(output, root)
    parent = output.resolve().parent
    parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{output.name}.new-", dir=parent))
    count = 0
    try:
        if static_dir is not None and static_dir.is_dir():
            shutil.copytree(static_dir, staging / "static", symlinks=False, dirs_exist_ok=True)
        for item in files:
            target = staging.joinpath(*safe_relative(item.path).parts)
            if target.exists():
                raise OutputError(f"internal error: {item.path} was written twice")
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(item.data)
            count += 1
        (staging / MARKER).write_bytes(MARKER_TEXT)
        _swap(staging, output.resolve())
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return count


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
