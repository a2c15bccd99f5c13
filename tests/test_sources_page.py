"""/sources/ and its pages: sortable names, the A-Z index and the initials' pages, the grade
pages and the in-place grade filter, the cap on "Cited in", and the size limit of a page.
"""

from __future__ import annotations

import importlib.util
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import lxml.html
import pytest
from conftest import REPO, SampleSite, post_text

from sitegen.index.names import sortable
from sitegen.output import sources
from tools import (
    browser_page,
    html_files,
    require_browser,
    require_tool,
    require_vnu,
    save_artifact,
    serve_directory,
    validate_html,
)

Make = Callable[..., Path]
Build = Callable[..., tuple[Path, Any]]

SITE = """\
title: Sources Desk
description: Test
base_url: https://example.org/
author: Desk
language: en
timezone: UTC
posts_per_page: 5
feed_length: 10
sources:
"""

# name, reliability (or ""), sort_as (or ""): every kind of name the sort must handle.
NAMES = [
    ("The Times", "B", ""),
    ("Alexander William Kinglake", "B", ""),
    ("Financial Times", "B", ""),
    ("Duke of Wellington", "B", ""),
    ("John Gurwood (ed.)", "A", ""),
    ("Napoleon I", "C", ""),
    ("Institute for the Study of War", "B", ""),
    ("Émile Zola", "E", ""),
    ("UN OCHA", "A", ""),
    ("Enab Baladi", "C", "Enab Baladi"),
    ("Arthur Wellesley", "", "Wellington, Arthur Wellesley, Duke of"),
    ("Лев Толстой", "C", ""),
    ("Радио Свобода", "D", ""),
    ("حلب اليوم", "F", ""),
    ("112 Ukraine", "", ""),
    ("東京新聞", "B", ""),
    ("The Economist", "B", ""),
    ("General Sir James Simpson", "B", ""),
    ("Associated Press", "A", ""),
    ("August Neidhardt von Gneisenau", "B", ""),
    ("Al Jazeera", "C", ""),
]

# The order of /sources/, by initial: Latin A-Z, other alphabets, then "#".
EXPECTED = [
    ("A", ["Associated Press"]),
    ("E", ["The Economist", "Enab Baladi"]),
    ("F", ["Financial Times"]),
    ("G", ["Gneisenau, August Neidhardt von", "Gurwood, John (ed.)"]),
    ("I", ["Institute for the Study of War"]),
    ("J", ["Al Jazeera"]),
    ("K", ["Kinglake, Alexander William"]),
    ("N", ["Napoleon I"]),
    ("S", ["Simpson, General Sir James"]),
    ("T", ["The Times"]),
    ("U", ["UN OCHA"]),
    ("W", ["Arthur Wellesley", "Wellington, Duke of"]),
    ("Z", ["Zola, Émile"]),
    ("Р", ["Радио Свобода"]),
    ("Т", ["Толстой, Лев"]),
    ("ح", ["حلب اليوم"]),
    ("#", ["112 Ukraine", "東京新聞"]),
]


def registry() -> str:
    """The NAMES as site.yaml's registry: half with sort_as there, half inline (see below)."""
    lines = []
    for index, (name, grade, sort_as) in enumerate(NAMES):
        fields = [f'name: "{name}"', f'title: "Work {index}"']
        fields += [f"reliability: {grade}"] if grade else []
        fields += [f'sort_as: "{sort_as}"'] if sort_as and index % 2 == 0 else []
        lines.append(f"  s{index}: {{{', '.join(fields)}}}")
    return SITE + "\n".join(lines) + "\n"


def citing_all() -> str:
    """A post listing every registry source; the odd ones' sort_as given inline."""
    listed = []
    for index, (_, _, sort_as) in enumerate(NAMES):
        if sort_as and index % 2 == 1:
            listed.append(f'  - {{id: s{index}, sort_as: "{sort_as}"}}')
        else:
            listed.append(f"  - s{index}")
    return post_text(
        "Everything", "2026-01-05T10:00:00Z", "Body.", sources="\n" + "\n".join(listed)
    )


def parse(path: Path) -> lxml.html.HtmlElement:
    return lxml.html.fromstring(path.read_bytes())


def texts(doc: lxml.html.HtmlElement, xpath: str) -> list[str]:
    return [" ".join(e.text_content().split()) for e in doc.xpath(xpath)]


def page_of(out: Path, href: str) -> Path:
    """The file a link on the site leads to (``/sources/%D1%82/`` -> ``sources/т/index.html``)."""
    path = unquote(urlsplit(href).path).lstrip("/")
    return out / (path + "index.html" if path.endswith("/") or not path else path)


def entries(doc: lxml.html.HtmlElement) -> list[tuple[str, str]]:
    """(outlet heading, title) of every source a page lists."""
    found = []
    for outlet in doc.xpath('//section[contains(@class, "outlet")]'):
        heading = outlet.xpath("./h2|./h3")[0]
        name = " ".join(heading.text_content().replace("(continued)", "").split())
        found += [(name, " ".join(c.text_content().split())) for c in outlet.xpath(".//li//cite")]
    return found


@pytest.fixture
def names_site(make_site: Make, build_site: Build) -> Path:
    root = make_site({"site.yaml": registry(), "posts/all.md": citing_all()})
    out, _ = build_site(root)
    return out


# ------------------------------------------------------------------ sortable names


@pytest.mark.parametrize(
    ("name", "heading", "letter"),
    [
        ("The Times", "The Times", "T"),
        ("Financial Times", "Financial Times", "F"),
        ("Alexander William Kinglake", "Kinglake, Alexander William", "K"),
        ("John Gurwood (ed.)", "Gurwood, John (ed.)", "G"),
        ("Duke of Wellington", "Wellington, Duke of", "W"),
        ("Napoleon I", "Napoleon I", "N"),
        ("General Sir James Simpson", "Simpson, General Sir James", "S"),
        ("Martin Luther King Jr.", "King, Martin Luther, Jr.", "K"),
        ("A. J. P. Taylor", "Taylor, A. J. P.", "T"),
        ("Human Rights Watch", "Human Rights Watch", "H"),
        ("UK Ministry of Defence", "UK Ministry of Defence", "U"),
        ("Agence France-Presse", "Agence France-Presse", "A"),
        ("Al Jazeera", "Al Jazeera", "J"),
        ("Bashar al-Assad", "al-Assad, Bashar", "A"),
        ("Лев Толстой", "Толстой, Лев", "Т"),
        ("Йосип Сліпий", "Сліпий, Йосип", "С"),
        ("حلب اليوم", "حلب اليوم", "ح"),
        ("112 Ukraine", "112 Ukraine", "#"),
        ("東京新聞", "東京新聞", "#"),
        ("Émile Zola", "Zola, Émile", "Z"),
    ],
)
def test_a_name_sorts_by_its_sortable_form(name: str, heading: str, letter: str) -> None:
    found = sortable(name)
    assert (found.heading, found.letter) == (heading, letter)


def test_sort_as_wins_and_the_name_is_shown_as_written() -> None:
    found = sortable("Enab Baladi", "Enab Baladi")
    assert (found.key, found.heading, found.letter) == ("enab baladi", "Enab Baladi", "E")
    assert sortable("Enab Baladi").heading == "Baladi, Enab"  # why sort_as exists


def test_sources_are_in_the_order_of_their_sortable_names(names_site: Path) -> None:
    """The index's directory, and each initial's page, in exactly the expected order."""
    index = parse(names_site / "sources/index.html")
    initials = texts(index, '//nav[@class="initials"]//a/span[@class="initial"]')
    assert [i.replace(" (other initials: digits, signs, ideographs)", "") for i in initials] == [
        letter for letter, _ in EXPECTED
    ]
    directory = [
        texts(block, ".//li/a") for block in index.xpath('//div[@class="directory-initial"]')
    ]
    assert directory == [names for _, names in EXPECTED]
    for link, (letter, names) in zip(
        index.xpath('//nav[@class="initials"]//a'), EXPECTED, strict=True
    ):
        doc = parse(page_of(names_site, link.get("href")))
        assert texts(doc, '//section[@class="outlet"]/h2') == names, letter
        assert doc.xpath('//nav[@class="initials"]//a[@aria-current="page"]/@href') == [
            link.get("href")
        ]


def test_each_name_is_shown_once(names_site: Path) -> None:
    """Under an outlet's heading, its entries do not repeat the name."""
    doc = parse(names_site / "sources/k/index.html")
    outlet = doc.xpath('//section[@class="outlet"]')[0]
    assert "Kinglake" not in " ".join(texts(outlet, ".//li"))
    assert texts(outlet, ".//li")[0].startswith("B Work 1.")  # grade, space, title


def test_unicode_initials_have_their_pages(names_site: Path) -> None:
    index = parse(names_site / "sources/index.html")
    hrefs = index.xpath('//nav[@class="initials"]//a/@href')
    assert "/sources/%D1%80/" in hrefs and "/sources/other/" in hrefs  # р, and "#"
    assert (names_site / "sources/т/index.html").is_file()
    sitemap = (names_site / "sitemap.xml").read_text(encoding="utf-8")
    hrefs += index.xpath('//nav[@class="grade-links"]//a/@href')
    assert len(hrefs) == len(EXPECTED) + 7  # every initial, every grade
    for href in ["/sources/", *hrefs]:
        assert f"<loc>https://example.org{href}</loc>" in sitemap


# ------------------------------------------------------------------ grades


def test_grade_pages_list_exactly_the_sources_of_their_grade(names_site: Path) -> None:
    index = parse(names_site / "sources/index.html")
    links = index.xpath('//nav[@class="grade-links"]//a')
    everything = set(entries(parse(names_site / "sources/index.html")))
    assert not everything  # the index lists names, not entries
    every_entry = {
        entry
        for link in index.xpath('//nav[@class="initials"]//a')
        for entry in entries(parse(page_of(names_site, link.get("href"))))
    }
    assert len(every_entry) == len(NAMES)
    by_grade: dict[str, set[tuple[str, str]]] = {}
    for index_no, (name, grade, _) in enumerate(NAMES):
        by_grade.setdefault(grade or "ungraded", set()).add((sortable(name).heading, index_no))
    seen = set()
    for link in links:
        slug = link.get("href").rstrip("/").rsplit("/", 1)[-1]
        doc = parse(page_of(names_site, link.get("href")))
        listed = entries(doc)
        works = {int(title.removeprefix("Work ")) for _, title in listed}
        assert works == {i for _, i in by_grade[slug.upper() if slug != "ungraded" else slug]}
        grades = {li.get("data-reliability") for li in doc.xpath("//li[@data-reliability]")}
        assert grades == {slug}
        count = int(link.xpath('.//span[@class="count"]')[0].text)
        assert count == len(listed)
        seen |= works
    assert seen == set(range(len(NAMES)))
    # "F" has a source, "ungraded" two; no grade without sources gets a link.
    assert index.xpath('//nav[@class="grade-links"]//span[@class="none"]') == []


def test_grade_pages_are_grouped_by_initial_with_anchors(names_site: Path) -> None:
    doc = parse(names_site / "sources/grade/b/index.html")
    anchors = doc.xpath('//nav[@class="initials"]//a/@href')
    assert anchors[0] == "/sources/grade/b/#initial-e"
    for href in anchors:
        assert doc.xpath(f'//h2[@id="{href.rsplit("#", 1)[1]}"]')
    assert texts(doc, '//h2[@class="initial-heading"]')[:3] == ["E", "F", "G"]


def test_initial_pages_link_to_the_grade_pages_without_javascript(names_site: Path) -> None:
    doc = parse(names_site / "sources/g/index.html")
    links = doc.xpath('//nav[@class="grade-links"]//a/@href')
    assert "/sources/grade/a/" in links and "/sources/grade/b/" in links
    assert doc.xpath('//form[@class="grade-filter"]//input[@type="radio"]')  # the script's
    assert doc.xpath('//script[contains(@src, "js/sources.js")]')
    index = parse(names_site / "sources/index.html")
    assert not index.xpath('//script[contains(@src, "js/sources.js")]')
    assert index.get_element_by_id("grades") is not None  # other pages link to /sources/#grades


# ------------------------------------------------------------------ the cap and the limit


def test_cited_in_names_the_newest_reports_then_how_many_more(
    make_site: Make, build_site: Build
) -> None:
    shown = sources.CITED_IN_SHOWN
    files = {"site.yaml": SITE + "  reg: {name: Reuters, title: Wire, reliability: A}\n"}
    for day in range(1, shown + 4):
        files[f"posts/p{day}.md"] = post_text(
            f"Report {day}", f"2026-01-{day:02d}T10:00:00Z", "[@reg]", sources="[reg]"
        )
    out, _ = build_site(make_site(files))
    doc = parse(out / "sources/r/index.html")
    cited = doc.xpath('//p[@class="cited-by"]')[0]
    assert texts(cited, "./a") == [f"Report {day}" for day in range(shown + 3, 3, -1)]
    assert " ".join(cited.text_content().split()).endswith("and 3 earlier reports.")


def test_a_long_initial_is_split_into_pages(
    make_site: Make, build_site: Build, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sources, "ENTRIES_PER_PAGE", 2)
    outlets = "aaabc"  # a continues on the second page
    inline = "\n".join(
        f"  - {{id: s{i}, name: Telegram channel {o}, title: Post {i}"
        + (", reliability: B}" if i == 0 else "}")
        for i, o in enumerate(outlets)
    )
    files = {
        "site.yaml": SITE.replace("sources:\n", ""),
        "posts/a.md": post_text(sources="\n" + inline),
    }
    out, _ = build_site(make_site(files), jobs=1)
    pages = ["sources/t/index.html", "sources/t/2/index.html", "sources/t/3/index.html"]
    assert sorted(p.relative_to(out).as_posix() for p in out.glob("sources/t/**/*.html")) == sorted(
        pages
    )
    listed = [entries(parse(out / p)) for p in pages]
    assert [len(e) for e in listed] == [2, 2, 1]
    assert [title for page in listed for _, title in page] == [f"Post {i}" for i in range(5)]
    second = parse(out / pages[1])
    assert texts(second, '//section[@class="outlet"]/h2') == [
        "Telegram channel a (continued)",
        "Telegram channel b",
    ]
    assert texts(second, "//h1") == ["Sources: T, page 2 of 3"]
    assert second.xpath(
        '//nav[contains(@class, "sources-pager")]//a[@aria-current="page"]/@href'
    ) == ["/sources/t/2/", "/sources/t/2/"]  # above and below the sources
    third = parse(out / pages[2])
    assert texts(third, '//section[@class="outlet"]/h2') == ["Telegram channel c"]
    index = parse(out / "sources/index.html")
    assert index.xpath('//div[@class="directory-initial"]//a/@href')[1:] == [
        "/sources/t/#outlet-telegram-channel-a",
        "/sources/t/2/#outlet-telegram-channel-b",
        "/sources/t/3/#outlet-telegram-channel-c",
    ]
    # By grade, the same outlets are split otherwise: "a" starts the ungraded sources.
    ungraded = [parse(out / f"sources/grade/ungraded/{n}index.html") for n in ("", "2/")]
    assert [texts(doc, '//section[@class="outlet"]/h3') for doc in ungraded] == [
        ["Telegram channel a"],
        ["Telegram channel b", "Telegram channel c"],
    ]
    assert texts(parse(out / "sources/grade/b/index.html"), "//h3") == ["Telegram channel a"]


def _corpus_module() -> Any:
    spec = importlib.util.spec_from_file_location("corpus", REPO / "benchmarks" / "corpus.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_no_sources_page_of_the_benchmark_corpus_exceeds_the_limit(
    tmp_path: Path, build_site: Build
) -> None:
    """2,000 posts of the benchmark corpus: some 7,000 sources, registry ones cited hundreds of
    times; every sources page within ENTRIES_PER_PAGE entries and far under 512 KB."""
    root = tmp_path / "corpus"
    _corpus_module().generate(2000, root, words=120, pelican=False)
    with (root / "site.yaml").open("a", encoding="utf-8") as config:
        config.write("search: false\n")  # the search index has nothing to do with this
    out, _ = build_site(root)
    limit = sources.ENTRIES_PER_PAGE
    listed: dict[str, int] = {"initials": 0, "grades": 0}
    for page in sorted((out / "sources").rglob("index.html")):
        size = page.stat().st_size
        doc = parse(page)
        count = len(doc.xpath("//li[@data-reliability]"))
        assert count <= limit, page
        assert size < 512 * 1024, (page, size)
        for cited in doc.xpath('//p[@class="cited-by"]'):
            assert len(cited.xpath("./a")) <= sources.CITED_IN_SHOWN
        kind = "grades" if "/grade/" in page.as_posix() else "initials"
        listed[kind] += count
    index = parse(out / "sources/index.html")
    total = int(
        re.search(r"([\d,]+) sources", texts(index, "//p[@class='lede']")[0])[1].replace(",", "")
    )
    assert total > 3 * limit  # the corpus does need pages
    assert listed == {"initials": total, "grades": total}
    assert (out / "sources/t/2/index.html").is_file()


# ------------------------------------------------------------------ valid and accessible


def test_sources_pages_are_valid_html(names_site: Path) -> None:
    require_vnu()
    pages = [p for p in html_files(names_site) if "sources" in p.relative_to(names_site).parts]
    assert len(pages) > 20
    assert validate_html(pages) == []


@pytest.fixture(scope="module")
def sample_url(sample_site: SampleSite) -> Iterator[str]:
    require_browser()
    with serve_directory(sample_site.out) as url:
        yield url


def visible_entries(page: Any) -> list[str]:
    return page.evaluate(
        """() => Array.from(document.querySelectorAll('li.source'))
            .filter(li => li.offsetParent !== null)
            .map(li => li.closest('section.outlet').querySelector('h2').textContent.trim())"""
    )


def test_the_grade_filter_hides_other_grades_in_place(sample_url: str) -> None:
    """/sources/g/ of the sample site: Gneisenau B, Gourgaud D, Gronow D, Gurwood A."""
    with browser_page((1280, 900)) as (page, errors):
        page.goto(sample_url + "sources/g/")
        everyone = visible_entries(page)
        assert len(everyone) == 4
        assert page.is_hidden('nav.grade-links[aria-label="Sources by reliability"]')
        page.check('input[name="grade"][value="d"]')
        assert visible_entries(page) == ["Gourgaud, Gaspard", "Gronow, Rees Howell"]
        assert page.is_hidden("#outlet-august-neidhardt-von-gneisenau")
        status = page.text_content(".filter-status")
        assert status.startswith("Showing 2 of 4 sources on this page: those graded D")
        assert page.evaluate("location.search") == "?grade=d"
        assert page.get_attribute('nav.initials a[href^="/sources/h/"]', "href") == (
            "/sources/h/?grade=d"
        )
        assert "no-match" in page.get_attribute('nav.initials a[href^="/sources/k/"]', "class")
        assert page.get_attribute(".filter-more a", "href") == "/sources/grade/d/"
        # The keyboard: the radio group moves with the arrow keys.
        page.focus('input[name="grade"][value="d"]')
        page.keyboard.press("ArrowLeft")  # C: no source under G
        assert visible_entries(page) == []
        assert page.is_visible(".filter-empty")
        page.keyboard.press("ArrowLeft")  # B
        assert visible_entries(page) == ["Gneisenau, August Neidhardt von"]
        # The A-Z links carry the choice: the next initial opens filtered.
        page.click('nav.initials a[href^="/sources/h/"]')
        page.wait_for_url("**/sources/h/?grade=b")
        assert page.is_checked('input[name="grade"][value="b"]')
        assert visible_entries(page) == ["Haskell, Frank Aretas"]
        assert list(errors) == []


def test_without_javascript_the_grade_links_remain(sample_url: str) -> None:
    with browser_page((390, 844), java_script_enabled=False) as (page, _):
        page.goto(sample_url + "sources/g/")
        assert page.is_hidden("form.grade-filter")
        assert len(visible_entries(page)) == 4
        page.click('nav.grade-links a[href="/sources/grade/d/"]')
        page.wait_for_url("**/sources/grade/d/")
        assert page.evaluate(
            "Array.from(document.querySelectorAll('li.source')).map(li => li.dataset.reliability)"
        ) == ["d", "d"]


AXE = REPO / ".tools" / "node_modules" / "axe-core" / "axe.min.js"


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("viewport", [(390, 844), (1366, 900)], ids=lambda v: f"{v[0]}")
@pytest.mark.parametrize("path", ["sources/", "sources/g/?grade=d", "sources/grade/b/"])
def test_sources_pages_pass_axe(
    sample_url: str, path: str, viewport: tuple[int, int], scheme: str
) -> None:
    require_tool("axe-core", AXE.is_file(), "`npm install --prefix .tools axe-core`")
    with browser_page(viewport, color_scheme=scheme) as (page, errors):
        page.goto(sample_url + path, wait_until="load")
        page.add_script_tag(path=str(AXE))
        violations = page.evaluate(
            """async () => (await axe.run(document, {resultTypes: ["violations"]})).violations
                .map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.length}))"""
        )
        name = re.sub(r"\W+", "-", path).strip("-")
        save_artifact(f"sources/{name}-{viewport[0]}-{scheme}.png", page.screenshot(full_page=True))
        assert violations == []
        assert list(errors) == []
