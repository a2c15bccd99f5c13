"""Faults: a build killed at any moment, a full or read-only disk, damage and races.

The promise (SPEC §7, docs/safety.md "What survives what"): the output is the
last build's or the new one, never a mix; a failed build changes nothing; the
build after any interruption repairs everything, the search index included.
Kills are real (SIGKILL, no clean-up runs) at named steps of the pipeline and
at random moments; a full and a read-only disk are a real tmpfs when the tests
run as root, and patched system calls otherwise.
"""

from __future__ import annotations

import errno
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from conftest import NOW, REPO, post_text

from sitegen.cli import main
from sitegen.commands.build import BuildOptions, build
from sitegen.errors import OutputError
from sitegen.output import commit
from sitegen.output.commit import OutputLock

Make = Callable[..., Path]


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def beside(output: Path) -> list[str]:
    """What a build keeps beside its output (not the output itself)."""
    return sorted(p.name for p in output.parent.iterdir() if p.name.startswith(f".{output.name}"))


POSTS = {
    f"posts/p{i}.md": post_text(
        f"Report {i}", f"202{i % 3 + 3}-0{i % 9 + 1}-10T10:00:00Z", f"Body {i}.", tags=f"[t{i % 2}]"
    )
    for i in range(6)
}
EDITED = post_text("Report 0", "2023-01-10T10:00:00Z", "A correction: zebrafish were never seen.")
CORRECTED = post_text("Report 0", "2023-01-10T10:00:00Z", "A correction: quokkas were seen.")


def run(root: Path, output: Path, **options: object) -> None:
    build(root, BuildOptions(output=output, now=NOW, jobs=1, **options))  # type: ignore[arg-type]


@pytest.fixture
def site(make_site: Make) -> Iterator[tuple[Path, Path, dict[str, bytes]]]:
    """A site built twice (so a spare exists), its edit staged, and the clean build of that edit.

    Yields the root, the output and the clean build's files for the edited site.
    """
    root = make_site({**POSTS, "posts/p0.md": EDITED})
    out = root / "_site"
    run(root, out)
    (root / "posts/p1.md").write_text(post_text("Report 1 (updated)", "2024-02-10"), "utf-8")
    run(root, out)
    (root / "posts/p0.md").write_text(CORRECTED, encoding="utf-8")
    clean = root.parent / "clean"
    run(root, clean, cache=False)
    yield root, out, tree(clean)


KILLER = """
import os, signal, sys
from sitegen.cli import main
from sitegen.incremental import store
from sitegen.output import commit, pagefind, search

point, when = sys.argv[1], int(sys.argv[2])
calls = {"n": 0}

def die_at(module, name):
    original = getattr(module, name)
    def wrapped(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == when:
            os.kill(os.getpid(), signal.SIGKILL)
        return original(*args, **kwargs)
    setattr(module, name, wrapped)

module, name = {
    "render": (search, "stage"),
    "search": (pagefind.PagefindService, "add_page"),
    "commit": (commit, "commit"),
    "spare": (commit._Tree, "put"),
    "spare-from": (commit, "_link"),
    "exchanged": (commit, "_write_record"),
    "saved": (store.OutputManifest, "write"),
}[point]
die_at(module, name)
sys.exit(main(["-s", sys.argv[3], "build", "-j", "1"]))
"""


def killed_build(root: Path, point: str, when: int = 1) -> None:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    done = subprocess.run(
        [sys.executable, "-c", KILLER, point, str(when), str(root)],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == -signal.SIGKILL, done.stderr


@pytest.mark.parametrize(
    ("point", "when"),
    [
        ("render", 1),  # every page made, nothing indexed
        ("search", 2),  # in the middle of the search index
        ("commit", 1),  # pages and index staged, nothing committed
        ("spare", 3),  # the spare half brought up to the new site
        ("exchanged", 1),  # the new output in place, the spare's record not written
        ("saved", 1),  # committed, the cache not saved
    ],
)
def test_a_kill_at_any_step_leaves_the_old_or_the_new_output_and_the_next_build_repairs(
    site: tuple[Path, Path, dict[str, bytes]], point: str, when: int
) -> None:
    root, out, clean = site
    old = tree(out)
    killed_build(root, point, when)
    assert tree(out) in (old, clean)  # never a mix
    run(root, out)
    assert tree(out) == clean  # the search index included: the removed word is not found
    assert not any(b"zebrafish" in data for key, data in tree(out).items() if "pagefind" in key)
    assert beside(out) == ["._site.sitegen-lock", "._site.sitegen-spare"]


def test_a_kill_while_the_first_spare_is_made(make_site: Make) -> None:
    root = make_site(POSTS)
    out = root / "_site"
    run(root, out)
    old = tree(out)
    (root / "posts/p0.md").write_text(CORRECTED, encoding="utf-8")
    killed_build(root, "spare-from", 5)
    assert tree(out) == old
    run(root, out)
    clean = root.parent / "clean"
    run(root, clean, cache=False)
    assert tree(out) == tree(clean)


def test_kills_at_random_moments(site: tuple[Path, Path, dict[str, bytes]]) -> None:
    """Builds killed after a random delay (seeded): the output is always whole."""
    root, out, clean = site
    versions = [CORRECTED, EDITED]
    moments = random.Random(19)
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    for turn in range(6):
        (root / "posts/p0.md").write_text(versions[turn % 2], encoding="utf-8")
        before = tree(out)
        process = subprocess.Popen(
            [sys.executable, "-m", "sitegen", "-s", str(root), "build", "-j", "1"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(moments.uniform(0.3, 1.5))
        process.send_signal(signal.SIGKILL)
        process.wait()
        after = tree(out)
        if after != before:  # the build had committed: it must be the whole new site
            run(root, root.parent / f"clean-{turn}", cache=False)
            assert after == tree(root.parent / f"clean-{turn}")
    (root / "posts/p0.md").write_text(CORRECTED, encoding="utf-8")
    run(root, out)
    assert tree(out) == clean


# -- a full disk, a read-only disk -------------------------------------------------


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 4 MB tmpfs (root only; the patched tests below cover other machines)."""
    mount = tmp_path / "disk"
    mount.mkdir()
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("a tmpfs needs root: test_patched_write_failures covers this")
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(mount)], capture_output=True
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode().strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def test_a_full_disk_fails_cleanly_and_changes_nothing(
    make_site: Make, small_disk: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_site(POSTS)
    out = small_disk / "public"
    assert main(["-s", str(root), "build", "-o", str(out)]) == 0
    old = tree(out)
    for i in range(6):  # every page changes: the new files do not fit
        (root / f"posts/p{i}.md").write_text(post_text(f"Report {i}", body="Longer. " * 999))
    free = shutil.disk_usage(small_disk).free
    (small_disk / "filler").write_bytes(b"\0" * (free - 64 * 1024))
    capsys.readouterr()
    assert main(["-s", str(root), "build", "-o", str(out)]) == 1
    err = capsys.readouterr().err
    assert "No space left on device (the build stopped; the output was not changed)" in err
    assert "Traceback" not in err
    assert tree(out) == old
    assert beside(out) == [".public.sitegen-lock"]  # the staging folder is gone
    (small_disk / "filler").unlink()
    assert main(["-s", str(root), "build", "-o", str(out)]) == 0
    run(root, root.parent / "clean", cache=False)
    assert tree(out) == tree(root.parent / "clean")


def test_a_read_only_disk_fails_cleanly(
    make_site: Make, small_disk: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_site(POSTS)
    out = small_disk / "public"
    assert main(["-s", str(root), "build", "-o", str(out)]) == 0
    old = tree(out)
    (root / "posts/p0.md").write_text(CORRECTED, encoding="utf-8")
    subprocess.run(["mount", "-o", "remount,ro", str(small_disk)], check=True)
    capsys.readouterr()
    assert main(["-s", str(root), "build", "-o", str(out)]) == 1
    err = capsys.readouterr().err
    assert "Read-only file system (the build stopped; the output was not changed)" in err
    assert tree(out) == old


@pytest.mark.parametrize("step", ["stage", "put", "exchange"])
def test_patched_write_failures(
    site: tuple[Path, Path, dict[str, bytes]], monkeypatch: pytest.MonkeyPatch, step: str
) -> None:
    """The same promise where no tmpfs can be mounted: a disk that fills at each step."""
    root, out, clean = site
    old = tree(out)

    def full(*args: object, **kwargs: object) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(out / "x"))

    with monkeypatch.context() as patch:
        target = {
            "stage": ("sitegen.output.writer.Staging.put", full),
            "put": ("sitegen.output.commit._Tree.put", full),
            "exchange": ("sitegen.output.commit.exchange", full),
        }[step]
        patch.setattr(*target)
        with pytest.raises(OutputError, match="No space left on device"):
            run(root, out)
    assert tree(out) == old
    run(root, out)
    assert tree(out) == clean


# -- the environment -------------------------------------------------------------


def test_an_output_under_a_file_is_a_clear_error(
    make_site: Make, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_site(POSTS)
    (root / "afile").write_text("x")
    assert main(["-s", str(root), "build", "-o", str(root / "afile/out")]) == 1
    err = capsys.readouterr().err
    where = root / "afile"
    assert err == f"sitegen: cannot write the site into {where}/out: {where} is a file\n"


def test_an_unreadable_post_is_reported_with_every_other_problem(
    make_site: Make, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_site({**POSTS, "posts/bad.md": "---\ntitle: [\n---\n"})
    original = Path.read_bytes

    def read_bytes(self: Path) -> bytes:
        if self.name == "p3.md":
            raise PermissionError(errno.EACCES, "Permission denied", str(self))
        return original(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    with pytest.raises(Exception) as raised:
        run(root, root / "_site")
    text = str(raised.value)
    assert "posts/p3.md: cannot be read: Permission denied" in text
    assert "posts/bad.md:" in text
    assert not (root / "_site").exists()


@pytest.mark.parametrize("what", ["site.yaml", "templates/post.html", "static/css/site.css"])
def test_unreadable_sources_are_clear_errors(
    make_site: Make, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], what: str
) -> None:
    root = make_site(POSTS)
    assert main(["-s", str(root), "build"]) == 0
    old = tree(root / "_site")
    (root / "posts/p0.md").write_text(CORRECTED, encoding="utf-8")
    os.utime(root / what)  # changed since the last build: it must be read
    target = str(root / what)
    real_open, real_read = open, Path.read_bytes

    def refuse(path: object) -> None:
        if os.fspath(path) == target:  # type: ignore[call-overload]
            raise PermissionError(errno.EACCES, "Permission denied", target)

    def fake_open(path: object, *args: object, **kwargs: object) -> object:
        refuse(path)
        return real_open(path, *args, **kwargs)  # type: ignore[call-overload]

    def fake_read(self: Path) -> bytes:
        refuse(self)
        return real_read(self)

    monkeypatch.setattr("builtins.open", fake_open)
    monkeypatch.setattr(Path, "read_bytes", fake_read)
    capsys.readouterr()
    assert main(["-s", str(root), "build", "-j", "1"]) == 1
    err = capsys.readouterr().err
    assert f"{what}" in err and "Permission denied" in err and "internal error" not in err
    assert tree(root / "_site") == old


def test_symlink_loops_under_static_are_errors_not_hangs(make_site: Make) -> None:
    root = make_site(POSTS)
    (root / "static/loop").symlink_to(".")
    (root / "static/x").symlink_to("y")
    (root / "static/y").symlink_to("x")
    with pytest.raises(Exception) as raised:
        run(root, root / "_site")
    text = str(raised.value)
    assert "static/loop: is a symbolic link to a folder that holds it (a loop)" in text
    assert (
        "static/x: is a symbolic link that leads nowhere (its target is missing, or a loop)" in text
    )


CACHE_PARTS = [
    "", "areas", "areas/*", "areas/*/bodies", "areas/*/posts", "areas/*/posts/*.pickle",
    "areas/*/index.pickle", "outputs", "outputs/*", "outputs/*/manifest.pickle",
    "outputs/*/stamp.pickle", "images",
]  # fmt: skip


@pytest.mark.parametrize("shape", ["file", "folder"])
def test_a_damaged_cache_of_any_shape_is_rebuilt(
    site: tuple[Path, Path, dict[str, bytes]], shape: str
) -> None:
    """Each part of the cache replaced by a file or a folder in turn: the build is as clean."""
    root, out, clean = site
    cache = root / ".sitegen-cache"
    for victim in CACHE_PARTS:
        for path in sorted(cache.glob(victim)) if victim else [cache]:
            shutil.rmtree(path) if path.is_dir() else path.unlink()
            if shape == "file":
                path.write_bytes(b"not what sitegen wrote")
            else:
                (path / "inner").mkdir(parents=True)
        run(root, out)
        assert tree(out) == clean, victim
    run(root, out)  # and the cache it saved is sound
    assert tree(out) == clean


def test_a_second_build_waits_for_the_first(
    site: tuple[Path, Path, dict[str, bytes]],
) -> None:
    root, out, clean = site
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    with OutputLock(out, lambda: None):  # a build of this output is running
        second = subprocess.Popen(
            [sys.executable, "-m", "sitegen", "build"],
            cwd=root,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        assert second.stderr is not None
        line = second.stderr.readline()
        assert line == "sitegen: another build of _site is running: waiting for it\n"
        time.sleep(0.5)
        assert second.poll() is None  # still waiting
    assert second.wait(timeout=60) == 0
    assert tree(out) == clean


def test_leftovers_of_killed_builds_go_and_are_git_ignored(
    site: tuple[Path, Path, dict[str, bytes]], tmp_path: Path
) -> None:
    root, out, _ = site
    for name in [
        "._site.sitegen-new-abc",
        "._site.sitegen-search-def",
        "._site.new-x1",
        ".pagefind.new-y",
    ]:
        (root / name / "deep").mkdir(parents=True)
        (root / name / "deep/page.html").write_text("stale")
    run(root, out)
    assert beside(out) == ["._site.sitegen-lock", "._site.sitegen-spare"]
    assert not (root / ".pagefind.new-y").exists()
    desk = tmp_path / "desk"
    assert main(["init", str(desk)]) == 0
    assert main(["-s", str(desk), "build"]) == 0
    (desk / "posts/x.md").write_text(post_text("X"), encoding="utf-8")
    assert main(["-s", str(desk), "build"]) == 0
    (desk / "._site.sitegen-new-zz").mkdir()
    subprocess.run(["git", "init", "-q", str(desk)], check=True)
    status = subprocess.run(
        ["git", "-C", str(desk), "status", "--porcelain", "--ignored=no", "-uall"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "sitegen-" not in status and "_site" not in status


@pytest.mark.parametrize("shape", ["missing", "file", "dangling link"])
def test_a_missing_posts_folder_is_an_error_not_an_empty_site(
    make_site: Make, capsys: pytest.CaptureFixture[str], shape: str
) -> None:
    root = make_site(POSTS)
    assert main(["-s", str(root), "build"]) == 0
    old = tree(root / "_site")
    shutil.rmtree(root / "posts")
    if shape == "file":
        (root / "posts").write_text("x")
    elif shape == "dangling link":
        (root / "posts").symlink_to("nowhere")
    capsys.readouterr()
    assert main(["-s", str(root), "build"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("posts/: ")
    assert tree(root / "_site") == old


def test_the_exchange_falls_back_to_renames(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Where the system cannot exchange two names at once, three renames do it."""
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir()
    b.mkdir()
    (a / "x").write_text("a")
    (b / "x").write_text("b")
    commit.exchange(a, b)
    assert (a / "x").read_text() == "b" and (b / "x").read_text() == "a"
    monkeypatch.setattr(commit, "_exchange_call", lambda a, b: False)
    commit.exchange(a, b)
    assert (a / "x").read_text() == "a" and (b / "x").read_text() == "b"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a", "b"]


def test_serve_reloads_first_and_the_index_catches_up_whole(
    site: tuple[Path, Path, dict[str, bytes]],
) -> None:
    """``index_later`` (serve): the pages are committed with the last index, which the next
    build brings up to them; until then no build is taken for a no-op."""
    root, out, clean = site
    old = tree(out)
    fast = build(root, BuildOptions(output=out, now=NOW, jobs=1, index_later=True))
    assert fast.search_behind
    now = tree(out)
    index = {key for key in now if key.startswith("pagefind/")}
    assert {key: now[key] for key in index} == {k: v for k, v in old.items() if k in index}
    assert now["posts/report-0/index.html"] == clean["posts/report-0/index.html"]
    again = build(root, BuildOptions(output=out, now=NOW, jobs=1, index_later=True))
    assert again.search_behind  # still owed: kept stale, not forgotten
    caught = build(root, BuildOptions(output=out, now=NOW, jobs=1))
    assert not caught.search_behind
    assert tree(out) == clean


def test_the_search_index_is_the_same_whatever_order_the_file_system_lists(
    site: tuple[Path, Path, dict[str, bytes]], tmp_path: Path
) -> None:
    """tmpfs lists a folder newest first, ext4 by a hash of the names: same index bytes."""
    root, _, clean = site
    shm = Path("/dev/shm")
    if not shm.is_dir():
        pytest.skip("no tmpfs at /dev/shm to list files in another order")
    elsewhere = Path(tempfile.mkdtemp(dir=shm)) / "out"
    try:
        run(root, elsewhere, cache=False)
        built = tree(elsewhere)
    finally:
        shutil.rmtree(elsewhere.parent, ignore_errors=True)
    index = sorted(key for key in clean if key.startswith("pagefind/"))
    assert len(index) > 20
    assert {key: built[key] for key in index} == {key: clean[key] for key in index}
