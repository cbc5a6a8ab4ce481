"""The four options side by side: what each costs, how soon it gives a first
result, how fast it changes, what keeps it current and what could go wrong.

The cost figures are the result's own; the rest is said in words from the
scenario and the catalog: the reader's engineering hours, the models that
retire inside the horizon, the offer's closing dates, where the tuned
weights live. Nothing here changes a figure.
"""

from __future__ import annotations

import math

from . import display
from .model import Catalog
from .prices import tuned_model
from .vocabulary import OPTION_TRAITS

HOURS_A_DAY = 8


def option_cards(catalog: Catalog, s: dict, moves: tuple) -> dict:
    """{option: {time_to_first, iteration, current, risks}} for prompt, rag, fine_tune and fine_tune_rag."""
    offer = catalog.offers[s["training.offer"]]
    tuned_risks = _tuned_risks(catalog, s, offer, moves)
    runs = f"{s['training.runs']} runs budgeted"
    return {
        "prompt": _card("prompt", s["effort.prompt_hours"], _baseline_risks(catalog, s, moves)),
        "rag": _card("rag", s["effort.rag_hours"], _baseline_risks(catalog, s, moves) + _store_risks(catalog, s)),
        "fine_tune": _card("fine_tune", s["effort.fine_tune_hours"], tuned_risks,
                           iteration=f"{OPTION_TRAITS['fine_tune']['iteration']}; {runs}"),
        "fine_tune_rag": _card("fine_tune_rag", s["effort.fine_tune_hours"] + s["effort.rag_hours"],
                               tuned_risks + _store_risks(catalog, s),
                               iteration=f"{OPTION_TRAITS['fine_tune_rag']['iteration']}; {runs}"),
    }


def _card(option: str, hours: float, risks: list[str], iteration: str | None = None) -> dict:
    return {"time_to_first": _time(hours), "iteration": iteration or OPTION_TRAITS[option]["iteration"],
            "current": OPTION_TRAITS[option]["current"], "risks": risks}


def _time(hours: float) -> str:
    if hours <= 0:
        return "not estimated: put in the engineering hours"
    days = math.ceil(hours / HOURS_A_DAY)
    return f"about {days} working day{'s' if days != 1 else ''} ({display.count(round(hours))} hours of engineering)"


def _baseline_risks(catalog: Catalog, s: dict, moves: tuple) -> list[str]:
    model = catalog.models[s["usage.baseline_model"]]
    risks = [f"{catalog.models[move.old].name} retires on {move.day}; prompting moves to "
             f"{catalog.models[move.new].name}, whose answers must be checked again"
             for move in moves if move.what == "baseline" and move.new]
    if not model.open_weights:
        risks.append(f"{model.name}'s price and behaviour are its vendor's to change")
    return risks


def _store_risks(catalog: Catalog, s: dict) -> list[str]:
    store = catalog.rag.vector_stores[s["rag.vector_store"]]
    if store.minimum_per_month_usd > 0:
        return [f"{store.name} bills at least {display.money(store.minimum_per_month_usd)} a month at any volume"]
    return []


def _tuned_risks(catalog: Catalog, s: dict, offer, moves: tuple) -> list[str]:
    risks = []
    availability = offer.availability
    start = s["horizon.start"]
    if availability and availability.new_jobs_until:
        tense = "stopped" if availability.new_jobs_until <= start else "stop"
        risks.append(f"new training jobs on {offer.name} {tense} on {availability.new_jobs_until}")
    for move in moves:
        if move.what == "tuned":
            then = f"retraining on {catalog.offers[move.new].name}" if move.new else "going back to prompting"
            risks.append(f"the tuned {catalog.models[move.old].name} retires on {move.day}, {then}")
    model = catalog.models[tuned_model(catalog, s)]
    if offer.inference.gpu is not None:
        kept = s["usage.min_replicas"]
        risks.append(f"it is served on {catalog.gpus[offer.inference.gpu].name}, billed by the hour busy or idle, "
                     f"with at least {kept} replica{'s' if kept != 1 else ''} kept up")
    if offer.kind == "self_hosted":
        risks.append("you run, scale and patch the GPUs that serve it")
    elif not model.open_weights:
        risks.append(f"the tuned weights stay with {catalog.providers[offer.provider].name}: "
                     "the model cannot move to another host")
    return risks
