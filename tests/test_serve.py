"""sitegen serve: no save is lost (by the server or by an open page), and the error overlay.

The preview server runs in a thread on 127.0.0.1 (a free port); pages are opened in
headless Chromium (``tools.browser_page``). Screenshots of the error overlay go to
tests/artifacts/serve/.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import post_text

from sitegen.commands import serve as serve_module
from tools import (
    REPO_ROOT,
    browser_page,
    fetch,
    require_browser,
    require_tool,
    save_artifact,
    server_state,
    wait_for,
)

Make = Callable[..., Path]
Start = Callable[[Path], str]
AXE = REPO_ROOT / ".tools" / "node_modules" / "axe-core" / "axe.min.js"
LOOPS = 4  # the race is forced on every loop (a held file), so a few loops suffice
TITLE, DATE, PAGE = "Live", "2026-01-01", "posts/live/"


@pytest.fixture
def preview(monkeypatch: pytest.MonkeyPatch) -> Iterator[Start]:
    """Start ``serve`` on a site in a thread; returns its URL. Stopped after the test."""
    running: list[tuple[threading.Event, threading.Thread]] = []

    def start(root: Path) -> str:
        ready = threading.Event()
        address: dict[str, int] = {}
        original = serve_module.ThreadingHTTPServer

        class Recording(original):  # type: ignore[misc, valid-type]
            def __init__(self, *args: object, **kwargs: object) -> None:
                super().__init__(*args, **kwargs)
                address["port"] = self.server_address[1]
                ready.set()

        monkeypatch.setattr(serve_module, "ThreadingHTTPServer", Recording)
        stop = threading.Event()
        thread = threading.Thread(
            target=serve_module.serve,
            args=(root, "127.0.0.1", 0),
            kwargs={"quiet": True, "stop": stop},
            daemon=True,
        )
        thread.start()
        running.append((stop, thread))
        assert ready.wait(30)
        url = f"http://127.0.0.1:{address['port']}/"
        wait_for(lambda: fetch(url)[0] != 0, 60)  # it listens once the first build is done
        return url

    yield start
    for stop, thread in running:
        stop.set()
        thread.join(15)
        assert not thread.is_alive()


def save(root: Path, body: str) -> None:
    (root / "posts/a.md").write_text(post_text(TITLE, DATE, body=body), encoding="utf-8")


def wait_for_text(page: Any, text: str) -> None:
    page.wait_for_function(
        "text => (document.querySelector('.post-body') || {innerText: ''}).innerText"
        ".includes(text)",
        arg=text,
        timeout=15000,
    )


# -- an open page misses no save ------------------------------------------------


@pytest.mark.parametrize("held", ["__sitegen/reload.js", "static/css/site.css"])
def test_a_save_built_while_the_page_reloads_reloads_it_again(
    make_site: Make, preview: Start, held: str
) -> None:
    """A save is built after the reloaded page was served but before its script connects.

    Each loop saves once; the page reloads; its HTML (with that save) arrives, then
    a file it needs (the reload script itself, or the stylesheet that the script
    waits for) is held back while a second save is built. The page must see that
    the server's build is newer than its own and reload again, rather than taking
    the newest build for its own and keeping the first save on screen.
    """
    require_browser()
    root = make_site({"posts/a.md": post_text(TITLE, DATE, body="Loop 0, second save.")})
    url = preview(root)
    armed: dict[str, str] = {}
    served: list[str] = []

    def record(route: Any) -> None:
        response = route.fetch()
        served.append(response.text())
        route.fulfill(response=response)

    def hold(route: Any) -> None:
        second = armed.pop("second", None)
        if second is not None:  # the page is in, its script not yet connected
            before = server_state(url)["generation"]
            save(root, second)
            wait_for(
                lambda: (now := server_state(url))["generation"] != before and not now["error"]
            )
        route.fallback()

    with browser_page((1024, 768)) as (page, errors):
        page.route(url + PAGE, record)
        page.route(url + held, hold)
        page.goto(url + PAGE)
        wait_for_text(page, "Loop 0, second save.")
        for loop in range(1, LOOPS + 1):
            first, second = f"Loop {loop}, first save.", f"Loop {loop}, second save."
            served.clear()
            armed["second"] = second
            save(root, first)
            wait_for_text(page, second)
            assert not armed, f"loop {loop}: the page did not reload after the first save"
            assert first in served[0] and second not in served[0]  # the race really happened
        assert [e for e in errors if "__sitegen/events" not in e] == []


def test_a_page_opened_before_the_first_good_build_shows_the_error_then_the_site(
    make_site: Make, preview: Start
) -> None:
    """With nothing built yet, the server's bare 'Not found' page still reloads itself."""
    require_browser()
    root = make_site({"posts/a.md": "---\ntitle: [oops\n---\n"})
    url = preview(root)
    with browser_page((1024, 768)) as (page, _):
        page.goto(url + PAGE)
        page.wait_for_selector("#sitegen-error", timeout=15000)
        assert "posts/a.md:" in page.inner_text("#sitegen-error pre")
        save(root, "Fixed.")
        wait_for_text(page, "Fixed.")
        assert page.query_selector("#sitegen-error") is None


# -- the server misses no save ---------------------------------------------------


def test_saves_made_during_a_build_are_built_next_together(
    make_site: Make, preview: Start, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Four saves land while a rebuild is finishing: one more build shows the last."""
    root = make_site({"posts/a.md": post_text(TITLE, DATE, body="Start.")})
    real_build = serve_module.build
    builds: list[str] = []

    def build(*args: Any, **kwargs: Any) -> Any:
        result = real_build(*args, **kwargs)
        builds.append((root / "posts/a.md").read_text("utf-8"))
        if len(builds) == 2:  # the rebuild after the first save: it has read the files
            for n in range(1, 5):
                save(root, f"Save {n} of 4 during the build.")
                time.sleep(0.05)
        return result

    monkeypatch.setattr(serve_module, "build", build)
    url = preview(root)
    save(root, "First save.")
    wait_for(lambda: "Save 4 of 4 during the build." in fetch(url + PAGE)[1])
    wait_for(lambda: server_state(url)["error"] is None)
    time.sleep(1.0)  # any further build would have started by now
    assert 3 <= len(builds) <= 4, builds  # coalesced: not one build per save


def test_a_save_made_during_the_first_build_is_built(
    make_site: Make, preview: Start, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first build runs before the watcher starts; a save made meanwhile is not lost."""
    root = make_site({"posts/a.md": post_text(TITLE, DATE, body="Before serve.")})
    real_build = serve_module.build

    def build(*args: Any, **kwargs: Any) -> Any:
        result = real_build(*args, **kwargs)
        if "Before serve." in (root / "posts/a.md").read_text("utf-8"):
            save(root, "Saved during the first build.")
        return result

    monkeypatch.setattr(serve_module, "build", build)
    url = preview(root)
    wait_for(lambda: "Saved during the first build." in fetch(url + PAGE)[1])


# -- the error overlay ------------------------------------------------------------

CONTRAST = """() => {
    const rgba = (text) => {
        const parts = text.match(/[\\d.]+/g).map(Number);
        return [parts[0], parts[1], parts[2], parts.length > 3 ? parts[3] : 1];
    };
    const over = (top, below) => top.slice(0, 3).map(
        (c, i) => c * top[3] + below[i] * (1 - top[3])).concat([1]);
    const backdrop = (element) => {
        const layers = [];
        for (let e = element; e; e = e.parentElement) {
            const colour = rgba(getComputedStyle(e).backgroundColor);
            if (colour[3] > 0) layers.push(colour);
            if (colour[3] >= 1) break;
        }
        return layers.reverse().reduce((below, top) => over(top, below), [255, 255, 255, 1]);
    };
    const luminance = (c) => {
        const [r, g, b] = c.slice(0, 3).map((v) => {
            v /= 255;
            return v <= 0.04045 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
        });
        return 0.2126 * r + 0.7152 * g + 0.0722 * b;
    };
    const overlay = document.querySelector("#sitegen-error");
    return [overlay, ...overlay.querySelectorAll("*")]
        .filter((e) => [...e.childNodes].some((n) => n.nodeType === 3 && n.data.trim()))
        .map((e) => {
            const back = backdrop(e);
            const fore = over(rgba(getComputedStyle(e).color), back);
            const [hi, lo] = [luminance(fore), luminance(back)].sort((a, b) => b - a);
            return {element: e.tagName.toLowerCase(), ratio: (hi + 0.05) / (lo + 0.05)};
        });
}"""


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_error_overlay_is_readable_in_both_colour_schemes(
    make_site: Make, preview: Start, scheme: str
) -> None:
    """Its title and the error text (a ``pre``, which the theme styles) meet WCAG AA."""
    require_browser()
    require_tool("axe-core", AXE.is_file(), "`npm install --prefix .tools axe-core`")
    root = make_site({"posts/a.md": post_text(TITLE, DATE, body="Fine.")})
    url = preview(root)
    with browser_page((1024, 768), color_scheme=scheme) as (page, _):
        page.goto(url + PAGE)
        assert page.evaluate(f"matchMedia('(prefers-color-scheme: {scheme})').matches")
        (root / "posts/b.md").write_text("---\ntitle: [oops\n---\n", encoding="utf-8")
        page.wait_for_selector("#sitegen-error", timeout=15000)
        assert "posts/b.md:" in page.inner_text("#sitegen-error pre")
        ratios = page.evaluate(CONTRAST)
        assert {r["element"] for r in ratios} >= {"h2", "pre"}
        assert all(r["ratio"] >= 4.5 for r in ratios), ratios
        page.add_script_tag(path=str(AXE))
        violations = page.evaluate(
            """async () => (await axe.run({include: [["#sitegen-error"]]},
                {runOnly: {type: "rule", values: ["color-contrast"]}})).violations
                .map((v) => v.nodes.map((n) => n.failureSummary))"""
        )
        assert violations == []
        save_artifact(f"serve/error-overlay-{scheme}.png", page.screenshot())
