"""The build context: every input of a build that is not content, resolved once.

The clock, the job count, the output and what the last build left there, the
keys that say which cached results still hold: each is decided here, at the
start, and every stage after reads the same value (a post that comes due
during a build cannot be selected by one stage and not by another).
"""

from __future__ import annotations

import hashlib
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from importlib import metadata
from pathlib import Path

from sitegen.model import digest
from sitegen.output.writer import check_output_dir, previous_output
from sitegen.read.config import SiteConfig, load_config

_PACKAGE = Path(__file__).resolve().parents[1]  # the sitegen package

# The libraries whose versions shape what a build writes: a new version of any of
# them may convert, render or index differently, so nothing cached under the old
# one is trusted.
SHAPING = (
    "markdown", "jinja2", "markupsafe", "pyyaml", "feedgen", "lxml", "pagefind",
    "pagefind-bin",
)  # fmt: skip


@dataclass(frozen=True)
class BuildOptions:
    """What the command line (or a test) asks of one build."""

    output: Path | None = None
    drafts: bool = False
    future: bool = False
    base_url: str | None = None
    now: datetime | None = None
    jobs: int | None = None  # None: one process per core
    cache: bool = True
    progress: Callable[[int, int], None] | None = None  # (posts converted, posts to convert)
    # serve: commit the pages with the last search index (whole, a little stale) and
    # leave the pages it misses to the next build, so that the page reloads first
    index_later: bool = False


@dataclass(frozen=True)
class BuildContext:
    """One build's non-content inputs; ``output`` is None for ``check`` (nothing written)."""

    root: Path  # absolute: the cache refers to files by absolute path, whatever the cwd
    config: SiteConfig
    output: Path | None
    previous: Path | None  # the last build's output (sitegen's marker in it), if any
    now: datetime
    drafts: bool
    future: bool
    jobs: int
    cache: bool
    code: str  # sitegen's source and the versions of every library that shapes output
    read_key: str  # what reading a post depends on besides its bytes
    output_key: str  # what every output depends on besides its declared inputs
    progress: Callable[[int, int], None] | None = None
    index_later: bool = False  # see BuildOptions

    @property
    def writes(self) -> bool:
        return self.output is not None


def resolve(root: Path, options: BuildOptions, write: bool = True) -> BuildContext:
    """The context of a build (``write``) or a check of the site at ``root``."""
    root = root.absolute()
    config = load_config(root, options.base_url)
    output = None
    if write:
        output = options.output if options.output is not None else root / config.output
        check_output_dir(output, root)  # before anything is read or cached
    code = code_fingerprint()
    return BuildContext(
        root=root,
        config=config,
        output=output,
        previous=previous_output(output) if output is not None else None,
        now=options.now or datetime.now(UTC),
        drafts=options.drafts,
        future=options.future,
        jobs=options.jobs or default_jobs(),
        cache=options.cache,
        code=code,
        read_key=digest(f"{code}\n{read_inputs(config)}".encode()),
        output_key=digest(f"{code}\n{config!r}".encode()),
        progress=options.progress,
        index_later=options.index_later,
    )


def read_inputs(config: SiteConfig) -> str:
    """The parts of the config that reading a post uses (not ``base_url``, not the output).

    ``sitegen serve`` builds the same posts under another ``base_url``: keyed by
    these parts alone, it shares the converted posts of ``sitegen build``.
    """
    parts = (
        config.timezone.key, config.author, config.taxonomies,
        sorted(config.sources.items()), sorted(config.places.items()), sorted(config.sides),
    )  # fmt: skip
    return repr(parts)


@cache
def code_fingerprint() -> str:
    """sitegen's own source and the installed versions of the libraries that shape output."""
    h = hashlib.blake2b(digest_size=16)
    for path in sorted(_PACKAGE.rglob("*.py")):
        h.update(path.relative_to(_PACKAGE).as_posix().encode())
        h.update(path.read_bytes())
    h.update(repr(dependency_versions()).encode())
    return h.hexdigest()


def dependency_versions() -> tuple[tuple[str, str], ...]:
    """(name, version) of Python and of each library in ``SHAPING`` (``-``: not installed)."""
    found = [("python", ".".join(map(str, sys.version_info[:3])))]
    for name in SHAPING:
        try:
            found.append((name, metadata.version(name)))
        except metadata.PackageNotFoundError:
            found.append((name, "-"))
    return tuple(found)


def default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)
