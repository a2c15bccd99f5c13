"""The build as one plan: one context, one plan shared by build and check, one cache.

Regression tests for what the earlier shape got wrong: serve ignored --future,
serve and build evicted each other's cache, check passed what build refused,
and a library upgrade left cached results trusted.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import NOW, post_text
from test_commands import fetch, wait_for

from sitegen.cli import main
from sitegen.commands import serve as serve_module
from sitegen.commands.build import BuildOptions, build, check
from sitegen.errors import ContentError
from sitegen.incremental import context as context_module

Make = Callable[..., Path]


def test_serve_future_shows_posts_dated_in_the_future(
    make_site: Make, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``sitegen serve --future`` builds the preview with future posts (it was ignored)."""
    root = make_site(
        {
            "posts/now.md": post_text("Now", "2026-01-01"),
            "posts/later.md": post_text("Later", "2099-01-01"),
        }
    )
    stop, ready = threading.Event(), threading.Event()
    address: dict[str, int] = {}
    original_server, original_serve = serve_module.ThreadingHTTPServer, serve_module.serve

    class Recording(original_server):  # type: ignore[misc, valid-type]
        def __init__(self, *args: object, **kwargs: object) -> None:
            super().__init__(*args, **kwargs)
            address["port"] = self.server_address[1]
            ready.set()

    def stoppable(*args: object, **kwargs: object) -> int:
        return original_serve(*args, **kwargs, stop=stop)  # type: ignore[arg-type]

    monkeypatch.setattr(serve_module, "ThreadingHTTPServer", Recording)
    monkeypatch.setattr(serve_module, "serve", stoppable)
    argv = ["-s", str(root), "serve", "--future", "--port", "0", "-q"]
    thread = threading.Thread(target=main, args=(argv,))
    thread.start()
    try:
        assert ready.wait(10)
        url = f"http://127.0.0.1:{address['port']}/"
        wait_for(lambda: fetch(url)[0] == 200)
        assert fetch(url + "posts/later/")[0] == 200
        assert "Later" in fetch(url)[1]
    finally:
        stop.set()
        thread.join(10)
    assert not thread.is_alive()


def test_build_and_serve_share_the_converted_posts(make_site: Make, tmp_path: Path) -> None:
    """Alternating build / serve / build converts each post once, not on every switch."""
    root = make_site({f"posts/p{n}.md": post_text(f"Post {n}", f"2026-01-0{n}") for n in (1, 2, 3)})
    out = tmp_path / "out"

    def preview(port: int) -> BuildOptions:
        options = serve_module.preview_options(root, f"http://127.0.0.1:{port}/", False, False)
        return BuildOptions(**{**vars(options), "now": NOW, "jobs": 1})

    assert build(root, BuildOptions(output=out, now=NOW, jobs=1)).converted == 3
    assert build(root, preview(8000)).converted == 0
    (root / "posts/p1.md").write_text(post_text("Post 1", "2026-01-01", "Edited."), "utf-8")
    assert build(root, BuildOptions(output=out, now=NOW, jobs=1)).converted == 1
    assert build(root, preview(8001)).converted == 0  # another port: the same posts
    served = serve_module.preview_dir(root) / "feed.xml"
    assert "tag:127.0.0.1,2026-01-01:post-1" in served.read_text("utf-8")
    assert "tag:example.org,2026-01-01:post-1" in (out / "feed.xml").read_text("utf-8")


def test_check_refuses_what_build_refuses(
    make_site: Make, capsys: pytest.CaptureFixture[str]
) -> None:
    """An alias onto a static file: check and build decide collisions with the same plan."""
    root = make_site(
        {
            "posts/a.md": post_text("A", "2026-01-01", aliases="[/static/old.html]"),
            "static/old.html": "<p>old</p>",
        }
    )
    expected = "posts/a.md:4: aliases[0]: /static/old.html is also written by static/old.html"
    assert main(["-s", str(root), "check"]) == 1
    assert expected in capsys.readouterr().err
    assert main(["-s", str(root), "build"]) == 1
    assert expected in capsys.readouterr().err
    assert not (root / "_site").exists()
    with pytest.raises(ContentError):
        check(root, BuildOptions(now=NOW))


def test_a_new_library_version_trusts_nothing_cached(
    make_site: Make, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, rendered: list[str]
) -> None:
    """After an upgrade of a library that shapes output, posts and pages are made again."""
    root = make_site({f"posts/p{n}.md": post_text(f"Post {n}", f"2026-01-0{n}") for n in (1, 2)})
    out = tmp_path / "out"
    build(root, BuildOptions(output=out, now=NOW, jobs=1))
    rendered.clear()
    assert build(root, BuildOptions(output=out, now=NOW, jobs=1)).converted == 0
    assert rendered == []
    versions = context_module.dependency_versions()
    upgraded = tuple((n, v + ".1" if n == "markdown" else v) for n, v in versions)
    monkeypatch.setattr(context_module, "dependency_versions", lambda: upgraded)
    context_module.code_fingerprint.cache_clear()
    try:
        result = build(root, BuildOptions(output=out, now=NOW, jobs=1))
    finally:
        monkeypatch.undo()
        context_module.code_fingerprint.cache_clear()
    assert result.converted == 2
    assert "post.html" in rendered and "index.html" in rendered
