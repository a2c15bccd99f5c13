"""A map layer's GeoJSON file, checked: RFC 7946 shapes an editor can draw, nothing else.

A layer file comes from a GIS tool or a hand-edited trace, and its mistakes are
the usual ones: latitude and longitude swapped, a polygon ring left open, a
file exported with every vertex of a coastline.  Each is reported with the file
and the feature (``features[3].geometry.coordinates[0][7]``), and the whole file
is checked before a build gives up on it.  What passes is kept as a
FeatureCollection of the drawable geometries, ready to be published.
"""

from __future__ import annotations

import json
import math
from typing import Any

from sitegen.errors import Problem

MAX_BYTES = 2_000_000  # a layer larger than this is an error (docs/front-matter.md says why)
MAX_PROBLEMS = 20  # reported per file
GEOMETRIES = ("Point", "MultiPoint", "LineString", "MultiLineString", "Polygon", "MultiPolygon")
# How deeply each geometry nests positions: a Point is one, a Polygon a list of rings.
_DEPTH = {
    "Point": 0,
    "MultiPoint": 1,
    "LineString": 1,
    "MultiLineString": 2,
    "Polygon": 2,
    "MultiPolygon": 3,
}


def read_geojson(data: bytes, path: str) -> tuple[dict[str, Any] | None, list[Problem]]:
    """The file as a FeatureCollection of checked features, or None and every problem."""
    if len(data) > MAX_BYTES:
        size = f"{len(data) / 1e6:.1f} MB"
        limit = f"{MAX_BYTES / 1e6:.0f} MB"
        message = f"is {size}; a layer may be at most {limit} (simplify its lines first)"
        return None, [Problem(path, 0, "", message)]
    try:
        value = json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        return None, [Problem(path, 0, "", "is not UTF-8 text (GeoJSON is UTF-8)")]
    except json.JSONDecodeError as exc:
        return None, [Problem(path, exc.lineno, "", f"is not JSON: {exc.msg}")]
    problems: list[Problem] = []
    features = _features(value, path, problems)
    if len(problems) > MAX_PROBLEMS:  # a file with every position swapped: say it once
        more = len(problems) - MAX_PROBLEMS
        problems[MAX_PROBLEMS:] = [Problem(path, 0, "", f"... and {more} more problems")]
    if problems:
        return None, problems
    return {"type": "FeatureCollection", "features": features}, []


def _features(value: Any, path: str, problems: list[Problem]) -> list[dict[str, Any]]:
    kind = value.get("type") if isinstance(value, dict) else None
    if kind == "FeatureCollection":
        items = value.get("features")
        if not isinstance(items, list):
            problems.append(Problem(path, 0, "features", "expected a list of features"))
            return []
        found = []
        for index, item in enumerate(items):
            feature = _feature(item, path, f"features[{index}]", problems)
            if feature is not None:
                found.append(feature)
        return found
    if kind == "Feature":
        feature = _feature(value, path, "", problems)
        return [feature] if feature is not None else []
    if kind in GEOMETRIES:
        _geometry(value, path, "", problems)
        return [{"type": "Feature", "properties": {}, "geometry": value}]
    problems.append(
        Problem(
            path,
            0,
            "type",
            f"expected a GeoJSON FeatureCollection, Feature or geometry, got {_shown(kind)}",
        )
    )
    return []


def _feature(item: Any, path: str, where: str, problems: list[Problem]) -> dict[str, Any] | None:
    if not isinstance(item, dict) or item.get("type") != "Feature":
        problems.append(Problem(path, 0, where, "expected a Feature"))
        return None
    geometry = item.get("geometry")
    properties = item.get("properties")
    if properties is not None and not isinstance(properties, dict):
        problems.append(Problem(path, 0, _join(where, "properties"), "expected an object"))
    if geometry is None:  # RFC 7946 allows it: a feature with nothing to draw
        return None
    if _geometry(geometry, path, _join(where, "geometry"), problems):
        return {"type": "Feature", "properties": properties or {}, "geometry": geometry}
    return None


def _geometry(geometry: Any, path: str, where: str, problems: list[Problem]) -> bool:
    kind = geometry.get("type") if isinstance(geometry, dict) else None
    if kind not in _DEPTH:
        expected = ", ".join(GEOMETRIES)
        problems.append(
            Problem(
                path, 0, _join(where, "type"), f"expected one of {expected}, got {_shown(kind)}"
            )
        )
        return False
    before = len(problems)
    _shape(kind, geometry.get("coordinates"), path, _join(where, "coordinates"), problems)
    return len(problems) == before


def _shape(kind: str, value: Any, path: str, where: str, problems: list[Problem]) -> None:
    """Positions nested as ``kind`` nests them, each line and ring long enough, rings closed."""
    depth = _DEPTH[kind]

    def walk(node: Any, level: int, at: str) -> None:
        if level == 0:
            _position(node, path, at, problems)
            return
        if not isinstance(node, list):
            problems.append(Problem(path, 0, at, "expected a list of coordinates"))
            return
        for index, child in enumerate(node):
            walk(child, level - 1, f"{at}[{index}]")
        if level == 1 and kind in ("LineString", "MultiLineString") and len(node) < 2:
            problems.append(Problem(path, 0, at, "a line needs at least 2 positions"))
        if level == 1 and kind in ("Polygon", "MultiPolygon"):
            _ring(node, path, at, problems)

    walk(value, depth, where)


def _ring(ring: list[Any], path: str, where: str, problems: list[Problem]) -> None:
    if len(ring) < 4:
        problems.append(Problem(path, 0, where, "a polygon ring needs at least 4 positions"))
    elif ring[0] != ring[-1]:
        problems.append(
            Problem(
                path,
                0,
                where,
                "the polygon ring is not closed (its last position must repeat its first)",
            )
        )


def _position(value: Any, path: str, where: str, problems: list[Problem]) -> None:
    numbers = isinstance(value, list) and 2 <= len(value) <= 3
    numbers = numbers and all(
        isinstance(n, int | float) and not isinstance(n, bool) and math.isfinite(n) for n in value
    )
    if not numbers:
        problems.append(
            Problem(path, 0, where, f"expected [longitude, latitude], got {_shown(value)}")
        )
        return
    lon, lat = value[0], value[1]
    if abs(lat) > 90 and abs(lon) <= 90:
        problems.append(
            Problem(
                path,
                0,
                where,
                f"{_shown(value)} looks like [latitude, longitude]; "
                "GeoJSON is [longitude, latitude]",
            )
        )
    elif abs(lat) > 90 or abs(lon) > 180:
        problems.append(
            Problem(
                path,
                0,
                where,
                f"{_shown(value)} is out of range (longitude -180..180, latitude -90..90)",
            )
        )


def _join(where: str, name: str) -> str:
    return f"{where}.{name}" if where else name


def _shown(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 40 else text[:37] + "..."
