"""The horizon as a calendar: which setup serves each month.

The horizon starts on ``horizon.start`` (the reader's own date in the
browser, the build date in the pages). A model that retires inside it
forces a move from the month its retirement falls in: a baseline to its
``successor``'s prices; a tuned model to a retrain on its offer's
``successor`` offer, or, where there is none, back to prompting. A model
already retired at the start is replaced from the first month.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta

from .model import Catalog
from .prices import Setup, own_setup

MAX_MOVES = 8  # successors of successors; real chains are one or two long


@dataclass(frozen=True)
class Period:
    start: int  # month index from horizon.start
    months: int
    setup: Setup
    retrain: bool  # this period starts by retraining on a new offer


@dataclass(frozen=True)
class Move:
    month: int
    what: str  # baseline | tuned
    old: str  # model id
    new: str | None  # the successor model, or offer for a retrain; None: no successor
    day: str  # the retirement date


def timeline(catalog: Catalog, s: dict) -> tuple[tuple[Period, ...], tuple[Move, ...]]:
    """The periods of the horizon and the moves between them."""
    start, months = s["horizon.start"], s["horizon.months"]
    setup = own_setup(catalog, s)
    periods: list[Period] = []
    moves: list[Move] = []
    month, retrain = 0, False
    for _ in range(MAX_MOVES):
        due = _due(catalog, setup, start, months)
        upcoming = [(max(m, month), what) for m, what in due if m is not None]
        if not upcoming:
            break
        at = min(m for m, _what in upcoming)
        if at > month:
            periods.append(Period(month, at - month, setup, retrain))
            month, retrain = at, False
        for m, what in upcoming:
            if m == at:
                setup, move = _move(catalog, setup, what, at)
                moves.append(move)
                retrain = retrain or (what == "tuned" and not setup.fallback)
    periods.append(Period(month, months - month, setup, retrain))
    return tuple(p for p in periods if p.months > 0), tuple(moves)


def _due(catalog: Catalog, setup: Setup, start: str, months: int) -> list[tuple[int | None, str]]:
    """(month, what) for each model of the setup that retires inside the horizon."""
    baseline = catalog.models[setup.baseline]
    found = [(month_of(start, baseline.retires, months) if baseline.retires and baseline.successor else None,
              "baseline")]
    if not setup.fallback:
        tuned = catalog.models[setup.tuned]
        found.append((month_of(start, tuned.retires, months) if tuned.retires else None, "tuned"))
    return found


def _move(catalog: Catalog, setup: Setup, what: str, month: int) -> tuple[Setup, Move]:
    if what == "baseline":
        model = catalog.models[setup.baseline]
        return replace(setup, baseline=model.successor, own=False), Move(month, what, model.id, model.successor,
                                                                        model.retires)
    model = catalog.models[setup.tuned]
    successor = catalog.offers[setup.offer].successor
    if successor is None:
        return replace(setup, fallback=True, own=False), Move(month, what, model.id, None, model.retires)
    offer = catalog.offers[successor]
    return replace(setup, offer=offer.id, tuned=offer.models[0], own=False), Move(month, what, model.id, offer.id,
                                                                                model.retires)


def month_of(start: str, day: str, months: int) -> int | None:
    """The month of the horizon ``day`` falls in (0 if before the start), or
    None when it is past the horizon's end."""
    if day < start:
        return 0
    for month in range(months):
        if day < add_months(start, month + 1):
            return month
    return None


def add_months(day: str, months: int) -> str:
    """2026-01-31 + 1 month = 2026-02-28: the same day, or the month's last."""
    start = date.fromisoformat(day)
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    for day_of_month in (start.day, 30, 29, 28):
        try:
            return date(year, month, day_of_month).isoformat()
        except ValueError:
            continue
    return (date(year, month, 1) + timedelta(days=27)).isoformat()


def days_between(earlier: str, later: str) -> int:
    return (date.fromisoformat(later) - date.fromisoformat(earlier)).days
