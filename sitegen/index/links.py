"""Links in post bodies that point into the site but at nothing it builds.

Each post records its relative and root-relative link targets (with their file
line) when it is read (:mod:`sitegen.markup.links`); after the output paths are
known, every target is resolved against the post's URL and looked up.  A broken link is a warning:
``sitegen check --strict`` turns it into a failure for CI.
"""

from __future__ import annotations

from urllib.parse import unquote, urljoin, urlsplit

from sitegen.errors import Problem
from sitegen.index.site import Site


def broken_links(site: Site, paths: set[str]) -> list[Problem]:
    base_path = site.config.base_path
    problems = []
    for post in (*site.posts, *site.pages):  # a bundle's files are among ``paths``
        page = base_path + post.url_path
        for target, line in post.links:
            path = unquote(urlsplit(urljoin(page, target)).path)
            if not path.startswith(base_path):
                message = f"link {target!r} points outside the site's base path {base_path}"
            elif _exists(path[len(base_path) :], paths):
                continue
            else:
                message = f"link {target!r} leads to no page or file of the site"
            problems.append(Problem(post.path, line, "", message, warning=True))
    return problems


def _exists(rel: str, paths: set[str]) -> bool:
    if rel == "" or rel.endswith("/"):
        return rel + "index.html" in paths
    return rel in paths or rel + "/index.html" in paths
