"""YAML for editors: line numbers kept, YAML 1.1 surprises removed.

Every plain scalar stays a string (so ``NO``, ``yes``, ``on`` or ``1:20`` are
never booleans or sexagesimal numbers); the typed field readers in
:mod:`sitegen.read.fields` decide what a value means, and read numbers as YAML
1.2's core schema writes them in decimal (``1_0`` and ``0x1A`` are not numbers).
Mappings and lists remember the file line of each entry, duplicate keys are
errors, and aliases may not expand into more data than front matter plausibly
holds.
"""

from __future__ import annotations

from typing import Any

import yaml

from sitegen.errors import Problems

_Base: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

# Front matter and site.yaml are small; an alias bomb is not.
MAX_NODES = 50_000
MAX_DEPTH = 64  # levels of nesting: far more than any front matter needs


class YamlMap(dict):
    """A mapping that knows the file line of itself and of each key."""

    def __init__(self, line: int = 0) -> None:
        super().__init__()
        self.line = line
        self.lines: dict[Any, int] = {}

    def line_of(self, key: Any) -> int:
        return self.lines.get(key, self.line)


class YamlList(list):
    """A list that knows the file line of itself and of each item."""

    def __init__(self, line: int = 0) -> None:
        super().__init__()
        self.line = line
        self.lines: list[int] = []

    def line_of(self, index: int) -> int:
        return self.lines[index] if 0 <= index < len(self.lines) else self.line


class _Loader(_Base):  # type: ignore[misc, valid-type]
    line_offset = 0

    def _line(self, node: yaml.Node) -> int:
        return self.line_offset + node.start_mark.line + 1


# Only null and the merge key are resolved implicitly; everything else is a string.
_Loader.yaml_implicit_resolvers = {}
for _first, _resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items():
    _kept = [
        (tag, regexp)
        for tag, regexp in _resolvers
        if tag in ("tag:yaml.org,2002:null", "tag:yaml.org,2002:merge")
    ]
    if _kept:
        _Loader.yaml_implicit_resolvers[_first] = _kept


class _Duplicate(yaml.MarkedYAMLError):
    """A key given twice in one mapping; ``key`` names it for the error's field."""

    key = ""


def _construct_map(loader: _Loader, node: yaml.MappingNode):  # type: ignore[no-untyped-def]
    data = YamlMap(loader._line(node))
    yield data
    loader.flatten_mapping(node)
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=False)
        if isinstance(key, (dict, list)):
            raise yaml.constructor.ConstructorError(
                None, None, "a mapping key must be a plain value", key_node.start_mark
            )
        if key in data:
            error = _Duplicate(
                None,
                None,
                f"duplicate key (first given on line {data.lines[key]})",
                key_node.start_mark,
            )
            error.key = str(key)
            raise error
        data[key] = loader.construct_object(value_node, deep=False)
        data.lines[key] = loader._line(key_node)


def _construct_list(loader: _Loader, node: yaml.SequenceNode):  # type: ignore[no-untyped-def]
    data = YamlList(loader._line(node))
    yield data
    for item in node.value:
        data.append(loader.construct_object(item, deep=False))
        data.lines.append(loader._line(item))


_Loader.add_constructor("tag:yaml.org,2002:map", _construct_map)
_Loader.add_constructor("tag:yaml.org,2002:seq", _construct_list)
# Explicit tags that would produce values no field accepts are refused outright.
for _tag in ("binary", "set", "omap", "pairs", "timestamp", "bool", "int", "float"):
    _Loader.add_constructor(f"tag:yaml.org,2002:{_tag}", _Loader.construct_yaml_str)


def _too_deep(node: yaml.Node) -> yaml.MarkedYAMLError:
    return yaml.composer.ComposerError(
        None, None, f"nested more than {MAX_DEPTH} levels deep", node.start_mark
    )


def _count_nodes(root: yaml.Node) -> int:
    """Size of the document once aliases are expanded; raises on cycles, bombs and depth."""
    measured: dict[int, tuple[int, int]] = {}  # node id -> (size, height)
    active: set[int] = set()

    def measure(node: yaml.Node) -> tuple[int, int]:
        key = id(node)
        if key in measured:
            return measured[key]
        if key in active:
            raise yaml.composer.ComposerError(
                None, None, "a YAML alias refers to itself", node.start_mark
            )
        active.add(key)
        if isinstance(node, yaml.SequenceNode):
            children = node.value
        elif isinstance(node, yaml.MappingNode):
            children = [child for pair in node.value for child in pair]
        else:
            children = []
        total, height = 1, 1
        for child in children:
            size, below = measure(child)
            total, height = total + size, max(height, below + 1)
        active.discard(key)
        if total > MAX_NODES:
            raise yaml.composer.ComposerError(
                None,
                None,
                f"YAML aliases expand to more than {MAX_NODES} values",
                node.start_mark,
            )
        if height > MAX_DEPTH:
            raise _too_deep(node)
        measured[key] = (total, height)
        return total, height

    return measure(root)[0]


class _Unusual(Exception):
    """A node that ``_plain`` leaves to PyYAML's constructor."""


_STR, _NULL, _MAP, _SEQ = (f"tag:yaml.org,2002:{name}" for name in ("str", "null", "map", "seq"))


def _plain(node: yaml.Node, offset: int, depth: int = 1) -> Any:
    """What the loader's constructors make of a tree of strings, nulls, mappings and lists.

    PyYAML's constructor makes the same values through a generator per
    collection and a constructor lookup per node: a tenth of reading a post.
    Anything else (another tag, a merge or null key, a key given twice) raises
    _Unusual, and the document goes to PyYAML, whose errors are the ones reported.
    """
    kind = node.__class__
    tag = node.tag
    if kind is yaml.ScalarNode:
        if tag == _STR:
            return node.value
        if tag == _NULL:
            return None
        raise _Unusual
    if depth > MAX_DEPTH:
        raise _too_deep(node)
    line = offset + node.start_mark.line + 1
    if kind is yaml.MappingNode and tag == _MAP:
        mapping = YamlMap(line)
        for key_node, value_node in node.value:
            if key_node.__class__ is not yaml.ScalarNode or key_node.tag != _STR:
                raise _Unusual
            key = key_node.value
            if key in mapping:
                raise _Unusual
            mapping[key] = _plain(value_node, offset, depth + 1)
            mapping.lines[key] = offset + key_node.start_mark.line + 1
        return mapping
    if kind is yaml.SequenceNode and tag == _SEQ:
        items = YamlList(line)
        for item in node.value:
            items.append(_plain(item, offset, depth + 1))
            items.lines.append(offset + item.start_mark.line + 1)
        return items
    raise _Unusual


def load(text: str, problems: Problems, line_offset: int = 0, field: str = "") -> Any:
    """Parse one YAML document; report problems with file lines and return None on error."""
    loader = _Loader(text)
    loader.line_offset = line_offset
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        if "*" in text:  # only an alias (``*name``) can repeat a node or close a cycle
            _count_nodes(node)
        try:
            return _plain(node, line_offset)
        except _Unusual:
            _count_nodes(node)  # for its depth limit, which _plain had not finished checking
            return loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = line_offset + mark.line + 1 if mark else line_offset + 1
        message = exc.problem or exc.context or "invalid YAML"
        if isinstance(exc, _Duplicate):
            problems.error(line, f"{field}.{exc.key}" if field else exc.key, message)
        else:
            if "mapping values are not allowed" in message:
                message += " (a value containing ': ' must be in quotes)"
            problems.error(line, field, f"invalid YAML: {message}")
    except yaml.YAMLError as exc:
        problems.error(line_offset + 1, field, f"invalid YAML: {exc}")
    except RecursionError:
        problems.error(line_offset + 1, field, "invalid YAML: nested too deeply")
    finally:
        loader.dispose()
    return None
