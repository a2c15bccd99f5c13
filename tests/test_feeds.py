"""RSS and Atom, read back the way subscribers read them: with feedparser (SPEC §5).

Most checks run over every feed of the sample site (built once, see conftest.py);
GUIDs, clock independence, feed_length, drafts and future posts use small inline sites.
"""

from __future__ import annotations

import calendar
from collections.abc import Callable
from datetime import timedelta
from html import escape
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import feedparser
import lxml.etree
import lxml.html
import pytest
from conftest import NOW, SamplePost, SampleSite, post_text

from sitegen.commands.build import BuildOptions, build
from sitegen.output.feeds import absolutize
from sitegen.read.slugs import slugify

Make = Callable[..., Path]
Build = Callable[..., tuple[Path, object]]

NS = {
    "atom": "http://www.w3.org/2005/Atom",
    "dc": "http://purl.org/dc/elements/1.1/",
    "content": "http://purl.org/rss/1.0/modules/content/",
}


def feed_paths(sample: SampleSite) -> list[str]:
    """Every feed SPEC §4 promises for the sample site, from its sources."""
    paths = {"feed.xml", "atom.xml"}
    for post in sample.published:
        if post.front.get("series"):
            paths.add(f"series/{slugify(post.front['series'])}/feed.xml")
        for taxonomy in sample.taxonomies:
            paths |= {f"{taxonomy}/{slugify(term)}/feed.xml" for term in post.terms(taxonomy)}
    return sorted(paths)


def parse(path: Path) -> Any:
    return feedparser.parse(path.read_bytes())


def seconds(struct: Any) -> int:
    return calendar.timegm(struct)


def post_of(sample: SampleSite, link: str) -> SamplePost:
    """The sample post an entry links to (the link must be a post page of this site)."""
    prefix = sample.base_url + "posts/"
    assert link.startswith(prefix) and link.endswith("/"), link
    return sample.post_by_slug(link[len(prefix) : -1])


@pytest.fixture(scope="module")
def feeds(sample_site: SampleSite) -> dict[str, Any]:
    found = sorted(
        p.relative_to(sample_site.out).as_posix()
        for p in sample_site.out.rglob("*.xml")
        if p.name in ("feed.xml", "atom.xml")
    )
    assert found == feed_paths(sample_site)
    return {path: parse(sample_site.out / path) for path in found}


# ------------------------------------------------------------- every feed


def test_every_feed_parses_cleanly(feeds: dict[str, Any]) -> None:
    assert len(feeds) > 10
    for path, feed in feeds.items():
        assert feed.bozo == 0, f"{path}: {feed.get('bozo_exception')}"
        assert feed.version in ("rss20", "atom10"), path
        assert feed.entries, path
    assert feeds["feed.xml"].version == "rss20"
    assert feeds["atom.xml"].version == "atom10"


def test_entries_are_complete(sample_site: SampleSite, feeds: dict[str, Any]) -> None:
    for path, feed in feeds.items():
        for entry in feed.entries:
            where = f"{path}: {entry.get('link')}"
            assert entry.get("title"), where
            assert entry.link.startswith(("https://", "http://")), where
            assert sample_site.file_of_url(entry.link).is_file(), where
            post = post_of(sample_site, entry.link)
            assert entry.title == post.front["title"], where
            assert entry.get("id"), where
            assert entry.get("published_parsed") is not None, where
            assert seconds(entry.published_parsed) == int(post.date.timestamp()), where
            assert entry.get("author"), where
            assert [a["name"] for a in entry.authors] == list(post.authors), where
            assert entry.get("summary"), where
            assert entry.get("content") and entry.content[0].value, where


def test_entries_newest_first_and_unique(feeds: dict[str, Any]) -> None:
    for path, feed in feeds.items():
        published = [seconds(e.published_parsed) for e in feed.entries]
        assert published == sorted(published, reverse=True), path
        ids = [e.id for e in feed.entries]
        assert len(ids) == len(set(ids)), path


def test_feeds_hold_the_right_posts(sample_site: SampleSite, feeds: dict[str, Any]) -> None:
    length = int(sample_site.config.get("feed_length", 20))
    newest = sorted(sample_site.published, key=lambda p: p.date, reverse=True)
    for path, feed in feeds.items():
        section, _, rest = path.partition("/")
        slug = rest[: -len("/feed.xml")]
        if not rest:
            members = newest
        elif section == "series":
            members = [p for p in newest if slugify(p.front.get("series") or "") == slug]
        else:
            members = [p for p in newest if slug in {slugify(t) for t in p.terms(section)}]
        assert members, path
        slugs = [post_of(sample_site, e.link).slug for e in feed.entries]
        assert slugs == [p.slug for p in members[:length]], path


def test_self_link_and_channel_link(sample_site: SampleSite, feeds: dict[str, Any]) -> None:
    for path, feed in feeds.items():
        own = sample_site.url(path)
        selves = [link.href for link in feed.feed.links if link.rel == "self"]
        assert selves == [own], path
        page = sample_site.url("" if path in ("feed.xml", "atom.xml") else path[: -len("feed.xml")])
        # The channel <link> (RSS) / rel=alternate (Atom) is the HTML page, not the feed.
        assert feed.feed.link == page, path
        assert sample_site.file_of_url(page).is_file(), path


def test_rss_channel_link_element_is_the_page(sample_site: SampleSite) -> None:
    tree = lxml.etree.parse(str(sample_site.out / "series/siege-of-sevastopol/feed.xml"))
    channel = tree.find("channel")
    assert channel.findtext("link") == sample_site.url("series/siege-of-sevastopol/")
    (self_link,) = channel.findall("atom:link", NS)
    assert self_link.get("rel") == "self"
    assert self_link.get("href") == sample_site.url("series/siege-of-sevastopol/feed.xml")


def raw_contents(path: Path) -> list[str]:
    """The entry HTML exactly as written (feedparser would resolve relative URLs itself)."""
    tree = lxml.etree.parse(str(path))
    texts = tree.xpath("//content:encoded/text()", namespaces=NS)
    texts += tree.xpath("//atom:entry/atom:content/text()", namespaces=NS)
    return [str(t) for t in texts]


def test_content_links_are_absolute(sample_site: SampleSite, feeds: dict[str, Any]) -> None:
    checked = 0
    for path in feeds:
        contents = raw_contents(sample_site.out / path)
        assert len(contents) == len(feeds[path].entries), path
        for html in contents:
            assert 'href="/' not in html and 'src="/' not in html, path
            doc = lxml.html.fragment_fromstring(html, create_parent="div")
            for element in doc.iter():
                for attr in ("href", "src", "cite"):
                    value = element.get(attr) if isinstance(element.tag, str) else None
                    if value is not None:
                        checked += 1
                        assert value.startswith(("https://", "http://", "mailto:")), (path, value)
    assert checked > 100


def test_citation_links_point_into_the_post(sample_site: SampleSite) -> None:
    html = raw_contents(sample_site.out / "feed.xml")
    post = sample_site.url("posts/sevastopol-sitrep-2/")
    joined = "\n".join(html)
    assert f'href="{post}#source-russell-times"' in joined


def test_categories_match_tags(sample_site: SampleSite, feeds: dict[str, Any]) -> None:
    for path, feed in feeds.items():
        for entry in feed.entries:
            post = post_of(sample_site, entry.link)
            terms = [t.term for t in entry.get("tags", [])]
            assert terms == post.tags, (path, entry.link)


def test_feed_date_is_the_newest_post_date(sample_site: SampleSite, feeds: dict[str, Any]) -> None:
    for path, feed in feeds.items():
        posts = [post_of(sample_site, e.link) for e in feed.entries]
        newest = max(p.last_modified for p in posts)
        assert seconds(feed.feed.updated_parsed) == int(newest.timestamp()), path


def test_atom_updated_is_last_modification(sample_site: SampleSite, feeds: dict[str, Any]) -> None:
    for entry in feeds["atom.xml"].entries:
        post = post_of(sample_site, entry.link)
        assert seconds(entry.updated_parsed) == int(post.last_modified.timestamp()), entry.link


def test_georss_point_is_first_place(sample_site: SampleSite, feeds: dict[str, Any]) -> None:
    with_place = 0
    for path, feed in feeds.items():
        for entry in feed.entries:
            post = post_of(sample_site, entry.link)
            if not post.places:
                assert "where" not in entry, (path, entry.link)
                continue
            first = post.places[0]
            with_place += 1
            assert entry.where["type"] == "Point"
            assert entry.where["coordinates"] == pytest.approx((first["lon"], first["lat"]))
    assert with_place > 10


def test_rss_items_carry_dc_creator(sample_site: SampleSite) -> None:
    tree = lxml.etree.parse(str(sample_site.out / "feed.xml"))
    items = tree.findall(".//item")
    assert items
    for item in items:
        post = post_of(sample_site, item.findtext("link"))
        creators = [c.text for c in item.findall("dc:creator", NS)]
        assert creators == list(post.authors), post.slug
        guid = item.find("guid")
        assert guid is not None and guid.text


def test_ids_are_stable_across_builds(
    sample_site: SampleSite, sample_site_rebuilt: SampleSite
) -> None:
    for path in ("feed.xml", "atom.xml", "series/siege-of-sevastopol/feed.xml"):
        first = {e.link: e.id for e in parse(sample_site.out / path).entries}
        second = {e.link: e.id for e in parse(sample_site_rebuilt.out / path).entries}
        assert first == second
    rss = {e.link: e.id for e in parse(sample_site.out / "feed.xml").entries}
    atom = {e.link: e.id for e in parse(sample_site.out / "atom.xml").entries}
    assert rss == atom


# ---------------------------------------------------------- inline sites


def test_front_matter_id_pins_the_guid(make_site: Make, build_site: Build) -> None:
    pinned = "tag:example.org,2016:sitrep-9"
    root = make_site(
        {
            "posts/a.md": post_text("Pinned", "2026-01-02", id=f'"{pinned}"', tags="[t]"),
            "posts/b.md": post_text("Derived", "2026-01-01", tags="[t]"),
        }
    )
    out, _ = build_site(root)
    for path in ("feed.xml", "atom.xml", "tags/t/feed.xml"):
        ids = {e.title: e.id for e in parse(out / path).entries}
        assert ids["Pinned"] == pinned, path
        assert ids["Derived"] == "tag:example.org,2026-01-01:derived", path
    first = (out / "feed.xml").read_bytes()
    # Editing the body (not the id) keeps both GUIDs.
    (root / "posts/a.md").write_text(
        post_text("Pinned", "2026-01-02", body="New body.", id=f'"{pinned}"', tags="[t]")
    )
    out, _ = build_site(root)
    assert first != (out / "feed.xml").read_bytes()
    assert {e.title: e.id for e in parse(out / "feed.xml").entries} == {
        "Pinned": pinned,
        "Derived": "tag:example.org,2026-01-01:derived",
    }


def test_feed_dates_never_come_from_the_clock(make_site: Make, tmp_path: Path) -> None:
    root = make_site(
        {
            "posts/a.md": post_text("Older", "2026-01-01T10:00:00Z"),
            "posts/b.md": post_text("Newer", "2026-01-05T10:00:00Z", updated="2026-01-06T08:00Z"),
        }
    )
    early = tmp_path / "early"
    late = tmp_path / "late"
    build(root, BuildOptions(output=early, now=NOW))
    build(root, BuildOptions(output=late, now=NOW + timedelta(days=400)))
    for name in ("feed.xml", "atom.xml"):
        assert (early / name).read_bytes() == (late / name).read_bytes(), name
        feed = parse(early / name)
        assert seconds(feed.feed.updated_parsed) == calendar.timegm((2026, 1, 6, 8, 0, 0))
    # A feed without posts gets a fixed date too, not the time of the build.
    for post in (root / "posts").iterdir():
        post.unlink()
    build(root, BuildOptions(output=early, now=NOW))
    build(root, BuildOptions(output=late, now=NOW + timedelta(days=1)))
    for name in ("feed.xml", "atom.xml"):
        assert (early / name).read_bytes() == (late / name).read_bytes(), name
        assert parse(early / name).bozo == 0


def test_feed_length_is_respected(make_site: Make, build_site: Build) -> None:
    files = {
        f"posts/p{i:02d}.md": post_text(
            f"Post {i:02d}",
            f"2026-01-{i + 1:02d}T09:00:00Z",
            tags="[t]",
            theaters="[north]",
            series="S",
            series_index=str(i + 1),
        )
        for i in range(13)
    }
    site_yaml = (
        "title: T\nbase_url: https://example.org/\nauthor: A\nfeed_length: 10\n"
        "taxonomies: [theaters]\n"
    )
    out, _ = build_site(make_site({"site.yaml": site_yaml, **files}))
    newest = [f"Post {i:02d}" for i in range(12, 2, -1)]
    for path in ("feed.xml", "atom.xml"):
        assert [e.title for e in parse(out / path).entries] == newest, path
    for path in ("series/s/feed.xml", "tags/t/feed.xml", "theaters/north/feed.xml"):
        assert [e.title for e in parse(out / path).entries] == newest, path
    # The pages still list everything.
    assert "Post 00" in (out / "tags/t/index.html").read_text()


def test_drafts_and_future_posts_never_in_feeds(make_site: Make, build_site: Build) -> None:
    root = make_site(
        {
            "posts/a.md": post_text("Visible", "2026-01-01", tags="[t]", series="S"),
            "posts/b.md": post_text("Drafty", "2026-01-02", tags="[t]", series="S", draft="true"),
            "posts/c.md": post_text("Futury", "2027-01-01", tags="[t]", series="S"),
        }
    )
    out, _ = build_site(root)
    for path in ("feed.xml", "atom.xml", "tags/t/feed.xml", "series/s/feed.xml"):
        assert [e.title for e in parse(out / path).entries] == ["Visible"], path
        text = (out / path).read_text()
        assert "Drafty" not in text and "Futury" not in text, path
    geo = (out / "locations.geojson").read_text()
    assert "Drafty" not in geo and "Futury" not in geo


@pytest.mark.parametrize("option", ["drafts", "future"])
def test_preview_options_keep_feeds_clean(make_site: Make, build_site: Build, option: str) -> None:
    root = make_site(
        {
            "posts/a.md": post_text("Visible", "2026-01-01", tags="[t]"),
            "posts/b.md": post_text("Drafty", "2026-01-02", tags="[t]", draft="true"),
            "posts/c.md": post_text("Futury", "2027-01-01", tags="[t]"),
        }
    )
    out, _ = build_site(root, **{option: True})
    hidden = "Drafty" if option == "drafts" else "Futury"
    assert (out / f"posts/{hidden.lower()}/index.html").is_file()  # the page is previewed
    for path in ("feed.xml", "atom.xml", "tags/t/feed.xml"):
        assert [e.title for e in parse(out / path).entries] == ["Visible"], path


def test_front_matter_is_escaped_in_feeds(make_site: Make, build_site: Build) -> None:
    title = 'Tanks & <Trucks> ]]> "quoted"'
    root = make_site(
        {"posts/a.md": post_text(f"'{title}'", "2026-01-01", tags="['R&D <x>']", slug="esc")}
    )
    out, _ = build_site(root)
    for path in ("feed.xml", "atom.xml"):
        feed = parse(out / path)
        assert feed.bozo == 0, path
        assert feed.entries[0].title == title
        assert [t.term for t in feed.entries[0].tags] == ["R&D <x>"]


def test_absolutize_resolves_every_url_attribute_as_urljoin_does() -> None:
    base = "https://x.org/blog/posts/%D1%81/"
    values = ["#source-ft", "#a#b", "#", "##", "../up/", "/root/", "i.png", "?q=1", "mailto:a@b"]
    html = "".join(f"<a href=\"{escape(v)}\">x</a><img src='{escape(v)}'>" for v in values)
    expected = "".join(
        f"<a href=\"{escape(urljoin(base, v))}\">x</a><img src='{escape(urljoin(base, v))}'>"
        for v in values
    )
    assert absolutize(html, base) == expected


def test_items_carry_the_evidence(sample_site: SampleSite, feeds: dict[str, Any]) -> None:
    """Each item has the post's numbered sources with their grades, and its corrections."""
    for path in ("feed.xml", "atom.xml"):
        for entry in feeds[path].entries:
            post = post_of(sample_site, entry.link)
            doc = lxml.html.fragment_fromstring(entry.content[0].value, create_parent="div")
            listed = doc.xpath("//h2[.='Sources']/following-sibling::ol[1]/li")
            names = [" ".join(li.text_content().split()) for li in listed]
            sources = post.front.get("sources") or []
            assert len(listed) >= len(sources), (path, entry.link)
            for li, text in zip(listed, names, strict=True):
                grade = li.find("abbr")
                if grade is not None:  # "B2 William Siborne, History ..., 1844. Source ..."
                    assert text.startswith(f"{grade.text} "), text
                    assert grade.get("title") and text.endswith("."), text
            corrections = post.front.get("corrections") or []
            shown = doc.xpath("//aside[h2='Corrections']//li")
            assert len(shown) == len(corrections), (path, entry.link)
            for li, correction in zip(shown, corrections, strict=True):
                assert " ".join(str(correction["text"]).split()) in " ".join(
                    li.text_content().split()
                )


def test_a_source_reads_as_a_sentence_in_the_feed(sample_site: SampleSite) -> None:
    html = "\n".join(raw_contents(sample_site.out / "feed.xml"))
    assert (
        '<abbr title="source usually reliable; information possibly true">B3</abbr> '
        "Alexander William Kinglake, <cite>The Invasion of the Crimea</cite>, "
        '<time datetime="1863">1863</time>. Source usually reliable; information possibly true.'
    ) in html
