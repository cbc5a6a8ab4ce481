"""How sure the answer is: the options' horizon totals with every price range
drawn at once, many times.

A price quoted as a range (a training rate of $4-8, a GPU hour, a cache
price two sources disagree on) is drawn uniformly between its ends, each
range on its own, and the whole bill is worked out at that draw. Over
``uncertainty.draws`` draws the result says how often each option is the
cheapest over the horizon and where its total falls (10th, 50th and 90th
percentiles).

The draws are a Latin hypercube: each range's interval is cut into as many
strata as there are draws, and each stratum is drawn once, in an order
shuffled per range. For one range that makes a probability exact to within
1/draws; for many it converges faster than independent draws. Everything
comes from one ``random.Random(uncertainty.seed)``, so CPython and Pyodide
draw the same numbers and give byte-identical results. A scenario with no
range is not drawn at all: its one bill is certain.
"""

from __future__ import annotations

import math
import random

from .cost import OPTIONS, bill
from .display import figure
from .model import Catalog
from .prices import rates_at, rates_drawn

# The default: a Latin hypercube of 64 draws holds a one-range probability to
# 1/64, and costs a few milliseconds in CPython, several times that in the
# browser, where every change of a field pays it until the result comes in two
# steps (the point figures first).
DRAWS = 64
SEED = 1


class LatinHypercube:
    """Picks a point within each span for draw ``j`` of ``draws``: the same
    span (the same catalog figure, in every period it serves) gets the same
    point within a draw."""

    def __init__(self, draws: int, seed: int):
        self.draws = draws
        self.rng = random.Random(seed)
        self.orders: list[list[int]] = []  # per range, in the order first met: the stratum of each draw

    def start(self, draw: int) -> None:
        self.draw, self.met, self.points = draw, 0, {}

    def at(self, span: tuple) -> float:
        low, high = span
        if low == high:
            return low
        key = id(span)  # the span object, not its value: two prices both quoted as [4, 8] are drawn apart
        if key not in self.points:
            if self.met == len(self.orders):
                order = list(range(self.draws))
                self.rng.shuffle(order)
                self.orders.append(order)
            u = (self.orders[self.met][self.draw] + self.rng.random()) / self.draws
            self.met += 1
            self.points[key] = low + u * (high - low)
        return self.points[key]


def uncertainty(catalog: Catalog, plan, draws: int | None = None, seed: int | None = None) -> dict:
    """{draws, seed, p_cheapest: {option: 0-1}, horizon_usd: {option: {p10, p50, p90}}}."""
    draws = draws or DRAWS
    seed = SEED if seed is None else seed
    sampler = LatinHypercube(draws, seed)
    totals: dict[str, list[float]] = {k: [] for k in OPTIONS}
    cheapest = dict.fromkeys(OPTIONS, 0)
    ranged = any(low != high for prices in plan.prices for low, high in _spans(prices))
    for draw in range(draws if ranged else 1):
        sampler.start(draw)
        rates = [rates_drawn(prices, sampler.at) for prices in plan.prices] if ranged else \
            [rates_at(prices, "low", "low") for prices in plan.prices]
        options = bill(catalog, plan.s, plan.periods, rates).options
        horizon = {k: options[k].horizon() for k in OPTIONS}
        for k in OPTIONS:
            totals[k].append(horizon[k])
        cheapest[min(OPTIONS, key=lambda k: horizon[k])] += 1  # a tie goes to the simpler option
    runs = draws if ranged else 1
    return {"draws": runs, "seed": seed,
            "p_cheapest": {k: cheapest[k] / runs for k in OPTIONS},
            "horizon_usd": {k: {name: figure(percentile(sorted(totals[k]), q))
                                for name, q in (("p10", 0.1), ("p50", 0.5), ("p90", 0.9))} for k in OPTIONS}}


def percentile(ordered: list[float], q: float) -> float:
    """Linear between the closest ranks (the 'inclusive' method): the same
    arithmetic in every runtime."""
    h = (len(ordered) - 1) * q
    below = math.floor(h)
    above = min(below + 1, len(ordered) - 1)
    return ordered[below] + (h - below) * (ordered[above] - ordered[below])


def _spans(prices) -> list[tuple]:
    spans = [prices.train_per_1m]
    for tokens in (prices.baseline, prices.tuned):
        if tokens is not None:
            spans += [tokens.input, tokens.cached, tokens.output]
    if prices.gpu is not None:
        spans += [prices.gpu.per_hour, prices.gpu.prefill, prices.gpu.decode]
    return spans
