"""The command line: parses arguments, runs one command, prints errors once.

Every error the editor can cause is a :class:`SitegenError`; this is the only
place that catches it, prints ``path:line: field: message`` lines and picks the
exit status (1 for content, 2 for usage).  Anything else is a bug in sitegen.
"""

from __future__ import annotations

import argparse
import gc
import os
import shlex
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

from sitegen import __version__
from sitegen.commands.build import BuildOptions, build, check
from sitegen.commands.scaffold import NewSite, init_site, new_post
from sitegen.commands.summary import summary
from sitegen.errors import EXIT_USAGE, Problem, SitegenError, UsageError
from sitegen.importers import add_arguments as add_import_arguments
from sitegen.markup import upstream
from sitegen.read.config import find_root

EXIT_INTERNAL = 3


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sitegen",
        description="A static site generator for conflict-analysis blogs.",
    )
    parser.add_argument("--version", action="version", version=f"sitegen {__version__}")
    parser.add_argument(
        "-s", "--source", type=Path, default=Path("."), help="the site directory (default: .)"
    )
    parser.add_argument("--debug", action="store_true", help="show tracebacks of internal errors")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    def content_options(cmd: argparse.ArgumentParser, base_url: bool = True) -> None:
        cmd.add_argument("--drafts", action="store_true", help="include posts marked draft")
        cmd.add_argument("--future", action="store_true", help="include posts dated in the future")
        if base_url:
            cmd.add_argument("--base-url", help="override base_url from site.yaml")
        loudness = cmd.add_mutually_exclusive_group()
        loudness.add_argument("-q", "--quiet", action="store_true", help="print errors only")
        loudness.add_argument("-v", "--verbose", action="store_true", help="print more detail")

    cmd = commands.add_parser("build", help="build the site into the output directory")
    cmd.add_argument("-o", "--output", type=Path, help="output directory (default: _site)")
    cmd.add_argument("-j", "--jobs", type=int, help="worker processes (default: one per core)")
    cmd.add_argument("--no-cache", action="store_true", help="ignore and do not update the cache")
    content_options(cmd)
    cmd = commands.add_parser("check", help="validate everything, write nothing")
    cmd.add_argument("--strict", action="store_true", help="treat warnings as errors")
    content_options(cmd)
    cmd = commands.add_parser("serve", help="build, serve, rebuild and reload on change")
    cmd.add_argument("--host", default="127.0.0.1", help="address to listen on (default: loopback)")
    cmd.add_argument("-p", "--port", type=int, default=8000, help="port (default: 8000; 0: any)")
    content_options(cmd, base_url=False)
    cmd = commands.add_parser("new", help="write a new draft post")
    cmd.add_argument("title", help="the post's title")
    cmd.add_argument("--series", help="continue this series (next number, tags and places)")
    cmd = commands.add_parser("init", help="start a new site in DIR")
    cmd.add_argument("directory", type=Path, help="where to create the site (new or empty)")
    cmd = commands.add_parser("import", help="bring posts over from WordPress, Blogger or a feed")
    add_import_arguments(cmd)
    return parser


class Progress:
    """A one-line progress bar on an interactive terminal; silent in logs and CI."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self.shown = False

    def __call__(self, done: int, total: int) -> None:
        if not self.enabled or total < 50:
            return
        width = 30
        filled = width * done // total
        bar = "#" * filled + "." * (width - filled)
        sys.stderr.write(f"\rConverting posts [{bar}] {done}/{total}")
        sys.stderr.flush()
        self.shown = True

    def end(self) -> None:
        if self.shown:
            sys.stderr.write("\r\033[K")
            sys.stderr.flush()


def _interactive() -> bool:
    return sys.stderr.isatty() and not os.environ.get("CI")


def _print_problems(problems: Sequence[Problem]) -> None:
    for problem in problems:
        print(problem, file=sys.stderr)
    errors = sum(1 for p in problems if not p.warning)
    warnings = len(problems) - errors
    parts = []
    if errors:
        parts.append(f"{errors} error{'s' if errors != 1 else ''}")
    if warnings:
        parts.append(f"{warnings} warning{'s' if warnings != 1 else ''}")
    if parts:
        print(" and ".join(parts) + ".", file=sys.stderr)


def _shown(path: Path) -> Path:
    """``path`` as the editor would type it: relative to the current folder when inside it."""
    return path.relative_to(Path.cwd()) if path.is_relative_to(Path.cwd()) else path


def _sitegen(source: Path) -> str:
    """The command to type, from here, for the site at ``source``."""
    here = source.resolve() == Path.cwd().resolve()
    return "sitegen" if here else f"sitegen -s {shlex.quote(str(_shown(source)))}"


def _report_init(site: NewSite, directory: Path) -> None:
    theme = f"{site.templates.name}/ and {site.static.name}/ (the default theme)"
    print(f"Created a site in {directory}: {site.config.name}, {theme}, {site.gitignore.name}")
    print(f"  example post: {_shown(site.post)}")
    print(f"  About page:   {_shown(site.about)}")
    print(f"Next: cd {shlex.quote(str(directory))} && sitegen serve (or sitegen build)")


def run() -> NoReturn:
    """The ``sitegen`` command: :func:`main`, then end the process without freeing its heap.

    A build holds every post of the archive, millions of small objects.  Freeing
    them one by one, and the cyclic collector's pass over them once it is on
    again, took about 0.4 s of a one-post rebuild at 10,000 posts; the operating
    system reclaims the memory at once (compilers skip the same work, e.g.
    clang's ``-disable-free``).  Everything sitegen writes is closed before
    this point; only the standard streams need flushing.
    """
    _end(main(end=True))


def _end(code: int) -> NoReturn:
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


def main(argv: Sequence[str] | None = None, end: bool = False) -> int:
    """Run one command; with ``end``, a build ends the process while it still holds its posts."""
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse has printed the usage message
        return int(exc.code) if isinstance(exc.code, int) else EXIT_USAGE
    try:
        return _run(args, end)
    except SitegenError as exc:
        if exc.problems:
            _print_problems(exc.problems)
        else:
            print(f"sitegen: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("sitegen: interrupted", file=sys.stderr)
        return 130
    except Exception:
        if args.debug:
            traceback.print_exc()
        else:
            kind = sys.exc_info()[0]
            print(
                f"sitegen: internal error ({kind.__name__ if kind else 'unknown'}). "
                "This is a bug in sitegen: please report it with the output of --debug.",
                file=sys.stderr,
            )
        return EXIT_INTERNAL


def _waiting(output: Path) -> None:
    print(f"sitegen: another build of {_shown(output)} is running: waiting for it", file=sys.stderr)


def _run(args: argparse.Namespace, end: bool = False) -> int:
    if args.command == "init":
        _report_init(init_site(args.directory), args.directory)
        return 0
    if args.command == "new":
        path = new_post(args.source, args.title, args.series)
        print(f"Wrote {_shown(path)}, a draft: builds leave it out until you delete 'draft: true'.")
        print(f"Preview it with: {_sitegen(args.source)} serve --drafts")
        return 0
    root = find_root(args.source)
    if args.command == "import":
        from sitegen.commands import importer  # the HTML converter is slow to load: import only

        return importer.run(args, root)
    if args.command == "serve":
        if not 0 <= args.port <= 65535:
            raise UsageError("--port must be from 0 to 65535")
        from sitegen.commands.serve import (
            serve,  # the server and the file watcher: only serve needs them
        )

        return serve(root, args.host, args.port, args.drafts, args.future, args.quiet, args.verbose)
    jobs = getattr(args, "jobs", None)
    if jobs is not None and jobs < 1:
        raise UsageError("--jobs must be 1 or more")
    progress = Progress(_interactive() and not args.quiet)
    options = BuildOptions(
        output=getattr(args, "output", None),
        drafts=args.drafts,
        future=args.future,
        base_url=args.base_url,
        jobs=jobs,
        cache=not getattr(args, "no_cache", False),
        progress=progress,
    )
    if end:  # the process ends after this build: no collection pass over all it held
        gc.disable()
    try:
        result = check(root, options) if args.command == "check" else build(root, options, _waiting)
    finally:
        progress.end()
    if not args.quiet:
        _print_problems(result.warnings)
    if args.command == "check" and args.strict and result.warnings:
        if args.quiet:
            _print_problems(result.warnings)
        return 1
    if not args.quiet:
        where = None if result.output is None else str(_shown(result.output))
        print(summary(result, "Checked" if args.command == "check" else "Built", where))
    if args.verbose:
        for phase, seconds in result.timings:
            print(f"  {phase:<10} {seconds:.2f}s")
        if (note := upstream.status()) is not None:  # python-markdown is not the one expected
            print(f"  note: {note}")
    if end:  # ``result.held`` dies with the process, not object by object (see run)
        _end(0)
    return 0


if __name__ == "__main__":
    sys.exit(main())
