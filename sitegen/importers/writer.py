"""Writing the planned post files: new files only, unless ``--force``; each atomically.

The plan (:mod:`planner`) has decided every file's bytes; this only puts them
on disk and reports what became of each.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from sitegen.importers.model import KIND_NAMES, counts
from sitegen.importers.planner import Planned


@dataclass(frozen=True)
class Written:
    path: Path
    title: str
    status: str  # imported, overwritten, unchanged, skipped
    draft: bool
    notes: tuple[str, ...]


def write(planned: list[Planned], force: bool) -> list[Written]:
    """Write new files; leave existing ones alone unless ``force`` (and identical ones always)."""
    results = []
    for item in planned:
        data = item.text.encode("utf-8")
        if item.path.exists():
            if item.path.read_bytes() == data:
                status = "unchanged"
            elif force:
                _write_atomic(item.path, data)
                status = "overwritten"
            else:
                status = "skipped"
        else:
            _write_atomic(item.path, data)
            status = "imported"
        results.append(Written(item.path, item.title, status, item.draft, item.notes))
    return results


def _write_atomic(path: Path, data: bytes) -> None:
    """A half-written post would be a broken post: write beside it, then rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.importing")
    temporary.write_bytes(data)
    os.replace(temporary, path)


# -- the report ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ImportReport:
    """What one import did; ``lines()`` is what the command prints."""

    source: Path
    kind: str
    into: Path
    base: Path  # paths are shown relative to this (the site directory)
    posts: tuple[Written, ...]
    not_imported: tuple[str, ...] = ()
    ignored: tuple[tuple[str, int], ...] = ()
    notes: tuple[str, ...] = ()

    def _with(self, *statuses: str) -> list[Path]:
        return [p.path for p in self.posts if p.status in statuses]

    @property
    def imported(self) -> list[Path]:
        """Files written by this run (new, or overwritten with ``--force``)."""
        return self._with("imported", "overwritten")

    @property
    def skipped(self) -> list[Path]:
        """Files that already existed and were left as they were."""
        return self._with("unchanged", "skipped")

    @property
    def drafts(self) -> list[Path]:
        return [p.path for p in self.posts if p.draft]

    @property
    def needs_look(self) -> list[str]:
        items = list(self.notes) + list(self.not_imported)
        items += [f"{self.show(p.path)}: {note}" for p in self.posts for note in p.notes]
        return items

    def show(self, path: Path) -> str:
        try:
            return path.relative_to(self.base).as_posix()
        except ValueError:
            return str(path)

    def lines(self) -> list[str]:
        kind = KIND_NAMES.get(self.kind, self.kind)
        out = [f"Importing {self.source} ({kind}) into {self.show(self.into)}/"]
        hints = {"skipped": "exists and differs; --force overwrites it", "unchanged": ""}
        for post in self.posts:
            extra = [hints.get(post.status, "")] + (["draft"] if post.draft else [])
            extra_text = "; ".join(e for e in extra if e)
            suffix = f"  ({extra_text})" if extra_text else ""
            out.append(f"  {post.status:<11} {self.show(post.path)}{suffix}")
        if self.needs_look:
            out.append("Needs a look:")
            out += [f"  {item}" for item in self.needs_look]
        if self.ignored:
            left = counts(self.ignored)
            out.append(f"Left out on purpose: {left}")
        changed = [p for p in self.posts if p.status == "skipped"]
        skipped = len(self.skipped)
        out.append(
            f"{len(self._with('imported'))} imported, "
            f"{len(self._with('overwritten'))} overwritten, "
            f"{skipped} skipped (exists{f', {len(changed)} changed since' if changed else ''}), "
            f"{len(self.drafts)} draft{'s' if len(self.drafts) != 1 else ''}, "
            f"{len(self.needs_look)} need{'s' if len(self.needs_look) == 1 else ''} a look"
        )
        return out
