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
