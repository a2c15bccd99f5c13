"""Client-side search with Pagefind: a static, chunked index written at build time.

Pagefind (a well-kept indexer shipped as a binary in the ``pagefind-bin`` wheel)
reads the built post pages (``data-pagefind-body`` marks what is indexed: the
text, places and sources of each post) and writes ``/pagefind/`` with the index
and its UI; readers search offline with no server.  When no post page changed,
the index is left as it was; otherwise a new bundle replaces it whole.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from sitegen.errors import SitegenError
from sitegen.writer import WriteStats, keep_unchanged, replace_dir

BUNDLE = "pagefind"


def index(site: Path, stats: WriteStats, language: str) -> None:
    """Make ``site/pagefind/``; keep the bundle there when no post page changed."""
    bundle = site / BUNDLE
    if not any(p.startswith("posts/") for p in stats.paths):
        drop(site)  # no posts, no index (and no search page)
        return
    touched = stats.changed | stats.removed if stats.removed is not None else None
    if (
        bundle.is_dir()
        and touched is not None
        and not any(p.startswith("posts/") and p.endswith(".html") for p in touched)
    ):
        return
    fresh = Path(tempfile.mkdtemp(prefix=f".{BUNDLE}.new-", dir=site.parent))
    try:
        command = [
            sys.executable,
            "-m",
            "pagefind",
            "--site",
            str(site),
            "--output-path",
            str(fresh),
            "--glob",
            "posts/**/*.html",
            "--force-language",
            language.split("-")[0],
            "--silent",
        ]
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            drop(site)  # never leave an index of other pages behind
            raise SitegenError(
                f"search index: pagefind failed: {done.stderr.strip() or done.stdout}"
            )
        if bundle.is_dir():
            keep_unchanged(fresh, bundle)
        replace_dir(fresh, bundle)
    finally:
        shutil.rmtree(fresh, ignore_errors=True)


def drop(site: Path) -> None:
    """Remove the search bundle (search turned off, or no posts left)."""
    shutil.rmtree(site / BUNDLE, ignore_errors=True)
