"""Which files of the site are content: every ``*.md`` under ``posts/`` and ``pages/``.

A folder holding ``index.md`` is a page bundle: ``index.md`` is its post, and
every other file in it (Markdown too) is published beside the post's page.

Symbolic links that lead out of the site are refused (a post or a static file
must not publish what lies elsewhere on the editor's disk).
"""

from __future__ import annotations

import os
from pathlib import Path

from sitegen.errors import Problem


def discover(root: Path) -> tuple[list[str], list[Problem]]:
    """Every ``*.md`` under posts/ and pages/, sorted; symlinks out of the site are refused."""
    site = root.resolve()
    found, problems = _markdown_files(root, site, "posts")
    pages, page_problems = _markdown_files(root, site, "pages")
    found += pages
    problems += page_problems
    static = root / "static"
    if static.is_dir():
        problems += [
            Problem(path.relative_to(root).as_posix(), 0, "", "is a symbolic link out of the site")
            for path in sorted(static.rglob("*"))
            if path.is_symlink() and not path.resolve().is_relative_to(site)
        ]
    return sorted(found, key=lambda rel: rel.split("/")), problems


def _markdown_files(root: Path, site: Path, name: str) -> tuple[list[str], list[Problem]]:
    """One scan of posts/ or pages/ (linked folders are not entered); only links are resolved."""
    found: list[str] = []
    problems: list[Problem] = []
    top = root / name
    if top.is_symlink() and not top.resolve().is_relative_to(site):
        return found, [Problem(name, 0, "", "is a symbolic link out of the site")]
    stack = [(name, top)]
    while stack:
        rel_dir, directory = stack.pop()
        try:
            entries = list(os.scandir(directory))
        except (FileNotFoundError, NotADirectoryError):
            continue
        bundle = rel_dir != name and any(e.name == "index.md" for e in entries)
        for entry in entries:
            rel = f"{rel_dir}/{entry.name}"
            if entry.is_symlink() and not Path(entry.path).resolve().is_relative_to(site):
                problems.append(Problem(rel, 0, "", "is a symbolic link out of the site"))
            elif entry.is_dir(follow_symlinks=False):
                if not bundle:  # a page bundle owns its folder: nothing in it is a post
                    stack.append((rel, Path(entry.path)))
            elif (
                entry.name.endswith(".md")
                and entry.is_file()
                and (not bundle or entry.name == "index.md")
            ):
                found.append(rel)
    return found, problems
