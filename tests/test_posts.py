"""Reading one post: fields, defaults, dates, slugs and the exact error messages."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import post_text

from sitegen.errors import ContentError
from sitegen.markup.sitrep import MarkdownRenderer
from sitegen.model import Post
from sitegen.output.feeds import guid
from sitegen.read.config import load_config
from sitegen.read.posts import read_post


@pytest.fixture
def read(make_site: Callable[..., Path]) -> Callable[..., Post]:
    root = make_site(
        {
            "site.yaml": "title: T\nbase_url: https://example.org/\nauthor: Desk\n"
            "timezone: America/New_York\ntaxonomies: [actors]\n"
            "sources:\n  ft: {name: Financial Times, url: 'https://www.ft.com', reliability: B}\n"
            "places:\n  aleppo: {name: Aleppo, local_name: حلب, lat: 36.2021, lon: 37.1343}\n"
        },
        theme=False,
    )
    config = load_config(root)
    renderer = MarkdownRenderer()

    def run(text: str, path: str = "posts/p.md") -> Post:
        result = read_post(path, text.encode("utf-8"), config, renderer)
        if result.post is None:
            raise ContentError(result.problems)
        return result.post

    return run


def errors(read: Callable[..., Post], text: str) -> list[str]:
    with pytest.raises(ContentError) as exc:
        read(text)
    return [str(p) for p in exc.value.problems]


def test_minimal_post_defaults(read: Callable[..., Post]) -> None:
    post = read(
        "---\ntitle: 'Battle of Aleppo SITREP 9: The Pocket Shrinks'\ndate: 2016-12-03\n---\n"
        "First *paragraph* here.\n\nSecond.\n"
    )
    assert post.slug == "battle-of-aleppo-sitrep-9-the-pocket-shrinks"
    assert post.authors == ("Desk",)
    assert post.summary == "First paragraph here."
    assert post.date.isoformat() == "2016-12-03T00:00:00-05:00"
    assert post.draft is False
    assert post.guid is None  # derived where feeds need it: reading does not use base_url
    assert guid(post, "https://example.org/") == (
        "tag:example.org,2016-12-03:battle-of-aleppo-sitrep-9-the-pocket-shrinks"
    )


def test_naive_time_is_site_timezone(read: Callable[..., Post]) -> None:
    post = read("---\ntitle: T\ndate: 2016-07-01 18:30\n---\nx\n")
    assert post.date.isoformat() == "2016-07-01T18:30:00-04:00"
    post = read("---\ntitle: T\ndate: 2016-07-01T18:30:00Z\n---\nx\n")
    assert post.date.isoformat() == "2016-07-01T18:30:00+00:00"


def test_all_general_fields(read: Callable[..., Post]) -> None:
    post = read(
        "---\n"
        'title: "Yes"\n'
        "subtitle: Sub\n"
        "date: 2016-12-03T18:30:00-05:00\n"
        "updated: 2016-12-04T09:00:00Z\n"
        "slug: my-slug\n"
        "authors: [A, B]\n"
        "draft: true\n"
        "series: Battle of X\n"
        "series_index: 9\n"
        "tags: [NO, yes, on, aleppo, aleppo]\n"
        "actors: [SAA]\n"
        "summary: Given summary.\n"
        "id: tag:example.org,2016:sitrep-9\n"
        "aliases: [/2016/12/03/old-url/, /old.html]\n"
        "extra: {hero: map.png}\n"
        "---\nBody\n"
    )
    assert post.title == "Yes"
    assert post.subtitle == "Sub"
    assert post.updated is not None and post.updated.isoformat() == "2016-12-04T09:00:00+00:00"
    assert post.slug == "my-slug"
    assert post.authors == ("A", "B")
    assert post.draft is True
    assert (post.series, post.series_index) == ("Battle of X", 9)
    assert post.tags == ("NO", "yes", "on", "aleppo")
    assert post.terms("actors") == ("SAA",)
    assert post.summary == "Given summary."
    assert post.guid == "tag:example.org,2016:sitrep-9"
    assert post.aliases == ("/2016/12/03/old-url/", "/old.html")
    assert post.extra == {"hero": "map.png"}


def test_unknown_field_suggests(read: Callable[..., Post]) -> None:
    assert errors(read, "---\ntitle: T\ndate: 2016-01-01\ntagz: [a]\nhero: x\n---\n") == [
        "posts/p.md:4: tagz: unknown field (did you mean 'tags'?); "
        "free-form data for templates goes under 'extra:'",
        "posts/p.md:5: hero: unknown field; free-form data for templates goes under 'extra:'",
    ]


def test_every_error_at_once(read: Callable[..., Post]) -> None:
    text = (
        "---\n"
        "date: 3 Dec 2016\n"
        "draft: maybe\n"
        "series_index: nine\n"
        "slug: ../../etc\n"
        "author: A\n"
        "authors: [B]\n"
        "id: not a uri\n"
        "aliases: [no-slash, /a/../b/]\n"
        "---\nBody\n"
    )
    assert errors(read, text) == [
        "posts/p.md:1: title: required field is missing (text)",
        "posts/p.md:2: date: expected a date like 2016-12-03 or a time like "
        "2016-12-03T18:30:00-05:00, got '3 Dec 2016'",
        "posts/p.md:3: draft: expected true or false, got 'maybe'",
        "posts/p.md:4: series_index: expected a whole number, got 'nine'",
        "posts/p.md:5: slug: '../../etc' must be one path segment (no '/' or '\\')",
        "posts/p.md:7: authors: give 'author' or 'authors', not both",
        "posts/p.md:8: id: expected a URI such as 'tag:example.org,2016:sitrep-9', got 'not a uri'",
        "posts/p.md:9: aliases[0]: 'no-slash' must be a path starting with '/', "
        "like /2016/12/03/old-post/",
        "posts/p.md:9: aliases[1]: '/a/../b/' has an unsafe part '..': must not contain '..'",
    ]


def test_series_index_without_series(read: Callable[..., Post]) -> None:
    assert errors(read, "---\ntitle: T\ndate: 2016-01-01\nseries_index: 2\n---\n") == [
        "posts/p.md:4: series_index: given without 'series'"
    ]


def test_front_matter_must_be_mapping(read: Callable[..., Post]) -> None:
    assert errors(read, "---\n- a\n- b\n---\nx\n") == [
        "posts/p.md:2: front matter must be a mapping (key: value)"
    ]


def test_unicode_titles_make_unicode_slugs(read: Callable[..., Post]) -> None:
    assert read("---\ntitle: معركة حلب\ndate: 2016-01-01\n---\n").slug == "معركة-حلب"
    assert read("---\ntitle: Оборона Севастополя\ndate: 2016-01-01\n---\n").slug == (
        "оборона-севастополя"
    )
    assert read("---\ntitle: '?!'\ndate: 2016-01-01\n---\n").slug.startswith("x-")


def test_unquoted_colon_hint(read: Callable[..., Post]) -> None:
    # libyaml and PyYAML word the problem differently; the line and the hint are ours.
    (message,) = errors(read, "---\ntitle: SITREP 9: Pocket\ndate: 2016-01-01\n---\n")
    assert message.startswith("posts/p.md:2: invalid YAML: mapping values are not allowed")
    assert message.endswith("(a value containing ': ' must be in quotes)")


def test_citation_in_a_heading_stays_out_of_its_id_and_the_contents(
    read: Callable[..., Post],
) -> None:
    post = read(
        "---\ntitle: T\ndate: 2016-01-01\nsources: [ft]\n---\n"
        "## Losses at the Alma [@ft]\n\nText.\n\n## Losses at the Alma\n\n## Outlook\n"
    )
    heading = '<h2 id="losses-at-the-alma">Losses at the Alma\u00a0<sup class="cite">'
    assert heading in post.body_html
    assert '<h2 id="losses-at-the-alma_1">Losses at the Alma</h2>' in post.body_html
    assert '<a href="#losses-at-the-alma">Losses at the Alma</a>' in post.toc_html
    assert "[1]" not in post.toc_html and "data-toc-label" not in post.body_html


def test_a_source_is_dated_as_precisely_as_the_editor_knows(
    make_site: Callable[..., Path], build_site: Callable[..., tuple[Path, object]]
) -> None:
    """``published: 1844`` is "1844" on the page and in JSON-LD, never "1 January 1844"."""
    sources = (
        "\n  - {id: book, name: Siborne, title: History, published: 1844}"
        "\n  - {id: paper, name: The Times, published: 1815-06}"
        "\n  - {id: letter, name: Wellington, published: 1815-06-19}"
    )
    root = make_site(
        {"posts/a.md": post_text("A", body="Cited [@book; @paper; @letter].", sources=sources)}
    )
    out, _ = build_site(root)
    html = (out / "posts/a/index.html").read_text(encoding="utf-8")
    for iso, human in (("1844", "1844"), ("1815-06", "June 1815"), ("1815-06-19", "19 June 1815")):
        assert f'<time datetime="{iso}">{human}</time>' in html
    assert "January 1844" not in html and "1 June 1815" not in html
    assert '"datePublished":"1844"' in html and '"datePublished":"1815-06"' in html


@pytest.mark.parametrize("value", ["1844-13", "1844-02-30", "44", "June 1844", "1844-6"])
def test_a_wrong_published_date_is_an_error(read: Callable[..., Post], value: str) -> None:
    text = post_text("A", sources=f"\n  - {{id: s, name: S, published: '{value}'}}")
    assert errors(read, text) == [
        "posts/p.md:5: sources[0].published: expected a date like 1844, 1844-06 or 1844-06-18, "
        f"got '{value}'"
    ]


def test_footnotes_are_lettered_and_citations_numbered(read: Callable[..., Post]) -> None:
    """Two numberings in one post: sources [1], [2] and notes a, b, told apart by eye and ear."""
    body = "Said[^x] in all [@ft]. Again[^y].\n\n[^x]: First remark.\n[^y]: Second remark.\n"
    html = read(post_text("A", body=body, sources="[ft]")).body_html
    assert '<a aria-label="Note a" class="footnote-ref" href="#fn:x">a</a>' in html
    assert '<a aria-label="Note b" class="footnote-ref" href="#fn:y">b</a>' in html
    assert 'all\u00a0<sup class="cite">[<a href="#source-ft" title="Financial Times">1</a>]' in html
    assert (
        '<section aria-labelledby="footnotes-title" class="footnote">\n'
        '<h2 id="footnotes-title">Notes <span class="list-key">marked a, b, c in the text</span>'
        '</h2>\n<ol class="notes">'
    ) in html
    assert 'title="Back to note b"' in html and "<hr" not in html
    assert 'id="footnotes-title"' not in read(post_text("A", body=body)).toc_html


def test_letters_run_on_past_z() -> None:
    from sitegen.markup.notes import letter

    assert [letter(n) for n in (1, 2, 26, 27, 52, 703)] == ["a", "b", "z", "aa", "az", "aaa"]


def test_a_quote_names_its_speaker_once_and_shows_its_sources_grade(
    read: Callable[..., Post],
) -> None:
    sources = (
        "\n  - {id: gronow, name: Rees Howell Gronow, title: Reminiscences,"
        " reliability: D, credibility: 4}"
    )
    speaker = "Ensign Rees Howell Gronow, 1st Foot Guards"
    quotes = f"\n  - {{id: q, text: We formed square., speaker: '{speaker}', source: gronow}}"
    html = read(post_text("A", body="{{< quote q >}}", sources=sources, quotes=quotes)).body_html
    assert (
        f'<figcaption><span class="quote-speaker">{speaker}</span>, '
        '<cite>Reminiscences</cite><sup class="cite">[<a href="#source-gronow" '
        'title="Rees Howell Gronow">1</a>]</sup> <abbr class="grade" data-grade="D4" '
        'title="source not usually reliable; information doubtful">D4</abbr></figcaption>'
    ) in html
    assert "quote-source" not in html  # the outlet is the speaker: not named twice
