"""Links in a converted body: where they point, with the file line that wrote them.

Found once when a post is read (the HTML is at hand then); the index stage
checks them against the site's pages (:mod:`sitegen.index.links`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import unquote, urlsplit

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
