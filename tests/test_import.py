"""``sitegen import``: WordPress, Blogger and feed exports in; posts that build, redirect
and keep their feed GUIDs out; safe re-runs; clear errors; honest reports."""

from __future__ import annotations

import argparse
import html
import io
import re
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import feedparser
import lxml.html
import pytest
from conftest import post_text
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

from sitegen.commands.importer import ImportReport, add_arguments, import_posts, read_export, run
from sitegen.errors import ContentError, Problems, SitegenError, UsageError
from sitegen.importers.html2md import to_markdown, video
from sitegen.markup.sitrep import BodyContext, MarkdownRenderer
from sitegen.read.config import load_config
from sitegen.read.frontmatter import Split, split
from sitegen.read.posts import read_post
from sitegen.read.yamlio import load

REPO = Path(__file__).resolve().parent.parent
DATA = REPO / "tests" / "data" / "import"
Make = Callable[..., Path]
Build = Callable[..., tuple[Path, object]]


# -- helpers --------------------------------------------------------------------------------


def front(path: Path) -> tuple[dict, str]:
    """A written post's front matter as sitegen's loader reads it, and its body."""
    parts = split(path.read_text(encoding="utf-8"), path.name)
    assert isinstance(parts, Split)
    problems = Problems(path.name)
    data = load(parts.yaml, problems)
    assert not problems.items
    return dict(data), parts.body


def snapshot(root: Path) -> dict[str, tuple[bytes, int]]:
    return {
        p.relative_to(root).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def imported(root: Path, name: str, kind: str | None = None, force: bool = False) -> ImportReport:
    return import_posts(DATA / name, kind, root / "posts", force)


@dataclass(frozen=True)
class Case:
    """What one fixture export must turn into."""

    file: str
    kind: str
    published: dict[str, tuple[str, str]]  # slug -> (original GUID, old URL path)
    drafts: dict[str, str]  # slug -> a phrase only its body has
    never: tuple[str, ...]  # text that must appear nowhere (comments)


CASES = [
    Case(
        "wordpress.xml",
        "wordpress",
        {
            "aleppo-sitrep-9": ("https://old.example.com/?p=101", "/2016/12/03/aleppo-sitrep-9/"),
            "حلب": ("https://old.example.com/?p=102", "/2016/12/05/حلب/"),
        },
        {"kobani-notes-for-later": "DRAFT-BODY"},
        ("COMMENT-TEXT-ONE", "COMMENT-TEXT-TWO"),
    ),
    Case(
        "blogger.xml",
        "blogger",
        {
            "mosul-offensive-day-80": (
                "tag:blogger.com,1999:blog-4242.post-1001",
                "/2017/01/mosul-offensive-day-80.html",
            ),
            "west-bank-harder": (
                "tag:blogger.com,1999:blog-4242.post-1002",
                "/2017/01/west-bank-harder.html",
            ),
        },
        {"tal-afar-draft": "BLOGGER-DRAFT-BODY"},
        ("BLOGGER-COMMENT-TEXT",),
    ),
    Case(
        "feed.rss",
        "feed",
        {
            "debaltseve-pocket-closes": (
                "urn:uuid:6f1c2e1a-0d4b-4c55-9a41-7c0e5d2b1a01",
                "/p/debaltseve-pocket-closes",
            ),
            "ceasefire-violations-count": (
                "tag:donbas.example.net,2015:post-77",
                "/p/ceasefire-violations-count",
            ),
        },
        {},
        (),
    ),
]
IDS = [case.kind for case in CASES]


# -- each export, end to end --------------------------------------------------------------


def test_wordpress_front_matter_and_body(make_site: Make) -> None:
    root = make_site()
    report = imported(root, "wordpress.xml")
    posts = root / "posts" / "2016"
    assert sorted(p.name for p in posts.iterdir()) == sorted(
        ["aleppo-sitrep-9.md", "kobani-notes-for-later.md", "حلب.md"]
    )
    data, body = front(posts / "aleppo-sitrep-9.md")
    assert data == {
        "title": "Battle of Aleppo SITREP 9: The Pocket Shrinks",
        "date": "2016-12-03T18:30:00-05:00",  # local time with the blog's offset, from GMT
        "updated": "2016-12-04T04:00:00-05:00",
        "slug": "aleppo-sitrep-9",
        "author": "The Editor",  # display name, not the login
        "tags": ["Analysis", "Aleppo", "Russia", "NO"],  # category first, then tags
        "summary": "The pocket shrinks: eastern Aleppo split in two.",
        "id": "https://old.example.com/?p=101",
        "aliases": ["/2016/12/03/aleppo-sitrep-9/"],
    }
    assert body == (
        "Government forces took **Masaken Hanano** overnight. "
        "See the [FT report](https://www.ft.com/content/aleppo).\n\n"
        "> The Russians and Turks are talking without the US now.\n\n"
        "![Map of eastern Aleppo](https://old.example.com/wp-content/uploads/2016/12/map.png)\n\n"
        "[Video on YouTube](https://www.youtube.com/watch?v=dQw4w9WgXcQ)\n\n"
        "## What comes next\n\n"
        "The pocket is now split in two.\n"
    )
    data, body = front(posts / "حلب.md")
    assert data["title"] == "yes" and data["slug"] == "حلب"
    assert data["tags"] == ["aleppo"]  # 'Uncategorized' is WordPress noise, not a tag
    assert data["aliases"] == ["/2016/12/05/حلب/"]  # percent-decoded
    assert "First paragraph about حلب.  \nA second line" in body  # wpautop: newline = <br>
    assert "[![The citadel](" in body and "\n\n*The citadel, 4 December*\n\n" in body
    assert "trackVisit" not in body and "widgets.example.net" not in body
    data, body = front(posts / "kobani-notes-for-later.md")
    assert data["draft"] == "true"
    assert data["date"] == "2016-12-06T09:00:00Z"  # no GMT time: site time (London, winter)
    assert "aliases" not in data  # a draft never had a public URL

    assert [p.name for p in report.imported] == [
        "aleppo-sitrep-9.md",
        "حلب.md",
        "kobani-notes-for-later.md",
    ]
    assert [p.name for p in report.drafts] == ["kobani-notes-for-later.md"]
    assert report.needs_look == [
        "posts/2016/حلب.md: dropped an <iframe> from widgets.example.net "
        "(https://widgets.example.net/poll?id=5)"
    ]
    assert report.ignored == (("attachments", 1), ("comments", 2))
    lines = report.lines()
    assert (
        lines[0] == "Importing " + str(DATA / "wordpress.xml") + " (WordPress export) into posts/"
    )
    assert "  imported    posts/2016/kobani-notes-for-later.md  (draft)" in lines
    assert "Left out on purpose: 1 attachment, 2 comments" in lines
    assert lines[-1] == "3 imported, 0 overwritten, 0 skipped (exists), 1 draft, 1 needs a look"


def test_blogger_front_matter_and_body(make_site: Make) -> None:
    root = make_site()
    report = imported(root, "blogger.xml")
    data, body = front(root / "posts/2017/mosul-offensive-day-80.md")
    assert data == {
        "title": "Mosul Offensive Day 80: East Bank",
        "date": "2017-01-05T21:10:00+03:00",
        "updated": "2017-01-06T08:00:00+03:00",
        "slug": "mosul-offensive-day-80",
        "author": "Analyst",
        "tags": ["Mosul", "ISIS"],
        "id": "tag:blogger.com,1999:blog-4242.post-1001",
        "aliases": ["/2017/01/mosul-offensive-day-80.html"],
    }
    assert body == (
        "Iraqi forces reached the **Tigris** at several points.  \nMore to follow.\n\n"
        "> We will finish the east side within days.\n\n"
        "[![](https://1.bp.blogspot.com/map/s320/map.jpg)](https://1.bp.blogspot.com/map/s1600/map.jpg)\n\n"
        "[Video on Vimeo](https://vimeo.com/123456)\n"
    )
    data, _ = front(root / "posts/2017/west-bank-harder.md")
    assert "updated" not in data  # updated == published says nothing
    data, _ = front(root / "posts/2017/tal-afar-draft.md")
    assert data["draft"] == "true" and "aliases" not in data
    assert report.ignored == (("comments", 1), ("settings entries", 1))
    assert len(report.imported) == 3 and len(report.drafts) == 1 and not report.needs_look


def test_feed_front_matter_and_body(make_site: Make) -> None:
    root = make_site()
    imported(root, "feed.rss")
    data, body = front(root / "posts/2015/debaltseve-pocket-closes.md")
    assert data == {
        "title": "Debaltseve: the pocket closes",
        "date": "2015-02-18T07:45:00+02:00",  # the pubDate's own offset survives
        "slug": "debaltseve-pocket-closes",
        "author": "Field Desk",
        "tags": ["Debaltseve", "Ukraine"],
        "summary": "Short version: the pocket closed overnight.",  # description, as content differs
        "id": "urn:uuid:6f1c2e1a-0d4b-4c55-9a41-7c0e5d2b1a01",
        "aliases": ["/p/debaltseve-pocket-closes"],
    }
    assert body == (
        "The pocket closed overnight. [Reuters](https://www.reuters.com/x) confirmed the "
        "withdrawal.\n\n> It was an organised withdrawal.\n\n"
        "![Debaltseve map](https://cdn.donbas.example.net/img/map.png)\n"
    )
    _, body = front(root / "posts/2015/ceasefire-violations-count.md")
    assert "[Video: OSCE briefing](https://www.youtube.com/watch?v=abcDEF12345)" in body


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_imported_site_builds_redirects_and_keeps_guids(
    case: Case, make_site: Make, build_site: Build
) -> None:
    root = make_site()
    import_posts(DATA / case.file, None, root / "posts", False)
    out, _ = build_site(root, drafts=False)
    for slug, (_, alias) in case.published.items():
        assert (out / "posts" / slug / "index.html").is_file()
        target = f"https://example.org/posts/{slug}/"
        page = out / alias.lstrip("/")
        page = page / "index.html" if alias.endswith("/") or "." not in alias else page
        text = page.read_text(encoding="utf-8")
        doc = lxml.html.fromstring(text)
        refresh = doc.xpath('//meta[@http-equiv="refresh"]/@content')
        canonical = doc.xpath('//link[@rel="canonical"]/@href')
        absolute = target.replace(slug, _quoted(slug))
        assert refresh == [f"0; url={absolute}"] and canonical == [absolute]
    feed = feedparser.parse((out / "feed.xml").read_bytes())
    assert not feed.bozo
    guids = {entry.link: entry.id for entry in feed.entries}
    assert guids == {
        f"https://example.org/posts/{_quoted(slug)}/": guid
        for slug, (guid, _) in case.published.items()
    }
    for slug, phrase in case.drafts.items():
        assert not (out / "posts" / slug).exists()
        assert phrase not in (out / "feed.xml").read_text(encoding="utf-8")
    everything = "".join(
        p.read_text(encoding="utf-8", errors="replace") for p in out.rglob("*") if p.is_file()
    )
    for text in case.never:
        assert text not in everything
    for text in case.drafts.values():
        assert text not in everything


def _quoted(slug: str) -> str:
    return quote(slug, safe="/~.-_")


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_written_posts_read_back_unchanged(case: Case, make_site: Make) -> None:
    """sitegen reads every written file with no problem and the very values written."""
    root = make_site()
    report = import_posts(DATA / case.file, case.kind, root / "posts", False)
    config = load_config(root)
    renderer = MarkdownRenderer()
    for path in report.imported:
        data, _ = front(path)
        rel = path.relative_to(root).as_posix()
        result = read_post(rel, path.read_bytes(), config, renderer)
        assert result.problems == () and result.post is not None, result.problems
        post = result.post
        assert post.title == data["title"] and post.slug == data["slug"]
        assert post.date.isoformat().replace("+00:00", "Z") == data["date"]
        assert list(post.tags) == data.get("tags", [])
        assert post.aliases == tuple(data.get("aliases", ()))
        assert post.draft == ("draft" in data)
        if "id" in data:
            assert post.guid == data["id"]


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_second_import_changes_nothing(case: Case, make_site: Make) -> None:
    root = make_site()
    first = import_posts(DATA / case.file, None, root / "posts", False)
    before = snapshot(root / "posts")
    second = import_posts(DATA / case.file, None, root / "posts", False)
    assert snapshot(root / "posts") == before  # same bytes, same mtimes
    assert second.imported == [] and second.skipped == first.imported
    assert all(line.startswith("  unchanged") for line in second.lines()[1 : len(first.posts) + 1])
    # --force on unchanged files does not even touch them.
    import_posts(DATA / case.file, None, root / "posts", True)
    assert snapshot(root / "posts") == before


def test_existing_files_are_skipped_unless_force(make_site: Make) -> None:
    root = make_site()
    imported(root, "feed.rss")
    path = root / "posts/2015/debaltseve-pocket-closes.md"
    original = path.read_bytes()
    path.write_text(path.read_text(encoding="utf-8") + "\nAn editor's note.\n", encoding="utf-8")
    edited = path.read_bytes()
    report = imported(root, "feed.rss")
    assert path.read_bytes() == edited
    assert report.skipped == [path, root / "posts/2015/ceasefire-violations-count.md"]
    assert (
        "  skipped     posts/2015/debaltseve-pocket-closes.md  "
        "(exists and differs; --force overwrites it)"
    ) in report.lines()
    assert report.lines()[-1].startswith("0 imported, 0 overwritten, 2 skipped (exists, 1 changed")
    report = imported(root, "feed.rss", force=True)
    assert path.read_bytes() == original
    assert report.imported == [path] and report.lines()[-1].startswith("0 imported, 1 overwritten")


def test_an_imported_post_moved_and_renamed_is_not_imported_twice(make_site: Make) -> None:
    """Earlier imports are recognised by their id, not by where they were written."""
    root = make_site()
    imported(root, "feed.rss")
    old = root / "posts/2015/debaltseve-pocket-closes.md"
    new = root / "posts/ukraine/debaltseve.md"
    new.parent.mkdir()
    new.write_text(
        old.read_text(encoding="utf-8").replace(
            "slug: debaltseve-pocket-closes", "slug: debaltseve"
        ),
        encoding="utf-8",
    )
    old.unlink()
    report = imported(root, "feed.rss")
    assert not old.exists()
    assert report.skipped == [new, root / "posts/2015/ceasefire-violations-count.md"]


# -- collisions, odd entries, safety ----------------------------------------------------------


def wxr(*items: str) -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">'
        "<channel><title>T</title>" + "".join(items) + "</channel></rss>\n"
    )


def wp_item(
    title: str,
    name: str,
    post_id: int,
    *,
    date: str = "2016-06-01 12:00:00",
    gmt: str = "2016-06-01 10:00:00",
    status: str = "publish",
    post_type: str = "post",
    body: str = "Body.",
    link: str | None = None,
    modified: tuple[str, str] | None = None,
    parent: int = 0,
    menu_order: int = 0,
    meta: dict[str, str] | None = None,
    extra: str = "",
) -> str:
    link = link if link is not None else f"https://old.example.com/2016/06/01/{name}/"
    changed = (
        f"<wp:post_modified>{modified[0]}</wp:post_modified>"
        f"<wp:post_modified_gmt>{modified[1]}</wp:post_modified_gmt>"
        if modified
        else ""
    )
    postmeta = "".join(
        f"<wp:postmeta><wp:meta_key>{key}</wp:meta_key>"
        f"<wp:meta_value><![CDATA[{value}]]></wp:meta_value></wp:postmeta>"
        for key, value in (meta or {}).items()
    )
    return (
        f"<item><title>{html.escape(title)}</title><link>{html.escape(link)}</link>"
        f'<guid isPermaLink="false">https://old.example.com/?p={post_id}</guid>'
        f"<content:encoded><![CDATA[{body}]]></content:encoded>"
        f"<wp:post_id>{post_id}</wp:post_id>"
        f"<wp:post_date>{date}</wp:post_date><wp:post_date_gmt>{gmt}</wp:post_date_gmt>{changed}"
        f"<wp:post_name>{name}</wp:post_name><wp:status>{status}</wp:status>"
        f"<wp:post_parent>{parent}</wp:post_parent><wp:menu_order>{menu_order}</wp:menu_order>"
        f"<wp:post_type>{post_type}</wp:post_type>{postmeta}{extra}</item>"
    )


def test_slug_collisions_get_suffixes_and_are_reported(make_site: Make, tmp_path: Path) -> None:
    root = make_site({"posts/mine.md": post_text("Taken", "2016-01-01", slug="taken")})
    export = tmp_path / "export.xml"
    export.write_text(
        wxr(
            wp_item("Same one", "same", 1),
            wp_item("Same two", "same", 2, link="https://old.example.com/2016/06/02/same/"),
            wp_item("Taken", "taken", 3),
        ),
        encoding="utf-8",
    )
    report = import_posts(export, None, root / "posts", False)
    assert [p.name for p in report.imported] == ["same.md", "same-2.md", "taken-2.md"]
    assert report.needs_look == [
        "posts/2016/same-2.md: slug 'same' is already taken (by entry 1 'Same one'); "
        "it gets 'same-2'",
        "posts/2016/taken-2.md: slug 'taken' is already taken (by posts/mine.md); "
        "it gets 'taken-2'",
    ]
    before = snapshot(root / "posts")
    again = import_posts(export, None, root / "posts", False)
    assert snapshot(root / "posts") == before and again.imported == []


def test_unsafe_or_taken_old_urls_get_no_redirect(make_site: Make, tmp_path: Path) -> None:
    root = make_site({"posts/mine.md": post_text("Mine", "2016-01-01", aliases="[/old/place/]")})
    export = tmp_path / "export.xml"
    export.write_text(
        wxr(
            wp_item("Plain permalink", "plain", 1, link="https://old.example.com/?p=1"),
            wp_item("Percent", "percent", 2, link="https://old.example.com/100%25-sure/"),
            wp_item("Clash", "clash", 3, link="https://old.example.com/old/place/"),
            wp_item("Same URL", "same-url", 4, link="https://old.example.com/posts/same-url/"),
        ),
        encoding="utf-8",
    )
    report = import_posts(export, None, root / "posts", False)
    for path in report.imported:
        assert "aliases" not in front(path)[0]
    assert report.needs_look == [
        "posts/2016/plain.md: old URL https://old.example.com/?p=1 gets no redirect: "
        "it has a query string (like ?p=123), which a static page cannot answer",
        "posts/2016/percent.md: old URL https://old.example.com/100%25-sure/ gets no redirect: "
        "it has an unsafe part '100%-sure': may contain only letters, digits, '-', '_', '.' "
        "and '~', starting with a letter or digit",
        "posts/2016/clash.md: old URL path /old/place/ is already used by posts/mine.md; "
        "no redirect",
    ]  # /posts/same-url/ is the new URL itself: nothing to redirect, nothing to say


def test_entries_without_date_title_or_usable_guid(make_site: Make, tmp_path: Path) -> None:
    root = make_site()
    export = tmp_path / "feed.xml"
    export.write_text(
        '<?xml version="1.0"?><rss version="2.0"><channel><title>F</title>'
        "<item><title>Undated</title><link>https://f.example/a</link><description>x"
        "</description></item>"
        '<item><link>https://f.example/b</link><guid isPermaLink="false">12345</guid>'
        "<pubDate>Tue, 24 Feb 2015 19:00:00 +0000</pubDate><description>Words."
        "</description></item>"
        "</channel></rss>",
        encoding="utf-8",
    )
    report = import_posts(export, None, root / "posts", False)
    assert [p.name for p in report.imported] == ["b.md"]
    data, _ = front(report.imported[0])
    assert data["title"] == "Untitled (2015-02-24)" and "id" not in data
    assert report.needs_look == [
        "entry 1 'Undated': has no date; not imported",
        "posts/2015/b.md: had no title; it is called 'Untitled (2015-02-24)' for now",
        "posts/2015/b.md: its GUID '12345' is not a URI, as sitegen's 'id' must be; left out, "
        "so feed readers may show this post once more",
    ]


def test_naive_wordpress_time_is_site_time(make_site: Make, tmp_path: Path) -> None:
    root = make_site()
    export = tmp_path / "export.xml"
    export.write_text(
        wxr(wp_item("Summer draft", "", 1, status="pending", gmt="0000-00-00 00:00:00")),
        encoding="utf-8",
    )
    report = import_posts(export, None, root / "posts", False)
    data, _ = front(report.imported[0])
    assert data["date"] == "2016-06-01T12:00:00+01:00"  # Europe/London in June
    assert data["slug"] == "summer-draft" and data["draft"] == "true"


def test_blogger_takeout_format(make_site: Make, tmp_path: Path) -> None:
    export = tmp_path / "feed.atom"
    entry = (
        "<entry><id>tag:blogger.com,1999:blog-1.post-{n}</id><blogger:type>{kind}</blogger:type>"
        "<blogger:status>{status}</blogger:status><title>{title}</title>"
        "<content type='html'>&lt;p&gt;Text {n}&lt;/p&gt;</content>"
        "<published>2020-01-02T03:04:05Z</published><updated>2020-01-02T03:04:05Z</updated>"
        "<category scheme='tag:blogger.com,1999:blog-1' term='Sahel'/>"
        "<blogger:filename>/2020/01/{slug}.html</blogger:filename>"
        "<author><name>Desk</name></author></entry>"
    )
    export.write_text(
        "<?xml version='1.0' encoding='UTF-8'?><feed xmlns='http://www.w3.org/2005/Atom' "
        "xmlns:blogger='http://schemas.google.com/blogger/2018'><title>B</title>"
        + entry.format(n=1, kind="POST", status="LIVE", title="Mali", slug="mali-coup")
        + entry.format(n=2, kind="POST", status="DRAFT", title="Niger", slug="")
        + entry.format(n=3, kind="COMMENT", status="LIVE", title="", slug="x")
        + entry.format(n=4, kind="POST", status="SOFT_TRASHED", title="Gone", slug="gone")
        + "</feed>",
        encoding="utf-8",
    )
    assert read_export(export).kind == "blogger"
    report = import_posts(export, None, make_site() / "posts", False)
    assert [p.name for p in report.imported] == ["mali-coup.md", "niger.md"]
    data, _ = front(report.imported[0])
    assert data["aliases"] == ["/2020/01/mali-coup.html"] and data["tags"] == ["Sahel"]
    assert front(report.imported[1])[0]["draft"] == "true"
    assert report.ignored == (("comments", 1), ("posts in the trash", 1))


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_kind_is_detected_from_content(case: Case) -> None:
    assert read_export(DATA / case.file).kind == case.kind


MALFORMED = [
    ("empty", "", ":", "the file is empty; expected a WordPress, Blogger or RSS/Atom export"),
    ("not-xml", "<rss><channel><item>\n<title>x</titel>", ":2:", "not well-formed XML"),
    ("html", "<!DOCTYPE html>\n<html><body><p>x", ":", "this is an HTML page"),
    (
        "wrong-root",
        "<?xml version='1.0'?><opml><body/></opml>",
        ":",
        "not a WordPress, Blogger or RSS/Atom export (the document is <opml>)",
    ),
    (
        "no-posts",
        wxr(wp_item("Logo", "logo", 9, post_type="attachment", status="inherit")),
        ":",
        "no posts or pages in this WordPress export (1 attachment)",
    ),
    (
        "empty-feed",
        "<?xml version='1.0'?><rss version='2.0'><channel><title>F</title></channel></rss>",
        ":",
        "the feed has no entries",
    ),
]


@pytest.mark.parametrize(
    ("name", "text", "where", "message"), MALFORMED, ids=[m[0] for m in MALFORMED]
)
def test_malformed_exports_give_a_clear_error(
    name: str, text: str, where: str, message: str, make_site: Make, tmp_path: Path
) -> None:
    root = make_site()
    export = tmp_path / f"{name}.xml"
    export.write_text(text, encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        import_posts(export, None, root / "posts", False)
    error = str(caught.value)
    assert error.startswith(str(export) + where) and message in error
    assert "\n" not in error
    assert not any((root / "posts").iterdir())  # nothing written


def test_wrong_kind_and_missing_file(make_site: Make) -> None:
    root = make_site()
    with pytest.raises(ContentError, match="not a Blogger export: expected an Atom <feed>"):
        import_posts(DATA / "wordpress.xml", "blogger", root / "posts", False)
    with pytest.raises(ContentError, match=r"not a WordPress export \(no wp: namespace\)"):
        import_posts(DATA / "feed.rss", "wordpress", root / "posts", False)
    with pytest.raises(UsageError, match="no such file"):
        import_posts(DATA / "missing.xml", None, root / "posts", False)


def test_external_entities_are_not_resolved(make_site: Make, tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET", encoding="utf-8")
    export = tmp_path / "xxe.xml"
    export.write_text(
        f'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY x SYSTEM "file://{secret}">]>'
        + wxr(wp_item("Leak &x;", "leak", 1)).split("?>", 1)[1],
        encoding="utf-8",
    )
    report = import_posts(export, None, make_site() / "posts", False)
    text = report.imported[0].read_text(encoding="utf-8")
    assert "TOP-SECRET" not in text and "title: Leak &x;" in text


# -- pages ---------------------------------------------------------------------------------------


def nav_item(post_id: int, page_id: int, order: int) -> str:
    """A WordPress menu entry that links page ``page_id`` at position ``order``."""
    return wp_item(
        "",
        str(post_id),
        post_id,
        post_type="nav_menu_item",
        menu_order=order,
        meta={
            "_menu_item_type": "post_type",
            "_menu_item_object": "page",
            "_menu_item_object_id": str(page_id),
        },
    )


def test_wordpress_pages_become_pages(make_site: Make, tmp_path: Path) -> None:
    root = make_site()
    old = "https://old.example.com"
    export = tmp_path / "export.xml"
    export.write_text(
        wxr(
            wp_item("Aleppo", "aleppo", 1),
            wp_item(
                "About us",
                "about",
                2,
                post_type="page",
                link=f"{old}/about/",
                modified=("2017-03-01 09:00:00", "2017-03-01 09:00:00"),
                menu_order=5,
                body="Who we are.",
            ),
            wp_item(
                "Our team",
                "team",
                3,
                post_type="page",
                link=f"{old}/about/team/",
                parent=2,
                extra='<category domain="post_tag" nicename="staff">Staff</category>',
            ),
            wp_item("Aleppo", "aleppo", 4, post_type="page", link=f"{old}/aleppo/"),
            wp_item("Archive", "archive", 5, post_type="page", link=f"{old}/archive/"),
            wp_item("Donate", "donate", 6, post_type="page", status="draft"),
            wp_item("Coming soon", "soon", 9, post_type="page", status="future"),
            nav_item(7, 3, 1),
            nav_item(8, 2, 2),
        ),
        encoding="utf-8",
    )
    report = import_posts(export, None, root / "posts", False)
    pages = root / "pages"
    assert sorted(p.name for p in pages.iterdir()) == [
        "about.md",
        "aleppo-2.md",
        "archive-2.md",
        "team.md",
    ]
    assert front(pages / "about.md") == (
        {
            "title": "About us",
            "slug": "about",
            "menu": "2",  # its place in the site's menu, not its page order
            "updated": "2017-03-01T09:00:00Z",
        },  # the old URL /about/ is the new one: no alias
        "Who we are.\n",
    )
    assert front(pages / "team.md")[0] == {
        "title": "Our team",
        "slug": "team",
        "menu": "1",
        "updated": "2016-06-01T12:00:00+02:00",  # never modified: when it was published
        "aliases": ["/about/team/"],
    }
    assert front(pages / "aleppo-2.md")[0] == {
        "title": "Aleppo",
        "slug": "aleppo-2",  # the post has 'aleppo'
        "updated": "2016-06-01T12:00:00+02:00",
        "aliases": ["/aleppo/"],
    }
    assert front(pages / "archive-2.md")[0]["slug"] == "archive-2"
    names = ["about.md", "team.md", "aleppo-2.md", "archive-2.md"]
    assert report.pages == [pages / name for name in names]
    assert report.lines() == [
        f"Importing {export} (WordPress export) into posts/ and pages/",
        "  imported    posts/2016/aleppo.md",
        "  imported    pages/about.md  (page)",
        "  imported    pages/team.md  (page)",
        "  imported    pages/aleppo-2.md  (page)",
        "  imported    pages/archive-2.md  (page)",
        "Needs a look:",
        "  entry 6 'Donate': a page that was not public on the old blog (draft, scheduled, "
        "private or password-protected); a page in pages/ is always published, "
        "so it is not imported",
        "  entry 7 'Coming soon': a page that was not public on the old blog (draft, scheduled, "
        "private or password-protected); a page in pages/ is always published, "
        "so it is not imported",
        "  pages/team.md: its categories and tags (Staff) are left out: a page has none",
        "  pages/aleppo-2.md: slug 'aleppo' is already taken (by entry 1 'Aleppo'); "
        "it gets 'aleppo-2'",
        "  pages/archive-2.md: slug 'archive' is already taken (by sitegen's own /archive/); "
        "it gets 'archive-2'",
        "  pages/archive-2.md: old URL path /archive/ is a page sitegen writes itself; no redirect",
        "Left out on purpose: 2 menu items",
        "5 imported, 0 overwritten, 0 skipped (exists), 0 drafts, 4 pages, 6 need a look",
    ]
    config = load_config(root)
    for path in report.pages:
        rel = path.relative_to(root).as_posix()
        result = read_post(rel, path.read_bytes(), config, MarkdownRenderer())
        assert result.problems == () and result.post is not None and result.post.page
    again = import_posts(export, None, root / "posts", False)
    assert again.imported == [] and len(again.skipped) == 5  # recognised by file and title


def test_page_menu_from_page_order_without_menus(make_site: Make, tmp_path: Path) -> None:
    export = tmp_path / "export.xml"
    export.write_text(
        wxr(
            wp_item("Methodology", "methodology", 1, post_type="page", menu_order=3),
            wp_item("Imprint", "imprint", 2, post_type="page"),
            wp_item("Far down", "far-down", 3, post_type="page", menu_order=5000),
        ),
        encoding="utf-8",
    )
    report = import_posts(export, None, make_site() / "posts", False)
    menus = [front(path)[0].get("menu") for path in report.pages]
    assert menus == ["3", None, "1000"]  # page order 0: not in the navigation


def test_a_page_collides_with_an_existing_post_and_page(make_site: Make, tmp_path: Path) -> None:
    root = make_site(
        {
            "posts/about.md": post_text("About this war", "2016-01-01", slug="about"),
            "pages/contact.md": "---\ntitle: Contact\n---\nWrite to us.\n",
        }
    )
    export = tmp_path / "export.xml"
    export.write_text(
        wxr(
            wp_item("About", "about", 1, post_type="page", link="https://old.example.com/about/"),
            wp_item("Contact", "contact", 2, post_type="page"),
            wp_item("Contact us", "contact", 3, link="https://old.example.com/contact/"),
        ),
        encoding="utf-8",
    )
    report = import_posts(export, None, root / "posts", False)
    assert [p.relative_to(root).as_posix() for p in report.imported] == [
        "pages/about-2.md",
        "posts/2016/contact-2.md",
    ]
    assert report.skipped == [root / "pages/contact.md"]  # the same page: recognised, kept
    assert report.needs_look == [
        "pages/about-2.md: slug 'about' is already taken (by posts/about.md); it gets 'about-2'",
        "posts/2016/contact-2.md: slug 'contact' is already taken (by entry 2 'Contact'); "
        "it gets 'contact-2'",
        "posts/2016/contact-2.md: old URL path /contact/ is already used by entry 2 'Contact'; "
        "no redirect",
    ]
    assert front(root / "pages/about-2.md")[0]["aliases"] == ["/about/"]


# -- media: the uploads copied into page bundles -------------------------------------------------

OLD = "https://old.example.com/wp-content/uploads"


def uploads(tmp_path: Path, files: dict[str, bytes]) -> Path:
    """A wp-content/uploads folder holding ``files`` (path -> bytes)."""
    top = tmp_path / "backup" / "wp-content" / "uploads"
    for rel, data in files.items():
        (top / rel).parent.mkdir(parents=True, exist_ok=True)
        (top / rel).write_bytes(data)
    return top


def attachment(post_id: int, rel: str, alt: str | None = None) -> str:
    meta = {"_wp_attached_file": rel} | ({"_wp_attachment_image_alt": alt} if alt else {})
    return wp_item(
        rel.rsplit("/", 1)[-1],
        str(post_id),
        post_id,
        post_type="attachment",
        status="inherit",
        meta=meta,
        extra=f"<wp:attachment_url>{OLD}/{rel}</wp:attachment_url>",
    )


MEDIA_BODY = "".join(
    f"<p>{part}</p>"
    for part in (
        f'<a href="{OLD}/2016/06/map.png"><img src="{OLD}/2016/06/map-300x200.png" '
        'alt="Front line map" /></a>',
        '<img class="size-large wp-image-31" '
        'src="http://www.old.example.com/wp-content/uploads/2016/06/photo-1024x768.jpg" />',
        '<img src="/wp-content/uploads/2017/01/map.png" alt="Older map" />',
        f'<img src="{OLD}/2016/06/chart.png" />',
        f'See <a href="{OLD}/2016/06/report.pdf">the report</a>.',
        f'<img src="{OLD}/2016/06/gone.jpg" alt="Gone" />',
        f'<img src="{OLD}/2016/../../secret.txt" alt="Up" />',
        f'<img src="{OLD}/2016/%2e%2e/%2e%2e/secret.txt" alt="Up again" />',
        f'<img src="{OLD}//etc/passwd" alt="Root" />',
        f'<img src="{OLD}/2016/06/leak.jpg" alt="Leak" />',
        '<img src="https://other.example.net/wp-content/uploads/2016/06/map.png" '
        'alt="Elsewhere" />',
    )
)


def media_site(make_site: Make, tmp_path: Path) -> tuple[Path, Path, Path]:
    """A site, an export whose post and page reference uploads, and the uploads folder."""
    root = make_site()
    files = {
        "2016/06/map.png": b"MAP-ORIGINAL",
        "2016/06/map-300x200.png": b"MAP-SMALL",
        "2016/06/photo.jpg": b"PHOTO",  # its resized copy is not in the backup
        "2016/06/chart.png": b"CHART",
        "2016/06/report.pdf": b"REPORT",
        "2017/01/map.png": b"MAP-2017",  # another file with the same name
    }
    media = uploads(tmp_path, files)
    (tmp_path / "secret.txt").write_text("SECRET", encoding="utf-8")
    (tmp_path / "secret.jpg").write_text("SECRET", encoding="utf-8")
    (media / "2016/06/leak.jpg").symlink_to(tmp_path / "secret.jpg")
    export = tmp_path / "export.xml"
    export.write_text(
        wxr(
            wp_item("Media", "media", 1, body=MEDIA_BODY, meta={"_thumbnail_id": "30"}),
            wp_item(
                "Maps",
                "maps",
                2,
                post_type="page",
                body=f'<img src="{OLD}/2016/06/map.png" />',
                meta={"_thumbnail_id": "99"},  # not in the export
            ),
            wp_item("Plain", "plain", 3, body=f'<img src="{OLD}/2016/06/gone.jpg" alt="Gone" />'),
            attachment(30, "2016/06/map.png", alt="Map of the front"),
            attachment(31, "2016/06/photo.jpg", alt="Shelling of the old city"),
        ),
        encoding="utf-8",
    )
    return root, export, media


def test_media_are_copied_into_page_bundles(make_site: Make, tmp_path: Path) -> None:
    root, export, media = media_site(make_site, tmp_path)
    report = import_posts(export, None, root / "posts", False, media)
    bundle = root / "posts/2016/media"
    assert {p.name: p.read_bytes() for p in bundle.iterdir() if p.name != "index.md"} == {
        "map-300x200.png": b"MAP-SMALL",  # the resized copy itself, as it is there
        "map.png": b"MAP-ORIGINAL",
        "photo.jpg": b"PHOTO",  # photo-1024x768.jpg is not: the original instead
        "map-2.png": b"MAP-2017",  # one name, two files: neither overwrites the other
        "chart.png": b"CHART",
        "report.pdf": b"REPORT",
    }
    data, body = front(bundle / "index.md")
    assert data["image"] == "map.png"  # the featured image: the link-preview picture
    assert body == (
        "[![Front line map](map-300x200.png)](map.png)\n\n"
        "![Shelling of the old city](photo.jpg)\n\n"  # alt from the media library
        "![Older map](map-2.png)\n\n"
        "![](chart.png)\n\n"
        "See [the report](report.pdf).\n\n"
        f"![Gone]({OLD}/2016/06/gone.jpg)\n\n"
        f"![Up]({OLD}/2016/../../secret.txt)\n\n"
        f"![Up again]({OLD}/2016/%2e%2e/%2e%2e/secret.txt)\n\n"
        f"![Root]({OLD}//etc/passwd)\n\n"
        f"![Leak]({OLD}/2016/06/leak.jpg)\n\n"
        "![Elsewhere](https://other.example.net/wp-content/uploads/2016/06/map.png)\n"
    )
    page, page_body = front(root / "pages/maps/index.md")
    assert page_body == "![Map of the front](map.png)\n"
    assert (root / "pages/maps/map.png").read_bytes() == b"MAP-ORIGINAL"
    assert "image" not in page
    assert (root / "posts/2016/plain.md").is_file()  # nothing copied: no bundle
    assert not (root / "posts/2016/SECRET").exists()
    assert all(b"SECRET" not in p.read_bytes() for p in root.rglob("*") if p.is_file())
    chart_line = (bundle / "index.md").read_text(encoding="utf-8").split("\n").index(
        "![](chart.png)"
    ) + 1
    not_there = "is not in the media folder; it stays a link to the old site"
    not_plain = (
        "is refused: its path is not a plain path inside the media folder "
        "(an empty part, '.', '..' or a backslash); it stays as it was"
    )
    assert report.lines() == [
        f"Importing {export} (WordPress export) into posts/ and pages/",
        "  imported    posts/2016/media/index.md  (6 files copied)",
        "  imported    pages/maps/index.md  (page; 1 file copied)",
        "  imported    posts/2016/plain.md",
        "Needs a look:",
        f"  posts/2016/media/index.md: attachment {OLD}/2016/06/gone.jpg {not_there}",
        f"  posts/2016/media/index.md: attachment {OLD}/2016/../../secret.txt {not_plain}",
        f"  posts/2016/media/index.md: attachment {OLD}/2016/%2e%2e/%2e%2e/secret.txt {not_plain}",
        f"  posts/2016/media/index.md: attachment {OLD}//etc/passwd {not_plain}",
        f"  posts/2016/media/index.md: attachment {OLD}/2016/06/leak.jpg is refused: in the "
        "media folder it is a symbolic link to a file outside it; it stays as it was",
        f"  posts/2016/media/index.md:{chart_line}: the image chart.png has no alt text, and "
        "sitegen refuses a local image without it: write ![what it shows](chart.png)",
        "  pages/maps/index.md: its featured image (attachment 99) is not in the export's "
        "media library; left out",
        f"  posts/2016/plain.md: attachment {OLD}/2016/06/gone.jpg {not_there}",
        "Left out on purpose: 2 attachments",
        "3 imported, 0 overwritten, 0 skipped (exists), 0 drafts, 1 page, 7 files copied, "
        "8 need a look",
    ]


def test_media_import_again_changes_nothing(make_site: Make, tmp_path: Path) -> None:
    root, export, media = media_site(make_site, tmp_path)
    import_posts(export, None, root / "posts", False, media)
    before = snapshot(root)
    again = import_posts(export, None, root / "posts", False, media)
    assert snapshot(root) == before and again.imported == [] and again.files == []
    assert again.lines()[1] == "  unchanged   posts/2016/media/index.md"
    edited = root / "posts/2016/media/chart.png"
    edited.write_bytes(b"CHART, CROPPED")
    again = import_posts(export, None, root / "posts", False, media)
    assert edited.read_bytes() == b"CHART, CROPPED"
    assert again.lines()[1] == (
        "  unchanged   posts/2016/media/index.md  "
        "(1 file left as found: changed since; --force overwrites)"
    )
    outside = tmp_path / "outside.pdf"
    outside.write_bytes(b"NOT THE SITE'S")
    linked = root / "posts/2016/media/report.pdf"
    linked.unlink()
    linked.symlink_to(outside)
    again = import_posts(export, None, root / "posts", True, media)
    assert edited.read_bytes() == b"CHART" and again.files == [edited]
    assert outside.read_bytes() == b"NOT THE SITE'S"  # never written through a link
    assert again.lines()[1] == (
        "  unchanged   posts/2016/media/index.md  "
        "(1 file copied; 1 file not written: a link or folder has its name)"
    )


def test_without_media_links_stay_remote(make_site: Make, tmp_path: Path) -> None:
    root, export, _ = media_site(make_site, tmp_path)
    report = import_posts(export, None, root / "posts", False)
    assert [p.relative_to(root).as_posix() for p in report.imported] == [
        "posts/2016/media.md",
        "pages/maps.md",
        "posts/2016/plain.md",
    ]
    data, body = front(root / "posts/2016/media.md")
    assert "image" not in data and "](map.png)" not in body
    assert f"[![Front line map]({OLD}/2016/06/map-300x200.png)]({OLD}/2016/06/map.png)" in body
    assert report.files == [] and "copied" not in report.lines()[-1]


def test_a_post_imported_as_one_file_keeps_its_links(make_site: Make, tmp_path: Path) -> None:
    root, export, media = media_site(make_site, tmp_path)
    import_posts(export, None, root / "posts", False)
    report = import_posts(export, None, root / "posts", False, media)
    assert report.imported == [] and not (root / "posts/2016/media").exists()
    assert (
        "posts/2016/media.md: was imported earlier as one file, so its attachments are not "
        "copied; make it a page bundle (media/index.md) and import again to copy them"
    ) in report.needs_look


def test_media_must_be_the_uploads_folder(make_site: Make, tmp_path: Path) -> None:
    root = make_site()
    with pytest.raises(UsageError, match=r"--media .*: not a directory"):
        import_posts(DATA / "wordpress.xml", None, root / "posts", False, tmp_path / "nowhere")
    backup = uploads(tmp_path, {"2016/06/map.png": b"MAP"}).parent.parent
    with pytest.raises(UsageError, match="give its wp-content/uploads folder itself"):
        import_posts(DATA / "wordpress.xml", None, root / "posts", False, backup)


def test_imported_pages_and_media_build(make_site: Make, build_site: Build, tmp_path: Path) -> None:
    root = make_site()
    picture = io.BytesIO()
    Image.new("RGB", (64, 48), (192, 57, 43)).save(picture, "PNG")
    media = uploads(
        tmp_path, {"2016/06/map.png": picture.getvalue(), "2016/06/report.pdf": b"REPORT"}
    )
    body = (
        f'<img class="wp-image-30" src="{OLD}/2016/06/map.png" />\n\n'
        f'Read <a href="{OLD}/2016/06/report.pdf">the report</a>.'
    )
    export = tmp_path / "export.xml"
    export.write_text(
        wxr(
            wp_item("Front lines", "front-lines", 1, body=body, meta={"_thumbnail_id": "30"}),
            wp_item(
                "About",
                "about",
                2,
                post_type="page",
                link="https://old.example.com/who-we-are/",
                menu_order=1,
                body=f'<img src="{OLD}/2016/06/map.png" alt="Our area" /> About us.',
            ),
            attachment(30, "2016/06/map.png", alt="Map of the front"),
        ),
        encoding="utf-8",
    )
    report = import_posts(export, None, root / "posts", False, media)
    assert not report.needs_look
    out, _ = build_site(root)
    post = (out / "posts/front-lines/index.html").read_text(encoding="utf-8")
    page = (out / "about/index.html").read_text(encoding="utf-8")
    for html_text in (post, page):
        doc = lxml.html.fromstring(html_text)
        images = doc.xpath("//main//img/@src") or doc.xpath("//img/@src")
        assert images and not any("old.example.com" in src for src in images)
    assert "old.example.com" not in post and "old.example.com" not in page
    assert (out / "posts/front-lines/report.pdf").read_bytes() == b"REPORT"
    preview = lxml.html.fromstring(post).xpath('//meta[@property="og:image"]/@content')
    assert preview == ["https://example.org/posts/front-lines/map.png"]  # the featured image
    redirect = lxml.html.fromstring((out / "who-we-are/index.html").read_bytes())
    assert redirect.xpath('//link[@rel="canonical"]/@href') == ["https://example.org/about/"]
    home = lxml.html.fromstring((out / "index.html").read_bytes())
    assert "/about/" in home.xpath("//nav//a/@href")


def test_import_from_the_command_line(make_site: Make, tmp_path: Path) -> None:
    root, export, media = media_site(make_site, tmp_path)
    done = subprocess.run(
        [sys.executable, "-m", "sitegen", "-s", str(root), "import", str(export), "--media", media],
        capture_output=True,
        text=True,
        cwd=REPO,
    )
    assert done.returncode == 0, done.stderr
    assert "  imported    posts/2016/media/index.md  (6 files copied)" in done.stdout
    assert (root / "posts/2016/media/map-2.png").read_bytes() == b"MAP-2017"


# -- the command ------------------------------------------------------------------------------


def parser() -> argparse.ArgumentParser:
    command = argparse.ArgumentParser(prog="sitegen import")
    add_arguments(command)
    return command


def test_run_through_argparse(make_site: Make, capsys: pytest.CaptureFixture[str]) -> None:
    root = make_site()
    args = parser().parse_args([str(DATA / "feed.rss"), "--from", "feed", "--into", "posts/old"])
    assert run(args, root) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == f"Importing {DATA / 'feed.rss'} (feed) into posts/old/"
    assert out[1:3] == [
        "  imported    posts/old/2015/debaltseve-pocket-closes.md",
        "  imported    posts/old/2015/ceasefire-violations-count.md",
    ]
    assert out[-1] == "2 imported, 0 overwritten, 0 skipped (exists), 0 drafts, 0 need a look"
    assert run(parser().parse_args([str(DATA / "feed.rss"), "--into", "posts/old"]), root) == 0
    assert capsys.readouterr().out.splitlines()[-1].startswith("0 imported, 0 overwritten, 2 ")
    args = parser().parse_args([str(DATA / "feed.rss"), "--force"])
    assert args.force and args.into is None and args.import_from is None
    with pytest.raises(UsageError, match="must be a directory inside the site"):
        run(parser().parse_args([str(DATA / "feed.rss"), "--into", "../elsewhere"]), root)
    with pytest.raises(SystemExit):
        parser().parse_args([str(DATA / "feed.rss"), "--from", "tumblr"])


# -- HTML to Markdown -------------------------------------------------------------------------

CONVERSIONS = [
    ("blockquote", "<p>a</p><blockquote><p>q1</p><p>q2</p></blockquote>", "a\n\n> q1\n>\n> q2\n"),
    ("h1-shifts", "<h1>Top</h1><h2>Sub</h2>", "## Top\n\n### Sub\n"),
    ("h2-stays", "<h2>Sub</h2><p>x</p>", "## Sub\n\nx\n"),
    (
        "youtube",
        '<iframe src="//www.youtube.com/embed/abcDEF12345?start=90"></iframe>',
        "[Video on YouTube](https://www.youtube.com/watch?v=abcDEF12345&t=90s)\n",
    ),
    (
        "vimeo",
        '<iframe src="https://player.vimeo.com/video/76979871"></iframe>',
        "[Video on Vimeo](https://vimeo.com/76979871)\n",
    ),
    (
        "old-embed",
        '<object><param name="movie" value="http://www.youtube.com/v/abcDEF12345">'
        '<embed src="http://www.youtube.com/v/abcDEF12345"></object>',
        "[Video on YouTube](https://www.youtube.com/watch?v=abcDEF12345)\n",
    ),
    ("script-style", "<p>a<script>x()</script><style>p{}</style></p>", "a\n"),
    (
        "sitegen-syntax",
        "<p>[@ft] {{&lt; quote x &gt;}}</p>",
        "\\[@ft\\] \\{\\{&lt; quote x >\\}\\}\n",
    ),
    (
        "markdown-chars",
        "<p># not *a* heading_1 &lt;b&gt; &amp;copy;</p>",
        "\\# not \\*a\\* heading\\_1 &lt;b> &amp;copy;\n",
    ),
    ("lists", "<ol><li>one</li><li>two</li></ol><ul><li>x</li></ul>", "1. one\n2. two\n\n- x\n"),
    (
        "lazy-image",
        '<img src="data:image/gif;base64,R0l" data-src="https://x.org/a.jpg" alt="A">',
        "![A](https://x.org/a.jpg)\n",
    ),
    (
        "link-spaces",
        '<a href="https://x.org/a b (c)">t</a>',
        "[t](https://x.org/a%20b%20%28c%29)\n",
    ),
    ("js-link", '<a href="javascript:alert(1)">t</a>', "t\n"),
    ("strike", "<p><del>old</del> new</p>", "<del>old</del> new\n"),
    (
        "table",
        "<table><tr><th>a</th><th>b</th></tr><tr><td>1</td><td>2</td></tr></table>",
        "| a | b |\n| --- | --- |\n| 1 | 2 |\n",
    ),
]


@pytest.mark.parametrize(
    ("html_in", "expected"), [c[1:] for c in CONVERSIONS], ids=[c[0] for c in CONVERSIONS]
)
def test_html_to_markdown(html_in: str, expected: str) -> None:
    assert to_markdown(html_in).markdown == expected


WORDPRESS = [
    ("autop", "One\ntwo\n\nThree", "One  \ntwo\n\nThree\n", ()),
    (
        "caption",
        '[caption id="a" width="300"]<img src="https://x.org/m.png" alt="M" /> Map[/caption]',
        "![M](https://x.org/m.png)\n\n*Map*\n",
        (),
    ),
    (
        "embed",
        "[embed]https://youtu.be/abcDEF12345[/embed]",
        "[Video on YouTube](https://www.youtube.com/watch?v=abcDEF12345)\n",
        (),
    ),
    (
        "oembed-line",
        "Before\n\nhttps://twitter.com/x/status/1\n\nAfter",
        "Before\n\n<https://twitter.com/x/status/1>\n\nAfter\n",
        (),
    ),
    (
        "gallery",
        'See:\n\n[gallery ids="1,2"]',
        "See:\n",
        ("dropped the WordPress shortcode [gallery]",),
    ),
    (
        "unknown-iframe-and-form",
        '<iframe src="https://maps.example/e"></iframe><form><input name="q"></form>x',
        "x\n",
        ("dropped an <iframe> from maps.example (https://maps.example/e)", "dropped a <form>"),
    ),
    (
        "block-editor",
        "<!-- wp:paragraph -->\n<p>One\ntwo</p>\n<!-- /wp:paragraph -->",
        "One two\n",
        (),
    ),
]


@pytest.mark.parametrize(
    ("html_in", "expected", "dropped"), [w[1:] for w in WORDPRESS], ids=[w[0] for w in WORDPRESS]
)
def test_wordpress_html_to_markdown(html_in: str, expected: str, dropped: tuple[str, ...]) -> None:
    converted = to_markdown(html_in, wordpress=True)
    assert converted.markdown == expected and converted.dropped == dropped


def test_video_urls() -> None:
    assert video("https://www.youtube.com/watch?v=abcDEF12345").url.endswith("v=abcDEF12345")
    assert video("https://www.youtube.com/embed/videoseries?list=PL1").url == (
        "https://www.youtube.com/playlist?list=PL1"
    )
    assert video("https://example.com/embed/abcDEF12345") is None
    assert video("https://vimeo.com/channels/staff") is None


_RENDERER = MarkdownRenderer()
_TEXT = st.text(
    st.characters(blacklist_categories=("Cs", "Cc"))
    | st.sampled_from(list("#>-+*_`{}[]()<>&;:=!.1@^\\ \n|~")),
    max_size=30,
)


@settings(max_examples=300, deadline=None)
@given(text=_TEXT, wordpress=st.booleans())
def test_any_text_survives_conversion(text: str, wordpress: bool) -> None:
    """Whatever a paragraph says, sitegen renders the same words (no markup, no citation)."""
    markdown = to_markdown(f"<p>{html.escape(text)}</p>", wordpress=wordpress).markdown
    context = BodyContext(Problems("p.md"), 1, {}, {})
    rendered = _RENDERER.render(markdown, context).html
    assert not context.problems.items
    got = (
        lxml.html.fragment_fromstring(rendered, create_parent="div").text_content()
        if rendered.strip()
        else ""
    )
    assert re.sub(r"\s+", "", got) == re.sub(r"\s+", "", text)


_FRAGMENTS = st.sampled_from(
    [
        "<p>",
        "</p>",
        "<a href='x'>",
        "</a>",
        "<iframe src='//youtube.com/embed/abcdefgh'>",
        "</iframe>",
        "<blockquote>",
        "</blockquote>",
        "<h1>",
        "</h1>",
        "<!--",
        "-->",
        "<img src=''>",
        "[caption]",
        "[/caption]",
        "[embed]",
        "[/embed]",
        "\n",
        "\n\n",
        "<ul><li>",
        "</li>",
        "<table><tr><td>",
        "<pre>",
        "</pre>",
        "<code>",
        "`",
        "*",
        "[@x]",
        "{{< quote a >}}",
        "<script>",
        "&",
        "&#",
        "<",
        ">",
        "<![if !supportLists]>",
        "<![",
        "<form>",
        "<object data='x'>",
        "<br>",
        "http://x.org/y",
    ]
) | st.text(max_size=5)


@settings(max_examples=200, deadline=None)
@given(parts=st.lists(_FRAGMENTS, max_size=15), wordpress=st.booleans())
def test_any_html_converts_to_markdown_sitegen_accepts(parts: list[str], wordpress: bool) -> None:
    markdown = to_markdown("".join(parts), wordpress=wordpress).markdown
    context = BodyContext(Problems("p.md"), 1, {}, {})
    _RENDERER.render(markdown, context)
    assert not context.problems.items


# Every way an old blog's HTML can carry code into a page.
_HOSTILE = [
    "<script>alert(1)</script>",
    "<p>a<script src='https://x.org/a.js'></script>b</p>",
    "<scr<script>ipt>alert(1)</script>",
    '<img src="https://x.org/a.png" alt="a" onerror="alert(1)">',
    '<svg onload="alert(1)"><script>alert(2)</script></svg>',
    '<a href="javascript:alert(1)">link</a>',
    '<a href=" JaVa&#x09;ScRiPt:alert(1)">link</a>',
    '<a href="&#106;avascript:alert(1)">link</a>',
    '<div onclick="alert(1)" onmouseover="alert(2)">text</div>',
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    '<iframe src="javascript:alert(1)"></iframe>',
    '<object data="javascript:alert(1)"></object><embed src="javascript:alert(1)">',
    '<form action="javascript:alert(1)"><button formaction="javascript:x">go</button></form>',
    "<noscript><script>alert(1)</script></noscript>",
    "<math><mtext><script>alert(1)</script></mtext></math>",
    '<body onload="alert(1)">text</body>',
    '<p><a href="https://x.org/" onclick="alert(1)">kept link</a></p>',
    "&lt;script&gt;alert(1)&lt;/script&gt; <code>&lt;script&gt;</code>",
    "<p>[@x] {{< youtube x >}} &lt;b onclick=x&gt;</p>",
]


def _assert_no_code(markup: str, wordpress: bool) -> None:
    """Imported, then rendered: no script, no handler, no javascript: URL, no warning."""
    markdown = to_markdown(markup, wordpress=wordpress).markdown
    context = BodyContext(Problems("p.md"), 1, {}, {})
    rendered = _RENDERER.render(markdown, context).html
    assert not context.problems.items, (markup, markdown)
    root = lxml.html.fragment_fromstring(rendered, create_parent="div")
    assert not root.xpath("//script"), (markup, rendered)
    for element in root.iter():
        for name, value in element.attrib.items():
            assert not name.lower().startswith("on"), (markup, rendered)
            assert "javascript:" not in "".join(value.split()).lower(), (markup, rendered)


@pytest.mark.parametrize("markup", _HOSTILE)
@pytest.mark.parametrize("wordpress", [False, True])
def test_imported_posts_never_carry_script(markup: str, wordpress: bool) -> None:
    _assert_no_code(markup, wordpress)


@settings(max_examples=100, deadline=None)
@given(
    parts=st.lists(st.sampled_from([*_HOSTILE, "<p>", "</p>", "<div>", "\n\n", "x"]), max_size=8),
    wordpress=st.booleans(),
)
def test_no_mix_of_hostile_html_imports_script(parts: list[str], wordpress: bool) -> None:
    _assert_no_code("".join(parts), wordpress)


_EXPORTS = {case.file: (DATA / case.file).read_bytes() for case in CASES}
_NOISE = [b"<", b"&", b"]]>", b"\x00", b"\xff", b"<p>", b"</item>", b"0000-00-00", b"%", b"\n"]


@settings(max_examples=60, deadline=None)
@given(
    name=st.sampled_from(sorted(_EXPORTS)),
    edits=st.lists(
        st.tuples(st.floats(0, 1), st.integers(0, 40), st.sampled_from(_NOISE)), max_size=4
    ),
    kind=st.sampled_from([None, "feed", "wordpress", "blogger"]),
)
def test_damaged_exports_import_or_fail_cleanly(
    name: str,
    edits: list[tuple[float, int, bytes]],
    kind: str | None,
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    """Any damage to an export: posts, or one SitegenError naming the file; never a traceback."""
    raw = bytearray(_EXPORTS[name])
    for where, cut, insert in edits:
        at = int(where * (len(raw) - 1))
        raw[at : at + cut] = insert
    work = tmp_path_factory.mktemp("damaged")
    (work / "site.yaml").write_text("title: T\nbase_url: https://example.org/\n", encoding="utf-8")
    export = work / "export.xml"
    export.write_bytes(bytes(raw))
    try:
        import_posts(export, kind, work / "posts", False)
    except SitegenError as exc:
        assert str(exc).startswith(f"{export}:") and "\n" not in str(exc)
