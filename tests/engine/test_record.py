"""The decision record: the scenario and its result, with every price's date
and source, as JSON and as CSV."""

from __future__ import annotations

import csv
import io
import json

from generator.engine import api
from generator.engine.record import COLUMNS, decision_record, record_csv

from .conftest import TODAY, session


def rows(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text)))


def test_the_record_carries_the_scenario_its_result_and_each_prices_date_and_source(catalog):
    result = api.evaluate(catalog, {"training.examples": 50, "prices.train_per_1m": [4, 8]}, TODAY)
    kept = decision_record(result, "0123456789ab", TODAY, "https://example.org/costs/?training.examples=50")
    assert (kept["kind"], kept["version"], kept["data_version"], kept["made_on"]) == \
        ("ftsite decision record", 1, "0123456789ab", TODAY)
    assert kept["scenario"]["training.examples"] == 50 and kept["result"]["costs"] == result["costs"]
    assert "charts" not in kept["result"] and kept["result"]["uncertainty"] == result["uncertainty"]
    assert {w["id"] for w in kept["recommendation"]["warnings"]} >= {"tiny_dataset"}
    listed = {price["what"]: price for price in kept["prices"]}
    assert listed["Big input per 1M"]["as_of"] == "2026-10-01"
    assert listed["Big input per 1M"]["source"] == "https://acme.example.com/pricing"

    table = rows(record_csv(kept))
    assert list(table[0]) == list(COLUMNS)
    by_key = {(row["section"], row["key"]): row for row in table}
    assert by_key[("record", "data_version")]["value"] == "0123456789ab"
    assert by_key[("scenario", "training.examples")]["value"] == "50"
    price = by_key[("price", "Big input per 1M")]
    assert (price["low"], price["high"], price["unit"], price["as_of"], price["source"]) == \
        ("2.5", "2.5", "usd", "2026-10-01", "https://acme.example.com/pricing")
    own = by_key[("price", "Acme tuning of Big: training per 1M tokens")]
    assert (own["value"], own["low"], own["high"], own["source"]) == ("4 to 8", "4.0", "8.0", "your own figure")
    horizon = result["costs"]["horizon_usd"]["fine_tune"]
    row = by_key[("costs", "horizon_usd.fine_tune")]
    assert (float(row["low"]), float(row["high"]), row["unit"]) == (horizon["low"], horizon["high"], "usd")
    assert by_key[("warning", "tiny_dataset")]["value"].startswith("50 examples will barely move a model")
    assert by_key[("break_even", "requests_per_month")]["unit"] == "requests a month"


def test_a_cell_a_spreadsheet_would_run_as_a_formula_is_quoted_and_a_negative_number_is_not(catalog):
    result = api.evaluate(catalog, {"prices.train_per_1m": [4, 10]}, TODAY)
    kept = decision_record(result, "v", TODAY, "=HYPERLINK(\"https://evil.example\")")
    by_key = {(row["section"], row["key"]): row for row in rows(record_csv(kept))}
    assert by_key[("record", "address")]["value"] == "'=HYPERLINK(\"https://evil.example\")"
    low_end = by_key[("uncertainty", "swings.1.gap_at_low")]
    assert (low_end["value"], low_end["low"]) == ("-300", "-300.0")  # a number, not text


def test_a_range_open_at_one_end_keeps_its_known_end_as_a_number(catalog):
    result = api.evaluate(catalog, {"prices.tuned_input_per_1m": [3, 6]}, TODAY)  # at $6 it never pays
    even = result["break_even"]["requests_per_month"]
    assert even["high"] is None and even["low"] is not None
    row = {(r["section"], r["key"]): r for r in rows(record_csv(decision_record(result, "v", TODAY, "")))}[
        ("break_even", "requests_per_month")]
    assert (row["value"], row["low"], row["high"]) == (f"{even['low']} or more", str(even["low"]), "")


def test_the_session_writes_the_readers_record_and_names_the_fields_it_could_not_read():
    request = {"fields": {"training.examples": "20000", "usage.output_tokens": "lots"}, "today": "2026-12-01",
               "data_version": "0123456789ab", "address": "http://127.0.0.1/costs/?training.examples=20000"}
    made = json.loads(session().record(json.dumps(request)))
    kept = json.loads(made["json"])
    assert kept["made_on"] == "2026-12-01" and kept["scenario"]["training.examples"] == 20000
    assert kept["address"] == request["address"] and made["stem"] == f"ftsite-decision-2026-12-01-{kept['recommendation']['option']}"
    assert list(made["errors"]) == ["usage.output_tokens"]
    assert rows(made["csv"])[0]["key"] == "kind"
