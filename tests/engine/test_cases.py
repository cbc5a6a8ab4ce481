"""Table-driven engine cases: every path of the flow, every warning, and the
worked examples. The tables are the YAML files under cases/."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
import yaml

from generator.engine import evaluate
from generator.engine.display import flat

CASES = [(path.stem, case) for path in sorted((Path(__file__).parent / "cases").glob("*.yaml"))
         for case in yaml.safe_load(path.read_text())]
WARNINGS = {"no_eval", "tiny_dataset", "few_runs", "offer_closing", "offer_closed", "stale_price", "model_retiring",
            "cache_cold", "answers_conflict"}


def _at(result: dict, key: str):
    """result["a"]["b"] for key "a.b" (keys may hold dots only between levels)."""
    node = result
    for part in key.split("."):
        node = node[part]
    return node


def _same(actual, expected) -> bool:
    if isinstance(expected, dict) and isinstance(actual, dict):
        return actual.keys() == expected.keys() and all(_same(actual[k], expected[k]) for k in expected)
    if isinstance(expected, (int, float)) and isinstance(actual, (int, float)) and not isinstance(actual, bool):
        return math.isclose(actual, expected, rel_tol=1e-9, abs_tol=1e-9)
    return actual == expected


@pytest.mark.parametrize("table,case", CASES, ids=[f"{t}: {c['name']}" for t, c in CASES])
def test_case(table: str, case: dict, catalog):
    result = evaluate(catalog, case["scenario"])
    expect = case["expect"]
    shown = flat(result)
    for key, value in expect.items():
        if key == "path":
            assert [step["key"] for step in result["recommendation"]["path"]] == value
        elif key == "warnings":
            assert [w["id"] for w in result["recommendation"]["warnings"]] == value
        elif key == "warning_text":
            texts = {w["id"]: w["text"] for w in result["recommendation"]["warnings"]}
            for warning, fragment in value.items():
                assert fragment in texts[warning], texts[warning]
        elif key == "reasons_mention":
            assert any(value in reason for reason in result["recommendation"]["reasons"])
        elif key == "values":
            for name, expected in value.items():
                assert _same(_at(result, name), expected), (name, _at(result, name), expected)
        elif key == "close":  # {key: [value, tolerance]}: a figure drawn at random, within its stated error
            for name, (expected, tolerance) in value.items():
                assert abs(_at(result, name) - expected) <= tolerance, (name, _at(result, name), expected)
        elif key == "shown":
            for name, expected in value.items():
                assert shown[name] == expected, (name, shown[name])
        else:
            assert _same(_at(result, key), value), (key, _at(result, key))


def test_every_flow_outcome_and_warning_is_covered():
    outcomes = {c["expect"].get("recommendation.id") for t, c in CASES}
    warnings = {w for t, c in CASES for w in c["expect"].get("warnings", [])}
    assert {"prompt", "rag", "fine_tune", "fine_tune_small", "fine_tune_rag"} <= outcomes
    assert {"no_eval", "tiny_dataset", "few_runs", "offer_closing", "offer_closed", "stale_price", "model_retiring",
            "cache_cold", "answers_conflict", "licence"} <= warnings


def test_the_volume_that_changes_the_answer_is_the_break_even(catalog):
    """Where no price is a range and prompting and fine-tuning are the two
    options that trade places, flip.usage.requests_per_month is the
    break-even volume, to the request (a tie goes to prompting, so the flip
    may be one request later), on whole GPUs too: there the gap is a saw, and
    the flip is the volume from which fine-tuning stays the cheaper, with the
    first, passing crossing said beside it."""
    checked = saws = 0
    for _table, case in CASES:
        result = evaluate(catalog, case["scenario"])
        even, flip = result["break_even"]["requests_per_month"], result["flip"]["usage"]["requests_per_month"]
        totals = result["costs"]["horizon_usd"]
        exact = all(figure["low"] == figure["high"] for figure in totals.values())
        cheapest = min(totals, key=lambda k: totals[k]["low"])
        if not exact or even is None or flip is None or cheapest not in ("prompt", "fine_tune"):
            continue  # not a prompting-against-fine-tuning crossing at exact prices
        volume = result["scenario"]["usage.requests_per_month"]
        crossing_at = flip if flip > volume else flip + 1  # searching down, the flip is the other side's last value
        assert abs(crossing_at - even["low"]) <= 1, (case["name"], flip, even)
        saws += any("until the volume needs one more GPU" in said for said in result["what_would_change"])
        checked += 1
    assert saws >= 1, "no case table has fine-tuning cheaper inside a GPU band before it stays so"
    assert checked >= 40, checked
