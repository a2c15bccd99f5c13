"""What ran the benchmark: the machine, the tools' versions, and which sitegen an
interpreter imports (its git commit where cheaply known), to label the tables."""

from __future__ import annotations

import json
import os
import platform
import subprocess
from pathlib import Path

from competitors import package_version
from measure import Failed

# What ``python -m sitegen`` imports, run by the interpreter under test from the directory the
# builds run in (``python -c`` and ``-m`` both put the working directory first on sys.path).
PROBE = """
import json, os, platform, sitegen
from importlib.metadata import version
print(json.dumps({"path": os.path.dirname(os.path.abspath(sitegen.__file__)),
    "version": getattr(sitegen, "__version__", ""), "python": platform.python_version(),
    "markdown": version("markdown")}))
"""


def git_commit(package: Path) -> str:
    """The short commit of the git checkout holding ``package``, "+dirty" if the package has
    local changes; "" if there is none (e.g. installed from a wheel) or no git."""

    def git(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            ["git", "-C", str(package), *args],
            capture_output=True,
            text=True,
            check=False,
            timeout=30,
        )

    try:
        # Tracked there: not a site-packages copy that merely sits inside some repository.
        if git("ls-files", "--error-unmatch", "__init__.py").returncode != 0:
            return ""
        head = git("rev-parse", "--short", "HEAD")
        dirty = git("status", "--porcelain", "--", ".").stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return ""
    if head.returncode != 0:
        return ""
    return head.stdout.strip() + ("+dirty" if dirty else "")


def describe(python: str, cwd: Path) -> dict[str, str]:
    """Which sitegen ``python -m sitegen`` runs in ``cwd``, to label it in the table.

    ``label`` is its git commit where cheaply known, else its package directory.
    """
    done = subprocess.run(
        [python, "-c", PROBE], cwd=cwd, capture_output=True, text=True, check=False
    )
    if done.returncode != 0 or not done.stdout.strip():
        raise Failed(f"{python} cannot import sitegen: {done.stderr.strip()[-1000:]}")
    info: dict[str, str] = json.loads(done.stdout.strip().splitlines()[-1])
    info["commit"] = git_commit(Path(info["path"]))
    info["label"] = info["commit"] or info["path"]
    info["interpreter"] = python
    return info


def machine() -> dict[str, str]:
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f"{kb / 1024 / 1024:.1f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    return {
        "cores": str(os.cpu_count()),
        "cpu": model or platform.processor(),
        "memory": memory,
        "python": platform.python_version(),
        "os": f"{platform.system()} {platform.release()}",
        "markdown": package_version("markdown"),
        "sitegen": package_version("sitegen"),
        "pelican": package_version("pelican"),
    }
