"""``sitegen init`` and ``sitegen new``: a new site, and the next post of a series.

Writing SITREP N+1 is the common case, so ``new --series`` numbers the post and
carries over the tags, custom taxonomy terms and places of the series' latest
post.
"""

from __future__ import annotations

import shutil
from datetime import datetime
from pathlib import Path
from typing import Any, NamedTuple

import yaml

from sitegen.errors import SitegenError, UsageError
from sitegen.incremental.content import read_posts
from sitegen.incremental.context import BuildOptions, resolve
from sitegen.incremental.store import PostStore
from sitegen.model import Place
from sitegen.read.config import CONFIG_FILE, SiteConfig, find_root, load_config
from sitegen.read.frontmatter import join
from sitegen.read.places import script_of
from sitegen.read.slugs import slugify
from sitegen.theme import theme_dir

SITE_YAML = """\
# Site configuration: every key is described in sitegen's docs/configuration.md.
title: "{title}"
description: "Situation reports and analysis."
base_url: "https://example.org/"
author: "Editor"
language: en
timezone: UTC
posts_per_page: 10
feed_length: 20
# Custom taxonomies, each with index and term pages and per-term feeds.
taxonomies: [theaters]
# Map tiles for place maps (default OpenStreetMap).
map:
  tiles: "https://tile.openstreetmap.org/{{z}}/{{x}}/{{y}}.png"
  attribution: "&copy; OpenStreetMap contributors"
# Registries: posts name these by id (sources: [reuters], locations: [kyiv]).
sources:
  reuters: {{name: Reuters, url: "https://www.reuters.com", reliability: B}}
places:
  kyiv: {{name: Kyiv, local_name: Київ, local_lang: uk, lat: 50.4501, lon: 30.5234}}
"""

ABOUT = """\
Say here who writes this site, what it covers, how reports are sourced and
graded, and how to reach the desk. This is a page: it has no date, is linked in
the site's navigation (`menu: 1`) and never appears in feeds or post lists.
"""

WELCOME = """\
Bottom line up front: this is the first post of a new sitegen site. Replace it
with your first situation report [@reuters].

## Situation

Write the situation here. Cite sources inline with `[@id]` (or several with
`[@a; @b]`); they are numbered in order of first citation and listed at the end
of the post with their Admiralty grades.

{{< quote example >}}

## Assessment

What it means, with the confidence it deserves.
"""

GITIGNORE = (
    "_site/\n"
    ".sitegen-cache/\n"
    "# beside the output: the spare of the last build, the lock, a killed build's leftovers\n"
    ".*.sitegen-*\n"
)

NEW_BODY = """\
Bottom line up front.

## Situation

## Key developments

## Assessment

## Outlook
"""


class _Dumper(yaml.SafeDumper):
    """Block mappings; lists of plain values on one line (``tags: [a, b]``), as editors write."""


def _represent_dict(dumper: yaml.SafeDumper, data: dict[str, Any]) -> yaml.Node:
    return dumper.represent_mapping("tag:yaml.org,2002:map", data, flow_style=False)


def _represent_list(dumper: yaml.SafeDumper, data: list[Any]) -> yaml.Node:
    flat = all(not isinstance(item, (dict, list)) for item in data)
    return dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=flat)


_Dumper.add_representer(dict, _represent_dict)
_Dumper.add_representer(list, _represent_list)


def dump(front: dict[str, Any], body: str) -> str:
    """Front matter and body as a post file."""
    yaml_text = yaml.dump(front, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)
    return join(yaml_text, body)


class NewSite(NamedTuple):
    """What ``sitegen init`` wrote, each under the new site's directory."""

    config: Path
    templates: Path
    static: Path
    gitignore: Path
    post: Path  # posts/<year>/welcome.md
    about: Path  # pages/about.md


def init_site(target: Path, now: datetime | None = None) -> NewSite:
    """A new site in ``target`` (missing or empty): config, the theme, a post, an About page."""
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise UsageError(f"{target}: already exists and is not empty; choose a new directory")
    theme = theme_dir()
    target.mkdir(parents=True, exist_ok=True)
    title = target.resolve().name.replace("-", " ").replace("_", " ").title() or "SITREPs"
    (target / CONFIG_FILE).write_text(SITE_YAML.format(title=title), encoding="utf-8")
    shutil.copytree(theme / "templates", target / "templates")
    shutil.copytree(theme / "static", target / "static")
    (target / ".gitignore").write_text(GITIGNORE, encoding="utf-8")
    config = load_config(target)
    when = (now or datetime.now(config.timezone)).astimezone(config.timezone)
    front = {
        "title": "Welcome to your SITREP desk",
        "date": when.replace(microsecond=0).isoformat(),
        "tags": ["meta"],
        "theaters": ["Eastern Europe"],
        "sources": ["reuters"],
        "quotes": [
            {
                "id": "example",
                "text": "Quotes live in the front matter and are embedded by id.",
                "speaker": "The editor",
                "source": "reuters",
            }
        ],
        "locations": ["kyiv"],
    }
    post = target / "posts" / f"{when.year}" / "welcome.md"
    post.parent.mkdir(parents=True)
    post.write_text(dump(front, WELCOME), encoding="utf-8")
    about = target / "pages" / "about.md"
    about.parent.mkdir()
    about.write_text(dump({"title": "About", "menu": 1}, ABOUT), encoding="utf-8")
    return NewSite(
        target / CONFIG_FILE,
        target / "templates",
        target / "static",
        target / ".gitignore",
        post,
        about,
    )


def new_post(
    start: Path, title: str, series: str | None = None, now: datetime | None = None
) -> Path:
    """Write ``posts/<year>/<slug>.md`` as a draft; refuse to overwrite anything."""
    root = find_root(start)
    config = load_config(root)
    if not title.strip():
        raise UsageError("the title must not be empty")
    when = (now or datetime.now(config.timezone)).astimezone(config.timezone)
    slug = slugify(title)
    path = root / "posts" / str(when.year) / f"{slug}.md"
    if path.exists():
        raise SitegenError(f"{path.relative_to(root)} already exists; not overwriting it")
    front: dict[str, Any] = {
        "title": title,
        "date": when.replace(microsecond=0).isoformat(),
        "draft": True,
    }
    if series:
        front.update(_next_in_series(root, config, series))
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("x", encoding="utf-8") as handle:  # "x": never overwrite, even in a race
        handle.write(dump(front, NEW_BODY))
    return path


def _next_in_series(root: Path, config: SiteConfig, series: str) -> dict[str, Any]:
    """Series name, next number, and the latest post's tags, terms and places."""
    rels = sorted(p.relative_to(root).as_posix() for p in (root / "posts").rglob("*.md"))
    context = resolve(root, BuildOptions(jobs=1, cache=False), write=False)
    store = PostStore(None, context.read_key)
    posts, _, _ = read_posts(context, rels, store, saving=False, failed=[])
    members = [p for p in posts if p.series and slugify(p.series) == slugify(series)]
    if not members:
        return {"series": series, "series_index": 1}
    latest = max(members, key=lambda p: (p.series_index or 0, p.date))
    front: dict[str, Any] = {
        "series": latest.series,
        "series_index": max(p.series_index or 0 for p in members) + 1,
    }
    if latest.tags:
        front["tags"] = list(latest.tags)
    for name, terms in latest.taxonomies:
        if terms:
            front[name] = list(terms)
    if latest.places:
        front["locations"] = [_place_entry(place, config) for place in latest.places]
    return front


def _place_entry(place: Place, config: SiteConfig) -> str | dict[str, Any]:
    for key, registered in config.places.items():
        if registered == place:
            return key
    entry: dict[str, Any] = {"name": place.name}
    if place.local_name:
        entry["local_name"] = place.local_name
        if place.local_lang != script_of(place.local_name)[0]:  # an explicit, non-default one
            entry["local_lang"] = place.local_lang
    entry.update(lat=place.lat, lon=place.lon)
    return entry
