"""Every post's layer files, read once per build: checked GeoJSON with its bounds and hash.

A post names its layers (:mod:`sitegen.read.situation`); the files are read
here, after the posts, so that a post stays a pure function of its own bytes
(and its cached conversion stays valid when only a layer file changes).  The
hash of a file's bytes is an input of every output that draws it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sitegen.errors import Problem
from sitegen.model import Named, Post, digest
from sitegen.read.geojson import read_geojson


@dataclass(frozen=True)
class LayerData:
    """One checked layer file: ``path`` is site-relative; ``bbox`` is (west, south, east, north)."""

    path: str
    digest: str
    bbox: tuple[float, float, float, float]
    collection: dict[str, Any]


def read_layer_files(
    root: Path, posts: Iterable[Post | Named]
) -> tuple[dict[str, LayerData], list[Problem]]:
    """Each layer file named by ``posts``, by site-relative path, and every problem found."""
    found: dict[str, LayerData] = {}
    problems: list[Problem] = []
    failed: set[str] = set()
    site = root.resolve()
    for post in posts:
        for index, layer in enumerate(post.layers):
            if layer.file in found or layer.file in failed:
                continue
            where = f"layers[{index}].file"
            path = root / layer.file
            try:
                if not path.resolve().is_relative_to(site):
                    raise PermissionError
                data = path.read_bytes()
            except PermissionError:
                failed.add(layer.file)
                problems.append(
                    Problem(post.path, layer.line, where, f"{layer.file} cannot be read")
                )
                continue
            except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
                failed.add(layer.file)
                problems.append(
                    Problem(post.path, layer.line, where, f"no such file: {layer.file}")
                )
                continue
            except OSError as exc:
                failed.add(layer.file)
                problems.append(
                    Problem(post.path, layer.line, where, f"{layer.file}: {exc.strerror}")
                )
                continue
            collection, trouble = read_geojson(data, layer.file)
            if collection is not None and not collection["features"]:
                trouble = [Problem(layer.file, 0, "features", "has no feature to draw")]
            if collection is None or trouble:
                failed.add(layer.file)
                problems += trouble
                continue
            found[layer.file] = LayerData(layer.file, digest(data), bounds(collection), collection)
    return found, problems


def bounds(collection: dict[str, Any]) -> tuple[float, float, float, float]:
    """(west, south, east, north) of every position (a checked collection has at least one)."""
    lons: list[float] = []
    lats: list[float] = []

    def walk(node: Any) -> None:
        if node and isinstance(node[0], int | float):
            lons.append(node[0])
            lats.append(node[1])
        else:
            for child in node:
                walk(child)

    for feature in collection["features"]:
        walk(feature["geometry"]["coordinates"])
    if not lons:
        return (0.0, 0.0, 0.0, 0.0)
    return (min(lons), min(lats), max(lons), max(lats))
