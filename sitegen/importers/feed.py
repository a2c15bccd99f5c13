"""Any RSS or Atom feed, read with feedparser (the client sitegen's own feeds are tested with).

feedparser's HTML sanitizer is turned off: it would silently delete the iframes
that should become video links; the Markdown converter decides what is kept and
reports what is not.  Dates are taken from the raw strings so the original UTC
offset survives (feedparser's ``*_parsed`` values are UTC); an entry without a
publication date is dated by ``dcterms:created``, then by its last update
(``atom:updated``, ``dc:date``).  feedparser resolves relative URLs against
``xml:base``; what is still relative is relative to the entry's own link.
"""

from __future__ import annotations

import html
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import feedparser

from sitegen.importers.model import (
    Entry,
    Export,
    base_of,
    clean,
    impossible_day,
    is_absolute,
    label,
    parse_iso,
    parse_rfc822,
    plain_text,
    unique,
)
from sitegen.importers.xmlsource import error

# Which feedparser date says when an entry was published, best first, and its name.
_DATES = (
    ("published", "publication date"),
    ("created", "creation date"),
    ("updated", "last-updated date"),
)


def _moment(entry: Any, key: str) -> tuple[datetime | None, str | None]:
    """The time under ``key``, or the text found there when it is not a valid date."""
    # dict.get: feedparser's own lookup answers 'updated' with 'published' (and warns).
    raw = dict.get(entry, key)
    if not raw or not raw.strip():
        return None, None
    value = parse_rfc822(raw) or parse_iso(raw)
    parsed = dict.get(entry, f"{key}_parsed")
    if value is None and parsed and not impossible_day(raw):
        value = datetime(*parsed[:6], tzinfo=UTC)
    return value, None if value else clean(raw)


def _dates(entry: Any) -> tuple[datetime | None, datetime | None, str | None, list[str]]:
    """(date, updated, the text of an impossible date, notes) of an entry."""
    found = {key: _moment(entry, key) for key, _ in _DATES}
    date = next((found[key][0] for key, _ in _DATES if found[key][0]), None)
    updated = found["updated"][0]
    bad = [(name, found[key][1]) for key, name in _DATES if found[key][1]]
    if date is None:
        return None, None, bad[0][1] if bad else None, []
    notes = [f"its {name} {text!r} is not a valid date; left out" for name, text in bad]
    return date, None if updated is date else updated, None, notes


def _html(detail: Any) -> str:
    """A feedparser text construct as HTML (plain text is escaped, not interpreted)."""
    value = detail.get("value") or ""
    kind = detail.get("type") or "text/html"
    return value if "html" in kind else f"<p>{html.escape(value)}</p>" if value else ""


def _title(entry: Any) -> str | None:
    detail = entry.get("title_detail") or {}
    value = entry.get("title")
    return plain_text(value) if "html" in (detail.get("type") or "") else clean(value)


def read(raw: bytes, path: Path, lenient: bool) -> Export:
    """Entries of a feed; ``lenient`` says lxml already found it not well-formed."""
    try:
        parsed = feedparser.parse(raw, sanitize_html=False, resolve_relative_uris=True)
    except Exception as exc:  # feedparser's lenient parser has crashed on broken input
        raise error(path, f"not a readable RSS or Atom feed ({type(exc).__name__})") from None
    if not parsed.get("version") and not parsed.entries:
        problem = parsed.get("bozo_exception")
        reason = f" ({problem})" if problem else ""
        raise error(path, f"not an RSS or Atom feed{reason}")
    if not parsed.entries:
        raise error(path, "the feed has no entries")
    notes = ()
    if lenient:
        notes = ("the feed is not well-formed XML; it was read leniently, so check every post",)
    entries = tuple(_entry(entry, number) for number, entry in enumerate(parsed.entries, 1))
    return Export("feed", entries, (), notes)


def _entry(entry: Any, number: int) -> Entry:
    title = _title(entry)
    contents = entry.get("content") or []
    chosen = next((c for c in contents if "html" in (c.get("type") or "")), None)
    chosen = chosen or next(iter(contents), None) or {}
    body = _html(chosen)
    detail = entry.get("summary_detail") or {}
    summary_html = _html(detail) if entry.get("summary") else ""
    summary = None
    if body:
        if summary_html and plain_text(summary_html) != plain_text(body):
            summary = plain_text(summary_html)
    else:
        body, chosen = summary_html, detail
    link = clean(entry.get("link"))
    # feedparser has resolved the body against its xml:base; what is still relative (there
    # was none, or only a relative one) is taken as relative to the entry's own page.
    xml_base = chosen.get("base")
    base = base_of(xml_base if is_absolute(xml_base) else None, link)
    date, updated, bad_date, notes = _dates(entry)
    names = [clean(a.get("name") or a.get("email")) for a in entry.get("authors") or []]
    if not any(names) and entry.get("author"):
        names = [clean(entry.get("author"))]
    tags = [t.get("label") or t.get("term") or "" for t in entry.get("tags") or []]
    return Entry(
        label=label(number, title),
        title=title,
        date=date,
        updated=updated,
        html=body,
        authors=tuple(n for n in names if n),
        tags=unique(tags),
        summary=summary,
        guid=clean(entry.get("id")),
        link=link,
        notes=tuple(notes),
        base=base,
        bad_date=bad_date,
    )
