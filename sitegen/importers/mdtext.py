"""Markdown text that python-markdown reads back as what it was: escaped text, link
targets, and the tidy end of a converted body.

Text is escaped for *python-markdown* (which sitegen uses, with the extensions
sitegen enables) and for sitegen's own syntax, so an old post can never turn
into a heading, a list, a code fence, raw HTML, a citation ``[@id]`` or a
``{{< quote >}}`` by accident.  The escapes are decided per piece of text, whose
start may be the start of a line: what would open a block there is escaped.
"""

from __future__ import annotations

import re
from html.entities import html5

from sitegen.markup import urls

_AMPERSAND = re.compile(r"&(#|[A-Za-z][A-Za-z0-9]*;?)")
# At a line start: '#', '>' (heading, quote); '-', '+' (bullet); a rule or setext line of
# '-' or '='; '1.' (numbered item); ':' (definition); '~~~' (code fence; or its start).
_LINE_START = re.compile(
    r"(?m)^([ \t]*)(?:(#|>)|([-+])(?=\s|$)|(-+)(?=\s*$)|(\d+)\.(?=\s|$)|(=+)(?=\s*$)"
    r"|(:)(?=\s|$)|(~)(?=~|$))"
)


def _line_start(match: re.Match[str]) -> str:
    lead, simple, bullet, rule, number, equals, colon, tilde = match.groups()
    if simple or bullet:
        return f"{lead}\\{simple or bullet}"
    if rule:
        return f"{lead}\\{rule}"
    if number:
        return f"{lead}{number}\\."
    if equals:
        return f"{lead}&#61;{equals[1:]}"
    if colon:
        return f"{lead}&#58;"
    if tilde:
        return f"{lead}&#126;"  # python-markdown has no backslash escape for '~'
    return match.group(0)


def _ampersand(match: re.Match[str]) -> str:
    """``&amp;`` only where a browser would read a character reference (``&copy``, ``&#1``)."""
    rest = match.group(1)
    if rest == "#" or any(rest[:k] in html5 for k in range(len(rest), 0, -1)):
        return "&amp;" + rest
    return match.group(0)


def escape(text: str) -> str:
    """Plain text as Markdown that python-markdown and sitegen read back as the same text."""
    text = text.replace("\\", "\\\\")
    text = _AMPERSAND.sub(_ampersand, text).replace("<", "&lt;")
    for char in "*_`{}[]|":
        text = text.replace(char, "\\" + char)
    return _LINE_START.sub(_line_start, text)


# What python-markdown would end a link target at, or read as something else; and controls.
_UNSAFE_IN_URL = re.compile(r"[\x00-\x20\x7f()\[\]<>\"{}|\\^`]")
# A character reference python-markdown passes through to the HTML (it escapes other '&').
_REFERENCE = re.compile(r"&(?=(?:#[0-9]+|#x[0-9a-f]+|[0-9a-z]+);)", re.I)


def target(value: str) -> str:
    """A URL as a Markdown link target: python-markdown reads it back whole, and browsers
    read the HTML it makes as the URL :func:`urls.read` reads in ``value``."""
    value = urls.read(value)
    if value.startswith("//"):
        value = "https:" + value
    value = _REFERENCE.sub("&amp;", value)
    return _UNSAFE_IN_URL.sub(lambda m: f"%{ord(m.group()):02X}", value)


def tidy(text: str) -> str:
    """No trailing spaces (except line breaks), no runs of blank lines, one final newline."""
    lines = text.replace("\r\n", "\n").split("\n")
    out: list[str] = []
    fence: str | None = None
    for index, line in enumerate(lines):
        stripped = line.strip()
        if fence is not None:
            out.append(line)
            if stripped == fence:
                fence = None
            continue
        if opening := re.match(r"`{3,}", stripped):
            fence = opening.group()
            out.append(line.rstrip())
            continue
        following = lines[index + 1].strip() if index + 1 < len(lines) else ""
        keep_break = line.endswith("  ") and stripped and following
        line = line.rstrip() + ("  " if keep_break else "")
        if not line.strip(" >") and out and not out[-1].strip(" >") and line == out[-1]:
            continue
        out.append(line)
    result = "\n".join(out).strip("\n")
    return result + "\n" if result else ""
