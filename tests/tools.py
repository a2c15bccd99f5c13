"""Helpers for tests that need external tools: the W3C Nu HTML checker and Chromium.

Import from test modules as ``from tools import ...`` (``tests/conftest.py`` puts this
directory on ``sys.path``).

Every test that needs a tool calls :func:`require_tool` (or one of the ``require_*``
shortcuts) first. Locally a missing tool skips the test; with the environment
variable ``SITEGEN_REQUIRE_TOOLS`` set (CI does this, see ``.ci/run``) it fails it,
so CI can never go green by silently skipping.

Tools are found like this:

* Java: ``java`` on ``PATH``.
* vnu.jar: ``$VNU_JAR``, else ``.tools/node_modules/vnu-jar/build/dist/vnu.jar``
  (``npm install --prefix .tools vnu-jar@VERSION``, done by ``.ci/run``).
* Chromium: ``/usr/bin/chromium`` (Debian package ``chromium``), else ``chromium``
  on ``PATH``; driven through the ``playwright`` Python package with
  ``executable_path`` (Playwright's own browser download is not used).
"""

from __future__ import annotations

import atexit
import contextlib
import functools
import importlib.util
import json
import os
import shutil
import subprocess
import tempfile
import threading
import urllib.parse
from collections.abc import Iterable, Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

TESTS_DIR = Path(__file__).resolve().parent
REPO_ROOT = TESTS_DIR.parent
ARTIFACTS_DIR = TESTS_DIR / "artifacts"
VNU_JAR_IN_REPO = REPO_ROOT / ".tools" / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"

_FALSE_VALUES = {"", "0", "false", "no", "off"}


# --------------------------------------------------------------------------- tools


def tools_required() -> bool:
    """True when ``SITEGEN_REQUIRE_TOOLS`` is set (to anything but 0/false/no/off)."""
    return os.environ.get("SITEGEN_REQUIRE_TOOLS", "").strip().lower() not in _FALSE_VALUES


def require_tool(name: str, available: bool, why: str) -> None:
    """Skip the calling test if a tool is missing, or fail it when tools are required.

    ``why`` says what the tool is for or how to get it; it ends up in the report.
    """
    if available:
        return
    message = f"{name} is not available: {why}"
    if tools_required():
        pytest.fail(f"{message} (SITEGEN_REQUIRE_TOOLS is set)", pytrace=False)
    pytest.skip(message)


def java_path() -> str | None:
    """The ``java`` executable on PATH, or None."""
    return shutil.which("java")


def vnu_jar() -> Path | None:
    """The Nu HTML checker jar: ``$VNU_JAR`` if set, else the copy in ``.tools/``."""
    env = os.environ.get("VNU_JAR")
    if env:
        return Path(env)
    if VNU_JAR_IN_REPO.is_file():
        return VNU_JAR_IN_REPO
    return None


def chromium_path() -> str | None:
    """The Chromium executable: ``/usr/bin/chromium`` or ``chromium`` on PATH."""
    if os.access("/usr/bin/chromium", os.X_OK):
        return "/usr/bin/chromium"
    return shutil.which("chromium")


def playwright_available() -> bool:
    return importlib.util.find_spec("playwright") is not None


def require_vnu() -> None:
    """require_tool() for everything validate_html() needs."""
    require_tool("java", java_path() is not None, "needed to run the Nu HTML checker")
    jar = vnu_jar()
    require_tool(
        "vnu.jar",
        jar is not None and jar.is_file(),
        "the W3C Nu HTML checker; run `npm install --prefix .tools vnu-jar` or set VNU_JAR",
    )


def require_browser() -> None:
    """require_tool() for everything browser_page() needs."""
    require_tool("playwright", playwright_available(), "`pip install playwright`")
    require_tool("chromium", chromium_path() is not None, "`apt-get install chromium`")


# ----------------------------------------------------------------- HTML validation

# vnu silently ignores files it cannot open (a missing file, or a non-ASCII name
# that Java could not decode because the process runs in an ASCII locale): no
# message, exit status 0. To catch that, every run also checks this invalid
# document in a non-ASCII directory and insists that it is reported.
_SENTINEL_DIR = "проверка-تحقق"
_SENTINEL_HTML = "<!DOCTYPE html>\n<p>sentinel: no html lang, no title\n"

# Stay far below the kernel's argument-size limit; a site of a few thousand pages
# still goes through in one java start.
_MAX_ARGS_CHARS = 500_000


def _utf8_env() -> dict[str, str]:
    env = dict(os.environ)
    # Java decodes file names with the locale's charset: in the C/POSIX locale a
    # non-ASCII path turns into '?'s and the file is silently skipped.
    env["LC_ALL"] = "C.UTF-8"
    env["LANG"] = "C.UTF-8"
    return env


def _batches(args: list[str]) -> Iterator[list[str]]:
    batch: list[str] = []
    size = 0
    for arg in args:
        if batch and size + len(arg) + 1 > _MAX_ARGS_CHARS:
            yield batch
            batch, size = [], 0
        batch.append(arg)
        size += len(arg) + 1
    if batch:
        yield batch


def _url_to_path(url: str) -> str:
    """``file:/a/b%20c/حلب/index.html`` -> ``/a/b c/حلب/index.html``."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme != "file":
        return url
    return urllib.parse.unquote(parts.path, errors="surrogateescape")


def _run_vnu(jar: Path, files: list[str]) -> list[dict[str, Any]]:
    java = java_path()
    if java is None:
        raise RuntimeError("validate_html: java not found on PATH")
    cmd = [
        java,
        "-Xss4m",  # deeply nested documents can overflow the default stack
        "-Dfile.encoding=UTF-8",
        "-jar",
        str(jar),
        "--errors-only",
        "--format",
        "json",
        "--stdout",  # the report on stdout, JVM chatter stays on stderr
        *files,  # absolute paths, so none can be mistaken for an option
    ]
    proc = subprocess.run(
        cmd, capture_output=True, env=_utf8_env(), stdin=subprocess.DEVNULL, timeout=900
    )
    if proc.returncode not in (0, 1):
        raise RuntimeError(
            f"vnu exited with status {proc.returncode}:\n"
            f"{proc.stderr.decode('utf-8', 'replace')}\n{proc.stdout.decode('utf-8', 'replace')}"
        )
    try:
        report = json.loads(proc.stdout.decode("utf-8"))
    except ValueError as exc:
        raise RuntimeError(
            f"vnu did not print a JSON report ({exc}):\n"
            f"stdout: {proc.stdout[:2000].decode('utf-8', 'replace')}\n"
            f"stderr: {proc.stderr[:2000].decode('utf-8', 'replace')}"
        ) from exc
    return list(report.get("messages", []))


def validate_html(paths: Iterable[Path | str]) -> list[str]:
    """Check HTML files with the W3C Nu HTML checker; return its errors.

    All files are checked by one ``java`` process (it takes seconds to start).
    Returns one ``"file:line:col: message"`` string per message of type ``error`` or
    ``non-document-error``, where ``file`` is the path as given. Warnings and info
    messages are not reported. Raises FileNotFoundError for a missing file and
    RuntimeError when the checker cannot run. Call :func:`require_vnu` first.
    """
    given = [Path(p) for p in paths]
    if not given:
        return []
    missing = [str(p) for p in given if not p.is_file()]
    if missing:
        raise FileNotFoundError(f"validate_html: no such file(s): {', '.join(missing)}")
    jar = vnu_jar()
    if jar is None or not jar.is_file():
        raise RuntimeError("validate_html: vnu.jar not found (set VNU_JAR or see .ci/run)")

    # vnu reports absolute file: URLs; map them back to the paths as given.
    display: dict[str, str] = {}
    args: list[str] = []
    for p in given:
        absolute = os.path.abspath(p)
        if absolute not in display:
            args.append(absolute)
        display.setdefault(absolute, str(p))
        display.setdefault(os.path.realpath(p), str(p))

    errors: list[str] = []
    with tempfile.TemporaryDirectory(prefix="sitegen-vnu-") as tmp:
        sentinel = Path(tmp) / _SENTINEL_DIR / "sentinel.html"
        sentinel.parent.mkdir()
        sentinel.write_text(_SENTINEL_HTML, encoding="utf-8")
        sentinel_keys = {str(sentinel), os.path.realpath(sentinel)}

        for batch in _batches(args):
            messages = _run_vnu(jar, [str(sentinel), *batch])
            sentinel_seen = False
            for msg in messages:
                if msg.get("type") not in ("error", "non-document-error"):
                    continue
                url = msg.get("url")
                path = _url_to_path(url) if url else None
                if path in sentinel_keys:
                    sentinel_seen = True
                    continue
                errors.append(_format_message(msg, display.get(path, path) if path else None))
            if not sentinel_seen:
                raise RuntimeError(
                    "vnu did not report the known-invalid sentinel document; it is probably "
                    "skipping files it cannot open (non-ASCII names in a non-UTF-8 locale?)"
                )
    return errors


def _format_message(msg: dict[str, Any], file: str | None) -> str:
    text = " ".join(str(msg.get("message", "")).split())
    if msg.get("type") == "non-document-error":
        text = f"[{msg.get('subType', 'non-document-error')}] {text}"
    line = msg.get("firstLine", msg.get("lastLine"))
    col = msg.get("firstColumn", msg.get("lastColumn"))
    where = file or "vnu"
    if line is not None:
        where += f":{line}"
        if col is not None:
            where += f":{col}"
    return f"{where}: {text}"


def html_files(root: Path) -> list[Path]:
    """Every ``*.html`` file under ``root``, sorted."""
    return sorted(p for p in root.rglob("*.html") if p.is_file())


# ------------------------------------------------------------------- HTTP server


class _QuietHandler(SimpleHTTPRequestHandler):
    extensions_map = {  # noqa: RUF012 - same shape as the base class attribute
        **SimpleHTTPRequestHandler.extensions_map,
        ".geojson": "application/geo+json",
        ".xml": "application/xml",
        ".js": "text/javascript",
        ".css": "text/css",
        ".svg": "image/svg+xml",
        ".webmanifest": "application/manifest+json",
    }

    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextlib.contextmanager
def serve_directory(root: Path) -> Iterator[str]:
    """Serve ``root`` over HTTP on 127.0.0.1 (a free port) in a background thread.

    Yields the base URL, ``http://127.0.0.1:PORT/``. ``/dir/`` serves
    ``dir/index.html``, like the pretty URLs sitegen writes.
    """
    handler = functools.partial(_QuietHandler, directory=str(root))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name="serve_directory", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


# ----------------------------------------------------------------------- browser

CHROMIUM_ARGS = [
    "--no-sandbox",  # CI runs as root; Chromium refuses to start sandboxed as root
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",  # containers often have a tiny /dev/shm
]

_LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1", "[::1]"}

# A 1x1 transparent PNG, served in place of blocked external images (map tiles).
_BLANK_PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
    "0000000b49444154789c6360000200000500017a5eab3f0000000049454e44ae426082"
)


class PageErrors(list):
    """The console errors and uncaught page errors seen so far, as strings.

    ``external_requests`` lists the URLs of requests to hosts other than 127.0.0.1
    that were answered locally with an empty response (see ``browser_page``).
    """

    def __init__(self) -> None:
        super().__init__()
        self.external_requests: list[str] = []


@contextlib.contextmanager
def browser_page(
    viewport: tuple[int, int] = (1280, 800),
    *,
    offline: bool = True,
    device_scale_factor: float = 1,
    locale: str = "en-US",
    timezone_id: str = "UTC",
    **context_options: Any,
) -> Iterator[tuple[Any, PageErrors]]:
    """A headless Chromium page (Playwright, sync API); yields ``(page, errors)``.

    ``errors`` collects every ``console.error`` message (including "Failed to load
    resource" for 404s) and every uncaught exception, as readable strings.

    With ``offline`` (the default) requests to any host but 127.0.0.1/localhost never
    leave the machine: images get a transparent 1x1 PNG, everything else an empty
    200 response, and the URL is recorded in ``errors.external_requests``. CI has no
    general network access, and this keeps e.g. map tiles from turning into errors.
    Call :func:`require_browser` first.
    """
    errors = PageErrors()
    width, height = viewport
    context = _shared_browser().new_context(
        viewport={"width": width, "height": height},
        device_scale_factor=device_scale_factor,
        locale=locale,
        timezone_id=timezone_id,
        **context_options,
    )
    try:
        if offline:
            context.route("**/*", functools.partial(_route_offline, errors))
        page = context.new_page()
        page.on("console", functools.partial(_on_console, errors))
        page.on("pageerror", lambda exc: errors.append(f"pageerror: {exc}"))
        page.on("crash", lambda _page: errors.append("crash: the page crashed"))
        yield page, errors
    finally:
        context.close()


_SHARED: dict[str, Any] = {}  # one Playwright and one Chromium per test process


def _shared_browser() -> Any:
    """The test process's Chromium, launched once (a launch costs about a second, and the
    suite opens pages some three hundred times); each page gets a context of its own, as
    isolated as a fresh browser (cookies, cache, storage).  Launched again if it died."""
    browser = _SHARED.get("browser")
    if browser is not None and browser.is_connected():
        return browser
    executable = chromium_path()
    if executable is None:
        raise RuntimeError("browser_page: chromium not found")
    if "playwright" not in _SHARED:
        from playwright.sync_api import sync_playwright

        _SHARED["playwright"] = sync_playwright().start()
        atexit.register(_stop_shared_browser)
    browser = _SHARED["playwright"].chromium.launch(
        executable_path=executable, headless=True, args=CHROMIUM_ARGS
    )
    _SHARED["browser"] = browser
    return browser


def _stop_shared_browser() -> None:
    with contextlib.suppress(Exception):
        if (browser := _SHARED.pop("browser", None)) is not None:
            browser.close()
    with contextlib.suppress(Exception):
        if (playwright := _SHARED.pop("playwright", None)) is not None:
            playwright.stop()


def _on_console(errors: PageErrors, msg: Any) -> None:
    if msg.type != "error":
        return
    loc = msg.location or {}
    where = loc.get("url") or ""
    if where and loc.get("lineNumber") is not None:
        where += f":{loc['lineNumber'] + 1}"
    errors.append(f"console.error: {msg.text}" + (f" ({where})" if where else ""))


def _route_offline(errors: PageErrors, route: Any) -> None:
    request = route.request
    parts = urllib.parse.urlsplit(request.url)
    if parts.scheme not in ("http", "https", "ws", "wss") or parts.hostname in _LOCAL_HOSTS:
        route.continue_()
        return
    errors.external_requests.append(request.url)
    kind = request.resource_type
    if kind == "image":
        route.fulfill(status=200, content_type="image/png", body=_BLANK_PNG)
    elif kind == "stylesheet":
        route.fulfill(status=200, content_type="text/css", body="")
    elif kind == "script":
        route.fulfill(status=200, content_type="text/javascript", body="")
    else:
        route.fulfill(status=200, content_type="text/plain", body="")


# --------------------------------------------------------------------- artifacts


def save_artifact(name: str, data: bytes) -> Path:
    """Write ``data`` to ``tests/artifacts/<name>`` (git-ignored); return the path."""
    relative = Path(name)
    if relative.is_absolute() or ".." in relative.parts or not relative.parts:
        raise ValueError(f"save_artifact: {name!r} must be a relative path inside artifacts/")
    path = ARTIFACTS_DIR / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


# ----------------------------------------------------------------- the preview server


def fetch(url: str) -> tuple[int, str]:
    """(status, body) of a GET; status 0 when nothing answers."""
    import urllib.error
    import urllib.request

    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode("utf-8")
    except OSError:
        return 0, ""


def wait_for(condition: Any, seconds: float = 15.0) -> None:
    """Until ``condition()`` is true, checked every 50 ms; AssertionError after ``seconds``."""
    import time

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    raise AssertionError("condition not met in time")


def server_state(url: str) -> dict[str, Any]:
    """The preview server's current build state: the first event of its event stream."""
    import urllib.request

    with urllib.request.urlopen(url + "__sitegen/events", timeout=5) as response:
        for raw in response:
            line = raw.decode("utf-8").strip()
            if line.startswith("data: "):
                return json.loads(line[6:])
    raise AssertionError("no event")


# ----------------------------------------------------------------- one body, read


def body_reader(make_site: Any, head: str) -> Any:
    """``read(body)``: the PostResult of ``posts/x.md`` made of ``head`` (front matter) and
    ``body``, in a site made with ``make_site`` (no theme)."""
    from sitegen.markup.sitrep import MarkdownRenderer
    from sitegen.read.config import load_config
    from sitegen.read.posts import read_post

    config = load_config(make_site(theme=False))
    renderer = MarkdownRenderer()
    return lambda body: read_post("posts/x.md", (head + body).encode(), config, renderer)


def messages(result: Any) -> list[str]:
    """A PostResult's problems as the CLI prints them, in order."""
    return [str(p) for p in sorted(result.problems)]
