"""What readers type in forms and URLs: read leniently where the meaning is
clear, refused with a message naming the field where it is not."""

from __future__ import annotations

import json

import pytest

from generator.engine import api
from generator.engine.fields import Bad
from generator.engine.scenario import FIELDS, as_text, parse_text, query_string

from .conftest import plain_catalog


@pytest.mark.parametrize("key,text,value", [
    ("training.examples", "50,000", 50000),
    ("training.examples", " 50_000 ", 50000),
    ("training.examples", "5e4", 50000),
    ("prices.train_per_1m", "4-8", [4, 8]),
    ("prices.train_per_1m", "4 – 8", [4, 8]),
    ("prices.train_per_1m", "$25", [25, 25]),
    ("prices.baseline_input_per_1m", "2.50", 2.5),
    ("answers.tried_prompting", "Yes", True),
    ("answers.tried_prompting", "false", False),
    ("answers.knowledge_problem", "", None),
    ("answers.goal", "code", "code"),
])
def test_form_text_is_read(catalog, key, text, value):
    assert parse_text(FIELDS[key], text, catalog) == value


@pytest.mark.parametrize("key,text,message", [
    ("training.examples", "lots", "must be a whole number from 1 to 100,000,000, got 'lots'"),
    ("training.examples", "0", "must be a whole number from 1 to 100,000,000, got 0"),
    ("training.examples", "2.5", "got 2.5"),
    ("training.epochs", "1e9", "must be a whole number from 1 to 100"),
    ("prices.train_per_1m", "8-4", "range low 8 is above high 4"),
    ("prices.train_per_1m", "nan", "must be a finite number"),
    ("prices.train_per_1m", "-3", "must be >= 0, got -3"),
    ("answers.tried_prompting", "maybe", "must be yes or no, got 'maybe'"),
    ("training.offer", "<script>alert(1)</script>", "must be one of the catalog's offers"),
])
def test_bad_form_text_is_refused(catalog, key, text, message):
    with pytest.raises(Bad) as refused:
        parse_text(FIELDS[key], text, catalog)
    assert message in str(refused.value)


def test_every_value_reads_back_from_its_text(catalog):
    for key, field in FIELDS.items():
        value = catalog.defaults.get(key)
        assert parse_text(field, as_text(field, value), catalog) == value, key


def test_query_holds_only_what_differs_from_the_defaults(catalog):
    values = {**catalog.defaults, "training.examples": 1000, "prices.train_per_1m": [4, 8]}
    assert query_string(catalog, values) == "training.examples=1000&prices.train_per_1m=4-8"
    assert query_string(catalog, catalog.defaults) == ""


def test_session_reports_bad_fields_and_computes_the_rest():
    session = api.Session(json.dumps(plain_catalog()))
    reply = json.loads(session.handle(json.dumps({"fields": {
        "training.examples": "abc", "training.runs": "7", "utm_source": "x", "usage.tuned_model": "small"}})))
    assert set(reply["errors"]) == {"training.examples", "usage.tuned_model"}
    assert "does not tune 'small'" in reply["errors"]["usage.tuned_model"]
    assert reply["result"]["training"]["runs"] == 7
    assert reply["result"]["scenario"]["training.examples"] == 50000
    assert reply["result"]["query"] == "training.runs=7"
    assert reply["fields"]["training.runs"] == "7"
