"""``sitegen serve``: build, serve on loopback, rebuild on change, reload open pages.

The build goes to ``.sitegen-cache/serve/`` with ``base_url`` pointing at the
server, never into the real output, so a preview cannot leak into a deploy.
The reload script is injected into HTML responses by the server only; built
files never contain it.  A content error is printed and shown in the browser as
an overlay, and the server carries on until the file is fixed.

No save is lost.  Every page served carries the build it was read from (its
``data-build``), read before the file, so a page is never older than its label;
the script reloads whenever the server's build differs from the page's, also
when that build finished while the page was on its way.  The watcher keeps the
saves made during a build, and the next build reads them all at once.
"""

from __future__ import annotations

import json
import secrets
import signal
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import partial
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import watchfiles

from sitegen.commands.build import SOURCES, BuildOptions, BuildResult, build
from sitegen.commands.guard import Hosts, hosts_for, kind, output_path, refusal
from sitegen.commands.summary import rebuilt
from sitegen.errors import SitegenError, UsageError
from sitegen.incremental.store import CACHE_DIR
from sitegen.incremental.trees import tree_digest
from sitegen.read.config import CONFIG_FILE

EVENTS = "/__sitegen/events"
SCRIPT = "/__sitegen/reload.js"
KEEPALIVE_SECONDS = 10.0
WATCHED = ("posts", "pages", "templates", "static")
IDLE_MS = 1000  # the watcher reports in at least this often (see ``watch``)
NOT_FOUND = (
    b'<!doctype html><html lang="en"><title>Not found</title><body><p>Not found</p></body></html>'
)

# Served, never built; read once (package data beside this module).
RELOAD_JS = (Path(__file__).with_name("reload.js").read_text("utf-8")).replace("__EVENTS__", EVENTS)


class Broadcast:
    """The latest build state; SSE handlers wait on it for the next change.

    ``generation`` counts the builds that changed the preview (a failed build
    leaves it as it was); ``build`` names one of them across server restarts.
    ``serial`` counts every change of state, failed builds included.
    """

    def __init__(self) -> None:
        self.condition = threading.Condition()
        self.server = secrets.token_hex(4)
        self.serial = 0
        self.generation = 0
        self.error: str | None = None
        self.closed = False

    def publish(self, error: str | None) -> None:
        with self.condition:
            self.serial += 1
            if error is None:
                self.generation += 1
            self.error = error
            self.condition.notify_all()

    def close(self) -> None:
        with self.condition:
            self.closed = True
            self.condition.notify_all()

    def build(self) -> str:
        """The name of the preview's current build, as pages carry it."""
        with self.condition:
            return f"{self.server}-{self.generation}"

    def state(self) -> tuple[int, dict[str, object]]:
        with self.condition:
            return self.serial, {
                "generation": self.generation,
                "build": f"{self.server}-{self.generation}",
                "error": self.error,
            }

    def wait_after(self, serial: int, timeout: float) -> tuple[int, dict[str, object]] | None:
        with self.condition:
            self.condition.wait_for(lambda: self.closed or self.serial != serial, timeout=timeout)
            return None if self.closed else self.state()


class Handler(SimpleHTTPRequestHandler):
    """Static files of the preview, no directory listings, nothing outside the output.

    Only requests for the server's own names, of paths a file can have, are
    answered (see ``guard``); a client gone mid-response is no error.
    """

    def __init__(
        self, *args: object, broadcast: Broadcast, hosts: Hosts, verbose: bool, **kwargs: object
    ) -> None:
        self.broadcast = broadcast
        self.hosts = hosts
        self.verbose = verbose
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]

    def handle_one_request(self) -> None:
        """One request; a client that goes away (a reload, a closed tab) is normal, not a bug.

        http.server treats a timeout here the same way; anything else is still
        printed with its traceback by the server's ``handle_error``.
        """
        try:
            super().handle_one_request()
        except (BrokenPipeError, ConnectionResetError, ConnectionAbortedError) as exc:
            self.close_connection = True
            self.log_message("%s: the client went away", type(exc).__name__)

    def parse_request(self) -> bool:
        """The request line and headers, then the guard, for every method and path."""
        if not super().parse_request():
            return False
        given = self.headers.get_all("Host") or []
        port = self.server.server_address[1]
        why = refusal(self.hosts, port, given, self.request_version, self.path)
        if why is None:
            return True
        status, text = why
        self.close_connection = True
        self.send_bytes(f"{text}\n".encode(), "text/plain; charset=utf-8", status)
        return False

    def do_GET(self) -> None:
        path = self.path.split("?", 1)[0]
        if path == EVENTS:
            self.events()
        elif path == SCRIPT:
            self.send_bytes(RELOAD_JS.encode(), "text/javascript; charset=utf-8")
        else:
            super().do_GET()

    def translate_path(self, path: str) -> str:
        return output_path(Path(self.directory), path)

    def list_directory(self, path: str) -> None:  # type: ignore[override]
        self.not_found()
        return None

    def send_head(self):  # type: ignore[no-untyped-def]
        translated = self.translate_path(self.path)
        path = Path(translated)
        if kind(path) == "dir":
            if not translated.endswith("/"):
                return super().send_head()  # the standard redirect to the slash form
            path = path / "index.html"
        elif translated.endswith("/"):
            path = path / "index.html"  # a file asked for as a folder: none
        if kind(path) != "file":
            self.not_found()
            return None
        if path.suffix != ".html":
            return super().send_head()
        build = self.broadcast.build()  # before the file: the page is at least this new
        try:
            html = path.read_bytes()
        except OSError:  # replaced by a build in between
            self.not_found()
            return None
        self.send_bytes(inject(html, build), "text/html; charset=utf-8")
        return None

    def not_found(self) -> None:
        page = Path(self.directory) / "404.html"
        build = self.broadcast.build()
        html = page.read_bytes() if page.is_file() else NOT_FOUND  # none if no build yet
        body = inject(html, build)
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
        current: tuple[int, dict[str, object]] | None = self.broadcast.state()
        while current is not None:  # until the page goes away (see handle_one_request)
            seen, state = current
            self.wfile.write(f"event: state\ndata: {json.dumps(state)}\n\n".encode())
            self.wfile.flush()
            current = self.broadcast.wait_after(seen, KEEPALIVE_SECONDS)
            while current is not None and current[0] == seen:
                self.wfile.write(b": keepalive\n\n")
                self.wfile.flush()
                current = self.broadcast.wait_after(seen, KEEPALIVE_SECONDS)

    def log_message(self, format: str, *args: object) -> None:
        if self.verbose:
            sys.stderr.write(f"{self.address_string()} {format % args}\n")


def inject(html: bytes, build: str) -> bytes:
    """The page with the reload script before ``</body>`` (served only, never built).

    ``build`` names the build the page was read from; the script compares it with
    the server's.
    """
    tag = f'<script src="{SCRIPT}" data-build="{build}"></script>'.encode()
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

    def __call__(self, reason: str) -> bool:
        """Build with the search index left for later; True if it is behind (``catch_up``)."""
        started = time.perf_counter()
        try:
            result: BuildResult = build(self.root, replace(self.options, index_later=True))
        except SitegenError as exc:
            text = "\n".join(str(p) for p in exc.problems) or str(exc)
            print(text, file=sys.stderr, flush=True)
            self.broadcast.publish(text)
            return False
        for warning in result.warnings:
            self.report(str(warning))
        self.report(rebuilt(reason, result, time.perf_counter() - started))
        self.broadcast.publish(None)
        return result.search_behind

    def catch_up(self) -> None:
        """Bring the search index up to the pages (after the page reloaded; committed whole)."""
        try:
            build(self.root, self.options)
        except SitegenError as exc:  # the pages are fine; the next save tries again
            print(f"search index: {exc}", file=sys.stderr, flush=True)

    def report(self, text: str) -> None:
        if not self.quiet:
            print(text, flush=True)


def watch(root: Path, rebuild: Rebuilder, stop: threading.Event, sources: str) -> None:
    """Rebuild after each batch of saves until ``stop``; no save is left unbuilt.

    Each rebuild commits the pages first (the page reloads) and leaves the search
    index behind; the first quiet moment after it (no save for a second) brings
    the index up to the pages, in a build of its own, committed whole.

    Saves made while a build runs are kept by the watcher and come out as the next
    batch, so the next build reads them all, as they are then.  The first build
    ran before the watcher started: once it is watching (its first report, a
    batch or an idle one), a save made in between is built if the sources differ
    from ``sources``, their digest taken before that first build.
    """
    first, behind = True, True  # the first build may have left the index behind too
    for changes in watchfiles.watch(
        root,
        watch_filter=watch_filter(root),
        stop_event=stop,
        debounce=200,
        step=50,
        rust_timeout=IDLE_MS,
        yield_on_timeout=True,
    ):
        if changes:
            names = sorted({Path(p).relative_to(root).as_posix() for _, p in changes})
            shown = ", ".join(names[:3]) + (" ..." if len(names) > 3 else "")
            behind = rebuild("Rebuilt after " + shown) or behind
        elif first and tree_digest(root, SOURCES)[0] != sources:
            behind = rebuild("Rebuilt after changes made during the first build") or behind
        elif behind:  # a quiet moment: the search index catches up with the pages
            rebuild.catch_up()
            behind = False
        first = False


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
    handler = partial(
        Handler, directory=str(output), broadcast=broadcast, hosts=hosts_for(host), verbose=verbose
    )
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
    sources = tree_digest(root, SOURCES)[0]  # as the first build will find them, or older
    rebuild("Built")
    thread = threading.Thread(target=server.serve_forever, name="sitegen-serve", daemon=True)
    thread.start()
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, lambda *_: stop.set())
    rebuild.report(f"Serving {root} at {url} (Ctrl-C to stop)")
    try:
        watch(root, rebuild, stop, sources)
    except KeyboardInterrupt:
        pass
    finally:
        broadcast.close()
        server.shutdown()
        server.server_close()
    rebuild.report("Stopped.")
    return 0
