"""A plan: one scenario costed over its horizon, and the small-model plans
the decision weighs when per-token cost binds.

``cost_plan`` is the one place that turns a scenario into money: its
timeline, the prices of each period, the bills at both ends of the ranges,
and the break-even volume.
"""

from __future__ import annotations

from dataclasses import dataclass

from . import breakeven
from .cost import OPTIONS, Bill, bill
from .model import Catalog
from .prices import Ledger, Prices, prices_for, rates_at
from .timeline import Move, Period, timeline


OWN_TUNING_PRICES = ("prices.train_per_1m", "prices.tuned_input_per_1m", "prices.tuned_output_per_1m")


@dataclass(frozen=True)
class Plan:
    s: dict  # the scenario as costed
    periods: tuple[Period, ...]
    moves: tuple[Move, ...]
    prices: tuple[Prices, ...]  # one per period
    used: tuple  # every price used, with its date, source and role
    low: Bill
    high: Bill
    even: dict | None  # break-even {low, high}, requests a month
    rates: tuple = ()  # (every period's rates at the low end, at the high end)
    even_rag: dict | None = None  # tuning with retrieval against retrieval alone

    def bills_at(self, catalog: Catalog, requests: float) -> tuple[Bill, Bill]:
        return tuple(bill(catalog, self.s, self.periods, rates, requests) for rates in self.rates)

    def horizons_at(self, catalog: Catalog, requests: float) -> dict:
        """Every option's horizon total, {low, high}, at another monthly volume."""
        low, high = self.bills_at(catalog, requests)
        return {k: {"low": low.options[k].horizon(), "high": high.options[k].horizon()} for k in OPTIONS}


def cost_plan(catalog: Catalog, s: dict) -> Plan:
    periods, moves = timeline(catalog, s)
    ledger = Ledger()
    prices = tuple(prices_for(catalog, s, period.setup, ledger) for period in periods)
    rates = tuple([rates_at(p, end, end) for p in prices] for end in ("low", "high"))
    low, high = (bill(catalog, s, periods, r) for r in rates)
    return Plan(s, periods, moves, prices, tuple(ledger.used), low, high, break_even(catalog, s, periods, prices),
                rates, break_even(catalog, s, periods, prices, "fine_tune_rag"))


def break_even(catalog: Catalog, s: dict, periods: tuple, prices: tuple, tuned: str = "fine_tune") -> dict | None:
    """{low, high} requests a month, or None when no volume gets there.

    The low end has fine-tuning's prices at their low end and prompting's at
    their high end; the high end the reverse: the widest the range can be.
    ``high`` is None when fine-tuning never pays at the far end.
    """
    low = breakeven.volume(catalog, s, periods, [rates_at(p, "low", "high") for p in prices], tuned)
    if low is None:
        return None
    return {"low": low,
            "high": breakeven.volume(catalog, s, periods, [rates_at(p, "high", "low") for p in prices], tuned)}


def small_offers(catalog: Catalog, s: dict) -> list[tuple[str, str]]:
    """(offer, model) pairs that tune a small model and are open to new
    customers at the horizon's start: the scenario's own offer first when it
    is one."""
    start = s["horizon.start"]
    found = []
    for offer in catalog.offers.values():
        small = [m for m in offer.models if catalog.models[m].small]
        if small and offer.open_to_new_customers(start):
            own = offer.id == s["training.offer"]
            model = s.get("usage.tuned_model") if own and s.get("usage.tuned_model") in small else small[0]
            found.insert(0, (offer.id, model)) if own else found.append((offer.id, model))
    return found


def small_plan(catalog: Catalog, s: dict) -> Plan | None:
    """The plan the guide's "fine-tune a smaller model" means: the scenario's
    own offer if it tunes a small model and is open, else the one whose tuned
    option costs least over the horizon at the scenario's volume."""
    candidates = small_offers(catalog, s)
    if not candidates:
        return None
    if candidates[0][0] == s["training.offer"]:
        return cost_plan(catalog, {**s, "usage.tuned_model": candidates[0][1]})
    theirs = {key: None for key in OWN_TUNING_PRICES}  # the reader's tuning prices were for their own offer
    plans = [cost_plan(catalog, {**s, **theirs, "training.offer": offer, "usage.tuned_model": model})
             for offer, model in candidates]
    return min(plans, key=lambda plan: (plan.high.options["fine_tune"].horizon(), plan.s["training.offer"]))
