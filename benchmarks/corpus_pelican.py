"""The Pelican site of the benchmark corpus: its settings and one post's file (corpus.py).

Pelican gets the same Markdown bodies with its metadata header; citations and
quote shortcodes stay literal text.  Pelican uses its default theme.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

PELICANCONF = '''"""Pelican settings for the benchmark corpus (written by benchmarks/corpus.py).

Feeds mirror sitegen's: the whole site as RSS and Atom, one RSS per category
(sitegen's series) and one per tag.  The Markdown extensions are sitegen's.
Caching is off unless BENCH_PELICAN_CACHE=1 (or -e CACHE_CONTENT=true
LOAD_CONTENT_CACHE=true on the command line).
"""
import os

AUTHOR = "The Bench Desk"
SITENAME = "Bench Desk: Conflict SITREPs"
SITEURL = "{siteurl}"
PATH = "content"
TIMEZONE = "{timezone}"
DEFAULT_LANG = "en"
DEFAULT_DATE_FORMAT = "%d %B %Y"

FEED_DOMAIN = SITEURL
FEED_ALL_RSS = "feeds/all.rss.xml"
FEED_ALL_ATOM = "feeds/all.atom.xml"
CATEGORY_FEED_RSS = "feeds/category/{{slug}}.rss.xml"
CATEGORY_FEED_ATOM = None
TAG_FEED_RSS = "feeds/tag/{{slug}}.rss.xml"
AUTHOR_FEED_RSS = None
AUTHOR_FEED_ATOM = None
TRANSLATION_FEED_ATOM = None
FEED_MAX_ITEMS = {feed_length}
RSS_FEED_SUMMARY_ONLY = False

DEFAULT_PAGINATION = {per_page}
RELATIVE_URLS = False

MARKDOWN = {{
    "extension_configs": {{
        "markdown.extensions.tables": {{}},
        "markdown.extensions.footnotes": {{}},
        "markdown.extensions.fenced_code": {{}},
        "markdown.extensions.def_list": {{}},
        "markdown.extensions.attr_list": {{}},
        "markdown.extensions.abbr": {{}},
        "markdown.extensions.toc": {{"toc_depth": "2-3"}},
        "markdown.extensions.md_in_html": {{}},
        "markdown.extensions.sane_lists": {{}},
        "markdown.extensions.meta": {{}},
    }},
    "output_format": "html5",
}}

_CACHE = os.environ.get("BENCH_PELICAN_CACHE", "0") == "1"
CACHE_CONTENT = _CACHE
LOAD_CONTENT_CACHE = _CACHE
CACHE_PATH = "cache"
'''


def pelican_file(post: dict) -> str:
    when: datetime = post["when"]
    head = [
        f"Title: {post['title']}",
        f"Date: {when:%Y-%m-%d %H:%M}",
        f"Tags: {', '.join(post['tags'])}",
        f"Category: {post['series'] or 'Analysis'}",
        f"Slug: {post['slug']}",
    ]
    if post["summary"]:
        head.append(f"Summary: {post['summary']}")
    return "\n".join(head) + "\n\n" + post["body"]


def write_config(pel: Path, siteurl: str, timezone: str, feed_length: int, per_page: int) -> None:
    """pelicanconf.py of the Pelican site in ``pel``."""
    pel.mkdir(parents=True, exist_ok=True)
    text = PELICANCONF.format(
        siteurl=siteurl, timezone=timezone, feed_length=feed_length, per_page=per_page
    )
    (pel / "pelicanconf.py").write_text(text, encoding="utf-8", newline="\n")
