"""The situation: layers and events in front matter, page bundles, and what a build makes of them.

Inline sites with one page bundle each; the data outputs are read back with
real parsers (json, lxml for KML 2.2, csv).
"""

from __future__ import annotations

import csv
import io
import json
import os
from collections.abc import Callable
from pathlib import Path

import lxml.etree
import lxml.html
import pytest
from conftest import SITE_YAML

from sitegen.commands.build import BuildOptions, check
from sitegen.errors import ContentError

KML = "{http://www.opengis.net/kml/2.2}"
SIDES = """\
sides:
  french: {label: "French army", color: "#1f4e9c"}
  allied: {label: "Allied army", color: "#B03A2E"}
"""
LINE = {"type": "LineString", "coordinates": [[4.385, 50.677], [4.43, 50.681]]}
RING = [[4.40, 50.66], [4.42, 50.66], [4.42, 50.67], [4.40, 50.66]]
POLYGON = {"type": "Polygon", "coordinates": [RING]}
POINT = {"type": "Point", "coordinates": [4.4, 50.6]}
ARROW = {"type": "LineString", "coordinates": [[4.44, 50.41], [4.45, 50.57]]}


def collection(*geometries: dict, name: str = "shape") -> str:
    features = [
        {"type": "Feature", "properties": {"name": name}, "geometry": g} for g in geometries
    ]
    return json.dumps({"type": "FeatureCollection", "features": features})


def report(number: int, layers: str = "", events: str = "", extra: str = "") -> str:
    """A SITREP of the series 'Waterloo' with two sources and three places."""
    return f"""---
title: "Waterloo SITREP {number}: Day {number}"
date: 2026-01-{10 + number}T10:00:00Z
series: Waterloo
series_index: {number}
sources:
  - {{id: siborne, name: William Siborne, reliability: B, credibility: 2}}
  - {{id: gourgaud, name: Gaspard Gourgaud, reliability: D}}
locations:
  - {{name: Hougoumont, lat: 50.6704, lon: 4.3923}}
  - {{name: La Haye Sainte, lat: 50.6769, lon: 4.4137}}
  - {{name: Charleroi, local_name: Charleroi, lat: 50.4108, lon: 4.4446}}
{layers}{events}{extra}---
Opening paragraph of report {number} [@siborne].

## Detail

More text.
"""


LAYERS_1 = """layers:
  - file: line.geojson
    title: "Allied line"
    kind: front-line
    side: allied
    as_of: 1815-06-18T11:00:00
    source: siborne
  - file: /static/layers/axis.geojson
    title: "French axis"
    kind: axis
    side: french
"""
EVENTS_1 = """events:
  - date: 1815-06-18T11:30:00
    place: Hougoumont
    text: "=HYPERLINK(\\"x\\") attack begins"
    sources: [siborne, gourgaud]
  - date: 1815-06-15
    place: charleroi
    text: "Crossing of the Sambre"
"""
LAYERS_2 = """layers:
  - {file: control.geojson, title: "French control", kind: control, side: french, as_of: 1815-06-18}
  - {file: contested.geojson, title: "Contested farm", kind: contested}
  - {file: area.geojson, title: "Area", kind: area}
  - {file: other.geojson, title: "Other", kind: other}
"""


@pytest.fixture
def situation_site(make_site: Callable[..., Path]) -> Path:
    return make_site(
        {
            "site.yaml": SITE_YAML + SIDES,
            "posts/waterloo/one/index.md": report(1, LAYERS_1, EVENTS_1),
            "posts/waterloo/one/line.geojson": collection(LINE),
            "posts/waterloo/one/notes.md": "Not a post: a file of the bundle.\n",
            "posts/waterloo/one/.hidden": "never published\n",
            "static/layers/axis.geojson": collection(ARROW),
            "posts/waterloo/two/index.md": report(2, LAYERS_2),
            "posts/waterloo/two/control.geojson": collection(POLYGON),
            "posts/waterloo/two/contested.geojson": collection(POLYGON),
            "posts/waterloo/two/area.geojson": collection(POLYGON),
            "posts/waterloo/two/other.geojson": collection(
                {"type": "Point", "coordinates": [4.4, 50.6]}
            ),
            "posts/waterloo/three.md": report(3),
        }
    )


def test_bundle_files_are_published_beside_the_post(situation_site: Path, build_site) -> None:
    out, result = build_site(situation_site)
    assert result.posts == 3  # notes.md inside a bundle is not a post
    post = out / "posts/waterloo-sitrep-1-day-1"
    assert json.loads((post / "line.geojson").read_text())["features"][0]["properties"]["name"]
    assert (post / "notes.md").read_text() == "Not a post: a file of the bundle.\n"
    assert not (post / ".hidden").exists()
    assert (out / "static/layers/axis.geojson").is_file()


def test_post_shows_legend_events_and_map_after_the_lead(situation_site: Path, build_site) -> None:
    out, _ = build_site(situation_site)
    page = (out / "posts/waterloo-sitrep-1-day-1/index.html").read_text()
    doc = lxml.html.fromstring(page)
    body = doc.cssselect(".post-body")[0]
    first, second = [child.tag for child in body][:2]
    assert (first, second) == ("p", "section")  # the lead, then the situation
    legend = doc.cssselect(".map-legend li")
    assert [li.get("id") for li in legend] == ["layer-1", "layer-2"]
    assert [" ".join(li.text_content().split()) for li in legend] == [
        "Allied line Front line · Allied army · as of 18 June 1815, 11:00 · "
        "source: [1] William Siborne B2 · GeoJSON",
        "French axis Axis of advance · French army · as of 11 January 2026, 10:00 · GeoJSON",
    ]
    assert legend[0].cssselect("line")[0].get("stroke") == "#b03a2e"
    events = doc.cssselect("ol.events li")
    assert [" ".join(li.text_content().split()) for li in events] == [
        "15 June 1815 Charleroi: Crossing of the Sambre",
        '18 June 1815, 11:30 Hougoumont: =HYPERLINK("x") attack begins '
        "([1] William Siborne B2; [2] Gaspard Gourgaud D)",
    ]
    assert events[0].cssselect("time")[0].get("datetime") == "1815-06-15"
    assert events[0].cssselect("a")[0].get("href") == "#place-charleroi"
    assert doc.cssselect("#place-charleroi")  # the entry the map and events link to
    data = json.loads(doc.cssselect(".map")[0].get("data-map"))
    assert [layer["url"] for layer in data["layers"]] == [
        "/posts/waterloo-sitrep-1-day-1/line.geojson",
        "/static/layers/axis.geojson",
    ]
    assert data["layers"][0]["bbox"] == [4.385, 50.677, 4.43, 50.681]
    assert [e["href"] for e in data["events"]] == ["#event-1", "#event-2"]
    scripts = [s.get("src") for s in doc.cssselect("script[src]")]
    assert "/static/vendor/leaflet-polylinedecorator/leaflet.polylineDecorator.js" in scripts
    assert "/static/js/situation.js" not in scripts


def test_a_page_without_a_map_loads_no_map_code(make_site, build_site) -> None:
    root = make_site({"posts/plain.md": "---\ntitle: Plain\ndate: 2026-01-02\n---\nText.\n"})
    out, _ = build_site(root)
    page = (out / "posts/plain/index.html").read_text()
    assert "leaflet" not in page and "map.js" not in page


def test_every_layer_kind_is_drawn_in_its_style(situation_site: Path, build_site) -> None:
    out, _ = build_site(situation_site)
    doc = lxml.html.fromstring((out / "posts/waterloo-sitrep-2-day-2/index.html").read_bytes())
    kinds = [li.get("class") for li in doc.cssselect(".map-legend li")]
    assert kinds == [
        "layer layer-control",
        "layer layer-contested",
        "layer layer-area",
        "layer layer-other",
    ]
    control, contested = doc.cssselect(".map-legend svg")[:2]
    assert control.cssselect("rect")[0].get("fill") == "#1f4e9c"
    assert contested.cssselect("rect")[0].get("stroke-dasharray") == "4 3"
    assert contested.cssselect("rect")[0].get("stroke") == "#4a4a4a"  # no side: neutral


def test_situation_page_steps_through_the_series(situation_site: Path, build_site) -> None:
    out, _ = build_site(situation_site)
    series = out / "series/waterloo"
    index = lxml.html.fromstring((series / "index.html").read_bytes())
    assert index.cssselect('a[href="/series/waterloo/situation/"]')
    doc = lxml.html.fromstring((series / "situation/index.html").read_bytes())
    steps = doc.cssselect("section.situation-step")
    assert [s.get("id") for s in steps] == ["step-1", "step-2", "step-3"]
    assert [s.cssselect("h2")[0].text_content() for s in steps] == [
        "SITREP 1: Day 1",
        "SITREP 2: Day 2",
        "SITREP 3: Day 3",
    ]
    assert len(steps[1].cssselect(".map-legend li")) == 4
    assert steps[2].cssselect(".step-empty")
    source = steps[0].cssselect(".map-legend a")[0]
    assert source.get("href") == "/posts/waterloo-sitrep-1-day-1/#source-siborne"
    data = json.loads(doc.cssselect(".map")[0].get("data-map"))
    assert data["situation"]["data"] == "/series/waterloo/situation.geojson"
    assert [s["step"] for s in data["situation"]["steps"]] == [1, 2, 3]
    slider = doc.cssselect('.timeline input[type="range"]')[0]
    assert (slider.get("min"), slider.get("max"), slider.get("value")) == ("1", "3", "3")
    scripts = [s.get("src") for s in doc.cssselect("script[src]")]
    assert scripts[-1] == "/static/js/situation.js"
    post = lxml.html.fromstring((out / "posts/waterloo-sitrep-3-day-3/index.html").read_bytes())
    assert post.cssselect('a[href="/series/waterloo/situation/"]')


def test_situation_geojson(situation_site: Path, build_site) -> None:
    out, _ = build_site(situation_site)
    data = json.loads((out / "series/waterloo/situation.geojson").read_text())
    assert data["type"] == "FeatureCollection"
    layers = [f["properties"] for f in data["features"] if "layer" in f["properties"]]
    events = [f["properties"] for f in data["features"] if "event_id" in f["properties"]]
    assert [(p["layer"], p["kind"], p["side"], p["step"]) for p in layers] == [
        ("Allied line", "front-line", "allied", 1),
        ("French axis", "axis", "french", 1),
        ("French control", "control", "french", 2),
        ("Contested farm", "contested", None, 2),
        ("Area", "area", None, 2),
        ("Other", "other", None, 2),
    ]
    # London kept local mean time (-00:01:15) in 1815: written in UTC, the same instant.
    assert layers[0]["as_of"] == "1815-06-18T11:01:15+00:00"
    assert layers[0]["post"] == "https://example.org/posts/waterloo-sitrep-1-day-1/"
    assert layers[0]["name"] == "shape"  # the editor's own properties are kept
    assert [(e["date"], e["place"]) for e in events] == [
        ("1815-06-15", "Charleroi"),
        ("1815-06-18T11:31:15+00:00", "Hougoumont"),
    ]
    assert events[1]["sources"] == [
        {"name": "William Siborne", "grade": "B2"},
        {"name": "Gaspard Gourgaud", "grade": "D"},
    ]
    point = next(f for f in data["features"] if f["properties"].get("place") == "Charleroi")
    assert point["geometry"] == {"type": "Point", "coordinates": [4.4446, 50.4108]}


def test_situation_kml(situation_site: Path, build_site) -> None:
    out, _ = build_site(situation_site)
    tree = lxml.etree.parse(str(out / "series/waterloo/situation.kml"))
    root = tree.getroot()
    assert root.tag == f"{KML}kml"
    placemarks = root.findall(f"{KML}Document/{KML}Placemark")
    assert len(placemarks) == 8  # six layer features, two events
    for placemark in placemarks:
        assert placemark.findtext(f"{KML}TimeStamp/{KML}when")
        coordinates = placemark.findtext(f".//{KML}coordinates")
        for position in coordinates.split():
            lon, lat = map(float, position.split(",")[:2])
            assert 4 < lon < 5 and 50 < lat < 51  # lon,lat order
    line = placemarks[0]
    assert line.findtext(f"{KML}name") == "Allied line"
    assert line.findtext(f"{KML}TimeStamp/{KML}when") == "1815-06-18T11:01:15+00:00"
    style = line.findtext(f"{KML}styleUrl").lstrip("#")
    colour = root.find(f"{KML}Document/{KML}Style[@id='{style}']/{KML}LineStyle/{KML}color")
    assert colour.text == "ff2e3ab0"  # #b03a2e as aabbggrr
    polygon = placemarks[4].find(f"{KML}Polygon/{KML}outerBoundaryIs/{KML}LinearRing")
    assert polygon is not None
    event = placemarks[3]  # each step's layers, then its events
    assert event.findtext(f"{KML}TimeStamp/{KML}when") == "1815-06-18T11:31:15+00:00"
    assert event.findtext(f"{KML}Point/{KML}coordinates") == "4.3923,50.6704"


def test_events_csv(situation_site: Path, build_site) -> None:
    out, _ = build_site(situation_site)
    rows = list(csv.DictReader(io.StringIO((out / "events.csv").read_text(encoding="utf-8"))))
    assert [(r["date"], r["place"], r["lat"], r["lon"]) for r in rows] == [
        ("1815-06-15", "Charleroi", "50.4108", "4.4446"),
        ("1815-06-18T11:31:15+00:00", "Hougoumont", "50.6704", "4.3923"),
    ]
    assert rows[1]["text"] == '\'=HYPERLINK("x") attack begins'  # no formula in a spreadsheet
    assert rows[1]["sources"] == "William Siborne (B2); Gaspard Gourgaud (D)"
    assert rows[0]["post"] == "https://example.org/posts/waterloo-sitrep-1-day-1/"


def test_an_edited_layer_file_remakes_only_what_draws_it(situation_site: Path, build_site) -> None:
    out, _ = build_site(situation_site)
    before = {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()}
    layer = situation_site / "posts/waterloo/one/line.geojson"
    layer.write_text(
        collection({"type": "LineString", "coordinates": [[4.38, 50.67], [4.44, 50.69]]})
    )
    _, result = build_site(situation_site)
    changed = {
        p.relative_to(out).as_posix()
        for p in out.rglob("*")
        if p.is_file() and before.get(p) != p.stat().st_mtime_ns
    }
    search = {c for c in changed if c.startswith("pagefind/")}  # the post's text is indexed
    assert changed - search == {
        "posts/waterloo-sitrep-1-day-1/line.geojson",
        "posts/waterloo-sitrep-1-day-1/index.html",  # its bounds are in the map's data
        "series/waterloo/situation/index.html",
        "series/waterloo/situation.geojson",
        "series/waterloo/situation.kml",
    }
    assert result.converted == 0  # the post itself was not converted again


BAD = {
    "missing file": (
        "layers:\n  - {file: nope.geojson, title: T, kind: area}\n",
        "posts/b/index.md:14: layers[0].file: no such file: posts/b/nope.geojson",
    ),
    "unknown kind": (
        "layers:\n  - {file: l.geojson, title: T, kind: frontline}\n",
        "posts/b/index.md:14: layers[0].kind: unknown kind 'frontline'; expected one of "
        "front-line, control, contested, axis, area, other",
    ),
    "unknown side": (
        "layers:\n  - {file: l.geojson, title: T, kind: area, side: prussian}\n",
        "posts/b/index.md:14: layers[0].side: unknown side 'prussian' "
        "(site.yaml sides: one of allied, french)",
    ),
    "unknown source": (
        "layers:\n  - {file: l.geojson, title: T, kind: area, source: hugo}\n",
        "posts/b/index.md:14: layers[0].source: unknown source 'hugo' (not in this post's sources)",
    ),
    "no title": (
        "layers:\n  - {file: l.geojson, kind: area}\n",
        "posts/b/index.md:14: layers[0].title: required field is missing (text)",
    ),
    "outside the bundle": (
        "layers:\n  - {file: ../../secret.geojson, title: T, kind: area}\n",
        "posts/b/index.md:14: layers[0].file: '../../secret.geojson': a layer file must be "
        "beside the post in its page bundle",
    ),
    "unknown place": (
        "events:\n  - {date: 1815-06-18, place: Plancenoit, text: T}\n",
        "posts/b/index.md:14: events[0].place: unknown place 'Plancenoit' "
        "(not a location of this post)",
    ),
    "unknown event source": (
        "events:\n  - {date: 1815-06-18, place: Hougoumont, text: T, sources: [hugo]}\n",
        "posts/b/index.md:14: events[0].sources[0]: unknown source 'hugo' "
        "(not in this post's sources)",
    ),
    "bad date": (
        "events:\n  - {date: 18 June, place: Hougoumont, text: T}\n",
        "posts/b/index.md:14: events[0].date: expected a date like 2016-12-03 or a time like "
        "2016-12-03T18:30:00-05:00, got '18 June'",
    ),
    "not JSON": (
        "layers:\n  - {file: broken.geojson, title: T, kind: area}\n",
        "posts/b/broken.geojson:1: is not JSON: Expecting property name enclosed in double quotes",
    ),
    "swapped": (
        "layers:\n  - {file: swapped.geojson, title: T, kind: area}\n",
        "posts/b/swapped.geojson: features[0].geometry.coordinates: [4.39, 95.5] looks like "
        "[latitude, longitude]; GeoJSON is [longitude, latitude]",
    ),
}


@pytest.mark.parametrize("case", list(BAD), ids=list(BAD))
def test_bad_layers_and_events_are_reported_at_their_line(make_site, case: str) -> None:
    front, expected = BAD[case]
    swapped = {"type": "Point", "coordinates": [4.39, 95.5]}
    root = make_site(
        {
            "site.yaml": SITE_YAML + SIDES,
            "posts/b/index.md": report(1, extra=front),
            "posts/b/l.geojson": collection(LINE),
            "posts/b/broken.geojson": "{nope",
            "posts/b/swapped.geojson": collection(swapped),
        }
    )
    with pytest.raises(ContentError) as exc:
        check(root, BuildOptions())
    messages = [str(p) for p in exc.value.problems]
    assert messages == [expected]


def test_a_bad_layer_file_is_reported_with_the_posts_other_errors(make_site) -> None:
    """One run reports every error: a post with a front-matter error still has its files read."""
    front = (
        "layers:\n  - {file: broken.geojson, title: T, kind: area}\n"
        "events:\n  - {date: 18 June, place: Hougoumont, text: T}\n"
    )
    root = make_site(
        {"site.yaml": SITE_YAML + SIDES, "posts/b/index.md": report(1, extra=front)}
        | {"posts/b/broken.geojson": "{nope"}
    )
    with pytest.raises(ContentError) as exc:
        check(root, BuildOptions())
    assert [str(p) for p in exc.value.problems] == [
        "posts/b/broken.geojson:1: is not JSON: Expecting property name enclosed in double quotes",
        "posts/b/index.md:16: events[0].date: expected a date like 2016-12-03 or a time like "
        "2016-12-03T18:30:00-05:00, got '18 June'",
    ]


def test_a_layer_file_outside_static_for_a_plain_post(make_site) -> None:
    text = report(1, extra="layers:\n  - {file: l.geojson, title: T, kind: area}\n")
    root = make_site({"posts/b.md": text})
    with pytest.raises(ContentError) as exc:
        check(root, BuildOptions())
    assert [str(p) for p in exc.value.problems] == [
        "posts/b.md:14: layers[0].file: 'l.geojson': a layer file must be under static/ "
        "(or make the post a page bundle: <name>/index.md)"
    ]


def test_bad_sides_in_site_yaml(make_site) -> None:
    root = make_site({"site.yaml": SITE_YAML + "sides:\n  red: {label: Red, color: crimson}\n"})
    with pytest.raises(ContentError) as exc:
        check(root, BuildOptions())
    assert [str(p) for p in exc.value.problems] == [
        "site.yaml:10: sides.red.color: expected a colour like '#c0392b', got 'crimson'"
    ]


def test_a_symlinked_layer_out_of_the_site_is_refused(make_site, tmp_path: Path) -> None:
    secret = tmp_path / "secret.geojson"
    secret.write_text(collection(LINE))
    text = report(1, extra="layers:\n  - {file: l.geojson, title: T, kind: area}\n")
    root = make_site({"posts/b/index.md": text})
    os.symlink(secret, root / "posts/b/l.geojson")
    with pytest.raises(ContentError) as exc:
        check(root, BuildOptions())
    assert "posts/b/l.geojson: is a symbolic link out of the site" in [
        str(p) for p in exc.value.problems
    ]


def test_a_theme_copied_before_the_situation_map_still_builds(make_site, build_site) -> None:
    """Older `sitegen init` copied post.html reading post.map_data (a list of places)."""
    root = make_site({"posts/b.md": report(1)})
    old = '{% extends "base.html" %}{% block content %}<div data-places="{{ page.post.map_data }}">'
    (root / "templates/post.html").write_text(old + "</div>{% endblock %}\n", encoding="utf-8")
    out, _ = build_site(root)
    page = lxml.html.fromstring((out / "posts/waterloo-sitrep-1-day-1/index.html").read_bytes())
    places = json.loads(page.cssselect("[data-places]")[0].get("data-places"))
    assert [p["name"] for p in places] == ["Hougoumont", "La Haye Sainte", "Charleroi"]
