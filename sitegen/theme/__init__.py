"""The default theme: the repository's own ``templates/`` and ``static/``, shipped as package data.

In the source tree ``sitegen/theme/templates`` and ``sitegen/theme/static`` are
symbolic links to the top-level directories (one copy of the theme); a built
wheel holds real copies.  ``sitegen init`` copies the theme into a new site, and
a site that overrides only some templates or static files falls back to it.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path


def theme_dir() -> Path:
    """The installed theme's directory (holding ``templates/`` and ``static/``)."""
    return Path(str(files(__name__)))


def theme_dirs(root: Path, kind: str) -> list[Path]:
    """The site's own ``templates``/``static`` first, then the default theme's (one of each)."""
    dirs = [root / kind, theme_dir() / kind]
    return [
        d
        for i, d in enumerate(dirs)
        if d.is_dir() and d.resolve() not in [e.resolve() for e in dirs[:i]]
    ]
