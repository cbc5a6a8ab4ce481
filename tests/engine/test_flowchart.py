"""The decision flowchart the engine draws: six steps, one node per outcome,
and the path a result took marked on exactly the nodes it went through."""

from __future__ import annotations

import itertools
import re

import pytest

from generator.engine import evaluate, flowchart, scenario
from generator.engine.chart import to_svg
from generator.engine.decide import decide
from generator.engine.vocabulary import FLOW_KEYS, FLOW_OUTCOMES, FLOW_SMALL_DOES_NOT_PAY, FLOW_STEPS, OUTCOME_TITLES

from .conftest import TODAY

OUTCOMES = {"prompt", "rag", "fine_tune", "fine_tune_small", "fine_tune_rag"}

# (answers over the test catalog's default scenario, the steps asked, the
# outcome, whether a smaller model was weighed and did not pay). The default
# scenario: tried prompting, quality not OK, behaviour resisted, 100,000
# requests a month, where a small model pays (tests/engine/cases/flow.yaml).
PATHS = [
    ({"answers.tried_prompting": False}, [1], "prompt", False),
    ({"answers.knowledge_problem": True, "answers.behavior_resisted": False}, [1, 2, 3, 4], "rag", False),
    ({"answers.knowledge_problem": True}, [1, 2, 3, 4], "fine_tune_rag", False),
    ({}, [1, 2, 3, 5], "fine_tune", False),
    ({"answers.behavior_resisted": False, "answers.cost_binding": True}, [1, 2, 3, 5, 6], "fine_tune_small", False),
    ({"answers.behavior_resisted": False, "answers.cost_binding": False}, [1, 2, 3, 5, 6], "prompt", False),
    ({"answers.quality_ok": True, "answers.cost_binding": True}, [1, 2, 6], "fine_tune_small", False),
    ({"answers.quality_ok": True}, [1, 2, 6], "prompt", False),
    # cost binds, but at 1,000 requests a month a small model does not pay
    ({"answers.behavior_resisted": False, "answers.cost_binding": True, "usage.requests_per_month": 1000},
     [1, 2, 3, 5, 6], "prompt", True),
    ({"answers.quality_ok": True, "answers.cost_binding": True, "answers.knowledge_changes_often": True,
      "usage.requests_per_month": 1000}, [1, 2, 6], "rag", True),
]


IDS = [f"{outcome} via {'-'.join(map(str, steps))}{' (small does not pay)' if declined else ''}"
       for _answers, steps, outcome, declined in PATHS]


def groups(nodes: list) -> list[dict]:
    """The attributes of every group in a drawing, children included, each
    with its texts under "texts"."""
    found = []
    for tag, attributes, _text, *rest in nodes:
        if tag == "g":
            children = rest[0] if rest else []
            found.append({**attributes, "texts": [c[2] for c in children if c[0] == "text"]})
            found += groups(children)
    return found


def on_path(drawn: dict) -> tuple[list[int], list[str]]:
    marked = [g for g in groups(drawn["nodes"]) if g.get("data-on-path") == "true"]
    return ([int(g["data-step"]) for g in marked if "data-step" in g],
            [g["data-outcome"] for g in marked if "data-outcome" in g])


def edges(drawn: dict) -> dict[str, bool]:
    """data-edge ("3-yes") -> whether it is drawn as taken."""
    return {g["data-edge"]: "on-path" in g["class"].split() for g in groups(drawn["nodes"]) if "data-edge" in g}


@pytest.mark.parametrize("answers,steps,outcome,declined", PATHS, ids=IDS)
def test_the_steps_asked_and_the_outcome_are_on_the_path_and_nothing_else(catalog, answers, steps, outcome,
                                                                            declined):
    result = evaluate(catalog, answers)
    drawn = result["charts"]["flowchart"]
    assert result["recommendation"]["id"] == outcome
    assert [s["step"] for s in result["recommendation"]["path"]] == steps
    assert all(s["key"] == FLOW_KEYS[s["step"]] for s in result["recommendation"]["path"])
    assert on_path(drawn) == (steps, [outcome])
    every = groups(drawn["nodes"])
    assert sorted(int(g["data-step"]) for g in every if "data-step" in g) == [1, 2, 3, 4, 5, 6]
    assert sorted(g["data-outcome"] for g in every if "data-outcome" in g) == sorted(OUTCOMES)
    assert all("data-on-path" not in g for g in every if "data-edge" in g)  # only nodes carry it
    small = next(g for g in every if g.get("data-outcome") == "fine_tune_small")
    assert ("flow-declined" in small["class"]) is declined
    assert (FLOW_SMALL_DOES_NOT_PAY in " ".join(small["texts"])) is declined
    assert (FLOW_SMALL_DOES_NOT_PAY in drawn["desc"]) is declined


@pytest.mark.parametrize("answers,steps,outcome,declined", PATHS, ids=IDS)
def test_the_edges_taken_join_the_path_with_its_answers(catalog, answers, steps, outcome, declined):
    result = evaluate(catalog, answers)
    path = result["recommendation"]["path"]
    taken = {f"{s['step']}-{'yes' if s['answer'] else 'no'}" for s in path}
    drawn = edges(result["charts"]["flowchart"])
    assert len(drawn) == 12  # a yes and a no at each step
    assert {edge for edge, on in drawn.items() if on} == taken


def test_the_drawn_flow_is_the_engines_for_every_combination_of_answers(catalog):
    """Walking the flowchart's edges with a scenario's answers asks the steps
    decide() asks and ends where it ends."""
    keys = ["answers.tried_prompting", "answers.quality_ok", "answers.knowledge_problem",
            "answers.behavior_resisted", "answers.cost_binding"]
    for values in itertools.product((True, False), repeat=len(keys)):
        s = scenario.complete(catalog, dict(zip(keys, values)), TODAY)
        decision = decide(s)
        at, walked = 1, []
        while isinstance(at, int):
            walked.append(at)
            at = flowchart.LEADS[at][s[FLOW_KEYS[at]]]
        assert at == decision.id, values
        assert walked == [step["step"] for step in decision.path], values


def test_the_description_says_the_path_in_words(catalog):
    result = evaluate(catalog, {"answers.knowledge_changes_often": True, "answers.behavior_resisted": False})
    desc = result["charts"]["flowchart"]["desc"]
    assert result["recommendation"]["id"] == "rag"
    assert ("Tried prompting, with an eval? yes; Quality good enough? no; "
            "A knowledge problem? yes (because the knowledge changes often); Behaviour resisted too? no; "
            f"so: {OUTCOME_TITLES['rag']}.") in desc
    assert FLOW_STEPS[5] not in desc and FLOW_STEPS[6] not in desc  # not asked
    assert result["charts"]["flowchart"]["title"]


def test_every_label_is_the_vocabularys_and_fits_its_box_in_two_lines(catalog):
    every = groups(evaluate(catalog, {})["charts"]["flowchart"]["nodes"])
    for number, label in FLOW_STEPS.items():
        texts = next(g["texts"] for g in every if g.get("data-step") == str(number))
        assert " ".join(texts) == label
        assert 1 <= len(texts) <= 2
        assert all(flowchart.text_width(line) <= flowchart.STEP_W - 2 * flowchart.PAD for line in texts), texts
    for outcome, label in FLOW_OUTCOMES.items():
        texts = next(g["texts"] for g in every if g.get("data-outcome") == outcome)
        assert " ".join(texts) == label and 1 <= len(texts) <= 2
    assert set(FLOW_OUTCOMES) == set(OUTCOME_TITLES) == OUTCOMES


def test_text_widths_bound_the_widest_font():
    """The estimate is an upper bound on DejaVu Sans at 13 px, measured in
    Chromium: "Tried prompting," 106.9, "small model" 79.2, "Add RAG" 56.5."""
    for text, measured in (("Tried prompting,", 106.9), ("small model", 79.2), ("Add RAG", 56.5)):
        assert measured <= flowchart.text_width(text) <= measured * 1.1, text


def test_groups_render_nested_and_escaped():
    figure = {"width": 10, "height": 10, "title": "t <1>", "desc": "d & e", "nodes": [
        ["g", {"class": "a", "data-x": '"q"'}, "", [
            ["rect", {"x": 1}, ""],
            ["g", {}, "", [["text", {"y": 2}, "<b>&amp;</b>"]]],
        ]],
        ["text", {}, "plain", [["rect", {}, ""]]],  # children are for groups only
        ["line", {"x1": 0}, ""],
    ]}
    svg = to_svg(figure)
    assert ('<g class="a" data-x="&quot;q&quot;"><rect x="1"/><g><text y="2">&lt;b&gt;&amp;amp;&lt;/b&gt;</text>'
            '</g></g><text>plain</text><line x1="0"/></svg>') in svg
    assert "<title>t &lt;1&gt;</title><desc>d &amp; e</desc>" in svg


def test_the_built_svg_carries_the_attributes_tools_rely_on(catalog):
    svg = to_svg(evaluate(catalog, {})["charts"]["flowchart"])
    assert sorted(re.findall(r'data-step="(\d)"', svg)) == ["1", "2", "3", "4", "5", "6"]
    assert sorted(re.findall(r'data-outcome="([a-z_]+)"', svg)) == sorted(OUTCOMES)
    assert svg.count('data-on-path="true"') == 5  # steps 1, 2, 3 and 5, and fine_tune
    assert "style=" not in svg
