"""The shape of the code: stage packages whose imports point one way, small modules.

docs/architecture.md describes the layout; these checks keep it true.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "sitegen"

# The pipeline's order: a module may import from its own stage or an earlier one.
STAGES = {
    "errors": 0,
    "model": 0,
    "theme": 0,
    "markup": 1,
    "read": 2,
    "index": 3,
    "output": 4,
    "incremental": 5,
    "importers": 6,
    "commands": 7,
    "cli": 8,
    "__main__": 9,
    "__init__": 0,
}
MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 60


def modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def stage_of(module: str) -> str:
    """``sitegen.read.posts`` -> ``read``; ``sitegen`` -> ``__init__``."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def imports(path: Path) -> list[tuple[int, str]]:
    here = ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
            found += [(node.lineno, n) for n in names if n.startswith("sitegen.")]
        elif isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names if a.name.startswith("sitegen.")]
    return [(line, name) for line, name in found if stage_of(name) in STAGES and name != here]


@pytest.mark.parametrize("path", modules(), ids=lambda p: p.relative_to(PACKAGE).as_posix())
def test_imports_point_down_the_pipeline(path: Path) -> None:
    here = stage_of(".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts))
    upward = [
        f"{path.name}:{line}: imports {name} ({stage_of(name)} comes after {here})"
        for line, name in imports(path)
        if STAGES[stage_of(name)] > STAGES[here]
    ]
    assert not upward


def test_every_stage_package_is_known() -> None:
    packages = {p.name for p in PACKAGE.iterdir() if (p / "__init__.py").is_file()}
    top = {p.stem for p in PACKAGE.glob("*.py")}
    assert packages | top <= set(STAGES)


@pytest.mark.parametrize("path", modules(), ids=lambda p: p.relative_to(PACKAGE).as_posix())
def test_modules_and_functions_stay_small(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert len(text.splitlines()) <= MAX_MODULE_LINES
    long = [
        f"{node.name}: {node.end_lineno - node.lineno + 1} lines"  # type: ignore[operator]
        for node in ast.walk(ast.parse(text))
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        and node.end_lineno - node.lineno + 1 > MAX_FUNCTION_LINES  # type: ignore[operator]
    ]
    assert not long
