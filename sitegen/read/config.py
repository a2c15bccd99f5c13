"""site.yaml: one typed ``SiteConfig`` with every problem reported at once.

What each key is, its default and its check are declared in
:mod:`sitegen.read.schema`; this module finds and parses the file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from sitegen.errors import ContentError, Problem, Problems, UsageError
from sitegen.model import Place, Side, Source
from sitegen.read.fields import Fields, url_problem
from sitegen.read.frontmatter import decode
from sitegen.read.schema import MAP_SETTINGS, SETTINGS, MapConfig, read_settings
from sitegen.read.yamlio import YamlMap, load

CONFIG_FILE = "site.yaml"
CONFIG_FIELDS = tuple(setting.key for setting in SETTINGS)
MAP_FIELDS = tuple(setting.key for setting in MAP_SETTINGS)


@dataclass(frozen=True)
class SiteConfig:
    """Everything site.yaml says, validated; ``root`` is the site's directory.

    One field per key of :data:`sitegen.read.schema.SETTINGS`, which alone holds
    the defaults: a value written here too could drift from the docs.
    """

    root: Path
    title: str
    base_url: str
    description: str
    author: str
    image: str | None
    logo: str
    favicon: str
    language: str
    timezone: ZoneInfo
    posts_per_page: int
    feed_length: int
    output: str
    taxonomies: tuple[str, ...]
    map: MapConfig
    search: bool
    sources: dict[str, Source] = field(compare=False)
    places: dict[str, Place] = field(compare=False)
    sides: dict[str, Side] = field(compare=False)
    authors: dict[str, str] = field(compare=False)

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
    """The config, or None when ``problems`` has errors (so no half-read config escapes)."""
    given: dict[str, str] = {}
    if base_url is not None:  # --base-url: the file's base_url is neither read nor checked
        if problem := url_problem(base_url):
            raise UsageError(f"--base-url: {problem}")
        given["base_url"] = base_url
    values = read_settings(Fields(data, problems), SETTINGS, given)
    if problems.errors:
        return None
    values["base_url"] = values["base_url"].rstrip("/") + "/"
    return SiteConfig(root=root, **values)
