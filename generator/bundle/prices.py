"""``prices.json``: every price of the catalog as data other tools can read.

One row per dated block of ``data/`` (a model's price, an offer's training or
inference terms, a GPU's hourly rate, an embedding or vector-store price):
its figures, its ``as_of`` and ``source`` (and ``note``), and the dates that
bound it (a model's retirement, an offer's closing dates). Rows are found by
walking the data, so a new priced block is published without a line here.
``prices.schema.json`` (JSON Schema 2020-12) describes the file, and
``data_version`` (a digest of the catalog) names the data a figure was
computed on.
"""

from __future__ import annotations

import hashlib
import json

from .policy import PRICES_SCHEMA as SCHEMA_NAME
DATED = ("as_of", "source", "note")
BOUNDS = ("retires", "new_customers_until", "new_jobs_until")  # dates that bound a price: a retirement, an offer's closing


def data_version(rows: list[dict]) -> str:
    """The first 12 hex digits of the price rows' sha256: the same prices,
    dates and sources, the same version (a reworded summary is no new data)."""
    return hashlib.sha256(json.dumps(rows, sort_keys=True).encode()).hexdigest()[:12]


def price_rows(plain: dict) -> list[dict]:
    """A row for every mapping in the catalog that carries ``as_of``: sections
    by name, rows within one in file order."""
    rows: list[dict] = []
    for section in sorted(plain):
        _collect(plain[section], section, None, {}, rows)
    return rows


def _collect(node, key: str, subject: str | None, bounds: dict, rows: list[dict]) -> None:
    if isinstance(node, list):
        for index, item in enumerate(node):
            name = item.get("id") if isinstance(item, dict) else None
            _collect(item, f"{key}.{name}" if name else f"{key}[{index}]", name or subject, bounds, rows)
        return
    if not isinstance(node, dict):
        return
    bounds = {**bounds, **{k: v for k, v in node.items() if k in BOUNDS and isinstance(v, str)}}
    availability = node.get("availability")
    if isinstance(availability, dict):
        bounds.update({k: v for k, v in availability.items() if k in BOUNDS and isinstance(v, str)})
    if "as_of" in node:
        row = {"key": key, "subject": subject, "figures": _figures(node), "terms": _terms(node), **bounds}
        row.update({name: node[name].strip() for name in DATED if isinstance(node.get(name), str)})
        rows.append(row)
    for name, child in node.items():
        if isinstance(child, (dict, list)) and name != "availability":
            _collect(child, f"{key}.{name}", subject, bounds, rows)


def _figures(block: dict, prefix: str = "") -> dict:
    """The block's numbers as {low, high}, nested rows (a listed tuned price)
    by dotted name; dated sub-blocks are rows of their own."""
    found = {}
    for name, value in block.items():
        if isinstance(value, bool):
            continue
        if isinstance(value, (int, float)):
            found[prefix + name] = {"low": value, "high": value}
        elif isinstance(value, list) and len(value) == 2 and all(isinstance(v, (int, float)) and not isinstance(v, bool)
                                                                for v in value):
            found[prefix + name] = {"low": value[0], "high": value[1]}
        elif isinstance(value, dict) and "as_of" not in value:
            found.update(_figures(value, f"{prefix}{name}."))
    return found


def _terms(block: dict) -> dict:
    """The block's words that qualify its figures (the GPU an offer serves on)."""
    return {name: value for name, value in block.items()
            if isinstance(value, str) and name not in DATED and name not in BOUNDS}


def prices_json(plain: dict, catalog_date: str) -> bytes:
    rows = price_rows(plain)
    document = {"$schema": SCHEMA_NAME, "data_version": data_version(rows), "catalog_date": catalog_date,
                "currency": "USD", "rows": rows}
    return json.dumps(document, indent=1, sort_keys=False, ensure_ascii=False).encode() + b"\n"


FIGURE = {"type": "object", "required": ["low", "high"], "additionalProperties": False,
          "properties": {"low": {"type": "number", "minimum": 0}, "high": {"type": "number", "minimum": 0}}}
DATE = {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$"}
SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": SCHEMA_NAME,
    "title": "Prices of the fine-tune-or-prompt catalog",
    "description": "Every dated price block of the site's data: its figures, the date its source showed them, "
                   "and the source.",
    "type": "object",
    "required": ["data_version", "catalog_date", "currency", "rows"],
    "additionalProperties": False,
    "properties": {
        "$schema": {"type": "string"},
        "data_version": {"type": "string", "pattern": "^[0-9a-f]{12}$",
                         "description": "A digest of the catalog: the same version, the same data."},
        "catalog_date": {**DATE, "description": "The newest date any figure carries."},
        "currency": {"const": "USD"},
        "rows": {"type": "array", "items": {
            "type": "object",
            "required": ["key", "subject", "figures", "terms", "as_of", "source"],
            "additionalProperties": False,
            "properties": {
                "key": {"type": "string", "description": "Where the block sits in the data: section.id.block"},
                "subject": {"type": ["string", "null"], "description": "The id of the model, offer, GPU or store"},
                "figures": {"type": "object", "additionalProperties": FIGURE,
                            "description": "The block's numbers, as data/ holds them: prices in USD per 1M "
                                           "tokens unless the name says otherwise (per_hour, minimum_usd, "
                                           "hosting_per_month_usd); shares such as batch_discount and "
                                           "utilisation from 0 to 1; counts and rates as named."},
                "terms": {"type": "object", "additionalProperties": {"type": "string"},
                          "description": "Words that qualify the figures, such as the GPU id an offer serves on."},
                "as_of": DATE,
                "source": {"type": "string", "pattern": "^https?://"},
                "note": {"type": "string"},
                "retires": DATE,
                "new_customers_until": DATE,
                "new_jobs_until": DATE,
            },
        }},
    },
}


def schema_json() -> bytes:
    return json.dumps(SCHEMA, indent=1).encode() + b"\n"
