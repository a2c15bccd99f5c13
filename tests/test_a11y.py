"""The built sample site in a real browser: axe-core finds no serious accessibility problems.

Headless Chromium (Debian's ``chromium``) through Playwright; axe-core from npm
(``.tools/node_modules/axe-core``, installed by ``.ci/run``).  Screenshots at
phone and desktop widths, light and dark, are saved under tests/artifacts/.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tools import (
    REPO_ROOT,
    browser_page,
    require_browser,
    require_tool,
    save_artifact,
    serve_directory,
)

AXE = REPO_ROOT / ".tools" / "node_modules" / "axe-core" / "axe.min.js"
PAGES = {
    "home": "",
    "post-with-map": "posts/sevastopol-sitrep-2/",
    "post-with-layers": "posts/waterloo-sitrep-4/",
    "situation": "series/waterloo-campaign/situation/",
    "place": "locations/sevastopol/",
    "sources": "sources/",
    "search": "search/?q=Balaklava",
}
LAYER_PATHS = ".leaflet-sitegenLayers-pane path.leaflet-interactive"
VIEWPORTS = {"phone": (390, 844), "desktop": (1280, 900)}


@pytest.fixture(scope="module")
def site_url(sample_site) -> Iterator[str]:
    require_browser()
    require_tool("axe-core", AXE.is_file(), "`npm install --prefix .tools axe-core`")
    with serve_directory(sample_site.out) as url:
        yield url


def run_axe(page) -> list[dict]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        """async () => {
            const r = await axe.run(document, {resultTypes: ["violations"]});
            return r.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.slice(0, 3).map(n => n.target.join(" "))
            }));
        }"""
    )
    return [v for v in result if v["impact"] in ("serious", "critical")]


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("viewport", list(VIEWPORTS), ids=str)
@pytest.mark.parametrize("name", list(PAGES), ids=str)
def test_no_serious_axe_violations(site_url: str, name: str, viewport: str, scheme: str) -> None:
    with browser_page(VIEWPORTS[viewport], color_scheme=scheme) as (page, errors):
        page.goto(site_url + PAGES[name], wait_until="load")
        if name == "search":
            page.wait_for_selector(".pagefind-ui__result-title", timeout=15000)
        if name in ("post-with-map", "post-with-layers", "place", "situation"):
            page.wait_for_selector(".leaflet-marker-icon", timeout=15000)
        if name in ("post-with-layers", "situation"):
            # Layers are fetched: check the page with its shapes drawn (and the timeline shown).
            page.wait_for_selector(LAYER_PATHS, timeout=15000)
        if name == "situation":
            page.wait_for_selector(".timeline", state="visible", timeout=15000)
            page.wait_for_function(
                "document.querySelector('section.situation-step.current') !== null"
            )
        violations = run_axe(page)
        save_artifact(f"a11y/{name}-{viewport}-{scheme}.png", page.screenshot(full_page=True))
        assert violations == [], violations
        assert list(errors) == []


def test_skip_link_and_visible_focus(site_url: str) -> None:
    with browser_page(VIEWPORTS["desktop"]) as (page, _):
        page.goto(site_url + PAGES["post-with-map"])
        page.keyboard.press("Tab")
        focused = page.evaluate("document.activeElement.className")
        assert "skip-link" in focused
        assert page.evaluate("document.activeElement.getBoundingClientRect().top >= 0")
        outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
        assert outline != "none"
        page.keyboard.press("Enter")
        assert page.evaluate("location.hash") == "#main"


def test_lang_on_page_and_local_names(site_url: str) -> None:
    with browser_page(VIEWPORTS["desktop"]) as (page, _):
        page.goto(site_url + "locations/")
        assert page.evaluate("document.documentElement.lang") == "en"
        langs = page.evaluate(
            "[...document.querySelectorAll('.local-name[lang]')].map(e => [e.lang, e.dir])"
        )
        assert ["ru", "ltr"] in langs or ["ru", ""] in langs
        assert any(lang == "ar" and direction == "rtl" for lang, direction in langs)


def test_print_stylesheet_hides_navigation_and_shows_sources(site_url: str) -> None:
    with browser_page(VIEWPORTS["desktop"]) as (page, _):
        page.goto(site_url + PAGES["post-with-map"])
        page.emulate_media(media="print")
        visible = page.evaluate(
            """() => ({
                nav: getComputedStyle(document.querySelector('.site-nav')).display,
                sources: getComputedStyle(document.querySelector('.sources')).display,
                coords: getComputedStyle(document.querySelector('.place-list .coords')).display,
            })"""
        )
        assert visible["nav"] == "none"
        assert visible["sources"] != "none" and visible["coords"] != "none"
        pdf = page.pdf(format="A4")
        assert pdf.startswith(b"%PDF")
        save_artifact("print/post-with-map.pdf", pdf)


def test_reading_time_shown(sample_site) -> None:
    page = Path(sample_site.out, "posts/sevastopol-sitrep-2/index.html").read_text(encoding="utf-8")
    assert 'class="reading-time">' in page and "min read" in page
