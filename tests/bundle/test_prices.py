"""site/prices.json: every price of data/ with its date and source, valid
against the JSON Schema published beside it."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema

from conftest import ROOT, TODAY
from generator.pipeline.data import parse_data
from generator.pipeline.sources import read_data


def dated_blocks(node) -> int:
    """How many mappings of the plain data carry an as_of."""
    if isinstance(node, dict):
        return ("as_of" in node) + sum(dated_blocks(child) for child in node.values())
    if isinstance(node, list):
        return sum(dated_blocks(child) for child in node)
    return 0


def test_prices_json_validates_against_its_schema_and_holds_every_price(built_site: Path):
    prices = json.loads((built_site / "prices.json").read_text())
    schema = json.loads((built_site / "prices.schema.json").read_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.Draft202012Validator(schema).validate(prices)

    data = parse_data(read_data(ROOT), TODAY)
    rows = {row["key"]: row for row in prices["rows"]}
    assert len(rows) == len(prices["rows"]) == dated_blocks(data.plain)
    for model in data.catalog.models.values():
        if model.price is not None:
            row = rows[f"models.{model.id}.price"]
            assert row["figures"]["input_per_1m"] == {"low": model.price.input_per_1m[0], "high": model.price.input_per_1m[1]}
            assert (row["as_of"], row["source"], row.get("retires")) == (model.price.as_of, model.price.source, model.retires)
    for offer in data.catalog.offers.values():
        training, inference = rows[f"offers.{offer.id}.training"], rows[f"offers.{offer.id}.inference"]
        assert training["as_of"] == offer.training.as_of and inference["source"] == offer.inference.source
        assert training.get("new_jobs_until") == (offer.availability.new_jobs_until if offer.availability else None)
        for model_id, listed in offer.inference.listed.items():
            assert inference["figures"][f"listed.{model_id}.output_per_1m"]["high"] == listed.output_per_1m[1]
    for gpu in data.catalog.gpus.values():
        assert rows[f"gpus.{gpu.id}"]["figures"]["per_hour"]["low"] == gpu.per_hour[0]
    assert prices["catalog_date"] == data.catalog.as_of


def test_the_data_version_names_the_catalog_and_the_pricing_page_links_the_file(built_site: Path):
    prices = json.loads((built_site / "prices.json").read_text())
    pricing = (built_site / "pricing" / "index.html").read_text()
    assert 'href="/prices.json"' in pricing and 'href="/prices.schema.json"' in pricing
    assert f"data version <code>{prices['data_version']}</code>" in pricing
    assert f"data version {prices['data_version']}" in (built_site / "feed.xml").read_text()
