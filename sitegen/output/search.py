"""Client-side search with Pagefind: static, chunked indexes written at build time.

Pagefind (a well-kept indexer shipped as a binary in the ``pagefind-bin`` wheel)
reads the built post pages (``data-pagefind-body`` marks what is indexed: the
text, places and sources of each post) and writes a bundle with the index and
its UI; readers search offline with no server.

Pagefind builds a bundle from scratch and holds it in memory while it does, so
one bundle for a whole archive costs a minute and gigabytes at 10,000 posts on
every edit.  The posts are therefore indexed in one bundle per year of
publication (``/pagefind/<year>/``), which the search page merges (Pagefind's
``mergeIndex``): an edit re-indexes the bundle of its year only, and a bundle
whose pages did not change is left as it is.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from sitegen.errors import SitegenError
from sitegen.index import urls
from sitegen.model import Post
from sitegen.output.writer import WriteStats, keep_unchanged, replace_dir

BUNDLE = "pagefind"
PAGES = "sitegen-pages.txt"  # in each bundle: the pages it indexes, to notice one moving out


def shards(posts: tuple[Post, ...] | list[Post]) -> dict[str, list[str]]:
    """Post page files by bundle name (the year of publication), newest year first."""
    found: dict[str, list[str]] = {}
    for post in sorted(posts, key=lambda p: p.date, reverse=True):
        found.setdefault(str(post.date.year), []).append(urls.output_file(urls.post(post.slug)))
    return found


def index(site: Path, stats: WriteStats, language: str, bundles: dict[str, list[str]]) -> None:
    """Make ``site/pagefind/<name>/`` for each bundle whose pages changed; drop the others."""
    root = site / BUNDLE
    touched = stats.changed | stats.removed if stats.removed is not None else None
    for name, pages in bundles.items():
        listing = "".join(f"{page}\n" for page in sorted(pages))
        bundle = root / name
        if touched is not None and not any(page in touched for page in pages):
            try:
                if (bundle / PAGES).read_text(encoding="utf-8") == listing:
                    continue
            except OSError:
                pass  # no bundle yet, or a damaged one: make it
        _index_bundle(site, pages, bundle, language, listing)
    for entry in root.iterdir() if root.is_dir() else []:
        if entry.name not in bundles:
            if entry.is_dir():
                shutil.rmtree(entry)
            else:
                entry.unlink()


def _index_bundle(site: Path, pages: list[str], bundle: Path, language: str, listing: str) -> None:
    """Index ``pages`` of ``site`` into a new bundle, then put it in place of ``bundle``."""
    work = Path(tempfile.mkdtemp(prefix=f".{BUNDLE}.new-", dir=site.parent))
    try:
        tree, fresh = work / "site", work / "bundle"
        for page in pages:  # Pagefind sees only this bundle's pages, at their own paths
            (tree / page).parent.mkdir(parents=True, exist_ok=True)
            os.link(site / page, tree / page)
        command = [
            sys.executable, "-m", "pagefind", "--site", str(tree), "--output-path", str(fresh),
            "--glob", "**/*.html", "--force-language", language.split("-")[0], "--silent",
        ]  # fmt: skip
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            shutil.rmtree(bundle, ignore_errors=True)  # never leave an index of other pages
            raise SitegenError(
                f"search index: pagefind failed: {done.stderr.strip() or done.stdout}"
            )
        (fresh / PAGES).write_text(listing, encoding="utf-8")
        if bundle.is_dir():
            keep_unchanged(fresh, bundle)
        bundle.parent.mkdir(parents=True, exist_ok=True)
        replace_dir(fresh, bundle)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def drop(site: Path) -> None:
    """Remove every search bundle (search turned off)."""
    shutil.rmtree(site / BUNDLE, ignore_errors=True)
