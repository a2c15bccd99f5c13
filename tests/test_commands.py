"""The command line: exit codes, messages, init, new, and serve over HTTP."""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from conftest import post_text

from sitegen.cli import main
from sitegen.commands import serve as serve_module
from sitegen.commands.scaffold import init_site, new_post
from sitegen.read.config import load_config
from tools import fetch, server_state, wait_for

Make = Callable[..., Path]


def test_version_and_usage(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--version"]) == 0
    assert capsys.readouterr().out.startswith("sitegen ")
    assert main([]) == 2
    assert main(["build", "--bogus"]) == 2
    assert "unrecognized arguments: --bogus" in capsys.readouterr().err


def test_build_prints_one_summary_line(make_site: Make, capsys: pytest.CaptureFixture[str]) -> None:
    root = make_site({"posts/a.md": post_text("A", "2026-01-01")})
    assert main(["-s", str(root), "build", "-j", "1"]) == 0
    out = capsys.readouterr().out.strip().splitlines()
    assert len(out) == 1
    assert re.fullmatch(
        r"Built 1 post \(1 of 1 Markdown file converted\), \d+ files \(\d+ changed\) in .+ "
        r"in \d+\.\d\ds",
        out[0],
    )
    assert main(["-s", str(root), "build", "-q"]) == 0
    assert capsys.readouterr().out == ""
    assert main(["-s", str(root), "build", "-v"]) == 0
    assert "render" in capsys.readouterr().out
    assert main(["-s", str(root), "build", "--jobs", "0"]) == 2


def test_python_dash_m(make_site: Make) -> None:
    import subprocess
    import sys

    root = make_site({"posts/a.md": post_text("A", "2026-01-01")})
    done = subprocess.run(
        [sys.executable, "-m", "sitegen", "-s", str(root), "check"], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("Checked 1 post")


def test_init_makes_a_site_that_builds(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "new-desk"
    assert main(["init", str(target)]) == 0
    assert (target / "site.yaml").is_file()
    assert (target / "templates/post.html").is_file()
    assert (target / "static/vendor/leaflet/leaflet.js").is_file()
    ignored = (target / ".gitignore").read_text().splitlines()
    assert {"_site/", ".sitegen-cache/", ".*.sitegen-*"} <= set(ignored)
    assert len(list((target / "posts").rglob("*.md"))) == 1
    assert main(["-s", str(target), "build"]) == 0
    assert (target / "_site/posts/welcome-to-your-sitrep-desk/index.html").is_file()
    assert (target / "_site/locations/kyiv/index.html").is_file()
    assert (target / "_site/about/index.html").is_file()
    home = (target / "_site/index.html").read_text(encoding="utf-8")
    assert '<a href="/about/">About</a>' in home  # in the navigation
    capsys.readouterr()
    assert main(["init", str(target)]) == 2
    assert "already exists and is not empty" in capsys.readouterr().err


def test_new_post_and_next_in_series(make_site: Make, capsys: pytest.CaptureFixture[str]) -> None:
    root = make_site(
        {
            "site.yaml": "title: T\nbase_url: https://e.org/\ntimezone: Asia/Damascus\n"
            "taxonomies: [actors]\nplaces:\n  aleppo: {name: Aleppo, lat: 36.2, lon: 37.1}\n",
            "posts/s8.md": post_text(
                "'Aleppo SITREP 8'",
                "2016-12-01",
                series="Battle of Aleppo",
                series_index="8",
                tags="[old]",
            ),
            "posts/s9.md": post_text(
                "'Aleppo SITREP 9'",
                "2016-12-03",
                series="Battle of Aleppo",
                series_index="9",
                tags="[aleppo, NO]",
                actors="[SAA]",
                locations="[aleppo, {name: Al-Bab, local_name: الباب, lat: 36.37, lon: 37.52}]",
            ),
        }
    )
    now = datetime(2016, 12, 5, 9, 30, tzinfo=UTC)
    path = new_post(root, "Aleppo SITREP 10: Evacuation", "battle of aleppo", now=now)
    assert path == root / "posts/2016/aleppo-sitrep-10-evacuation.md"
    assert path.read_text(encoding="utf-8").startswith(
        "---\n"
        "title: 'Aleppo SITREP 10: Evacuation'\n"
        "date: '2016-12-05T11:30:00+02:00'\n"
        "draft: true\n"
        "series: Battle of Aleppo\n"
        "series_index: 10\n"
        "tags: [aleppo, 'NO']\n"
        "actors: [SAA]\n"
        "locations:\n"
        "- aleppo\n"
        "- name: Al-Bab\n"
        "  local_name: الباب\n"
        "  lat: 36.37\n"
        "  lon: 37.52\n"
        "---\n"
    )
    # The new file is a valid post (a draft) that reads back the same way.
    assert main(["-s", str(root), "check", "--drafts"]) == 0
    capsys.readouterr()
    with pytest.raises(Exception, match="already exists"):
        new_post(root, "Aleppo SITREP 10: Evacuation", now=now)
    assert main(["-s", str(root), "new", "Standalone"]) == 0
    assert "Wrote" in capsys.readouterr().out


def test_new_post_starts_a_series(make_site: Make) -> None:
    root = make_site()
    path = new_post(root, "Kherson SITREP 1", "Kherson", now=datetime(2026, 1, 1, tzinfo=UTC))
    text = path.read_text(encoding="utf-8")
    assert "series: Kherson\nseries_index: 1\n" in text
    assert load_config(root).title == "Test Desk"


def test_init_site_refuses_a_file(tmp_path: Path) -> None:
    (tmp_path / "f").write_text("x")
    with pytest.raises(Exception, match="already exists"):
        init_site(tmp_path / "f")


# -- serve -------------------------------------------------------------------------


@pytest.fixture
def served(make_site: Make) -> Iterator[tuple[Path, str]]:
    root = make_site({"posts/a.md": post_text("First title", "2026-01-01")})
    stop = threading.Event()
    ready = threading.Event()
    original = serve_module.ThreadingHTTPServer
    address: dict[str, int] = {}

    class Recording(original):  # type: ignore[misc, valid-type]
        def __init__(self, *args: object, **kwargs: object) -> None:
            super().__init__(*args, **kwargs)
            address["port"] = self.server_address[1]
            ready.set()

    serve_module.ThreadingHTTPServer = Recording  # type: ignore[misc]
    thread = threading.Thread(
        target=serve_module.serve, args=(root, "127.0.0.1", 0), kwargs={"quiet": True, "stop": stop}
    )
    thread.start()
    try:
        assert ready.wait(10)
        url = f"http://127.0.0.1:{address['port']}/"
        wait_for(lambda: fetch(url)[0] == 200)
        yield root, url
    finally:
        serve_module.ThreadingHTTPServer = original  # type: ignore[misc]
        stop.set()
        thread.join(10)
    assert not thread.is_alive()


def test_serve_rebuilds_and_reports(served: tuple[Path, str]) -> None:
    root, url = served
    status, page = fetch(url + "posts/first-title/")
    assert status == 200 and "First title" in page
    assert re.search(
        r'<script src="/__sitegen/reload.js" data-build="\w+-1"></script></body>', page
    )
    assert "EventSource" in fetch(url + "__sitegen/reload.js")[1]
    generation = server_state(url)["generation"]

    (root / "posts/a.md").write_text(post_text("First title", "2026-01-01", body="Edited body."))
    wait_for(lambda: server_state(url)["generation"] != generation)
    assert "Edited body." in fetch(url + "posts/first-title/")[1]

    (root / "posts/b.md").write_text("---\ntitle: [broken\n---\n", encoding="utf-8")
    wait_for(lambda: server_state(url)["error"] is not None)
    assert "posts/b.md:" in str(server_state(url)["error"])
    assert fetch(url)[0] == 200  # the last good build is still served

    (root / "posts/b.md").unlink()
    wait_for(lambda: server_state(url)["error"] is None)


def test_serve_refuses_listings_and_escapes(served: tuple[Path, str]) -> None:
    _, url = served
    assert fetch(url + "static/")[0] == 404
    assert fetch(url + "static/vendor/leaflet/leaflet.js")[0] == 200
    status, page = fetch(url + "no/such/page/")
    assert status == 404 and "Page not found" in page
    import http.client

    connection = http.client.HTTPConnection(url.split("/")[2], timeout=5)
    connection.request("GET", "/../../site.yaml")
    assert connection.getresponse().status == 404
    connection.request("GET", "/%2e%2e/%2e%2e/site.yaml")
    assert connection.getresponse().status == 404


def test_built_output_never_has_the_reload_script(make_site: Make) -> None:
    root = make_site({"posts/a.md": post_text("A", "2026-01-01")})
    assert main(["-s", str(root), "build", "-q"]) == 0
    for page in (root / "_site").rglob("*.html"):
        assert "__sitegen" not in page.read_text(encoding="utf-8")


def test_progress_bar_only_on_an_interactive_terminal(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from sitegen.cli import Progress, _interactive

    bar = Progress(enabled=True)
    for done in range(1, 101):
        bar(done, 100)
    bar.end()
    err = capsys.readouterr().err
    assert "Converting posts [" in err and "100/100" in err and err.endswith("\r\033[K")
    quiet = Progress(enabled=True)
    quiet(1, 10)  # short runs show no bar
    assert capsys.readouterr().err == ""
    monkeypatch.setenv("CI", "true")
    assert _interactive() is False  # never in CI logs (and pytest's stderr is no terminal)


def test_verbose_says_when_the_speedups_are_off(
    make_site: Make, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from sitegen.markup import upstream

    root = make_site({"posts/a.md": post_text("A", "2026-01-01")})
    assert main(["-s", str(root), "build", "-v", "-j", "1"]) == 0
    assert "note:" not in capsys.readouterr().out
    note = "python-markdown 9.9: speedups off; output is stock python-markdown's"
    monkeypatch.setattr(upstream, "status", lambda: note)
    assert main(["-s", str(root), "build", "-v", "-j", "1"]) == 0
    assert f"  note: {note}" in capsys.readouterr().out
