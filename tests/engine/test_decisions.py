"""The decision follows the numbers, on the real catalog: a sweep over every
combination of the answers that steer the flow, at volumes from 10^2 to 10^9
requests a month."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import pytest

from generator.pipeline.data import parse_data
from generator.engine import Invalid, api, evaluate, load_catalog
from generator.engine.problems import dotted
from generator.pipeline.sources import read_sources

from .conftest import plain_catalog

ROOT = Path(__file__).resolve().parents[2]
BUILT = "2026-12-01"  # the real catalog's build date for these tests; no test reads the clock
FLAGS = ("answers.tried_prompting", "answers.quality_ok", "answers.behavior_resisted", "answers.cost_binding",
         "answers.knowledge_changes_often", "answers.needs_citations")
VOLUMES = [10**k for k in range(2, 10)]


@pytest.fixture(scope="module")
def real():
    return parse_data(read_sources(ROOT).data, BUILT).catalog


def _combinations():
    for flags in itertools.product((True, False), repeat=len(FLAGS)):
        for knowledge in (True, False, None):
            yield {**dict(zip(FLAGS, flags)), "answers.knowledge_problem": knowledge}


def test_a_smaller_model_is_recommended_only_from_its_own_break_even(real):
    seen = set()
    for answers in _combinations():
        for volume in VOLUMES:
            # no Monte Carlo and no flips: this sweep is about the recommendation, not how sure it is
            result = evaluate(real, {**answers, "usage.requests_per_month": volume}, extras=False)
            outcome = result["recommendation"]["id"]
            seen.add(outcome)
            if outcome != "fine_tune_small":
                continue
            even = result["break_even"]["requests_per_month"]
            assert even is not None and even["high"] is not None, answers
            assert volume >= even["low"] and volume >= even["high"], (answers, volume, even)
            offer = real.offers[result["recommendation"]["costed_offer"]["id"]]
            assert offer.open_to_new_customers(result["scenario"]["horizon.start"]), offer.id
            assert real.models[result["recommendation"]["costed_offer"]["model"]].small, offer.id
            assert result["training"]["offer"] == offer.id
    assert {"prompt", "rag", "fine_tune", "fine_tune_small"} <= seen


def test_below_the_break_even_the_answer_is_prompting_with_the_volume_it_would_pay_from(real):
    low = evaluate(real, {"answers.quality_ok": True, "answers.cost_binding": True,
                          "answers.knowledge_changes_often": False, "usage.requests_per_month": 100})
    assert low["recommendation"]["id"] == "prompt"
    assert any("does not pay" in reason for reason in low["recommendation"]["reasons"])
    assert all(w["id"] not in ("tiny_dataset", "few_runs", "offer_closing", "offer_closed")
               for w in low["recommendation"]["warnings"])


def test_the_default_offer_must_be_open_to_new_customers_on_the_build_date():
    plain = plain_catalog()
    plain["scenario"] = {**plain["scenario"], "training": {**plain["scenario"]["training"], "offer": "members"}}
    with pytest.raises(Invalid) as refused:
        load_catalog(plain, "2026-11-01")
    assert [dotted(p.path) for p in refused.value.problems] == ["scenario.training.offer"]
    assert "closed to new customers on 2026-11-01" in refused.value.problems[0].message
    load_catalog(plain, "2026-05-01")  # before it closed: fine
    load_catalog(plain, "2026-11-01", strict=False)  # a site read after the offer closed still starts


def test_a_reader_on_a_later_date_gets_warnings_for_that_date():
    """The browser passes the reader's own date: a page built before the
    default offer stops taking jobs warns in the past tense once it has."""
    session = api.Session(json.dumps(plain_catalog()), "2026-11-01")

    def warnings(today: str | None) -> dict:
        reply = json.loads(session.handle(json.dumps({"fields": {}, "today": today})))
        assert reply["result"]["query"] == ""  # the reader's date is not part of a shared link
        return {w["id"]: w["text"] for w in reply["result"]["recommendation"]["warnings"]}

    assert "stops taking new training jobs on 2027-02-01" in warnings("2026-11-01")["offer_closing"]
    assert "stopped taking new training jobs on 2027-02-01" in warnings("2027-03-01")["offer_closed"]
    assert warnings("not a date") == warnings(None)


def test_the_replicas_shown_are_those_of_the_tuned_option_recommended(catalog):
    """Tuning with RAG reads the passages on every request, so on GPUs it can
    need more replicas than the plain fine-tune: the result shows the count
    its own serving bill is made of (the red-team pass found the plain
    fine-tune's shown beside the hybrid's recommendation)."""
    volume = {"training.offer": "selfhost", "usage.requests_per_month": 30_000_000, "horizon.months": 1}
    hybrid = evaluate(catalog, {**volume, "answers.knowledge_problem": True})
    plain = evaluate(catalog, {**volume, "answers.knowledge_problem": False})
    assert (hybrid["recommendation"]["id"], plain["recommendation"]["id"]) == ("fine_tune_rag", "fine_tune")
    gpu_month = 2.7 * 730
    for result, option in ((hybrid, "fine_tune_rag"), (plain, "fine_tune")):
        replicas = result["serving"]["replicas"]["high"]
        assert result["costs"]["parts_usd"][option]["serving"]["high"] == pytest.approx(replicas * gpu_month)
    assert hybrid["serving"]["replicas"]["high"] > plain["serving"]["replicas"]["high"]
