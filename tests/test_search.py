"""Search in a real browser: the Pagefind index finds posts by body, summary, place and source."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote

import pytest
from conftest import SampleSite, post_text

from tools import browser_page, require_browser, serve_directory


def result_titles(page) -> list[str]:  # type: ignore[no-untyped-def]
    """The result titles, once Pagefind has replaced its loading placeholders (". . .")."""
    page.wait_for_function(
        """() => {
            const titles = [...document.querySelectorAll('.pagefind-ui__result-title')];
            return titles.length > 0 && titles.every(t => /\\p{L}/u.test(t.innerText));
        }""",
        timeout=15000,
    )
    return page.locator(".pagefind-ui__result-title").all_inner_texts()


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Balaklava", "Siege of Sevastopol SITREP 2: Balaklava"),  # title and body
        ("Hougoumont", "Waterloo Campaign SITREP 4"),  # a place
        ("Défense", "Siege of Sevastopol SITREP"),  # only in a source's title, in the source list
        ("parallel roads", "Waterloo Campaign SITREP 3"),  # only in an editor's summary
        ("illustrated", "How We Grade Sources"),  # a page of pages/ (its summary)
    ],
    ids=["body", "place", "source", "summary", "page"],
)
def test_search_finds(sample_site: SampleSite, query: str, expected: str) -> None:
    require_browser()
    with serve_directory(sample_site.out) as url, browser_page((1280, 900)) as (page, errors):
        page.goto(url + "search/?q=" + quote(query))
        titles = result_titles(page)
        assert any(expected in title for title in titles), titles
        assert list(errors) == []


def test_header_box_leads_to_results(sample_site: SampleSite) -> None:
    require_browser()
    with serve_directory(sample_site.out) as url, browser_page((390, 844)) as (page, _):
        page.goto(url)
        page.fill("#site-search-q", "Malakhov")
        page.press("#site-search-q", "Enter")
        titles = result_titles(page)
        assert "search/?q=Malakhov" in page.url
        assert "Malakhov" in titles[0]


def test_search_merges_the_bundles_of_every_year(
    make_site: Callable[..., Path], build_site: Callable[..., tuple[Path, object]]
) -> None:
    """Each year of posts has its own bundle; one query finds posts of both years."""
    require_browser()

    root = make_site(
        {
            "posts/old.md": post_text(
                "Quatre Bras report", "2024-03-01", "Fighting at Quatre Bras."
            ),
            "posts/new.md": post_text("Ligny report", "2025-06-01", "Fighting at Ligny."),
        }
    )
    out, _ = build_site(root)
    assert (out / "pagefind/2024").is_dir() and (out / "pagefind/2025").is_dir()
    with serve_directory(out) as url, browser_page((1280, 900)) as (page, errors):
        page.goto(url + "search/?q=fighting")
        page.wait_for_function(
            "() => document.querySelectorAll('.pagefind-ui__result-title').length >= 2"
        )
        titles = result_titles(page)
        assert sorted(titles) == ["Ligny report", "Quatre Bras report"]
        assert list(errors) == []


SUB_RESULTS = """async ([bundle, query, url]) => {
    const pagefind = await import(bundle + "pagefind.js");
    await pagefind.options({bundlePath: bundle});
    const search = await pagefind.search(query);
    for (const result of search.results) {
        const data = await result.data();
        if (data.url.endsWith(url)) {
            return data.sub_results.map((s) => [s.title, s.url, s.excerpt]);
        }
    }
    return null;
}"""


def test_a_reports_opening_is_found_under_its_title_not_its_corrections(
    sample_site: SampleSite,
) -> None:
    """Sub-results are labelled by the section they are in: the opening paragraph of a
    report with corrections and a table of contents sits under the report's title."""
    require_browser()
    post = sample_site.post_by_slug("waterloo-sitrep-4")
    title = post.front["title"]
    with serve_directory(sample_site.out) as url, browser_page((1280, 900)) as (page, errors):
        page.goto(url + "search/")
        bundle = page.locator("#search").get_attribute("data-bundle")
        found = page.evaluate(SUB_RESULTS, [bundle, "Wavre", "posts/waterloo-sitrep-4/"])
        assert found, "the report is found"
        opening = [s for s in found if "against repeated attacks" in s[2]]  # the lead's words
        assert opening, found
        assert all(s[0] == title and "#" not in s[1] for s in opening), opening
        assert all(s[0] != "Corrections" for s in found), found
        assert list(errors) == []
