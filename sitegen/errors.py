"""One error family for everything the editor can get wrong.

Content problems are collected as :class:`Problem` values so that a run reports
all of them at once; :class:`SitegenError` carries them to the CLI, which is the
only place that prints them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

EXIT_CONTENT = 1
EXIT_USAGE = 2


@dataclass(frozen=True, order=True)
class Problem:
    """One finding: ``path:line: field: message``."""

    path: str
    line: int
    field: str
    message: str
    warning: bool = False

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        what = f"{self.field}: {self.message}" if self.field else self.message
        tag = "warning: " if self.warning else ""
        return f"{where}: {tag}{what}"


class SitegenError(Exception):
    """Base of every error sitegen reports to the editor (never a traceback)."""

    exit_code = EXIT_CONTENT

    def __init__(self, message: str = "", problems: Iterable[Problem] = ()) -> None:
        self.problems = sorted(problems)
        super().__init__(message or "\n".join(str(p) for p in self.problems))


class ContentError(SitegenError):
    """Posts, config or templates are wrong; ``problems`` lists every finding."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        super().__init__("", problems)


class UsageError(SitegenError):
    """The command line or the working directory is wrong."""

    exit_code = EXIT_USAGE


class OutputError(SitegenError):
    """sitegen refuses to write where it was asked to (to protect the editor's files)."""


@dataclass
class Problems:
    """Collects problems for one file so validation can go on after the first."""

    path: str
    items: list[Problem] = field(default_factory=list)

    def error(self, line: int, field_name: str, message: str) -> None:
        self.items.append(Problem(self.path, line, field_name, message))

    def warn(self, line: int, field_name: str, message: str) -> None:
        self.items.append(Problem(self.path, line, field_name, message, warning=True))

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.items if not p.warning]
