"""What would silently overwrite or merge is an error at its line (issue 19, items 7 to 9).

Aliases onto the site's own files, taxonomies named like them, one feed id on
two posts, two names that make one tag page, one place name at two spots.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import NOW, REPO, copy_sample, post_text

from sitegen.cli import main
from sitegen.commands.build import BuildOptions, check
from sitegen.errors import ContentError
from sitegen.incremental.plan import collisions
from sitegen.output.outputs import Inputs, Output, Owner
from sitegen.read.schema import TOP_LEVEL

Make = Callable[..., Path]

SEARCHING = "title: T\nbase_url: https://example.org/\nsearch: true\n"


def problems_of(root: Path) -> list[str]:
    with pytest.raises(ContentError) as caught:
        check(root, BuildOptions(now=NOW, cache=False))
    return [str(p) for p in caught.value.problems]


def aliased(alias: str) -> str:
    """A post with one good alias and then ``alias``, one per line (the second on line 7)."""
    return post_text("A", "2026-01-01", tags="[x]", aliases=f"\n  - /old/\n  - '{alias}'")


# -- aliases onto generated files ---------------------------------------------------------


@pytest.mark.parametrize(
    ("alias", "message"),
    [
        ("/feed.xml", "/feed.xml is also an RSS feed of the site"),
        ("/Feed.XML", "/Feed.XML is also an RSS feed of the site"),
        ("/index.html", "/index.html is also the site's home page (or a page of its list)"),
        ("/sitemap.xml", "/sitemap.xml is also the site's sitemap"),
        ("/tags/x/", "/tags/x/index.html is also the page of a tag (or of a term of another "
         "taxonomy)"),
        ("/tags/x/feed.xml", "/tags/x/feed.xml is also an RSS feed of the site"),
        ("/static/css/site.css", "/static/css/site.css is also written by static/css/site.css"),
        ("/posts/a/", "/posts/a/ is this post's own URL"),
        ("/posts/a", "/posts/a/ is this post's own URL"),
        ("/old", "/old/ is also this post's aliases[0]"),
        ("/feed.xml/", "/feed.xml/index.html would be inside /feed.xml, which is an RSS feed "
         "of the site"),
        ("/pagefind/", "/pagefind/index.html is inside /pagefind/, the folder of the site's "
         "search index"),
        ("/pagefind/pagefind.js", "/pagefind/pagefind.js is inside /pagefind/, the folder of "
         "the site's search index"),
    ],
)  # fmt: skip
def test_an_alias_onto_a_generated_file_is_an_error(
    make_site: Make, alias: str, message: str
) -> None:
    root = make_site({"site.yaml": SEARCHING, "posts/a.md": aliased(alias)})
    assert problems_of(root) == [f"posts/a.md:7: aliases[1]: {message}"]


def test_an_alias_onto_another_posts_url_names_it(make_site: Make) -> None:
    root = make_site({"posts/a.md": aliased("/posts/b/"), "posts/b.md": post_text("B")})
    assert problems_of(root) == [
        "posts/a.md:7: aliases[1]: /posts/b/ is also written by posts/b.md"
    ]


def test_an_alias_onto_the_feed_through_the_cli(
    make_site: Make, capsys: pytest.CaptureFixture[str]
) -> None:
    """Once "internal error: feed.xml was written twice": now the post, its line, the feed."""
    root = make_site({"posts/a.md": aliased("/feed.xml")})
    assert main(["-s", str(root), "build"]) == 1
    captured = capsys.readouterr()
    assert (
        captured.err
        == "posts/a.md:7: aliases[1]: /feed.xml is also an RSS feed of the site\n1 error.\n"
    )
    assert "Traceback" not in captured.out + captured.err
    assert not (root / "_site").exists()


def test_a_search_folder_is_the_sites_own_only_with_search(make_site: Make) -> None:
    site = "title: T\nbase_url: https://example.org/\nsearch: false\n"
    root = make_site({"site.yaml": site, "posts/a.md": aliased("/pagefind/")})
    _, plan = check(root, BuildOptions(now=NOW, cache=False)).held
    assert "pagefind/index.html" in {item.path for item in plan.outputs}


# -- taxonomies and pages named like the site's own files -----------------------------------


@pytest.mark.parametrize(
    ("name", "what"),
    [
        ("feed.xml", "/feed.xml is a file of the site"),
        ("pagefind", "/pagefind is a section of the site"),
    ],
)
def test_a_taxonomy_named_like_an_output_is_an_error(make_site: Make, name: str, what: str) -> None:
    site = f"title: T\nbase_url: https://example.org/\ntaxonomies:\n  - actors\n  - {name}\n"
    root = make_site({"site.yaml": site, "posts/a.md": post_text("A")})
    taken = ", ".join(sorted(TOP_LEVEL))
    assert problems_of(root) == [
        f"site.yaml:5: taxonomies[1]: {name!r} cannot be a taxonomy name: {what} "
        f"(sitegen's own: {taken})"
    ]


@pytest.mark.parametrize(
    ("slug", "what"),
    [("feed.xml", "a file of the site"), ("theaters", "a section of the site")],
)
def test_a_page_named_like_an_output_is_an_error(make_site: Make, slug: str, what: str) -> None:
    site = "title: T\nbase_url: https://example.org/\ntaxonomies: [theaters]\n"
    page = f"---\ntitle: About\nslug: {slug}\n---\nText.\n"
    root = make_site({"site.yaml": site, "posts/a.md": post_text("A"), "pages/p.md": page})
    assert problems_of(root) == [
        f"pages/p.md:3: slug: a page at /{slug}/ would take the place of {what}"
    ]


def test_every_top_level_name_the_site_writes_is_reserved(tmp_path: Path) -> None:
    """TOP_LEVEL is written by hand: the sample site, which has every kind of output, checks it."""
    root = copy_sample(tmp_path / "sample", REPO)
    content, plan = check(root, BuildOptions(now=NOW, cache=False)).held
    own = {item.path.split("/")[0] for item in plan.outputs}
    own -= {*content.site.config.taxonomies, *(page.slug for page in content.site.pages)}
    assert own <= TOP_LEVEL, own - TOP_LEVEL
    assert {"feed.xml", "static", "favicon.ico", "events.csv"} <= own


# -- feed ids ---------------------------------------------------------------------------------


def test_one_feed_id_on_two_posts_is_an_error(make_site: Make) -> None:
    root = make_site(
        {
            "posts/a.md": post_text("A", "2026-01-01", id="tag:example.org,2016:x"),
            "posts/b.md": post_text("B", "2026-01-02", slug="b", id="tag:example.org,2016:x"),
        }
    )
    assert problems_of(root) == [
        "posts/b.md:5: id: 'tag:example.org,2016:x' is also the feed id of posts/a.md (line 4); "
        "feed readers would take the two for one post"
    ]


def test_an_edited_feed_id_is_checked_against_the_cached_indexes(
    make_site: Make, build_site: Callable[..., object]
) -> None:
    """Only the ``id`` changes: the indexes kept from the last build must not hide the clash."""
    root = make_site(
        {
            "posts/a.md": post_text("A", "2026-01-01", id="tag:example.org,2016:x"),
            "posts/b.md": post_text("B", "2026-01-02", id="tag:example.org,2016:y"),
        }
    )
    build_site(root)
    edited = post_text("B", "2026-01-02", id="tag:example.org,2016:x")
    (root / "posts/b.md").write_text(edited, encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        build_site(root)
    assert [str(p) for p in caught.value.problems] == [
        "posts/b.md:4: id: 'tag:example.org,2016:x' is also the feed id of posts/a.md (line 4); "
        "feed readers would take the two for one post"
    ]


# -- names that make one slug ------------------------------------------------------------------


def test_names_that_make_one_slug_are_an_error(make_site: Make) -> None:
    site = "title: T\nbase_url: https://example.org/\ntaxonomies: [actors]\n"
    root = make_site(
        {
            "site.yaml": site,
            "posts/a.md": post_text("A", "2026-01-01", tags="[CON, C++]", series="Al Bab"),
            "posts/b.md": post_text("B", "2026-01-02", tags="[con-1, C]", actors="[x, X]"),
            "posts/c.md": post_text("C", "2026-01-03", series="Al-Bab!"),
        }
    )
    assert problems_of(root) == [
        "posts/b.md:4: tags: 'C' and 'C++' (of posts/a.md) would share one page, /tags/c/: "
        "rename one",
        "posts/b.md:4: tags: 'con-1' and 'CON' (of posts/a.md) would share one page, "
        "/tags/con-1/: rename one",
        "posts/c.md:4: series: 'Al-Bab!' and 'Al Bab' (of posts/a.md) would share one page, "
        "/series/al-bab/: rename one",
    ]


def test_names_that_differ_in_case_or_spacing_are_one_term(make_site: Make) -> None:
    root = make_site(
        {
            "posts/a.md": post_text("A", "2026-01-01", tags="[Al-Bab, Aleppo]"),
            "posts/b.md": post_text("B", "2026-01-02", tags="[al bab, ALEPPO, ｆｉｒｅ]"),
            "posts/c.md": post_text("C", "2026-01-03", tags="[Al_Bab, fire]"),
        }
    )
    content, _ = check(root, BuildOptions(now=NOW, cache=False)).held
    (tags,) = content.site.taxonomies
    assert [(t.name, t.slug, len(t.posts)) for t in tags.terms] == [
        ("Al-Bab", "al-bab", 3),
        ("Aleppo", "aleppo", 2),
        ("ｆｉｒｅ", "fire", 2),
    ]


# -- places --------------------------------------------------------------------------------------


REGISTRY = """\
title: T
base_url: https://example.org/
places:
  Aleppo: {name: Aleppo, lat: 36.2021, lon: 37.1343}
  aleppo: {name: Aleppo, lat: %s, lon: 37.1343}
"""


def test_one_place_in_the_registry_at_two_spots_is_an_error(make_site: Make) -> None:
    root = make_site({"site.yaml": REGISTRY % "36.2830", "posts/a.md": post_text("A")})
    assert problems_of(root) == [
        "site.yaml:5: places.aleppo: is the place /locations/aleppo/, as 'Aleppo' is (line 4), "
        "but 9.0 km away from it (more than 100 m); give one an id of its own "
        "(e.g. 'aleppo-district')"
    ]


def test_one_place_in_the_registry_within_the_tolerance_is_one_place(make_site: Make) -> None:
    posts = {
        "posts/a.md": post_text("A", "2026-01-01", locations="[Aleppo]"),
        "posts/b.md": post_text("B", "2026-01-02", locations="[aleppo]"),
    }
    root = make_site({"site.yaml": REGISTRY % "36.2025", **posts})  # 44 m apart
    content, _ = check(root, BuildOptions(now=NOW, cache=False)).held
    assert [(e.place.key, len(e.posts)) for e in content.site.places] == [("aleppo", 2)]


def test_one_place_name_at_two_spots_in_posts_is_an_error(make_site: Make) -> None:
    def located(lat: str) -> str:
        return f"\n  - name: Aleppo\n    lat: {lat}\n    lon: 37.1343"

    root = make_site(
        {
            "posts/a.md": post_text("A", "2026-01-01", locations=located("36.2021")),
            "posts/b.md": post_text("B", "2026-01-02", locations=located("36.2830")),
            "posts/c.md": post_text("C", "2026-01-03", locations=located("36.2025")),
            "posts/d.md": post_text(
                "D", "2026-01-04", locations=located("36.2021") + located("36.2830")
            ),
        }
    )
    assert problems_of(root) == [
        "posts/b.md:5: locations[0]: 'Aleppo' at 36.283, 37.1343 is 9.0 km from the 'Aleppo' of "
        "posts/a.md (36.2021, 37.1343), and both would be /locations/aleppo/ (one place may "
        "differ by 100 m); give one a distinct name (e.g. 'Aleppo (district)') or a registry id",
        "posts/d.md:8: locations[1]: is 9.0 km from 'Aleppo' above, and both would be "
        "/locations/aleppo/: give one a distinct name",
    ]


def test_a_file_where_the_site_needs_a_folder_is_reported_at_the_editors_line() -> None:
    def made(path: str, owner: Owner | None = None) -> Output:
        return Output(path, Inputs("rss"), lambda: b"", owner=owner)

    alias = Owner("posts/a.md", 7, "aliases[1]")
    assert [str(p) for p in collisions([made("x/feed.xml"), made("x", alias)])] == [
        "posts/a.md:7: aliases[1]: /x is a folder of the site: /x/feed.xml is an RSS feed "
        "of the site"
    ]
    assert [
        str(p) for p in collisions([made("x/y/z", alias), made("x/y", Owner("static/x/y"))])
    ] == ["posts/a.md:7: aliases[1]: /x/y/z would be inside /x/y, which is written by static/x/y"]
    assert collisions([made("a/b"), made("a/c"), made("ab")]) == []
