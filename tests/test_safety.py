"""Trust under bad input: output guards, path safety, escaping, Unicode URLs, fuzzing."""

from __future__ import annotations

import html
import json
import os
import re
import xml.dom.minidom
from collections.abc import Callable
from pathlib import Path
from urllib.parse import unquote

import feedparser
import markupsafe
import pytest
import yaml
from conftest import NOW, post_text
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sitegen.cli import main
from sitegen.commands.build import BuildOptions, build
from sitegen.errors import ContentError, OutputError, SitegenError
from sitegen.markup.sitrep import MarkdownRenderer
from sitegen.output import render
from sitegen.output.writer import MARKER
from sitegen.read.config import load_config
from sitegen.read.posts import POST_FIELDS, read_post

Make = Callable[..., Path]


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


# -- output guards -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("output", "reason"),
    [
        (".", "it contains the site itself"),
        ("..", "it contains the site itself"),
        ("posts/out", "it is inside posts/"),
        ("templates", "it is inside templates/"),
        ("static/built", "it is inside static/"),
    ],
    ids=["root", "parent", "posts", "templates", "static"],
)
def test_refuses_dangerous_output(make_site: Make, output: str, reason: str) -> None:
    root = make_site({"posts/a.md": post_text("A")})
    before = tree(root.parent)
    with pytest.raises(OutputError, match=re.escape(reason)):
        build(root, BuildOptions(output=root / output, now=NOW))
    assert tree(root.parent) == before


def test_refusal_through_the_cli(make_site: Make, capsys: pytest.CaptureFixture[str]) -> None:
    root = make_site({"posts/a.md": post_text("A")})
    assert main(["-s", str(root), "build", "-o", str(root)]) == 1
    assert "refusing to write the site into" in capsys.readouterr().err


def test_replaces_only_its_own_output(make_site: Make, tmp_path: Path) -> None:
    root = make_site({"posts/a.md": post_text("A")})
    out = tmp_path / "deploy"
    out.mkdir()
    (out / "index.html").write_text("hand-written")
    with pytest.raises(OutputError, match="holds files sitegen did not write"):
        build(root, BuildOptions(output=out, now=NOW))
    assert (out / "index.html").read_text() == "hand-written"
    (out / "index.html").unlink()  # an empty directory is fine
    build(root, BuildOptions(output=out, now=NOW))
    assert (out / MARKER).is_file()


def test_interrupted_build_leaves_previous_output(
    make_site: Make, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_site({f"posts/p{i}.md": post_text(f"P{i}", f"2026-01-0{i + 1}") for i in range(3)})
    out = root / "_site"
    build(root, BuildOptions(output=out, now=NOW))
    before = tree(out)
    (root / "posts/p0.md").write_text(post_text("Changed", "2026-01-01"), encoding="utf-8")
    calls = {"n": 0}
    original = render.Renderer.produce

    def interrupted(self: render.Renderer, template: str, page: dict, large: bool = False) -> bytes:  # type: ignore[type-arg]
        calls["n"] += 1
        if calls["n"] == 3:
            raise KeyboardInterrupt
        return original(self, template, page, large)

    monkeypatch.setattr(render.Renderer, "produce", interrupted)
    with pytest.raises(KeyboardInterrupt):
        build(root, BuildOptions(output=out, now=NOW))
    assert tree(out) == before
    beside = sorted(p.name for p in root.iterdir() if p.name.startswith("._site"))
    assert beside == ["._site.sitegen-lock"]  # no staging folder left behind


# -- path safety -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("slug", "message"),
    [
        ("../../etc", "'../../etc' must be one path segment (no '/' or '\\')"),
        ("a/b", "'a/b' must be one path segment (no '/' or '\\')"),
        ("a\\b", "'a\\\\b' must be one path segment (no '/' or '\\')"),
        ("/abs", "'/abs' must be one path segment (no '/' or '\\')"),
        ("..", "'..' must not contain '..'"),
        ("nul", "'nul' is a reserved file name on Windows"),
        ("COM1.txt", "'COM1.txt' is a reserved file name on Windows"),
        ('"a\\tb"', "'a\\tb' must not contain control characters"),
    ],
    ids=["dotdot", "slash", "backslash", "absolute", "dots", "nul", "com1", "tab"],
)
def test_unsafe_explicit_slug_is_an_error(make_site: Make, slug: str, message: str) -> None:
    root = make_site({"posts/a.md": post_text("A", slug=slug)})
    with pytest.raises(ContentError) as exc:
        build(root, BuildOptions(output=root / "_site", now=NOW))
    assert [str(p) for p in exc.value.problems] == [f"posts/a.md:4: slug: {message}"]


def test_hostile_terms_are_sanitised(make_site: Make) -> None:
    root = make_site(
        {
            "posts/a.md": post_text(
                "../../../etc/passwd",
                tags="['../../x', '/etc', 'a\\\\b', 'CON', '..']",
                series="'../up'",
            )
        }
    )
    out = root / "_site"
    build(root, BuildOptions(output=out, now=NOW))
    written = {p.resolve() for p in out.rglob("*")}
    assert all(p.is_relative_to(out.resolve()) for p in written)
    assert (out / "posts/etc-passwd/index.html").is_file()
    for slug in ("x", "etc", "a-b", "con-1"):
        assert (out / "tags" / slug / "index.html").is_file(), slug
    assert (out / "series/up/index.html").is_file()
    assert not (root.parent / "etc").exists()


def test_symlink_out_of_the_site_is_refused(make_site: Make, tmp_path: Path) -> None:
    secret = tmp_path / "secret.md"
    secret.write_text(post_text("Secret"), encoding="utf-8")
    (tmp_path / "secret.txt").write_text("password")
    root = make_site({"posts/a.md": post_text("A")})
    os.symlink(secret, root / "posts" / "link.md")
    os.symlink(tmp_path / "secret.txt", root / "static" / "leak.txt")
    with pytest.raises(ContentError) as exc:
        build(root, BuildOptions(output=root / "_site", now=NOW))
    assert [str(p) for p in exc.value.problems] == [
        "posts/link.md: is a symbolic link out of the site",
        "static/leak.txt: is a symbolic link out of the site",
    ]


def test_a_posts_folder_linked_out_of_the_site_is_refused(make_site: Make, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "secret.md").write_text(post_text("Secret"), encoding="utf-8")
    root = make_site({})
    if (root / "posts").exists():
        (root / "posts").rmdir()
    os.symlink(elsewhere, root / "posts")
    with pytest.raises(ContentError) as caught:
        build(root, BuildOptions(output=root / "_site", now=NOW))
    assert [str(p) for p in caught.value.problems] == ["posts/: is a symbolic link out of the site"]


def test_alias_cannot_escape(make_site: Make) -> None:
    root = make_site({"posts/a.md": post_text("A", aliases="['/../../evil/', '/ok/old/']")})
    with pytest.raises(ContentError) as exc:
        build(root, BuildOptions(output=root / "_site", now=NOW))
    assert [str(p) for p in exc.value.problems] == [
        "posts/a.md:4: aliases[0]: '/../../evil/' has an unsafe part '..': must not contain '..'"
    ]


def test_alias_redirects(make_site: Make) -> None:
    root = make_site({"posts/a.md": post_text("A", aliases="[/2016/12/03/old-url/, /old.html]")})
    out = root / "_site"
    build(root, BuildOptions(output=out, now=NOW))
    for path in ("2016/12/03/old-url/index.html", "old.html"):
        page = (out / path).read_text()
        assert '<meta http-equiv="refresh" content="0; url=https://example.org/posts/a/">' in page
        assert '<link rel="canonical" href="https://example.org/posts/a/">' in page


# -- escaping ----------------------------------------------------------------------

EVIL = "<script>alert(1)</script> \"quoted\" 'single' & </title> ]]> </script>"


def test_hostile_values_are_escaped_everywhere(make_site: Make) -> None:
    value = json.dumps(EVIL)  # a YAML double-quoted string
    text = (
        "---\n"
        f"title: {value}\n"
        f"subtitle: {value}\n"
        "date: 2026-01-10T10:00:00Z\n"
        f"author: {value}\n"
        f"series: {value}\n"
        "series_index: 1\n"
        f"tags: [{value}]\n"
        f"summary: {value}\n"
        "sources:\n"
        f"  - {{id: evil, name: {value}, title: {value}, url: 'https://e.org/?a=1&b=\"<x>'}}\n"
        "quotes:\n"
        f"  - {{id: q, text: {value}, speaker: {value}, source: evil}}\n"
        "locations:\n"
        f"  - {{name: {value}, local_name: {value}, lat: 1, lon: 2}}\n"
        "corrections:\n"
        f"  - {{date: 2026-01-11, text: {value}}}\n"
        f"extra: {{note: {value}}}\n"
        "---\n"
        "Body [@evil].\n\n{{< quote q >}}\n"
    )
    root = make_site({"posts/evil.md": text})
    out = root / "_site"
    build(root, BuildOptions(output=out, now=NOW))
    for page in out.rglob("*.html"):
        content = page.read_text(encoding="utf-8")
        assert "<script>alert(1)" not in content, page
        assert "</title> ]]>" not in content, page
    post = next((out / "posts").glob("*/index.html")).read_text(encoding="utf-8")
    assert str(markupsafe.escape(EVIL)) in post
    # JSON-LD cannot be closed early and parses back to the original values.
    (jsonld,) = re.findall(r'<script type="application/ld\+json">(.*?)</script>', post, re.S)
    data = json.loads(jsonld)
    assert data["headline"] == EVIL
    assert data["citation"][0]["author"] == EVIL
    # Feeds are well-formed XML and give the values back.
    for feed in ("feed.xml", "atom.xml"):
        xml.dom.minidom.parse(str(out / feed))
        parsed = feedparser.parse(str(out / feed))
        assert parsed.bozo == 0
        assert parsed.entries[0].title == EVIL
    geo = json.loads((out / "locations.geojson").read_text(encoding="utf-8"))
    assert geo["features"][0]["properties"]["name"] == EVIL
    map_data = re.search(r'data-map="([^"]*)"', post)
    assert map_data
    assert json.loads(html.unescape(map_data.group(1)))["places"][0]["name"] == EVIL


# -- Unicode -------------------------------------------------------------------------


def test_unicode_urls_resolve_to_files(make_site: Make) -> None:
    names = ["معركة حلب", "Оборона Севастополя", "東京の戦い", "קרב ירושלים", "Québec à Noël"]
    files = {
        f"posts/p{i}.md": post_text(
            json.dumps(name),
            f"2026-01-0{i + 1}",
            tags=f"[{json.dumps(name)}]",
            series=json.dumps(name + " series"),
            locations=f"[{{name: {json.dumps(name)}, lat: 1, lon: 2}}]",
        )
        for i, name in enumerate(names)
    }
    root = make_site(files)
    out = root / "_site"
    build(root, BuildOptions(output=out, now=NOW))
    checked = 0
    for page in out.rglob("*.html"):
        for href in re.findall(r'href="(/[^"#]*)"', page.read_text(encoding="utf-8")):
            path = unquote(href)
            target = out / path.lstrip("/")
            assert (target / "index.html" if path.endswith("/") else target).is_file(), href
            checked += 1
    assert checked > 50
    assert (out / "tags/معركة-حلب/index.html").is_file()
    assert (out / "posts/оборона-севастополя/index.html").is_file()
    assert (out / "locations/東京の戦い/index.html").is_file()
    assert (out / "series/קרב-ירושלים-series/index.html").is_file()
    first = tree(out)
    build(root, BuildOptions(output=out, now=NOW, cache=False))
    assert tree(out) == first  # stable


def test_bom_crlf_and_other_encodings(make_site: Make) -> None:
    good = ("\ufeff" + post_text("Windows file")).replace("\n", "\r\n").encode("utf-8")
    root = make_site()
    (root / "posts").mkdir(exist_ok=True)
    (root / "posts/win.md").write_bytes(good)
    (root / "posts/latin.md").write_bytes(post_text("Café").encode("latin-1"))
    with pytest.raises(ContentError) as exc:
        build(root, BuildOptions(output=root / "_site", now=NOW))
    assert [str(p) for p in exc.value.problems] == [
        "posts/latin.md:2: not UTF-8 text (byte 0xe9); save the file as UTF-8"
    ]
    (root / "posts/latin.md").unlink()
    build(root, BuildOptions(output=root / "_site", now=NOW))
    assert (root / "_site/posts/windows-file/index.html").is_file()


# -- reporting -----------------------------------------------------------------------


def test_errors_sorted_with_count(make_site: Make, capsys: pytest.CaptureFixture[str]) -> None:
    root = make_site(
        {
            "posts/b.md": "---\ntitle: B\ndate: never\n---\n",
            "posts/a.md": "---\ntitle: A\ndate: 2026-01-01\nsources: [nope]\n---\nSee [@gone].\n",
            "posts/c.md": "no front matter\n",
        }
    )
    assert main(["-s", str(root), "build"]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err == [
        "posts/a.md:4: sources[0]: unknown source 'nope' (not in site.yaml sources)",
        "posts/a.md:6: unknown source 'gone'",
        "posts/b.md:3: date: expected a date like 2016-12-03 or a time like "
        "2016-12-03T18:30:00-05:00, got 'never'",
        "posts/c.md:1: no front matter: a post must start with a '---' line "
        "(then title, date, ...)",
        "4 errors.",
    ]
    assert not (root / "_site").exists()


def test_internal_error_is_short_unless_debug(
    make_site: Make, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_site({"posts/a.md": post_text("A")})

    def boom(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr("sitegen.incremental.content.arrange", boom)
    assert main(["-s", str(root), "build"]) == 3
    err = capsys.readouterr().err
    assert "internal error (RuntimeError)" in err and "Traceback" not in err
    assert main(["-s", str(root), "--debug", "build"]) == 3
    assert "Traceback" in capsys.readouterr().err


def test_check_writes_nothing_and_strict_fails_on_warnings(
    make_site: Make, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_site(
        {
            "posts/a.md": post_text(
                "A", body="See [the other](/posts/b/) and [gone](/posts/gone/)."
            ),
            "posts/b.md": post_text("B", body="Back to [A](../a/) and ![map](/static/none.png)."),
        }
    )
    assert main(["-s", str(root), "check"]) == 0
    out = capsys.readouterr()
    assert out.err.splitlines() == [
        "posts/a.md:5: warning: link '/posts/gone/' leads to no page or file of the site",
        "posts/b.md:5: warning: link '/static/none.png' leads to no page or file of the site",
        "2 warnings.",
    ]
    assert not (root / "_site").exists()
    assert main(["-s", str(root), "check", "--strict"]) == 1


# -- fuzzing -------------------------------------------------------------------------

_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True),
    st.text(max_size=30),
    st.dates(),
)
_values = st.recursive(
    _scalars,
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=12,
)
_keys = st.sampled_from([*POST_FIELDS, "bogus"])


@pytest.fixture(scope="module")
def reader(tmp_path_factory: pytest.TempPathFactory) -> Callable[[bytes], object]:
    root = tmp_path_factory.mktemp("fuzz")
    (root / "site.yaml").write_text(
        "title: T\nbase_url: https://e.org/\nsources:\n  ft: {name: FT}\n"
        "places:\n  x: {name: X, lat: 1, lon: 2}\n",
        encoding="utf-8",
    )
    config = load_config(root)
    renderer = MarkdownRenderer()
    return lambda raw: read_post("posts/f.md", raw, config, renderer)


@settings(
    max_examples=300,
    deadline=None,  # correctness only: a loaded machine must not fail it (speed: benchmarks/)
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(st.dictionaries(_keys, _values, max_size=8), st.text(max_size=200))
def test_any_front_matter_gives_a_post_or_problems(
    reader: Callable[[bytes], object], front: dict, body: str
) -> None:
    try:
        text = "---\n" + yaml.safe_dump(front, allow_unicode=True) + "---\n" + body
    except yaml.YAMLError:
        return
    result = reader(text.encode("utf-8"))
    assert result.post is not None or result.problems  # type: ignore[attr-defined]
    for problem in result.problems:  # type: ignore[attr-defined]
        assert re.match(r"posts/f\.md(:\d+)?: ", str(problem))


@settings(
    max_examples=300,
    deadline=None,  # correctness only: a loaded machine must not fail it (speed: benchmarks/)
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(st.binary(max_size=300) | st.text(max_size=300).map(lambda s: ("---\n" + s).encode()))
def test_any_bytes_give_a_post_or_problems(reader: Callable[[bytes], object], raw: bytes) -> None:
    result = reader(raw)
    assert result.post is not None or result.problems  # type: ignore[attr-defined]


def test_sitegen_error_family() -> None:
    assert issubclass(ContentError, SitegenError) and issubclass(OutputError, SitegenError)
