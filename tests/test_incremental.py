"""Incremental builds equal clean builds, byte for byte, after any sequence of edits."""

from __future__ import annotations

import dataclasses
import json
import os
import random
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import NOW

import sitegen.incremental.content
from sitegen.commands.build import BuildOptions, build
from sitegen.incremental.content import cache_area, load
from sitegen.incremental.context import resolve
from sitegen.incremental.store import PostStore
from sitegen.index import site
from sitegen.model import Post
from sitegen.output import commit, pages
from sitegen.output.outputs import Output

SITE = """\
title: Incremental
base_url: https://example.org/
author: Desk
timezone: Europe/Kyiv
posts_per_page: 2
feed_length: 3
taxonomies: [theaters]
sources:
  reg: {name: Registry Outlet, url: "https://reg.example.org", reliability: B, credibility: 2}
places:
  kyiv: {name: Kyiv, local_name: Київ, local_lang: uk, lat: 50.45, lon: 30.5236}
"""
TAGS = ["alpha", "beta", "NO", "гамма"]
PLACES = [
    "kyiv",
    "{name: Odesa, lat: 46.4825, lon: 30.7233}",
    "{name: Lviv, lat: 49.8397, lon: 24.0297}",
]


def post(rng: random.Random, number: int, series_index: int | None, bundle: bool = False) -> str:
    tags = rng.sample(TAGS, rng.randint(0, 3))
    lines = [
        "---",
        f"title: 'Report {number}: {rng.choice(['Front', 'Rear', 'Flank'])}'",
        f"date: 2026-0{rng.randint(1, 9)}-{rng.randint(10, 28)}T{rng.randint(10, 23)}:00:00+02:00",
        f"tags: [{', '.join(tags)}]",
        f"theaters: [{rng.choice(['North', 'South'])}]",
        "sources:",
        "  - reg",
        f"  - {{id: own{number}, name: Outlet {rng.randint(1, 3)}, reliability: C}}",
        "locations:",
        f"  - {rng.choice(PLACES)}",
    ]
    if series_index is not None:
        lines += ["series: The Campaign", f"series_index: {series_index}"]
    if bundle:  # a page bundle with a map layer and an event at its place
        place = lines[9].strip("- {}").split(",")[0].removeprefix("name: ")
        lines += [
            "layers:",
            "  - {file: shape.geojson, title: Line, kind: front-line, as_of: 2026-01-02}",
            "events:",
            f"  - {{date: 2026-01-03, place: {place}, text: Event {number}, sources: [reg]}}",
        ]
    lines += ["---", f"Body of report {number} [@reg] and [@own{number}].", ""]
    lines += [f"Paragraph {i} {rng.random():.6f}." for i in range(rng.randint(1, 4))]
    return "\n".join(lines) + "\n"


def area_of(root: Path) -> Path:
    """The cache area of the site's converted posts and indexes."""
    found = cache_area(resolve(root, BuildOptions(now=NOW, jobs=1), write=False))
    assert found is not None
    return found


def stored_posts(root: Path) -> PostStore:
    context = resolve(root, BuildOptions(now=NOW, jobs=1), write=False)
    store = PostStore(cache_area(context), context.read_key)
    store.load()
    return store


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def mtimes(root: Path) -> dict[str, int]:
    return {
        p.relative_to(root).as_posix(): p.stat().st_mtime_ns for p in root.rglob("*") if p.is_file()
    }


class Editor:
    """Random edits that keep the site valid (so that both builds succeed)."""

    def __init__(self, root: Path, rng: random.Random) -> None:
        self.root = root
        self.rng = rng
        self.count = 0
        self.series = 0

    def posts(self) -> list[Path]:
        return sorted((self.root / "posts").rglob("*.md"))

    def add(self) -> None:
        self.count += 1
        index = None
        if self.rng.random() < 0.5:
            self.series += 1
            index = self.series
        bundle = self.rng.random() < 0.3
        path = self.root / "posts" / (f"b{self.count}/index.md" if bundle else f"p{self.count}.md")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(post(self.rng, self.count, index, bundle), encoding="utf-8")
        if bundle:
            self.layer(path.parent)

    def layer(self, bundle: Path | None = None) -> None:
        """Draw (or redraw) a bundle's layer file."""
        bundles = [p.parent for p in self.posts() if p.name == "index.md"]
        if bundle is None and not bundles:
            return
        folder = bundle or self.rng.choice(bundles)
        lon, lat = 30 + self.rng.random(), 50 + self.rng.random()
        line = {"type": "LineString", "coordinates": [[lon, lat], [lon + 0.1, lat + 0.1]]}
        feature = {"type": "Feature", "properties": {}, "geometry": line}
        text = json.dumps({"type": "FeatureCollection", "features": [feature]})
        (folder / "shape.geojson").write_text(text, encoding="utf-8")

    def body(self) -> None:
        path = self.rng.choice(self.posts())
        path.write_text(path.read_text(encoding="utf-8") + f"\nAdded {self.rng.random()}.\n")

    def front_matter(self) -> None:
        path = self.rng.choice(self.posts())
        text = path.read_text(encoding="utf-8")
        text = text.replace("title: 'Report", "title: 'Revised report", 1)
        text = text.replace("tags: [", f"tags: [{self.rng.choice(TAGS)}x, ", 1)
        path.write_text(text, encoding="utf-8")

    def rename(self) -> None:
        path = self.rng.choice(self.posts())
        if path.name == "index.md":  # a bundle moves as a folder
            target = self.root / "posts" / "moved" / path.parent.name
            target.parent.mkdir(exist_ok=True)
            if not target.exists():
                path.parent.rename(target)
            return
        target = self.root / "posts" / "moved" / path.name
        target.parent.mkdir(exist_ok=True)
        if not target.exists():
            path.rename(target)

    def delete(self) -> None:
        posts = self.posts()
        if len(posts) > 2:
            victim = self.rng.choice(posts)
            if "series:" not in victim.read_text(encoding="utf-8"):  # keep numbering gap-free
                victim.unlink()

    def template(self) -> None:
        path = self.root / "templates" / "base.html"
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace("</footer>", f"<!-- {self.rng.random()} --></footer>", 1))

    def config(self) -> None:
        path = self.root / "site.yaml"
        text = path.read_text(encoding="utf-8")
        if self.rng.random() < 0.5:
            text = text.replace("posts_per_page: 2", "posts_per_page: 3").replace(
                "feed_length: 3", "feed_length: 4"
            )
        else:
            text = text.replace("reliability: B, credibility: 2", "reliability: A, credibility: 1")
        path.write_text(text, encoding="utf-8")

    def static(self) -> None:
        path = self.root / "static" / "css" / "extra.css"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"/* {self.rng.random()} */\n")

    def random_edit(self) -> str:
        edit = self.rng.choice(
            [
                "add",
                "body",
                "body",
                "front_matter",
                "rename",
                "delete",
                "template",
                "config",
                "static",
                "layer",
            ]
        )
        getattr(self, edit)()
        return edit


def archive(make_site: Callable[..., Path], seed: int, posts: int) -> tuple[Path, Editor]:
    """A site of ``posts`` random reports, and the editor that wrote them."""
    root = make_site({"site.yaml": SITE})
    editor = Editor(root, random.Random(seed))
    for _ in range(posts):
        editor.add()
    return root, editor


@pytest.mark.parametrize("seed", range(6), ids=lambda s: f"seed{s}")
def test_incremental_equals_clean(
    make_site: Callable[..., Path], tmp_path: Path, seed: int
) -> None:
    rng = random.Random(seed)
    root = make_site({"site.yaml": SITE})
    editor = Editor(root, rng)
    for _ in range(5):
        editor.add()
    incremental = tmp_path / "incremental"
    history = []
    for step in range(8):
        history.append(editor.random_edit() if step else "initial")
        result = build(root, BuildOptions(output=incremental, now=NOW, jobs=1))
        clean = tmp_path / f"clean{step}"
        build(root, BuildOptions(output=clean, now=NOW, jobs=1, cache=False))
        assert tree(incremental) == tree(clean), f"after edits {history}"
        assert result.posts == len(editor.posts())


def test_noop_rebuild_keeps_every_file_and_mtime(
    make_site: Callable[..., Path], tmp_path: Path
) -> None:
    root, editor = archive(make_site, 1, 4)
    out = tmp_path / "out"
    build(root, BuildOptions(output=out, now=NOW, jobs=1))
    before = mtimes(out)
    result = build(root, BuildOptions(output=out, now=NOW, jobs=1))
    assert (result.converted, result.written) == (0, 0)
    assert mtimes(out) == before

    editor.body()
    result = build(root, BuildOptions(output=out, now=NOW, jobs=1))
    assert result.converted == 1
    changed = {path for path, mtime in mtimes(out).items() if before.get(path) != mtime}
    pages = {p for p in changed if not p.startswith("pagefind/")}  # the search index is remade
    assert pages and all(p.endswith((".html", ".xml")) for p in pages)
    assert len(pages) == result.written
    ui = [p for p in before if p.startswith("pagefind/") and p.endswith("/pagefind-ui.js")]
    assert ui and not set(ui) & changed  # unchanged index files keep their mtime


def test_corrupt_cache_is_rebuilt(make_site: Callable[..., Path], tmp_path: Path) -> None:
    root, _editor = archive(make_site, 2, 3)
    out = tmp_path / "out"
    build(root, BuildOptions(output=out, now=NOW, jobs=1))
    expected = tree(out)
    for cached in (root / ".sitegen-cache").rglob("*"):
        if cached.is_file():
            cached.write_bytes(b"\x80garbage" + os.urandom(64))
    result = build(root, BuildOptions(output=out, now=NOW, jobs=1))
    assert result.converted == 3
    assert tree(out) == expected


@pytest.mark.parametrize("damage", ["garbage", "removed"])
def test_a_damaged_body_in_the_cache_is_never_served(
    make_site: Callable[..., Path], tmp_path: Path, damage: str
) -> None:
    """Bodies are read from the cache only when a page needs them: each read is checked."""
    root, _editor = archive(make_site, 6, 3)
    out = tmp_path / "out"
    build(root, BuildOptions(output=out, now=NOW, jobs=1))
    expected = tree(out)
    bodies = sorted((root / ".sitegen-cache").rglob("*.pack"))
    assert len(bodies) == 1  # the three posts were converted together
    for body in bodies:
        if damage == "garbage":
            body.write_bytes(body.read_bytes().replace(b"<p>", b"<p>EVIL "))
        else:
            body.unlink()
    (root / "templates").mkdir(exist_ok=True)
    (root / "templates/post.html").write_text(
        '{% extends "base.html" %}{% block content %}{{ page.post.body }}{% endblock %}\n'
    )  # every post page must be rendered again, from the cached bodies
    build(root, BuildOptions(output=out, now=NOW, jobs=1))
    assert not any(b"EVIL" in data for data in tree(out).values())
    (root / "templates/post.html").unlink()
    build(root, BuildOptions(output=out, now=NOW, jobs=1))
    assert tree(out) == expected


def test_the_cache_serves_builds_run_from_another_folder(
    make_site: Callable[..., Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``sitegen build`` inside the site, then ``sitegen -s site build`` from elsewhere."""
    root, _editor = archive(make_site, 12, 5)
    monkeypatch.chdir(root)
    build(Path("."), BuildOptions(now=NOW, jobs=1))
    monkeypatch.chdir(tmp_path)
    (root / "templates").mkdir(exist_ok=True)
    (root / "templates/post.html").write_text(
        '{% extends "base.html" %}{% block content %}{{ page.post.body }}{% endblock %}\n'
    )  # every post page is rendered again, from the cached bodies
    result = build(root, BuildOptions(now=NOW, jobs=1))
    assert result.converted == 0 and result.written == 5


def test_parallel_equals_serial(make_site: Callable[..., Path], tmp_path: Path) -> None:
    root, editor = archive(make_site, 3, 24)  # enough to use the worker pool
    serial, parallel = tmp_path / "serial", tmp_path / "parallel"
    build(root, BuildOptions(output=serial, now=NOW, jobs=1, cache=False))
    result = build(root, BuildOptions(output=parallel, now=NOW, jobs=2, cache=False))
    assert result.converted == 24
    assert tree(parallel) == tree(serial)
    # Without the cache every page is made again; the workers keep the equal ones.
    times = {p: p.stat().st_mtime_ns for p in parallel.rglob("*") if p.is_file()}
    again = build(root, BuildOptions(output=parallel, now=NOW, jobs=2, cache=False))
    assert again.written == 0 and again.files == result.files
    assert times == {p: p.stat().st_mtime_ns for p in parallel.rglob("*") if p.is_file()}
    editor.body()
    edited = build(root, BuildOptions(output=parallel, now=NOW, jobs=2, cache=False))
    build(root, BuildOptions(output=serial, now=NOW, jobs=1, cache=False))
    assert 0 < edited.written < result.files and tree(parallel) == tree(serial)


def test_noop_fast_path_still_notices_what_matters(
    make_site: Callable[..., Path], tmp_path: Path
) -> None:
    from datetime import timedelta

    from conftest import post_text

    root = make_site(
        {
            "site.yaml": SITE,
            "posts/now.md": post_text("Now", "2026-01-01"),
            "posts/later.md": post_text("Later", "2026-12-01"),  # after NOW
        }
    )
    out = tmp_path / "out"
    old = time.time() - 60  # sources older than the stamp (no "racy" doubt)
    for path in root.rglob("*"):
        os.utime(path, (old, old))
    first = build(root, BuildOptions(output=out, now=NOW, jobs=1))
    assert first.posts == 1
    again = build(root, BuildOptions(output=out, now=NOW, jobs=1))
    assert (again.posts, again.converted, again.written, again.files) == (1, 0, 0, first.files)
    assert again.timings == ()  # returned from the stamp: nothing was read
    # A file removed from the output by hand is noticed and restored.
    (out / "posts/now/index.html").unlink()
    restored = build(root, BuildOptions(output=out, now=NOW, jobs=1))
    assert (out / "posts/now/index.html").is_file() and restored.timings != ()
    # The stamp of an incremental build (made from the writer's records) holds too.
    assert build(root, BuildOptions(output=out, now=NOW, jobs=1)).timings == ()
    # A future post that comes due is published without any edit.
    due = build(root, BuildOptions(output=out, now=NOW + timedelta(days=10), jobs=1))
    assert due.posts == 2 and (out / "posts/later/index.html").is_file()


def test_template_error_in_a_worker_is_reported(
    make_site: Callable[..., Path], tmp_path: Path
) -> None:
    from sitegen.errors import ContentError

    root, _editor = archive(make_site, 4, 20)
    post_template = root / "templates/post.html"
    post_template.write_text(
        post_template.read_text(encoding="utf-8").replace(
            "{% block content %}", "{% block content %}{{ page.post.no_such_thing.x }}", 1
        ),
        encoding="utf-8",
    )
    with pytest.raises(ContentError) as exc:
        build(root, BuildOptions(output=tmp_path / "out", now=NOW, jobs=2, cache=False))
    (problem,) = set(exc.value.problems)
    assert problem.path == "templates/post.html" and problem.line > 0
    assert "no_such_thing" in problem.message
    assert not (tmp_path / "out").exists()


def test_a_file_and_a_folder_may_trade_places(
    make_site: Callable[..., Path], tmp_path: Path
) -> None:
    """The commit renames files into a live output: a file where a folder was, and back."""
    root, _editor = archive(make_site, 3, 1)
    out = tmp_path / "out"
    (root / "static").mkdir(exist_ok=True)
    (root / "static/shape").write_text("a file")
    build(root, BuildOptions(output=out, now=NOW, jobs=1))
    (root / "static/shape").unlink()
    (root / "static/shape").mkdir()
    (root / "static/shape/inner.txt").write_text("a folder")
    build(root, BuildOptions(output=out, now=NOW, jobs=1))
    assert (out / "static/shape/inner.txt").read_text() == "a folder"
    build(root, BuildOptions(output=tmp_path / "clean", now=NOW, jobs=1, cache=False))
    assert tree(out) == tree(tmp_path / "clean")
    (root / "static/shape/inner.txt").unlink()
    (root / "static/shape").rmdir()
    (root / "static/shape").write_text("a file again")
    build(root, BuildOptions(output=out, now=NOW, jobs=1))
    assert (out / "static/shape").read_text() == "a file again"


def test_a_build_killed_during_the_commit_is_repaired_by_the_next(
    make_site: Callable[..., Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root, editor = archive(make_site, 4, 4)
    out = tmp_path / "out"
    build(root, BuildOptions(output=out, now=NOW, jobs=1))
    editor.front_matter()
    editor.body()
    build(root, BuildOptions(output=out, now=NOW, jobs=1))  # a spare exists from here on
    before = tree(out)
    editor.body()
    calls = {"n": 0}
    real_put = commit._Tree.put

    def dies_halfway(self: commit._Tree, key: str, source: Path, move: bool) -> None:
        calls["n"] += 1
        if calls["n"] == 2:  # one file moved into the spare, the others not
            raise KeyboardInterrupt
        real_put(self, key, source, move)

    monkeypatch.setattr(commit._Tree, "put", dies_halfway)
    with pytest.raises(KeyboardInterrupt):
        build(root, BuildOptions(output=out, now=NOW, jobs=1))
    monkeypatch.setattr(commit._Tree, "put", real_put)
    assert calls["n"] == 2
    assert tree(out) == before  # the output was never touched
    leftover = [p.name for p in tmp_path.iterdir() if p.name.startswith(".out.sitegen-new")]
    assert not leftover  # no staging left
    build(root, BuildOptions(output=out, now=NOW, jobs=1))
    build(root, BuildOptions(output=tmp_path / "clean", now=NOW, jobs=1, cache=False))
    assert tree(out) == tree(tmp_path / "clean")


def test_a_body_edit_renders_the_post_and_its_feeds_not_the_lists(
    make_site: Callable[..., Path], tmp_path: Path, rendered: list[str]
) -> None:
    """Lists show cards: a word added at the end changes no card, so no list is rendered."""
    root, editor = archive(make_site, 5, 4)
    out = tmp_path / "out"
    build(root, BuildOptions(output=out, now=NOW, jobs=1))
    target = editor.posts()[0]
    target.write_text(target.read_text(encoding="utf-8") + "\nOne more word.\n", encoding="utf-8")
    rendered.clear()
    build(root, BuildOptions(output=out, now=NOW, jobs=1))
    assert rendered == ["post.html"]
    build(root, BuildOptions(output=tmp_path / "clean", now=NOW, jobs=1, cache=False))
    assert tree(out) == tree(tmp_path / "clean")


def test_a_damaged_shard_of_the_store_costs_only_its_own_posts(
    make_site: Callable[..., Path], tmp_path: Path
) -> None:
    root, editor = archive(make_site, 7, 12)
    out = tmp_path / "out"
    build(root, BuildOptions(output=out, now=NOW, jobs=1))
    expected = tree(out)
    rels = [p.relative_to(root).as_posix() for p in editor.posts()]
    shard = PostStore.shard(rels[0])
    (area_of(root) / "posts" / f"{shard}.pickle").write_bytes(b"\x80garbage")
    (root / "site.yaml").touch()  # past the no-op check: the posts are looked up
    result = build(root, BuildOptions(output=out, now=NOW, jobs=1))
    assert result.converted == sum(PostStore.shard(rel) == shard for rel in rels) < len(rels)
    assert tree(out) == expected


def test_bodies_no_post_refers_to_are_removed_from_the_cache(
    make_site: Callable[..., Path], tmp_path: Path
) -> None:
    """A pack stays while any stored post's body is in it, and goes with the last one."""
    root, editor = archive(make_site, 8, 4)
    out = tmp_path / "out"

    def packs() -> set[str]:
        return {str(p) for p in (root / ".sitegen-cache").rglob("*.pack")}

    def referred() -> set[str]:
        store = stored_posts(root)
        return {e.result.post.body.path for e in store.entries.values() if e.result.post}

    build(root, BuildOptions(output=out, now=NOW, jobs=1))
    first = packs()
    assert len(first) == 1 and referred() == first
    editor.body()
    build(root, BuildOptions(output=out, now=NOW, jobs=1))
    second = packs()
    assert len(second) == 2 and first < second and referred() == second
    for path in editor.posts():
        path.write_text(path.read_text(encoding="utf-8") + "\nAll edited.\n", encoding="utf-8")
    build(root, BuildOptions(output=out, now=NOW, jobs=1))
    assert len(packs()) == 1 and referred() == packs() and not packs() & second


def test_the_store_gives_back_equal_posts_sharing_their_common_values(
    make_site: Callable[..., Path], tmp_path: Path
) -> None:
    root, _editor = archive(make_site, 11, 40)
    loaded = load(resolve(root, BuildOptions(now=NOW, jobs=1)))
    store = stored_posts(root)
    stored = {rel: entry.result.post for rel, entry in store.entries.items()}
    fresh = {p.path: p for p in loaded.site.posts}
    assert stored.keys() == fresh.keys()
    for rel, post in stored.items():  # equal in every field, the uncompared ones too
        assert post == fresh[rel]
        assert (post.lines, post.extra) == (fresh[rel].lines, fresh[rel].extra)
    by_shard: dict[int, list] = {}
    for rel, post in stored.items():
        by_shard.setdefault(PostStore.shard(rel), []).append(post)
    first, second = next(posts for posts in by_shard.values() if len(posts) > 1)[:2]
    assert first.sources[0] is second.sources[0]  # the registry source, loaded once
    assert next(iter(first.lines)) is next(iter(second.lines))  # "title", loaded once
    assert first.taxonomies[0][0] is second.taxonomies[0][0]


def test_a_body_edit_reuses_the_indexes_and_a_retag_makes_them_again(
    make_site: Callable[..., Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root, editor = archive(make_site, 5, 8)
    made = []
    monkeypatch.setattr(
        sitegen.incremental.content, "index", lambda *a: made.append(1) or site.index(*a)
    )
    out = tmp_path / "out"
    build(root, BuildOptions(output=out, now=NOW, jobs=1))
    assert len(made) == 1
    target = editor.posts()[3]
    target.write_text(target.read_text() + "\nOne more sentence.\n", encoding="utf-8")
    build(root, BuildOptions(output=out, now=NOW, jobs=1))
    assert len(made) == 1  # the layout of the last build, with the edited post in its place
    build(root, BuildOptions(output=tmp_path / "clean", now=NOW, jobs=1, cache=False))
    assert tree(out) == tree(tmp_path / "clean")
    text = target.read_text(encoding="utf-8").replace("tags: [", "tags: [delta, ", 1)
    target.write_text(text, encoding="utf-8")
    made.clear()
    build(root, BuildOptions(output=out, now=NOW, jobs=1))
    assert len(made) == 1
    assert (out / "tags/delta/index.html").is_file()
    (area_of(root) / "index.pickle").write_bytes(b"\x80garbage")
    (root / "site.yaml").touch()  # past the no-op check
    made.clear()
    build(root, BuildOptions(output=out, now=NOW, jobs=1))
    assert len(made) == 1  # a damaged layout is made again, never trusted
    build(root, BuildOptions(output=tmp_path / "clean2", now=NOW, jobs=1, cache=False))
    assert tree(out) == tree(tmp_path / "clean2")


def test_a_retitled_post_re_renders_its_series_neighbours(
    make_site: Callable[..., Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def report(number: int, title: str) -> str:
        return (
            f"---\ntitle: {title}\ndate: 2026-03-{10 + number}T10:00:00+02:00\n"
            f"series: The Campaign\nseries_index: {number}\n---\nBody {number}.\n"
        )

    root = make_site(
        {"site.yaml": SITE, **{f"posts/r{n}.md": report(n, f"Report {n}") for n in (1, 2, 3, 4)}}
    )
    out = tmp_path / "out"
    build(root, BuildOptions(output=out, now=NOW, jobs=1))
    (root / "posts/r2.md").write_text(report(2, "Report two, revised"), encoding="utf-8")
    made: list[str] = []
    original = pages.Pages.post_page

    def spy(self: pages.Pages, post: Post) -> Output:
        item = original(self, post)

        def produce() -> bytes:
            made.append(post.path)
            return item.produce()  # type: ignore[misc]

        return dataclasses.replace(item, produce=produce)

    monkeypatch.setattr(pages.Pages, "post_page", spy)
    build(root, BuildOptions(output=out, now=NOW, jobs=1))
    assert sorted(made) == ["posts/r1.md", "posts/r2.md", "posts/r3.md"]  # not r4
    assert "Report two, revised" in (out / "posts/report-1/index.html").read_text("utf-8")
    build(root, BuildOptions(output=tmp_path / "clean", now=NOW, jobs=1, cache=False))
    assert tree(out) == tree(tmp_path / "clean")
