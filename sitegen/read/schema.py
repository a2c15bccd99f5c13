"""Every site.yaml key, declared once: its type, default and one-line description.

The reader (:mod:`sitegen.read.config`), the defaults of ``SiteConfig`` and the
table in docs/configuration.md all come from ``SETTINGS``, so they cannot drift
apart.  To add a key, add a ``Setting`` below (and a ``SiteConfig`` field of the
same name), then regenerate the docs table::

    python3 -m sitegen.read.schemadoc docs/configuration.md
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sitegen.errors import Problems
from sitegen.markup.images import bundle_file
from sitegen.read.fields import Fields, read_registry, url_problem
from sitegen.read.places import read_registry_place, registry_problems
from sitegen.read.situation import read_side
from sitegen.read.slugs import explicit_slug_problem
from sitegen.read.sources import read_registry_source
from sitegen.read.yamlio import YamlList, YamlMap

# -- kinds: how one value is read -------------------------------------------------


class Kind(Protocol):
    """How a setting's value is read; ``label`` is its type in the docs table."""

    @property
    def label(self) -> str: ...

    def read(self, fields: Fields, setting: Setting) -> Any:
        """The value, or ``setting.default`` when absent or wrong (wrong is reported)."""


@dataclass(frozen=True)
class Text:
    """Text; an empty value means the default unless ``keep_empty`` (then "" is a value)."""

    keep_empty: bool = False
    label: str = "text"

    def read(self, fields: Fields, setting: Setting) -> str | None:
        value = fields.text(setting.key, required=setting.required, default=setting.default)
        return setting.default if value == "" and not self.keep_empty else value


@dataclass(frozen=True)
class Url:
    """An absolute http(s) URL."""

    label: str = "URL"

    def read(self, fields: Fields, setting: Setting) -> str | None:
        value = fields.url(setting.key, required=setting.required)
        return setting.default if value is None else value


@dataclass(frozen=True)
class Integer:
    """A whole number from ``low`` to ``high``."""

    low: int
    high: int

    @property
    def label(self) -> str:
        return f"whole number, {self.low}–{self.high}"

    def read(self, fields: Fields, setting: Setting) -> int | None:
        return fields.integer(
            setting.key,
            low=self.low,
            high=self.high,
            required=setting.required,
            default=setting.default,
        )


@dataclass(frozen=True)
class Boolean:
    label: str = "`true`/`false`"

    def read(self, fields: Fields, setting: Setting) -> bool:
        return fields.boolean(setting.key, default=setting.default)


@dataclass(frozen=True)
class Names:
    """A list of names (a single value is a list of one); duplicates dropped."""

    label: str = "list of names"

    def read(self, fields: Fields, setting: Setting) -> tuple[str, ...]:
        if fields.data.get(setting.key) is None:
            return setting.default
        return fields.texts(setting.key)


@dataclass(frozen=True)
class TimeZone:
    """An IANA time zone name, read as a ``ZoneInfo``."""

    label: str = "time zone"

    def read(self, fields: Fields, setting: Setting) -> ZoneInfo:
        name = fields.text(setting.key)
        if name is None:
            return setting.default
        try:
            return ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            fields.error(setting.key, f"unknown time zone {name!r} (expected e.g. 'Europe/London')")
            return setting.default


@dataclass(frozen=True)
class Section:
    """A nested mapping with keys of its own, read into ``build(**values)``."""

    settings: tuple[Setting, ...]
    build: Callable[..., Any]
    label: str = "mapping"

    def read(self, fields: Fields, setting: Setting) -> Any:
        data = fields.mapping(setting.key)
        if data is None:  # absent or wrong: every key takes its default
            data = YamlMap(fields.line(setting.key))
        inner = Fields(data, fields.problems, fields.name(setting.key))
        return self.build(**read_settings(inner, self.settings))


@dataclass(frozen=True)
class StaticFile:
    """A file of ``static/`` (the site's or the theme's), with one of ``suffixes``."""

    suffixes: tuple[str, ...]

    @property
    def label(self) -> str:
        return f"file under `static/` ({', '.join(self.suffixes)})"

    def read(self, fields: Fields, setting: Setting) -> str | None:
        value = fields.text(setting.key)
        if value is None:
            return setting.default
        found = bundle_file(None, value)
        if found is None or not found.lower().endswith(self.suffixes):
            kinds = ", ".join(self.suffixes)
            fields.error(setting.key, f"expected a {kinds} file under static/, got {value!r}")
            return setting.default
        return found


def read_author(data: YamlMap, problems: Problems, where: str, key: str) -> str | None:
    """One entry of ``authors:``: the page about the author (JSON-LD ``author.url``)."""
    fields = Fields(data, problems, where)
    fields.check_keys(("url",))
    return fields.url("url", required=True)


ReadEntry = Callable[[YamlMap, Problems, str, str], Any]


@dataclass(frozen=True)
class Registry:
    """``id -> mapping`` entries, each read by ``read_entry`` (sources, places)."""

    read_entry: ReadEntry
    label: str
    # The entries together (two ids of one place): called with what was read, and its mapping.
    check_all: Callable[[dict[str, Any], YamlMap, Problems, str], None] | None = None

    def read(self, fields: Fields, setting: Setting) -> dict[str, Any]:
        data = fields.mapping(setting.key)
        if not data:
            return dict(setting.default)
        prefix = fields.name(setting.key)
        entries = read_registry(data, fields.problems, prefix, self.read_entry)
        if self.check_all is not None:
            self.check_all(entries, data, fields.problems, prefix)
        return entries


# -- the declaration of one key -------------------------------------------------------


@dataclass(frozen=True)
class Setting:
    """One key: ``default`` is the value ``SiteConfig`` gets when the key is absent
    (a section's comes from its own keys).

    ``check`` is an extra rule, called with the value read (with each item of a
    list), that returns why the value is wrong, or None.
    """

    key: str
    kind: Kind
    default: Any
    description: str
    required: bool = False
    check: Callable[[Any], str | None] | None = None


def read_settings(
    fields: Fields, settings: Iterable[Setting], given: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """Every setting's value by key; ``given`` values (command-line options) are not read."""
    settings = tuple(settings)
    given = given or {}
    fields.check_keys(setting.key for setting in settings)
    values: dict[str, Any] = {}
    for setting in settings:
        if setting.key in given:
            values[setting.key] = given[setting.key]
            continue
        values[setting.key] = value = setting.kind.read(fields, setting)
        if setting.check is not None and value is not None:
            _check(fields, setting, value)
    return values


def _check(fields: Fields, setting: Setting, value: Any) -> None:
    assert setting.check is not None
    if not isinstance(value, tuple):
        if message := setting.check(value):
            fields.error(setting.key, message)
        return
    items = fields.data.get(setting.key)
    for index, item in enumerate(value):
        if message := setting.check(item):
            line = items.line_of(index) if isinstance(items, YamlList) else fields.line(setting.key)
            fields.problems.error(line, f"{fields.name(setting.key)}[{index}]", message)


# -- extra checks ---------------------------------------------------------------------

# What sitegen writes at the top of a site, besides the custom taxonomies and the pages:
# folders of its sections, and files (tests/test_collisions.py checks the list against a build).
RESERVED_SECTIONS = frozenset(
    {"posts", "page", "series", "tags", "locations", "sources", "archive", "static", "search"}
    | {"pagefind"}
)
SITE_FILES = frozenset(
    {"index.html", "404.html", "feed.xml", "atom.xml", "sitemap.xml", "robots.txt"}
    | {"locations.geojson", "events.csv", "favicon.ico"}
)
TOP_LEVEL = RESERVED_SECTIONS | SITE_FILES


def taken(name: str) -> str | None:
    """What of sitegen's own a top-level ``name`` would be (compared without case), or None."""
    if name.casefold() in RESERVED_SECTIONS:
        return "a section of the site"
    if name.casefold() in SITE_FILES:
        return "a file of the site"
    return None


def taxonomy_name_problem(name: str) -> str | None:
    """A taxonomy name is a URL segment of its own, so it must not clash with a section."""
    if explicit_slug_problem(name) or name != name.lower():
        return f"{name!r} cannot be a taxonomy name (lowercase letters, digits and '-')"
    if clash := taken(name):
        return (
            f"{name!r} cannot be a taxonomy name: /{name} is {clash} "
            f"(sitegen's own: {', '.join(sorted(TOP_LEVEL))})"
        )
    return None


def tile_url_problem(tiles: str) -> str | None:
    if any(part not in tiles for part in ("{z}", "{x}", "{y}")) or url_problem(
        tiles.replace("{s}", "a")
    ):
        return "expected a tile URL with {z}, {x} and {y}"
    return None


# -- the schema -------------------------------------------------------------------------


@dataclass(frozen=True)
class MapConfig:
    """The ``map:`` section: the tile layer of every place map."""

    tiles: str
    attribution: str
    max_zoom: int


MAP_SETTINGS = (
    Setting(
        "tiles",
        Text(),
        "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
        "tile URL template with `{z}`, `{x}` and `{y}` (`{s}` optional)",
        check=tile_url_problem,
    ),
    Setting(
        "attribution",
        Text(keep_empty=True),
        "&copy; OpenStreetMap contributors",
        'the tiles\' credit shown on maps, HTML; `""` for none',
    ),
    Setting("max_zoom", Integer(1, 22), 18, "the closest zoom a map allows"),
)

SETTINGS = (
    Setting("title", Text(), None, "the site's name: header, page titles, feeds", required=True),
    Setting("description", Text(), "", "one sentence about the site, for feeds and link previews"),
    Setting(
        "base_url",
        Url(),
        None,
        "where the site is published; links and feeds are absolute (`--base-url` overrides)",
        required=True,
    ),
    Setting("author", Text(), "", "the author of posts that name none"),
    Setting(
        "authors",
        Registry(read_author, "mapping: name → `{url}`"),
        {},
        "a page about each author, linked from the articles' JSON-LD",
    ),
    Setting(
        "image",
        StaticFile((".jpg", ".jpeg", ".png", ".webp", ".gif")),
        None,
        "the link-preview picture of pages that have none of their own",
    ),
    Setting(
        "logo",
        StaticFile((".jpg", ".jpeg", ".png", ".webp", ".gif")),
        "static/logo.png",
        "the publisher's logo in JSON-LD, and `/favicon.ico` when `favicon` is an SVG",
    ),
    Setting(
        "favicon",
        StaticFile((".svg", ".png", ".ico")),
        "static/favicon.svg",
        "the icon browsers show for the site's pages",
    ),
    Setting("language", Text(), "en", "the language of the site's pages and feeds, e.g. `en`"),
    Setting(
        "timezone",
        TimeZone(),
        ZoneInfo("UTC"),
        "an IANA name such as `Europe/London`; dates without an offset are in it",
    ),
    Setting("posts_per_page", Integer(1, 1000), 10, "posts on each page of the home page list"),
    Setting("feed_length", Integer(1, 10000), 20, "the newest posts in each RSS and Atom feed"),
    Setting(
        "output",
        Text(),
        "_site",
        "where `sitegen build` writes, relative to the site (`-o` overrides)",
    ),
    Setting(
        "taxonomies",
        Names(),
        (),
        "custom taxonomies besides `tags`, each with term pages and feeds (e.g. `[theaters]`)",
        check=taxonomy_name_problem,
    ),
    Setting(
        "map",
        Section(MAP_SETTINGS, MapConfig),
        None,
        "the tile layer of place maps: the keys below",
    ),
    Setting("search", Boolean(), True, "build the Pagefind search index and the search page"),
    Setting(
        "sources",
        Registry(read_registry_source, "mapping: id → source"),
        {},
        "sources posts cite by id ([fields](front-matter.md#sources))",
    ),
    Setting(
        "places",
        Registry(read_registry_place, "mapping: id → place", registry_problems),
        {},
        "places posts name by id ([fields](front-matter.md#locations))",
    ),
    Setting(
        "sides",
        Registry(read_side, "mapping: id → side"),
        {},
        "the parties drawn on maps: id → `{label, color}` ([layers](front-matter.md#layers))",
    ),
)
