"""What ``sitegen import`` reads from exports and feeds: encodings a file does not declare,
what relative URLs are relative to, the dates a feed may give (and dates no calendar has),
and a WordPress site's pages, sticky, private and password-protected posts."""

from __future__ import annotations

import codecs
from collections.abc import Callable
from pathlib import Path

import lxml.html
import pytest
from test_import import front

from sitegen.commands.importer import import_posts, read_export
from sitegen.errors import ContentError
from sitegen.importers.xmlsource import undeclared_to_utf8

DATA = Path(__file__).resolve().parent / "data" / "import"
Make = Callable[..., Path]
Build = Callable[..., tuple[Path, object]]


def rss(*items: str, head: str = "", namespaces: str = "") -> str:
    """An RSS 2.0 feed with no XML declaration: the encoding is the bytes' own business."""
    return (
        f'<rss version="2.0"{namespaces}><channel><title>Desk</title>'
        f"<link>https://desk.example/</link>{head}" + "".join(items) + "</channel></rss>"
    )


def rss_item(title: str, body: str, *, link: str, extra: str = "") -> str:
    return (
        f"<item><title>{title}</title><link>{link}</link><guid>{link}</guid>{extra}"
        f"<description>&lt;p&gt;{body}&lt;/p&gt;</description></item>"
    )


def write(tmp_path: Path, name: str, data: bytes | str) -> Path:
    path = tmp_path / name
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


# -- encodings no file declares ---------------------------------------------------------------

RUSSIAN = (
    "Дебальцево: котёл закрылся",
    "Украинские войска оставили Дебальцево после трёх недель боёв. Колонны выходили ночью "
    "по просёлочным дорогам, под обстрелом. Наблюдатели ОБСЕ не смогли попасть в город.",
)
HEBREW = (
    "הפסקת האש בעזה נשברה",
    "ירי רקטות חודש הבוקר מצפון הרצועה. הצבא הודיע על תקיפות בתגובה, והמתווכים המצרים "
    "מנסים להחזיר את הצדדים לשולחן הדיונים.",
)


@pytest.mark.parametrize("kind", [None, "feed"])
@pytest.mark.parametrize(
    ("codec", "shown", "text"),
    [("koi8-r", "KOI8-R", RUSSIAN), ("cp1255", "windows-1255", HEBREW)],
    ids=["koi8-r", "windows-1255"],
)
def test_a_feed_in_an_undeclared_encoding_imports_its_real_text(
    codec: str, shown: str, text: tuple[str, str], kind: str | None, make_site: Make, tmp_path: Path
) -> None:
    title, body = text
    item = rss_item(
        title,
        body,
        link="https://desk.example/2015/02/18/pocket/",
        extra="<pubDate>Wed, 18 Feb 2015 07:45:00 +0200</pubDate>",
    )
    raw = rss(item).encode(codec)
    assert b"encoding" not in raw and b"<?xml" not in raw  # said nowhere; no HTTP headers either
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    report = import_posts(write(tmp_path, "feed.xml", raw), kind, make_site() / "posts", False)
    data, markdown = front(report.imported[0])
    assert data["title"] == title
    assert markdown == body + "\n"
    assert report.needs_look == [
        f"the file declares no encoding and is not UTF-8; its text was read as {shown} "
        "(detected from the text), so check that the imported text reads right"
    ]


@pytest.mark.parametrize(
    ("name", "title", "start"),
    [
        (
            "koi8r.xml",
            "Как пережить новогоднюю ночь",
            "Наверное, единственное, во что сегодня можно верить безоговорочно, так это в то, "
            "что Новый год обязательно наступит. Несмотря ни на что! Это не просто очередной "
            "праздник, это - веха!",
        ),
        (
            "windows1255.xml",
            None,
            "האם תדפיס נייר של אתר אינטרנט שמוצג על מסך משתמש הוא העתק נאמן למקור של אתר "
            "האינטרנט? רבים יגידו שכן,",
        ),
    ],
)
def test_feedparsers_undeclared_encoding_samples(name: str, title: str | None, start: str) -> None:
    """Real blog text from feedparser's own test suite (tests/data/import/feedparser)."""
    (entry,) = read_export(DATA / "feedparser" / name).entries
    assert entry.title == title
    assert entry.html.startswith(start)
    assert entry.html.endswith(("правил застольной безопасности.", "ויש אפילו הוכחה מדהימה."))


def test_declared_and_utf8_files_are_read_as_they_say(tmp_path: Path) -> None:
    text = rss(rss_item(*RUSSIAN, link="https://desk.example/a"))
    utf8 = text.encode("utf-8")
    assert undeclared_to_utf8(utf8) == (utf8, None)
    declared = ('<?xml version="1.0" encoding="windows-1251"?>' + text).encode("cp1251")
    assert undeclared_to_utf8(declared) == (declared, None)
    export = read_export(write(tmp_path, "feed.xml", declared))
    assert export.entries[0].title == RUSSIAN[0] and export.notes == ()
    wide = codecs.BOM_UTF16_LE + text.encode("utf-16-le")
    assert undeclared_to_utf8(wide) == (wide, None)


def test_utf8_with_a_broken_byte_is_refused_where_it_breaks(tmp_path: Path) -> None:
    """Not taken for a Latin encoding, which would garble every other accented letter."""
    text = rss(rss_item("Café Zürich", "Naïve résumé, Ærø. " * 8, link="https://desk.example/a"))
    raw = text.encode("utf-8").replace("Ærø.".encode(), b"\x96", 1)  # a stray windows-1252 –
    assert undeclared_to_utf8(raw) == (raw, None)
    with pytest.raises(ContentError) as caught:
        read_export(write(tmp_path, "feed.xml", raw))
    assert "feed.xml:1: not well-formed XML: Invalid bytes in character encoding" in str(
        caught.value
    )


@pytest.mark.parametrize("codec", ["utf-16-be", "utf-16-le", "utf-32-be", "utf-32-le"])
def test_utf16_and_utf32_without_a_byte_order_mark(codec: str, tmp_path: Path) -> None:
    """The XML rules tell these apart by their first bytes ('<?' in the encoding); their NUL
    bytes are part of every character, not control characters to strip."""
    text = f'<?xml version="1.0" encoding="{codec[:6]}"?>' + rss(
        rss_item(*HEBREW, link="https://desk.example/a")
    )
    raw = text.encode(codec)
    assert not raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF32_BE))
    export = read_export(write(tmp_path, "feed.xml", raw))
    (entry,) = export.entries
    assert (entry.title, entry.html) == (HEBREW[0], f"<p>{HEBREW[1]}</p>")
    assert export.notes == ()


# -- what relative URLs are relative to -------------------------------------------------------

ATOM_WITH_BASES = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:base="https://desk.example/blog/">
  <title>Desk</title><id>tag:desk.example,2016:feed</id><updated>2016-06-30T18:00:00Z</updated>
  <entry xml:base="2016/06/">
    <title>Inherited</title><id>tag:desk.example,2016:1</id>
    <link rel="alternate" href="front-line/"/>
    <published>2016-06-30T18:00:00Z</published>
    <content type="html">&lt;img src="images/map.png" alt="Map"&gt;
      &lt;a href="../05/may/"&gt;May&lt;/a&gt;</content>
  </entry>
  <entry>
    <title>From the feed</title><id>tag:desk.example,2016:2</id>
    <link rel="alternate" href="https://desk.example/blog/2016/07/quiet/"/>
    <published>2016-07-01T18:00:00Z</published>
    <content type="html">&lt;img src="images/quiet.png" alt="Quiet"&gt;</content>
  </entry>
</feed>
"""

BLOGGER_WITH_BASE = """<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:base="https://desk.blogspot.com/">
  <title>Desk</title><id>tag:blogger.com,1999:blog-1</id><generator>Blogger</generator>
  <entry xml:base="2017/01/">
    <id>tag:blogger.com,1999:blog-1.post-1</id>
    <category scheme="http://schemas.google.com/g/2005#kind"
      term="http://schemas.google.com/blogger/2008/kind#post"/>
    <published>2017-01-05T21:10:00+03:00</published><title>East bank</title>
    <content type="html">&lt;img src="map.jpg" alt="Map"&gt;</content>
    <link rel="alternate" href="https://desk.blogspot.com/2017/01/east-bank.html"/>
  </entry>
  <entry>
    <id>tag:blogger.com,1999:blog-1.post-2</id>
    <category scheme="http://schemas.google.com/g/2005#kind"
      term="http://schemas.google.com/blogger/2008/kind#post"/>
    <published>2017-01-06T21:10:00+03:00</published><title>West bank</title>
    <content type="html">x</content>
  </entry>
</feed>
"""


def test_each_entry_knows_what_its_relative_urls_are_relative_to(tmp_path: Path) -> None:
    """An entry's base: its xml:base (inherited, itself relative to what encloses it),
    else its own page; feedparser has already resolved a feed's body against xml:base."""
    feed = rss(
        rss_item("Plain", "x", link="https://desk.example/2016/06/30/plain/"),
        rss_item("No link", "x", link=""),
    )
    bases = [e.base for e in read_export(write(tmp_path, "feed.rss", feed)).entries]
    assert bases == ["https://desk.example/2016/06/30/plain/", None]

    inherited, plain = read_export(write(tmp_path, "feed.atom", ATOM_WITH_BASES)).entries
    assert inherited.base == "https://desk.example/blog/2016/06/"
    assert inherited.link == "https://desk.example/blog/2016/06/front-line/"
    assert 'src="https://desk.example/blog/2016/06/images/map.png"' in inherited.html
    assert 'href="https://desk.example/blog/2016/05/may/"' in inherited.html
    assert plain.base == "https://desk.example/blog/"

    east, west = read_export(write(tmp_path, "blogger.xml", BLOGGER_WITH_BASE)).entries
    assert east.base == "https://desk.blogspot.com/2017/01/"
    assert west.base == "https://desk.blogspot.com/"

    wordpress = read_export(DATA / "wordpress-site.xml").entries
    by_title = {e.title: e for e in wordpress}
    front_line = by_title["Front line, June"]
    assert front_line.base == "https://conflictdesk.example.com/2016/06/30/front-line-june/"
    briefing = by_title['Members\' briefing (the password is "enter")']
    assert briefing.link is None  # no redirect from its old URL ...
    assert briefing.base == "https://conflictdesk.example.com/2016/02/10/members-briefing/"


def test_relative_images_and_links_point_where_the_old_blog_showed_them(
    make_site: Make, tmp_path: Path
) -> None:
    """``<img src="images/map.png">`` would break under /posts/<slug>/: it becomes the URL
    the old page showed (the entry's own, or its xml:base)."""
    root = make_site()
    feed = rss(
        rss_item(
            "Front line",
            '&lt;img src="images/map.png" alt="Map"&gt; See &lt;a href="../may/"&gt;May&lt;/a&gt;'
            ' and &lt;a href="#notes"&gt;the notes&lt;/a&gt;.',
            link="https://desk.example/2016/06/front-line/",
            extra="<pubDate>Thu, 30 Jun 2016 18:00:00 +0000</pubDate>",
        )
    )
    report = import_posts(write(tmp_path, "feed.rss", feed), None, root / "posts", False)
    assert front(report.imported[0])[1] == (
        "![Map](https://desk.example/2016/06/front-line/images/map.png) See "
        "[May](https://desk.example/2016/06/may/) and [the notes](#notes).\n"
    )
    atom = write(tmp_path, "feed.atom", ATOM_WITH_BASES)
    report = import_posts(atom, None, root / "posts", False)
    assert front(report.imported[1])[1] == (
        "![Quiet](https://desk.example/blog/images/quiet.png)\n"  # the feed's xml:base
    )
    report = import_posts(DATA / "wordpress-site.xml", None, root / "posts", False)
    body = front(root / "posts/2016/front-line-june.md")[1]
    assert body.startswith(
        "![The front line]"
        "(https://conflictdesk.example.com/2016/06/30/front-line-june/images/front-line.png)"
    )
    assert front(root / "pages/team.md")[1] == (
        "![The team](https://conflictdesk.example.com/about/team/team.jpg) Four analysts.\n"
    )


# -- dates -------------------------------------------------------------------------------------

DATED = ' xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/"'


def test_dcterms_created_or_dc_date_dates_an_entry_without_a_pubdate(
    make_site: Make, tmp_path: Path
) -> None:
    feed = rss(
        rss_item(
            "Created",
            "x",
            link="https://desk.example/created",
            extra="<dcterms:created>2015-02-24T19:00:00+02:00</dcterms:created>",
        ),
        rss_item(
            "Created and modified",
            "x",
            link="https://desk.example/modified",
            extra="<dcterms:modified>2015-03-01T08:00:00+02:00</dcterms:modified>"
            "<dcterms:created>2015-02-25T19:00:00+02:00</dcterms:created>",
        ),
        rss_item(
            "Dublin Core",
            "x",
            link="https://desk.example/dc",
            extra="<dc:date>2015-02-26T19:00:00+02:00</dc:date>",
        ),
        namespaces=DATED,
    )
    report = import_posts(write(tmp_path, "feed.rss", feed), None, make_site() / "posts", False)
    dates = [
        (data["date"], data.get("updated")) for data in (front(path)[0] for path in report.imported)
    ]
    assert dates == [
        ("2015-02-24T19:00:00+02:00", None),
        ("2015-02-25T19:00:00+02:00", "2015-03-01T08:00:00+02:00"),
        ("2015-02-26T19:00:00+02:00", None),
    ]
    assert report.needs_look == []


def test_a_date_no_calendar_has_is_reported_as_invalid(make_site: Make, tmp_path: Path) -> None:
    """31 February is not 'no date', and feedparser's 2 March is not the date it gave."""
    root = make_site()
    feed = rss(
        rss_item(
            "Thirty-first",
            "x",
            link="https://desk.example/a",
            extra="<pubDate>Tue, 31 Feb 2015 19:00:00 +0000</pubDate>",
        ),
        rss_item(
            "Rolled over",
            "x",
            link="https://desk.example/b",
            extra="<dc:date>2015-02-31T19:00:00+02:00</dc:date>",
        ),
        rss_item(
            "Updated instead",
            "x",
            link="https://desk.example/c",
            extra="<pubDate>Tue, 31 Feb 2015 19:00:00 +0000</pubDate>"
            "<dcterms:modified>2015-03-02T08:00:00Z</dcterms:modified>",
        ),
        namespaces=DATED,
    )
    report = import_posts(write(tmp_path, "feed.rss", feed), None, root / "posts", False)
    assert [p.name for p in report.imported] == ["c.md"]
    assert front(report.imported[0])[0]["date"] == "2015-03-02T08:00:00Z"
    assert report.needs_look == [
        "entry 1 'Thirty-first': its date 'Tue, 31 Feb 2015 19:00:00 +0000' is not a valid "
        "date; not imported",
        "entry 2 'Rolled over': its date '2015-02-31T19:00:00+02:00' is not a valid date; "
        "not imported",
        "posts/2015/c.md: its publication date 'Tue, 31 Feb 2015 19:00:00 +0000' is not a "
        "valid date; left out",
    ]
    blogger = BLOGGER_WITH_BASE.replace("2017-01-06T21:10:00", "2017-02-30T21:10:00")
    report = import_posts(write(tmp_path, "blogger.xml", blogger), None, root / "posts", False)
    assert report.not_imported == (
        "entry 2 'West bank': its date '2017-02-30T21:10:00+03:00' is not a valid date; "
        "not imported",
    )


# -- a WordPress site: pages, sticky, private and password-protected posts ---------------------

PROTECTED = 'Members\' briefing (the password is "enter")'
NOT_PUBLIC_PAGE = (
    "a page that was not public on the old blog (draft, scheduled, private or "
    "password-protected); a page in pages/ is always published, so it is not imported"
)


def test_a_wordpress_sites_pages_and_posts(make_site: Make) -> None:
    """The shape of WordPress's theme unit test data: every page becomes a page with its
    old URL (child pages: parent/child) as an alias; only public posts get aliases."""
    root = make_site()
    report = import_posts(DATA / "wordpress-site.xml", None, root / "posts", False)
    pages = {p.relative_to(root).as_posix(): front(p)[0] for p in report.pages}
    assert pages == {
        "pages/about.md": {  # /about/ is its URL still: nothing to redirect
            "title": "About",
            "slug": "about",
            "menu": "1",
            "updated": "2016-01-05T10:00:00Z",
        },
        "pages/team.md": {
            "title": "Team",
            "slug": "team",
            "menu": "2",
            "updated": "2016-01-05T10:05:00Z",
            "aliases": ["/about/team/"],
        },
        "pages/field-staff.md": {  # a grandchild, in no menu
            "title": "Field staff",
            "slug": "field-staff",
            "updated": "2016-01-05T10:10:00Z",
            "aliases": ["/about/team/field-staff/"],
        },
        "pages/method.md": {  # WordPress wrote its link with '//'
            "title": "Our method",
            "slug": "method",
            "updated": "2016-01-05T10:15:00Z",
            "aliases": ["/about/method/"],
        },
    }
    posts = root / "posts" / "2016"
    sticky, _ = front(posts / "read-this-first.md")
    assert sticky["aliases"] == ["/2016/01/05/read-this-first/"] and "draft" not in sticky
    for name in ("members-briefing.md", "private-notes.md", "draft.md"):
        data, _ = front(posts / name)
        assert data["draft"] == "true" and "aliases" not in data, name
    assert front(posts / "members-briefing.md")[0]["title"] == PROTECTED
    assert report.needs_look == [
        f"entry 5 'Donate': {NOT_PUBLIC_PAGE}",
        f"entry 6 'Sources list': {NOT_PUBLIC_PAGE}",
        "entry 12 'Leap day': its date '2016-02-31 12:00:00' is not a valid date; not imported",
        "posts/2016/read-this-first.md: was sticky (kept at the top of the front page) on the "
        "old blog; sitegen lists posts newest first and pins none, so link to it from a page "
        "in the navigation (a page with 'menu') if it should stay in view",
        "posts/2016/members-briefing.md: is password-protected on the old blog: imported as a "
        "draft, and its old URL https://conflictdesk.example.com/2016/02/10/members-briefing/ "
        "gets no redirect; if it may be public, delete 'draft: true' (and add the old path "
        "to 'aliases')",
    ]
    assert report.ignored == (("attachments", 2), ("comments", 1), ("menu items", 2))
    assert report.lines()[-1] == (
        "9 imported, 0 overwritten, 0 skipped (exists), 3 drafts, 4 pages, 5 need a look"
    )


def test_an_imported_wordpress_site_builds_without_its_protected_posts(
    make_site: Make, build_site: Build
) -> None:
    root = make_site()
    import_posts(DATA / "wordpress-site.xml", None, root / "posts", False)
    out, _ = build_site(root)
    redirects = {
        "about/team": "https://example.org/team/",
        "about/team/field-staff": "https://example.org/field-staff/",
        "about/method": "https://example.org/method/",
        "2016/01/05/read-this-first": "https://example.org/posts/read-this-first/",
    }
    for old, new in redirects.items():
        page = lxml.html.fromstring((out / old / "index.html").read_bytes())
        assert page.xpath('//link[@rel="canonical"]/@href') == [new], old
    assert not (out / "2016/02/10/members-briefing").exists()
    assert not (out / "posts/members-briefing").exists()
    written = b"".join(p.read_bytes() for p in out.rglob("*") if p.is_file())
    for secret in (b"until the password is entered", b"Only for us", b"PAGE-SECRET"):
        assert secret not in written
