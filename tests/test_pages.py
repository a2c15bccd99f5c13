"""Pages of pages/ (About, Methodology): undated, in the navigation, never in lists or feeds."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import feedparser
import lxml.html
import pytest

from sitegen.commands.build import BuildOptions, check
from sitegen.errors import ContentError

POST = "---\ntitle: A report\ndate: 2026-01-10T10:00:00Z\ntags: [one]\n---\nText of a report.\n"
ABOUT = "---\ntitle: About us\nmenu: 2\nupdated: 2026-02-01\n---\nWho we are [@ft].\n"
METHOD = (
    "---\ntitle: Method\nslug: how-we-work\nmenu: 1\n---\nHow we work: see the [chart](chart.svg)"
    " and the [missing table](table.csv).\n"
)
NOTICE = "---\ntitle: Legal notice\n---\nNot in the menu.\n"


@pytest.fixture
def site(make_site: Callable[..., Path]) -> Path:
    about = ABOUT.replace("menu: 2", "menu: 2\nsources:\n  - {id: ft, name: Financial Times}")
    return make_site(
        {
            "posts/report.md": POST,
            "pages/about.md": about,
            "pages/method/index.md": METHOD,
            "pages/method/chart.svg": "<svg xmlns='http://www.w3.org/2000/svg'/>\n",
            "pages/notice.md": NOTICE,
        }
    )


def test_pages_are_written_at_their_slug(site: Path, build_site) -> None:
    out, result = build_site(site)
    assert result.posts == 1  # pages are not posts
    about = lxml.html.fromstring((out / "about-us/index.html").read_bytes())
    assert about.cssselect("h1")[0].text_content() == "About us"
    assert about.cssselect(".source-list li")  # the same body syntax: citations
    assert (out / "how-we-work/index.html").is_file()
    assert (out / "how-we-work/chart.svg").is_file()  # a page bundle's file
    assert (out / "legal-notice/index.html").is_file()
    (jsonld,) = about.xpath('//script[@type="application/ld+json"]/text()')
    data = json.loads(jsonld)
    assert data["@type"] == "WebPage" and data["dateModified"].startswith("2026-02-01")
    assert "datePublished" not in data


def test_links_to_bundle_files_are_checked(site: Path, build_site) -> None:
    _, result = build_site(site)
    assert [str(w) for w in result.warnings] == [
        "pages/method/index.md:6: warning: link 'table.csv' leads to no page or file of the site"
    ]


def test_menu_order_in_the_navigation(site: Path, build_site) -> None:
    out, _ = build_site(site)
    home = lxml.html.fromstring((out / "index.html").read_bytes())
    nav = [a.text_content() for a in home.cssselect(".site-nav a")]
    assert nav[-2:] == ["Method", "About us"]  # menu 1, then 2; the notice is not in it


def test_pages_are_in_the_sitemap_not_in_lists_or_feeds(site: Path, build_site) -> None:
    out, _ = build_site(site)
    sitemap = (out / "sitemap.xml").read_text()
    assert "<loc>https://example.org/about-us/</loc><lastmod>2026-02-01" in sitemap
    assert "<loc>https://example.org/legal-notice/</loc></url>" in sitemap  # no date: no lastmod
    for feed in ("feed.xml", "atom.xml"):
        entries = feedparser.parse(str(out / feed)).entries
        assert [e.title for e in entries] == ["A report"]
    for listing in ("index.html", "archive/index.html", "tags/one/index.html"):
        text = (out / listing).read_text()
        main = text[text.index("<main") :]
        assert "About us" not in main and "Legal notice" not in main


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        (
            {
                "pages/about.md": "---\ntitle: About\n---\nx\n",
                "posts/old.md": "---\ntitle: Old\ndate: 2026-01-02\naliases: [/about/]\n---\nx\n",
            },
            "posts/old.md:4: aliases[0]: /about/index.html is also written by pages/about.md",
        ),
        (
            {
                "pages/a.md": "---\ntitle: A\nslug: dup\n---\nx\n",
                "pages/b.md": "---\ntitle: B\nslug: dup\n---\nx\n",
            },
            "pages/b.md:3: slug: /dup/index.html is also written by pages/a.md",
        ),
        (
            {"pages/s.md": "---\ntitle: Series\n---\nx\n"},
            "pages/s.md:2: title: a page at /series/ would take the place of a section of the site",
        ),
        (
            {"pages/d.md": "---\ntitle: D\ndate: 2026-01-01\n---\nx\n"},
            "pages/d.md:3: date: unknown field (did you mean 'updated'?); a page has no date, "
            "series, tags or author (those are a post's)",
        ),
    ],
    ids=["post-alias", "two-pages", "section", "dated"],
)
def test_page_problems(make_site, files: dict[str, str], expected: str) -> None:
    root = make_site({"posts/report.md": POST, **files})
    with pytest.raises(ContentError) as exc:
        check(root, BuildOptions())
    messages = [str(p) for p in exc.value.problems]
    assert any(m.startswith(expected) for m in messages), messages
