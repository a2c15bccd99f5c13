"""``sitegen serve``: build, serve on loopback, rebuild on change, reload open pages.

The build goes to ``.sitegen-cache/serve/`` with ``base_url`` pointing at the
server, never into the real output, so a preview cannot leak into a deploy.
The reload script is injected into HTML responses by the server only; built
files never contain it.  A content error is printed and shown in the browser as
an overlay, and the server carries on until the file is fixed.
"""

from __future__ import annotations

import json
import signal
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import watchfiles

from sitegen.commands.build import BuildOptions, BuildResult, build
from sitegen.errors import SitegenError, UsageError
from sitegen.incremental.store import CACHE_DIR
from sitegen.read.config import CONFIG_FILE

EVENTS = "/__sitegen/events"
SCRIPT = "/__sitegen/reload.js"
KEEPALIVE_SECONDS = 10.0
WATCHED = ("posts", "pages", "templates", "static")

RELOAD_JS = """\
(function () {
  "use strict";
  var overlay = null;
  function hide() { if (overlay) { overlay.remove(); overlay = null; } }
  function show(message) {
    hide();
    overlay = document.createElement("div");
    overlay.id = "sitegen-error";
    overlay.setAttribute("role", "alert");
    overlay.style.cssText = "position:fixed;inset:0;z-index:100000;overflow:auto;" +
      "background:rgba(20,20,20,.94);color:#fff;font:14px/1.5 ui-monospace,monospace;padding:2rem;";
    var title = document.createElement("h2");
    title.textContent = "sitegen: the site could not be built";
    title.style.cssText = "margin:0 0 1rem;font:600 18px system-ui,sans-serif;color:#ff8a80;";
    var pre = document.createElement("pre");
    pre.textContent = message;
    pre.style.cssText = "white-space:pre-wrap;margin:0;";
    overlay.appendChild(title);
    overlay.appendChild(pre);
    document.body.appendChild(overlay);
  }
  var first = null;
  var source = new EventSource("__EVENTS__");
  source.addEventListener("state", function (event) {
    var state = JSON.parse(event.data);
    if (first === null) { first = state.generation; }
    if (state.error) { show(state.error); return; }
    if (state.generation !== first) { window.location.reload(); return; }
    hide();
  });
})();
""".replace("__EVENTS__", EVENTS)


class Broadcast:
    """The latest build state; SSE handlers wait on it for the next generation."""

    def __init__(self) -> None:
        self.condition = threading.Condition()
        self.generation = 0
        self.error: str | None = None
        self.closed = False

    def publish(self, error: str | None) -> None:
        with self.condition:
            self.generation += 1
            self.error = error
            self.condition.notify_all()

    def close(self) -> None:
        with self.condition:
            self.closed = True
            self.condition.notify_all()

    def state(self) -> dict[str, object]:
        return {"generation": self.generation, "error": self.error}

    def wait_after(self, generation: int, timeout: float) -> dict[str, object] | None:
        with self.condition:
            self.condition.wait_for(
                lambda: self.closed or self.generation != generation, timeout=timeout
            )
            return None if self.closed else self.state()


class Handler(SimpleHTTPRequestHandler):
    """Static files of the preview, no directory listings, nothing outside the output."""

    def __init__(
        self, *args: object, broadcast: Broadcast, verbose: bool, **kwargs: object
    ) -> None:
        self.broadcast = broadcast
        self.verbose = verbose
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]

    def do_GET(self) -> None:
        path = self.path.split("?", 1)[0]
        if path == EVENTS:
            self.events()
        elif path == SCRIPT:
            self.send_bytes(RELOAD_JS.encode(), "text/javascript; charset=utf-8")
        else:
            super().do_GET()

    def translate_path(self, path: str) -> str:
        translated = Path(super().translate_path(path))
        root = Path(self.directory).resolve()
        try:
            resolved = translated.resolve()
        except OSError:
            return str(root / "\x00missing")
        if not resolved.is_relative_to(root):
            return str(root / "\x00outside")
        return str(translated)

    def list_directory(self, path: str) -> None:  # type: ignore[override]
        self.not_found()
        return None

    def send_head(self):  # type: ignore[no-untyped-def]
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            if not self.path.split("?", 1)[0].endswith("/"):
                return super().send_head()  # the standard redirect to the slash form
            path = path / "index.html"
        if not path.is_file():
            self.not_found()
            return None
        if path.suffix == ".html":
            self.send_bytes(inject(path.read_bytes()), "text/html; charset=utf-8")
            return None
        return super().send_head()

    def not_found(self) -> None:
        page = Path(self.directory) / "404.html"
        body = inject(page.read_bytes()) if page.is_file() else b"Not found"
        self.send_bytes(body, "text/html; charset=utf-8", status=HTTPStatus.NOT_FOUND)

    def send_bytes(
        self, body: bytes, content_type: str, status: HTTPStatus = HTTPStatus.OK
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def events(self) -> None:
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        state: dict[str, object] | None = self.broadcast.state()
        try:
            while state is not None:
                self.wfile.write(f"event: state\ndata: {json.dumps(state)}\n\n".encode())
                self.wfile.flush()
                seen = int(state["generation"])  # type: ignore[call-overload]
                state = self.broadcast.wait_after(seen, KEEPALIVE_SECONDS)
                while state is not None and state["generation"] == seen:
                    self.wfile.write(b": keepalive\n\n")
                    self.wfile.flush()
                    state = self.broadcast.wait_after(seen, KEEPALIVE_SECONDS)
        except (BrokenPipeError, ConnectionResetError):
            return

    def log_message(self, format: str, *args: object) -> None:
        if self.verbose:
            sys.stderr.write(f"{self.address_string()} {format % args}\n")


def inject(html: bytes) -> bytes:
    """The page with the reload script before ``</body>`` (served only, never built)."""
    tag = f'<script src="{SCRIPT}"></script>'.encode()
    index = html.rfind(b"</body>")
    return html[:index] + tag + html[index:] if index >= 0 else html + tag


def watch_filter(root: Path) -> Callable[[watchfiles.Change, str], bool]:
    watched = [root / name for name in WATCHED]
    config = root / CONFIG_FILE

    def accept(change: watchfiles.Change, path: str) -> bool:
        candidate = Path(path)
        if candidate == config:
            return True
        name = candidate.name
        if name.startswith(".#") or name.endswith(("~", ".swp", ".swx")):
            return False
        return any(candidate.is_relative_to(w) for w in watched)

    return accept


def preview_options(root: Path, url: str, drafts: bool, future: bool) -> BuildOptions:
    """How serve builds: into the cache's ``serve/`` folder, for the server's own URL."""
    return BuildOptions(output=preview_dir(root), drafts=drafts, future=future, base_url=url)


def preview_dir(root: Path) -> Path:
    return root / CACHE_DIR / "serve"


@dataclass(frozen=True)
class Rebuilder:
    """Builds the preview and tells the open pages: reload, or show the error."""

    root: Path
    options: BuildOptions
    broadcast: Broadcast
    quiet: bool

    def __call__(self, reason: str) -> None:
        started = time.perf_counter()
        try:
            result: BuildResult = build(self.root, self.options)
        except SitegenError as exc:
            text = "\n".join(str(p) for p in exc.problems) or str(exc)
            print(text, file=sys.stderr, flush=True)
            self.broadcast.publish(text)
            return
        for warning in result.warnings:
            self.report(str(warning))
        self.report(
            f"{reason}: {result.posts} post{'s' if result.posts != 1 else ''} "
            f"({result.converted} converted), "
            f"{result.written} files changed in {time.perf_counter() - started:.2f}s"
        )
        self.broadcast.publish(None)

    def report(self, text: str) -> None:
        if not self.quiet:
            print(text, flush=True)


def serve(
    root: Path,
    host: str = "127.0.0.1",
    port: int = 8000,
    drafts: bool = False,
    future: bool = False,
    quiet: bool = False,
    verbose: bool = False,
    stop: threading.Event | None = None,
) -> int:
    """Serve until Ctrl-C, SIGTERM or ``stop``; returns the exit status."""
    root = root.resolve()
    broadcast = Broadcast()
    output = preview_dir(root)
    handler = partial(Handler, directory=str(output), broadcast=broadcast, verbose=verbose)
    try:
        server = ThreadingHTTPServer((host, port), handler)
    except OSError as exc:
        raise UsageError(
            f"cannot listen on {host}:{port} ({exc.strerror}); try another --port, or --port 0"
        ) from None
    server.daemon_threads = True
    url = f"http://{host}:{server.server_address[1]}/"
    rebuild = Rebuilder(root, preview_options(root, url, drafts, future), broadcast, quiet)
    stop = stop or threading.Event()
    output.mkdir(parents=True, exist_ok=True)
    rebuild("Built")
    thread = threading.Thread(target=server.serve_forever, name="sitegen-serve", daemon=True)
    thread.start()
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, lambda *_: stop.set())
    rebuild.report(f"Serving {root} at {url} (Ctrl-C to stop)")
    try:
        for changes in watchfiles.watch(
            root, watch_filter=watch_filter(root), stop_event=stop, debounce=200, step=50
        ):
            names = sorted({Path(p).relative_to(root).as_posix() for _, p in changes})
            rebuild("Rebuilt after " + ", ".join(names[:3]) + (" ..." if len(names) > 3 else ""))
    except KeyboardInterrupt:
        pass
    finally:
        broadcast.close()
        server.shutdown()
        server.server_close()
    rebuild.report("Stopped.")
    return 0
