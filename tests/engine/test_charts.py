"""The charts as data: round ticks, compact labels, every option drawn, a real
time axis, and labels laid out to fit at the largest size site.css gives them."""

from __future__ import annotations

import itertools
import math
import re
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.engine import chart, display, evaluate
from generator.engine.vocabulary import OPTION_LABELS

from .strategies import scenarios

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
OPTIONS = tuple(OPTION_LABELS)


def is_round(step: float) -> bool:
    """1, 2, 2.5 or 5 x 10^k."""
    mantissa = step / 10 ** math.floor(math.log10(step))
    return any(math.isclose(mantissa, m, rel_tol=1e-9) for m in (1, 2, 2.5, 5))


def texts(figure: dict, axis: str) -> list[tuple[float, float, str]]:
    """(x, y, label) of the y axis's labels (right-aligned) or the x axis's (centred)."""
    anchor = {"y": "end", "x": "middle"}[axis]
    return [(a["x"], a["y"], text) for tag, a, text in figure["nodes"] if tag == "text" and a["text-anchor"] == anchor]


def polylines(figure: dict) -> dict[str, list[tuple[float, float]]]:
    found = {}
    for tag, attributes, _text in figure["nodes"]:
        if tag == "polyline":
            key = attributes["class"].split()[1]
            assert key not in found, f"{key} drawn twice"
            found[key] = [tuple(map(float, p.split(","))) for p in attributes["points"].split()]
    return found


def money_value(label: str) -> float:
    number = float(label.lstrip("$").replace(",", "").rstrip("kMBT") or 0)
    return number * {"k": 1e3, "M": 1e6, "B": 1e9, "T": 1e12}.get(label[-1], 1)


def boxes(figure: dict) -> list[tuple[float, float, float, float, str]]:
    """Every label's box at chart.FONT, from its anchor and baseline, as the browser places it."""
    found = []
    for tag, a, text in figure["nodes"]:
        if tag != "text":
            continue
        width = chart.text_width(text)
        left = {"start": a["x"], "middle": a["x"] - width / 2, "end": a["x"] - width}[a.get("text-anchor", "start")]
        top = {"central": a["y"] - 0.6 * chart.FONT, "hanging": a["y"]}[a["dominant-baseline"]]
        found.append((left, top, left + width, top + 1.2 * chart.FONT, text))
    return found


def assert_labels_fit(figure: dict) -> None:
    laid = boxes(figure)
    for left, top, right, bottom, text in laid:
        assert 0 <= left and right <= figure["width"] and 0 <= top and bottom <= figure["height"], f"{text} clipped"
    for a, b in itertools.combinations(laid, 2):
        apart = a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1]
        assert apart, f"{a[4]!r} overlaps {b[4]!r}"


# --- ticks


@pytest.mark.parametrize("value", [0, 0.3, 1, 1.04, 3.99, 7, 12_345, 50_000, 156_313, 950_000, 10**7, 3.3e9])
def test_ticks_are_round_steps_ending_on_a_whole_step_at_or_above_the_value(value):
    ticks = chart.round_ticks(value, chart.Y_STEPS)
    step = ticks[1] - ticks[0]
    assert ticks[0] == 0 and is_round(step) and ticks[-1] >= value
    assert 2 <= len(ticks) <= chart.Y_STEPS + 1
    assert all(math.isclose(b - a, step, rel_tol=1e-9) for a, b in zip(ticks, ticks[1:]))
    assert len(ticks) == 2 or ticks[-2] < (value or 1)  # no tick wasted above the data (an empty axis runs to 1)


def test_the_review_s_odd_ticks_are_gone(catalog):
    """$50,000 over four steps gave $12,500 and $37,500; five round steps give $10k each."""
    assert chart.round_ticks(50_000, 5) == [0, 10_000, 20_000, 30_000, 40_000, 50_000]
    for name in ("horizon", "break_even"):
        labels = [label for _x, _y, label in texts(evaluate(catalog, {})["charts"][name], "y")]
        assert not any("12,500" in label or "37,500" in label for label in labels)


@SETTINGS
@given(data=st.data())
def test_every_y_axis_is_round_and_holds_its_lines(catalog, data):
    result = evaluate(catalog, data.draw(scenarios(catalog)))
    for name in ("horizon", "break_even"):
        figure = result["charts"][name]
        labels = texts(figure, "y")
        values = [money_value(label) for _x, _y, label in labels]
        step = values[1] - values[0]
        assert values[0] == 0 and is_round(step), labels
        assert all(math.isclose(b - a, step, rel_tol=1e-6) for a, b in zip(values, values[1:])), labels
        top = min(y for _x, y, _l in labels)
        for key, points in polylines(figure).items():
            assert all(y >= top - 0.1 for _x, y in points), f"{name}: {key} runs above the axis"


# --- labels


@pytest.mark.parametrize("value, money, count", [
    (0, "$0", "0"), (0.25, "$0.25", "0.25"), (1.5, "$1.50", "1.5"), (250, "$250", "250"), (1000, "$1k", "1k"),
    (2500, "$2.5k", "2.5k"), (40_000, "$40k", "40k"), (1_200_000, "$1.2M", "1.2M"), (2_500_000, "$2.5M", "2.5M"),
    (12_500_000, "$12.5M", "12.5M"), (999_999, "$1M", "1M"), (3e9, "$3B", "3B"),
])
def test_compact_labels(value, money, count):
    assert display.money_tick(value) == money
    assert display.count_short(value) == count


def test_axis_labels_are_compact_and_the_axis_titles_are_text_beside_the_drawing(catalog):
    result = evaluate(catalog, {"usage": {"requests_per_month": 2_000_000}})
    for name, title in (("horizon", "Months from "), ("break_even", "Requests a month")):
        figure = result["charts"][name]
        assert figure["x_label"].startswith(title)
        for _x, _y, label in texts(figure, "y") + texts(figure, "x"):
            assert re.fullmatch(r"\$?\d+(\.\d{1,2})?[kMB]?", label), label
        assert not [a for tag, a, _t in figure["nodes"] if tag == "text" and "legend" in a.get("class", "")]


# --- every option, visible


@SETTINGS
@given(data=st.data())
def test_every_option_is_a_line_on_both_cost_charts(catalog, data):
    result = evaluate(catalog, data.draw(scenarios(catalog)))
    for name in ("horizon", "break_even"):
        figure = result["charts"][name]
        lines = polylines(figure)
        assert set(lines) == set(OPTIONS), name
        for key, points in lines.items():
            assert len(points) >= 2
            assert all(0 <= x <= figure["width"] and 0 <= y <= figure["height"] for x, y in points), key
        drawn = [a["class"].split()[1] for tag, a, _t in figure["nodes"] if tag == "polyline"]
        assert drawn == list(chart.DRAW_ORDER)  # widest first: a line lying on another shows through it
        assert_labels_fit(figure)


NO_CORPUS = {"rag": {"documents": 0}, "usage": {"rag_context_tokens": 0}, "effort": {"rag_hours": 0}}


def test_lines_that_coincide_are_both_drawn_and_said_to_coincide():
    """Where RAG costs what prompting costs, one line lies on the other: both
    are drawn (RAG's narrower, on top) and the description says so."""
    same = ([100.0 * m for m in range(13)], [100.0 * m for m in range(13)])
    cumulative = {"prompt": same, "rag": same, "fine_tune": ([500 + 50.0 * m for m in range(13)],) * 2,
                  "fine_tune_rag": ([900 + 60.0 * m for m in range(13)],) * 2}
    horizon = chart.horizon_chart(cumulative, 12, "2026-12")
    flat = {"prompt": {"low": 1200.0, "high": 1200.0}, "fine_tune": {"low": 900.0, "high": 900.0},
            "fine_tune_rag": {"low": 1600.0, "high": 1600.0}}
    break_even = chart.break_even_chart(lambda q: {**flat, "rag": flat["prompt"]}, 5000, None, 12)
    for figure in (horizon, break_even):
        lines = polylines(figure)
        assert lines["rag"] == lines["prompt"] and set(lines) == set(OPTIONS)
        assert "The Prompting and Prompting + RAG lines lie on one another" in figure["desc"]
        assert "Fine-tuned" not in figure["desc"].split("lie on one another")[0].split(".")[-1]


def test_distinct_lines_are_not_said_to_coincide(catalog):
    result = evaluate(catalog, {"rag": {"documents": 50_000}, "usage": {"rag_context_tokens": 3_000},
                                "effort": {"rag_hours": 200}})
    for name in ("horizon", "break_even"):
        assert "lie on one another" not in result["charts"][name]["desc"]


# --- price history on a calendar


MONTH = re.compile(r"(?:(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) )?(\d{4})")


def history_axis(figure: dict) -> list[tuple[float, date]]:
    """(x, the first day it labels): a month, or a year (its January)."""
    found = []
    for x, _y, label in texts(figure, "x"):
        match = MONTH.fullmatch(label)
        assert match, f"{label!r} is not a month or a year"
        found.append((x, date(int(match[2]), display.MONTHS.index(match[1]) + 1 if match[1] else 1, 1)))
    return found


@pytest.mark.parametrize("changes, until", [
    ([("2026-07-02", 0.88, 1.04)], "2026-11-23"),
    ([("2026-11-23", 3.49, 3.99)], "2026-11-23"),  # changed on the day the catalog is dated: no second end label
    ([("2025-01-15", 2.0, 2.5), ("2025-09-30", 2.5, 1.75), ("2026-11-01", 1.75, 1.8)], "2026-11-23"),
    ([("2020-03-01", 10, 8), ("2026-11-20", 8, 9)], "2026-11-23"),
])
def test_price_history_runs_on_a_calendar_axis(changes, until):
    figure = chart.price_history_chart(changes, until, "Together serverless price of Llama 3.3 70B", "USD per 1M")
    axis = history_axis(figure)
    days = [d for _x, d in axis]
    assert len(days) >= 2 and len(set(days)) == len(days) and days == sorted(days)
    labels = [label for _x, _y, label in texts(figure, "x")]
    assert len(set(labels)) == len(labels) and "earlier" not in labels
    gaps = {(b.year - a.year) * 12 + b.month - a.month for a, b in zip(days, days[1:])}
    assert len(gaps) == 1 and gaps <= {1, 2, 3, 6, 12, 24, 36, 60, 120}  # every month, quarter, half, year or more
    first = date.fromisoformat(changes[0][0])
    assert days[0] <= first and days[-1] <= date.fromisoformat(until)
    # the axis starts at its first tick, a month's first day, and the x scale is linear in days
    line = polylines(figure)["history"]
    assert line[0][0] == axis[0][0]
    per_day = (axis[-1][0] - axis[0][0]) / (days[-1] - days[0]).days
    for x, day in axis:
        assert math.isclose(x, axis[0][0] + (day - days[0]).days * per_day, abs_tol=0.2)
    change_xs = [a["cx"] for tag, a, _t in figure["nodes"] if tag == "circle"]
    for (when, _old, _new), cx in zip(changes, change_xs):
        assert math.isclose(cx, axis[0][0] + (date.fromisoformat(when) - days[0]).days * per_day, abs_tol=0.2)
    assert line[-1][0] <= figure["width"] and assert_labels_fit(figure) is None
    assert figure["title"] == "Together serverless price of Llama 3.3 70B"


def test_month_starts_align_to_their_step():
    assert chart.month_starts(date(2026, 5, 18), date(2026, 11, 23), 3) == [
        date(2026, 4, 1), date(2026, 7, 1), date(2026, 10, 1)]
    assert chart.month_starts(date(2026, 9, 25), date(2026, 11, 1), 1) == [
        date(2026, 9, 1), date(2026, 10, 1), date(2026, 11, 1)]
    assert display.month(date(2026, 7, 1)) == "Jul 2026"


# --- the largest text


@pytest.mark.parametrize("values", [{}, {"horizon": {"months": 1}}, {"horizon": {"months": 7}},
                                    {"horizon": {"months": 120}}, {"usage": {"requests_per_month": 0}},
                                    {"usage": {"requests_per_month": 123_456_789}}, NO_CORPUS])
def test_labels_fit_the_drawing_at_the_largest_text(catalog, values):
    result = evaluate(catalog, values)
    for name in ("horizon", "break_even"):
        assert_labels_fit(result["charts"][name])


def test_svg_keeps_its_text_alternative_and_attributes_the_browser_accepts(catalog):
    figure = evaluate(catalog, {})["charts"]["break_even"]
    svg = chart.to_svg(figure)
    assert svg.startswith('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 640 360" role="img" class="chart">'
                          f"<title>{figure['title']}</title><desc>")
    for _tag, attributes, _text in figure["nodes"]:
        for name in attributes:  # app.js svgOf sets only these
            assert re.fullmatch(r"[a-z][a-z0-9-]*", name) and not name.startswith("on")


def test_the_tornado_moves_each_price_range_alone_and_marks_where_the_order_flips(catalog):
    """Worked by hand on the test catalog: the tuned model costs $7,200 over 12
    months before training, and trains 5 runs of 30M tokens, $7,200 + 150 x p
    at $p per 1M, against prompting's $8,100. At the middle of $4-10 (p = 7)
    it is $8,250, so prompting is cheapest and the gap is $150; at $4 the gap
    is 7,800 - 8,100 = -$300, at $10 8,700 - 8,100 = $600. The cached input
    price is a range too, but the scenario caches no tokens, so it moves
    nothing and is left off."""
    result = evaluate(catalog, {"prices.train_per_1m": [4, 10], "prices.baseline_cached_input_per_1m": [0.5, 1]})
    sure = result["uncertainty"]
    assert sure["gap"] == {"cheapest": "prompt", "next": "fine_tune", "usd": 150.0}
    assert sure["swings"] == [{"input": "Acme tuning of Big: training per 1M tokens", "unit": "usd", "low": 4.0,
                               "high": 10.0, "gap_at_low": -300.0, "gap_at_high": 600.0}]
    drawn = result["charts"]["tornado"]
    bars = [node[1] for node in drawn["nodes"] if node[0] == "rect"]
    assert [bar["class"] for bar in bars] == ["swing", "swing flips"]  # the bar, and its part below zero
    zero = next(node[1]["x1"] for node in drawn["nodes"] if node[0] == "line" and node[1]["class"] == "zero")
    assert bars[1]["x"] == bars[0]["x"] and math.isclose(bars[1]["x"] + bars[1]["width"], zero, abs_tol=0.11)
    assert "from \u2212$300 at its low end to $600 at its high end" in drawn["desc"]
    assert "Below zero another option is the cheaper." in drawn["desc"]
    assert display.flat(result)["uncertainty.swings"][0]["text"] == (
        "Acme tuning of Big: training per 1M tokens, $4\u2013$10: the margin runs from \u2212$300 at its low end "
        "to $600 at its high end")


def test_the_tornado_weighs_the_cheapest_against_every_other_option(catalog):
    """Prompting and prompting with RAG pay every price alike here (no
    retrieval cost, no context), so the runner-up alone would show no bar;
    the tornado weighs the cheapest against the cheapest of all the others,
    and the training price moves that: the review's case of a coin flip the
    chart called settled."""
    result = evaluate(catalog, {"prices.train_per_1m": [0, 40], "effort.rag_hours": 0, "usage.rag_context_tokens": 0,
                                "rag.documents": 0, "usage.query_tokens": 0})
    sure = result["uncertainty"]
    assert {sure["gap"]["cheapest"], sure["gap"]["next"]} <= {"prompt", "rag"}
    assert sure["swings"] and sure["swings"][0]["input"] == "Acme tuning of Big: training per 1M tokens"
    assert min(sure["swings"][0]["gap_at_low"], sure["swings"][0]["gap_at_high"]) < 0 < sure["p_cheapest"]["fine_tune"]


def test_the_horizon_band_holds_the_middle_of_the_draws_within_the_price_range(catalog):
    result = evaluate(catalog, {"prices.train_per_1m": [4, 10]})
    polygons = [node[1] for node in result["charts"]["horizon"]["nodes"] if node[0] == "polygon"]
    assert [p["class"] for p in polygons] == ["band fine_tune", "band fine_tune_rag", "band fine_tune drawn",
                                              "band fine_tune_rag drawn"]
    assert "The middle 80% of the price draws end at the fine-tuned model $" in result["charts"]["horizon"]["desc"]
