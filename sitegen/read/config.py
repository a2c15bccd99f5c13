"""site.yaml: one typed ``SiteConfig`` with every problem reported at once."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sitegen.errors import ContentError, Problem, Problems, UsageError
from sitegen.model import Place, Source
from sitegen.read.fields import Fields, read_registry, url_problem
from sitegen.read.frontmatter import decode
from sitegen.read.places import read_registry_place
from sitegen.read.slugs import explicit_slug_problem
from sitegen.read.sources import read_registry_source
from sitegen.read.yamlio import YamlMap, load

CONFIG_FILE = "site.yaml"
CONFIG_FIELDS = (
    "title",
    "description",
    "base_url",
    "author",
    "language",
    "timezone",
    "posts_per_page",
    "feed_length",
    "output",
    "taxonomies",
    "map",
    "search",
    "sources",
    "places",
)
MAP_FIELDS = ("tiles", "attribution", "max_zoom")
# Sections whose names a custom taxonomy may not take.
RESERVED_SECTIONS = frozenset(
    {"posts", "page", "series", "tags", "locations", "sources", "archive", "static", "search"}
)
DEFAULT_TILES = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
DEFAULT_ATTRIBUTION = "&copy; OpenStreetMap contributors"


@dataclass(frozen=True)
class MapConfig:
    tiles: str = DEFAULT_TILES
    attribution: str = DEFAULT_ATTRIBUTION
    max_zoom: int = 18


@dataclass(frozen=True)
class SiteConfig:
    """Everything site.yaml says, validated; ``root`` is the site's directory."""

    root: Path
    title: str
    base_url: str
    description: str = ""
    author: str = ""
    language: str = "en"
    timezone: ZoneInfo = field(default_factory=lambda: ZoneInfo("UTC"))
    posts_per_page: int = 10
    feed_length: int = 20
    output: str = "_site"
    taxonomies: tuple[str, ...] = ()
    map: MapConfig = field(default_factory=MapConfig)
    search: bool = True
    sources: dict[str, Source] = field(default_factory=dict, compare=False)
    places: dict[str, Place] = field(default_factory=dict, compare=False)

    @property
    def base_path(self) -> str:
        """The path part of base_url, always ending in '/', e.g. '/' or '/blog/'."""
        return urlsplit(self.base_url).path or "/"

    @property
    def all_taxonomies(self) -> tuple[str, ...]:
        return ("tags", *self.taxonomies)


def find_root(start: Path) -> Path:
    """The site directory: ``start`` itself must hold site.yaml."""
    if (start / CONFIG_FILE).is_file():
        return start
    raise UsageError(
        f"{start}: not a sitegen site (no {CONFIG_FILE} here). "
        "Run 'sitegen init DIR' to start one, or run sitegen inside a site."
    )


def load_config(root: Path, base_url: str | None = None) -> SiteConfig:
    """Read and validate site.yaml; ``base_url`` overrides the file (``--base-url``)."""
    problems = Problems(CONFIG_FILE)
    text = decode((root / CONFIG_FILE).read_bytes(), CONFIG_FILE)
    if isinstance(text, Problem):
        raise ContentError([text])
    data = load(text, problems)
    if data is None and not problems.items:
        data = YamlMap(1)
    if not isinstance(data, YamlMap):
        if not problems.items:
            problems.error(1, "", "expected a mapping of settings (title: ..., base_url: ...)")
        raise ContentError(problems.items)
    config = _read(root, data, problems, base_url)
    if problems.errors or config is None:
        raise ContentError(problems.errors)
    return config


def _read(root: Path, data: YamlMap, problems: Problems, base_url: str | None) -> SiteConfig | None:
    fields = Fields(data, problems)
    fields.check_keys(CONFIG_FIELDS)
    title = fields.text("title", required=True)
    if base_url is not None:
        if problem := url_problem(base_url):
            raise UsageError(f"--base-url: {problem}")
    else:
        base_url = fields.url("base_url", required=True)
    tz = ZoneInfo("UTC")
    if (tz_name := fields.text("timezone")) is not None:
        try:
            tz = ZoneInfo(tz_name)
        except (ZoneInfoNotFoundError, ValueError):
            fields.error(
                "timezone", f"unknown time zone {tz_name!r} (expected e.g. 'Europe/London')"
            )
    taxonomies = fields.texts("taxonomies")
    for index, name in enumerate(taxonomies):
        if explicit_slug_problem(name) or name in RESERVED_SECTIONS or name != name.lower():
            items = data["taxonomies"]
            line = items.line_of(index) if hasattr(items, "line_of") else fields.line("taxonomies")
            problems.error(
                line,
                f"taxonomies[{index}]",
                f"{name!r} cannot be a taxonomy name (lowercase letters, digits and '-'; "
                f"not one of {', '.join(sorted(RESERVED_SECTIONS))})",
            )
    map_config = MapConfig()
    if (map_data := fields.mapping("map")) is not None:
        map_fields = Fields(map_data, problems, "map")
        map_fields.check_keys(MAP_FIELDS)
        tiles = map_fields.text("tiles") or DEFAULT_TILES
        if "{z}" not in tiles or url_problem(tiles.replace("{s}", "a")):
            map_fields.error("tiles", "expected a tile URL with {z}, {x} and {y}")
        map_config = MapConfig(
            tiles=tiles,
            attribution=map_fields.text("attribution", default=DEFAULT_ATTRIBUTION) or "",
            max_zoom=map_fields.integer("max_zoom", low=1, high=22, default=18) or 18,
        )
    sources = fields.mapping("sources")
    places = fields.mapping("places")
    config = SiteConfig(
        root=root,
        title=title or "",
        base_url=(base_url or "https://example.org/").rstrip("/") + "/",
        description=fields.text("description", default="") or "",
        author=fields.text("author", default="") or "",
        language=fields.text("language", default="en") or "en",
        timezone=tz,
        posts_per_page=fields.integer("posts_per_page", low=1, high=1000, default=10) or 10,
        feed_length=fields.integer("feed_length", low=1, high=10000, default=20) or 20,
        output=fields.text("output", default="_site") or "_site",
        taxonomies=taxonomies,
        map=map_config,
        search=fields.boolean("search", default=True),
        sources=read_registry(sources, problems, "sources", read_registry_source)
        if sources
        else {},
        places=read_registry(places, problems, "places", read_registry_place) if places else {},
    )
    return config if title and base_url else None
