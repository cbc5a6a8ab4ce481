"""Valid and invalid scenarios, from the engine's own field table.

Hypothesis draws them for the property tests; ``random_scenarios`` draws a
seeded, repeatable set for the CPython/Pyodide parity test.
"""

from __future__ import annotations

import math
import random
from datetime import date, timedelta

from hypothesis import strategies as st

from generator.engine.model import GOALS
from generator.engine.scenario import FIELDS
from generator.engine.vocabulary import WORKLOAD_RANGES

NUMERIC_CAP = {  # keep sums of products in a range where floats stay exact enough to compare
    "training.examples": 2_000_000, "training.tokens_per_example": 20_000, "training.validation_tokens": 50_000_000,
    "usage.requests_per_month": 100_000_000, "rag.documents": 1_000_000, "rag.tokens_per_document": 100_000,
    "uncertainty.draws": 8,  # each draw is a whole bill: a few exercise the sampler, hundreds only slow the suite
}


def value_strategy(key: str, catalog) -> st.SearchStrategy:
    field = FIELDS[key]
    if field.kind == "flag":
        return st.booleans()
    if field.kind == "goal":
        return st.sampled_from(GOALS)
    if field.kind == "offer":
        return st.sampled_from(sorted(catalog.offers))
    if field.kind == "model":
        return st.sampled_from(sorted(m for m in catalog.models if catalog.models[m].price))
    if field.kind == "store":
        return st.sampled_from(sorted(catalog.rag.vector_stores))
    if field.kind == "date":
        return st.dates(date(2026, 1, 1), date(2028, 12, 31)).map(date.isoformat)
    top = NUMERIC_CAP.get(key, field.maximum)
    if key in WORKLOAD_RANGES:  # whole requests or tokens, as the key they range over
        whole = st.integers(0, int(NUMERIC_CAP.get(WORKLOAD_RANGES[key], 20_000)))
        return st.tuples(whole, whole).map(sorted)
    if field.kind == "whole":
        return st.integers(int(field.minimum), int(min(top, field.maximum)))
    if field.kind == "share":
        return st.floats(0, 1, allow_nan=False).map(lambda v: round(v, 4))
    price = st.floats(field.minimum, min(200, field.maximum), allow_nan=False, allow_infinity=False).map(
        lambda v: round(v, 4))
    if field.kind == "span":
        return st.one_of(price, st.tuples(price, price).map(lambda p: sorted(p)))
    return price


PARTS_OF_INPUT = ("usage.cached_input_tokens", "usage.query_tokens")


def consistent(catalog, scenario: dict) -> dict:
    """The prefix and the question held within the input, and a cached price
    within the input price."""
    inp = scenario.get("usage.input_tokens", catalog.defaults["usage.input_tokens"])
    cached = min(scenario.get("usage.cached_input_tokens", catalog.defaults["usage.cached_input_tokens"]), inp)
    query = min(scenario.get("usage.query_tokens", catalog.defaults["usage.query_tokens"]), inp - cached)
    if "usage.cached_input_tokens" in scenario or cached != catalog.defaults["usage.cached_input_tokens"]:
        scenario["usage.cached_input_tokens"] = cached
    if "usage.query_tokens" in scenario or query != catalog.defaults["usage.query_tokens"]:
        scenario["usage.query_tokens"] = query
    scenario.pop("prices.baseline_cached_input_per_1m", None)  # bounded by whichever input price applies
    drawn = scenario.get("uncertainty.input_tokens")
    if drawn is not None:  # every drawn input holds the prefix and the question too
        low = max(drawn[0], cached + query)
        scenario["uncertainty.input_tokens"] = [low, max(drawn[1], low)]
    return scenario


def scenarios(catalog) -> st.SearchStrategy:
    """Dotted-key scenarios setting any subset of the public keys (tuned model left to the offer)."""
    keys = sorted(k for k in FIELDS if k != "usage.tuned_model")
    return st.fixed_dictionaries({}, optional={k: value_strategy(k, catalog) for k in keys}).map(
        lambda s: consistent(catalog, s))


def invalid_values(key: str, catalog) -> list:
    """Values the field must refuse."""
    field = FIELDS[key]
    wrong = ["", "lots", [], {"a": 1}]
    if field.kind == "flag":
        return wrong + [1, "yes", 0.5]
    if field.kind in ("goal", "offer", "model", "store"):
        return wrong + [3, "no-such-thing", True]
    if field.kind == "date":
        return wrong + [3, "2026-13-01", "9999-12-31", "tomorrow", True]
    values = wrong + [field.minimum - 1, math.nan, math.inf, -math.inf, True]
    if field.maximum is not None:
        values.append(field.maximum * 10 + 1)
    if field.kind == "whole":
        values.append(1.5)
    if field.kind == "span":
        values += [[5, 1], [1, 2, 3], [-1, 2]]
    return values


def random_scenarios(catalog, count: int, seed: int = 1) -> list[dict]:
    """A repeatable list of valid dotted-key scenarios."""
    rng = random.Random(seed)
    offers = sorted(catalog.offers)
    priced = sorted(m for m in catalog.models if catalog.models[m].price)
    found = []
    for _ in range(count):
        scenario = {}
        for key in sorted(FIELDS):
            field = FIELDS[key]
            if key == "usage.tuned_model" or rng.random() < 0.5:
                continue
            if field.kind == "flag":
                scenario[key] = rng.random() < 0.5
            elif field.kind == "goal":
                scenario[key] = rng.choice(GOALS)
            elif field.kind == "offer":
                scenario[key] = rng.choice(offers)
            elif field.kind == "model":
                scenario[key] = rng.choice(priced)
            elif field.kind == "store":
                scenario[key] = rng.choice(sorted(catalog.rag.vector_stores))
            elif field.kind == "date":
                scenario[key] = (date(2026, 1, 1) + timedelta(days=int(rng.random() * 1000))).isoformat()
            elif field.kind == "whole":
                top = int(min(NUMERIC_CAP.get(key, field.maximum), field.maximum))
                scenario[key] = int(field.minimum + (top - field.minimum) * rng.random() ** 3)
            elif key in WORKLOAD_RANGES:
                top = NUMERIC_CAP.get(WORKLOAD_RANGES[key], 20_000)
                low = int(top * rng.random() ** 3)
                scenario[key] = [low, low + int((top - low) * rng.random() ** 2)]
            elif field.kind == "span":
                low = round(rng.random() * 30, 2)
                scenario[key] = [low, round(low + rng.random() * 10, 2)] if rng.random() < 0.5 else low
            elif field.kind == "share":
                scenario[key] = round(rng.random(), 4)
            else:
                scenario[key] = round(field.minimum + rng.random() * 20, 4)
        found.append(consistent(catalog, scenario))
    return found
