"""Problems as values: every check returns `Diagnostic` records, never prints or raises.

A diagnostic names its place by JSON pointer; a `Locator` (from the reader) turns the pointer
into file:line:column when the diagnostic is shown, so clean runs never pay for locations.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Protocol


class Severity(str, enum.Enum):
    ERROR = "error"
    WARNING = "warning"


class ExitCode(enum.IntEnum):
    """Exit codes, defined once for every command."""

    OK = 0
    FINDINGS = 1  # diagnostics, differences, a stale generated file
    USAGE = 2  # bad arguments, unreadable input, AWS access failed


@dataclass(frozen=True)
class Location:
    file: str
    line: int  # 1-based
    column: int  # 1-based

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"


class Locator(Protocol):
    def locate(self, pointer: str) -> Location | None: ...


@dataclass(frozen=True)
class Diagnostic:
    code: str
    severity: Severity
    message: str
    pointer: str = ""
    location: Location | None = None
    file: str | None = None  # the document's name when no line is known

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def located(self, locator: Locator | None) -> Diagnostic:
        if self.location is not None or locator is None:
            return self
        return replace(self, location=locator.locate(self.pointer))

    def render(self) -> str:
        where = str(self.location) if self.location else (self.file or "<input>")
        ptr = f" [{self.pointer}]" if self.pointer else " [/]"
        return f"{where}: {self.severity.value} {self.code} {self.message}{ptr}"

    def to_json(self) -> dict[str, object]:
        loc = self.location
        return {
            "code": self.code,
            "severity": self.severity.value,
            "message": self.message,
            "pointer": self.pointer,
            "file": loc.file if loc else self.file,
            "line": loc.line if loc else None,
            "column": loc.column if loc else None,
        }


def error(code: str, message: str, pointer: str = "") -> Diagnostic:
    return Diagnostic(code, Severity.ERROR, message, pointer)


def warning(code: str, message: str, pointer: str = "") -> Diagnostic:
    return Diagnostic(code, Severity.WARNING, message, pointer)


def has_errors(diags: Iterable[Diagnostic], strict: bool = False) -> bool:
    return any(d.is_error or strict for d in diags)


def escape_pointer_token(token: str | int) -> str:
    text = token if type(token) is str else str(token)
    if "~" in text or "/" in text:  # rare: most tokens pass as they are, uncopied
        return text.replace("~", "~0").replace("/", "~1")
    return text


def join_pointer(base: str, *tokens: str | int) -> str:
    return base + "".join(["/" + escape_pointer_token(t) for t in tokens])


def pointer_at(base: str, token: str | int) -> str:
    """`join_pointer` for one token, without the tuple and the join: builders call it per node."""
    text = token if type(token) is str else str(token)
    if "~" in text or "/" in text:
        return base + "/" + text.replace("~", "~0").replace("/", "~1")
    return base + "/" + text


def split_pointer(pointer: str) -> list[str]:
    if not pointer:
        return []
    return [t.replace("~1", "/").replace("~0", "~") for t in pointer[1:].split("/")]


@dataclass
class DiagnosticList:
    """A collector that checks append to; keeps document order."""

    items: list[Diagnostic] = field(default_factory=list)

    def add(self, diag: Diagnostic) -> None:
        self.items.append(diag)

    def error(self, code: str, message: str, pointer: str = "") -> None:
        self.items.append(error(code, message, pointer))

    def warning(self, code: str, message: str, pointer: str = "") -> None:
        self.items.append(warning(code, message, pointer))
