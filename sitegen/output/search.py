"""Client-side search with Pagefind: static, chunked indexes written at build time.

Pagefind (a well-kept indexer shipped as a binary in the ``pagefind-bin`` wheel,
driven as a service: ``output/pagefind.py``) reads the built post pages (``data-pagefind-body``
marks what is indexed: the text, places and sources of each post) and writes a
bundle with the index and its UI; readers search offline with no server.

Pagefind builds a bundle from scratch and holds it in memory while it does, so
one bundle for a whole archive costs a minute and gigabytes at 10,000 posts on
every edit.  The posts are therefore indexed in one bundle per year of
publication (``/pagefind/<year>/``), which the search page merges (Pagefind's
``mergeIndex``): an edit re-indexes the bundle of its year only, and a bundle
whose pages did not change is left as it is.

The bundles are made into the build's staging directory, from the pages as the
new output will hold them, and committed with the pages: an interrupted build
leaves neither a half-made index nor one of pages that are gone.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from sitegen.index import urls
from sitegen.model import Post
from sitegen.output.pagefind import PagefindService
from sitegen.output.writer import Staged, Staging

BUNDLE = "pagefind"
PAGES = "sitegen-pages.txt"  # in each bundle: the pages it indexes, to notice one moving out


def shards(
    posts: tuple[Post, ...] | list[Post], pages: tuple[Post, ...] = ()
) -> dict[str, list[str]]:
    """Post page files by bundle name (the year of publication), newest year first.

    The undated pages of pages/ (About, Methodology) have a bundle of their own.
    """
    found: dict[str, list[str]] = {}
    for post in sorted(posts, key=lambda p: p.date, reverse=True):
        found.setdefault(str(post.date.year), []).append(urls.output_file(post.url_path))
    if pages:
        found["pages"] = [urls.output_file(page.url_path) for page in pages]
    return found


def stage(
    bundles: dict[str, list[str]],
    staging: Staging,
    touched: set[str],
    language: str,
    later: bool = False,
) -> tuple[dict[str, Staged], set[str]]:
    """Every file of every bundle, made again where a page of it is in ``touched``.

    ``touched`` holds the pages whose bytes are new or that are gone; a bundle
    with none of them, and the same pages as before, is the previous output's.
    With ``later`` (serve, so that the page reloads first) a bundle that exists
    is kept as it is even so; the pages it misses are returned, for the next
    build to index.
    """
    made: dict[str, Staged] = {}
    todo = []
    stale: set[str] = set()
    for name, pages in bundles.items():
        listing = "".join(f"{page}\n" for page in sorted(pages))
        missed = touched.intersection(pages)
        if later:  # any bundle there is kept; what it misses is indexed next time
            kept = _kept(staging.previous, name, None)
            missed |= set(pages).symmetric_difference(_listed(staging.previous, name))
        else:
            kept = None if missed else _kept(staging.previous, name, listing)
        if kept is None:
            todo.append((name, sorted(pages), listing))
        else:
            made |= kept
            stale |= missed
    if todo:
        with PagefindService() as service:
            for name, pages, listing in todo:
                made |= _index(service, staging, name, pages, listing, language)
    return made, stale


def _listed(previous: Path | None, name: str) -> list[str]:
    """The pages the previous output's bundle ``name`` indexes (none: no such bundle)."""
    if previous is None:
        return []
    try:
        return (previous / BUNDLE / name / PAGES).read_text(encoding="utf-8").splitlines()
    except OSError:
        return []


def _kept(previous: Path | None, name: str, listing: str | None) -> dict[str, Staged] | None:
    """The previous output's bundle ``name``, if it indexes exactly ``listing`` (None: any)."""
    if previous is None:
        return None
    bundle = previous / BUNDLE / name
    try:
        indexed = (bundle / PAGES).read_text(encoding="utf-8")
        if listing is not None and indexed != listing:
            return None
    except OSError:
        return None  # no bundle yet, or a damaged one: make it
    kept = {}
    root = str(previous) + os.sep
    for directory, _, filenames in os.walk(bundle):
        folder = directory[len(root) :].replace(os.sep, "/")  # strings: ~600 files a bundle
        for filename in filenames:
            stat = os.stat(os.path.join(directory, filename))
            kept[f"{folder}/{filename}"] = Staged(False, stat.st_size, stat.st_mtime_ns)
    return kept


def _index(
    service: PagefindService,
    staging: Staging,
    name: str,
    pages: list[str],
    listing: str,
    language: str,
) -> dict[str, Staged]:
    """Index ``pages`` (from staging where new, else the previous output) into the staging."""
    work = staging.scratch("search")
    try:
        index = service.new_index(language.split("-")[0])
        for page in pages:  # in sorted order: the index's bytes depend on it
            source = staging.dir / page  # staged when its bytes are new, else the previous output's
            if staging.previous is not None and not source.exists():
                source = staging.previous / page
            service.add_page(index, page, source.read_text(encoding="utf-8"))
        service.write(index, work)
        (work / PAGES).write_text(listing, encoding="utf-8")
        return {
            f"{BUNDLE}/{name}/{rel}": staging.take(f"{BUNDLE}/{name}/{rel}", work / rel)
            for rel in sorted(
                f.relative_to(work).as_posix() for f in work.rglob("*") if f.is_file()
            )
        }
    finally:
        shutil.rmtree(work, ignore_errors=True)
