"""The engine's API under any input: a scenario is computed or refused key by
key, and a form is always answered with field messages, never an exception."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.engine import Invalid, api

from .conftest import TODAY, plain_catalog, session

SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
CATALOG = api.load_catalog(plain_catalog(), TODAY)
SESSION = session()

values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=12), children, max_size=3),
    max_leaves=12)


KEYS = st.sampled_from(sorted(api.scenario.FIELDS) + ["answers.corpus_documents", "colour", "training", ""])


@SETTINGS
@given(scenario=st.dictionaries(KEYS, values, max_size=6) | values)
def test_any_scenario_is_computed_or_refused_by_key(scenario):
    try:
        result = api.evaluate(CATALOG, scenario)
    except Invalid as invalid:
        assert invalid.problems
        for problem in invalid.problems:
            assert str(problem) and (not problem.path or ": " in str(problem)), str(problem)
        return
    json.dumps(result, allow_nan=False)  # every figure finite


@SETTINGS
@given(fields=st.dictionaries(KEYS, st.text(max_size=30), max_size=8))
def test_any_form_is_answered_with_field_messages(fields):
    reply = json.loads(SESSION.handle(json.dumps({"fields": fields})))
    json.dumps(reply, allow_nan=False)
    assert set(reply["errors"]) <= set(api.scenario.FIELDS)


def test_a_point_reply_leaves_the_monte_carlo_and_the_flips_for_the_full_one():
    """The browser asks twice for each change: the point figures first, to show
    at once, then the whole result. Both agree on everything but the two parts
    the point reply says are being worked out."""
    engine = session()
    ask = {"fields": {"prices.train_per_1m": "0-10"}, "today": TODAY}
    point = json.loads(engine.handle(json.dumps({**ask, "phase": "point"})))
    full = json.loads(engine.handle(json.dumps(ask)))
    assert point["result"]["uncertainty"] is None and point["result"]["flip"] is None
    assert full["result"]["uncertainty"]["draws"] == 64 and full["result"]["flip"]["usage"]
    assert point["display"]["uncertainty.p_cheapest.fine_tune"] == "working it out\u2026"
    assert point["display"]["what_would_change"] == [{"text": "working it out\u2026"}]
    later = {"uncertainty", "flip", "what_would_change", "charts"}
    assert {k: v for k, v in point["result"].items() if k not in later} == \
        {k: v for k, v in full["result"].items() if k not in later}
    charts = point["result"]["charts"], full["result"]["charts"]
    assert charts[0]["flowchart"] == charts[1]["flowchart"]
    assert charts[0]["tornado"] is None and charts[1]["tornado"]["nodes"]
    assert charts[0]["break_even"] is None and charts[1]["break_even"]["nodes"]  # 51 bills: the full reply's
    drawn = [[n for n in c["horizon"]["nodes"] if "drawn" in n[1].get("class", "")] for c in charts]
    assert drawn[0] == [] and drawn[1]  # the Monte Carlo's band comes with the full reply
