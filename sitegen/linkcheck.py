"""Links in post bodies that point into the site but at nothing it builds.

Each post records its relative and root-relative link targets (with their file
line) when it is read; after the output paths are known, every target is
resolved against the post's URL and looked up.  A broken link is a warning:
``sitegen check --strict`` turns it into a failure for CI.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import unquote, urljoin, urlsplit

from sitegen import urls
from sitegen.errors import Problem
from sitegen.site import Site

_LINK = re.compile(r"""\s(?:href|src)="([^"]*)\"""")  # what link_targets finds


def link_targets(html: str) -> Iterator[str]:
    """The values of ``href`` and ``src`` attributes, as ``_LINK.finditer`` finds them.

    With ``str.find`` rather than the regex, which tries its leading ``\\s`` at
    every space of a post's HTML: this runs once per post read.
    """
    resume = 0  # where the regex would try next (a space there, the attribute after it)
    href = src = 0
    while True:
        if 0 <= href <= resume:  # each search again only once passed (-1: none left)
            href = html.find('href="', resume + 1)
        if 0 <= src <= resume:
            src = html.find('src="', resume + 1)
        if href < 0 and src < 0:
            return
        at, length = (src, 5) if href < 0 or 0 <= src < href else (href, 6)
        if not html[at - 1].isspace():
            resume = at
            continue
        close = html.find('"', at + length)
        if close < 0:
            return
        yield html[at + length : close]
        resume = close + 1


def internal_links(html: str, body: str, body_line: int) -> tuple[tuple[str, int], ...]:
    """(target, file line) for each link of the body that stays on this site."""
    found: dict[str, int] = {}
    for value in link_targets(html):
        target = value.replace("&amp;", "&")
        if target.startswith(("#", "https:", "http:")):  # a citation's, or off the site
            continue
        parts = urlsplit(target)
        if parts.scheme or parts.netloc or not parts.path or target in found:
            continue
        offset = body.find(target)
        if offset < 0:
            offset = body.find(unquote(target))
        found[target] = body_line + (body[:offset].count("\n") if offset >= 0 else 0)
    return tuple(found.items())


def broken_links(site: Site, paths: set[str]) -> list[Problem]:
    base_path = site.config.base_path
    problems = []
    for post in site.posts:
        page = base_path + urls.post(post.slug)
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
