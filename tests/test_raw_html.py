"""Raw HTML in a body: published as written and kept valid; what runs code is a warning."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import copy_sample

from sitegen.cli import main
from sitegen.read.posts import PostResult
from tools import body_reader, messages

# Six lines of front matter: the body starts at line 7 of the file.
HEAD = "---\ntitle: Raw HTML\ndate: 2026-01-10\nquotes:\n  - {id: q, text: Held.}\n---\n"
SCRIPT = (
    "warning: <script> in the body: it would run in every reader's browser (feed readers drop"
    " it); remove it, or embed the page that needs it in an <iframe>"
)

Read = Callable[[str], PostResult]


@pytest.fixture
def read(make_site: Callable[..., Path]) -> Read:
    return body_reader(make_site, HEAD)


def handler(name: str, tag: str) -> str:
    return (
        f"warning: {name}= on <{tag}>: an event-handler attribute runs code in every reader's "
        "browser; remove it"
    )


def javascript(name: str, tag: str) -> str:
    return (
        f"warning: javascript: URL in {name}= of <{tag}>: it runs code in every reader's browser;"
        " link to a page instead"
    )


WARNED = """\
Intro text.

<div class="map">
<script src="https://maps.example/embed.js"></script>
</div>

Click <a href="#" onclick="track()">here</a>.

A [bad link](javascript:alert(1)) and <a href="  JaVa&#x09;Script:go()">another</a>.

A note.
{: onmouseover="x()" }

See <div class="card">the card</div> in this paragraph.

<p>Intro
<table><tr><td>1</td></tr></table>
</p>

<img src="https://example.org/x.png" alt="x"
     onerror="steal()">

Inline <script>track()</script> too, and {{< tweet 1 >}}.
"""


def test_every_warning_at_its_line_with_the_errors_in_one_run(read: Read) -> None:
    result = read(WARNED)
    assert result.post is None  # the shortcode is an error; the warnings come with it
    assert messages(result) == [
        f"posts/x.md:10: {SCRIPT}",
        f"posts/x.md:13: {handler('onclick', 'a')}",
        f"posts/x.md:15: {javascript('href', 'a')}",
        f"posts/x.md:15: {javascript('href', 'a')}",
        f"posts/x.md:18: {handler('onmouseover', 'p')}",
        "posts/x.md:20: warning: <div> inside a paragraph is invalid HTML (browsers end the"
        " paragraph before it): start the HTML on a line of its own, after a blank line",
        "posts/x.md:23: warning: <table> inside <p> is invalid HTML (browsers end the paragraph"
        " before it, then meet a stray </p>): close the <p> before the <table>",
        f"posts/x.md:27: {handler('onerror', 'img')}",
        f"posts/x.md:29: {SCRIPT}",
        "posts/x.md:29: unknown shortcode 'tweet' (known: quote, image)",
    ]


def test_html_that_runs_no_code_is_published_as_written(read: Read) -> None:
    allowed = [
        "<details><summary>Order of battle</summary>\n<table><tr><th>Unit</th><th>Men</th></tr>"
        "<tr><td>1st Foot Guards</td><td>2,000</td></tr></table>\n</details>",
        '<iframe src="https://www.youtube-nocookie.com/embed/abc" title="The ridge"'
        ' loading="lazy"></iframe>',
        '<figure><img src="https://example.org/a.png" alt="A">'
        "<figcaption>The ridge</figcaption></figure>",
        '<p>Text with <abbr title="Order of battle">ORBAT</abbr> and <mark>marks</mark>.</p>',
    ]
    result = read("\n\n".join(allowed) + "\n\n[A link](https://example.org/on?x=javascript:)\n")
    assert result.post is not None and not result.problems
    for html in allowed:
        assert html in result.post.body.html
    # The same HTML with a handler on each element that opens a block: a warning at each.
    handled = [html.replace(">", ' onclick="x()">', 1) for html in allowed]
    assert messages(read("\n\n".join(handled))) == [
        f"posts/x.md:{line}: {handler('onclick', tag)}"
        for line, tag in ((7, "details"), (11, "iframe"), (13, "figure"), (15, "p"))
    ]


@pytest.mark.parametrize(
    ("written", "published"),
    [
        (  # python-markdown put each line of this in its own <p>
            '<a href="/cards/">\n<div class="card">The card</div>\n</a>',
            '<a href="/cards/">\n<div class="card">The card</div>\n</a>',
        ),
        ("<span>Lead</span> <div>Block</div>", "<span>Lead</span> <div>Block</div>"),
        (
            '> <div class="box">\n> Boxed\n> </div>',
            '<blockquote>\n<div class="box">\nBoxed\n</div>\n</blockquote>',
        ),
        (
            "- Item\n\n    <div>Block</div>",
            "<ul>\n<li>\n<p>Item</p>\n<div>Block</div>\n</li>\n</ul>",
        ),
    ],
)
def test_a_paragraph_markdown_put_around_html_is_taken_away(
    read: Read, written: str, published: str
) -> None:
    result = read(written + "\n")
    assert result.post is not None and not result.problems
    assert result.post.body.html == published


CODE = """\
Use `<script>` and `<div onclick="x()">` in code spans.

```html
<script>alert(1)</script>
<a href="javascript:x()" onclick="y()">z</a>
<p><div>nested</div></p>
```

    <script>indented()</script>

<pre><code>&lt;script&gt;alert(1)&lt;/script&gt;</code></pre>
"""


def test_html_in_code_is_never_flagged(read: Read) -> None:
    result = read(CODE)
    assert result.post is not None and not result.problems
    lines = CODE.count("\n")
    assert messages(read(CODE + "\n<script>real()</script>\n")) == [
        f"posts/x.md:{7 + lines + 1}: {SCRIPT}"
    ]


def test_check_and_build_report_the_warnings_and_strict_fails(
    make_site: Callable[..., Path], capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_site({"posts/x.md": HEAD + "Intro.\n\n<script>track()</script>\n"})
    expected = [f"posts/x.md:9: {SCRIPT}", "1 warning."]
    assert main(["-s", str(root), "check"]) == 0
    assert capsys.readouterr().err.splitlines() == expected
    assert main(["-s", str(root), "check", "--strict"]) == 1
    capsys.readouterr()
    assert main(["-s", str(root), "build"]) == 0
    assert capsys.readouterr().err.splitlines() == expected


def test_the_sample_site_has_no_warnings(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = copy_sample(tmp_path / "sample")
    assert main(["-s", str(root), "check", "--strict"]) == 0
    post = root / "pages" / "about.md"
    lines = post.read_text(encoding="utf-8").count("\n")
    with post.open("a", encoding="utf-8") as file:
        file.write("\n<script>track()</script>\n")
    capsys.readouterr()
    assert main(["-s", str(root), "check", "--strict"]) == 1
    assert capsys.readouterr().err.splitlines()[0] == f"pages/about.md:{lines + 2}: {SCRIPT}"
