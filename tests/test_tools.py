"""Self-test of the test tooling in tools.py: the HTML validator, the HTTP server,
the headless browser and artifacts. If these fail, fix the environment (.ci/run)
before trusting any other test that uses them."""

from __future__ import annotations

import shutil
import urllib.request
from pathlib import Path

import pytest

from tools import (
    REPO_ROOT,
    _url_to_path,
    browser_page,
    html_files,
    require_browser,
    require_vnu,
    save_artifact,
    serve_directory,
    validate_html,
)

VALID = """<!DOCTYPE html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<title>{title}</title>
</head>
<body>
<p>{title}</p>
</body>
</html>
"""

# Errors on line 7 (stray </p> after an unclosed <div>) and line 8 (img without alt).
INVALID = """<!DOCTYPE html>
<html lang="ar" dir="rtl">
<head>
<meta charset="utf-8">
<title>حلب</title>
</head>
<body><p>مرحبا <div>x</p>
<img src="map.png">
</body>
</html>
"""


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_validate_html_reports_errors_with_file_and_line(tmp_path: Path) -> None:
    require_vnu()
    ok = write(tmp_path / "ok.html", VALID.format(lang="en", title="Fine"))
    cyrillic = write(
        tmp_path / "севастополь" / "index.html", VALID.format(lang="ru", title="Севастополь")
    )
    bad = write(tmp_path / "حلب" / "index.html", INVALID)
    odd = write(tmp_path / "with space" / "a#b%20.html", INVALID)

    assert validate_html([ok, cyrillic]) == []

    errors = validate_html([ok, cyrillic, bad, odd])
    assert errors, "the invalid documents were not reported"
    for path in (bad, odd):
        mine = [e for e in errors if e.startswith(f"{path}:")]
        assert any(e.startswith(f"{path}:7:") for e in mine), errors
        assert any(e.startswith(f"{path}:8:") and "alt" in e for e in mine), errors
    assert not [e for e in errors if str(ok) in e or "севастополь" in e], errors


def test_validate_html_many_files_in_one_run(tmp_path: Path) -> None:
    require_vnu()
    paths = []
    for i in range(300):
        if i % 100 == 7:
            paths.append(write(tmp_path / f"d{i % 10}" / f"п{i}" / "index.html", INVALID))
        else:
            page = VALID.format(lang="en", title=f"Page {i}")
            paths.append(write(tmp_path / f"d{i % 10}" / f"p{i}" / "index.html", page))
    assert html_files(tmp_path) == sorted(paths)

    errors = validate_html(paths)
    reported = {e.split(":", 1)[0] for e in errors}
    assert reported == {str(p) for p in paths if "п" in p.parent.name}, errors


def test_validate_html_missing_file_is_an_error(tmp_path: Path) -> None:
    # vnu itself silently ignores files it cannot open; validate_html must not.
    with pytest.raises(FileNotFoundError):
        validate_html([tmp_path / "nope.html"])


def test_vnu_urls_map_back_to_paths() -> None:
    assert _url_to_path("file:/srv/with%20space/a%23b%2520.html") == "/srv/with space/a#b%20.html"
    assert _url_to_path("file:/srv/حلب/index.html") == "/srv/حلب/index.html"
    assert _url_to_path("file:/srv/%D8%AD%D9%84%D8%A8/index.html") == "/srv/حلب/index.html"


def test_serve_directory(tmp_path: Path) -> None:
    write(tmp_path / "حلب" / "index.html", "<p>hello</p>")
    with serve_directory(tmp_path) as base:
        assert base.startswith("http://127.0.0.1:") and base.endswith("/")
        url = base + urllib.request.quote("حلب/")
        with urllib.request.urlopen(url, timeout=10) as response:
            assert response.status == 200
            assert response.read() == b"<p>hello</p>"


MAP_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Map self-test</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/static/vendor/leaflet/leaflet.css">
<style>body {{ font-family: sans-serif; }} #map {{ height: 400px; }}</style>
</head>
<body>
<h1>Aleppo — حلب — Севастополь</h1>
<div id="map"></div>
<script src="/static/vendor/leaflet/leaflet.js"></script>
<script>
const map = L.map("map").setView([36.2021, 37.1343], 6);
L.tileLayer("https://tile.openstreetmap.org/{{z}}/{{x}}/{{y}}.png", {{maxZoom: 18}}).addTo(map);
L.marker([36.2021, 37.1343]).addTo(map).bindPopup("حلب");
L.marker([44.6167, 33.5254]).addTo(map).bindPopup("Севастополь");
document.body.dataset.ready = "yes";
</script>
</body>
</html>
"""


def test_browser_loads_leaflet_page_without_errors(tmp_path: Path) -> None:
    require_browser()
    vendored = REPO_ROOT / "static" / "vendor" / "leaflet"
    assert (vendored / "leaflet.js").is_file(), "run tools/vendor-maps.sh"
    shutil.copytree(vendored, tmp_path / "static" / "vendor" / "leaflet")
    write(tmp_path / "index.html", MAP_PAGE.format())

    with serve_directory(tmp_path) as base, browser_page((1024, 768)) as (page, errors):
        page.goto(base, wait_until="load")
        page.wait_for_selector("body[data-ready=yes]")
        markers = page.locator("img.leaflet-marker-icon")
        assert markers.count() == 2
        page.wait_for_function(
            "[...document.querySelectorAll('img.leaflet-marker-icon')]"
            ".every(img => img.complete && img.naturalWidth > 0)"
        )
        path = save_artifact("test_tools/leaflet-map.png", page.screenshot(full_page=True))
        assert path.stat().st_size > 0
        assert errors == []
        # Tiles were requested from the internet and answered locally.
        assert any("tile.openstreetmap.org" in url for url in errors.external_requests)


def test_browser_collects_console_and_page_errors(tmp_path: Path) -> None:
    require_browser()
    write(
        tmp_path / "index.html",
        """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>x</title>
<link rel="icon" href="data:,"></head><body>
<img src="/missing.png" alt="">
<script>console.error("boom"); throw new Error("kaput");</script>
</body></html>""",
    )
    with serve_directory(tmp_path) as base, browser_page() as (page, errors):
        page.goto(base, wait_until="load")
        page.wait_for_timeout(200)
    text = "\n".join(errors)
    assert "boom" in text
    assert "kaput" in text
    assert "404" in text  # "Failed to load resource: ... 404"


def test_save_artifact_stays_inside_artifacts() -> None:
    with pytest.raises(ValueError):
        save_artifact("../escape.txt", b"x")
    path = save_artifact("test_tools/hello.txt", b"hello")
    assert path.read_bytes() == b"hello"
    assert path.parent.parent.name == "artifacts"
