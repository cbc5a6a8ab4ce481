"""What would change the answer: for the inputs the totals hang on, the value
at which another option becomes the cheapest over the horizon.

Each search starts from the scenario's own value: upwards it doubles it
until the cheapest option changes or the field's bound is reached, downwards
it tries the bound at once (the smallest values are few, and each probe is a
whole bill); then it bisects the last step, to the request, token or hour.
A change that reverts within one step is not seen.
The nearer of the two directions is the answer; ``None`` where nothing
changes within the bounds. Prices are taken at the middle of their ranges
(uncertainty.py weighs the ranges themselves).

The monthly volume is the one input a team watches grow, so its flip is the
volume from which the tuned option *stays* the cheaper, as the break-even
is: on whole GPUs the gap is a saw, and fine-tuning can be cheaper for a
while inside a band of volume before the next GPU makes it dearer again.
That first, passing crossing is kept as ``first``. Where no price is a
range the flip and the break-even volume agree to the request.
"""

from __future__ import annotations

import math

from . import display
from .breakeven import AGAINST, volume
from .cost import OPTIONS, bill
from .model import Catalog
from .prices import Ledger, middle_of, prices_for, rates_drawn
from .timeline import timeline
from .vocabulary import FIELDS, OPTION_SPOKEN

# The inputs searched: those a team can move and the totals hang on. Each
# probe of a key other than the volume re-plans the scenario, so the list is
# kept to what a reader would act on.
KEYS = ("usage.requests_per_month", "usage.output_tokens", "usage.rag_context_tokens", "training.examples",
        "effort.fine_tune_hours", "horizon.months")
UNITS = {"usage.requests_per_month": "requests a month", "usage.output_tokens": "output tokens a request",
         "usage.rag_context_tokens": "tokens of retrieved context", "training.examples": "training examples",
         "effort.fine_tune_hours": "hours to fine-tune", "horizon.months": "months"}
BISECTIONS = 60  # far more than a whole-number search within the bounds needs


# Keys the periods and the prices themselves depend on (the months move the
# retirements; the tokens a request writes set a GPU's decode speed): a probe
# of any other key re-bills the same periods at the same rates.
REPLANNED = ("horizon.months", "usage.output_tokens")


def plan_at(catalog: Catalog, s: dict) -> tuple:
    """(periods, rates at the middle of every price range) of a scenario."""
    periods, _moves = timeline(catalog, s)
    ledger = Ledger()
    return periods, [rates_drawn(prices_for(catalog, s, period.setup, ledger), middle_of) for period in periods]


def cheapest(catalog: Catalog, s: dict, requests: float | None = None, planned: tuple | None = None) -> str:
    """The option cheapest over the horizon, at the middle of every price range (a tie: the simpler option)."""
    periods, rates = planned or plan_at(catalog, s)
    options = bill(catalog, s, periods, rates, requests).options
    return min(OPTIONS, key=lambda k: options[k].horizon())


def flips(catalog: Catalog, s: dict) -> dict:
    """{key: {"value": v, "then": option} or None} for each of KEYS, and the sentences saying them."""
    planned = plan_at(catalog, s)
    now = cheapest(catalog, s, planned=planned)
    found = {key: _flip(catalog, s, key, now, planned) for key in KEYS}
    return {"now": now, "values": found, "sentences": [_sentence(key, found[key], s[key]) for key in KEYS
                                                       if found[key] is not None]}


def _flip(catalog: Catalog, s: dict, key: str, now: str, planned: tuple) -> dict | None:
    field = FIELDS[key]
    low, high = int(field.minimum), int(field.maximum)
    start = s[key]

    def other(value: int) -> str | None:
        if key == "usage.requests_per_month":
            found = cheapest(catalog, s, value, planned)
        else:
            moved = {**s, key: value}
            found = cheapest(catalog, moved, planned=None if key in REPLANNED else planned)
        return found if found != now else None

    candidates = [found for found in (_search(start, high, other, up=True), _search(start, low, other, up=False))
                  if found is not None]
    if not candidates:
        return None
    value, then = min(candidates, key=lambda c: (abs(math.log((c[0] + 1) / (start + 1))), c[0]))
    if key == "usage.requests_per_month" and value > start and AGAINST.get(then) == now:
        stays = volume(catalog, s, *planned, tuned=then)
        if stays is not None and stays > value and cheapest(catalog, s, stays, planned) == then:
            return {"value": stays, "then": then, "first": value}
    return {"value": value, "then": then}


def _search(start: int, bound: int, other, up: bool) -> tuple[int, str] | None:
    """The first whole value past ``start`` towards ``bound`` where ``other`` names an option."""
    inside = start
    step = max(1, start)
    while True:
        probe = min(bound, inside + step) if up else max(bound, inside - step)
        if probe == inside:
            return None
        then = other(probe)
        if then is not None:
            break
        inside = probe
        step *= 2
    outside = probe
    for _ in range(BISECTIONS):
        if abs(outside - inside) <= 1:
            break
        middle = (inside + outside) // 2
        found = other(middle)
        if found is None:
            inside = middle
        else:
            outside, then = middle, found
    return outside, then


def _sentence(key: str, flip: dict, now: int) -> str:
    direction = "above" if flip["value"] > now else "below"
    spoken = OPTION_SPOKEN[flip["then"]]
    said = f"{spoken[0].upper()}{spoken[1:]} becomes the cheapest at {display.count(flip['value'])} " \
           f"{UNITS[key]} ({direction} your {display.count(now)})"
    if "first" in flip:
        said += f" and stays so; it is cheaper for a while from {display.count(flip['first'])}, " \
                "until the volume needs one more GPU"
    return said + "."
