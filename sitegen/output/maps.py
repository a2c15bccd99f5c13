"""What a map shows, for templates and for the map script: places, layers, events.

A map is progressive enhancement: the page lists the same places, layers (the
legend) and events as HTML, each with an anchor the map links to, and the map
script reads one JSON value (``data-map``) built here.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sitegen.index import urls
from sitegen.index.urls import Links
from sitegen.model import Event, Layer, Place, Post, Side, Source
from sitegen.output.dates import iso
from sitegen.read.config import SiteConfig
from sitegen.read.layers import LayerData

KIND_LABELS = {
    "front-line": "front line",
    "control": "area of control",
    "contested": "contested area",
    "axis": "axis of advance",
    "area": "area",
    "other": "other",
}
NEUTRAL = "#4a4a4a"  # the colour of a layer with no side


def when(value: datetime, timed: bool = True) -> dict[str, str]:
    """A moment as written: ``iso`` for ``<time datetime>``, ``human`` for readers.

    Historical times in local mean time (``-00:01:15``), which HTML's ``datetime``
    cannot carry, are given in UTC (:mod:`sitegen.output.dates`); ``human`` keeps
    the editor's local time.
    """
    human = f"{value.day} {value:%B %Y}"
    if not timed:
        return {"iso": value.date().isoformat(), "human": human}
    return {"iso": iso(value, timespec="seconds"), "human": f"{human}, {value:%H:%M}"}


def place_anchor(place: Place) -> str:
    return f"place-{place.key}"


def side_view(side: Side | None) -> dict[str, str] | None:
    return {"id": side.id, "label": side.label, "color": side.color} if side else None


class MapViews:
    """Legend entries, event entries and map JSON of posts, with their anchors."""

    def __init__(self, config: SiteConfig, links: Links, layers: dict[str, LayerData]) -> None:
        self.config = config
        self.links = links
        self.layers = layers

    def layer_url(self, post: Post, layer: Layer) -> str:
        """Where a layer file is published: beside its post's page, or under static/."""
        if post.bundle and layer.file.startswith(post.bundle + "/"):
            return self.links.href(post.url_path + layer.file[len(post.bundle) + 1 :])
        return self.links.href(layer.file)

    def layer(
        self, post: Post, layer: Layer, anchor: str, numbers: dict[str, int], on_post: bool = True
    ) -> dict[str, Any]:
        """A legend entry; ``numbers``: the post's source numbers; away from the post, links."""
        page = "" if on_post else self.links.href(post.url_path)
        side = self.config.sides.get(layer.side) if layer.side else None
        source = next((s for s in post.sources if s.id == layer.source), None)
        return {
            "anchor": anchor,
            "title": layer.title,
            "kind": layer.kind,
            "kind_label": KIND_LABELS[layer.kind],
            "side": side_view(side),
            "color": side.color if side else NEUTRAL,
            "as_of": when(layer.as_of, _timed(layer.as_of)),
            "source": _source_ref(source, numbers.get(layer.source or ""), page),
            "url": self.layer_url(post, layer),
            "bbox": list(self.layers[layer.file].bbox),
        }

    def event(
        self, post: Post, event: Event, anchor: str, numbers: dict[str, int], on_post: bool = True
    ) -> dict[str, Any]:
        """An event entry; ``on_post``: its place links to the post's list, else to its page."""
        place = next(p for p in post.places if p.key == event.place)
        href = (
            f"#{place_anchor(place)}"
            if on_post
            else self.links.href(urls.section("locations", place.key))
        )
        page = "" if on_post else self.links.href(post.url_path)
        return {
            "anchor": anchor,
            "when": when(event.when, event.timed),
            "text": event.text,
            "place": {"name": place.name, "href": href, "key": place.key},
            "lat": place.lat,
            "lon": place.lon,
            "sources": [
                _source_ref(s, numbers.get(s.id), page)
                for source_id in event.sources
                for s in post.sources
                if s.id == source_id
            ],
        }

    def post(self, post: Post, images: list[dict[str, Any]] | None = None) -> dict[str, Any] | None:
        """The situation of one post: legend, events and the map's JSON (None: nothing to map).

        ``images``: the post's pictures pinned at its places (see ``Figures.pins``).
        """
        if not (post.places or post.layers or post.events):
            return None
        numbers = {s.id: i + 1 for i, s in enumerate(post.sources)}
        layers = [
            self.layer(post, layer, f"layer-{i + 1}", numbers)
            for i, layer in enumerate(post.layers)
        ]
        events = [self.event(post, e, f"event-{i + 1}", numbers) for i, e in enumerate(post.events)]
        return {
            "layers": layers,
            "events": events,
            "map": self.map_json(post.places, layers, events, images=images or []),
        }

    def map_json(
        self,
        places: tuple[Place, ...] | list[Place],
        layers: list[dict[str, Any]],
        events: list[dict[str, Any]],
        situation: dict[str, Any] | None = None,
        place_links: bool = True,
        images: list[dict[str, Any]] | None = None,
    ) -> str:
        """The ``data-map`` attribute's JSON (autoescaping quotes it)."""
        data = {
            "places": [
                {
                    "name": p.name,
                    "local_name": p.local_name,
                    "lat": p.lat,
                    "lon": p.lon,
                    "href": f"#{place_anchor(p)}" if place_links else None,
                    "url": self.links.href(urls.section("locations", p.key)),
                }
                for p in places
            ],
            "layers": [
                {
                    "id": layer["anchor"],
                    "title": layer["title"],
                    "kind": layer["kind"],
                    "side": layer["side"]["label"] if layer["side"] else None,
                    "color": layer["color"],
                    "as_of": layer["as_of"]["human"],
                    "url": layer["url"],
                    "bbox": layer["bbox"],
                }
                for layer in layers
            ],
            "events": [
                {
                    "id": e["anchor"],
                    "date": e["when"]["human"],
                    "iso": e["when"]["iso"],
                    "text": e["text"],
                    "place": e["place"]["name"],
                    "lat": e["lat"],
                    "lon": e["lon"],
                    "href": f"#{e['anchor']}",
                }
                for e in events
            ],
            "images": images or [],
            "situation": situation,
        }
        return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _timed(value: datetime) -> bool:
    return (value.hour, value.minute, value.second) != (0, 0, 0)


def _source_ref(source: Source | None, number: int | None, page: str) -> dict[str, Any] | None:
    """A graded source named beside a layer or event; ``page``: the post's URL, or "" on it."""
    if source is None:
        return None
    return {
        "name": source.name,
        "grade": source.grade,
        "meaning": source.grade_meaning,
        "href": f"{page}#source-{source.id}",
        "number": number if not page else None,
    }
