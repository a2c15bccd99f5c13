"""sitegen serve: no save is lost (by the server or by an open page), and the error overlay.

The preview server runs in a thread on 127.0.0.1 (a free port); pages are opened in
headless Chromium (``tools.browser_page``). Screenshots of the error overlay go to
tests/artifacts/serve/.
"""

from __future__ import annotations

import socket
import struct
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import post_text
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sitegen.commands import guard
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
AXE = REPO_ROOT / ".tools" / "node_modules" / "axe-core" / "axe.min.js"
LOOPS = 4  # the race is forced on every loop (a held file), so a few loops suffice
TITLE, DATE, PAGE = "Live", "2026-01-01", "posts/live/"


class Start:
    """``start(root)`` runs ``serve`` on a site in a thread and returns its URL.

    ``ended`` holds the client address of every connection the server is done with
    (after printing whatever it prints about it).
    """

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.monkeypatch = monkeypatch
        self.running: list[tuple[threading.Event, threading.Thread]] = []
        self.ended: set[tuple[str, int]] = set()
        self.port = 0

    def __call__(self, root: Path) -> str:
        ready = threading.Event()
        original = serve_module.ThreadingHTTPServer
        start = self

        class Recording(original):  # type: ignore[misc, valid-type]
            def __init__(self, *args: object, **kwargs: object) -> None:
                super().__init__(*args, **kwargs)
                start.port = self.server_address[1]
                ready.set()

            def process_request_thread(self, request: Any, client_address: Any) -> None:
                super().process_request_thread(request, client_address)
                start.ended.add(client_address)

        self.monkeypatch.setattr(serve_module, "ThreadingHTTPServer", Recording)
        stop = threading.Event()
        thread = threading.Thread(
            target=serve_module.serve,
            args=(root, "127.0.0.1", 0),
            kwargs={"quiet": True, "stop": stop},
            daemon=True,
        )
        thread.start()
        self.running.append((stop, thread))
        assert ready.wait(30)
        url = f"http://127.0.0.1:{self.port}/"
        wait_for(lambda: fetch(url)[0] != 0, 60)  # it listens once the first build is done
        return url

    def stop(self) -> None:
        for stop, thread in self.running:
            stop.set()
            thread.join(15)
            assert not thread.is_alive()


@pytest.fixture
def preview(monkeypatch: pytest.MonkeyPatch) -> Iterator[Start]:
    """Start ``serve`` on a site in a thread; returns its URL. Stopped after the test."""
    start = Start(monkeypatch)
    yield start
    start.stop()


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


# -- what the server answers, and to whom ----------------------------------------------


def exchange(port: int, request: bytes) -> tuple[int, dict[str, str], bytes]:
    """Send a raw request; (status, headers, body) of the answer (the server then closes)."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(request)
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    assert data, "the server closed the connection without an answer"
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = dict(line.split(": ", 1) for line in lines[1:])
    return int(lines[0].split()[1]), {k.lower(): v for k, v in headers.items()}, body


def get(port: int, target: bytes, *headers: str, version: str = "HTTP/1.1") -> tuple[int, bytes]:
    lines = [f"GET {target.decode('latin-1')} {version}", *headers, "Connection: close", "", ""]
    status, _, body = exchange(port, "\r\n".join(lines).encode("latin-1"))
    return status, body


def test_only_the_server_s_own_names_are_answered(make_site: Make, preview: Start) -> None:
    """DNS rebinding: a page of evil.example, its name pointed at 127.0.0.1, is refused."""
    root = make_site({"posts/a.md": post_text(TITLE, DATE, body="A draft.")})
    preview(root)
    port = preview.port
    hosts = {
        f"localhost:{port}": 200,
        f"LocalHost.:{port}": 200,  # any case, the root's dot
        "localhost": 200,
        f"127.0.0.1:{port}": 200,
        f"[::1]:{port}": 200,
        f"[0:0::1]:{port}": 200,
        f"evil.example:{port}": 421,
        "evil.example": 421,
        f"localhost.evil.example:{port}": 421,
        f"127.0.0.2:{port}": 421,
        f"[::2]:{port}": 421,
        f"evil.example@localhost:{port}": 400,  # not a host name
        f"::1:{port}": 400,  # an IPv6 address without its brackets
        "": 400,
    }
    answered = {host: get(port, b"/" + PAGE.encode(), f"Host: {host}")[0] for host in hosts}
    assert answered == hosts
    assert get(port, b"/", f"Host: localhost:{port}", f"Host: evil.example:{port}")[0] == 400
    assert get(port, b"/")[0] == 400  # HTTP/1.1 needs a Host header
    assert get(port, b"/", version="HTTP/1.0")[0] == 200  # no browser sends none


@pytest.mark.parametrize(
    "target", ["/", "/posts/live/", "/__sitegen/events", "/__sitegen/reload.js", "/nope"]
)
def test_a_refusal_tells_the_editor_why(make_site: Make, preview: Start, target: str) -> None:
    """The live-reload stream and script are refused as the pages are: one check for all."""
    root = make_site({"posts/a.md": post_text(TITLE, DATE, body="A draft.")})
    preview(root)
    port = preview.port
    request = f"GET {target} HTTP/1.1\r\nHost: evil.example:{port}\r\n\r\n".encode()
    status, headers, body = exchange(port, request)
    assert (status, headers["content-type"], body.decode()) == (
        421,
        "text/plain; charset=utf-8",
        f"sitegen serve answers only requests for localhost:{port}, 127.0.0.1:{port} or "
        f"[::1]:{port}, not for evil.example:{port}: a page under another name could read "
        "the preview (DNS rebinding).\n",
    )


BAD_PATHS = {
    "NUL": b"/%00",
    "NUL, not encoded": b"/posts/\x00/",
    "30,000 folders": b"/a" * 30_000,
    "a name longer than a file's": b"/" + b"a" * 300,
    "an encoded surrogate": b"/%ED%A0%80",
    "not UTF-8": b"/%FF",
    "a control character": b"/%1B[31m",
    "no slash": b"posts/live/",
}


@pytest.mark.parametrize("target", BAD_PATHS.values(), ids=BAD_PATHS.keys())
def test_a_path_no_file_can_have_is_a_bad_request(
    make_site: Make, preview: Start, capsys: pytest.CaptureFixture[str], target: bytes
) -> None:
    """400 and a line saying why; no traceback, no dropped connection; serving goes on."""
    root = make_site({"posts/a.md": post_text(TITLE, DATE, body="Fine.")})
    url = preview(root)
    status, body = get(preview.port, target, f"Host: localhost:{preview.port}")
    assert (status, body.decode()) == (
        400,
        "sitegen serve: no file of the site can have this path (a control character, "
        "not UTF-8, a name or a path too long, or too many folders).\n",
    )
    assert fetch(url + PAGE)[0] == 200
    assert capsys.readouterr().err == ""


PIECES = [
    "/",
    "%",
    "%00",
    "%2e",
    "%2F",
    "..",
    ".",
    "%ED%A0%80",
    "%FF",
    "%C3%A9",
    "é",
    "?",
    "#",
    "posts",
    "live",
    "index.html",
    "\\",
    "%25",
    "%0",
    "%G1",
    "\x7f",
    "\x85",
    ";",
]


def test_no_path_makes_the_server_fail(
    make_site: Make, preview: Start, capsys: pytest.CaptureFixture[str]
) -> None:
    """Paths made of the pieces that have crashed path mapping elsewhere: each is answered."""
    root = make_site({"posts/a.md": post_text(TITLE, DATE, body="Fine.")})
    preview(root)
    port = preview.port
    answers: set[int] = set()

    @settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
    @given(st.lists(st.sampled_from(PIECES), max_size=20).map("".join))
    def answered(path: str) -> None:
        status, _ = get(port, ("/" + path).encode(), f"Host: localhost:{port}")
        answers.add(status)
        assert status in (200, 301, 400, 404)
        assert capsys.readouterr().err == ""

    answered()
    assert 400 in answers and 200 in answers


def test_a_client_gone_mid_page_is_no_error(
    make_site: Make, preview: Start, capsys: pytest.CaptureFixture[str]
) -> None:
    """A reload while a large page is on its way: the server says nothing about it."""
    page = "<!doctype html><title>Big</title><body>" + "x" * (16 << 20) + "</body>"
    root = make_site({"posts/a.md": post_text(TITLE, DATE), "static/big.html": page})
    url = preview(root)
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)  # the page cannot fit in
    sock.connect(("127.0.0.1", preview.port))
    sock.sendall(
        f"GET /static/big.html HTTP/1.1\r\nHost: localhost:{preview.port}\r\n\r\n".encode()
    )
    assert sock.recv(4096).startswith(b"HTTP/1.0 200 OK\r\n")
    client = sock.getsockname()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    sock.close()  # a reset, as a browser's when it leaves a page
    wait_for(lambda: client in preview.ended)
    assert fetch(url + "posts/live/")[0] == 200
    assert capsys.readouterr().err == ""


def test_bound_to_every_interface_it_answers_the_machine_s_names_and_addresses(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """``--host 0.0.0.0``: a phone on the LAN opens the preview by IP address or host name."""
    monkeypatch.setattr(socket, "gethostname", lambda: "Desk.lan")
    monkeypatch.setattr(socket, "getfqdn", lambda: "desk.example.org")
    hosts = guard.hosts_for("0.0.0.0")
    names = ["desk", "desk.lan", "desk.local", "desk.example.org", "192.168.1.20", "[fe80::1]"]
    assert [n for n in [*names, "evil.example", "desk.evil.example"] if hosts.allows(n)] == names
    assert hosts.listing(8000) == (
        "localhost:8000, desk:8000, desk.example.org:8000, desk.lan:8000, desk.local:8000 "
        "or any IP address of this machine"
    )


@pytest.mark.parametrize(
    ("bound", "allowed", "refused", "listing"),
    [
        ("127.0.0.1", "[::ffff:127.0.0.1]", "127.0.0.2", "localhost:80, 127.0.0.1:80 or [::1]:80"),
        (
            "Preview.Test.",
            "preview.test",
            "test",
            "localhost:80, preview.test:80, 127.0.0.1:80 or [::1]:80",
        ),
        ("10.0.0.5", "10.0.0.5", "10.0.0.6", "localhost:80, 10.0.0.5:80, 127.0.0.1:80 or [::1]:80"),
    ],
)
def test_the_host_given_is_answered_besides_loopback(
    bound: str, allowed: str, refused: str, listing: str
) -> None:
    hosts = guard.hosts_for(bound)
    assert (hosts.allows(allowed), hosts.allows(refused), hosts.listing(80)) == (
        True,
        False,
        listing,
    )


@settings(max_examples=500, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    target=st.lists(st.sampled_from([*PIECES, "out", "a", "\x00"]), max_size=30).map("".join)
    | st.text(st.characters(max_codepoint=255), max_size=80)
)
def test_a_path_maps_inside_the_output_or_to_no_file(
    tmp_path_factory: pytest.TempPathFactory, target: str
) -> None:
    """Whatever the target (a request line is Latin-1), the mapping neither fails nor leaves."""
    root = tmp_path_factory.getbasetemp() / "map-output"
    if not root.exists():
        (root / "a").mkdir(parents=True)
        (root.parent / "secret").mkdir(exist_ok=True)
        (root / "out").symlink_to(root.parent / "secret")
    mapped = guard.output_path(root, "/" + target)
    assert guard.kind(Path(mapped)) in ("dir", "file", None)
    assert mapped == str(root / "\x00missing") or (
        Path(mapped).resolve().is_relative_to(root.resolve()) and "\x00" not in mapped
    )
