"""A page of ``pages/`` (About, Methodology): a post without a date, a series or feeds.

Pages share the post's body syntax and its reader (:func:`sitegen.read.posts.read_post`
reads a file under ``pages/`` as a page); only the front matter differs, here.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sitegen.read.config import SiteConfig
from sitegen.read.fields import Fields
from sitegen.read.schema import taken

PAGE_FIELDS = (
    "title",
    "slug",
    "summary",
    "menu",
    "updated",
    "sources",
    "quotes",
    "locations",
    "layers",
    "events",
    "images",
    "image",
    "aliases",
    "extra",
)
UNDATED = datetime(1970, 1, 1, tzinfo=UTC)  # a page's date: never shown, never in the future
_PAGE_HINT = "; a page has no date, series, tags or author (those are a post's)"


def is_page(path: str) -> bool:
    return path.startswith("pages/")


def page_head(fields: Fields, config: SiteConfig, slug: Any) -> dict[str, Any]:
    """A page's single-valued fields by ``Post`` field name; ``slug`` reads the slug field."""
    fields.check_keys(PAGE_FIELDS, _PAGE_HINT)
    title = fields.text("title", required=True)
    updated = fields.moment("updated", config.timezone)
    chosen = slug(fields, title)
    clash = taken(chosen) if chosen else None
    if chosen and chosen.casefold() in config.taxonomies:
        clash = "a section of the site"
    if clash:
        where = "slug" if "slug" in fields.data else "title"
        fields.error(where, f"a page at /{chosen}/ would take the place of {clash}")
    return {
        "title": title,
        "date": updated or UNDATED,
        "updated": updated,
        "slug": chosen,
        "authors": (),
        "page": True,
        "menu": fields.integer("menu", low=0, high=1000),
        "extra": fields.mapping("extra") or {},
    }
