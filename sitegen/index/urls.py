"""The URL layout of a built site, in one place.

Paths here are site-relative and unquoted (``posts/حلب/``): the output file is
the path plus ``index.html``; links percent-encode it under the base path.
"""

from __future__ import annotations

import re
from urllib.parse import quote

_SAFE = re.compile(r"[A-Za-z0-9/~._-]*")  # what quote() below leaves as it is


def post(slug: str) -> str:
    return f"posts/{slug}/"


def home(page: int) -> str:
    return "" if page == 1 else f"page/{page}/"


def section(name: str, slug: str | None = None) -> str:
    """``series/``, ``tags/<slug>/``, ``locations/<slug>/``, ``theaters/<slug>/`` ..."""
    return f"{name}/" if slug is None else f"{name}/{slug}/"


def output_file(path: str) -> str:
    """Where a page path is written: ``a/b/`` -> ``a/b/index.html``; files stay as they are."""
    return f"{path}index.html" if path == "" or path.endswith("/") else path


def alias_path(alias: str) -> str:
    """An alias (``/2016/12/old/`` or ``/old.html``) as a site-relative page path."""
    stripped = alias.lstrip("/")
    last = stripped.rstrip("/").rsplit("/", 1)[-1]
    if alias.endswith("/") or "." not in last:
        return stripped.rstrip("/") + "/"
    return stripped


class Links:
    """Turns site-relative paths into links under the configured base URL."""

    def __init__(self, base_url: str, base_path: str) -> None:
        self.base_url = base_url
        self.base_path = base_path
        self._quoted: dict[str, str] = {}  # the same paths are linked from many pages

    def quoted(self, path: str) -> str:
        if _SAFE.fullmatch(path):  # most paths: nothing to encode, nothing to remember
            return path
        if path not in self._quoted:
            self._quoted[path] = quote(path, safe="/~.-_")
        return self._quoted[path]

    def href(self, path: str) -> str:
        return self.base_path + self.quoted(path)

    def absolute(self, path: str) -> str:
        return self.base_url + self.quoted(path)
