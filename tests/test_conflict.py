"""Conflict-analysis features on small inline sites: graded sources, citations, quotes,
places and maps data, corrections, custom taxonomies, structured data, and the exact
error messages (file:line: field: message) for each way an editor can get them wrong.
"""

from __future__ import annotations

import calendar
import json
import re
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import feedparser
import lxml.html
import pytest
from conftest import REPO, post_text

from sitegen.errors import ContentError

Make = Callable[..., Path]
Build = Callable[..., tuple[Path, Any]]

SITE_WITH_REGISTRY = """\
title: Conflict Desk
description: Test
base_url: https://example.org/
author: Desk Editor
language: en
timezone: Europe/London
posts_per_page: 5
feed_length: 10
taxonomies: [theaters]
sources:
  ft: {name: Financial Times, title: Front page, url: "https://www.ft.com/",
       reliability: B, credibility: 3}
  isw: {name: Institute for the Study of War, url: "https://www.understandingwar.org/",
        reliability: B}
places:
  aleppo-city: {name: Aleppo, local_name: حلب, lat: 36.2021, lon: 37.1343}
  kharkiv: {name: Kharkiv, local_name: Харків, local_lang: uk, lat: 49.9935, lon: 36.2304}
"""


def front(*lines: str, title: str = "T", date: str = "2026-01-10T10:00:00Z") -> str:
    """Front matter from raw YAML lines (so a test can count the lines itself)."""
    return "\n".join(["---", f"title: {title}", f"date: {date}", *lines, "---"]) + "\n"


def errors_of(build_site: Build, root: Path) -> list[str]:
    with pytest.raises(ContentError) as exc:
        build_site(root)
    return [str(p) for p in exc.value.problems]


_SIMPLE = re.compile(r"([\w-]+|\*)?((?:\.[\w-]+|\[[\w-]+(?:=\"[^\"]*\")?\])*)")


def _xpath_step(simple: str) -> str:
    """One simple selector (``tag.class[attr="v"]``) as an XPath step."""
    match = _SIMPLE.fullmatch(simple)
    assert match, f"unsupported selector {simple!r}"
    step = match.group(1) or "*"
    for cls in re.findall(r"\.([\w-]+)", match.group(2)):
        step += f"[contains(concat(' ', normalize-space(@class), ' '), ' {cls} ')]"
    for name, value in re.findall(r"\[([\w-]+)(?:=\"([^\"]*)\")?\]", match.group(2)):
        step += f"[@{name}='{value}']" if value else f"[@{name}]"
    return step


def css(element: lxml.html.HtmlElement, selector: str) -> list[lxml.html.HtmlElement]:
    """The few CSS selectors these tests use (descendant, child, class, attribute, list),
    in document order, without the optional cssselect package."""
    paths = []
    for alternative in selector.split(","):
        path = "."
        combinator = "//"
        for token in alternative.split():
            if token == ">":
                combinator = "/"
                continue
            path += combinator + _xpath_step(token)
            combinator = "//"
        paths.append(path)
    return element.xpath(" | ".join(paths))


def page(out: Path, path: str) -> lxml.html.HtmlElement:
    return lxml.html.fromstring((out / path).read_bytes())


def text(element: lxml.html.HtmlElement) -> str:
    return " ".join(element.text_content().split())


def build_post(make_site: Make, build_site: Build, body: str, *lines: str, **kw: str) -> Path:
    """Build a one-post site (registry config) and return the output directory."""
    root = make_site({"site.yaml": SITE_WITH_REGISTRY, "posts/x.md": front(*lines, **kw) + body})
    out, _ = build_site(root)
    return out


# ----------------------------------------------------------------- sources


def test_admiralty_grades_rendered_with_meaning(make_site: Make, build_site: Build) -> None:
    out = build_post(
        make_site,
        build_site,
        "Claims [@a] [@b] [@c] [@d].\n",
        "sources:",
        "  - {id: a, name: Alpha, reliability: B, credibility: 2}",
        "  - {id: b, name: Beta, reliability: F}",
        "  - {id: c, name: Gamma, credibility: '6'}",
        "  - {id: d, name: Delta}",
        title="Grades",
    )
    doc = page(out, "posts/grades/index.html")
    items = {li.get("id"): li for li in css(doc, "li.source")}
    grades = {
        key: [(a.text, a.get("title")) for a in css(li, "abbr.grade")] for key, li in items.items()
    }
    assert grades == {
        "source-a": [("B2", "source usually reliable; information probably true")],
        "source-b": [("F", "source reliability cannot be judged")],
        "source-c": [("6", "information truth cannot be judged")],
        "source-d": [],
    }


def test_bad_reliability_grade_message(make_site: Make, build_site: Build) -> None:
    root = make_site(
        {
            "posts/x.md": front(
                "sources:",  # line 4
                "  - id: ok",
                "    name: Fine",
                "  - id: bad",  # line 7
                "    name: Rumour mill",
                "    reliability: G",  # line 9
            )
            + "Text.\n"
        }
    )
    assert errors_of(build_site, root) == [
        "posts/x.md:9: sources[1].reliability: 'G' is not an Admiralty reliability grade (A-F)"
    ]


def test_duplicate_and_missing_ids(make_site: Make, build_site: Build) -> None:
    root = make_site(
        {
            "posts/x.md": front(
                "sources:",
                "  - {id: a, name: A}",
                "  - {id: a, name: Again}",  # line 6
                "  - {name: No id}",  # line 7
                "quotes:",
                "  - {id: q, text: x}",
                "  - {id: q, text: y}",  # line 10
                "  - {id: 'bad id', text: z}",  # line 11
                "  - {id: r}",  # line 12
            )
        }
    )
    assert errors_of(build_site, root) == [
        "posts/x.md:6: sources[1]: duplicate source id 'a'",
        "posts/x.md:7: sources[2].id: required field is missing (text)",
        "posts/x.md:10: quotes[1].id: duplicate quote id 'q'",
        "posts/x.md:11: quotes[2].id: 'bad id' is not an id (letters, digits, '-', '_', '.', ':')",
        "posts/x.md:12: quotes[3].text: required field is missing (text)",
    ]


def test_bad_credibility_grade_message(make_site: Make, build_site: Build) -> None:
    root = make_site(
        {
            "posts/x.md": front(
                "sources:",
                "  - id: bad",
                "    name: Rumour mill",
                "    reliability: b",  # line 7: lowercase is not a grade either
                "    credibility: 7",  # line 8
            )
        }
    )
    assert errors_of(build_site, root) == [
        "posts/x.md:7: sources[0].reliability: 'b' is not an Admiralty reliability grade (A-F)",
        "posts/x.md:8: sources[0].credibility: '7' is not an Admiralty credibility grade (1-6)",
    ]


@pytest.mark.parametrize(
    "url",
    ["javascript:alert(1)", "ftp://files.example.org/report.pdf", "/relative/path", "data:,x"],
)
@pytest.mark.parametrize("key", ["url", "archive_url"])
def test_source_urls_must_be_http(make_site: Make, build_site: Build, key: str, url: str) -> None:
    root = make_site(
        {"posts/x.md": front("sources:", "  - id: s", "    name: S", f"    {key}: '{url}'")}
    )
    assert errors_of(build_site, root) == [
        f"posts/x.md:7: sources[0].{key}: expected an http:// or https:// URL, got {url!r}"
    ]


def test_citations_numbered_by_first_use_uncited_last(make_site: Make, build_site: Build) -> None:
    out = build_post(
        make_site,
        build_site,
        "First [@c; @a], then [@b].\n\nAgain [@a] and [@c].\n",
        "sources:",
        "  - {id: a, name: Alpha, url: 'https://a.example/'}",
        "  - {id: b, name: Beta}",
        "  - {id: c, name: Gamma}",
        "  - {id: u, name: Uncited one}",
        "  - {id: v, name: Uncited two}",
        title="Cites",
    )
    doc = page(out, "posts/cites/index.html")
    order = [li.get("id") for li in css(doc, "ol.source-list > li.source")]
    assert order == ["source-c", "source-a", "source-b", "source-u", "source-v"]
    assert [li.get("class") for li in css(doc, "ol.source-list > li")] == [
        "source",
        "source",
        "source",
        "source uncited",
        "source uncited",
    ]
    cites = [
        [(a.text, a.get("href")) for a in css(sup, "a")] for sup in css(doc, ".post-body sup.cite")
    ]
    assert cites == [
        [("1", "#source-c"), ("2", "#source-a")],
        [("3", "#source-b")],
        [("2", "#source-a")],
        [("1", "#source-c")],
    ]
    first = css(doc, ".post-body sup.cite a")[0]
    assert first.get("title") == "Gamma"
    assert "[@" not in text(css(doc, ".post-body")[0])


def test_quote_citations_numbered_where_the_quote_stands(
    make_site: Make, build_site: Build
) -> None:
    """A quote cites its source at its place in the text, not before the paragraphs."""
    body = "Intro [@b].\n\n{{< quote q >}}\n\nLater [@c] and [@a].\n\n| x |\n|---|\n| [@d] |\n"
    out = build_post(
        make_site,
        build_site,
        body,
        "sources:",
        "  - {id: a, name: Alpha}",
        "  - {id: b, name: Beta}",
        "  - {id: c, name: Gamma}",
        "  - {id: d, name: Delta}",
        "quotes:",
        "  - {id: q, text: Words., source: a}",
        title="Order",
    )
    doc = page(out, "posts/order/index.html")
    numbers = [(a.get("href"), a.text) for a in css(doc, ".post-body sup.cite a")]
    assert numbers == [
        ("#source-b", "1"),
        ("#source-a", "2"),
        ("#source-c", "3"),
        ("#source-a", "2"),
        ("#source-d", "4"),
    ]
    order = [li.get("id") for li in css(doc, "li.source")]
    assert order == ["source-b", "source-a", "source-c", "source-d"]


def test_unknown_citation_reports_file_line(make_site: Make, build_site: Build) -> None:
    body = (
        "\n"  # line 7: a blank line right after the front matter
        "Intro [@a].\n"  # line 8
        "\n"  # line 9
        "```\n[@fenced-is-fine]\n```\n"  # lines 10-12
        "\n"  # line 13
        "A claim [@a; @ghost] and [@phantom].\n"  # line 14
    )
    root = make_site({"posts/x.md": front("sources:", "  - {id: a, name: A}") + body})
    assert errors_of(build_site, root) == [
        "posts/x.md:14: unknown source 'ghost'",
        "posts/x.md:14: unknown source 'phantom'",
    ]


def test_unknown_citation_line_skips_code_mentions(make_site: Make, build_site: Build) -> None:
    """The line reported is where the id is cited, not where it is shown as code."""
    body = (
        "Cite with `[@ghost]` syntax.\n"  # line 5: code, not a citation
        "\n"
        "    [@ghost] in an indented code block\n"  # line 7: code
        "\n"
        "A real [@ghost] citation.\n"  # line 9
    )
    root = make_site({"posts/x.md": front() + body})
    assert errors_of(build_site, root) == ["posts/x.md:9: unknown source 'ghost'"]


def test_every_unknown_citation_in_one_run(make_site: Make, build_site: Build) -> None:
    root = make_site(
        {
            "posts/a.md": front() + "One [@x].\n",  # line 5
            "posts/b.md": front("tags: [t]", title="B") + "\n\nTwo [@y].\n",  # line 8
        }
    )
    assert errors_of(build_site, root) == [
        "posts/a.md:5: unknown source 'x'",
        "posts/b.md:8: unknown source 'y'",
    ]


def test_citations_in_code_stay_literal(make_site: Make, build_site: Build) -> None:
    body = (
        "Write `[@a]` to cite, or ``[@a; @b]`` for two. Real: [@a].\n\n"
        "```markdown\nA fenced [@nope] example.\n```\n\n"
        "~~~~\nTilde [@never]\n~~~~\n\n"
        "```\n{{< quote nope >}}\n```\n"
    )
    out = build_post(make_site, build_site, body, "sources:", "  - {id: a, name: A}", title="Code")
    doc = page(out, "posts/code/index.html")
    codes = [text(c) for c in css(doc, ".post-body code")]
    assert codes == [
        "[@a]",
        "[@a; @b]",
        "A fenced [@nope] example.",
        "Tilde [@never]",
        "{{< quote nope >}}",
    ]
    assert len(css(doc, ".post-body sup.cite")) == 1
    assert [li.get("id") for li in css(doc, "li.source")] == ["source-a"]


def test_citations_in_indented_code_stay_literal(make_site: Make, build_site: Build) -> None:
    body = "Cite like this:\n\n    See [@a] and [@nope].\n\nReal [@a].\n"
    out = build_post(make_site, build_site, body, "sources:", "  - {id: a, name: A}", title="Ind")
    doc = page(out, "posts/ind/index.html")
    assert [text(c) for c in css(doc, ".post-body pre code")] == ["See [@a] and [@nope]."]
    assert len(css(doc, ".post-body sup.cite")) == 1


# ------------------------------------------------------------------ quotes


def test_quote_embed(make_site: Make, build_site: Build) -> None:
    body = "Before.\n\n{{< quote shut-out >}}\n\nAfter [@ft2].\n"
    out = build_post(
        make_site,
        build_site,
        body,
        "sources:",
        "  - id: ft2",
        "    name: Financial Times",
        "    url: https://www.ft.com/content/abc",
        "quotes:",
        "  - id: shut-out",
        '    text: "The Russians & Turks are talking <without> the US now."',
        "    speaker: an opposition figure",
        "    source: ft2",
        title="Quote",
    )
    doc = page(out, "posts/quote/index.html")
    (figure,) = css(doc, ".post-body figure.quote")
    (blockquote,) = css(figure, "blockquote")
    assert blockquote.get("cite") == "https://www.ft.com/content/abc"
    assert text(blockquote) == "The Russians & Turks are talking <without> the US now."
    (caption,) = css(figure, "figcaption")
    assert text(css(caption, ".quote-speaker")[0]) == "an opposition figure"
    (link,) = css(caption, "cite a")
    assert (link.text, link.get("href")) == ("Financial Times", "https://www.ft.com/content/abc")
    # The quote cites its source: the source is number 1 in the list, and linked.
    assert [a.get("href") for a in css(caption, "sup.cite a")] == ["#source-ft2"]
    assert [li.get("id") for li in css(doc, "li.source")] == ["source-ft2"]
    raw = (out / "posts/quote/index.html").read_text()
    assert "{{<" not in raw and "&lt;without&gt;" in raw


def test_quote_with_registry_source_and_no_speaker(make_site: Make, build_site: Build) -> None:
    out = build_post(
        make_site,
        build_site,
        "{{< quote q >}}\n",
        "quotes:",
        "  - {id: q, text: Registry words., source: isw}",
        title="Reg quote",
    )
    doc = page(out, "posts/reg-quote/index.html")
    (figure,) = css(doc, "figure.quote")
    assert css(figure, "blockquote")[0].get("cite") == "https://www.understandingwar.org/"
    assert css(figure, ".quote-speaker") == []
    assert text(css(figure, "figcaption cite")[0]) == "Institute for the Study of War"
    assert [li.get("id") for li in css(doc, "li.source")] == ["source-isw"]


def test_unknown_quote_id(make_site: Make, build_site: Build) -> None:
    root = make_site(
        {
            "posts/x.md": front("quotes:", "  - {id: known, text: Words.}")
            + "Para.\n\n{{< quote known >}}\n\n{{< quote nope >}}\n"  # quote nope: line 11
        }
    )
    assert errors_of(build_site, root) == ["posts/x.md:11: unknown quote 'nope' (known: known)"]


def test_quote_naming_unknown_source(make_site: Make, build_site: Build) -> None:
    root = make_site(
        {
            "posts/x.md": front(
                "sources: [ft]",
                "quotes:",
                "  - id: q",
                "    text: Words.",
                "    source: fx",  # line 8
            )
            + "{{< quote q >}}\n",
            "site.yaml": SITE_WITH_REGISTRY,
        }
    )
    assert errors_of(build_site, root) == [
        "posts/x.md:8: quotes[0].source: unknown source 'fx' (not in this post's sources or "
        "site.yaml)"
    ]


def test_quote_shortcode_in_list_item_is_embedded_or_reported(
    make_site: Make, build_site: Build
) -> None:
    body = "- The first claim.\n- The second claim:\n\n    {{< quote q >}}\n"
    root = make_site(
        {"posts/x.md": front("quotes:", "  - {id: q, text: Quoted words.}", "slug: x") + body}
    )
    try:
        out, _ = build_site(root)
    except ContentError as exc:
        assert [p.line for p in exc.problems] == [11]
        return
    doc = page(out, "posts/x/index.html")
    assert "{{<" not in text(css(doc, ".post-body")[0])
    assert len(css(doc, ".post-body li figure.quote")) == 1


def test_ordinary_blockquotes_still_work(make_site: Make, build_site: Build) -> None:
    body = "> A plain quotation\n> over two lines.\n\nBetween.\n\n> Second, citing [@a].\n"
    out = build_post(make_site, build_site, body, "sources:", "  - {id: a, name: A}", title="Bq")
    doc = page(out, "posts/bq/index.html")
    quotes = css(doc, ".post-body > blockquote")
    assert [text(q) for q in quotes] == ["A plain quotation over two lines.", "Second, citing [1]."]
    assert css(doc, ".post-body figure") == []


# -------------------------------------------------------------- registries


def test_registry_sources_by_id_and_with_overrides(make_site: Make, build_site: Build) -> None:
    out = build_post(
        make_site,
        build_site,
        "Claims [@ft] and [@isw].\n",
        "sources:",
        "  - isw",
        "  - id: ft",
        "    title: The piece about the pocket",
        "    credibility: 1",
        title="Registry",
    )
    doc = page(out, "posts/registry/index.html")
    items = {li.get("id"): li for li in css(doc, "li.source")}
    ft = items["source-ft"]
    assert text(css(ft, ".source-name")[0]) == "Financial Times"  # inherited
    assert text(css(ft, "cite")[0]) == "The piece about the pocket"  # overridden
    assert css(ft, "a")[0].get("href") == "https://www.ft.com/"  # inherited
    assert css(ft, "abbr.grade")[0].text == "B1"  # B inherited, 1 overridden
    isw = items["source-isw"]
    assert css(isw, "abbr.grade")[0].text == "B"
    assert text(css(isw, ".source-name")[0]) == "Institute for the Study of War"


def test_unknown_registry_source_reported_once(make_site: Make, build_site: Build) -> None:
    root = make_site(
        {
            "site.yaml": SITE_WITH_REGISTRY,
            "posts/x.md": front("sources:", "  - ft", "  - nyt") + "Cited [@nyt] here.\n",
        }
    )
    assert errors_of(build_site, root) == [
        "posts/x.md:6: sources[1]: unknown source 'nyt' (not in site.yaml sources)"
    ]


def test_registry_errors_name_site_yaml(make_site: Make, build_site: Build) -> None:
    site = SITE_WITH_REGISTRY.replace("reliability: B, credibility: 3}", "reliability: G}")
    site += "  far: {name: Far away, lat: 12, lon: 200}\n"
    root = make_site({"site.yaml": site, "posts/x.md": front() + "x\n"})
    assert errors_of(build_site, root) == [
        "site.yaml:12: sources.ft.reliability: 'G' is not an Admiralty reliability grade (A-F)",
        "site.yaml:18: places.far.lon: 200 is out of range (-180 to 180)",
    ]


# ------------------------------------------------------------------- places


def test_place_coordinates_out_of_range(make_site: Make, build_site: Build) -> None:
    root = make_site(
        {
            "posts/x.md": front(
                "locations:",
                "  - name: North of north",
                "    lat: 90.5",  # line 6
                "    lon: 0",
                "  - {name: Date line, lat: 0, lon: -180.01}",  # line 8
                "  - {name: Nowhere, lat: 10}",  # line 9: no lon
                "  - {name: Text, lat: north, lon: 3}",  # line 10
            )
        }
    )
    assert errors_of(build_site, root) == [
        "posts/x.md:6: locations[0].lat: 90.5 is out of range (-90 to 90)",
        "posts/x.md:8: locations[1].lon: -180.01 is out of range (-180 to 180)",
        "posts/x.md:9: locations[2].lon: required field is missing (a number from -180 to 180)",
        "posts/x.md:10: locations[3].lat: expected a number, got 'north'",
    ]


def test_unknown_registry_place(make_site: Make, build_site: Build) -> None:
    root = make_site(
        {"site.yaml": SITE_WITH_REGISTRY, "posts/x.md": front("locations: [kharkiv, atlantis]")}
    )
    assert errors_of(build_site, root) == [
        "posts/x.md:4: locations[1]: unknown place 'atlantis' (not in site.yaml places)"
    ]


def test_local_names_get_language_and_direction(make_site: Make, build_site: Build) -> None:
    out = build_post(
        make_site,
        build_site,
        "Body.\n",
        "locations:",
        "  - aleppo-city",
        "  - kharkiv",
        "  - {name: Sevastopol, local_name: Севастополь, lat: 44.6167, lon: 33.5254}",
        "  - {name: Idlib, local_name: إدلب, lat: 35.93, lon: 36.63}",
        "  - {name: Brussels, local_name: Bruxelles, lat: 50.8467, lon: 4.3525}",
        title="Places",
    )
    doc = page(out, "posts/places/index.html")
    spans = [(s.text, s.get("lang"), s.get("dir")) for s in css(doc, ".place-list .local-name")]
    assert spans == [
        ("حلب", "ar", "rtl"),
        ("Харків", "uk", "ltr"),  # an explicit local_lang wins over the script's guess
        ("Севастополь", "ru", "ltr"),
        ("إدلب", "ar", "rtl"),
        ("Bruxelles", None, None),
    ]
    heading = css(page(out, "locations/aleppo-city/index.html"), "h1 .local-name")[0]
    assert (heading.get("lang"), heading.get("dir")) == ("ar", "rtl")


def test_same_place_in_two_posts_shares_a_page(make_site: Make, build_site: Build) -> None:
    place = "  - {name: Bakhmut, local_name: Бахмут, lat: 48.5956, lon: 38.0003}"
    root = make_site(
        {
            "posts/a.md": front("locations:", place, title="Older", date="2026-01-01"),
            "posts/c.md": front("locations:", place, title="Newest", date="2026-01-09"),
            "posts/b.md": front("locations:", place, title="Middle", date="2026-01-05"),
            "posts/d.md": front(title="Elsewhere", date="2026-01-07"),
        }
    )
    out, _ = build_site(root)
    places = sorted(p.parent.name for p in (out / "locations").glob("*/index.html"))
    assert places == ["bakhmut"]
    doc = page(out, "locations/bakhmut/index.html")
    assert [a.get("href") for a in css(doc, ".post-list .card-title a")] == [
        "/posts/newest/",
        "/posts/middle/",
        "/posts/older/",
    ]
    index = page(out, "locations/index.html")
    assert [text(css(li, "a")[0]) for li in css(index, "li.place")] == ["Bakhmut"]
    assert text(css(index, "li.place .count")[0]) == "3 reports"


@pytest.mark.parametrize("second", ["inline", "registry"])
def test_same_name_different_coordinates_is_not_silently_merged(
    make_site: Make, build_site: Build, second: str
) -> None:
    # Two villages called Kamianka, 500 km apart: common in conflict reporting.
    site = SITE_WITH_REGISTRY + "  kamianka: {name: Kamianka, lat: 48.1, lon: 37.5}\n"
    first = "  - {name: Kamianka, lat: 50.9, lon: 31.2}"
    other = "  - kamianka" if second == "registry" else "  - {name: Kamianka, lat: 48.1, lon: 37.5}"
    root = make_site(
        {
            "site.yaml": site,
            "posts/a.md": front("locations:", first, title="North", date="2026-01-01"),
            "posts/b.md": front("locations:", other, title="East", date="2026-01-02"),
        }
    )
    try:
        out, result = build_site(root)
    except ContentError as exc:  # refusing the ambiguity is fine, if it says where
        assert any(p.path.startswith("posts/") and "Kamianka" in str(p) for p in exc.problems)
        return
    data = json.loads((out / "locations.geojson").read_text(encoding="utf-8"))
    points = sorted(
        tuple(f["geometry"]["coordinates"])
        for f in data["features"]
        if f["properties"]["name"] == "Kamianka"
    )
    assert points == [(31.2, 50.9), (37.5, 48.1)] or result.warnings


def test_registry_place_page_is_named_by_its_id(make_site: Make, build_site: Build) -> None:
    out = build_post(make_site, build_site, "x\n", "locations: [aleppo-city]", title="Reg")
    assert (out / "locations/aleppo-city/index.html").is_file()
    assert not (out / "locations/aleppo").exists()
    doc = page(out, "posts/reg/index.html")
    assert css(doc, ".place-list a")[0].get("href") == "/locations/aleppo-city/"
    (h1,) = css(page(out, "locations/aleppo-city/index.html"), "h1")
    assert h1.text.strip() == "Aleppo"


def test_geojson(make_site: Make, build_site: Build) -> None:
    root = make_site(
        {
            "site.yaml": SITE_WITH_REGISTRY,
            "posts/a.md": front(
                "locations:",
                "  - aleppo-city",
                "  - {name: Kobani, lat: 36.891, lon: 38.3536}",
                title="First",
                date="2026-01-01T08:00:00Z",
            ),
            "posts/b.md": front(
                "locations: [aleppo-city, kharkiv]", title="Second", date="2026-01-03T08:00:00Z"
            ),
        }
    )
    out, _ = build_site(root)
    data = json.loads((out / "locations.geojson").read_text(encoding="utf-8"))
    assert data["type"] == "FeatureCollection"
    features = {f["properties"]["name"]: f for f in data["features"]}
    assert sorted(features) == ["Aleppo", "Kharkiv", "Kobani"]
    for feature in data["features"]:
        assert feature["type"] == "Feature"
        assert feature["geometry"]["type"] == "Point"
    assert features["Aleppo"]["geometry"]["coordinates"] == [37.1343, 36.2021]  # [lon, lat]
    assert features["Kobani"]["geometry"]["coordinates"] == [38.3536, 36.891]
    aleppo = features["Aleppo"]["properties"]
    assert aleppo["local_name"] == "حلب"
    assert features["Kobani"]["properties"]["local_name"] is None
    assert aleppo["url"] == "https://example.org/locations/aleppo-city/"
    assert aleppo["posts"] == [
        {
            "title": "Second",
            "url": "https://example.org/posts/second/",
            "date": "2026-01-03T08:00:00+00:00",
        },
        {
            "title": "First",
            "url": "https://example.org/posts/first/",
            "date": "2026-01-01T08:00:00+00:00",
        },
    ]
    for feature in data["features"]:
        urls = [feature["properties"]["url"]] + [p["url"] for p in feature["properties"]["posts"]]
        for url in urls:
            assert url.startswith("https://example.org/")
            path = unquote(urlsplit(url).path)
            assert (out / path.lstrip("/") / "index.html").is_file(), url


# ------------------------------------------------------------------ /sources/


def test_sources_page_groups_by_outlet(make_site: Make, build_site: Build) -> None:
    root = make_site(
        {
            "site.yaml": SITE_WITH_REGISTRY,
            "posts/a.md": front("sources: [ft, isw]", title="Alpha", date="2026-01-01")
            + "[@ft] [@isw]\n",
            "posts/b.md": front(
                "sources:",
                "  - ft",
                "  - {id: ft-interview, name: Financial Times, title: An interview}",
                title="Beta",
                date="2026-01-02",
            )
            + "[@ft]\n",
        }
    )
    out, _ = build_site(root)
    doc = page(out, "sources/index.html")
    outlets = [
        s for i in ("f", "i") for s in css(page(out, f"sources/{i}/index.html"), "section.outlet")
    ]
    assert [text(css(s, "h2")[0]) for s in outlets] == [
        "Financial Times",
        "Institute for the Study of War",
    ]
    ft = outlets[0]
    entries = css(ft, "li.source")
    assert [text(css(e, "cite")[0]) for e in entries] == ["An interview", "Front page"]
    cited_by = [[a.get("href") for a in css(e, ".cited-by a")] for e in entries]
    assert cited_by == [["/posts/beta/"], ["/posts/beta/", "/posts/alpha/"]]
    assert css(entries[1], "abbr.grade")[0].text == "B3"
    assert doc.get_element_by_id("grades") is not None  # the grade key the posts link to


# ------------------------------------------------------------------ corrections


def test_corrections_rendered_with_dates(make_site: Make, build_site: Build) -> None:
    out = build_post(
        make_site,
        build_site,
        "Body.\n",
        "updated: 2026-01-12T10:00:00Z",
        "corrections:",
        "  - {date: 2026-01-15, text: 'The second <correction> & its date.'}",
        "  - {date: 2026-01-11T09:30:00Z, text: An earlier version misnamed the district.}",
        title="Corr",
    )
    doc = page(out, "posts/corr/index.html")
    items = css(doc, "aside.corrections li")
    assert [(css(li, "time")[0].get("datetime"), text(li)) for li in items] == [
        (
            "2026-01-11T09:30:00+00:00",
            "11 January 2026, 09:30 UTC: An earlier version misnamed the district.",
        ),
        ("2026-01-15T00:00:00+00:00", "15 January 2026: The second <correction> & its date."),
    ]
    atom = feedparser.parse((out / "atom.xml").read_bytes())
    assert atom.entries[0].updated == "2026-01-15T00:00:00+00:00"


def test_correction_newer_than_updated_moves_atom_updated(
    make_site: Make, build_site: Build
) -> None:
    root = make_site(
        {
            "posts/a.md": post_text(
                "Corrected",
                "2026-01-01T10:00:00Z",
                updated="2026-01-03T10:00:00Z",
                corrections="\n  - {date: 2026-01-05, text: Fixed a name.}",
            ),
            "posts/b.md": post_text("Plain", "2026-01-02T10:00:00Z"),
        }
    )
    out, _ = build_site(root)
    atom = {e.title: e for e in feedparser.parse((out / "atom.xml").read_bytes()).entries}
    # A bare date is midnight in the site time zone (Europe/London, +00:00 in January).
    assert timestamp(atom["Corrected"].updated_parsed) == "2026-01-05T00:00:00"
    assert timestamp(atom["Corrected"].published_parsed) == "2026-01-01T10:00:00"
    assert timestamp(atom["Plain"].updated_parsed) == "2026-01-02T10:00:00"
    rss = feedparser.parse((out / "feed.xml").read_bytes())
    assert timestamp(rss.feed.updated_parsed) == "2026-01-05T00:00:00"


def timestamp(parsed: Any) -> str:
    """A feedparser UTC time tuple as ISO text."""
    return datetime.fromtimestamp(calendar.timegm(parsed), UTC).strftime("%Y-%m-%dT%H:%M:%S")


def test_bad_correction(make_site: Make, build_site: Build) -> None:
    root = make_site(
        {
            "posts/x.md": front(
                "corrections:", "  - {date: yesterday, text: Oops}", "  - {date: 2026-01-11}"
            )
        }
    )
    assert errors_of(build_site, root) == [
        "posts/x.md:5: corrections[0].date: expected a date like 2016-12-03 or a time like "
        "2016-12-03T18:30:00-05:00, got 'yesterday'",
        "posts/x.md:6: corrections[1].text: required field is missing (text)",
    ]


# ------------------------------------------------------------------ taxonomies


def test_custom_taxonomy_pages_and_feeds(make_site: Make, build_site: Build) -> None:
    root = make_site(
        {
            "site.yaml": SITE_WITH_REGISTRY,
            "posts/a.md": front("theaters: [Levant, Black Sea]", title="A", date="2026-01-01"),
            "posts/b.md": front("theaters: [Levant]", title="B", date="2026-01-02"),
        }
    )
    out, _ = build_site(root)
    index = page(out, "theaters/index.html")
    assert [a.get("href") for a in css(index, "main a")] == [
        "/theaters/levant/",
        "/theaters/black-sea/",
    ]
    levant = page(out, "theaters/levant/index.html")
    assert [a.get("href") for a in css(levant, ".card-title a")] == ["/posts/b/", "/posts/a/"]
    feed = feedparser.parse((out / "theaters/black-sea/feed.xml").read_bytes())
    assert feed.bozo == 0 and [e.title for e in feed.entries] == ["A"]
    post = page(out, "posts/a/index.html")
    assert [a.get("href") for a in css(post, ".post-footer .terms a")] == [
        "/theaters/levant/",
        "/theaters/black-sea/",
    ]
    nav = [a.get("href") for a in css(post, ".site-nav a")]
    assert "/theaters/" in nav


def test_undeclared_taxonomy_is_an_error(make_site: Make, build_site: Build) -> None:
    root = make_site({"posts/x.md": front("tags: [a]", "theaters: [Levant]")})  # no taxonomies
    assert errors_of(build_site, root) == [
        "posts/x.md:5: theaters: unknown field; free-form data for templates goes under 'extra:'"
    ]


# ------------------------------------------------------------- structured data


def json_ld(doc: lxml.html.HtmlElement) -> Any:
    (script,) = css(doc, 'script[type="application/ld+json"]')
    return json.loads(script.text)


def test_json_ld(make_site: Make, build_site: Build) -> None:
    out = build_post(
        make_site,
        build_site,
        "Claims [@ft].\n",
        "sources:",
        "  - ft",
        "  - {id: x, name: Some analyst, published: 2026-01-02}",
        "locations: [aleppo-city]",
        "tags: [aleppo]",
        "updated: 2026-01-11T09:00:00Z",
        title="'Battle of Aleppo SITREP 9: The Pocket Shrinks'",
        date="2026-01-10T10:00:00-05:00",
    )
    doc = page(out, "posts/battle-of-aleppo-sitrep-9-the-pocket-shrinks/index.html")
    data = json_ld(doc)
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "AnalysisNewsArticle"
    assert data["headline"] == "Battle of Aleppo SITREP 9: The Pocket Shrinks"
    assert data["datePublished"] == "2026-01-10T10:00:00-05:00"
    assert data["dateModified"] == "2026-01-11T09:00:00+00:00"
    assert data["url"] == "https://example.org/posts/battle-of-aleppo-sitrep-9-the-pocket-shrinks/"
    assert data["author"] == [{"@type": "Person", "name": "Desk Editor"}]
    assert [(c["@type"], c["author"]) for c in data["citation"]] == [
        ("CreativeWork", "Financial Times"),
        ("CreativeWork", "Some analyst"),
    ]
    assert data["citation"][0]["url"] == "https://www.ft.com/"
    (place,) = data["contentLocation"]
    assert place["name"] == "Aleppo"
    assert place["geo"] == {"@type": "GeoCoordinates", "latitude": 36.2021, "longitude": 37.1343}
    meta = {m.get("property"): m.get("content") for m in css(doc, "meta[property]")}
    assert meta["og:title"] == "Battle of Aleppo SITREP 9: The Pocket Shrinks"
    assert meta["og:type"] == "article"
    assert meta["og:url"] == data["url"]


def test_script_in_title_cannot_break_out(make_site: Make, build_site: Build) -> None:
    title = "Up </script><script>alert(1)</script> & <!-- down"
    out = build_post(
        make_site,
        build_site,
        "Body.\n",
        "subtitle: '</SCRIPT><img src=x onerror=alert(2)>'",
        "tags: ['</script>']",
        "slug: esc",
        title=f"'{title}'",
    )
    raw = (out / "posts/esc/index.html").read_text()
    doc = lxml.html.fromstring(raw)
    scripts = [s for s in css(doc, "script") if not s.get("src")]
    theme = REPO / "templates"  # the theme's own inline scripts, as the templates write them
    own = (theme / "base.html").read_text() + (theme / "partials/print_date.html").read_text()
    assert [s.get("type") for s in scripts if (s.text or "") not in own] == ["application/ld+json"]
    assert len(scripts) == 3  # the JSON-LD, and the theme's two: nothing the title added
    assert json_ld(doc)["headline"] == title
    assert json_ld(doc)["keywords"] == ["</script>"]
    assert css(doc, "img") == []
    assert text(css(doc, "h1")[0]) == title
    assert css(doc, 'meta[property="og:title"]')[0].get("content") == title


def test_front_matter_values_are_escaped_in_sources_and_quotes(
    make_site: Make, build_site: Build
) -> None:
    out = build_post(
        make_site,
        build_site,
        "[@s]\n\n{{< quote q >}}\n",
        "sources:",
        "  - {id: s, name: '<b>Bold</b> & co', title: '<i>T</i>', url: 'https://x.org/?a=1&b=\"2\"'}",
        "quotes:",
        "  - {id: q, text: '<script>alert(3)</script>', speaker: '<em>S</em>', source: s}",
        title="Esc",
    )
    doc = page(out, "posts/esc/index.html")
    body = css(doc, "article")[0]
    assert css(body, "b, i, em, script") == []
    assert text(css(doc, "li.source .source-name")[0]) == "<b>Bold</b> & co"
    assert css(doc, "li.source a")[0].get("href") == 'https://x.org/?a=1&b="2"'
    assert css(doc, "figure.quote blockquote")[0].get("cite") == 'https://x.org/?a=1&b="2"'
    assert text(css(doc, "figure.quote blockquote")[0]) == "<script>alert(3)</script>"
    assert css(doc, ".post-body sup.cite a")[0].get("title") == "<b>Bold</b> & co"


# ------------------------------------------------------------------ series


def test_series_gap_lists_every_missing_number(make_site: Make, build_site: Build) -> None:
    files = {
        f"posts/s{n}.md": post_text(f"SITREP {n}", f"2026-01-0{n}", series="S", series_index=str(n))
        for n in (1, 4, 6)
    }
    _, result = build_site(make_site(files))
    assert [str(p) for p in result.warnings] == [
        "posts/s6.md:5: warning: series_index: series 'S' has no post numbered 2, 3, 5"
    ]


def test_series_errors_and_warnings_reported_together(make_site: Make, build_site: Build) -> None:
    files = {
        "posts/a.md": post_text("A", "2026-01-01", series="S", series_index="1"),
        "posts/b.md": post_text("B", "2026-01-02", series="S", series_index="1"),
        "posts/c.md": post_text("C", "2026-01-03", series="S", series_index="1"),
        "posts/d.md": post_text("D", "2026-01-04", series="S", series_index="3"),
    }
    assert errors_of(build_site, make_site(files)) == [
        "posts/b.md:5: series_index: 'S' number 1 is also used by posts/a.md",
        "posts/c.md:5: series_index: 'S' number 1 is also used by posts/a.md",
        "posts/d.md:5: warning: series_index: series 'S' has no post numbered 2",
    ]


def test_series_names_merge_case_insensitively(make_site: Make, build_site: Build) -> None:
    files = {
        "posts/a.md": post_text("A", "2026-01-01", series="Siege of X", series_index="1"),
        "posts/b.md": post_text("B", "2026-01-02", series="siege of x", series_index="2"),
    }
    out, result = build_site(make_site(files))
    assert result.warnings == ()
    assert sorted(p.name for p in (out / "series").iterdir()) == ["index.html", "siege-of-x"]
    doc = page(out, "posts/b/index.html")
    assert css(doc, '.series-nav a[rel="prev"]')[0].get("href") == "/posts/a/"
    assert "part 2 of 2" in text(css(doc, ".series-nav")[0])


def test_a_sites_source_partial_is_used_for_every_listed_source(
    make_site: Make, build_site: Build
) -> None:
    """source_entry() renders partials/source.html once per source for every post page."""
    root = make_site(
        {
            "site.yaml": SITE_WITH_REGISTRY,
            "posts/a.md": front("sources: [ft, isw]", title="A") + "Body.\n",
            "posts/b.md": front("sources: [isw]", title="B") + "Body.\n",
            "posts/c.md": front("sources: [{id: isw, credibility: 2}]", title="C") + "Body.\n",
            "templates/partials/source.html": (
                '<span class="mine" data-anchor="{{ source.anchor }}">{{ source.name }}</span>'
                "<b>{{ source.grade }}</b>\n"
            ),
        }
    )
    out, _ = build_site(root, jobs=1)  # one process: one memo for every page
    isw = '<span class="mine" data-anchor="source-isw">Institute for the Study of War</span>'
    assert isw in (out / "posts/a/index.html").read_text()
    assert isw in (out / "posts/b/index.html").read_text()  # number 2 in a, 1 in b
    # The same source graded differently by another post is rendered for it, not reused.
    assert "<b>B</b>" in (out / "posts/b/index.html").read_text()
    assert "<b>B2</b>" in (out / "posts/c/index.html").read_text()
    assert (
        '<span class="mine" data-anchor="source-ft">Financial Times</span>'
        in (out / "posts/a/index.html").read_text()
    )
    (root / "templates/partials/source.html").write_text("{{ source.number }}\n")
    assert any(
        "templates/partials/source.html:1:" in error and "number" in error
        for error in errors_of(build_site, root)
    )
