"""Quality held equal: what each option costs per correct answer, and how
large an eval must be to tell two pass rates apart.

The reader may give each option's pass rate on their own eval
(``quality.<option>``, 0 to 1). A cheaper option that passes fewer examples
can cost more per correct answer: its horizon total over the requests it
answers correctly, requests x months x pass rate. When the cheapest option
in total is not the cheapest per correct answer, the result says so.

The eval size is the usual normal approximation for two independent
proportions, two-sided at ALPHA with POWER:

    n per side = (z(1 - ALPHA/2) * sqrt(2 p(1 - p)) + z(POWER) * sqrt(p1(1 - p1) + p2(1 - p2)))^2 / (p1 - p2)^2

with p the mean of p1 and p2: 906 to tell 80% from 85%. The guide works
this example.
"""

from __future__ import annotations

import math
from statistics import NormalDist

from . import display
from .cost import OPTIONS
from .vocabulary import OPTION_LABELS

ALPHA, POWER = 0.05, 0.80
EXAMPLE = (0.80, 0.85)  # the pair shown when the reader gives fewer than two pass rates


def examples_needed(p1: float, p2: float, alpha: float = ALPHA, power: float = POWER) -> int | None:
    """Examples per side to tell pass rates ``p1`` and ``p2`` apart; None when equal."""
    if p1 == p2:
        return None
    normal = NormalDist()
    z_alpha, z_power = normal.inv_cdf(1 - alpha / 2), normal.inv_cdf(power)
    mean = (p1 + p2) / 2
    top = z_alpha * math.sqrt(2 * mean * (1 - mean)) + z_power * math.sqrt(p1 * (1 - p1) + p2 * (1 - p2))
    return math.ceil(round(top * top / (p1 - p2) ** 2, 9))


def quality(s: dict, costs: dict) -> dict:
    """{per_correct_usd: {option: {low, high} or None}, note, eval_examples_needed, eval_size}."""
    given = {k: s.get(f"quality.{k}") for k in OPTIONS}
    answered = costs["requests_per_month"] * costs["months"]
    per_correct = {k: None if not given[k] or not answered else
                   display.pair(*(costs["horizon_usd"][k][end] / (answered * given[k]) for end in ("low", "high")))
                   for k in OPTIONS}
    rated = [k for k in OPTIONS if per_correct[k] is not None]
    pair = tuple(given[k] for k in rated[:2]) if len(rated) >= 2 else EXAMPLE
    needed = examples_needed(*pair)
    which = f"{OPTION_LABELS[rated[0]]} at {pair[0]:.0%} from {OPTION_LABELS[rated[1]]} at {pair[1]:.0%}" \
        if len(rated) >= 2 else f"{pair[0]:.0%} from {pair[1]:.0%}"
    size = (f"To tell {which} takes about {needed:,} eval examples each (two-sided, 5% significance, 80% power)."
            if needed else f"{which}: the same pass rate, which no eval can tell apart.")
    return {"per_correct_usd": per_correct, "note": _note(rated, given, costs, per_correct),
            "eval_examples_needed": needed, "eval_size": size}


def _note(rated: list, given: dict, costs: dict, per_correct: dict) -> str | None:
    """Said when the cheapest rated option in total is not the cheapest per correct answer."""
    if len(rated) < 2:
        return None
    total = min(rated, key=lambda k: costs["horizon_usd"][k]["high"])
    correct = min(rated, key=lambda k: per_correct[k]["high"])
    if total == correct:
        return None
    money = costs["horizon_usd"]
    return (f"{OPTION_LABELS[total]} costs less in total ({display.money_range(money[total])} against "
            f"{display.money_range(money[correct])} for {OPTION_LABELS[correct]}), but only because it is worse: at "
            f"{given[total]:.0%} of your eval against {given[correct]:.0%}, each correct answer costs "
            f"{display.money_range(per_correct[total])} against {display.money_range(per_correct[correct])}.")
