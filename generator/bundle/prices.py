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

SCHEMA_NAME = "prices.schema.json"
DATED = ("as_of", "source", "note")
BOUNDS = {"retires": "retires", "new_customers_until": "new_customers_until", "new_jobs_until": "new_jobs_until"}


def data_version(catalog_bytes: bytes) -> str:
    """The first 12 hex digits of the catalog's sha256: the same data, the same version."""
    return hashlib.sha256(catalog_bytes).hexdigest()[:12]


def price_rows(plain: dict) -> list[dict]:
    """A row for every mapping in the catalog that carries ``as_of``, in file order."""
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
    bounds = {**bounds, **{BOUNDS[k]: v for k, v in node.items() if k in BOUNDS and isinstance(v, str)}}
    availability = node.get("availability")
    if isinstance(availability, dict):
        bounds.update({BOUNDS[k]: v for k, v in availability.items() if k in BOUNDS and isinstance(v, str)})
    if "as_of" in node:
        row = {"key": key, "subject": subject, "figures": _figures(node), **bounds}
        row.update({name: node[name] for name in DATED if node.get(name) is not None})
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


def prices_json(plain: dict, catalog_bytes: bytes, catalog_date: str) -> bytes:
    document = {"$schema": SCHEMA_NAME, "data_version": data_version(catalog_bytes), "catalog_date": catalog_date,
                "currency": "USD", "rows": price_rows(plain)}
    return json.dumps(document, indent=1, sort_keys=False, ensure_ascii=False).encode() + b"\n"


FIGURE = {"type": "object", "required": ["low", "high"], "additionalProperties": False,
          "properties": {"low": {"type": "number", "minimum": 0}, "high": {"type": "number", "minimum": 0}}}
DATE = {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$"}
SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": SCHEMA_NAME,
    "title": "Prices of the fine-tune-or-prompt catalog",
    "description": "Every dated price block of the site's data: its figures (USD; per 1M tokens unless the name "
                   "says otherwise, as per_hour does), the date its source showed them, and the source.",
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
            "required": ["key", "subject", "figures", "as_of", "source"],
            "additionalProperties": False,
            "properties": {
                "key": {"type": "string", "description": "Where the block sits in the data: section.id.block"},
                "subject": {"type": ["string", "null"], "description": "The id of the model, offer, GPU or store"},
                "figures": {"type": "object", "additionalProperties": FIGURE},
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
