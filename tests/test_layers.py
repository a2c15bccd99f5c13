"""Map layers: GeoJSON files checked feature by feature, every mistake with its place."""

from __future__ import annotations

import json

import pytest

from sitegen.read.geojson import MAX_BYTES, read_geojson

F = "x/l.geojson"


def problems_of(value: object) -> list[str]:
    data = value if isinstance(value, bytes) else json.dumps(value).encode()
    collection, problems = read_geojson(data, F)
    assert (collection is None) == bool(problems)
    return [str(p) for p in problems]


def feature(kind: str, coordinates: object) -> dict[str, object]:
    return {
        "type": "Feature",
        "properties": {},
        "geometry": {"type": kind, "coordinates": coordinates},
    }


RING = [[33.5, 44.6], [33.6, 44.6], [33.6, 44.7], [33.5, 44.6]]


@pytest.mark.parametrize(
    ("kind", "coordinates"),
    [
        ("Point", [33.52, 44.61]),
        ("MultiPoint", [[33.52, 44.61], [33.6, 44.5]]),
        ("LineString", [[33.5, 44.6], [33.6, 44.7, 12.0]]),
        ("MultiLineString", [[[33.5, 44.6], [33.6, 44.7]]]),
        ("Polygon", [RING]),
        ("MultiPolygon", [[RING], [RING]]),
    ],
)
def test_every_drawable_geometry_is_kept(kind: str, coordinates: object) -> None:
    value = {"type": "FeatureCollection", "features": [feature(kind, coordinates)]}
    collection, problems = read_geojson(json.dumps(value).encode(), F)
    assert problems == []
    assert collection == value


def test_a_bare_geometry_or_feature_becomes_a_collection() -> None:
    collection, _ = read_geojson(json.dumps({"type": "Point", "coordinates": [1, 2]}).encode(), F)
    assert collection == {"type": "FeatureCollection", "features": [feature("Point", [1, 2])]}
    collection, _ = read_geojson(json.dumps(feature("Point", [1, 2])).encode(), F)
    assert collection is not None and len(collection["features"]) == 1


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (
            b'{"type": "FeatureCollection",\n "features": [}',
            [f"{F}:2: is not JSON: Expecting value"],
        ),
        (b"\xff\xfe", [f"{F}: is not UTF-8 text (GeoJSON is UTF-8)"]),
        (
            {"type": "Topology"},
            [
                f"{F}: type: expected a GeoJSON FeatureCollection, Feature or geometry, "
                'got "Topology"'
            ],
        ),
        (
            {"type": "FeatureCollection", "features": [feature("Point", [44.6, 133.5])]},
            [
                f"{F}: features[0].geometry.coordinates: [44.6, 133.5] looks like "
                "[latitude, longitude]; GeoJSON is [longitude, latitude]"
            ],
        ),
        (
            {"type": "FeatureCollection", "features": [feature("Point", [190, 10])]},
            [
                f"{F}: features[0].geometry.coordinates: [190, 10] is out of range "
                "(longitude -180..180, latitude -90..90)"
            ],
        ),
        (
            {"type": "FeatureCollection", "features": [feature("Polygon", [[*RING[:3], [1, 1]]])]},
            [
                f"{F}: features[0].geometry.coordinates[0]: the polygon ring is not closed "
                "(its last position must repeat its first)"
            ],
        ),
        (
            {"type": "FeatureCollection", "features": [feature("Polygon", [RING[:3]])]},
            [
                f"{F}: features[0].geometry.coordinates[0]: "
                "a polygon ring needs at least 4 positions"
            ],
        ),
        (
            {"type": "FeatureCollection", "features": [feature("LineString", [[1, 2]])]},
            [f"{F}: features[0].geometry.coordinates: a line needs at least 2 positions"],
        ),
        (
            {"type": "FeatureCollection", "features": [{}, feature("Circle", [1, 2])]},
            [
                f"{F}: features[0]: expected a Feature",
                f"{F}: features[1].geometry.type: expected one of Point, MultiPoint, LineString, "
                'MultiLineString, Polygon, MultiPolygon, got "Circle"',
            ],
        ),
        (
            {"type": "FeatureCollection", "features": [feature("Point", ["33", True])]},
            [
                f"{F}: features[0].geometry.coordinates: "
                'expected [longitude, latitude], got ["33", true]'
            ],
        ),
    ],
    ids=[
        "json",
        "utf8",
        "type",
        "swapped",
        "range",
        "open-ring",
        "short-ring",
        "short-line",
        "not-features",
        "not-numbers",
    ],
)
def test_each_mistake_is_reported_where_it_is(value: object, expected: list[str]) -> None:
    assert problems_of(value) == expected


def test_every_problem_of_a_file_at_once_but_not_thousands() -> None:
    swapped = [feature("Point", [44.6, 100 + n / 100]) for n in range(50)]
    found = problems_of({"type": "FeatureCollection", "features": swapped})
    assert len(found) == 21 and found[-1] == f"{F}: ... and 30 more problems"


def test_a_file_over_the_limit_is_an_error_not_a_slow_page() -> None:
    big = b" " * (MAX_BYTES + 1)
    assert problems_of(big) == [
        f"{F}: is 2.0 MB; a layer may be at most 2 MB (simplify its lines first)"
    ]
