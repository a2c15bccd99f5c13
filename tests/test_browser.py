"""The built sample site in headless Chromium: maps work with JavaScript, lists without.

Pages are served from the session build of the sample site (conftest.py); map tiles
and anything else off 127.0.0.1 are answered locally by ``browser_page`` and recorded
in ``errors.external_requests``. Screenshots go to tests/artifacts/browser/.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from conftest import SamplePost, SampleSite

from sitegen.read.slugs import slugify
from tools import browser_page, require_browser, save_artifact, serve_directory

POST = "posts/sevastopol-sitrep-2/"
POST_WITH_LAYERS = "posts/waterloo-sitrep-4/"
VIEWPORTS = [(1280, 900), (390, 844)]
# The sample series that draw layers or log events, each with a situation page.
SITUATION_SERIES = ["waterloo-campaign", "siege-of-sevastopol", "gettysburg-campaign"]

# Map internals that static/js/map.js exposes for tests (see its header).
MAP = "document.querySelector('.map')"
LAYER_PATHS = ".map .leaflet-sitegenLayers-pane path.leaflet-interactive"
EVENT_MARKERS = ".map path.event-marker"
VENDOR_AND_MAP_CODE = ("/static/vendor/", "/static/js/map.js", "/static/js/situation.js")


@pytest.fixture(scope="module")
def base(sample_site: SampleSite) -> Iterator[str]:
    require_browser()
    with serve_directory(sample_site.out) as url:
        yield url


def tile_host(sample_site: SampleSite) -> str:
    return urlsplit(sample_site.config["map"]["tiles"]).hostname or ""


def open_page(page: Any, url: str) -> None:
    page.goto(url, wait_until="load")
    page.wait_for_load_state("networkidle")


def size_of(viewport: tuple[int, int]) -> str:
    return f"{viewport[0]}x{viewport[1]}"


def assert_only_tiles_left_the_machine(sample_site: SampleSite, external: list[str]) -> None:
    """Leaflet, its CSS and marker images are local; only map tiles are fetched from afar."""
    hosts = {urlsplit(url).hostname for url in external}
    assert hosts <= {tile_host(sample_site)}, external


def assert_no_sideways_scroll(page: Any, width: int) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= width


def wait_for_map(page: Any) -> None:
    """Until map.js has set the page's map up (its Leaflet map and overlays exposed)."""
    page.wait_for_function(f"() => !!({MAP} || {{}})._sitegenOverlays")


def place_titles(page: Any) -> list[str]:
    """The title of every place marker on the map, clustered or not, sorted."""
    return sorted(
        page.evaluate(f"{MAP}._sitegenOverlays.places.getLayers().map(m => m.options.title)")
    )


def places_shown(page: Any) -> int:
    """The places the map shows at its zoom: one per marker image, a cluster's count per cluster."""
    return page.evaluate(
        f"""() => {{
            const el = {MAP};
            const clustered = [...el.querySelectorAll('.marker-cluster')]
                .map(c => parseInt(c.querySelector('div > span').textContent, 10));
            return clustered.reduce((a, b) => a + b, 0)
                + el.querySelectorAll('img.leaflet-marker-icon').length;
        }}"""
    )


def zoom_in_until_unclustered(page: Any) -> None:
    """Zoom the map in one level at a time until no place marker is clustered."""
    while page.locator(".map .marker-cluster").count():
        zoomed = page.evaluate(
            f"""() => new Promise(resolve => {{
                const map = {MAP}._sitegenMap;
                if (map.getZoom() >= map.getMaxZoom()) {{
                    resolve(false);
                    return;
                }}
                // The cluster layer re-clusters (animated) after zoomend.
                map.once('zoomend', () => setTimeout(() => resolve(true), 600));
                map.zoomIn(1, {{animate: false}});
            }})"""
        )
        assert zoomed, "places are still clustered at the map's maximum zoom"


def click_place_marker_in_view(page: Any) -> str:
    """Click the marker of a place inside the map (zooming into a cluster while there is none)."""
    for _ in range(10):
        index = page.evaluate(
            f"""() => {{
                const el = {MAP};
                const box = el.getBoundingClientRect();
                const inside = r => r.left >= box.left && r.right <= box.right
                    && r.top >= box.top && r.bottom <= box.bottom;
                return [...el.querySelectorAll('img.leaflet-marker-icon')]
                    .findIndex(img => inside(img.getBoundingClientRect()));
            }}"""
        )
        if index >= 0:
            marker = page.locator(".map img.leaflet-marker-icon").nth(index)
            title = marker.get_attribute("title")
            marker.click()
            return title or ""
        page.locator(".map .marker-cluster").first.click()  # zooms to the cluster's places
        page.wait_for_timeout(800)
    raise AssertionError("no place marker came into view")


def click_a_layer(page: Any) -> None:
    """Click the stroke of a drawn layer where nothing else covers it."""
    point = page.evaluate(
        f"""() => {{
            const paths = document.querySelectorAll({json.dumps(LAYER_PATHS)});
            for (const path of paths) {{
                const length = path.getTotalLength();
                const matrix = path.getScreenCTM();
                if (!length || !matrix) continue;
                for (let i = 1; i < 20; i++) {{
                    const p = path.getPointAtLength(length * i / 20);
                    const q = new DOMPoint(p.x, p.y).matrixTransform(matrix);
                    if (document.elementFromPoint(q.x, q.y) === path) return [q.x, q.y];
                }}
            }}
            return null;
        }}"""
    )
    assert point is not None, "no drawn layer can be clicked: every one is covered or off the map"
    page.mouse.click(*point)


def series_posts(sample_site: SampleSite, slug: str) -> list[SamplePost]:
    """The published posts of a series in series order: the steps of its situation page."""
    posts = [p for p in sample_site.published if slugify(p.front.get("series") or "") == slug]
    return sorted(posts, key=lambda p: (int(p.front.get("series_index") or 0), p.date))


def strip_tags(html_text: str) -> str:
    return html.unescape(re.sub(r"<[^>]*>", "", html_text))


# ------------------------------------------------------------------------ post maps


@pytest.mark.parametrize("viewport", VIEWPORTS, ids=size_of)
def test_post_map(sample_site: SampleSite, base: str, viewport: tuple[int, int]) -> None:
    post = sample_site.post_by_slug("sevastopol-sitrep-2")
    assert len(post.places) >= 2
    with browser_page(viewport) as (page, errors):
        loaded: list[str] = []
        page.on("response", lambda r: loaded.append(r.url) if r.ok else None)
        open_page(page, base + POST)
        page.wait_for_selector(".map .leaflet-marker-icon")
        wait_for_map(page)
        size = size_of(viewport)
        save_artifact(f"browser/post-{size}.png", page.screenshot(full_page=True))
        save_artifact(f"browser/post-map-{size}.png", page.locator(".map").screenshot())

        assert page.evaluate("typeof L") == "object"
        leaflet = [u for u in loaded if u.endswith("/leaflet.js")]
        assert leaflet == [base + "static/vendor/leaflet/leaflet.js"]
        map_box = page.locator(".map")
        assert map_box.count() == 1
        assert map_box.is_visible()
        box = map_box.bounding_box()
        assert box is not None and box["height"] >= 200 and box["width"] > 0
        assert box["x"] >= 0 and box["x"] + box["width"] <= viewport[0]
        # One marker per place, clustered or not; what is shown accounts for every place.
        names = sorted(place["name"] for place in post.places)
        assert place_titles(page) == names
        assert places_shown(page) == len(post.places)
        # Zoomed in far enough, every place has its own marker image, and each one loaded.
        zoom_in_until_unclustered(page)
        markers = page.locator(".map img.leaflet-marker-icon")
        assert markers.count() == len(post.places)
        titles = sorted(markers.nth(i).get_attribute("title") for i in range(markers.count()))
        assert titles == names
        assert page.evaluate(
            "[...document.querySelectorAll('img.leaflet-marker-icon')]"
            ".every(img => img.complete && img.naturalWidth > 0)"
        )
        # The page does not scroll sideways, also on a phone.
        assert_no_sideways_scroll(page, viewport[0])
        # The list of places stays below the map.
        assert page.locator(".places .place-list li.place").count() == len(post.places)
    assert list(errors) == []
    assert errors.external_requests, "tiles should have been requested"
    assert_only_tiles_left_the_machine(sample_site, errors.external_requests)


def test_marker_popup_links_to_place_page(sample_site: SampleSite, base: str) -> None:
    with browser_page((1280, 900)) as (page, errors):
        open_page(page, base + POST)
        wait_for_map(page)
        title = click_place_marker_in_view(page)
        popup = page.locator(".leaflet-popup-content")
        popup.wait_for()
        # First link: the place's own page.
        link = popup.locator(".map-popup-title a")
        assert link.inner_text() == title
        href = link.get_attribute("href")
        assert href and href.startswith("/locations/")
        assert sample_site.file_of_url(href).is_file()
        # Second link: the place in this report's list of places.
        more = popup.locator(".map-popup-more a")
        anchor = more.get_attribute("href")
        assert anchor and anchor.startswith("#place-")
        assert page.locator(f".place-list li.place{anchor}").count() == 1
        assert title in page.locator(f".place-list li.place{anchor}").inner_text()
    assert list(errors) == []


@pytest.mark.parametrize("viewport", VIEWPORTS, ids=size_of)
def test_post_map_draws_layers_events_and_labels(
    sample_site: SampleSite, base: str, viewport: tuple[int, int]
) -> None:
    post = sample_site.post_by_slug(POST_WITH_LAYERS.strip("/").split("/")[-1])
    layers = post.front.get("layers") or []
    events = post.front.get("events") or []
    assert layers and events
    with browser_page(viewport) as (page, errors):
        open_page(page, base + POST_WITH_LAYERS)
        wait_for_map(page)
        # The layers are fetched (one GeoJSON file each): wait until all are drawn.
        page.wait_for_function(
            f"document.querySelectorAll({json.dumps(LAYER_PATHS)}).length >= {len(layers)}"
        )
        size = size_of(viewport)
        save_artifact(f"browser/post-layers-{size}.png", page.screenshot(full_page=True))
        save_artifact(f"browser/post-layers-map-{size}.png", page.locator(".map").screenshot())

        section = page.locator("section.situation")
        assert section.count() == 1
        assert section.locator(".map").count() == 1
        # One legend entry per layer, numbered in the front matter's order.
        legend = section.locator(".map-legend li.layer")
        assert legend.count() == len(layers)
        ids = [legend.nth(i).get_attribute("id") for i in range(legend.count())]
        assert ids == [f"layer-{n}" for n in range(1, len(layers) + 1)]
        titles = [legend.nth(i).locator(".layer-title").inner_text() for i in range(len(layers))]
        assert titles == [layer["title"] for layer in layers]
        # Shapes: at least one path per layer; the count map.js reports is what is drawn.
        drawn = page.locator(LAYER_PATHS).count()
        assert drawn >= len(layers)
        assert int(page.evaluate(f"{MAP}.dataset.layers")) == drawn
        # Events: one marker per entry of the list.
        items = section.locator("ol.events li")
        assert items.count() == len(events)
        assert page.locator(EVENT_MARKERS).count() == items.count()
        assert int(page.evaluate(f"{MAP}.dataset.events")) == items.count()
        # Place labels.
        assert page.locator(".map .map-label").count() > 0
        # The attribution is the configured text alone: no "Leaflet" prefix, no flag.
        attribution = page.locator(".map .leaflet-control-attribution")
        expected = strip_tags(sample_site.config["map"]["attribution"])
        assert " ".join(attribution.inner_text().split()) == " ".join(expected.split())
        assert "leaflet" not in attribution.inner_html().lower()
        assert attribution.locator("svg, img").count() == 0
        # A drawn layer's popup links to its legend entry.
        click_a_layer(page)
        link = page.locator('.leaflet-popup-content a[href^="#layer-"]')
        link.wait_for()
        anchor = link.get_attribute("href")
        assert anchor in {f"#{i}" for i in ids}
        assert_no_sideways_scroll(page, viewport[0])
    assert list(errors) == []
    assert_only_tiles_left_the_machine(sample_site, errors.external_requests)


@pytest.mark.parametrize("path", ["archive/", "", "series/"])
def test_page_without_a_map_loads_no_map_code(base: str, path: str) -> None:
    with browser_page((1280, 900)) as (page, errors):
        requested: list[str] = []
        page.on("request", lambda r: requested.append(r.url))
        open_page(page, base + path)
        assert page.locator(".map").count() == 0
        assert requested, "the page itself should have been requested"
        map_code = [u for u in requested if any(part in u for part in VENDOR_AND_MAP_CODE)]
        assert map_code == []
        assert page.evaluate("typeof L") == "undefined"
    assert list(errors) == []
    assert errors.external_requests == []  # no tiles either


def test_locations_page_has_one_marker_per_place(sample_site: SampleSite, base: str) -> None:
    geo = json.loads((sample_site.out / "locations.geojson").read_text(encoding="utf-8"))
    names = sorted(feature["properties"]["name"] for feature in geo["features"])
    count = len(names)
    assert count > 10
    with browser_page((1280, 900)) as (page, errors):
        open_page(page, base + "locations/")
        page.wait_for_selector(".map .leaflet-marker-icon")
        wait_for_map(page)
        save_artifact("browser/locations-1280x900.png", page.screenshot(full_page=True))
        assert page.locator(".map").is_visible()
        assert place_titles(page) == names
        assert places_shown(page) == count
        assert page.locator("li.place").count() == count
    assert list(errors) == []
    assert_only_tiles_left_the_machine(sample_site, errors.external_requests)


# ------------------------------------------------------------------ situation pages


def situation_state(page: Any) -> dict[str, Any]:
    """What the situation map shows now (the data-* counts situation.js keeps)."""
    return page.evaluate(
        f"""() => {{
            const el = {MAP};
            const current = [...document.querySelectorAll('section.situation-step.current')];
            return {{
                step: parseInt(el.dataset.step, 10),
                layers: parseInt(el.dataset.layers, 10),
                events: parseInt(el.dataset.events, 10),
                layerPaths: el.querySelectorAll(
                    '.leaflet-sitegenLayers-pane path.leaflet-interactive').length,
                eventMarkers: el.querySelectorAll('path.event-marker').length,
                eventsNow: el.querySelectorAll('path.event-marker.event-current').length,
                eventsPast: el.querySelectorAll('path.event-marker.event-past').length,
                range: document.querySelector('#timeline-step').value,
                label: document.querySelector('.timeline-label').textContent,
                current: current.map(s => s.id),
                ariaCurrent: current.map(s => s.getAttribute('aria-current')),
            }};
        }}"""
    )


def wait_for_step(page: Any, step: int) -> dict[str, Any]:
    page.wait_for_function(f"{MAP}.dataset.step === '{step}'")
    return situation_state(page)


@pytest.mark.parametrize("viewport", VIEWPORTS, ids=size_of)
@pytest.mark.parametrize("series", SITUATION_SERIES)
def test_situation_page_steps_through_the_series(
    sample_site: SampleSite, base: str, series: str, viewport: tuple[int, int]
) -> None:
    posts = series_posts(sample_site, series)
    last = len(posts)
    assert last >= 2
    events_per_step = [len(p.front.get("events") or []) for p in posts]
    steps_html = f"series/{series}/situation/index.html"
    assert (sample_site.out / steps_html).is_file()
    size = size_of(viewport)
    with browser_page(viewport) as (page, errors):
        open_page(page, base + f"series/{series}/situation/")
        timeline = page.locator(".timeline")
        timeline.wait_for(state="visible")
        wait_for_map(page)

        def check(state: dict[str, Any], step: int) -> None:
            """What is shown belongs to this step: label, current section, event styles."""
            assert state["step"] == step
            assert state["range"] == str(step)
            assert state["current"] == [f"step-{step}"]
            assert state["ariaCurrent"] == ["step"]
            heading = page.locator(f"#step-{step} h2").inner_text().strip()
            assert heading.startswith(f"SITREP {posts[step - 1].front['series_index']}")
            assert " ".join(state["label"].split()).startswith(heading)
            href = page.locator(".timeline-label a").get_attribute("href")
            assert href == page.locator(f"#step-{step} h2 a").get_attribute("href")
            assert state["eventMarkers"] == state["events"] == sum(events_per_step[:step])
            assert state["eventsNow"] == events_per_step[step - 1]
            assert state["eventsPast"] == state["events"] - state["eventsNow"]
            assert state["layerPaths"] >= state["layers"]

        # At first: the last step, every layer of that report and every event of the series.
        at_last = wait_for_step(page, last)
        page.wait_for_timeout(1000)  # let the map settle (it may fly to the step)
        save_artifact(f"browser/situation-{series}-{size}.png", page.screenshot(full_page=True))
        check(at_last, last)
        assert at_last["layers"] > 0
        assert at_last["events"] == sum(events_per_step)
        assert at_last["events"] == page.locator("ol.events li").count()
        assert page.locator("section.situation-step").count() == last
        assert page.locator(".timeline-next").is_disabled()
        assert page.locator(".timeline-back").is_enabled()

        # Keyboard: Home on the focused slider goes to the first step.
        page.locator("#timeline-step").focus()
        page.keyboard.press("Home")
        at_first = wait_for_step(page, 1)
        check(at_first, 1)
        assert (at_first["layers"], at_first["events"]) != (at_last["layers"], at_last["events"])
        assert at_first["events"] <= at_last["events"]
        assert page.locator(".timeline-back").is_disabled()
        page.wait_for_timeout(1000)
        save_artifact(f"browser/situation-{series}-step-1-{size}.png", page.screenshot())

        # ArrowRight: one step on.
        page.keyboard.press("ArrowRight")
        check(wait_for_step(page, 2), 2)

        # The buttons: Previous, then Next.
        page.locator(".timeline-back").click()
        check(wait_for_step(page, 1), 1)
        page.locator(".timeline-next").click()
        check(wait_for_step(page, 2), 2)
        for step in range(3, last + 1):
            page.locator(".timeline-next").click()
            check(wait_for_step(page, step), step)
        assert page.locator(".timeline-next").is_disabled()

        # Fits a phone: the timeline is inside the viewport and nothing scrolls sideways.
        box = timeline.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= viewport[0]
        assert_no_sideways_scroll(page, viewport[0])
    assert list(errors) == []
    assert_only_tiles_left_the_machine(sample_site, errors.external_requests)


def test_every_series_with_a_situation_is_tested(sample_site: SampleSite) -> None:
    with_situation = sorted(
        path.parent.parent.name
        for path in (sample_site.out / "series").glob("*/situation/index.html")
    )
    assert with_situation == sorted(SITUATION_SERIES)


# ---------------------------------------------------------------- without JavaScript


@pytest.mark.parametrize("path", [POST, "locations/", "locations/sevastopol/"])
def test_without_javascript_the_list_remains(sample_site: SampleSite, base: str, path: str) -> None:
    with browser_page((390, 844), java_script_enabled=False) as (page, errors):
        open_page(page, base + path)
        save_artifact(
            f"browser/nojs-{path.strip('/').replace('/', '-')}-390x844.png",
            page.screenshot(full_page=True),
        )
        assert page.locator(".map").count() == 1
        assert not page.locator(".map").is_visible()
        assert page.locator(".leaflet-marker-icon").count() == 0
        assert page.locator(".leaflet-container").count() == 0
        if path.startswith("locations/") and path != "locations/":
            # One place: its coordinates are in the heading block.
            coords = page.locator("p.coords data")
            assert coords.count() == 2
            assert all(coords.nth(i).is_visible() for i in range(2))
        else:
            items = page.locator("li.place")
            assert items.count() > 1
            for i in range(items.count()):
                item = items.nth(i)
                assert item.is_visible()
                link = item.locator("a")
                assert link.is_visible()
                href = link.get_attribute("href")
                assert href and sample_site.file_of_url(href).is_file()
                values = item.locator(".coords data")
                assert values.count() == 2
                for j in range(2):
                    assert values.nth(j).is_visible()
                    float(values.nth(j).get_attribute("value") or "")
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert list(errors) == []
    assert errors.external_requests == []  # no tiles without the map


@pytest.mark.parametrize("series", SITUATION_SERIES)
def test_without_javascript_the_situation_lists_remain(
    sample_site: SampleSite, base: str, series: str
) -> None:
    posts = series_posts(sample_site, series)
    with browser_page((390, 844), java_script_enabled=False) as (page, errors):
        open_page(page, base + f"series/{series}/situation/")
        save_artifact(
            f"browser/nojs-situation-{series}-390x844.png", page.screenshot(full_page=True)
        )
        assert page.locator(".map").count() == 1
        assert not page.locator(".map").is_visible()
        assert page.locator(".leaflet-container").count() == 0
        assert page.locator(".timeline").count() == 1
        assert not page.locator(".timeline").is_visible()
        steps = page.locator("section.situation-step")
        assert steps.count() == len(posts)
        assert page.locator("section.situation-step.current").count() == 0
        for number, post in enumerate(posts, start=1):
            step = page.locator(f"section.situation-step#step-{number}")
            assert step.is_visible()
            heading = step.locator("h2 a")
            assert heading.is_visible()
            assert heading.inner_text().startswith(f"SITREP {post.front['series_index']}")
            assert heading.get_attribute("href") == f"/posts/{post.slug}/"
            layers = post.front.get("layers") or []
            legend = step.locator(".map-legend li.layer")
            assert legend.count() == len(layers)
            for i, layer in enumerate(layers):
                entry = legend.nth(i)
                assert entry.is_visible()
                assert entry.locator(".layer-title").inner_text() == layer["title"]
                geojson = entry.locator('a[type="application/geo+json"]').get_attribute("href")
                assert geojson and sample_site.file_of_url(geojson).is_file()
            events = post.front.get("events") or []
            items = step.locator("ol.events li")
            assert items.count() == len(events)
            for i in range(len(events)):
                item = items.nth(i)
                assert item.is_visible()
                assert item.locator("time").get_attribute("datetime")
                place = item.locator("a.event-place").get_attribute("href")
                assert place and sample_site.file_of_url(place).is_file()
        assert_no_sideways_scroll(page, 390)
    assert list(errors) == []
    assert errors.external_requests == []


def test_serve_reloads_the_open_page_after_an_edit(make_site, tmp_path: Path) -> None:
    """sitegen serve in its own process; Chromium sees the edit without being told to reload."""
    import signal
    import socket
    import subprocess
    import sys
    import time

    from conftest import post_text

    require_browser()
    root = make_site({"posts/a.md": post_text("Live title", "2026-01-01", body="First version.")})
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        [sys.executable, "-m", "sitegen", "-s", str(root), "serve", "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    url = f"http://127.0.0.1:{port}/posts/live-title/"
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                time.sleep(0.1)
        with browser_page((1280, 800)) as (page, errors):
            page.goto(url)
            assert "First version." in page.inner_text(".post-body")
            page.evaluate("window.__stillTheSamePage = true")
            time.sleep(0.5)  # let the page's event stream connect
            (root / "posts/a.md").write_text(
                post_text("Live title", "2026-01-01", body="Second version."), encoding="utf-8"
            )
            page.wait_for_function(
                "document.querySelector('.post-body').innerText.includes('Second version.')",
                timeout=15000,
            )
            assert page.evaluate("window.__stillTheSamePage") is None  # it really reloaded
            # A broken post shows an overlay; fixing it clears the overlay.
            (root / "posts/b.md").write_text("---\ntitle: [oops\n---\n", encoding="utf-8")
            page.wait_for_selector("#sitegen-error", timeout=15000)
            assert "posts/b.md:" in page.inner_text("#sitegen-error")
            save_artifact("browser/serve-error-overlay.png", page.screenshot())
            (root / "posts/b.md").unlink()
            page.wait_for_selector("#sitegen-error", state="detached", timeout=15000)
            assert [e for e in errors if "__sitegen/events" not in e] == []
    finally:
        server.send_signal(signal.SIGINT)
        output, _ = server.communicate(timeout=15)
    assert server.returncode == 0, output
    assert "Stopped." in output


IMAGE_POST = "posts/sevastopol-sitrep-2/"  # its figure: a sketch map of Balaklava


def figure_boxes(page: Any) -> dict[str, Any]:
    """Where the figure's picture and the heading after the figure are, and what loaded."""
    return page.evaluate(
        """() => {
            const img = document.querySelector("figure.image img");
            let next = img.closest("figure").nextElementSibling;
            const box = (el) => { const r = el.getBoundingClientRect();
                                  return [r.x, r.y + window.scrollY, r.width, r.height]; };
            return {img: box(img), next: box(next), src: img.currentSrc,
                    loaded: img.complete && img.naturalWidth > 0};
        }"""
    )


@pytest.mark.parametrize("viewport", VIEWPORTS, ids=size_of)
def test_image_box_does_not_move_when_the_image_loads(base: str, viewport: tuple[int, int]) -> None:
    """width and height reserve the picture's box: the page does not shift as it arrives."""
    with browser_page(viewport) as (page, errors):
        held: list[Any] = []

        def hold(route: Any) -> None:  # the pictures wait until the layout is measured
            held.append(route)

        page.route(f"{base}{IMAGE_POST}*.webp", hold)
        page.route(f"{base}{IMAGE_POST}*.png", hold)
        page.goto(base + IMAGE_POST, wait_until="domcontentloaded")
        page.wait_for_function("document.fonts.status === 'loaded'")
        page.wait_for_timeout(200)
        before = figure_boxes(page)
        assert not before["loaded"] and held, "the picture should still be on its way"
        for route in held:
            route.continue_()
        page.unroute(f"{base}{IMAGE_POST}*.webp")
        page.unroute(f"{base}{IMAGE_POST}*.png")
        page.wait_for_function(
            "() => { const i = document.querySelector('figure.image img');"
            " return i.complete && i.naturalWidth > 0; }"
        )
        after = figure_boxes(page)
        assert after["loaded"] and after["src"].endswith(".webp"), after
        assert after["img"] == pytest.approx(before["img"], abs=0.5)
        assert after["next"] == pytest.approx(before["next"], abs=0.5)
        ratio = after["img"][2] / after["img"][3]
        assert ratio == pytest.approx(1600 / 1000, rel=0.01)  # the picture's own proportions
        assert after["img"][2] <= viewport[0]
        assert errors == [], errors


ORPHAN_CITATIONS = """() => [...document.querySelectorAll('sup.cite')].filter((sup) => {
    const prev = sup.previousSibling;
    if (!prev || prev.nodeType !== Node.TEXT_NODE) return false;
    const text = prev.textContent.replace(/\\s+$/, "");
    if (!text) return false;
    const range = document.createRange();
    range.setStart(prev, text.length - 1);
    range.setEnd(prev, text.length);
    const word = range.getClientRects(), mark = sup.getClientRects();
    return word.length && mark.length && mark[0].top >= word[word.length - 1].bottom - 2;
}).map((sup) => sup.parentElement.textContent.slice(0, 60))"""


def test_a_citation_never_starts_a_line_on_a_phone(sample_site: SampleSite, base: str) -> None:
    """ "horsemen in all / [1]." must not happen: the marker stays with the word before it."""
    found = 0
    with browser_page((390, 844)) as (page, errors):
        for post in sample_site.published:
            open_page(page, base + f"posts/{post.slug}/")
            found += page.locator("sup.cite").count()
            assert page.evaluate(ORPHAN_CITATIONS) == [], post.slug
        assert errors == []
    assert found > 50


def test_home_on_a_phone_shows_a_headline_on_the_first_screen(
    sample_site: SampleSite, base: str
) -> None:
    """390×844: the site's name once (the header), the description short, a headline in view."""
    with browser_page((390, 844)) as (page, errors):
        open_page(page, base)
        title = sample_site.config["title"]
        visible = page.evaluate(
            """(title) => [...document.querySelectorAll("body *")].filter((el) => {
                const own = [...el.childNodes].some(
                    (n) => n.nodeType === Node.TEXT_NODE && n.textContent.trim() === title);
                const r = el.getBoundingClientRect();
                return own && r.width > 2 && r.height > 2;
            }).length""",
            title,
        )
        assert visible == 1
        assert page.locator("h1").count() == 1  # still there for screen readers
        headline = page.locator(".card h2").first.bounding_box()
        assert headline is not None and headline["y"] + headline["height"] <= 844
        save_artifact("browser/home-390x844.png", page.screenshot())
        assert errors == []


CLS_OBSERVER = """(() => {
    window.__cls = 0;
    new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) {
            if (!entry.hadRecentInput) window.__cls += entry.value;
        }
    }).observe({type: "layout-shift", buffered: true});
})();"""


@pytest.mark.parametrize("path", ["locations/", "search/", IMAGE_POST, POST])
@pytest.mark.parametrize("viewport", VIEWPORTS, ids=size_of)
def test_pages_do_not_shift_as_they_load(base: str, path: str, viewport: tuple[int, int]) -> None:
    """Cumulative layout shift as Lighthouse counts it: the map's box and the search label's
    place are kept from the first paint, so the page does not move as scripts run."""
    with browser_page(viewport) as (page, errors):
        page.add_init_script(CLS_OBSERVER)
        open_page(page, base + path)
        page.wait_for_timeout(500)
        cls = page.evaluate("window.__cls")
        assert cls < 0.01, (path, cls)
        assert errors == []


@pytest.mark.parametrize("viewport", VIEWPORTS, ids=size_of)
def test_search_results_shift_the_page_no_more_than_lighthouse_calls_good(
    base: str, viewport: tuple[int, int]
) -> None:
    """With a query, Pagefind draws each result, then fills in its sub-results as its page's
    data arrives, which moves the results below (measured 0.02-0.05); the page around them
    (label, box, footer) stays put.  Lighthouse's "good" is below 0.1 (it was 0.20)."""
    with browser_page(viewport) as (page, errors):
        page.add_init_script(CLS_OBSERVER)
        open_page(page, base + "search/?q=Hougoumont")
        page.wait_for_selector(".pagefind-ui__result")
        page.wait_for_timeout(1000)
        cls = page.evaluate("window.__cls")
        assert cls < 0.1, cls
        assert errors == []


@pytest.mark.parametrize("path", [POST, "about/"])
def test_a_printed_report_says_where_it_came_from_and_when(
    sample_site: SampleSite, base: str, path: str
) -> None:
    with browser_page((1280, 900)) as (page, errors):
        open_page(page, base + path)
        source = page.locator(".print-source")
        assert not source.is_visible()  # on screen: not shown
        page.emulate_media(media="print")
        page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
        assert source.is_visible()
        text = " ".join(source.inner_text().split())
        url = sample_site.url(path)
        printed = rf"Printed from {re.escape(url)} on \d{{1,2}} [A-Z][a-z]+ \d{{4}}"
        assert re.fullmatch(printed, text), text
        assert page.locator(".map").first.is_visible() is False or path == "about/"
        assert errors == []
