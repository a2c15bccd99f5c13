"""``sitegen import``: bring posts over from WordPress, Blogger or any RSS/Atom feed.

One run reads the whole export, plans every post file (slugs, old URLs as
``aliases``, old GUIDs as ``id``), every page of ``pages/`` (WordPress pages) and,
with ``--media``, every file copied from the old uploads into a page bundle, and
only then writes, never over an existing file unless ``--force``; running it
again plans the same bytes and so changes nothing.  The readers live in
:mod:`sitegen.importers`.
"""

from __future__ import annotations

import argparse
from dataclasses import replace
from datetime import UTC
from pathlib import Path

from sitegen.errors import ContentError, UsageError
from sitegen.importers import KINDS, add_arguments, blogger, feed, wordpress
from sitegen.importers.existing import Destination, scan
from sitegen.importers.model import Export
from sitegen.importers.planner import plan
from sitegen.importers.writer import ImportReport, write
from sitegen.importers.xmlsource import detect, parse, prepare, read_bytes
from sitegen.read.config import CONFIG_FILE, load_config

__all__ = ["KINDS", "ImportReport", "add_arguments", "import_posts", "read_export", "run"]


def run(args: argparse.Namespace, root: Path) -> int:
    """Run ``sitegen import`` for the site at ``root`` and print the report."""
    into: Path = args.into if args.into is not None else Path("posts")
    if not into.is_absolute():
        into = root / into
    if not into.resolve().is_relative_to(root.resolve()):
        raise UsageError(f"--into {args.into}: must be a directory inside the site ({root})")
    report = import_posts(args.export, args.import_from, into, args.force, args.media)
    print("\n".join(report.lines()))
    return 0


def import_posts(
    source: Path, kind: str | None, into: Path, force: bool, media: Path | None = None
) -> ImportReport:
    """Import every post and page of ``source`` into ``into`` and the site's pages/
    (``kind`` None: detect it); ``media``: the uploads folder whose files posts reference."""
    if media is not None and not media.is_dir():
        raise UsageError(f"--media {media}: not a directory (give the wp-content/uploads folder)")
    if media is not None and (media / "wp-content" / "uploads").is_dir():
        raise UsageError(f"--media {media}: give its wp-content/uploads folder itself")
    export = read_export(source, kind)
    into = into.absolute()
    root = next((d for d in (into, *into.parents) if (d / CONFIG_FILE).is_file()), None)
    notes = list(export.notes)
    if root is not None:
        config = load_config(root)
        existing = scan([root / "posts", into], root)
        existing += scan([root / "pages"], root, pages=True)
        dest = Destination(
            into,
            config.timezone,
            config.base_path,
            existing,
            root / "pages",
            media,
            frozenset(config.taxonomies),
        )
        if not into.is_relative_to(root / "posts"):
            shown = into.relative_to(root).as_posix() if into.is_relative_to(root) else into
            notes.append(f"{shown}/ is outside posts/, where sitegen looks for posts")
    else:
        existing = scan([into], into.parent) + scan(
            [into.parent / "pages"], into.parent, pages=True
        )
        dest = Destination(into, UTC, "/", existing, media=media)
    planned, not_imported = plan(export, dest)
    written = write(planned, force)
    return ImportReport(
        source=source,
        kind=export.kind,
        into=into,
        pages_folder=dest.page_folder,
        base=root if root is not None else into.parent,
        posts=tuple(written),
        not_imported=tuple(not_imported),
        ignored=export.ignored,
        notes=tuple(notes),
    )


def read_export(source: Path, kind: str | None = None) -> Export:
    """Parse ``source`` as ``kind`` (or the kind it looks like); errors name the file."""
    if kind is not None and kind not in KINDS:
        raise UsageError(f"--from {kind}: expected one of {', '.join(KINDS)}")
    raw, notes = prepare(read_bytes(source))
    try:
        root = parse(raw, source)
    except ContentError:
        if kind != "feed":
            raise
        # Asked for explicitly: real-world feeds are not always well-formed; feedparser copes.
        return _with_notes(feed.read(raw, source, lenient=True), notes)
    kind = kind or detect(root, source)
    if kind == "wordpress":
        export = wordpress.read(root, source)
    elif kind == "blogger":
        export = blogger.read(root, source)
    else:
        export = feed.read(raw, source, lenient=False)
    return _with_notes(export, notes)


def _with_notes(export: Export, notes: tuple[str, ...]) -> Export:
    if not notes:
        return export
    return replace(export, notes=notes + export.notes)
