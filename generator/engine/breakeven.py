"""Break-even: the monthly volume from which fine-tuning stays at or below
prompting over the horizon.

The gap between the two horizon totals is

    D(q) = b + a*q + g * replicas(q)

with b the difference in one-time costs (and flat fees), a the horizon's
difference per request, and g a replica's cost over the horizon. Token-billed
tuning makes D linear. Whole GPUs make it a saw: it falls within a band of
volume one more replica would not serve, and jumps up by g where the next
replica starts. When each band ends lower than the last, there is a first
band from whose start D never rises above zero again; the break-even is the
first request, in that band or in the bands just before it, from which D
stays at or below zero.
"""

from __future__ import annotations

import math

from .cost import bill, replicas_at, replicas_per_request
from .model import Catalog
from .prices import Prices, Rates, rates_at
from .workload import workload

LIMIT = 10**15  # requests a month; past this, "never" is the honest answer
WALK_LIMIT = 10_000  # bands walked back to pin the exact request


def break_even(catalog: Catalog, s: dict, prices: Prices) -> dict | None:
    """{low, high} requests a month, or None when no volume gets there.

    The low end has fine-tuning's prices at their low end and prompting's at
    their high end; the high end the reverse: the widest the range can be.
    ``high`` is None when fine-tuning never pays at the far end.
    """
    low = volume(catalog, s, rates_at(prices, "low", "high"))
    if low is None:
        return None
    return {"low": low, "high": volume(catalog, s, rates_at(prices, "high", "low"))}


def volume(catalog: Catalog, s: dict, rates: Rates) -> int | None:
    months = s["horizon.months"]
    w = workload(s, 0)
    at_zero = bill(catalog, s, rates, 0).options
    b = at_zero["fine_tune"].one_time_total() - at_zero["prompt"].one_time_total() + months * rates.hosting_per_month
    prompt = rates.baseline.request(w.input, w.cached, w.output, w.batch_share)
    if rates.replica is None:
        tuned = rates.tuned.request(w.tuned_input, w.tuned_cached, w.output, w.batch_share)
        return _checked(_linear(b, months * (tuned - prompt)))
    g = months * rates.replica.per_month
    k = replicas_per_request(w, rates.replica)
    if k == 0:
        return _checked(_linear(b + g * w.min_replicas, -months * prompt))
    return _checked(_saw(b, -months * prompt, g, k, w.min_replicas))


def _checked(q: int | None) -> int | None:
    return q if q is not None and q <= LIMIT else None


def _linear(b: float, a: float) -> int | None:
    """The least whole q >= 0 from which b + a*q stays <= 0."""
    if a >= 0:
        return 0 if a == 0 and b <= 0 else None
    if b <= 0:
        return 0
    q = -b / a
    if not math.isfinite(q) or q > LIMIT:
        return None
    q = math.ceil(q)
    while b + a * q > 0:
        q += 1
    while q > 0 and b + a * (q - 1) <= 0:
        q -= 1
    return q


def _saw(b: float, a: float, g: float, k: float, kept: int) -> int | None:
    """The least whole q from which D(q) = b + a*q + g*max(kept, ceil(q*k)) stays <= 0."""
    step = a / k + g  # how much lower each band starts than the one before
    if a >= 0 or step >= 0:
        return None

    def gap(q: int) -> float:
        return b + a * q + g * replicas_at(q, k, kept)

    band = _first_band_at_or_below(b, a, g, k, kept, step)
    if band is None:
        return None
    best = _first_request(band, k, kept)
    for _ in range(WALK_LIMIT):  # the bands just before may end at or below zero too
        if best == 0 or gap(best - 1) > 0:
            break
        below = replicas_at(best - 1, k, kept)
        start = _first_request(below, k, kept)
        crossing = max(start, math.ceil(-(b + g * below) / a))
        while crossing > start and gap(crossing - 1) <= 0:
            crossing -= 1
        while gap(crossing) > 0:
            crossing += 1
        best = crossing
        if crossing > start:
            break
    return best


def _first_band_at_or_below(b, a, g, k, kept, step) -> int | None:
    """The first band j (replicas) whose highest point, at its start, is <= 0."""
    def top(j: int) -> float:
        return b + g * j + (a * (j - 1) / k if j > kept else 0.0)

    if top(kept) <= 0:
        return kept
    estimate = (a / k - b) / step
    if not math.isfinite(estimate) or estimate > LIMIT * max(k, 1):
        return None
    j = max(kept + 1, math.ceil(estimate))
    while top(j) > 0:
        j += 1
    while j - 1 > kept and top(j - 1) <= 0:
        j -= 1
    return j


def _first_request(band: int, k: float, kept: int) -> int:
    """The first whole volume served by ``band`` replicas (or more)."""
    if band <= kept:
        return 0
    q = math.floor((band - 1) / k) + 1
    while q > 0 and replicas_at(q - 1, k, kept) >= band:
        q -= 1
    while replicas_at(q, k, kept) < band:
        q += 1
    return q
