"""A decision record: what a team files beside its decision, so that anyone
can see later what was assumed, on which prices, and what came out.

It is the scenario and its whole result (every figure, warning, reason and
flip; the charts, which are drawings of these figures, are left out), with
each price's value, date and source, the data version the prices were read
from (the digest ``prices.json`` carries), the day it was worked out and the
address that reproduces it. Two forms: JSON, the result as the engine gives
it, and CSV, one figure a row with its unit, date and source, for a
spreadsheet, a range written "4 to 8" with its ends in the low and high
columns. A CSV cell that a spreadsheet would take for a formula (it starts
with ``=``, ``+``, ``-`` or ``@``, and is not a plain number) is prefixed
with an apostrophe.
"""

from __future__ import annotations

import csv
import io
import json
import re

from .fields import format_plain
from .vocabulary import FIELDS, OPTION_LABELS

KIND = "ftsite decision record"
VERSION = 1
COLUMNS = ("section", "key", "value", "low", "high", "unit", "as_of", "source")
# The result's sections, in the order a reader weighs them; the rest follow.
ORDER = ("recommendation", "costs", "break_even", "uncertainty", "flip", "what_would_change", "quality", "training",
         "serving", "data", "latency", "options")
LEFT_OUT = ("charts", "scenario", "prices", "query", "catalog")  # drawn, or given their own rows
FORMULA = ("=", "+", "-", "@", "\t", "\r")
NUMBER = re.compile(r"-?\d+(\.\d+)?(e[-+]?\d+)?")


def decision_record(result: dict, data_version: str, made_on: str, address: str) -> dict:
    """The record as one JSON-ready dict."""
    return {"kind": KIND, "version": VERSION, "made_on": made_on, "address": address,
            "data_version": data_version, "catalog_as_of": result["catalog"]["as_of"],
            "recommendation": {"option": result["recommendation"]["option"],
                               "title": result["recommendation"]["title"],
                               "warnings": result["recommendation"]["warnings"]},
            "scenario": result["scenario"], "prices": result["prices"]["used"],
            "result": {key: value for key, value in result.items() if key != "charts"}}


def record_json(record: dict) -> str:
    """The record as JSON text: keys sorted, two-space indents, a final newline."""
    return json.dumps(record, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def record_csv(record: dict) -> str:
    """The record as CSV, a header and one figure a row."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for row in _rows(record):
        writer.writerow([_cell(value) for value in row])
    return out.getvalue()


def _rows(record: dict):
    for key in ("kind", "version", "made_on", "address", "data_version", "catalog_as_of"):
        yield "record", key, record[key], "", "", "", "", ""
    result = record["result"]
    for key, value in record["scenario"].items():
        field = FIELDS.get(key)
        yield ("scenario", key, *_value(value), field.unit if field and field.unit else "", "", "")
    for warning in record["recommendation"]["warnings"]:
        yield "warning", warning["id"], warning["text"], "", "", "", "", ""
    for price in record["prices"]:
        yield ("price", price["what"], *_value(price["value"]), price.get("unit", ""), price.get("as_of", ""),
               price.get("source", ""))
    sections = [key for key in ORDER if key in result] + sorted(key for key in result
                                                                 if key not in ORDER and key not in LEFT_OUT)
    for section in sections:
        for key, value in _flat(result[section], ""):
            yield (section, key, *_value(value), _unit(section, key), "", "")


def _flat(value, prefix: str):
    """(dotted key, leaf) pairs: a {low, high} pair or a [low, high] span is one leaf."""
    if isinstance(value, dict) and not _is_span(value):
        for key, inner in value.items():
            yield from _flat(inner, f"{prefix}.{key}" if prefix else str(key))
    elif isinstance(value, list) and not _is_span(value):
        for index, inner in enumerate(value, 1):
            yield from _flat(inner, f"{prefix}.{index}" if prefix else str(index))
    else:
        yield prefix, value


def _is_span(value) -> bool:
    if isinstance(value, dict):
        return set(value) == {"low", "high"}
    return isinstance(value, list) and len(value) == 2 and all(_number(v) for v in value)


def _number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _value(value) -> tuple:
    """(value as text, low, high): low and high are numbers a spreadsheet can
    add, or empty where that end is open (a break-even never reached)."""
    if isinstance(value, dict):
        value = [value["low"], value["high"]]
    if isinstance(value, list) and len(value) == 2 and all(_number(v) or v is None for v in value) \
            and any(_number(v) for v in value):
        low, high = value
        if low is None or high is None:
            known = format_plain(low if high is None else high)
            return (f"{known} or more" if high is None else f"up to {known}"), _or_empty(low), _or_empty(high)
        return (format_plain(low) if low == high else f"{format_plain(low)} to {format_plain(high)}"), low, high
    if _number(value):
        return format_plain(value), value, value
    if value is None:
        return "", "", ""
    if isinstance(value, bool):
        return ("true" if value else "false"), "", ""
    return str(value), "", ""


def _or_empty(value):
    return "" if value is None else value


def _unit(section: str, key: str) -> str:
    parts = f"{section}.{key}".split(".")
    if any(part.endswith("_usd") for part in parts):
        return "usd"
    if any(part.endswith("_s") for part in parts):
        return "seconds"
    if section == "break_even" or key == "usage.requests_per_month":
        return "requests a month"
    return ""


def _cell(value) -> object:
    """A text a spreadsheet would run as a formula, quoted; a plain number (-300) stays a number."""
    if isinstance(value, str) and value.startswith(FORMULA) and not NUMBER.fullmatch(value):
        return "'" + value
    return value


def file_stem(made_on: str, option: str) -> str:
    """ftsite-decision-2026-12-01-fine_tune: a name that sorts by date."""
    return f"ftsite-decision-{made_on}-{option}" if option in OPTION_LABELS else f"ftsite-decision-{made_on}"
