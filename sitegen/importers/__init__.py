"""Readers and writers behind ``sitegen import`` (run by :mod:`sitegen.commands.importer`).

Each reader turns one export format into plain :class:`~sitegen.importers.model.Entry`
values; :mod:`~sitegen.importers.planner` decides file names, slugs and aliases for all
of them at once and only then touches the disk.
"""

from __future__ import annotations

import argparse
from pathlib import Path

KINDS = ("wordpress", "blogger", "feed")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of ``sitegen import``; dests avoid the global ``-s/--source``.

    Kept here, away from the readers, so that every other command starts without
    loading the HTML converter.
    """
    parser.add_argument(
        "export",
        metavar="SOURCE",
        type=Path,
        help="a WordPress export (WXR), a Blogger export, or an RSS/Atom feed file",
    )
    parser.add_argument(
        "--from",
        dest="import_from",
        choices=KINDS,
        help="the kind of SOURCE (default: detected from its content)",
    )
    parser.add_argument(
        "--into",
        type=Path,
        metavar="DIR",
        help="where posts are written, relative to the site (default: posts/)",
    )
    parser.add_argument(
        "--force", action="store_true", help="overwrite posts that an earlier import wrote"
    )
    parser.add_argument(
        "--media",
        type=Path,
        metavar="DIR",
        help="the wp-content/uploads folder of a WordPress backup: the files posts and pages "
        "reference are copied beside them (page bundles)",
    )
