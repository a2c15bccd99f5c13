"""Which files of the site are content: every ``*.md`` under ``posts/`` and ``pages/``.

A folder holding ``index.md`` is a page bundle: ``index.md`` is its post, and
every other file in it (Markdown too) is published beside the post's page.

Symbolic links that lead out of the site, nowhere, or into a loop are refused
(a post or a static file must not publish what lies elsewhere on the editor's
disk, and a build must never walk for ever).
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
            Problem(path.relative_to(root).as_posix(), 0, "", why)
            for path in sorted(static.rglob("*"))
            if path.is_symlink() and (why := link_problem(path, site))
        ]
    return sorted(found, key=lambda rel: rel.split("/")), problems


def link_problem(path: Path, site: Path) -> str | None:
    """What is wrong with a symbolic link of the site's sources, if anything.

    A link may lead to a file or a folder inside the site; one out of it would
    publish what lies elsewhere on the editor's disk, and one to a folder that
    holds it would be walked for ever.
    """
    try:
        target = path.resolve(strict=True)
    except (OSError, RuntimeError):  # RuntimeError: a loop of links (Python 3.11)
        return "is a symbolic link that leads nowhere (its target is missing, or a loop)"
    if not target.is_relative_to(site):
        return "is a symbolic link out of the site"
    if target.is_dir() and path.parent.resolve().is_relative_to(target):
        return "is a symbolic link to a folder that holds it (a loop)"
    return None


def _not_a_folder(top: Path, required: bool) -> str | None:
    """Why a content root cannot be read, if it cannot: a build must never take it as empty.

    A missing posts/ would otherwise build a site of no posts and delete every
    post page; pages/ may be absent, but not a file or a dangling link.
    """
    if top.is_dir():
        return None
    if top.is_symlink():
        return "is a symbolic link to nothing: expected the folder of the site's Markdown files"
    if top.exists():
        return "is a file: expected the folder of the site's Markdown files"
    if required:
        return "is missing: a site keeps its posts in posts/ (create the folder, even empty)"
    return None


def _markdown_files(root: Path, site: Path, name: str) -> tuple[list[str], list[Problem]]:
    """One scan of posts/ or pages/ (linked folders are not entered); only links are resolved."""
    found: list[str] = []
    problems: list[Problem] = []
    top = root / name
    if top.is_symlink() and (why := link_problem(top, site)):
        return found, [Problem(f"{name}/", 0, "", why)]
    if missing := _not_a_folder(top, required=name == "posts"):
        return found, [Problem(f"{name}/", 0, "", missing)]
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
            if entry.is_symlink() and (why := link_problem(Path(entry.path), site)):
                problems.append(Problem(rel, 0, "", why))
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
