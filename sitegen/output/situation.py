"""A series' situation over time, and the site's events, as pages and as data.

``/series/<slug>/situation/`` steps through the SITREPs of a series on one map;
``situation.geojson`` and ``situation.kml`` beside it hold the same layers and
events for GIS tools and Google Earth; ``/events.csv`` lists every event of the
site.  Each step is one post of the series in series order: its layers, and
its events.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from lxml import etree

from sitegen.index import urls
from sitegen.index.site import Series, Site
from sitegen.index.urls import Links
from sitegen.model import Event, Post
from sitegen.output.maps import KIND_LABELS, NEUTRAL, MapViews, when
from sitegen.output.outputs import Inputs, Output

KML = "http://www.opengis.net/kml/2.2"


def has_situation(series: Series) -> bool:
    return any(post.layers or post.events for post in series.posts)


def page_path(series: Series) -> str:
    return urls.section("series", series.slug) + "situation/"


def step_label(series: Series, position: int) -> str:
    post = series.posts[position]
    number = post.series_index if post.series_index is not None else position + 1
    return f"SITREP {number}: {_short_title(post.title, series.name)}"


def steps(series: Series, maps: MapViews, links: Links) -> list[dict[str, Any]]:
    """One entry per post of the series: its legend and its events, anchors unique on the page."""
    found = []
    for position, post in enumerate(series.posts):
        step = position + 1
        numbers = {s.id: i + 1 for i, s in enumerate(post.sources)}
        found.append(
            {
                "step": step,
                "anchor": f"step-{step}",
                "label": step_label(series, position),
                "title": post.title,
                "date": situation_date(post),
                "published": when(post.date, timed=False)["human"],
                "url": links.href(urls.post(post.slug)),
                "layers": [
                    maps.layer(post, layer, f"layer-{step}-{i + 1}", numbers, on_post=False)
                    for i, layer in enumerate(post.layers)
                ],
                "events": [
                    maps.event(post, e, f"event-{step}-{i + 1}", numbers, on_post=False)
                    for i, e in enumerate(post.events)
                ],
            }
        )
    return found


def situation_date(post: Post) -> str:
    """The moment a step shows: its newest layer or event; the post's date without either."""
    moments = [(layer.as_of, True) for layer in post.layers]
    moments += [(event.when, event.timed) for event in post.events]
    if not moments:
        return when(post.date)["human"]
    moment, timed = max(moments, key=lambda m: m[0])
    return when(moment, timed and (moment.hour, moment.minute) != (0, 0))["human"]


def page_map(series: Series, found: list[dict[str, Any]], maps: MapViews, links: Links) -> str:
    """The situation page's ``data-map``: every layer and event, and the steps to play."""
    places = list({p.key: p for post in series.posts for p in post.places}.values())
    layers = [layer for step in found for layer in step["layers"]]
    events = [event for step in found for event in step["events"]]
    situation = {
        "data": links.href(urls.section("series", series.slug) + "situation.geojson"),
        "steps": [
            {"step": s["step"], "label": s["label"], "date": s["date"], "url": s["url"]}
            for s in found
        ],
    }
    return maps.map_json(places, layers, events, situation, place_links=False)


# -- data out ------------------------------------------------------------------------------


def data_outputs(site: Site, links: Links, maps: MapViews) -> list[Output]:
    """situation.geojson and situation.kml of each series with a situation; /events.csv."""
    outputs = []
    for series in site.series:
        if not has_situation(series):
            continue
        files = tuple(site.layers[layer.file].digest for p in series.posts for layer in p.layers)
        base = urls.section("series", series.slug)
        for name, make in (("situation.geojson", _geojson), ("situation.kml", _kml)):
            inputs = Inputs(name, base, posts=series.posts, files=files, theme=False)
            outputs.append(Output(base + name, inputs, _bind(make, series, site, links, maps)))
    with_events = tuple(post for post in site.posts if post.events)
    inputs = Inputs("events.csv", posts=with_events, theme=False)
    outputs.append(Output("events.csv", inputs, lambda: _events_csv(with_events, links)))
    return outputs


def _bind(make: Any, series: Series, site: Site, links: Links, maps: MapViews) -> Any:
    return lambda: make(series, site, links, maps)


def features(series: Series, site: Site, links: Links) -> list[dict[str, Any]]:
    """Every layer feature and event of ``series`` as GeoJSON features, step by step."""
    found: list[dict[str, Any]] = []
    for position, post in enumerate(series.posts):
        step, url = position + 1, links.absolute(urls.post(post.slug))
        common = {"post": url, "post_title": post.title, "step": step}
        for i, layer in enumerate(post.layers):
            side = site.config.sides.get(layer.side) if layer.side else None
            ours = {
                "layer": layer.title,
                "layer_id": f"layer-{step}-{i + 1}",
                "kind": layer.kind,
                "side": layer.side,
                "side_label": side.label if side else None,
                "color": side.color if side else NEUTRAL,
                "as_of": when(layer.as_of)["iso"],
                **common,
            }
            for feature in site.layers[layer.file].collection["features"]:
                properties = {**feature["properties"], **ours}
                found.append(
                    {"type": "Feature", "geometry": feature["geometry"], "properties": properties}
                )
        for i, event in enumerate(post.events):
            found.append(_event_feature(post, event, f"event-{step}-{i + 1}", common))
    return found


def _event_feature(post: Post, event: Event, anchor: str, common: dict[str, Any]) -> dict:
    place = next(p for p in post.places if p.key == event.place)
    moment = when(event.when, event.timed)
    sources = [
        {"name": s.name, "grade": s.grade or None}
        for source_id in event.sources
        for s in post.sources
        if s.id == source_id
    ]
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [place.lon, place.lat]},
        "properties": {
            "event_id": anchor,
            "date": moment["iso"],
            "date_label": moment["human"],
            "text": event.text,
            "place": place.name,
            "sources": sources,
            **common,
        },
    }


def _geojson(series: Series, site: Site, links: Links, maps: MapViews) -> bytes:
    data = {"type": "FeatureCollection", "features": features(series, site, links)}
    return (json.dumps(data, ensure_ascii=False, sort_keys=True) + "\n").encode("utf-8")


def _kml(series: Series, site: Site, links: Links, maps: MapViews) -> bytes:
    """KML 2.2: one Placemark per feature, with its TimeStamp; styles by colour and kind."""
    root = etree.Element(f"{{{KML}}}kml", nsmap={None: KML})
    document = _sub(root, "Document")
    _sub(document, "name", f"{series.name}: the situation")
    styles: set[str] = set()
    for feature in features(series, site, links):
        props = feature["properties"]
        placemark = etree.SubElement(document, f"{{{KML}}}Placemark")
        is_event = "event_id" in props
        _sub(placemark, "name", props["text"] if is_event else props["layer"])
        about = (
            f"{props['date_label']}, {props['place']}"
            if is_event
            else f"{KIND_LABELS[props['kind']]}, as of {props['as_of']}"
        )
        _sub(placemark, "description", f"{about}. {props['post_title']}: {props['post']}")
        stamp = _sub(placemark, "TimeStamp")
        _sub(stamp, "when", props["date"] if is_event else props["as_of"])
        if not is_event:
            style = _style(document, props["kind"], props["color"], styles)
            _sub(placemark, "styleUrl", f"#{style}")
        data = _sub(placemark, "ExtendedData")
        for key in ("kind", "side", "step", "post"):
            if props.get(key) is not None:
                item = _sub(data, "Data")
                item.set("name", key)
                _sub(item, "value", str(props[key]))
        _geometry(placemark, feature["geometry"])
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _sub(parent: Any, tag: str, text: str | None = None) -> Any:
    element = etree.SubElement(parent, f"{{{KML}}}{tag}")
    if text is not None:
        element.text = text
    return element


def _style(document: Any, kind: str, color: str, made: set[str]) -> str:
    """A shared Style per (kind, colour): KML colours are aabbggrr."""
    name = f"{kind}-{color.lstrip('#')}"
    if name in made:
        return name
    made.add(name)
    hex6 = color.lstrip("#")
    if len(hex6) == 3:
        hex6 = "".join(c * 2 for c in hex6)
    bgr = hex6[4:6] + hex6[2:4] + hex6[0:2]
    style = etree.Element(f"{{{KML}}}Style", id=name)
    document.insert(1, style)
    line = _sub(style, "LineStyle")
    _sub(line, "color", f"ff{bgr}")
    _sub(line, "width", "4" if kind in ("front-line", "axis") else "2")
    poly = _sub(style, "PolyStyle")
    _sub(poly, "color", f"{'55' if kind == 'control' else '26'}{bgr}")
    _sub(poly, "fill", "0" if kind in ("front-line", "axis", "other") else "1")
    return name


def _geometry(parent: Any, geometry: dict[str, Any]) -> None:
    kind, coordinates = geometry["type"], geometry["coordinates"]
    if kind.startswith("Multi"):
        multi = _sub(parent, "MultiGeometry")
        for part in coordinates:
            _geometry(multi, {"type": kind[5:], "coordinates": part})
    elif kind == "Point":
        _sub(_sub(parent, "Point"), "coordinates", _positions([coordinates]))
    elif kind == "LineString":
        line = _sub(parent, "LineString")
        _sub(line, "tessellate", "1")
        _sub(line, "coordinates", _positions(coordinates))
    else:  # Polygon: the first ring is the outer boundary, the others holes
        polygon = _sub(parent, "Polygon")
        for index, ring in enumerate(coordinates):
            boundary = _sub(polygon, "outerBoundaryIs" if index == 0 else "innerBoundaryIs")
            _sub(_sub(boundary, "LinearRing"), "coordinates", _positions(ring))


def _positions(positions: list[list[float]]) -> str:
    return " ".join(",".join(repr(float(n)) for n in position[:3]) for position in positions)


def _events_csv(posts: tuple[Post, ...], links: Links) -> bytes:
    """Every event: date, place, lat, lon, text, post URL, sources with grades (oldest first)."""
    rows = []
    for post in posts:
        by_id = {s.id: s for s in post.sources}
        places = {p.key: p for p in post.places}
        for event in post.events:
            place = places[event.place]
            cited = [by_id[i] for i in event.sources if i in by_id]
            rows.append(
                (
                    event.when.timestamp(),
                    when(event.when, event.timed)["iso"],
                    _cell(place.name),
                    f"{place.lat}",
                    f"{place.lon}",
                    _cell(event.text),
                    links.absolute(urls.post(post.slug)),
                    _cell("; ".join(f"{s.name} ({s.grade})" if s.grade else s.name for s in cited)),
                )
            )
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(("date", "place", "lat", "lon", "text", "post", "sources"))
    writer.writerows(row[1:] for row in sorted(rows, key=lambda r: (r[0], r[6], r[5])))
    return out.getvalue().encode("utf-8")


def _cell(text: str) -> str:
    """Text a spreadsheet will not run as a formula (OWASP's advice on CSV injection)."""
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _short_title(title: str, series: str) -> str:
    """``Waterloo Campaign SITREP 3: Withdrawal in the Rain`` -> ``Withdrawal in the Rain``."""
    head, sep, rest = title.partition(": ")
    return rest if sep and (series.lower() in head.lower() or "sitrep" in head.lower()) else title
