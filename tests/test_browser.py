"""The built sample site in headless Chromium: maps work with JavaScript, lists without.

Pages are served from the session build of the sample site (conftest.py); map tiles
and anything else off 127.0.0.1 are answered locally by ``browser_page`` and recorded
in ``errors.external_requests``. Screenshots go to tests/artifacts/browser/.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from conftest import SampleSite

from tools import browser_page, require_browser, save_artifact, serve_directory

POST = "posts/sevastopol-sitrep-2/"
VIEWPORTS = [(1280, 900), (390, 844)]


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


def assert_only_tiles_left_the_machine(sample_site: SampleSite, external: list[str]) -> None:
    """Leaflet, its CSS and marker images are local; only map tiles are fetched from afar."""
    hosts = {urlsplit(url).hostname for url in external}
    assert hosts <= {tile_host(sample_site)}, external


@pytest.mark.parametrize("viewport", VIEWPORTS, ids=lambda v: f"{v[0]}x{v[1]}")
def test_post_map(sample_site: SampleSite, base: str, viewport: tuple[int, int]) -> None:
    post = sample_site.post_by_slug("sevastopol-sitrep-2")
    assert len(post.places) >= 2
    with browser_page(viewport) as (page, errors):
        loaded: list[str] = []
        page.on("response", lambda r: loaded.append(r.url) if r.ok else None)
        open_page(page, base + POST)
        page.wait_for_selector(".map .leaflet-marker-icon")
        size = f"{viewport[0]}x{viewport[1]}"
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
        markers = page.locator(".map .leaflet-marker-icon")
        assert markers.count() == len(post.places)
        titles = sorted(markers.nth(i).get_attribute("title") for i in range(markers.count()))
        assert titles == sorted(place["name"] for place in post.places)
        # Every marker image (a local file) actually loaded.
        assert page.evaluate(
            "[...document.querySelectorAll('.leaflet-marker-icon')]"
            ".every(img => img.complete && img.naturalWidth > 0)"
        )
        # The page does not scroll sideways, also on a phone.
        assert page.evaluate("document.documentElement.scrollWidth") <= viewport[0]
        # The list of places stays below the map.
        assert page.locator(".places .place-list li.place").count() == len(post.places)
    assert list(errors) == []
    assert errors.external_requests, "tiles should have been requested"
    assert_only_tiles_left_the_machine(sample_site, errors.external_requests)


def test_marker_popup_links_to_place_page(sample_site: SampleSite, base: str) -> None:
    with browser_page((1280, 900)) as (page, errors):
        open_page(page, base + POST)
        marker = page.locator(".map .leaflet-marker-icon").first
        marker.click()
        link = page.locator(".leaflet-popup-content a")
        link.wait_for()
        href = link.get_attribute("href")
        assert href and href.startswith("/locations/")
        assert sample_site.file_of_url(href).is_file()
    assert list(errors) == []


def test_locations_page_has_one_marker_per_place(sample_site: SampleSite, base: str) -> None:
    geo = json.loads((sample_site.out / "locations.geojson").read_text(encoding="utf-8"))
    count = len(geo["features"])
    assert count > 10
    with browser_page((1280, 900)) as (page, errors):
        open_page(page, base + "locations/")
        page.wait_for_selector(".map .leaflet-marker-icon")
        save_artifact("browser/locations-1280x900.png", page.screenshot(full_page=True))
        assert page.locator(".map").is_visible()
        assert page.locator(".map .leaflet-marker-icon").count() == count
        assert page.locator("li.place").count() == count
    assert list(errors) == []
    assert_only_tiles_left_the_machine(sample_site, errors.external_requests)


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
