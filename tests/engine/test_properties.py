"""Properties that hold for every valid scenario, and refusals for every
invalid value, drawn by hypothesis from the engine's own field table."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.engine import Invalid, evaluate
from generator.engine.scenario import FIELDS

from .strategies import invalid_values, scenarios

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def _money(node, path=""):
    """Every {low, high} figure in a result, with its key."""
    if isinstance(node, dict) and set(node) == {"low", "high"}:
        yield path, node
    elif isinstance(node, dict):
        for key, child in node.items():
            yield from _money(child, f"{path}.{key}" if path else key)


def _costs(result):
    return {k: v for k, v in _money(result) if k.startswith(("costs.", "training.")) and "price" not in k}


@SETTINGS
@given(data=st.data())
def test_money_is_never_negative_and_ranges_are_ordered(catalog, data):
    result = evaluate(catalog, data.draw(scenarios(catalog)))
    for key, figure in _money(result):
        assert 0 <= figure["low"] <= figure["high"], key


GROWERS = ["training.examples", "training.tokens_per_example", "training.epochs", "training.validation_tokens",
           "training.runs", "usage.requests_per_month", "usage.input_tokens", "usage.output_tokens",
           "usage.rag_context_tokens", "usage.tuned_input_tokens", "prices.train_per_1m",
           "prices.baseline_input_per_1m", "prices.baseline_output_per_1m", "prices.tuned_input_per_1m",
           "prices.tuned_output_per_1m", "horizon.months"]


@SETTINGS
@given(data=st.data(), key=st.sampled_from(GROWERS), step=st.integers(1, 1000))
def test_costs_never_fall_when_tokens_volume_or_prices_rise(catalog, data, key, step):
    scenario = data.draw(scenarios(catalog))
    if evaluate(catalog, scenario)["scenario"][key] is None:  # an optional key: start it from zero
        scenario[key] = [0, 0] if FIELDS[key].kind == "span" else 0
    base = evaluate(catalog, scenario)
    current = base["scenario"][key]
    if isinstance(current, list):
        bigger = [current[0] + step / 10, current[1] + step / 10]
    else:
        bigger = current + (step / 10 if FIELDS[key].kind == "number" else step)
    if FIELDS[key].maximum is not None and max(bigger if isinstance(bigger, list) else [bigger]) > FIELDS[key].maximum:
        return
    grown = evaluate(catalog, {**scenario, key: bigger})
    before, after = _costs(base), _costs(grown)
    for name, figure in before.items():
        assert after[name]["low"] >= figure["low"] - 1e-9, (key, name)
        assert after[name]["high"] >= figure["high"] - 1e-9, (key, name)


@SETTINGS
@given(data=st.data())
def test_break_even_is_where_the_horizon_totals_cross(catalog, data):
    scenario = data.draw(scenarios(catalog))
    result = evaluate(catalog, scenario)
    even = result["break_even"]["requests_per_month"]
    if even is None:  # then no volume is high enough, however high
        huge = evaluate(catalog, {**scenario, "usage.requests_per_month": 10**12})["costs"]["horizon_usd"]
        assert huge["fine_tune"]["high"] >= huge["prompt"]["high"] * (1 - 1e-9)
        return
    assert even["low"] <= even["high"]
    for bound in ("low", "high"):
        volume = even[bound]
        if volume > 1_000_000_000_000:
            continue
        at = evaluate(catalog, {**scenario, "usage.requests_per_month": volume})["costs"]["horizon_usd"]
        assert at["fine_tune"][bound] <= at["prompt"][bound] * (1 + 1e-9) + 1e-6
        if volume > 0:
            below = evaluate(catalog, {**scenario, "usage.requests_per_month": volume - 1})["costs"]["horizon_usd"]
            assert below["fine_tune"][bound] > below["prompt"][bound] - 1e-6


@pytest.mark.parametrize("key", sorted(FIELDS))
def test_every_invalid_value_is_refused_naming_its_key(catalog, key):
    for value in invalid_values(key, catalog):
        with pytest.raises(Invalid) as refused:
            evaluate(catalog, {key: value})
        assert [str(p).split(":")[0] for p in refused.value.problems] == [key], (key, value)


def test_unknown_keys_are_refused(catalog):
    with pytest.raises(Invalid) as refused:
        evaluate(catalog, {"training": {"exampels": 5}, "colour": "blue"})
    assert [str(p).split(":")[0] for p in refused.value.problems] == ["training.exampels", "colour"]


def test_nested_and_dotted_scenarios_are_the_same(catalog):
    nested = evaluate(catalog, {"training": {"examples": 1234}, "usage": {"requests_per_month": 99}})
    dotted = evaluate(catalog, {"training.examples": 1234, "usage.requests_per_month": 99})
    assert nested == dotted
