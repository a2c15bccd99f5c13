"""The repository's own sample site, built whole: pages, links, validity, determinism, goldens.

The site (site.yaml, posts/, pages/, templates/, static/) is copied into a temporary directory
and built once per session at ``NOW`` (see the ``sample_site`` fixture in conftest.py).
What to expect is read from the sources with plain PyYAML, not through sitegen.

Golden files in tests/golden/sample/ hold a few key outputs byte for byte. After an
intended change to the theme, the sample posts or the output, regenerate them with

    SITEGEN_UPDATE_GOLDEN=1 python3 -m pytest tests/test_sample_site.py

and review the diff before committing it.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

import lxml.etree
import lxml.html
import pytest
from conftest import (
    NOW,
    SampleSite,
    build_tree,
    copy_sample,
    expected_pages,
    read_sample,
    tree_bytes,
)
from PIL import Image

from sitegen.read.slugs import slugify
from tools import html_files, require_vnu, validate_html

GOLDEN_DIR = Path(__file__).resolve().parent / "golden" / "sample"
UPDATE_GOLDEN = os.environ.get("SITEGEN_UPDATE_GOLDEN", "").strip() not in ("", "0")

# Key outputs kept as golden files: the home page, a Sevastopol SITREP with quotes,
# citations, corrections, Cyrillic place names, layers and events, the sources page,
# the GeoJSON, both site feeds and one series feed, a series' situation page and
# its data (GeoJSON, KML), and the site's events.
GOLDEN = (
    "index.html",
    "posts/sevastopol-sitrep-2/index.html",
    "sources/index.html",
    "locations.geojson",
    "feed.xml",
    "atom.xml",
    "series/siege-of-sevastopol/feed.xml",
    "series/siege-of-sevastopol/situation/index.html",
    "series/siege-of-sevastopol/situation.geojson",
    "series/siege-of-sevastopol/situation.kml",
    "events.csv",
)


def built(out: Path) -> set[str]:
    return {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()}


def section(files: set[str], name: str) -> set[str]:
    return {f for f in files if f.startswith(f"{name}/")}


# ----------------------------------------------------------------------- pages


def test_sample_sources_cover_every_kind_of_page(sample_site: SampleSite) -> None:
    """The sample exercises what the other tests rely on; fails loudly if it stops doing so."""
    published = sample_site.published
    assert len(published) > int(sample_site.config["posts_per_page"]), "needs a /page/2/"
    assert any(p.draft for p in sample_site.posts), "needs a draft"
    assert {"theaters", "actors"} <= set(sample_site.taxonomies)
    assert any(p.front.get("series") for p in published)
    assert any(p.places for p in published)
    assert any(not page.isascii() for page in expected_pages(sample_site)), "needs a Unicode URL"


def test_every_spec_page_exists(sample_site: SampleSite) -> None:
    files = built(sample_site.out)
    expected = expected_pages(sample_site)
    assert sorted(expected - files) == []
    # Nothing beyond what the sources call for, in the sections one page per item.
    for name in ("posts", "series", "locations", *sample_site.taxonomies):
        extra = {f for f in section(files, name) - expected if f.endswith((".html", ".xml"))}
        assert sorted(extra) == [], name
    for name in ("index.html", "page/2/index.html", "tags/севастополь/index.html"):
        assert name in files
    assert (sample_site.out / "static/vendor/leaflet/leaflet.js").is_file()


def test_static_tree_is_copied_as_is_but_images_without_metadata(sample_site: SampleSite) -> None:
    static = sample_site.root / "static"  # the snapshot the build was made from
    for source in static.rglob("*"):
        if not source.is_file():
            continue
        copy = sample_site.out / "static" / source.relative_to(static)
        if source.suffix.lower() not in (".png", ".jpg", ".jpeg", ".webp", ".gif"):
            assert copy.read_bytes() == source.read_bytes(), copy
            continue
        with Image.open(source) as before, Image.open(copy) as after:  # encoded anew
            assert after.format == before.format and after.size == before.size, copy
            assert not after.getexif() and "icc_profile" not in after.info, copy
            if before.format == "PNG":  # lossless: the same picture
                assert after.convert("RGBA").tobytes() == before.convert("RGBA").tobytes(), copy


def test_pages_have_their_content(sample_site: SampleSite) -> None:
    out = sample_site.out
    home = (out / "index.html").read_text(encoding="utf-8")
    newest = max(sample_site.published, key=lambda p: p.date)
    assert f'href="/posts/{newest.slug}/"' in home
    assert 'rel="next" href="/page/2/"' in home
    for post in sample_site.published:
        page = (out / f"posts/{post.slug}/index.html").read_text(encoding="utf-8")
        title = lxml.html.fromstring(page).findtext(".//h1")
        assert title == post.front["title"], post.path
    archive = (out / "archive/index.html").read_text(encoding="utf-8")
    for post in sample_site.published:
        assert f'href="/posts/{post.slug}/"' in archive


def test_series_page_in_index_order(sample_site: SampleSite) -> None:
    series: dict[str, list] = {}
    for post in sample_site.published:
        if post.front.get("series"):
            series.setdefault(post.front["series"], []).append(post)
    assert series
    for name, posts in series.items():
        page = (sample_site.out / f"series/{slugify(name)}/index.html").read_text("utf-8")
        in_order = sorted(posts, key=lambda p: int(p.front["series_index"]))
        positions = [page.index(f'href="/posts/{p.slug}/"') for p in in_order]
        assert positions == sorted(positions), name


def test_place_pages_list_their_posts(sample_site: SampleSite) -> None:
    naming: dict[str, set[str]] = {}
    for post in sample_site.published:
        for place in post.places:
            naming.setdefault(place["key"], set()).add(post.slug)
    for key, slugs in naming.items():
        page = (sample_site.out / f"locations/{key}/index.html").read_text("utf-8")
        linked = set(re.findall(r'href="/posts/([^/"]+)/"', page))
        assert linked == slugs, key


def test_drafts_are_built_only_on_request(sample_site: SampleSite, tmp_path: Path) -> None:
    drafts = [p for p in sample_site.posts if p.draft]
    assert drafts
    files = built(sample_site.out)
    for post in drafts:
        assert f"posts/{post.slug}/index.html" not in files
        assert f"/posts/{post.slug}/" not in (sample_site.out / "index.html").read_text("utf-8")
    with_drafts = build_tree(sample_site.root, tmp_path / "with-drafts", drafts=True)
    files = built(with_drafts)
    for post in drafts:
        assert f"posts/{post.slug}/index.html" in files
    everything = [p for p in sample_site.posts if p.date <= NOW]
    assert sorted(expected_pages(sample_site, everything) - files) == []


# ----------------------------------------------------------------- determinism


def test_two_builds_are_byte_identical(
    sample_site: SampleSite, sample_site_rebuilt: SampleSite, tmp_path: Path
) -> None:
    first = tree_bytes(sample_site.out)
    assert len(first) > 100
    # An independent build from a fresh copy (no cache) ...
    second = tree_bytes(sample_site_rebuilt.out)
    assert sorted(set(first) ^ set(second)) == []
    assert [name for name in first if first[name] != second[name]] == []
    # ... and a rebuild of the same sources (with whatever cache the first build left).
    third = tree_bytes(build_tree(sample_site.root, tmp_path / "third"))
    assert [name for name in first if first[name] != third.get(name)] == []
    assert set(third) == set(first)


def test_build_from_another_directory_is_identical(sample_site: SampleSite, tmp_path: Path) -> None:
    """The site's location on disk does not leak into the output."""
    root = copy_sample(tmp_path / "elsewhere" / "deeper" / "site", sample_site.root)
    other = read_sample(root, build_tree(root, root / "_site"))
    assert tree_bytes(other.out) == tree_bytes(sample_site.out)


# ---------------------------------------------------------------------- links


def link_targets(page: Path) -> list[str]:
    """Every root-relative href/src/action in an HTML page (and the URLs in map data)."""
    doc = lxml.html.fromstring(page.read_bytes())
    links = []
    for element in doc.iter():
        if not isinstance(element.tag, str):
            continue
        for attr in ("href", "src", "action"):
            value = element.get(attr)
            if value and value.startswith("/") and not value.startswith("//"):
                links.append(value)
        if element.get("data-map"):
            data = json.loads(element.get("data-map"))
            links += [place["url"] for place in data["places"]]
            links += [layer["url"] for layer in data["layers"]]
            links += [data["situation"]["data"]] if data["situation"] else []
    return links


def test_every_page_names_its_icon(sample_site: SampleSite) -> None:
    """A page without <link rel=icon> makes every browser ask for a missing /favicon.ico."""
    for page in html_files(sample_site.out):
        icons = lxml.html.fromstring(page.read_bytes()).xpath('//link[@rel="icon"]/@href')
        assert icons == ["/static/favicon.svg"], page
    assert (sample_site.out / "static/favicon.svg").is_file()


def test_every_internal_link_resolves(sample_site: SampleSite) -> None:
    out = sample_site.out
    pages = html_files(out)
    assert len(pages) > 50
    broken = []
    checked = 0
    for page in pages:
        for link in link_targets(page):
            path = unquote(urlsplit(link).path)
            target = out / (path.lstrip("/") + ("index.html" if path.endswith("/") else ""))
            checked += 1
            if not target.is_file():
                broken.append(f"{page.relative_to(out)}: {link}")
    assert checked > 1000
    assert broken == [], "\n".join(broken)


def test_unicode_links_are_percent_encoded_and_resolve(sample_site: SampleSite) -> None:
    unicode_tags = [
        tag for post in sample_site.published for tag in post.tags if not slugify(tag).isascii()
    ]
    assert unicode_tags
    for tag in unicode_tags:
        slug = slugify(tag)
        assert (sample_site.out / f"tags/{slug}/index.html").is_file()
        post = next(p for p in sample_site.published if tag in p.tags)
        page = (sample_site.out / f"posts/{post.slug}/index.html").read_text("utf-8")
        encoded = sample_site.url(f"tags/{slug}/")[len(sample_site.base_url) - 1 :]
        assert f'href="{encoded}"' in page
        assert encoded.isascii()


def test_in_page_fragment_links_have_targets(sample_site: SampleSite) -> None:
    """Citations (#source-x), footnotes, the table of contents and the skip link."""
    missing = []
    for page in html_files(sample_site.out):
        doc = lxml.html.fromstring(page.read_bytes())
        ids = {e.get("id") for e in doc.iter() if isinstance(e.tag, str) and e.get("id")}
        for a in doc.iter("a"):
            href = a.get("href") or ""
            if href.startswith("#") and unquote(href[1:]) not in ids:
                missing.append(f"{page.relative_to(sample_site.out)}: {href}")
    assert missing == [], "\n".join(missing)


def test_sitemap_and_robots(sample_site: SampleSite) -> None:
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    tree = lxml.etree.parse(str(sample_site.out / "sitemap.xml"))
    locs = [loc.text for loc in tree.findall(".//s:loc", ns)]
    assert len(locs) == len(set(locs))
    for loc in locs:
        assert sample_site.file_of_url(loc).is_file(), loc
    for post in sample_site.published:
        assert sample_site.url(f"posts/{post.slug}/") in locs
    assert sample_site.url("404.html") not in locs
    robots = (sample_site.out / "robots.txt").read_text("utf-8")
    assert f"Sitemap: {sample_site.url('sitemap.xml')}" in robots.splitlines()


# ------------------------------------------------------------------ validity


def test_every_page_is_valid_html(sample_site: SampleSite) -> None:
    require_vnu()
    pages = html_files(sample_site.out)
    assert any(not str(p.relative_to(sample_site.out)).isascii() for p in pages)
    errors = validate_html(pages)
    print("\n".join(errors))
    assert errors == []


# ------------------------------------------------------------------- goldens


@pytest.mark.parametrize("name", GOLDEN)
def test_golden_file(sample_site: SampleSite, name: str) -> None:
    actual = (sample_site.out / name).read_bytes()
    golden = GOLDEN_DIR / name
    if UPDATE_GOLDEN:
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_bytes(actual)
        return
    assert golden.is_file(), (
        f"missing golden file {golden}; run "
        "SITEGEN_UPDATE_GOLDEN=1 python3 -m pytest tests/test_sample_site.py"
    )
    expected = golden.read_bytes()
    if actual != expected:
        import difflib

        diff = "\n".join(
            difflib.unified_diff(
                expected.decode("utf-8").splitlines(),
                actual.decode("utf-8").splitlines(),
                f"golden/{name}",
                f"built/{name}",
                lineterm="",
                n=1,
            )
        )
        pytest.fail(
            f"{name} differs from its golden file (if intended, regenerate: "
            f"SITEGEN_UPDATE_GOLDEN=1 python3 -m pytest tests/test_sample_site.py)\n" + diff[:6000],
            pytrace=False,
        )


DAY = re.compile(
    r"^\d{1,2} (January|February|March|April|May|June|July|August|September|"
    r"October|November|December) \d{4}$"
)


def test_lists_show_dates_and_a_post_its_time_with_the_zone(sample_site: SampleSite) -> None:
    """One format per context: a list shows the date alone; a post's header, the time too."""
    out = sample_site.out
    lists = ["index.html", "archive/index.html", "series/waterloo-campaign/index.html"]
    lists += ["series/index.html", "tags/waterloo/index.html", "locations/hougoumont/index.html"]
    for name in lists:
        doc = lxml.html.parse(str(out / name)).getroot()
        shown = [" ".join(t.text_content().split()) for t in doc.iter("time")]
        assert shown, name
        assert [t for t in shown if not DAY.match(t)] == [], name
    header = lxml.html.parse(str(out / "posts/waterloo-sitrep-1/index.html")).getroot()
    (published,) = header.cssselect("header time.dt-published")
    assert published.text_content() == "15 September 2026, 07:30 UTC+01:00"


def test_the_stylesheets_are_valid_css() -> None:
    """The W3C checker's CSS mode (vnu --css): no property it does not know (line-clamp was)."""
    import subprocess

    from tools import java_path, vnu_jar

    require_vnu()
    sheets = sorted((Path(__file__).resolve().parent.parent / "static" / "css").glob("*.css"))
    assert sheets
    run = subprocess.run(
        [str(java_path()), "-jar", str(vnu_jar()), "--css", "--errors-only", "--format", "json"]
        + [str(s) for s in sheets],
        capture_output=True,
        text=True,
        check=False,
    )
    messages = json.loads(run.stderr or run.stdout or '{"messages": []}')["messages"]
    assert [m for m in messages if m.get("type") == "error"] == []
