"""The old blog's uploads copied into page bundles: ``sitegen import --media DIR``.

DIR is the ``wp-content/uploads`` folder of a WordPress backup.  An ``<img src>``
or ``<a href>`` of a post that points into the old blog's uploads
(``https://old.example.com/wp-content/uploads/2016/12/map-300x200.jpg``) names a
file of DIR; that file, or the original ``map.jpg`` when the resized copy is not
there, is copied beside the post (which becomes a page bundle) and the reference
becomes the file's name in the bundle.

Every path comes from the export, so none is trusted: a path with ``..``, an
empty or absolute part, or a file that resolves outside DIR (a symbolic link) is
refused.  Names in a bundle are single safe file names, unique in the bundle
(``map.png``, ``map-2.png``), never ``index.md``.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

from sitegen.importers.model import Attachment, Export
from sitegen.model import IMAGE_TYPES
from sitegen.read.slugs import explicit_slug_problem, slugify

UPLOADS = "/wp-content/uploads/"
RASTER = (".jpg", ".jpeg", ".png", ".webp", ".gif")  # what a link-preview picture may be
# WordPress's resized and scaled copies: map-300x200.jpg and map-scaled.jpg of map.jpg.
_SIZED = re.compile(r"-(?:\d+x\d+|scaled)(?=\.[^./]+$)")
_CLASS_ID = re.compile(r"^wp-image-(\d+)$")
MISSING = "is not in the media folder; it stays a link to the old site"
_NOT_PLAIN = (
    "is refused: its path is not a plain path inside the media folder "
    "(an empty part, '.', '..' or a backslash); it stays as it was"
)
_LINK_OUT = (
    "is refused: in the media folder it is a symbolic link to a file outside it; it stays as it was"
)


@dataclass(frozen=True)
class Found:
    path: Path  # resolved, inside the media folder
    name: str  # its file name as the export names it


class Uploads:
    """The media folder and what the export says about its files."""

    def __init__(self, directory: Path, export: Export) -> None:
        self.root = directory.resolve()
        self.hosts = frozenset(export.hosts)
        self.by_id: dict[str, Attachment] = {a.id: a for a in export.attachments if a.id}
        self.alts: dict[str, str] = {}
        for attachment in export.attachments:
            rel = self.rel(attachment)
            if rel and attachment.alt:
                self.alts.setdefault(rel, attachment.alt)

    def rel(self, attachment: Attachment) -> str | None:
        return attachment.file or (self.upload_path(attachment.url) if attachment.url else None)

    def upload_path(self, url: str) -> str | None:
        """The path under the uploads folder that a URL of the old blog names (unchecked)."""
        text = url.strip()
        try:
            parts = urlsplit("https:" + text if text.startswith("//") else text)
            host = (parts.hostname or "").removeprefix("www.")
        except ValueError:
            return None
        if parts.scheme not in ("", "http", "https"):
            return None
        if host and self.hosts and host not in self.hosts:
            return None  # another site's uploads (a feed names no hosts: any will do)
        path = parts.path if parts.path.startswith("/") else "/" + parts.path
        at = path.find(UPLOADS)
        return None if at < 0 else unquote(path[at + len(UPLOADS) :])

    def locate(self, rel: str) -> Found | str:
        """The file ``rel`` names in the media folder, or why there is none to copy."""
        parts = rel.split("/")
        if any(p in ("", ".", "..") or "\\" in p or "\x00" in p for p in parts):
            return _NOT_PLAIN
        try:
            resolved = self.root.joinpath(*parts).resolve()
            if not resolved.is_relative_to(self.root):
                return _LINK_OUT
            readable = resolved.is_file() and os.access(resolved, os.R_OK)
        except (OSError, RuntimeError):  # a loop of links, a name too long ...
            return MISSING
        return Found(resolved, parts[-1]) if readable else MISSING

    def find(self, rel: str) -> Found | str:
        """The file itself, else (for a resized copy) the original it was made from."""
        found = self.locate(rel)
        original = _SIZED.sub("", rel)
        if found == MISSING and original != rel:
            other = self.locate(original)
            return other if isinstance(other, Found) else found
        return found

    def alt(self, rel: str, classes: list[str]) -> str | None:
        """The media library's alt text for an image (by its ``wp-image-N`` class, or file)."""
        for name in classes:
            if match := _CLASS_ID.match(name):
                attachment = self.by_id.get(match.group(1))
                if attachment is not None and attachment.alt:
                    return attachment.alt
        return self.alts.get(rel) or self.alts.get(_SIZED.sub("", rel))


@dataclass
class Bundle:
    """One post's files from the uploads, by their names in its page bundle."""

    uploads: Uploads
    files: dict[str, Path] = field(default_factory=dict)  # name in the bundle -> source
    notes: list[str] = field(default_factory=list)
    no_alt: list[str] = field(default_factory=list)  # names of images without alt text
    _names: dict[Path, str] = field(default_factory=dict)  # source -> name in the bundle

    def link(self, url: str) -> str | None:
        """The bundle name for an ``href`` into the uploads; None: leave the URL as it is."""
        rel = self.uploads.upload_path(url)
        return None if rel is None else self._copy(rel, url)

    def image(self, src: str, alt: str, classes: list[str]) -> tuple[str, str]:
        """An ``<img>``'s new ``src`` and alt text (the media library's, when it has none)."""
        rel = self.uploads.upload_path(src)
        name = None if rel is None else self._copy(rel, src)
        if rel is None or name is None:
            return src, alt
        alt = alt or self.uploads.alt(rel, classes) or ""
        if not alt and PurePosixPath(name).suffix.lower() in IMAGE_TYPES:
            self.no_alt.append(name)
        return name, alt

    def featured(self, attachment_id: str) -> str | None:
        """The bundle name of the featured image (attachment ``attachment_id``), if copied."""
        attachment = self.uploads.by_id.get(attachment_id)
        rel = self.uploads.rel(attachment) if attachment else None
        what = f"its featured image (attachment {attachment_id})"
        if rel is None or attachment is None:
            self._say(f"{what} is not in the export's media library; left out")
            return None
        if PurePosixPath(rel).suffix.lower() not in RASTER:
            self._say(f"{what} {rel} is not a picture a link preview can show; left out")
            return None
        return self._copy(rel, attachment.url or rel, what=what)

    def _copy(self, rel: str, url: str, what: str = "attachment") -> str | None:
        found = self.uploads.find(rel)
        if isinstance(found, str):
            self._say(f"{what} {url} {found}")
            return None
        name = self._names.get(found.path)
        if name is None:
            name = _unique(_safe_name(found.name), {n.casefold() for n in self.files})
            self._names[found.path] = name
            self.files[name] = found.path
        return name

    def _say(self, note: str) -> None:
        if note not in self.notes:
            self.notes.append(note)


def _safe_name(name: str) -> str:
    """A file name sitegen publishes as it is: one safe path part (else a slug of it)."""
    if not explicit_slug_problem(name):
        return name
    stem, dot, suffix = name.rpartition(".")
    if not dot:
        stem, suffix = name, ""
    suffix = suffix.lower() if suffix.isalnum() else ""
    return (slugify(stem) or "file") + (f".{suffix}" if suffix else "")


def _unique(name: str, taken: set[str]) -> str:
    """``map.png``, else ``map-2.png`` ...; ``index.md`` is the post's own file."""
    stem, dot, suffix = name.rpartition(".")
    if not dot:
        stem, suffix = name, ""
    candidate, number = name, 1
    while candidate.casefold() in taken or candidate.casefold() == "index.md":
        number += 1
        candidate = f"{stem}-{number}" + (f".{suffix}" if suffix else "")
    return candidate
