"""``ftsite check --drift FILE``: the catalog's prices against a public price list.

The list is one the editor has downloaded, in LiteLLM's
``model_prices_and_context_window.json`` format: a JSON object whose keys
are model names and whose values give USD per token
(``input_cost_per_token``, ``output_cost_per_token``,
``cache_read_input_token_cost``) and, where known, a ``deprecation_date``.
Nothing is fetched and nothing is guessed: a catalog row is compared only
with the list's rows it names in its ``aliases``. Each difference is one line
at the catalog's own ``path:line``, for the editor to check against the
vendor's page; the list is a prompt to look, not a source to copy.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path

from ..errors import BuildError, SourceError
from ..pipeline.data import Data
from ..pipeline.sources import utf8_text

# (our key, the list's key), every price per 1M tokens on our side, per token on theirs
PRICES = (("input_per_1m", "input_cost_per_token"), ("cached_input_per_1m", "cache_read_input_token_cost"),
          ("output_per_1m", "output_cost_per_token"))
PER_TOKEN = 1e6
SAME = 1e-6  # relative: a price list's float per token, times a million, is ours to about this


@dataclass(frozen=True)
class Row:
    """One of the list's entries: its name and the figures ftsite compares."""

    name: str
    prices: dict  # our key -> USD per 1M tokens
    deprecation: str | None


def read_list(path: Path) -> dict[str, dict]:
    """The price list as {name: entry}; raises BuildError naming the file
    (and line, for JSON that does not parse)."""
    label = str(path)
    try:
        data = path.read_bytes()
    except OSError as error:
        raise BuildError([SourceError(label, None, f"cannot read the price list: {error.strerror or error}")]) from None
    try:
        value = json.loads(utf8_text(data, label))
    except json.JSONDecodeError as error:
        raise BuildError([SourceError(label, error.lineno, f"not valid JSON: {error.msg} (column {error.colno})")]) from None
    except RecursionError:
        raise BuildError([SourceError(label, None, "nested too deeply to read")]) from None
    except ValueError as error:  # an integer of thousands of digits
        raise BuildError([SourceError(label, None, f"not readable: {error}")]) from None
    if not isinstance(value, dict):
        raise BuildError([SourceError(label, 1, "must be a JSON object of model names, as LiteLLM's "
                                                "model_prices_and_context_window.json is")])
    return value


def row_of(table: dict[str, dict], name: str, label: str) -> Row | None:
    """The list's entry for ``name`` as a Row, or None when the list has no such
    entry; raises BuildError when the entry is there but not readable."""
    entry = table.get(name)
    if entry is None:
        return None
    if not isinstance(entry, dict):
        raise BuildError([SourceError(label, None, f"{name}: must be an object of prices, got {type(entry).__name__}")])
    prices = {}
    for ours, theirs in PRICES:
        value = entry.get(theirs)
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) or value < 0:
            raise BuildError([SourceError(label, None, f"{name}.{theirs}: must be a price per token, got {value!r}")])
        prices[ours] = value * PER_TOKEN
    deprecation = entry.get("deprecation_date")
    return Row(name, prices, deprecation if isinstance(deprecation, str) and deprecation else None)


def differences(data: Data, table: dict[str, dict], label: str) -> tuple[list[SourceError], int]:
    """Every price and retirement date of the catalog that differs from the
    rows its aliases name, at the catalog's line; and how many rows of the
    list were compared (none means the list is not one the aliases name)."""
    found: list[SourceError] = []
    matched = 0
    for index, plain in enumerate(data.plain.get("models") or []):
        model, path = data.catalog.models[plain["id"]], ("models", index)
        for alias in model.aliases:
            row = row_of(table, alias, label)
            if row is None:
                continue
            matched += 1
            if model.price is not None:
                found += _prices(data, path + ("price",), f"{model.id}.price", model.price, row)
            if row.deprecation and row.deprecation != model.retires:
                found.append(_at(data, path + ("retires",), f"{model.id}.retires: ours {model.retires or 'none'} vs "
                                                          f"list {row.deprecation} ({row.name})"))
    for index, plain in enumerate(data.plain.get("offers") or []):
        offer = data.catalog.offers[plain["id"]]
        for model_id, aliases in offer.inference.aliases.items():
            for alias in aliases:
                row = row_of(table, alias, label)
                if row is not None:
                    matched += 1
                    path = ("offers", index, "inference", "listed", model_id)
                    found += _prices(data, path, f"{offer.id}.inference.listed.{model_id}",
                                     offer.inference.listed[model_id], row)
    return found, matched


def _prices(data: Data, path: tuple, name: str, price, row: Row) -> list[SourceError]:
    found = []
    for key, theirs in row.prices.items():
        ours = getattr(price, key)
        if ours is None or not ours[0] * (1 - SAME) <= theirs <= ours[1] * (1 + SAME):
            found.append(_at(data, path + (key,), f"{name}.{key}: ours {_span(ours)}"
                                                  f"{f' (as_of {price.as_of})' if price.as_of else ''} vs list "
                                                  f"{_figure(theirs)} ({row.name})"))
    return found


def _at(data: Data, path: tuple, message: str) -> SourceError:
    """The message at the line of ``path`` (or of the block holding it)."""
    lines = data.lines[path[0]]
    return SourceError(lines.file, lines.line(path), message)


def _span(value) -> str:
    if value is None:
        return "none"
    low, high = value
    return _figure(low) if low == high else f"{_figure(low)}-{_figure(high)}"


def _figure(value: float) -> str:
    """2.50, 0.075, 1.875: at least cents, as many decimals as the figure has."""
    text = f"{value:.6f}".rstrip("0")
    whole, _, decimals = text.partition(".")
    return f"{whole}.{decimals.ljust(2, '0')}"
