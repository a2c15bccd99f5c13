"""Typed reading of YAML mappings, with every problem reported at its line.

Config and front matter share these readers so that a wrong date or a stray key
reads the same wherever it happens.  A reader never raises for bad content: it
records a problem and returns ``None`` so validation can go on.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterable
from datetime import date, datetime, tzinfo
from typing import Any, TypeVar
from urllib.parse import urlsplit

from sitegen.errors import Problems
from sitegen.model import PartialDate
from sitegen.read.yamlio import YamlList, YamlMap

_TRUE = {"true", "True", "TRUE"}
_FALSE = {"false", "False", "FALSE"}
_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
_PARTIAL = re.compile(r"^([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?$")
# Numbers as YAML 1.2's core schema writes them in decimal (``010`` is ten): not YAML 1.1's
# ``1_000``, ``1:30`` or ``0b1``, nor Python's ``1_0``, ``infinity`` or other scripts' digits.
_INTEGER = re.compile(r"[-+]?[0-9]+")
_NUMBER = re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?")
T = TypeVar("T")


def describe(value: Any) -> str:
    """How a wrong value is named in a message."""
    if value is None:
        return "nothing"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    text = str(value)
    return repr(text if len(text) <= 60 else text[:57] + "...")


def suggest(key: str, allowed: Iterable[str]) -> str:
    close = difflib.get_close_matches(key, list(allowed), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


def parse_datetime(text: str, tz: tzinfo) -> datetime | None:
    """ISO 8601 date or date-time; a bare date or naive time is taken in ``tz``."""
    text = text.strip()
    try:
        if _DATE.match(text):
            value = datetime.combine(date.fromisoformat(text), datetime.min.time())
        else:
            value = datetime.fromisoformat(text)
    except ValueError:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=tz)
    return value


class Fields:
    """Reads the keys of one YAML mapping; names fields as ``prefix.key`` in messages."""

    def __init__(self, data: YamlMap, problems: Problems, prefix: str = "") -> None:
        self.data = data
        self.problems = problems
        self.prefix = prefix

    # -- plumbing -------------------------------------------------------------

    def name(self, key: str) -> str:
        return f"{self.prefix}.{key}" if self.prefix else key

    def line(self, key: str) -> int:
        return self.data.line_of(key)

    def error(self, key: str, message: str) -> None:
        self.problems.error(self.line(key), self.name(key), message)

    def warn(self, key: str, message: str) -> None:
        self.problems.warn(self.line(key), self.name(key), message)

    def check_keys(self, allowed: Iterable[str], hint: str = "") -> None:
        allowed = list(allowed)
        for key in self.data:
            if not isinstance(key, str) or key not in allowed:
                self.problems.error(
                    self.data.line_of(key),
                    self.name(str(key)),
                    f"unknown field{suggest(str(key), allowed)}{hint}",
                )

    def _get(self, key: str, required: bool, what: str) -> Any:
        value = self.data.get(key)
        if value is None and required:
            if key in self.data:
                self.error(key, f"expected {what}, got nothing")
            else:
                self.problems.error(
                    self.data.line, self.name(key), f"required field is missing ({what})"
                )
        return value

    # -- scalar readers ---------------------------------------------------------

    def text(self, key: str, *, required: bool = False, default: str | None = None) -> str | None:
        value = self._get(key, required, "text")
        if value is None:
            return default
        if isinstance(value, (dict, list)):
            self.error(key, f"expected text, got {describe(value)}")
            return default
        value = str(value).strip()
        if not value and required:
            self.error(key, "must not be empty")
            return default
        return value

    def boolean(self, key: str, default: bool = False) -> bool:
        value = self.data.get(key)
        if value is None:
            return default
        if isinstance(value, str) and value in _TRUE:
            return True
        if isinstance(value, str) and value in _FALSE:
            return False
        self.error(key, f"expected true or false, got {describe(value)}")
        return default

    def integer(
        self, key: str, *, low: int, high: int, required: bool = False, default: int | None = None
    ) -> int | None:
        value = self._get(key, required, "a whole number")
        if value is None:
            return default
        if isinstance(value, str) and _INTEGER.fullmatch(value.strip()):
            number = int(value)
            if low <= number <= high:
                return number
            self.error(key, f"expected a whole number from {low} to {high}, got {number}")
            return default
        self.error(key, f"expected a whole number, got {describe(value)}")
        return default

    def number(self, key: str, *, low: float, high: float, required: bool = False) -> float | None:
        value = self._get(key, required, f"a number from {low:g} to {high:g}")
        if value is None:
            return None
        text = "" if isinstance(value, (dict, list)) else str(value).strip()
        if not _NUMBER.fullmatch(text):
            self.error(key, f"expected a number, got {describe(value)}")
            return None
        number = float(text)
        if not low <= number <= high:
            self.error(key, f"{number:g} is out of range ({low:g} to {high:g})")
            return None
        return number

    def moment(self, key: str, tz: tzinfo, *, required: bool = False) -> datetime | None:
        what = "a date like 2016-12-03 or a time like 2016-12-03T18:30:00-05:00"
        value = self._get(key, required, what)
        if value is None:
            return None
        parsed = None if isinstance(value, (dict, list)) else parse_datetime(str(value), tz)
        if parsed is None:
            self.error(key, f"expected {what}, got {describe(value)}")
        return parsed

    def day(self, key: str, *, required: bool = False) -> date | None:
        what = "a date like 2016-12-03"
        value = self._get(key, required, what)
        if value is None:
            return None
        text = "" if isinstance(value, (dict, list)) else str(value).strip()
        try:
            if _DATE.match(text):
                return date.fromisoformat(text)
            return datetime.fromisoformat(text).date()
        except ValueError:
            self.error(key, f"expected {what}, got {describe(value)}")
            return None

    def partial_date(self, key: str) -> PartialDate | None:
        """``1844``, ``1844-06`` or ``1844-06-18``: a date as precise as it is known."""
        what = "a date like 1844, 1844-06 or 1844-06-18"
        value = self._get(key, False, what)
        if value is None:
            return None
        text = "" if isinstance(value, (dict, list)) else str(value).strip()
        match = _PARTIAL.match(text)
        try:
            if match is None:
                raise ValueError
            year, month, day = (int(part) if part else None for part in match.groups())
            date(year or 0, month or 1, day or 1)  # a real day of a real month (year 1 on)
            return PartialDate(year or 0, month, day)
        except ValueError:
            self.error(key, f"expected {what}, got {describe(value)}")
            return None

    def url(self, key: str, *, required: bool = False) -> str | None:
        value = self.text(key, required=required)
        if value is None:
            return None
        problem = url_problem(value)
        if problem:
            self.error(key, problem)
            return None
        return value

    def choice(self, key: str, choices: str, what: str) -> str | None:
        value = self.text(key)
        if value is None:
            return None
        if len(value) != 1 or value not in choices:
            self.error(key, f"{describe(value)} is not {what}")
            return None
        return value

    # -- containers ---------------------------------------------------------------

    def mapping(self, key: str) -> YamlMap | None:
        value = self.data.get(key)
        if value is None or isinstance(value, YamlMap):
            return value
        self.error(key, f"expected a mapping, got {describe(value)}")
        return None

    def items(self, key: str) -> YamlList | None:
        """A list; a single value is accepted as a list of one."""
        value = self.data.get(key)
        if value is None:
            return None
        if isinstance(value, YamlList):
            return value
        if isinstance(value, YamlMap):
            self.error(key, f"expected a list, got {describe(value)}")
            return None
        single = YamlList(self.line(key))
        single.append(value)
        single.lines.append(self.line(key))
        return single

    def texts(self, key: str) -> tuple[str, ...]:
        """A list of non-empty strings, duplicates dropped, order kept."""
        values = self.items(key)
        if values is None:
            return ()
        out: list[str] = []
        for index, item in enumerate(values):
            if item is None or isinstance(item, (dict, list)) or not str(item).strip():
                self.problems.error(
                    values.line_of(index),
                    f"{self.name(key)}[{index}]",
                    f"expected text, got {describe(item)}",
                )
                continue
            text = str(item).strip()
            if text not in out:
                out.append(text)
        return tuple(out)


# What str.isspace() calls space (re's \s for text is the same set), and control characters.
_SPACE_OR_CONTROL = re.compile(r"[\s\x00-\x1f]")


def url_problem(value: str) -> str | None:
    """Why a URL is not an absolute http(s) URL, or None."""
    try:
        parts = urlsplit(value)
    except ValueError:
        return f"{describe(value)} is not a valid URL"
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return f"expected an http:// or https:// URL, got {describe(value)}"
    if _SPACE_OR_CONTROL.search(value):
        return f"{describe(value)} contains spaces or control characters"
    return None


def read_registry(
    data: YamlMap,
    problems: Problems,
    prefix: str,
    read_one: Callable[[YamlMap, Problems, str, str], T | None],
) -> dict[str, T]:
    """``id -> mapping`` entries of site.yaml, each read by ``read_one``."""
    registry: dict[str, T] = {}
    for key, value in data.items():
        where = f"{prefix}.{key}"
        if not isinstance(value, YamlMap):
            problems.error(data.line_of(key), where, f"expected a mapping, got {describe(value)}")
            continue
        entry = read_one(value, problems, where, str(key))
        if entry is not None:
            registry[str(key)] = entry
    return registry
