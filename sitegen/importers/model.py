"""What every reader produces: plain entries, whatever the export format was.

Readers do no validation beyond their format; slugs, aliases, ids and file names
are decided by :mod:`sitegen.importers.planner` for all entries together, so that
collisions between entries (and with posts already in the site) are seen whole.
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin, urlsplit

import lxml.html
from lxml import etree

from sitegen.read.slugs import slugify

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_YEAR_MONTH_DAY = re.compile(r"\s*(\d{4})-(\d{2})-(\d{2})")


@dataclass(frozen=True)
class Entry:
    """One post as the old blog knew it; ``date`` may be naive (meaning site time)."""

    label: str  # how messages name the entry before it has a file: "item 3 'Title'"
    title: str | None
    date: datetime | None
    html: str
    updated: datetime | None = None
    slug: str | None = None  # the old slug, unchecked
    authors: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    summary: str | None = None
    draft: bool = False
    guid: str | None = None
    link: str | None = None  # the old URL (absolute, or a path)
    wordpress: bool = False  # body is WordPress editor text: autop and shortcodes apply
    notes: tuple[str, ...] = ()  # reader findings that need a look
    page: bool = False  # an undated page (WordPress ``page``): written to pages/, not posts/
    menu: int | None = None  # a page's place in the site's navigation
    featured: str | None = None  # the attachment id of its featured image (WordPress)
    base: str | None = None  # what its relative URLs are relative to: xml:base, else its URL
    bad_date: str | None = None  # the date it gave, when that is no date at all (31 Feb)


@dataclass(frozen=True)
class Attachment:
    """A file of the old blog's media library, as the export describes it."""

    id: str
    url: str | None
    file: str | None  # its path under wp-content/uploads/ (``2016/12/map.png``), unchecked
    alt: str | None


@dataclass(frozen=True)
class Export:
    """A parsed export: its entries in file order and what was left out on purpose."""

    kind: str
    entries: tuple[Entry, ...]
    ignored: tuple[tuple[str, int], ...] = ()  # ("comments", 2), ("attachments", 1)
    notes: tuple[str, ...] = field(default_factory=tuple)  # findings about the whole file
    attachments: tuple[Attachment, ...] = ()  # the media library (WordPress)
    hosts: tuple[str, ...] = ()  # the old blog's host names: its uploads are found by them


KIND_NAMES = {"wordpress": "WordPress export", "blogger": "Blogger export", "feed": "feed"}


def clean(text: str | None) -> str | None:
    """One-line text for front matter: control characters dropped, spaces collapsed, NFC."""
    if text is None:
        return None
    text = _CONTROL.sub("", text).replace("\xa0", " ")
    text = unicodedata.normalize("NFC", " ".join(text.split()))
    return text or None


def plain_text(markup: str | None) -> str | None:
    """Text of an HTML snippet (titles and excerpts may carry tags and entities)."""
    if markup is None or not markup.strip():
        return None
    if "<" not in markup:
        return clean(html.unescape(markup))
    try:
        root = lxml.html.fragment_fromstring(markup, create_parent="div")
    except (etree.ParserError, ValueError):
        return clean(html.unescape(markup))
    for junk in root.xpath("//script|//style"):
        junk.drop_tree()
    return clean(root.text_content())


def parse_iso(text: str | None) -> datetime | None:
    """An Atom/ISO 8601 timestamp, keeping its offset; None if it is not one."""
    if not text or not text.strip():
        return None
    try:
        return datetime.fromisoformat(text.strip())
    except ValueError:
        return None


def parse_rfc822(text: str | None) -> datetime | None:
    """An RSS pubDate, keeping its offset; None if it is not one."""
    if not text or not text.strip():
        return None
    try:
        value = parsedate_to_datetime(text.strip())
    except (TypeError, ValueError, IndexError):
        return None
    return value


def impossible_day(text: str) -> bool:
    """Whether ``text`` starts with a day no calendar has (``2016-02-31``).

    feedparser's W3DTF parser rolls such a day over (to 2 March) instead of refusing it.
    """
    found = _YEAR_MONTH_DAY.match(text)
    if found is None:
        return False
    try:
        datetime(*(int(part) for part in found.groups()))
    except ValueError:
        return True
    return False


def base_of(xml_base: str | None, link: str | None) -> str | None:
    """What an entry's relative URLs are relative to: its ``xml:base`` (itself taken as
    relative to the entry's link), else that link, the page the old blog showed it on."""
    if not xml_base:
        return link
    try:
        return urljoin(link or "", xml_base)
    except ValueError:  # a malformed URL (an unclosed [ of an IPv6 host)
        return link


def is_absolute(url: str | None) -> bool:
    try:
        return bool(url) and bool(urlsplit(url or "").scheme)
    except ValueError:
        return False


def unique(names: list[str]) -> tuple[str, ...]:
    """Names in order, each once: two names with one tag URL (``Al Bab``, ``al-bab``) are one."""
    seen: set[str] = set()
    kept = []
    for name in names:
        cleaned = clean(name)
        if cleaned and slugify(cleaned) not in seen:
            seen.add(slugify(cleaned))
            kept.append(cleaned)
    return tuple(kept)


def label(number: int, title: str | None) -> str:
    return f"entry {number} {title!r}" if title else f"entry {number} (untitled)"


_SINGULAR = {
    "attachments": "attachment",
    "auto-drafts": "auto-draft",
    "comments": "comment",
    "menu items": "menu item",
    "other entries": "other entry",
    "pages": "page",
    "posts in the trash": "post in the trash",
    "revisions": "revision",
    "settings entries": "settings entry",
    "template entries": "template entry",
}


def count(number: int, plural: str) -> str:
    """``1 comment``, ``2 comments`` for the names readers count things under."""
    return f"{number} {_SINGULAR.get(plural, plural) if number == 1 else plural}"


def counts(items: tuple[tuple[str, int], ...] | list[tuple[str, int]]) -> str:
    return ", ".join(count(number, what) for what, number in items)
