"""The table of every site.yaml key in docs/configuration.md, generated from the schema.

``python3 -m sitegen.read.schemadoc docs/configuration.md`` rewrites it;
tests/test_schema.py fails when the docs and :mod:`sitegen.read.schema` differ.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from pathlib import Path

from sitegen.read.schema import SETTINGS, Section, Setting

# -- the docs table ---------------------------------------------------------------------

TABLE_BEGIN = "<!-- schema table: begin -->"
TABLE_END = "<!-- schema table: end -->"


def _shown_default(setting: Setting) -> str:
    if setting.required:
        return "required"
    value = setting.default
    if value is None:
        return ""
    if isinstance(value, bool):
        return "`true`" if value else "`false`"
    if value == "":
        return '`""`'
    if value == ():
        return "`[]`"
    if value == {}:
        return "`{}`"
    return f"`{value}`"


def _rows(settings: Iterable[Setting], prefix: str = "") -> Iterable[str]:
    for setting in settings:
        cells = (
            f"`{prefix}{setting.key}`",
            setting.kind.label,
            _shown_default(setting),
            setting.description,
        )
        yield "| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |"
        if isinstance(setting.kind, Section):
            yield from _rows(setting.kind.settings, f"{prefix}{setting.key}.")


def markdown_table() -> str:
    """The docs table of every key, nested keys as ``map.tiles``."""
    head = "| key | type | default | description |\n|---|---|---|---|\n"
    return head + "\n".join(_rows(SETTINGS)) + "\n"


def documented_table(text: str) -> str | None:
    """The table between the markers of a docs file, or None without markers."""
    begin, end = text.find(TABLE_BEGIN), text.find(TABLE_END)
    if begin < 0 or end < begin:
        return None
    return text[begin + len(TABLE_BEGIN) : end].strip("\n") + "\n"


def write_table(path: Path) -> None:
    """Replace the table between the markers of ``path`` with the schema's."""
    text = path.read_text(encoding="utf-8")
    old = documented_table(text)
    if old is None:
        raise SystemExit(f"{path}: no {TABLE_BEGIN} ... {TABLE_END} markers")
    begin = text.index(TABLE_BEGIN) + len(TABLE_BEGIN)
    end = text.index(TABLE_END)
    path.write_text(text[:begin] + "\n" + markdown_table() + text[end:], encoding="utf-8")


if __name__ == "__main__":  # print the table, or rewrite it in the docs file given
    if len(sys.argv) > 1:
        write_table(Path(sys.argv[1]))
    else:
        sys.stdout.write(markdown_table())
