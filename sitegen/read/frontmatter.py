"""Editor text files: UTF-8 decoding and the ``---`` front-matter split.

Line numbers are counted in the file, so every later message can point at the
editor's own line (Zola's issue #1133 counted them in the snippet instead).
"""

from __future__ import annotations

from dataclasses import dataclass

from sitegen.errors import Problem

FENCE = "---"


def decode(raw: bytes, path: str) -> str | Problem:
    """UTF-8 text (a BOM is dropped, CRLF and CR become LF), or a problem naming the file."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return Problem(
            path, line, "", f"not UTF-8 text (byte 0x{raw[exc.start]:02x}); save the file as UTF-8"
        )
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        return Problem(path, line, "", "contains a NUL byte; is this a text file?")
    return text


@dataclass(frozen=True)
class Split:
    """Front matter text starting at file line ``yaml_line``; body starting at ``body_line``."""

    yaml: str
    yaml_line: int
    body: str
    body_line: int


def split(text: str, path: str) -> Split | Problem:
    """Separate the YAML block from the Markdown body."""
    if not text.strip():
        return Problem(
            path, 1, "", "empty file; a post starts with '---', its front matter, then '---'"
        )
    lines = text.split("\n")
    if lines[0].rstrip() != FENCE:
        return Problem(
            path,
            1,
            "",
            "no front matter: a post must start with a '---' line (then title, date, ...)",
        )
    for index in range(1, len(lines)):
        if lines[index].rstrip() in (FENCE, "..."):
            return Split(
                yaml="\n".join(lines[1:index]) + "\n",
                yaml_line=1,
                body="\n".join(lines[index + 1 :]),
                body_line=index + 2,
            )
    return Problem(path, 1, "", "front matter is not closed: add a '---' line after it")


def join(yaml_text: str, body: str) -> str:
    """The inverse of :func:`split` (used by ``sitegen new`` and the round-trip test)."""
    return f"{FENCE}\n{yaml_text}{FENCE}\n{body}"
