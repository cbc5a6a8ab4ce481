"""Break-even: the monthly volume from which fine-tuning stays at or below
prompting over the horizon, and from which tuning with retrieval stays at or
below retrieval alone (the same arithmetic, with the retrieved context in
both prompts: the index, the store and the embedding are the same on both
sides and cancel).

The gap between the two horizon totals is

    D(q) = b + a*q + sum over GPU periods of g * replicas(q)

with b the difference in one-time costs (and flat fees), a the horizon's
difference per request, and g a replica's cost over its period. Token-billed
tuning makes D linear. Whole GPUs make it a saw: it falls within a band of
volume one more replica would not serve, and jumps up by g where the next
replica starts. When each band ends lower than the last, there is a first
band from whose start D never rises above zero again; the break-even is the
first request, in that band or in the bands just before it, from which D
stays at or below zero. Past the largest volume the calculator takes, the
answer is "never".
"""

from __future__ import annotations

import math

from .cost import bill, replicas_at, replicas_per_request
from .model import Catalog
from .prices import Rates
from .timeline import Period
from .workload import with_context, workload

AGAINST = {"fine_tune": "prompt", "fine_tune_rag": "rag"}  # a tuned option, and what it is weighed against

LIMIT = 10**12  # requests a month: the most usage.requests_per_month takes
WALK_LIMIT = 10_000  # bands walked to pin the exact request


def volume(catalog: Catalog, s: dict, periods: tuple[Period, ...], rates: list[Rates],
           tuned: str = "fine_tune") -> int | None:
    """The break-even of ``tuned`` against AGAINST[tuned] at one end of the prices, or None."""
    b, a, saws = gap_terms(catalog, s, periods, rates, tuned)
    b += sum(g * kept for g, k, kept in saws if k == 0)  # a saw that never steps is a constant
    saws = [saw for saw in saws if saw[1] > 0]
    if not saws:
        return _checked(_linear(b, a))
    if len(saws) == 1:
        return _checked(_saw(b, a, *saws[0]))
    return _checked(_saws(b, a, saws))


def gap_terms(catalog: Catalog, s: dict, periods: tuple[Period, ...], rates: list[Rates],
              tuned: str = "fine_tune") -> tuple:
    """(b, a, [(g, k, kept)]) of D(q) = b + a*q + sum g*max(kept, ceil(q*k))."""
    w = workload(s, 0)
    w = with_context(w) if tuned == "fine_tune_rag" else w
    at_zero = bill(catalog, s, periods, rates, 0).options
    b = at_zero[tuned].one_time_total() - at_zero[AGAINST[tuned]].one_time_total()
    a = 0.0
    saws = []
    for period, r in zip(periods, rates, strict=True):
        base = r.baseline.request(w.input, w.cached, w.output, w.batch_share)
        if period.setup.fallback:
            own = base
        elif r.replica:
            own = 0.0
            b += period.months * r.hosting_per_month
            saws.append((period.months * r.replica.per_month, replicas_per_request(w, r.replica), w.min_replicas))
        else:
            own = r.tuned.request(w.tuned_input, w.tuned_cached, w.output, w.batch_share)
            b += period.months * r.hosting_per_month
        a += period.months * (own - base)
    return b, a, saws


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
        best, done = _crossing(gap, _first_request(below, k, kept), best - 1, b + g * below, a)
        if done:
            break
    return best


def _saws(b: float, a: float, saws: list) -> int | None:
    """As ``_saw``, for a horizon with GPUs of two kinds (a move from one
    offer to another): walk back from a volume past which D cannot rise
    above zero, segment by segment. Should the walk be cut short, the
    volume it reached is one from which fine-tuning surely stays below."""
    trend = a + sum(g * k for g, k, _kept in saws)
    if a >= 0 or trend >= 0:
        return None
    bound = (b + sum(g * (kept + 1) for g, _k, kept in saws)) / -trend
    if not math.isfinite(bound) or bound > LIMIT:
        return None
    q = max(0, math.ceil(bound))

    def gap(x: int) -> float:
        return b + a * x + sum(g * replicas_at(x, k, kept) for g, k, kept in saws)

    for _ in range(WALK_LIMIT):
        if q == 0 or gap(q - 1) > 0:
            return q
        start = max(_first_request(replicas_at(q - 1, k, kept), k, kept) for _g, k, kept in saws)
        level = b + sum(g * replicas_at(q - 1, k, kept) for g, k, kept in saws)
        q, done = _crossing(gap, start, q - 1, level, a)
        if done:
            return q
    return q


def _crossing(gap, start: int, end: int, level: float, a: float) -> tuple[int, bool]:
    """In a segment [start, end] where D = level + a*x falls and D(end) <= 0:
    the first x with D(x) <= 0, and whether it lies past the segment's start
    (then the walk is over)."""
    x = max(start, min(end, math.ceil(-level / a)))
    for _ in range(4):  # float noise at the edges
        if x > start and gap(x - 1) <= 0:
            x -= 1
        elif gap(x) > 0:
            x += 1
    return x, x > start


def _first_band_at_or_below(b, a, g, k, kept, step) -> int | None:
    """The first band j (replicas) whose highest point, at its start, is <= 0."""
    def top(j: int) -> float:
        return b + g * j + (a * (j - 1) / k if j > kept else 0.0)

    if top(kept) <= 0:
        return kept
    estimate = (a / k - b) / step
    if not math.isfinite(estimate) or estimate > LIMIT * k + kept + 1:
        return None  # its first request would be past the largest volume taken
    j = max(kept + 1, math.ceil(estimate))
    for _ in range(8):
        if top(j) > 0:
            j += 1
        elif j - 1 > kept and top(j - 1) <= 0:
            j -= 1
        else:
            break
    return j


def _first_request(band: int, k: float, kept: int) -> int:
    """The first whole volume served by ``band`` replicas (or more)."""
    if band <= kept:
        return 0
    q = math.floor((band - 1) / k) + 1
    for _ in range(8):  # float noise moves it by a request or two at most
        if q > 0 and replicas_at(q - 1, k, kept) >= band:
            q -= 1
        elif replicas_at(q, k, kept) < band:
            q += 1
        else:
            break
    return q
