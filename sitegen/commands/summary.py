"""The line a build or check ends with: what it shows, what it converted, what it left out.

Shared by ``sitegen build`` and ``sitegen check`` (through the CLI) and by the
rebuild lines of ``sitegen serve``, so that they count the same things the same
way::

    Built 10 posts and 2 pages (14 of 14 Markdown files converted), 238 files
    (238 changed) in _site in 5.47s; left out: 1 draft (--drafts to include),
    1 future post (--future)

(one line).  Posts and pages are counted apart; the Markdown files are all of
them, the left-out drafts and future posts included: those are read and
checked on every build all the same.
"""

from __future__ import annotations

from sitegen.commands.build import BuildResult


def plural(count: int, word: str) -> str:
    """``1 post``, ``2 posts``."""
    return f"{count} {word}{'' if count == 1 else 's'}"


def contents(result: BuildResult) -> str:
    """``10 posts and 2 pages (3 of 14 Markdown files converted)``; no pages, no "and"."""
    shown = plural(result.posts, "post")
    if result.pages:
        shown += " and " + plural(result.pages, "page")
    total = result.posts + result.pages + result.drafts_left_out + result.future_left_out
    return f"{shown} ({result.converted} of {plural(total, 'Markdown file')} converted)"


def left_out(result: BuildResult) -> str:
    """``; left out: 1 draft (--drafts to include), 2 future posts (--future)``, or nothing."""
    parts: list[str] = []
    for count, word, flag in (
        (result.drafts_left_out, "draft", "--drafts"),
        (result.future_left_out, "future post", "--future"),
    ):
        if count:
            parts.append(f"{plural(count, word)} ({flag if parts else flag + ' to include'})")
    return "; left out: " + ", ".join(parts) if parts else ""


def summary(result: BuildResult, verb: str, output: str | None = None) -> str:
    """The whole line; ``output`` is the output directory as the editor would type it.

    A build names its output and how many files changed; a check (no output) does not.
    """
    files = plural(result.files, "file")
    if output is not None:
        files += f" ({result.written} changed) in {output}"
    return f"{verb} {contents(result)}, {files} in {result.seconds:.2f}s{left_out(result)}"


def rebuilt(reason: str, result: BuildResult, seconds: float) -> str:
    """A rebuild line of ``sitegen serve``: ``Rebuilt after posts/a.md: 10 posts ... changed``."""
    changed = plural(result.written, "file")
    return f"{reason}: {contents(result)}, {changed} changed in {seconds:.2f}s{left_out(result)}"
