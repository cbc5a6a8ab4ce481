"""Validation problems that name the key path they are about.

The engine only knows key paths (``offers[2].training.per_1m``); the build maps
a path back to the file and line it came from, and the browser shows the
message next to the form field of the same name. Keeping the path structured
(a tuple) rather than a string is what makes that mapping exact.
"""

from __future__ import annotations

from dataclasses import dataclass

Path = tuple  # of str (mapping keys) and int (sequence indexes)


def dotted(path: Path) -> str:
    """``("offers", 2, "training")`` -> ``"offers[2].training"``."""
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text


@dataclass(frozen=True)
class Problem:
    path: Path
    message: str
    # True when the problem is about the key itself (unknown key), so the
    # build points at the key's line rather than at its value's.
    at_key: bool = False

    def __str__(self) -> str:
        return f"{dotted(self.path)}: {self.message}" if self.path else self.message


class Invalid(Exception):
    """Raised with every problem found, never just the first one."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))
