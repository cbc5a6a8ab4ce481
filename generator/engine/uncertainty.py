"""How sure the answer is: the options' horizon totals with every price range
drawn at once, many times.

A price quoted as a range (a training rate of $4-8, a GPU hour, a cache
price two sources disagree on) is drawn uniformly between its ends, each
range on its own, and the whole bill is worked out at that draw. So is a
workload figure the reader gives as a range (``uncertainty.requests_per_month``
and the others of WORKLOAD_RANGES): the point figures use the key's own
value, and the draws take it anywhere in its range, to the whole request or
token. Over
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
from .prices import Ledger, middle_of, prices_for, rates_at, rates_drawn
from .vocabulary import FIELDS, WORKLOAD_RANGES

# The default: a Latin hypercube of 64 draws holds a one-range probability to
# 1/64, and costs a few milliseconds in CPython, several times that in the
# browser, where every change of a field pays it until the result comes in two
# steps (the point figures first).
DRAWS = 64
SEED = 1
SWINGS = 6  # the inputs the tornado chart shows, the widest swings first
MOVES = 0.5  # dollars: a price that moves the gap less (one both options pay alike) is left off the tornado


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


def uncertainty(catalog: Catalog, plan, draws: int | None = None, seed: int | None = None) -> tuple[dict, dict]:
    """({draws, seed, p_cheapest: {option: 0-1}, horizon_usd: {option: {p10, p50, p90}},
    swings: [...], gap: {...}}, band): ``band``, {option: {p10: [...], p90: [...]}}, is
    the running total month by month at the 10th and 90th percentile, for the chart."""
    draws = draws or DRAWS
    seed = SEED if seed is None else seed
    sampler = LatinHypercube(draws, seed)
    totals: dict[str, list[float]] = {k: [] for k in OPTIONS}
    running: dict[str, list[list[float]]] = {k: [] for k in OPTIONS}
    cheapest = dict.fromkeys(OPTIONS, 0)
    workload, named = workload_spans(plan.s), named_spans(catalog, plan)
    ranged = bool(workload or named)
    for draw in range(draws if ranged else 1):
        sampler.start(draw)
        s = {**plan.s, **{key: round(sampler.at(span)) for key, span in workload.items()}}  # the workload first
        rates = [rates_drawn(prices, sampler.at) for prices in _prices(catalog, plan, s)] if ranged else \
            [rates_at(prices, "low", "low") for prices in plan.prices]
        options = bill(catalog, s, plan.periods, rates).options
        horizon = {k: options[k].horizon() for k in OPTIONS}
        for k in OPTIONS:
            totals[k].append(horizon[k])
            running[k].append(options[k].cumulative())
        cheapest[min(OPTIONS, key=lambda k: horizon[k])] += 1  # a tie goes to the simpler option
    runs = draws if ranged else 1
    gap, swings = _swings(catalog, plan, workload, named)
    return ({"draws": runs, "seed": seed,
             "p_cheapest": {k: cheapest[k] / runs for k in OPTIONS},
             "horizon_usd": {k: {name: figure(percentile(sorted(totals[k]), q))
                                 for name, q in (("p10", 0.1), ("p50", 0.5), ("p90", 0.9))} for k in OPTIONS},
             "gap": gap, "swings": swings},
            {k: {name: [figure(percentile(sorted(month), q)) for month in zip(*running[k])]
                 for name, q in (("p10", 0.1), ("p90", 0.9))} for k in OPTIONS})


def workload_spans(s: dict) -> dict[str, tuple]:
    """{scenario key: (low, high)} of each workload range the reader gave (WORKLOAD_RANGES)."""
    return {key: tuple(s[given]) for given, key in WORKLOAD_RANGES.items()
            if s.get(given) is not None and s[given][0] != s[given][1]}


def _prices(catalog: Catalog, plan, s: dict) -> tuple:
    """The plan's prices, or, where a drawn token count changes them (a
    GPU's decode speed depends on the context a request holds), its prices
    for that workload."""
    if all(s[key] == plan.s[key] for key in WORKLOAD_RANGES.values() if key != "usage.requests_per_month"):
        return plan.prices
    ledger = Ledger()
    return tuple(prices_for(catalog, s, period.setup, ledger) for period in plan.periods)


def _swings(catalog: Catalog, plan, workload: dict, named: dict) -> tuple[dict, list[dict]]:
    """What the answer hangs on, for a tornado chart: the option cheapest at
    the middle of every range, its margin over the next cheapest, and, for
    each range (a price, or a workload figure the reader gave as one), that
    margin (the cheapest of the *other* options less this one) with the
    range at its low end and at its high end, every other at its middle.
    Below zero another option is the cheaper. Widest swing first, ``SWINGS``
    of them; a range that moves the margin less than ``MOVES`` is left off."""
    def horizons(at, moved: dict) -> dict:
        s = {**plan.s, **{key: round(at(span)) for key, span in workload.items()}, **moved}
        rates = [rates_drawn(prices, at) for prices in _prices(catalog, plan, s)]
        return {k: option.horizon() for k, option in bill(catalog, s, plan.periods, rates).options.items()}

    def margin(at, moved: dict | None = None) -> float:
        totals = horizons(at, moved or {})
        return min(totals[k] for k in OPTIONS if k != first) - totals[first]

    middle = horizons(middle_of, {})
    first, second = sorted(OPTIONS, key=lambda k: middle[k])[:2]  # sorted() keeps the simpler of a tie first
    gap = {"cheapest": first, "next": second, "usd": figure(middle[second] - middle[first])}
    swings = []
    for key, span in workload.items():
        ends = [figure(margin(middle_of, {key: round(span[end])})) for end in (0, 1)]
        swings.append({"input": FIELDS[key].label, "unit": "count", "low": float(span[0]), "high": float(span[1]),
                       "gap_at_low": ends[0], "gap_at_high": ends[1]})
    for (name, unit), spans in named.items():
        ends = [figure(margin(lambda span, end=end: span[end] if any(span is s for s in spans) else middle_of(span)))
                for end in (0, 1)]
        swings.append({"input": name, "unit": unit, "low": float(spans[0][0]), "high": float(spans[0][1]),
                       "gap_at_low": ends[0], "gap_at_high": ends[1]})
    swings = [swing for swing in swings if abs(swing["gap_at_high"] - swing["gap_at_low"]) >= MOVES]
    swings.sort(key=lambda swing: -abs(swing["gap_at_high"] - swing["gap_at_low"]))
    return gap, swings[:SWINGS]


def named_spans(catalog: Catalog, plan) -> dict[tuple[str, str], list[tuple]]:
    """Every price range the bill draws, by what it is (as the prices list
    names it) and its unit (usd, or rate: tokens a second), each with the
    spans it is in every period: a price that serves two periods moves in
    both at once."""
    found: dict[tuple[str, str], list[tuple]] = {}
    for period, prices in zip(plan.periods, plan.prices):
        setup = period.setup
        pairs = [(f"{catalog.offers[setup.offer].name}: training per 1M tokens", prices.train_per_1m)]
        for label, tokens in ((catalog.models[setup.baseline].name, prices.baseline),
                              (f"tuned {catalog.models[setup.tuned].name}", prices.tuned)):
            if tokens is not None:
                pairs += [(f"{label} input per 1M", tokens.input), (f"{label} output per 1M", tokens.output)]
                if tokens.cached != tokens.input:
                    pairs.append((f"{label} cached input per 1M", tokens.cached))
        if prices.gpu is not None:
            pairs += [(f"{prices.gpu.name} per GPU-hour", prices.gpu.per_hour),
                      (f"{prices.gpu.name} prefill tokens a second", prices.gpu.prefill, "rate"),
                      (f"{prices.gpu.name} decode tokens a second", prices.gpu.decode, "rate")]
        for name, span, *unit in pairs:
            key = (name, unit[0] if unit else "usd")
            if span[0] != span[1] and not any(span is seen for seen in found.get(key, [])):
                found.setdefault(key, []).append(span)
    return found


def percentile(ordered: list[float], q: float) -> float:
    """Linear between the closest ranks (the 'inclusive' method): the same
    arithmetic in every runtime."""
    h = (len(ordered) - 1) * q
    below = math.floor(h)
    above = min(below + 1, len(ordered) - 1)
    return ordered[below] + (h - below) * (ordered[above] - ordered[below])
