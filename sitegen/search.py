"""Client-side search with Pagefind: a static, chunked index written at build time.

Pagefind (a well-kept indexer shipped as a binary in the ``pagefind-bin`` wheel)
reads the built post pages (``data-pagefind-body`` marks what is indexed: the
text, places and sources of each post) and writes ``/pagefind/`` with the index
and its UI; readers search offline with no server.  When no post page changed,
the previous index is kept as it was, so a no-op rebuild costs nothing here.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from sitegen.errors import SitegenError
from sitegen.writer import WriteStats, keep_unchanged

BUNDLE = "pagefind"


def index(staging: Path, previous: Path | None, stats: WriteStats, language: str) -> None:
    """Write ``staging/pagefind/``; reuse the previous bundle when no post page changed."""
    if not any(p.startswith("posts/") for p in stats.paths):
        return  # no posts, no index (and no search page)
    old = previous / BUNDLE if previous is not None else None
    touched = stats.changed | stats.removed if stats.removed is not None else None
    if old is not None and old.is_dir() and touched is not None and not any(
        p.startswith("posts/") and p.endswith(".html") for p in touched
    ):
        for path in sorted(old.rglob("*")):
            target = staging / BUNDLE / path.relative_to(old)
            if path.is_dir():
                target.mkdir(parents=True, exist_ok=True)
            else:
                target.parent.mkdir(parents=True, exist_ok=True)
                os.link(path, target)
        return
    command = [
        sys.executable, "-m", "pagefind", "--site", str(staging), "--output-subdir", BUNDLE,
        "--glob", "posts/**/*.html", "--force-language", language.split("-")[0], "--silent",
    ]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SitegenError(f"search index: pagefind failed: {done.stderr.strip() or done.stdout}")
    keep_unchanged(staging, previous, BUNDLE)

