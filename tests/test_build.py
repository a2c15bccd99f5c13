"""Whole builds of small inline sites: selection, pagination, series, collisions, output."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import post_text

from sitegen.errors import ContentError, OutputError

Make = Callable[..., Path]
Build = Callable[..., tuple[Path, object]]


def tree(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def test_drafts_and_future_posts(make_site: Make, build_site: Build) -> None:
    root = make_site(
        {
            "posts/a.md": post_text("Published", "2026-01-01"),
            "posts/b.md": post_text("Draft one", "2026-01-02", draft="true"),
            "posts/c.md": post_text("From the future", "2027-01-01"),
        }
    )
    out, _ = build_site(root)
    assert (out / "posts/published/index.html").is_file()
    assert not (out / "posts/draft-one").exists()
    assert not (out / "posts/from-the-future").exists()
    feed = (out / "feed.xml").read_text()
    assert "Draft one" not in feed and "From the future" not in feed

    out, _ = build_site(root, drafts=True, future=True)
    assert (out / "posts/draft-one/index.html").is_file()
    assert (out / "posts/from-the-future/index.html").is_file()


@pytest.mark.parametrize(
    ("count", "pages"), [(0, 1), (1, 1), (3, 1), (4, 2), (6, 2), (7, 3)], ids=lambda v: str(v)
)
def test_pagination_edges(make_site: Make, build_site: Build, count: int, pages: int) -> None:
    files = {f"posts/p{i}.md": post_text(f"Post {i}", f"2026-01-{i + 1:02d}") for i in range(count)}
    out, _ = build_site(make_site(files))  # posts_per_page: 3
    assert (out / "index.html").is_file()
    for number in range(2, pages + 1):
        assert (out / f"page/{number}/index.html").is_file()
    assert not (out / f"page/{pages + 1}").exists()
    assert not (out / "page/1").exists()
    if count:
        newest = f"Post {count - 1}"
        assert newest in (out / "index.html").read_text()
    if pages > 1:
        last = (out / f"page/{pages}/index.html").read_text()
        assert "Post 0" in last
        assert 'rel="prev"' in last and 'rel="next"' not in last


def test_series_in_index_order_with_neighbours(make_site: Make, build_site: Build) -> None:
    files = {
        "posts/s3.md": post_text("SITREP 3", "2026-01-01", series="Siege", series_index="3"),
        "posts/s1.md": post_text("SITREP 1", "2026-01-05", series="Siege", series_index="1"),
        "posts/s2.md": post_text("SITREP 2", "2026-01-03", series="Siege", series_index="2"),
        "posts/alone.md": post_text("Standalone", "2026-01-04"),
    }
    out, _ = build_site(make_site(files))
    page = (out / "series/siege/index.html").read_text()
    assert page.index("SITREP 1") < page.index("SITREP 2") < page.index("SITREP 3")
    middle = (out / "posts/sitrep-2/index.html").read_text()
    assert 'rel="prev" href="/posts/sitrep-1/"' in middle
    assert 'rel="next" href="/posts/sitrep-3/"' in middle
    assert "part 2 of 3" in middle
    alone = (out / "posts/standalone/index.html").read_text()
    assert "series-nav" not in alone
    assert "Siege" in (out / "series/index.html").read_text()
    assert (out / "series/siege/feed.xml").is_file()


def test_duplicate_series_number_is_error_and_gap_is_warning(
    make_site: Make, build_site: Build
) -> None:
    files = {
        "posts/a.md": post_text("A", "2026-01-01", series="S", series_index="1"),
        "posts/b.md": post_text("B", "2026-01-02", series="S", series_index="1"),
    }
    with pytest.raises(ContentError) as exc:
        build_site(make_site(files))
    assert [str(p) for p in exc.value.problems] == [
        "posts/b.md:5: series_index: 'S' number 1 is also used by posts/a.md"
    ]


def test_series_gap_warning(make_site: Make, build_site: Build) -> None:
    files = {
        "posts/a.md": post_text("A", "2026-01-01", series="S", series_index="7"),
        "posts/b.md": post_text("B", "2026-01-02", series="S", series_index="9"),
    }
    _, result = build_site(make_site(files))
    assert [str(p) for p in result.warnings] == [
        "posts/b.md:5: warning: series_index: series 'S' has no post numbered 8"
    ]


def test_two_posts_one_url_is_an_error_naming_both(make_site: Make, build_site: Build) -> None:
    files = {
        "posts/2016/a.md": post_text("Same title", "2026-01-01"),
        "posts/2017/b.md": post_text("Other", "2026-01-02", slug="same-title"),
    }
    with pytest.raises(ContentError) as exc:
        build_site(make_site(files))
    assert [str(p) for p in exc.value.problems] == [
        "posts/2017/b.md:4: slug: /posts/same-title/ is also written by posts/2016/a.md"
    ]


def test_nested_posts_and_static_copy(make_site: Make, build_site: Build) -> None:
    root = make_site({"posts/2016/12/deep.md": post_text("Deep"), "static/img/x.txt": "hi"})
    out, result = build_site(root)
    assert (out / "posts/deep/index.html").is_file()
    assert (out / "static/img/x.txt").read_text() == "hi"
    assert result.posts == 1
    for name in ("404.html", "sitemap.xml", "robots.txt", "archive/index.html", "tags/index.html"):
        assert (out / name).is_file(), name


def test_builds_are_byte_identical(make_site: Make, build_site: Build, tmp_path: Path) -> None:
    files = {
        f"posts/p{i}.md": post_text(
            f"P {i}",
            f"2026-02-0{i + 1}T10:00:00+03:00",
            tags="[a, b]",
            series="S",
            series_index=str(i + 1),
        )
        for i in range(4)
    }
    root = make_site(files)
    out, _ = build_site(root)
    first = tree(out)
    out, _ = build_site(root)
    assert tree(out) == first


def test_failed_build_keeps_previous_output(make_site: Make, build_site: Build) -> None:
    root = make_site({"posts/a.md": post_text("A")})
    out, _ = build_site(root)
    before = tree(out)
    (root / "posts/b.md").write_text("---\ntitle: [broken\n---\n", encoding="utf-8")
    with pytest.raises(ContentError):
        build_site(root)
    assert tree(out) == before
    leftovers = [p.name for p in out.parent.iterdir() if p.name.startswith("._site")]
    assert leftovers == ["._site.sitegen-lock"]  # the lock file stays; no staging folder


def test_refuses_foreign_output_dir(make_site: Make, build_site: Build) -> None:
    root = make_site({"posts/a.md": post_text("A")})
    (root / "_site").mkdir()
    (root / "_site" / "precious.txt").write_text("mine")
    with pytest.raises(OutputError, match="holds files sitegen did not write"):
        build_site(root)
    assert (root / "_site" / "precious.txt").read_text() == "mine"


def test_pretty_urls_and_base_path(make_site: Make, build_site: Build) -> None:
    root = make_site({"posts/a.md": post_text("Hello World", tags="[Café Society]")})
    out, _ = build_site(root, base_url="https://example.org/blog/")
    page = (out / "posts/hello-world/index.html").read_text()
    assert 'href="/blog/tags/caf%C3%A9-society/"' in page
    assert (out / "tags/café-society/index.html").is_file()
    assert '<link rel="canonical" href="https://example.org/blog/posts/hello-world/">' in page


def test_search_can_be_turned_off(make_site: Make, build_site: Build) -> None:
    from conftest import SITE_YAML

    root = make_site({"posts/a.md": post_text("A")})
    out, _ = build_site(root)
    assert (out / "search/index.html").is_file() and any(out.glob("pagefind/*/pagefind-ui.js"))
    assert 'role="search"' in (out / "index.html").read_text()
    (root / "site.yaml").write_text(SITE_YAML + "search: false\n", encoding="utf-8")
    out, _ = build_site(root)
    assert not (out / "search").exists() and not (out / "pagefind").exists()
    assert 'role="search"' not in (out / "index.html").read_text()


def test_default_theme_fills_in_what_a_site_lacks(make_site: Make, build_site: Build) -> None:
    root = make_site({"posts/a.md": post_text("A")}, theme=False)  # no templates/, no static/
    out, _ = build_site(root)
    assert '<article class="post h-entry"' in (out / "posts/a/index.html").read_text()
    assert (out / "static/vendor/leaflet/leaflet.js").is_file()
    (root / "templates").mkdir()
    (root / "templates/404.html").write_text("<!DOCTYPE html><title>Gone</title><p>Our own 404.")
    (root / "static").mkdir()
    (root / "static/extra.css").write_text("/* ours */")
    out, _ = build_site(root)
    assert (out / "404.html").read_text() == "<!DOCTYPE html><title>Gone</title><p>Our own 404."
    assert (out / "static/extra.css").read_text() == "/* ours */"
    assert (out / "posts/a/index.html").is_file() and (out / "static/css/site.css").is_file()


def test_a_sites_card_partial_is_used_on_list_pages(make_site: Make, build_site: Build) -> None:
    """card() renders the site's partials/card.html once per post and level, for every list."""
    root = make_site(
        {
            "posts/a.md": post_text("Alpha", tags="[armor]", series="Push", series_index="1"),
            "templates/partials/card.html": (
                '<div class="mine" data-level="{{ level | default(2) }}">{{ post.title }}</div>\n'
            ),
        }
    )
    out, _ = build_site(root)
    for page in ["index.html", "tags/armor/index.html", "series/push/index.html"]:
        html = (out / page).read_text()
        assert '<div class="mine" data-level="2">Alpha</div>' in html, page
    (root / "templates/partials/card.html").write_text("{{ page.title }}\n")  # not in its view
    with pytest.raises(ContentError) as caught:
        build_site(root)
    assert "templates/partials/card.html:1: 'page' is undefined" in str(caught.value)


def test_search_is_indexed_per_year_and_an_edit_reindexes_its_year_only(
    make_site: Make, build_site: Build
) -> None:
    def bundle(year: str) -> dict[str, int]:
        files = (out / "pagefind" / year).rglob("*")
        return {p.name: p.stat().st_mtime_ns for p in files if p.is_file()}

    root = make_site(
        {
            "posts/old.md": post_text("Old", "2024-03-01", "Hougoumont farm."),
            "posts/new.md": post_text("New", "2025-06-01", "Balaklava harbour."),
            "posts/newer.md": post_text("Newer", "2025-07-01", "Inkerman ridge."),
        }
    )
    out, _ = build_site(root)
    search = (out / "search/index.html").read_text()
    assert 'data-bundle="/pagefind/2025/" data-merge="/pagefind/2024/"' in search
    old, new = bundle("2024"), bundle("2025")
    assert "pagefind-entry.json" in old and "pagefind-entry.json" in new
    (root / "posts/new.md").write_text(post_text("New", "2025-06-01", "Balaklava bay."))
    build_site(root)
    assert bundle("2024") == old  # not indexed again
    assert bundle("2025")["pagefind-entry.json"] != new["pagefind-entry.json"]
    (root / "posts/old.md").write_text(post_text("Old", "2025-03-01", "Hougoumont farm."))
    build_site(root)  # the only 2024 post moved to 2025: its bundle goes
    assert not (out / "pagefind/2024").exists()
    assert (out / "pagefind/2025/sitegen-pages.txt").read_text().count("index.html") == 3
    assert 'data-merge=""' in (out / "search/index.html").read_text()
