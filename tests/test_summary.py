"""What the commands say when they are done: the summary line, sitegen new, sitegen init.

The summary counts posts and pages apart, says how many Markdown files were
converted out of how many, and names the drafts and future posts it left out
with the flag that brings them in (issue 18, item 17).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import post_text

from sitegen.cli import main
from sitegen.commands.build import BuildResult

Make = Callable[..., Path]

FUTURE = "2999-01-01T09:00:00Z"  # after any "now" these tests run at


@pytest.fixture
def mixed_site(make_site: Make, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Two posts, a page, two drafts (one of them future-dated) and a future post; cwd there."""
    root = make_site(
        {
            "posts/a.md": post_text("Alpha", "2026-01-01T10:00:00Z"),
            "posts/b.md": post_text("Bravo", "2026-01-02T10:00:00Z"),
            "posts/draft.md": post_text("Charlie", "2026-01-03T10:00:00Z", draft="true"),
            "posts/later-draft.md": post_text("Delta", FUTURE, draft="true"),
            "posts/future.md": post_text("Echo", FUTURE),
            "pages/about.md": "---\ntitle: About\nmenu: 1\n---\nWho we are.\n",
        }
    )
    monkeypatch.chdir(root)
    return root


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> list[str]:
    """The lines ``sitegen ARGV`` printed, times written as 0.00s."""
    assert main(list(argv)) == 0
    captured = capsys.readouterr()
    assert captured.err == ""
    return [re.sub(r" in \d+\.\d\ds\b", " in 0.00s", line) for line in captured.out.splitlines()]


def outputs(directory: Path) -> int:
    """The files a build wrote, the search index and sitegen's marker not counted."""
    files = [p for p in directory.rglob("*") if p.is_file()]
    return sum(1 for p in files if p.name != ".sitegen-output" and "pagefind" not in p.parts)


def test_build_and_check_say_what_they_left_out(
    mixed_site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = run(capsys, "build", "-j", "1")
    built = outputs(mixed_site / "_site")
    assert lines == [
        f"Built 2 posts and 1 page (6 of 6 Markdown files converted), {built} files"
        f" ({built} changed) in _site in 0.00s;"
        " left out: 2 drafts (--drafts to include), 1 future post (--future)"
    ]
    assert not (mixed_site / "_site/posts/charlie").exists()
    # The no-op build reports the last build's numbers (kept in its stamp).
    assert run(capsys, "build") == [
        f"Built 2 posts and 1 page (0 of 6 Markdown files converted), {built} files (0 changed)"
        " in _site in 0.00s; left out: 2 drafts (--drafts to include), 1 future post (--future)"
    ]
    assert run(capsys, "check") == [
        f"Checked 2 posts and 1 page (0 of 6 Markdown files converted), {built} files in 0.00s;"
        " left out: 2 drafts (--drafts to include), 1 future post (--future)"
    ]
    # A future-dated draft needs both flags: with --drafts alone it is a future post.
    lines = run(capsys, "build", "--drafts", "-o", "_drafts")
    files = outputs(mixed_site / "_drafts")
    assert lines == [
        f"Built 3 posts and 1 page (0 of 6 Markdown files converted), {files} files"
        f" ({files} changed) in _drafts in 0.00s; left out: 2 future posts (--future to include)"
    ]
    lines = run(capsys, "build", "--drafts", "--future", "-o", "_preview")
    files = outputs(mixed_site / "_preview")
    assert lines == [
        f"Built 5 posts and 1 page (0 of 6 Markdown files converted), {files} files"
        f" ({files} changed) in _preview in 0.00s"
    ]
    assert (mixed_site / "_preview/posts/delta/index.html").is_file()


def test_future_alone_leaves_out_the_drafts(
    mixed_site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = run(capsys, "build", "-j", "1", "--future", "-o", "_future")
    files = outputs(mixed_site / "_future")
    left = "left out: 2 drafts (--drafts to include)"
    assert lines == [
        f"Built 3 posts and 1 page (6 of 6 Markdown files converted), {files} files"
        f" ({files} changed) in _future in 0.00s; {left}"
    ]
    assert run(capsys, "check", "--future") == [
        f"Checked 3 posts and 1 page (0 of 6 Markdown files converted), {files} files in 0.00s;"
        f" {left}"
    ]


def test_the_words_agree_with_the_numbers() -> None:
    from sitegen.commands.summary import rebuilt, summary  # (new: the other tests fail without)

    one = BuildResult(None, posts=1, files=1, seconds=0.5, converted=1, future_left_out=1)
    assert summary(one, "Checked") == (
        "Checked 1 post (1 of 2 Markdown files converted), 1 file in 0.50s;"
        " left out: 1 future post (--future to include)"
    )
    none = BuildResult(Path("out"), posts=0, files=3, seconds=1.0, written=1)
    assert summary(none, "Built", "out") == (
        "Built 0 posts (0 of 0 Markdown files converted), 3 files (1 changed) in out in 1.00s"
    )
    pages = BuildResult(None, posts=10, pages=2, files=9, seconds=0, converted=3, drafts_left_out=1)
    assert rebuilt("Rebuilt after posts/a.md", pages, 0.04) == (
        "Rebuilt after posts/a.md: 10 posts and 2 pages (3 of 13 Markdown files converted),"
        " 0 files changed in 0.04s; left out: 1 draft (--drafts to include)"
    )


def test_new_says_it_wrote_a_draft_and_how_to_preview_it(
    make_site: Make, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_site()
    monkeypatch.chdir(root)
    lines = run(capsys, "new", "Kherson SITREP 1")
    (written,) = (root / "posts").glob("*/kherson-sitrep-1.md")
    year = written.parent.name
    assert lines == [
        f"Wrote posts/{year}/kherson-sitrep-1.md, a draft: builds leave it out until you delete"
        " 'draft: true'.",
        "Preview it with: sitegen serve --drafts",
    ]
    assert "\ndraft: true\n" in written.read_text(encoding="utf-8")
    monkeypatch.chdir(root.parent)  # from outside the site: the command names it
    assert run(capsys, "-s", "site", "new", "Kherson SITREP 2") == [
        f"Wrote site/posts/{year}/kherson-sitrep-2.md, a draft: builds leave it out until you"
        " delete 'draft: true'.",
        "Preview it with: sitegen -s site serve --drafts",
    ]


def test_init_names_the_example_post_and_the_about_page(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    lines = run(capsys, "init", "new-desk")
    (post,) = (tmp_path / "new-desk/posts").glob("*/welcome.md")
    assert lines == [
        "Created a site in new-desk: site.yaml, templates/ and static/ (the default theme),"
        " .gitignore",
        f"  example post: new-desk/posts/{post.parent.name}/welcome.md",
        "  About page:   new-desk/pages/about.md",
        "Next: cd new-desk && sitegen serve (or sitegen build)",
    ]
    assert (tmp_path / "new-desk/pages/about.md").is_file()
