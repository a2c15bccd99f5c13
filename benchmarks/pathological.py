"""Seconds to convert bodies of pathological shapes, at growing sizes: is the cost linear?

    python3 benchmarks/pathological.py [--sizes 10000 20000 40000] [--stock] [SHAPE ...]

Each shape is a piece of Markdown repeated N times into one body (one paragraph,
unless the piece holds a blank line), converted once by sitegen's renderer
(python-markdown with sitegen's speedups) and, with ``--stock``, by python-markdown
as it comes (sitegen's extensions, no speedups; slow: some shapes take minutes).
Printed: the seconds per size and the growth from each size to the next (2.0 when
the sizes double and the cost is linear, 4.0 when it is quadratic). A shape given
on the command line is taken as the piece itself (``\\n`` for a newline).
"""

from __future__ import annotations

import argparse
import itertools
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sitegen.errors import Problems
from sitegen.markup.sitrep import BodyContext, MarkdownRenderer
from sitegen.model import Source

# A name for each shape, and the piece repeated.
SHAPES = {
    "[@": "[@",
    "[": "[",
    "[@a": "[@a",
    "[[[[ ]]]]": None,  # N brackets opened, then N closed
    "<": "<",
    "*": "*",
    "`": "`",
    "``a`": "``a`",
    "{{<": "{{<",
    "{{< line": "{{< quote x\n",
    "[^": "[^",
    "![": "![",
    "[x](": "[x](",
    "[x](<": "[x](<",
    "a](b ": "a](b ",
    "[a][": "[a][",
    "<a ": "<a ",
    "{": "{",
    "[@a] (cited)": "[@a] ",
    "[x](y) (links)": "[x](y) ",
    "`c` (code)": "`c` ",
    "line break": "a  \n",
    "&amp;": "&amp; ",
    "*a* (emphasis)": "*a* ",
    "\\* (escape)": "\\* ",
    "> (quotes)": "> q\n",
    "- (list)": "- item\n",
    "paragraphs": "A sentence of a report [@a].\n\n",
}


def body(piece: str | None, size: int) -> str:
    if piece is None:
        return "[" * size + "x" + "]" * size
    return piece * size


def seconds(renderer: MarkdownRenderer, text: str) -> float:
    context = BodyContext(Problems("p.md"), 1, {"a": Source(id="a", name="A")}, {})
    start = time.perf_counter()
    renderer.render(text, context)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("shapes", nargs="*", help="shape names (default: all) or pieces")
    parser.add_argument("--sizes", nargs="+", type=int, default=[10_000, 20_000, 40_000])
    parser.add_argument("--stock", action="store_true", help="also python-markdown as it comes")
    args = parser.parse_args()
    renderers = [("sitegen", MarkdownRenderer())]
    if args.stock:
        renderers.append(("stock", MarkdownRenderer(speedups=False)))
    if renderers[0][1].speedups is None:
        print("note: the speedups are off for this python-markdown", file=sys.stderr)
    names = args.shapes or list(SHAPES)
    sizes = " ".join(f"{size:>9,}" for size in args.sizes)
    print(f"| shape | renderer | seconds at {sizes} | growth |")
    print("|---|---|---|---|")
    for name in names:
        piece = SHAPES[name] if name in SHAPES else name.replace("\\n", "\n")
        for label, renderer in renderers:
            times = [seconds(renderer, body(piece, size)) for size in args.sizes]
            cells = " ".join(f"{t:9.3f}" for t in times)
            growth = " ".join(f"{b / max(a, 1e-6):.1f}" for a, b in itertools.pairwise(times))
            print(f"| `{name}` | {label} | {cells} | {growth} |", flush=True)


if __name__ == "__main__":
    main()
