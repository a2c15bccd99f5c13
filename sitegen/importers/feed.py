"""Any RSS or Atom feed, read with feedparser (the client sitegen's own feeds are tested with).

feedparser's HTML sanitizer is turned off: it would silently delete the iframes
that should become video links; the Markdown converter decides what is kept and
reports what is not.  Dates are taken from the raw strings so the original UTC
offset survives (feedparser's ``*_parsed`` values are UTC).
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
    clean,
    label,
    parse_iso,
    parse_rfc822,
    plain_text,
    unique,
)
from sitegen.importers.xmlsource import error


def _moment(entry: Any, key: str) -> datetime | None:
    # dict.get: feedparser's own lookup answers 'updated' with 'published' (and warns).
    raw = dict.get(entry, key)
    value = parse_rfc822(raw) or parse_iso(raw)
    parsed = dict.get(entry, f"{key}_parsed")
    if value is None and parsed:
        value = datetime(*parsed[:6], tzinfo=UTC)
    return value


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
    body = next((_html(c) for c in contents if "html" in (c.get("type") or "")), "")
    body = body or next((_html(c) for c in contents), "")
    summary_html = _html(entry.get("summary_detail") or {}) if entry.get("summary") else ""
    summary = None
    if body:
        if summary_html and plain_text(summary_html) != plain_text(body):
            summary = plain_text(summary_html)
    else:
        body = summary_html
    published = _moment(entry, "published")
    updated = _moment(entry, "updated")
    names = [clean(a.get("name") or a.get("email")) for a in entry.get("authors") or []]
    if not any(names) and entry.get("author"):
        names = [clean(entry.get("author"))]
    tags = [t.get("label") or t.get("term") or "" for t in entry.get("tags") or []]
    return Entry(
        label=label(number, title),
        title=title,
        date=published or updated,
        updated=updated if published else None,
        html=body,
        authors=tuple(n for n in names if n),
        tags=unique(tags),
        summary=summary,
        guid=clean(entry.get("id")),
        link=clean(entry.get("link")),
    )
