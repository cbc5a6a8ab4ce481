"""Typed reads of plain values, collecting problems instead of raising.

The catalog schema (model.py) and the scenario schema (scenario.py) both read
untrusted plain data: YAML from editors, JSON from the page, query strings from
shared links. Both use these checks, so a price and a reader's own price are
held to the same rules and described with the same words.
"""

from __future__ import annotations

import difflib

import math
import re
from datetime import date

from .problems import Path, Problem

IDENT = re.compile(r"[a-z0-9][a-z0-9.-]*")
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
FIRST_DAY, LAST_DAY = "1900-01-01", "2999-12-31"  # a date outside these is a typo, and breaks date arithmetic
SMALLEST = 1e-9  # a figure's magnitude: below it, a typo that would overflow a division
# Control characters (but tab and newline) break XML feeds and terminals; a
# lone surrogate cannot be written as UTF-8 at all.
UNPRINTABLE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")


class Bad(ValueError):
    """A value failed a check; the message says what was expected."""


def describe(value: object) -> str:
    """How a value is quoted back to an editor in a message."""
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return repr(value) if len(value) <= 40 else repr(value[:37] + "...")
    if isinstance(value, (int, float)):
        return format_plain(value)
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, (list, tuple)):
        return "a list"
    return type(value).__name__


def format_plain(number: float) -> str:
    if isinstance(number, float) and number.is_integer() and abs(number) < 1e16:
        return str(int(number))
    return str(number)


def number(value: object, minimum: float = 0, maximum: float | None = None) -> float:
    """A finite int or float within bounds (booleans are not numbers)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise Bad(f"must be a number, got {describe(value)}")
    if not math.isfinite(value):
        raise Bad(f"must be a finite number, got {describe(value)}")
    if 0 < abs(value) < SMALLEST:
        raise Bad(f"is too small to be a figure (give 0, or at least {SMALLEST:g}), got {describe(value)}")
    if value < minimum:
        raise Bad(f"must be >= {format_plain(minimum)}, got {describe(value)}")
    if maximum is not None and value > maximum:
        raise Bad(f"must be <= {format_plain(maximum)}, got {describe(value)}")
    return value


def whole(value: object, minimum: int = 0, maximum: int | None = None) -> int:
    """A whole number within bounds; 3.0 is accepted as 3, 2.5 is not."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        bound = f" >= {minimum:,}" if maximum is None else f" from {minimum:,} to {maximum:,}"
        raise Bad(f"must be a whole number{bound}, got {describe(value)}")
    if value < minimum or (maximum is not None and value > maximum):
        bound = f">= {minimum:,}" if maximum is None else f"from {minimum:,} to {maximum:,}"
        raise Bad(f"must be a whole number {bound}, got {describe(value)}")
    return value


def span(value: object, maximum: float | None = None) -> tuple[float, float]:
    """A number, or a ``[low, high]`` pair with low <= high, as (low, high)."""
    if isinstance(value, (list, tuple)):
        if len(value) != 2:
            raise Bad(f"must be a number or [low, high], got a list of {len(value)}")
        low = number(value[0], 0, maximum)
        high = number(value[1], 0, maximum)
        if low > high:
            raise Bad(f"range low {describe(low)} is above high {describe(high)}")
        return (low, high)
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise Bad(f"must be a number or [low, high], got {describe(value)}")
    exact = number(value, 0, maximum)
    return (exact, exact)


def flag(value: object) -> bool:
    if not isinstance(value, bool):
        raise Bad(f"must be true or false, got {describe(value)}")
    return value


def text(value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        raise Bad(f"must be text, got {describe(value)}")
    if UNPRINTABLE.search(value):
        raise Bad(f"must not hold control characters, got {describe(value)}")
    return value.strip()


def names(value: object) -> tuple[str, ...]:
    """A list of names as other tools spell them (``ft:gpt-4o-2024-08-06``),
    each text on one line, none twice."""
    if not isinstance(value, list):
        raise Bad(f"must be a list of names, got {describe(value)}")
    found = tuple(text(item) for item in value)
    twice = sorted({name for name in found if found.count(name) > 1})
    if twice:
        raise Bad(f"names {', '.join(twice)} twice")
    return found


def ident(value: object) -> str:
    if not isinstance(value, str) or not IDENT.fullmatch(value):
        raise Bad(f"must be an id of lowercase letters, digits, '-' and '.', got {describe(value)}")
    return value


def iso_date(value: object) -> str:
    """A calendar date written YYYY-MM-DD, from 1900 to 2999, kept as that text."""
    if isinstance(value, str) and ISO_DATE.fullmatch(value):
        try:
            date.fromisoformat(value)
        except ValueError:
            pass
        else:
            if FIRST_DAY <= value <= LAST_DAY:
                return value
            raise Bad(f"must be a date from {FIRST_DAY} to {LAST_DAY}, got {describe(value)}")
    raise Bad(f"must be a date written YYYY-MM-DD, got {describe(value)}")


def web_url(value: object) -> str:
    if isinstance(value, str) and re.fullmatch(r"https?://[^\s/]+\.[^\s]+", value) and not UNPRINTABLE.search(value):
        return value
    raise Bad(f"must be an http(s) URL, got {describe(value)}")


def choice(value: object, options: tuple[str, ...]) -> str:
    if value not in options:
        raise Bad(f"must be one of {', '.join(options)}, got {describe(value)}")
    return value


_ABSENT = object()


class Record:
    """One mapping at ``path``: typed reads, then ``finish()`` reports unknown keys.

    Each read names its key once, so the set of known keys is exactly the set
    of keys read; there is no second list to keep in step with the schema.
    """

    def __init__(self, data: object, path: Path, problems: list[Problem]):
        self.path = path
        self.problems = problems
        self.known: list[str] = []
        if isinstance(data, dict):
            self.data = data
        else:
            problems.append(Problem(path, f"must be a mapping, got {describe(data)}"))
            self.data = {}

    def read(self, key: str, check, *args, required: bool = True, default=None):
        """``check(value, *args)`` on the key's value; default when absent."""
        self.known.append(key)
        value = self.data.get(key, _ABSENT)
        if value is _ABSENT or value is None:
            if required:
                got = "" if value is _ABSENT else ", got nothing"
                self.problems.append(Problem(self.path + (key,), f"is required{got}"))
            return default
        try:
            return check(value, *args)
        except Bad as error:
            self.problems.append(Problem(self.path + (key,), str(error)))
            return default

    def ids(self, key: str, required: bool = True) -> tuple[str, ...]:
        """A list of ids, each checked where it stands."""
        values = self.read(key, _as_list, required=required, default=[])
        found = []
        for index, value in enumerate(values):
            try:
                found.append(ident(value))
            except Bad as error:
                self.problems.append(Problem(self.path + (key, index), str(error)))
        return tuple(found)

    def sub(self, key: str, required: bool = True) -> "Record | None":
        """The nested mapping at ``key`` as a Record, or None when absent."""
        self.known.append(key)
        value = self.data.get(key)
        if value is None:
            if required:
                self.problems.append(Problem(self.path + (key,), "is required"))
            return None
        return Record(value, self.path + (key,), self.problems)

    def items(self, key: str, required: bool = True) -> list[tuple[object, Path]]:
        """The entries of the list at ``key`` with their paths."""
        values = self.read(key, _as_list, required=required, default=[])
        return [(value, self.path + (key, index)) for index, value in enumerate(values)]

    def has(self, key: str) -> bool:
        return self.data.get(key) is not None

    def finish(self) -> None:
        """Reports every key no read asked for. A misspelt key gets the known
        key it is nearest to, and that key's "is required" goes: one mistake,
        one message."""
        for key in self.data:
            if key in self.known:
                continue
            suggestion = nearest(str(key), [k for k in self.known if k not in self.data])
            if suggestion:
                missing = Problem(self.path + (suggestion,), "is required")
                self.problems[:] = [p for p in self.problems if p != missing]
                message = f"unknown key; did you mean {suggestion}?"
            else:
                message = f"unknown key (expected one of: {', '.join(sorted(self.known))})"
            self.problems.append(Problem(self.path + (str(key),), message, at_key=True))


def nearest(word: str, known: list[str]) -> str | None:
    """The known key ``word`` most likely misspells (per_1M -> per_1m), if any is close."""
    folded = {k.lower().replace("-", "_"): k for k in known}
    if word.lower().replace("-", "_") in folded:
        return folded[word.lower().replace("-", "_")]
    close = difflib.get_close_matches(word.lower(), list(folded), n=1, cutoff=0.75)
    return folded[close[0]] if close else None


def _as_list(value: object) -> list:
    if not isinstance(value, list):
        raise Bad(f"must be a list, got {describe(value)}")
    return value
