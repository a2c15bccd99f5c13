"""Blogger exports (Atom), read with lxml: the classic export and Google Takeout's.

The classic export marks each entry's kind with a category in the
``.../blogger/2008/kind#`` scheme and drafts with ``app:control/app:draft``;
Takeout (2018 namespace) uses ``blogger:type``, ``blogger:status`` and
``blogger:filename`` instead.  Both carry comments, pages and settings in the
same feed; only posts are imported.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from lxml import etree

from sitegen.importers.model import (
    Entry,
    Export,
    base_of,
    clean,
    counts,
    label,
    parse_iso,
    plain_text,
    unique,
)
from sitegen.importers.xmlsource import ATOM, BLOGGER_2018, BLOGGER_KIND, error, local, namespace

KIND_SCHEME = "http://schemas.google.com/g/2005#kind"
_APP = ("http://purl.org/atom/app#", "http://www.w3.org/2007/app")
_A = f"{{{ATOM}}}"
_B = f"{{{BLOGGER_2018}}}"
_KIND_NAMES = {
    "comment": "comments",
    "page": "pages",
    "settings": "settings entries",
    "template": "template entries",
}


def _kind(entry: etree._Element) -> str:
    typed = entry.findtext(f"{_B}type")
    if typed:
        return typed.strip().lower()
    for category in entry.findall(f"{_A}category"):
        term = category.get("term") or ""
        if term.startswith(BLOGGER_KIND):
            return term[len(BLOGGER_KIND) :]
    return "unknown"


def _draft(entry: etree._Element) -> bool:
    status = (entry.findtext(f"{_B}status") or "").strip().upper()
    if status:
        return status != "LIVE"
    for app in _APP:
        if (entry.findtext(f"{{{app}}}control/{{{app}}}draft") or "").strip().lower() == "yes":
            return True
    return False


def _text(el: etree._Element | None) -> str | None:
    """The HTML of an Atom text construct (``text``, ``html`` or ``xhtml``)."""
    if el is None:
        return None
    if el.get("type") == "xhtml":
        div = next(iter(el), None)
        inner = div if div is not None and local(div.tag) == "div" else el
        return (inner.text or "") + "".join(
            etree.tostring(child, encoding="unicode", with_tail=True) for child in inner
        )
    return el.text


def read(root: etree._Element, path: Path) -> Export:
    if local(root.tag) != "feed" or namespace(root.tag) != ATOM:
        raise error(
            path, f"not a Blogger export: expected an Atom <feed>, found <{local(root.tag)}>"
        )
    entries: list[Entry] = []
    ignored: Counter[str] = Counter()
    for entry in root.findall(f"{_A}entry"):
        kind = _kind(entry)
        if kind != "post":
            ignored[_KIND_NAMES.get(kind, "other entries")] += 1
            continue
        if (entry.findtext(f"{_B}status") or "").strip().upper() in ("SOFT_TRASHED", "DELETED"):
            ignored["posts in the trash"] += 1
            continue
        entries.append(_entry(entry, len(entries) + 1))
    if not entries:
        found = counts(sorted(ignored.items())) or "no entries"
        raise error(path, f"no posts in this Blogger export ({found})")
    return Export("blogger", tuple(entries), tuple(sorted(ignored.items())))


def _entry(entry: etree._Element, number: int) -> Entry:
    title_el = entry.find(f"{_A}title")
    raw_title = _text(title_el)
    title = (
        plain_text(raw_title)
        if title_el is not None
        and title_el.get("type")
        in (
            "html",
            "xhtml",
        )
        else clean(raw_title)
    )
    draft = _draft(entry)
    link = None
    for link_el in entry.findall(f"{_A}link"):
        if link_el.get("rel") == "alternate" and link_el.get("href"):
            link = link_el.get("href")
    link = link or clean(entry.findtext(f"{_B}filename"))
    labels = [
        category.get("term") or ""
        for category in entry.findall(f"{_A}category")
        if category.get("scheme") != KIND_SCHEME
        and not (category.get("term") or "").startswith(BLOGGER_KIND)
    ]
    names = [clean(a.findtext(f"{_A}name")) for a in entry.findall(f"{_A}author")]
    published_text = clean(entry.findtext(f"{_A}published"))
    published = parse_iso(published_text)
    content = entry.find(f"{_A}content")
    return Entry(
        label=label(number, title),
        title=title,
        date=published,
        updated=parse_iso(entry.findtext(f"{_A}updated")),
        html=_text(content) or "",
        slug=None,  # from the link's file name, like every other old URL
        authors=tuple(n for n in names if n and n != "Unknown"),
        tags=unique(labels),
        draft=draft,
        guid=clean(entry.findtext(f"{_A}id")),
        link=None if draft else link,
        # lxml's .base is the xml:base in force there (set on the element or an ancestor).
        base=base_of((content if content is not None else entry).base, link),
        bad_date=published_text if published is None else None,
    )
