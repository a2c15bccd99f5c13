"""Shortcodes: an embed alone on a line works; every other shortcode is an error at its line."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from sitegen.cli import main
from sitegen.read.posts import PostResult
from tools import body_reader, messages

# Seven lines of front matter: the body starts at line 7 of the file.
HEAD = "---\ntitle: Shortcodes\ndate: 2026-01-10\nquotes:\n  - {id: q, text: Held.}\n---\n"

Read = Callable[[str], PostResult]


@pytest.fixture
def read(make_site: Callable[..., Path]) -> Read:
    return body_reader(make_site, HEAD)


def test_every_misplaced_or_unknown_shortcode_is_an_error_at_its_line(read: Read) -> None:
    body = (
        "{{< quote q >}}\n"  # 7: embedded
        "\n"
        "See {{< quote q >}} here.\n"  # 9
        "\n"
        "{{< youtube abc123 >}}\n"  # 11
        "\n"
        'A map {{< figure src="m.png" >}} and more.\n'  # 13
        "\n"
        "## {{< quote q >}}\n"  # 15
        "\n"
        "{{< quote q big >}}\n"  # 17
        "\n"
        "{{% quote q %}}\n"  # 19
        "\n"
        "| a | b |\n"
        "|---|---|\n"
        "| {{< image m >}} | x |\n"  # 23
        "\n"
        "- item {{< quote q >}}\n"  # 25
        "\n"
        '<div class="aside">\n'
        "{{< quote q >}}\n"  # 28
        "</div>\n"
        "\n"
        "{{< quote nope >}}\n"  # 31
        "\n"
        "{{< quote >}}\n"  # 33
        "\n"
        "Hugo's way: {{</* quote q */>}}\n"  # 35
        "\n"
        "A {{< youtube x }} typo.\n"  # 37
    )
    result = read(body)
    assert result.post is None
    assert messages(result) == [
        "posts/x.md:9: {{< quote q >}} must stand alone on a line",
        "posts/x.md:11: unknown shortcode 'youtube' (known: quote, image)",
        "posts/x.md:13: unknown shortcode 'figure' (known: quote, image)",
        "posts/x.md:15: {{< quote q >}} must stand alone on a line",
        "posts/x.md:17: {{< quote q big >}} takes one quote id:"
        " write {{< quote q >}} alone on a line",
        "posts/x.md:19: {{% quote q %}} is written {{< quote q >}}, alone on a line",
        "posts/x.md:23: {{< image m >}} must stand alone on a line",
        "posts/x.md:25: {{< quote q >}} must stand alone on a line",
        "posts/x.md:28: {{< quote q >}} inside raw HTML (<div>) is not read:"
        " put it outside, alone on a line",
        "posts/x.md:31: unknown quote 'nope' (known: q)",
        "posts/x.md:33: {{< quote >}} takes one quote id: write {{< quote ID >}} alone on a line",
        "posts/x.md:35: {{</* quote q */>}}: to show a shortcode as text, write it in a code span"
        " or with a backslash before it: \\{{< ... >}}",
        "posts/x.md:37: '{{< youtube x }} typo.' opens a shortcode that is not closed with >}}",
    ]


def test_the_same_shortcode_twice_is_reported_twice(read: Read) -> None:
    body = "One {{< tweet 1 >}}.\n\nTwo.\n\nThree {{< tweet 1 >}}.\n"
    assert messages(read(body)) == [
        "posts/x.md:7: unknown shortcode 'tweet' (known: quote, image)",
        "posts/x.md:11: unknown shortcode 'tweet' (known: quote, image)",
    ]


CODE = """\
Write `{{< quote q >}}` or `{{< youtube x >}}` to embed one.

```markdown
{{< youtube x >}}
{{< quote q >}} inline
```

~~~
{{< figure a >}}
~~~

    {{< youtube indented >}}

- In a list:

  ```
  {{< youtube in-list >}}
  ```

> `{{< youtube quoted >}}`

\\{{< youtube escaped >}} shows as text.

<pre>{{< youtube raw-pre >}}</pre>

<p>As <code>{{< youtube raw-code >}}</code> or {{&lt; youtube entity &gt;}}.</p>

<!-- {{< youtube commented >}} -->
"""


def test_shortcodes_in_code_or_escaped_stay_text_and_are_never_errors(read: Read) -> None:
    result = read(CODE)
    assert result.post is not None and not result.problems
    html = result.post.body.html
    for shown in ("quote q", "youtube x", "figure a", "youtube indented", "youtube escaped"):
        assert "{{&lt; " + shown + " &gt;}}" in html
    # Only the shortcode outside code counts, at its own line.
    lines = CODE.count("\n")
    assert messages(read(CODE + "\nEnd {{< youtube x >}}.\n")) == [
        f"posts/x.md:{7 + lines + 1}: unknown shortcode 'youtube' (known: quote, image)"
    ]


def test_an_embed_on_a_line_of_its_own_after_text_is_embedded(read: Read) -> None:
    result = read(
        "The pocket shrank overnight.\n{{< quote q >}}\nThen the talks began.\n\n"
        "- Listed\n  {{< quote q >}}\n"
    )
    assert result.post is not None and not result.problems
    html = result.post.body.html
    assert html.startswith(
        '<p>The pocket shrank overnight.</p>\n<figure class="quote" id="quote-q">'
    )
    assert "</figure>\n<p>Then the talks began.</p>" in html
    assert "{{" not in html and html.count("<figure") == 2
    # Not where the lines around it may be code: a fence in a list item, an open code span.
    for code in (
        "- Code:\n\n  ```\n  {{< quote q >}}\n  ```\n",
        "A `span\n{{< quote q >}}\nend`.\n",
    ):
        result = read(code)
        assert result.post is not None and not result.problems
        assert "{{&lt; quote q &gt;}}" in result.post.body.html
        assert "<figure" not in result.post.body.html


def test_check_names_the_file_and_line(
    make_site: Callable[..., Path], capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_site({"posts/x.md": HEAD + "Intro.\n\n{{< youtube abc >}}\n"}, theme=False)
    assert main(["-s", str(root), "check"]) == 1
    assert "posts/x.md:9: unknown shortcode 'youtube' (known: quote, image)" in (
        capsys.readouterr().err.splitlines()
    )
