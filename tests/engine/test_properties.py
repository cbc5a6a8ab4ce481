"""Properties that hold for every valid scenario, and refusals for every
invalid value, drawn by hypothesis from the engine's own field table."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from generator.engine import Invalid, evaluate
from generator.engine.scenario import FIELDS

from .strategies import invalid_values, scenarios

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def _money(node, path=""):
    """Every {low, high} dollar figure in a result, with its key."""
    if isinstance(node, dict) and set(node) == {"low", "high"}:
        if "_usd" in path:
            yield path, node
    elif isinstance(node, dict):
        for key, child in node.items():
            yield from _money(child, f"{path}.{key}" if path else key)


def _costs(result):
    """Every cost of a result; not prices, and not the cost per request, which
    falls with volume when GPUs are billed whole."""
    return {k: v for k, v in _money(result)
            if k.startswith(("costs.", "training.")) and "price" not in k and "per_request" not in k}


@SETTINGS
@given(data=st.data())
def test_money_is_never_negative_and_ranges_are_ordered(catalog, data):
    result = evaluate(catalog, data.draw(scenarios(catalog)))
    for key, figure in _money(result):
        assert 0 <= figure["low"] <= figure["high"], key


GROWERS = ["training.examples", "training.tokens_per_example", "training.epochs", "training.validation_tokens",
           "training.runs", "training.eval_examples", "training.label_usd_per_example", "usage.requests_per_month",
           "usage.input_tokens", "usage.output_tokens", "usage.query_tokens", "usage.rag_context_tokens",
           "usage.tuned_input_tokens", "usage.peak_to_average", "usage.min_replicas", "rag.documents",
           "rag.tokens_per_document", "rag.monthly_churn", "effort.hourly_usd", "effort.prompt_hours",
           "effort.rag_hours", "effort.fine_tune_hours", "prices.train_per_1m", "prices.baseline_input_per_1m",
           "prices.baseline_cached_input_per_1m", "prices.baseline_output_per_1m", "prices.tuned_input_per_1m",
           "prices.tuned_output_per_1m", "horizon.months"]


@SETTINGS
@given(data=st.data(), key=st.sampled_from(GROWERS), step=st.integers(1, 1000))
def test_costs_never_fall_when_tokens_volume_or_prices_rise(catalog, data, key, step):
    scenario = data.draw(scenarios(catalog))
    if key == "training.examples":
        # A vendor's automatic epochs fall as the dataset grows (OpenAI bills at
        # most 25,000 examples seen), so more examples can cost less: fix them.
        scenario.setdefault("training.epochs", 1)
    if evaluate(catalog, scenario, extras=False)["scenario"][key] is None:  # an optional key: start it from its floor
        floor = FIELDS[key].minimum
        scenario[key] = [floor, floor] if FIELDS[key].kind == "span" else floor
    base = evaluate(catalog, scenario, extras=False)
    current = base["scenario"][key]
    if isinstance(current, list):
        bigger = [current[0] + step / 10, current[1] + step / 10]
    else:
        bigger = current + (step / 10 if FIELDS[key].kind == "number" else step)
    if FIELDS[key].kind == "share":
        bigger = current + step / 1000
    if FIELDS[key].maximum is not None and max(bigger if isinstance(bigger, list) else [bigger]) > FIELDS[key].maximum:
        return
    try:
        grown = evaluate(catalog, {**scenario, key: bigger}, extras=False)
    except Invalid:  # grown past another key's bound (a prefix past the input): refused, rightly
        return
    before, after = _costs(base), _costs(grown)
    if base["training"]["offer"] != grown["training"]["offer"]:
        # The engine costed another offer, the cheapest over the horizon for the grown input (a closed
        # offer's stand-in, a smaller model's): only the totals it chose by must not fall.
        before = {name: figure for name, figure in before.items() if name.startswith("costs.horizon_usd.")}
    for name, figure in before.items():
        assert after[name]["low"] >= figure["low"] - 1e-9, (key, name)
        assert after[name]["high"] >= figure["high"] - 1e-9, (key, name)


# The break-even's low end pairs fine-tuning's low prices with prompting's
# high ones; its high end the reverse.
ENDS = {"low": ("low", "high"), "high": ("high", "low")}


@SETTINGS
@given(data=st.data(), later=st.lists(st.integers(1, 10**7), max_size=4))
def test_break_even_is_where_fine_tuning_stays_at_or_below_prompting(catalog, data, later):
    # With cost binding, the plan costed is the cheapest small-model offer at
    # each volume, and that can change with the volume: pin it off here (the
    # sweep in test_decisions covers that plan's own break-even).
    scenario = {**data.draw(scenarios(catalog)), "answers.cost_binding": False}
    result = evaluate(catalog, scenario, extras=False)
    even = result["break_even"]["requests_per_month"]

    def gap(volume: int, end: str) -> float:
        at = evaluate(catalog, {**scenario, "usage.requests_per_month": volume}, extras=False)["costs"]["horizon_usd"]
        tuned, prompt = ENDS[end]
        return at["fine_tune"][tuned] - at["prompt"][prompt]

    for end in ("low", "high"):
        volume = None if even is None else even[end]
        if volume is None:  # then no volume is high enough, however high
            assert gap(10**12, end) >= -1e-6 * max(1.0, abs(gap(0, end)))
            continue
        if volume > 10**12:
            continue
        assert gap(volume, end) <= 1e-6
        for step in later:  # and it stays there
            if volume + step <= 10**12:
                assert gap(volume + step, end) <= 1e-6, (end, volume, step)
        if volume > 0:
            assert gap(volume - 1, end) > -1e-6
    if even is not None and even["high"] is not None:
        assert even["low"] <= even["high"]


@SETTINGS
@given(data=st.data(), key=st.sampled_from(["usage.cached_input_tokens", "usage.batch_share"]),
       step=st.integers(1, 1000))
def test_caching_and_batching_never_raise_a_cost(catalog, data, key, step):
    scenario = data.draw(scenarios(catalog))
    scenario.pop("uncertainty.input_tokens", None)  # a drawn input must hold the grown prefix; this is about costs
    base = evaluate(catalog, scenario, extras=False)
    current = base["scenario"][key]
    top = base["scenario"]["usage.input_tokens"] - base["scenario"]["usage.query_tokens"] \
        if key == "usage.cached_input_tokens" else 1
    more = min(top, current + (step if key == "usage.cached_input_tokens" else step / 1000))
    grown = evaluate(catalog, {**scenario, key: more}, extras=False)
    for option in ("prompt", "rag", "fine_tune"):
        for bound in ("low", "high"):
            before = base["costs"]["monthly_usd"][option][bound]
            assert grown["costs"]["monthly_usd"][option][bound] <= before + 1e-9, (option, bound)


@SETTINGS
@given(data=st.data())
def test_self_hosted_serving_is_a_step_function_of_volume(catalog, data):
    """Whole GPUs: the monthly bill is hosting + n x one GPU's month, n never
    falling as volume grows, and flat between the volumes where n steps."""
    # not a knowledge problem, so the replicas shown are the plain fine-tune's, not tuning with RAG's
    scenario = {**data.draw(scenarios(catalog)), "training.offer": "selfhost", "answers.knowledge_problem": False}
    scenario.pop("usage.tuned_model", None)
    gpu_month = 2.7 * 730
    volumes = sorted(data.draw(st.lists(st.integers(0, 10**9), min_size=2, max_size=12)))
    seen = []
    for volume in volumes:
        result = evaluate(catalog, {**scenario, "usage.requests_per_month": volume}, extras=False)
        monthly = result["costs"]["monthly_usd"]["fine_tune"]["high"]
        replicas = result["serving"]["replicas"]["high"]
        assert monthly == pytest.approx(replicas * gpu_month, rel=1e-12)
        seen.append(replicas)
    assert seen == sorted(seen)
    assert seen[0] >= result["scenario"]["usage.min_replicas"]


@SETTINGS
@given(data=st.data())
def test_two_replicas_kept_up_cost_twice_one_at_low_volume(catalog, data):
    scenario = {**data.draw(scenarios(catalog)), "training.offer": "selfhost", "usage.requests_per_month": 1,
                "answers.knowledge_problem": False}
    scenario.pop("usage.tuned_model", None)
    one, two = (evaluate(catalog, {**scenario, "usage.min_replicas": n}, extras=False) for n in (1, 2))
    assume(one["serving"]["replicas"]["high"] == 1)  # low volume: the load itself fits on one GPU
    one, two = (result["costs"]["monthly_usd"]["fine_tune"] for result in (one, two))
    assert two["low"] == pytest.approx(2 * one["low"], rel=1e-12)
    assert two["high"] == pytest.approx(2 * one["high"], rel=1e-12)


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


def test_an_old_key_and_its_new_name_together_are_refused(catalog):
    with pytest.raises(Invalid) as refused:
        evaluate(catalog, {"answers": {"corpus_documents": 5}, "rag": {"documents": 6}})
    assert [str(p) for p in refused.value.problems] == [
        "answers.corpus_documents: is the old name of rag.documents; give only rag.documents"]


def test_a_prefix_longer_than_the_prompt_is_refused(catalog):
    with pytest.raises(Invalid) as refused:
        evaluate(catalog, {"usage": {"input_tokens": 1000, "cached_input_tokens": 1200}})
    assert [str(p).split(":")[0] for p in refused.value.problems] == ["usage.cached_input_tokens"]


def test_nested_and_dotted_scenarios_are_the_same(catalog):
    nested = evaluate(catalog, {"training": {"examples": 1234}, "usage": {"requests_per_month": 99}})
    dotted = evaluate(catalog, {"training.examples": 1234, "usage.requests_per_month": 99})
    assert nested == dotted
