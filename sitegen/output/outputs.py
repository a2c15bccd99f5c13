"""What an output file is: its path, the inputs it declares, and how to make it.

Every kind of output (a page, a feed, a data file, a copied static file) is an
:class:`Output`.  Its :class:`Inputs` name everything its bytes depend on
besides the build context (sitegen, the libraries, the config); the plan
derives the fingerprint from them in one place
(:func:`sitegen.incremental.plan.fingerprint`), so an output kind never hashes
anything itself.  To add an output kind: write a function that returns its
``Output`` values and add it to :func:`sitegen.incremental.plan.declared`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sitegen.model import Post


@dataclass(frozen=True)
class Inputs:
    """What an output is made from.

    ``recipe`` names how (a template, a feed format); ``view`` is the data of
    the output that is not posts, serialized; ``posts`` enter by their bytes
    (the page or feed shows their bodies), ``listed`` by what list pages show
    of them (``Post.listing``: an edit deep in a body leaves a list alone).
    ``files``: the hashes of data files it draws (map layers).
    ``theme``: made with the templates (and the view every page shares).
    """

    recipe: str
    view: str = ""
    posts: tuple[Post, ...] = ()
    listed: tuple[Post, ...] = ()
    files: tuple[str, ...] = ()
    theme: bool = True


@dataclass(frozen=True)
class Owner:
    """Who asked for an output: where a collision between two outputs is reported."""

    path: str
    line: int = 0
    field: str = ""


@dataclass(frozen=True)
class Output:
    """One file of the built site; exactly one of ``produce`` and ``copy`` is set.

    ``path`` is site-relative and unquoted.  ``sitemap`` is its (absolute URL,
    last modified) if the sitemap lists it.
    """

    path: str
    inputs: Inputs | None = None
    produce: Callable[[], bytes] | None = None
    copy: Path | None = None  # a static file, copied as it is
    owner: Owner | None = None
    sitemap: tuple[str, str | None] | None = None
