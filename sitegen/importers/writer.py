"""Writing the planned files: new files only, unless ``--force``; each atomically.

The plan (:mod:`planner`) has decided every file's bytes; this only puts them
on disk and reports what became of each.  The files of a page bundle (``--media``)
are copied from the media folder the same way, and only into the bundle's folder.
"""

from __future__ import annotations

import filecmp
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from sitegen.importers.content import Planned
from sitegen.importers.model import KIND_NAMES, counts


@dataclass(frozen=True)
class Written:
    path: Path
    title: str
    status: str  # imported, overwritten, unchanged, skipped
    draft: bool
    notes: tuple[str, ...]
    page: bool = False
    files: tuple[tuple[str, str], ...] = ()  # (name in the bundle, status) of its files
    lines: tuple[tuple[int, str], ...] = ()  # notes about one line of the file


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
        files = tuple((name, _copy(item.path, name, source, force)) for name, source in item.files)
        results.append(
            Written(
                item.path, item.title, status, item.draft, item.notes, item.page, files, item.lines
            )
        )
    return results


def _copy(post: Path, name: str, source: Path, force: bool) -> str:
    """One file of a page bundle, copied beside its ``index.md`` (and nowhere else)."""
    target = post.parent / name
    if post.name != "index.md" or target.parent != post.parent or "/" in name or name in ("", ".."):
        raise ValueError(f"not a file of the page bundle {post.parent}: {name!r}")
    if target.is_symlink() or (target.exists() and not target.is_file()):
        return "refused"  # never write through a link
    if target.exists():
        if filecmp.cmp(source, target, shallow=False):
            return "unchanged"
        if not force:
            return "skipped"
    temporary = target.with_name(f".{name}.importing")
    temporary.unlink(missing_ok=True)  # a leftover (or a link) is never written through
    shutil.copyfile(source, temporary)
    os.replace(temporary, target)
    return "copied"


def _write_atomic(path: Path, data: bytes) -> None:
    """A half-written post would be a broken post: write beside it, then rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.importing")
    temporary.unlink(missing_ok=True)
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
    posts: tuple[Written, ...]  # posts and pages
    pages_folder: Path | None = None  # where pages went
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
    def pages(self) -> list[Path]:
        return [p.path for p in self.posts if p.page]

    @property
    def files(self) -> list[Path]:
        """Files of page bundles copied by this run."""
        return [p.path.parent / name for p in self.posts for name, s in p.files if s == "copied"]

    @property
    def needs_look(self) -> list[str]:
        items = list(self.notes) + list(self.not_imported)
        for post in self.posts:
            shown = self.show(post.path)
            items += [f"{shown}: {note}" for note in post.notes]
            items += [f"{shown}:{line}: {note}" for line, note in post.lines]
        return items

    def show(self, path: Path) -> str:
        try:
            return path.relative_to(self.base).as_posix()
        except ValueError:
            return str(path)

    def lines(self) -> list[str]:
        kind = KIND_NAMES.get(self.kind, self.kind)
        where = self.show(self.into) + "/"
        if self.pages_folder and any(p.page for p in self.posts):
            where += f" and {self.show(self.pages_folder)}/"
        out = [f"Importing {self.source} ({kind}) into {where}"]
        out += [f"  {post.status:<11} {self.show(post.path)}{_suffix(post)}" for post in self.posts]
        if self.needs_look:
            out.append("Needs a look:")
            out += [f"  {item}" for item in self.needs_look]
        if self.ignored:
            left = counts(self.ignored)
            out.append(f"Left out on purpose: {left}")
        changed = [p for p in self.posts if p.status == "skipped"]
        skipped = len(self.skipped)
        parts = [
            f"{len(self._with('imported'))} imported",
            f"{len(self._with('overwritten'))} overwritten",
            f"{skipped} skipped (exists{f', {len(changed)} changed since' if changed else ''})",
            _plural(len(self.drafts), "draft"),
        ]
        if self.pages:
            parts.append(_plural(len(self.pages), "page"))
        if any(p.files for p in self.posts):
            parts.append(_plural(len(self.files), "file") + " copied")
        looks = len(self.needs_look)
        parts.append(f"{looks} need{'s' if looks == 1 else ''} a look")
        out.append(", ".join(parts))
        return out


def _plural(number: int, what: str) -> str:
    return f"{number} {what}{'' if number == 1 else 's'}"


_HINTS = {"skipped": "exists and differs; --force overwrites it"}


def _suffix(post: Written) -> str:
    """``  (page; draft; 2 files copied)``: what else the report line says about a file."""
    extra = [_HINTS.get(post.status, "")] + (["page"] if post.page else [])
    extra += ["draft"] if post.draft else []
    copied = sum(status == "copied" for _, status in post.files)
    if copied:
        extra.append(_plural(copied, "file") + " copied")
    kept = sum(status == "skipped" for _, status in post.files)
    if kept:
        extra.append(f"{_plural(kept, 'file')} left as found: changed since; --force overwrites")
    refused = sum(status == "refused" for _, status in post.files)
    if refused:
        extra.append(f"{_plural(refused, 'file')} not written: a link or folder has its name")
    text = "; ".join(e for e in extra if e)
    return f"  ({text})" if text else ""
