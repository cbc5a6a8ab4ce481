"""Errors an editor can act on: ``path:line: what is wrong``.

Every stage collects its errors and raises them together as one BuildError,
so a broken price and a broken template are reported in the same run, and the
command line prints them without a traceback.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class SourceError:
    path: str  # relative to the project, with forward slashes
    line: int | None
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.message}"


class BuildError(Exception):
    """One or more SourceErrors; the build stops before writing anything."""

    def __init__(self, errors: list[SourceError]):
        self.errors = sorted(set(errors), key=lambda e: (e.path, e.line or 0, e.message))
        super().__init__("\n".join(str(e) for e in self.errors))


def fail_if(errors: list[SourceError]) -> None:
    if errors:
        raise BuildError(errors)
