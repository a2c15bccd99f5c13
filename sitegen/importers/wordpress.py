"""WordPress eXtended RSS (WXR), the file of Tools > Export, read with lxml.

Namespaces are matched by meaning, not by prefix or version (WXR 1.0-1.2 differ
only in the ``wp:`` URI).  ``post`` items are posts and ``page`` items pages (their
place in the navigation from the site's menus); attachments are the media library
that ``--media`` copies from; menu items and comments are counted and left out.
A password-protected post becomes a draft without its old URL (an alias would
publish it there), and a sticky one is reported: sitegen pins no posts.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from urllib.parse import unquote, urlsplit

from lxml import etree

from sitegen.importers.model import (
    Attachment,
    Entry,
    Export,
    clean,
    counts,
    label,
    parse_rfc822,
    plain_text,
    unique,
)
from sitegen.importers.xmlsource import error, is_wordpress_ns, local

CONTENT = "http://purl.org/rss/1.0/modules/content/"
DC = "http://purl.org/dc/elements/1.1/"
_UNPUBLISHED = {"draft", "pending", "private"}
_NOT_POSTS = {"trash": "posts in the trash", "auto-draft": "auto-drafts", "inherit": "revisions"}
# WordPress gives every post without a category this one; as a tag it says nothing.
_DEFAULT_CATEGORY = "uncategorized"
MAX_MENU = 1000  # the highest ``menu`` number sitegen accepts


def _wp_time(text: str | None) -> datetime | None:
    """``2016-12-03 18:30:00`` as a naive datetime; WordPress writes zeros for 'never'."""
    if not text or text.startswith("0000"):
        return None
    try:
        return datetime.strptime(text.strip(), "%Y-%m-%d %H:%M:%S")
    except ValueError:
        return None


def moment(local_text: str | None, gmt_text: str | None) -> datetime | None:
    """The post's time with the offset the blog had then: local minus GMT, when both exist.

    Without GMT (drafts) the local time is returned naive, meaning site time.
    """
    local_time, gmt_time = _wp_time(local_text), _wp_time(gmt_text)
    if local_time and gmt_time:
        offset = local_time - gmt_time
        if abs(offset) <= timedelta(hours=18) and offset % timedelta(minutes=1) == timedelta(0):
            return local_time.replace(tzinfo=timezone(offset) if offset else UTC)
        return gmt_time.replace(tzinfo=UTC)
    if gmt_time:
        return gmt_time.replace(tzinfo=UTC)
    return local_time


class _Item:
    """Namespace-agnostic access to one ``<item>``'s children."""

    def __init__(self, item: etree._Element, wp_ns: str) -> None:
        self.item = item
        self.wp_ns = wp_ns

    def text(self, name: str, ns: str | None = None) -> str | None:
        tag = f"{{{ns}}}{name}" if ns else name
        value = self.item.findtext(tag)
        return value if value is None else value.strip() or None

    def wp(self, name: str) -> str | None:
        return self.text(name, self.wp_ns)

    def meta(self, key: str) -> str | None:
        """A ``wp:postmeta`` value (``_thumbnail_id``, ``_wp_attachment_image_alt`` ...)."""
        for meta in self.item.findall(f"{{{self.wp_ns}}}postmeta"):
            if (meta.findtext(f"{{{self.wp_ns}}}meta_key") or "").strip() == key:
                value = meta.findtext(f"{{{self.wp_ns}}}meta_value")
                return value.strip() or None if value else None
        return None

    def number(self, name: str) -> int | None:
        try:
            return int(self.wp(name) or "")
        except ValueError:
            return None

    def excerpt(self) -> str | None:
        for child in self.item:
            if local(child.tag) == "encoded" and "excerpt" in (etree.QName(child).namespace or ""):
                return child.text
        return None


def read(root: etree._Element, path: Path) -> Export:
    channel = root.find("channel")
    if local(root.tag) != "rss" or channel is None:
        raise error(
            path, f"not a WordPress export: expected <rss><channel>, found <{local(root.tag)}>"
        )
    wp_ns = next(
        (
            uri
            for el in (root, channel)
            for uri in (el.nsmap or {}).values()
            if is_wordpress_ns(uri)
        ),
        None,
    )
    if wp_ns is None:
        raise error(
            path, "not a WordPress export (no wp: namespace); for a plain feed use --from feed"
        )
    authors = {
        (a.findtext(f"{{{wp_ns}}}author_login") or "").strip(): clean(
            a.findtext(f"{{{wp_ns}}}author_display_name")
        )
        for a in channel.findall(f"{{{wp_ns}}}author")
    }
    items = [_Item(item_el, wp_ns) for item_el in channel.findall("item")]
    attachments = tuple(_attachment(i) for i in items if i.wp("post_type") == "attachment")
    menus = _menu_positions(items)
    entries: list[Entry] = []
    ignored: Counter[str] = Counter()
    for item in items:
        post_type = item.wp("post_type") or "post"
        if post_type not in ("post", "page"):
            ignored[_plural(post_type)] += 1
            continue
        status = item.wp("status") or "publish"
        if status in _NOT_POSTS:
            ignored[_NOT_POSTS[status]] += 1
            continue
        ignored["comments"] += len(item.item.findall(f"{{{wp_ns}}}comment"))
        entry = _entry(item, len(entries) + 1, status, authors)
        if post_type == "page":  # scheduled is not public yet; a page has no date to wait for
            draft = entry.draft or status == "future"
            entry = replace(entry, page=True, draft=draft, menu=_menu(item, menus))
        entries.append(entry)
    if not entries:
        found = counts(sorted(ignored.items())) or "no items"
        raise error(path, f"no posts or pages in this WordPress export ({found})")
    return Export(
        "wordpress",
        tuple(entries),
        tuple(sorted((k, v) for k, v in ignored.items() if v)),
        attachments=attachments,
        hosts=_hosts(channel, wp_ns, attachments),
    )


def _entry(item: _Item, number: int, status: str, authors: dict[str, str | None]) -> Entry:
    title = plain_text(item.text("title"))
    link = clean(item.text("link"))
    draft, public, notes = _standing(item, status, link)
    date = moment(item.wp("post_date"), item.wp("post_date_gmt"))
    if date is None:
        published = parse_rfc822(item.text("pubDate"))
        date = published if published and published.year > 1900 else None
    creator = item.text("creator", DC)
    categories, tags = [], []
    for category in item.item.findall("category"):
        name = plain_text(category.text)
        domain = category.get("domain")
        if not name or (category.get("nicename") or name).lower() == _DEFAULT_CATEGORY:
            continue
        if domain == "category":
            categories.append(name)
        elif domain == "post_tag":
            tags.append(name)
    post_name = item.wp("post_name")
    return Entry(
        label=label(number, title),
        title=title,
        date=date,
        updated=moment(item.wp("post_modified"), item.wp("post_modified_gmt")),
        html=item.text("encoded", CONTENT) or "",
        slug=unquote(post_name) if post_name else None,
        authors=(authors.get(creator) or creator,) if creator else (),
        tags=unique(categories + tags),
        summary=plain_text(item.excerpt()),
        draft=draft,
        guid=clean(item.text("guid")),
        link=link if public else None,
        wordpress=True,
        notes=tuple(notes),
        featured=item.meta("_thumbnail_id"),
        base=link,  # relative URLs in a post were relative to its permalink
        bad_date=None if date else _bad_date(item),
    )


def _standing(item: _Item, status: str, link: str | None) -> tuple[bool, bool, list[str]]:
    """(draft, public, notes): a post that only some could read on the old blog is a
    draft here, and its old URL gets no redirect (an alias would publish it there)."""
    notes = []
    draft = status in _UNPUBLISHED
    # Unpublished posts never had a public URL, so they get no redirect.
    public = status in ("publish", "future")
    if item.wp("post_password"):
        draft, public = True, False
        where = f", and its old URL {link} gets no redirect" if link else ""
        notes.append(
            f"is password-protected on the old blog: imported as a draft{where}; "
            "if it may be public, delete 'draft: true' (and add the old path to 'aliases')"
        )
    if item.wp("is_sticky") == "1":
        notes.append(
            "was sticky (kept at the top of the front page) on the old blog; sitegen lists "
            "posts newest first and pins none, so link to it from a page in the navigation "
            "(a page with 'menu') if it should stay in view"
        )
    return draft, public, notes


def _bad_date(item: _Item) -> str | None:
    """The post's date as the export gives it, when it is there but no date (31 Feb)."""
    for name in ("post_date", "post_date_gmt"):
        text = item.wp(name)
        if text and not text.startswith("0000") and _wp_time(text) is None:
            return clean(text)
    return None


def _attachment(item: _Item) -> Attachment:
    return Attachment(
        id=item.wp("post_id") or "",
        url=clean(item.wp("attachment_url")),
        file=item.meta("_wp_attached_file"),
        alt=clean(item.meta("_wp_attachment_image_alt")),
    )


def _menu_positions(items: list[_Item]) -> dict[str, int]:
    """Page id -> its position in the site's navigation menus (the first, if in several)."""
    found: dict[str, int] = {}
    for item in items:
        if item.wp("post_type") != "nav_menu_item" or item.meta("_menu_item_object") != "page":
            continue
        page_id, order = item.meta("_menu_item_object_id"), item.number("menu_order")
        if page_id and order is not None:
            found[page_id] = min(order, found.get(page_id, order))
    return found


def _menu(item: _Item, menus: dict[str, int]) -> int | None:
    """A page's ``menu``: its place in the site's menus when the export has any, else
    its page order (``menu_order``) when that is set; a page in neither is not linked."""
    if menus:
        order = menus.get(item.wp("post_id") or "")
    else:
        order = item.number("menu_order")
        order = order if order and order > 0 else None
    return None if order is None else max(0, min(order, MAX_MENU))


def _hosts(
    channel: etree._Element, wp_ns: str, attachments: tuple[Attachment, ...]
) -> tuple[str, ...]:
    """The old blog's host names (without ``www.``): its own links to uploads use them."""
    urls = [channel.findtext("link"), *(a.url for a in attachments)]
    urls += [channel.findtext(f"{{{wp_ns}}}{name}") for name in ("base_site_url", "base_blog_url")]
    found = []
    for url in urls:
        try:
            host = urlsplit((url or "").strip()).hostname
        except ValueError:
            continue
        if host:
            found.append(host.removeprefix("www."))
    return tuple(sorted(set(found)))


def _plural(post_type: str) -> str:
    names = {"attachment": "attachments", "nav_menu_item": "menu items"}
    return names.get(post_type, f"items of type {post_type!r}")
