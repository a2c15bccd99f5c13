"""The content model: frozen values built once by validation, read by everything after.

``Post`` is what one file becomes (a pure function of the file, the config and
the Markdown setup); ``Site`` is what all posts together become once indexed.
"""

from __future__ import annotations

import hashlib
import operator
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

RELIABILITY = {
    "A": "completely reliable",
    "B": "usually reliable",
    "C": "fairly reliable",
    "D": "not usually reliable",
    "E": "unreliable",
    "F": "reliability cannot be judged",
}
CREDIBILITY = {
    "1": "confirmed by other sources",
    "2": "probably true",
    "3": "possibly true",
    "4": "doubtful",
    "5": "improbable",
    "6": "truth cannot be judged",
}


@dataclass(frozen=True, order=True)
class PartialDate:
    """A date given only as precisely as it is known: ``1844``, ``1844-06`` or ``1844-06-18``.

    Shown and emitted with exactly that precision: an editor who knows only
    the year must not read "1 January 1844" back.
    """

    year: int
    month: int | None = None
    day: int | None = None

    @property
    def iso(self) -> str:
        parts = [f"{self.year:04d}", *(f"{n:02d}" for n in (self.month, self.day) if n)]
        return "-".join(parts)

    @property
    def human(self) -> str:
        if self.month is None:
            return str(self.year)
        month = date(2000, self.month, 1).strftime("%B")
        return f"{self.day} {month} {self.year}" if self.day else f"{month} {self.year}"


@dataclass(frozen=True)
class Source:
    """A cited source with its Admiralty (STANAG 2511) grades."""

    id: str
    name: str
    title: str | None = None
    url: str | None = None
    archive_url: str | None = None
    published: PartialDate | None = None  # as precise as the editor knows it
    reliability: str | None = None
    credibility: str | None = None
    sort_as: str | None = None  # how its name sorts on /sources/ ("Wellington, Duke of")

    @property
    def grade(self) -> str:
        """``B2``, ``B``, ``2`` or empty: the Admiralty code as analysts write it."""
        return f"{self.reliability or ''}{self.credibility or ''}"

    @property
    def grade_meaning(self) -> str:
        parts = []
        if self.reliability:
            parts.append(f"source {RELIABILITY[self.reliability]}")
        if self.credibility:
            parts.append(f"information {CREDIBILITY[self.credibility]}")
        return "; ".join(parts)


@dataclass(frozen=True)
class Quote:
    id: str
    text: str
    speaker: str | None = None
    source: str | None = None


@dataclass(frozen=True)
class Place:
    """A named point; ``key`` is the registry id or the slug of the name (one page per key)."""

    key: str
    name: str
    lat: float
    lon: float
    local_name: str | None = None
    local_lang: str | None = None
    local_dir: str | None = None


LAYER_KINDS = ("front-line", "control", "contested", "axis", "area", "other")


@dataclass(frozen=True)
class Side:
    """A party drawn on maps (``site.yaml`` ``sides:``): its label and colour."""

    id: str
    label: str
    color: str


@dataclass(frozen=True)
class Layer:
    """A GeoJSON file drawn on a post's map; ``file`` is site-relative (``posts/.../x.geojson``).

    ``as_of`` is the moment the layer shows (the post's date when not given);
    ``line`` is the front-matter line of its entry, where a bad file is reported.
    """

    file: str
    title: str
    kind: str
    as_of: datetime
    side: str | None = None
    source: str | None = None
    line: int = 0


@dataclass(frozen=True)
class Event:
    """A dated happening at one of the post's places; ``timed``: the editor gave a time."""

    when: datetime
    timed: bool
    place: str  # the key of a place of the post
    text: str
    sources: tuple[str, ...] = ()


IMAGE_TYPES = {  # what an image file may be, by its suffix: the published MIME type
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".webp": "image/webp",
    ".gif": "image/gif",
    ".svg": "image/svg+xml",
}


@dataclass(frozen=True)
class Picture:
    """An image of a post: an entry of front matter ``images:``, or a local Markdown image.

    ``file`` is site-relative (``posts/.../map.jpg`` or ``static/...``).  A Markdown image
    has no ``id`` and no caption, and its Markdown ``title``; ``line``: where it is written.
    """

    id: str
    file: str
    alt: str
    caption: str | None = None
    credit: str | None = None
    source: str | None = None
    place: str | None = None  # the key of a place of the post
    taken: PartialDate | None = None
    keep_metadata: bool = False
    title: str | None = None
    line: int = 0
    shown: bool = False  # embedded in the body (a Markdown image always is)
    entry: int = -1  # its position in ``images:`` (-1: a Markdown image)


@dataclass(frozen=True)
class Named:
    """The files a post with errors names (layers, images): checked all the same, so that
    one run reports every error.  A ``Post`` answers the same attributes."""

    path: str
    layers: tuple[Layer, ...] = ()
    images: tuple[Picture, ...] = ()
    image: str | None = None
    lines: dict[str, int] = field(default_factory=dict, compare=False)

    def line_of(self, key: str) -> int:
        return self.lines.get(key, 1)


@dataclass(frozen=True)
class Correction:
    date: datetime
    text: str


WORDS_PER_MINUTE = 230


class DamagedCache(Exception):
    """A cached body does not match its hash: the build starts again without the cache."""


class Body:
    """A post's HTML: held in memory, or kept in a cache pack and read when a page needs it.

    Bodies are most of a post's bytes; an archive of 10,000 posts would otherwise
    be loaded whole from the cache, and pickled back from workers, on every build.
    A cached body is a slice of a pack file (the bodies of posts converted
    together) and carries the hash of its bytes, checked on every read.
    """

    __slots__ = ("_check", "_html", "_length", "_offset", "_path")

    def __init__(
        self,
        html: str | None = None,
        path: str | None = None,
        check: str = "",
        offset: int = 0,
        length: int = 0,
    ) -> None:
        self._html = html
        self._path = path
        self._check = check
        self._offset = offset
        self._length = length

    @classmethod
    def stored(cls, data: bytes, path: str, offset: int) -> Body:
        """The body whose UTF-8 bytes ``data`` are at ``offset`` in the pack ``path``."""
        return cls(path=path, check=digest(data), offset=offset, length=len(data))

    def stash(self, data: bytes, path: str, offset: int) -> None:
        """From now on read from the pack ``path`` (``data``, this body's bytes, are there).

        The post that holds this body stays as it is: only where its HTML lives
        changes, before the post leaves the process that read it.
        """
        self._html = None
        self._path, self._check, self._offset, self._length = path, digest(data), offset, len(data)

    @property
    def html(self) -> str:
        if self._html is not None:
            return self._html
        try:
            with open(self._path or "", "rb") as handle:
                handle.seek(self._offset)
                data = handle.read(self._length)
        except OSError as exc:
            raise DamagedCache(f"{self._path}: {exc.strerror}") from None
        if digest(data) != self._check:
            raise DamagedCache(f"{self._path}: does not match its hash")
        return data.decode("utf-8", "surrogatepass")

    @property
    def path(self) -> str | None:
        return self._path

    def __getstate__(self) -> tuple[str | None, str | None, str, int, int]:
        return self._html, self._path, self._check, self._offset, self._length

    def __setstate__(self, state: tuple[str | None, str | None, str, int, int]) -> None:
        self._html, self._path, self._check, self._offset, self._length = state


@dataclass(frozen=True)
class Post:
    """One post, validated and rendered; sources are in citation order (number = index + 1)."""

    path: str
    title: str
    date: datetime
    slug: str
    authors: tuple[str, ...]
    body: Body = field(compare=False, repr=False)  # see body_html
    summary: str
    subtitle: str | None = None
    summary_given: bool = False  # an editor's summary (shown on the post), not the first paragraph
    updated: datetime | None = None
    draft: bool = False
    series: str | None = None
    series_index: int | None = None
    tags: tuple[str, ...] = ()
    taxonomies: tuple[tuple[str, tuple[str, ...]], ...] = ()
    sources: tuple[Source, ...] = ()
    cited: int = 0
    quotes: tuple[Quote, ...] = ()
    places: tuple[Place, ...] = ()
    corrections: tuple[Correction, ...] = ()
    layers: tuple[Layer, ...] = ()
    events: tuple[Event, ...] = ()  # in date order
    images: tuple[Picture, ...] = ()  # front matter's, then the body's Markdown images
    image: str | None = None  # the preview picture: an id of ``images`` or a site-relative file
    bundle: str | None = None  # the folder a page bundle (``<name>/index.md``) owns
    page: bool = False  # an undated page of pages/ (About, Methodology): not in lists or feeds
    menu: int | None = None  # a page's place in the site navigation
    guid: str | None = None  # the front matter's ``id``; None: derived where feeds need it
    aliases: tuple[str, ...] = ()
    extra: dict[str, Any] = field(default_factory=dict, compare=False)
    toc_html: str = ""
    headings: int = 0
    words: int = 0
    lines: dict[str, int] = field(default_factory=dict, compare=False)
    digest: str = ""  # hash of the file's bytes: the post's identity in fingerprints
    instant: float = 0.0  # the date as a POSIX timestamp: what sorting and selecting compare
    links: tuple[tuple[str, int], ...] = ()  # on-site link targets of the body, with lines
    # Derived once, when the post is made (and kept with it in the cache):
    listing: str = field(default="", init=False)  # what list pages show of it (listing_digest)
    index: str = field(default="", init=False)  # what the site's indexes read (index_digest)

    def __post_init__(self) -> None:
        object.__setattr__(self, "listing", listing_digest(self))
        object.__setattr__(self, "index", index_digest(self))

    def line_of(self, key: str) -> int:
        """The file line of a front-matter field (1, the fence, when it is not given)."""
        return self.lines.get(key, 1)

    def terms(self, taxonomy: str) -> tuple[str, ...]:
        if taxonomy == "tags":
            return self.tags
        for name, terms in self.taxonomies:
            if name == taxonomy:
                return terms
        return ()

    @property
    def body_html(self) -> str:
        return self.body.html

    @property
    def reading_minutes(self) -> int:
        return max(1, round(self.words / WORDS_PER_MINUTE))

    @property
    def url_path(self) -> str:
        """Where the page is: ``posts/<slug>/``, or ``<slug>/`` for a page of pages/."""
        return f"{self.slug}/" if self.page else f"posts/{self.slug}/"

    @property
    def last_modified(self) -> datetime:
        """The newest of date, updated and correction dates (Atom's ``updated``)."""
        moments = [self.date, *([self.updated] if self.updated else [])]
        moments += [c.date for c in self.corrections]
        return max(moments)


def listing_digest(post: Post) -> str:
    """A hash of everything a list page shows of a post (its card, its sources).

    List pages are fingerprinted with it rather than with the file's hash, so an
    edit deep in a body re-renders the post's own page and feeds, not every list
    that names it, unless it changes the summary or the reading time.
    """
    shown = (
        post.title, post.subtitle, post.slug, post.date, post.updated, post.authors,
        post.summary, post.series, post.series_index, post.tags, post.taxonomies,
        post.draft, post.reading_minutes, post.sources, post.page, post.menu,
    )  # fmt: skip
    return digest(repr(shown).encode("utf-8", "surrogatepass"))


def index_digest(post: Post) -> str:
    """A hash of everything the site's indexes read of a post (see ``site.index``).

    The listing, plus its places, aliases, feed id and front-matter lines (problems
    found while indexing name a line).  While every post's digest stays as it was, so do
    the indexes: a body edit that lists the same reuses the last build's.
    """
    read = (
        post.listing, post.places, post.aliases, post.guid, sorted(post.lines.items()),
        post.layers, post.events, post.bundle, post.images, post.image,
    )  # fmt: skip
    return digest(repr(read).encode("utf-8", "surrogatepass"))


_LISTING = operator.attrgetter("listing")


def listings(posts: Iterable[Post]) -> bytes:
    """The listing digests of ``posts`` in order: what a list of them shows, for a fingerprint.

    The digest covers the slug, so the post's path adds nothing; ``map`` keeps the
    join in C (list pages name each post about fifteen times over at 10,000 posts).
    """
    return "\0".join(map(_LISTING, posts)).encode()


def digest(data: bytes) -> str:
    """The content hash used for cache keys and fingerprints."""
    return hashlib.blake2b(data, digest_size=16).hexdigest()
