"""The situation in a post's front matter: ``layers:`` (GeoJSON files) and ``events:``.

Both name things the post already declares (its sources, its places) and the
sides of ``site.yaml``; a name that matches nothing is reported at its line.
The layer files themselves are read once per build with every post's layers
(:mod:`sitegen.read.layers`); here only where each file is.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sitegen.errors import Problems
from sitegen.markup.images import bundle_file
from sitegen.model import LAYER_KINDS, Event, Layer, Place, Side
from sitegen.read.fields import Fields, describe, suggest
from sitegen.read.images import read_images, read_preview
from sitegen.read.yamlio import YamlList, YamlMap

if TYPE_CHECKING:  # config.py reads sides through the schema, which imports read_side
    from sitegen.read.config import SiteConfig

LAYER_FIELDS = ("file", "title", "kind", "side", "as_of", "source")
EVENT_FIELDS = ("date", "place", "text", "sources")
SIDE_FIELDS = ("label", "color")
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_COLOR = re.compile(r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")


def read_side(data: YamlMap, problems: Problems, where: str, key: str) -> Side | None:
    """One entry of ``site.yaml`` ``sides:`` (label and a ``#rrggbb`` colour)."""
    fields = Fields(data, problems, where)
    fields.check_keys(SIDE_FIELDS)
    label = fields.text("label", required=True)
    color = fields.text("color", required=True)
    if color is not None and not _COLOR.match(color):
        fields.error("color", f"expected a colour like '#c0392b', got {describe(color)}")
        color = None
    return Side(key, label, color.lower()) if label and color else None


def read_layers(
    fields: Fields,
    post: tuple[str | None, datetime | None],
    sources: set[str],
    config: SiteConfig,
) -> tuple[Layer, ...]:
    """``layers:``; ``post`` is the post's bundle folder and its date."""
    bundle, date = post
    sides = config.sides
    found = []
    for where, line, item in _entries(fields, "layers", "file, title, kind"):
        entry = Fields(item, fields.problems, where)
        before = len(fields.problems.errors)
        entry.check_keys(LAYER_FIELDS)
        file = entry.text("file", required=True)
        title = entry.text("title", required=True)
        kind = entry.text("kind", required=True)
        side = entry.text("side")
        source = entry.text("source")
        as_of = entry.moment("as_of", config.timezone) if "as_of" in item else date
        resolved = file and bundle_file(bundle, file)
        if file and not resolved:
            where_to = "beside the post in its page bundle" if bundle else "under static/"
            hint = "" if bundle else " (or make the post a page bundle: <name>/index.md)"
            entry.error("file", f"{describe(file)}: a layer file must be {where_to}{hint}")
        if kind is not None and kind not in LAYER_KINDS:
            entry.error("kind", f"unknown kind {kind!r}; expected one of {', '.join(LAYER_KINDS)}")
        if side is not None and side not in sides:
            known = f"one of {', '.join(sorted(sides))}" if sides else "none are declared"
            entry.error("side", f"unknown side {side!r} (site.yaml sides: {known})")
        if source is not None and source not in sources:
            entry.error("source", f"unknown source {source!r} (not in this post's sources)")
        if (
            resolved
            and title
            and kind in LAYER_KINDS
            and as_of
            and len(fields.problems.errors) == before
        ):
            found.append(Layer(resolved, title, kind, as_of, side, source, line))
    return tuple(found)


def read_events(
    fields: Fields, config: SiteConfig, places: tuple[Place, ...], sources: set[str]
) -> tuple[Event, ...]:
    """``events:`` in date order; a place is named by its registry id or its name."""
    by_name = {p.key: p.key for p in places} | {p.name: p.key for p in places}
    found = []
    for where, _, item in _entries(fields, "events", "date, place, text"):
        entry = Fields(item, fields.problems, where)
        entry.check_keys(EVENT_FIELDS)
        when = entry.moment("date", config.timezone, required=True)
        place = entry.text("place", required=True)
        text = entry.text("text", required=True)
        cited = entry.texts("sources")
        if place is not None and place not in by_name:
            entry.error(
                "place",
                f"unknown place {place!r} (not a location of this post{suggest(place, by_name)})",
            )
        values = item.get("sources")
        for index, source in enumerate(cited):
            if source not in sources:
                line = (
                    values.line_of(index) if isinstance(values, YamlList) else entry.line("sources")
                )
                fields.problems.error(
                    line,
                    f"{where}.sources[{index}]",
                    f"unknown source {source!r} (not in this post's sources)",
                )
        if when and place in by_name and text:
            timed = not _DAY.match(str(item.get("date")).strip())
            found.append(Event(when, timed, by_name[place], text, cited))
    return tuple(sorted(found, key=lambda e: e.when))


def _entries(fields: Fields, key: str, expected: str) -> list[tuple[str, int, YamlMap]]:
    """(field name, line, mapping) of each item of a list of mappings; others reported."""
    values = fields.items(key)
    found = []
    for index, item in enumerate(values or ()):
        where, line = f"{key}[{index}]", values.line_of(index)  # type: ignore[union-attr]
        if isinstance(item, YamlMap):
            found.append((where, line, item))
        else:
            fields.problems.error(
                line, where, f"expected a mapping ({expected}, ...), got {describe(item)}"
            )
    return found


def read_situation(
    path: str,
    fields: Fields,
    config: SiteConfig,
    date: datetime | None,
    known: tuple[set[str], tuple[Place, ...]],
    broken: set[str],
) -> dict[str, Any]:
    """A post's page bundle, layers, events and images, by ``Post`` field name.

    ``known``: the post's source ids and places; ids of images with problems
    go into ``broken``.
    """
    bundle = path[: -len("/index.md")] if path.endswith("/index.md") else None
    sources, places = known
    images = read_images(fields, bundle, known, broken)
    return {
        "bundle": bundle,
        "layers": read_layers(fields, (bundle, date), sources, config),
        "events": read_events(fields, config, places, sources),
        "images": images,
        "image_ids": {p.id: i for i, p in enumerate(images)},  # for the body's embeds
        "image": read_preview(fields, bundle, images),
    }
