"""The engine's boundary: plain values in, plain JSON values out.

``evaluate`` serves the build and ``ftsite eval``; ``Session`` serves the
browser, where values arrive as form text and leave as one JSON string, so
the page never holds a Python object past a call.
"""

from __future__ import annotations

import json
from dataclasses import replace

from . import chart, cost, decide, display, scenario, warn
from .breakeven import break_even
from .catalog import read_catalog
from .cost import OPTIONS, PARTS, Bill, bill
from .model import Catalog
from .prices import Prices, prices_for, rates_at
from .problems import Invalid, dotted


def load_catalog(data: object) -> Catalog:
    """The catalog with its default scenario; raises Invalid with every problem."""
    catalog = read_catalog(data)
    return replace(catalog, defaults=scenario.read_defaults(catalog, data.get("scenario")))


def evaluate(catalog: Catalog, data: object = None) -> dict:
    """A scenario (nested or dotted keys, all optional) -> the result."""
    return compute(catalog, scenario.complete(catalog, data if data is not None else {}))


def compute(catalog: Catalog, s: dict) -> dict:
    prices = prices_for(catalog, s)
    low, high = (bill(catalog, s, rates_at(prices, end, end)) for end in ("low", "high"))
    months = s["horizon.months"]
    even = break_even(catalog, s, prices)
    decision = decide.decide(s)
    advice = catalog.advice[s["answers.goal"]]
    costs = _costs(low, high, months, s["usage.requests_per_month"])
    return {
        "catalog": {"as_of": catalog.as_of},
        "scenario": {key: value for key, value in s.items()},
        "query": scenario.query_string(catalog, s),
        "recommendation": {
            "id": decision.id,
            "title": decide.TITLES[decision.id],
            "path": list(decision.path),
            "reasons": list(decision.reasons) + _cost_reasons(decision.id, costs, even, months),
            "goal": advice.title,
            "base_models": [{"id": m, "name": catalog.models[m].name} for m in advice.models],
            "warnings": warn.warnings(catalog, s, decision.id, prices),
        },
        "training": _training(catalog, s, prices, low.training, high.training),
        "costs": costs,
        "serving": _serving(catalog, s, prices, low, high),
        "break_even": {"requests_per_month": even},
        "prices": {"used": list(prices.used)},
        "charts": {
            "horizon": chart.horizon_chart(costs["one_time_usd"], costs["monthly_usd"], months),
            "break_even": chart.break_even_chart(lambda volume: _horizons_at(catalog, s, prices, volume),
                                                 s["usage.requests_per_month"], even, months),
        },
    }


def _money(low: float, high: float) -> dict:
    """A figure as JSON to 12 significant digits: exact for any sum a reader
    checks, without float noise like 0.30000000000000004. Pages round
    further only for display."""
    return {"low": _figure(low), "high": _figure(high)}


def _figure(value: float) -> float:
    return float(f"{value:.12g}")


def _costs(low: Bill, high: Bill, months: int, requests: int) -> dict:
    """Every option's one-time, monthly, per-request and horizon figures, and
    its horizon total part by part, all from unrounded values."""
    def each(figure) -> dict:
        return {k: _money(figure(low.options[k]), figure(high.options[k])) for k in OPTIONS}

    return {
        "months": months,
        "requests_per_month": requests,
        "one_time_usd": each(lambda o: o.one_time_total()),
        "monthly_usd": each(lambda o: o.monthly_total()),
        "per_request_usd": each(lambda o: o.monthly_total() / requests) if requests else
        {k: None for k in OPTIONS},
        "horizon_usd": each(lambda o: o.horizon(months)),
        "parts_usd": {k: {part: _money(low.options[k].parts(months)[part], high.options[k].parts(months)[part])
                          for part in PARTS[k]} for k in OPTIONS},
    }


def _training(catalog: Catalog, s: dict, prices: Prices, low: cost.Training, high: cost.Training) -> dict:
    return {
        "offer": s["training.offer"],
        "offer_name": catalog.offers[s["training.offer"]].name,
        "epochs": low.epochs,
        "tokens": low.tokens,
        "price_per_1m_usd": _money(*prices.train_per_1m),
        "cost_per_run_usd": _money(low.per_run, high.per_run),
        "runs": low.runs,
        "total_usd": _money(low.total, high.total),
        "eval_per_run_usd": _money(low.eval_per_run, high.eval_per_run),
        "labelling_usd": _money(low.labelling, high.labelling),
    }


def _serving(catalog: Catalog, s: dict, prices: Prices, low: Bill, high: Bill) -> dict:
    """How the tuned model is served: per token, or on whole GPU replicas."""
    gpu = prices.gpu
    if gpu is None:
        return {"billing": "tokens", "replicas": None, "gpus_per_replica": None, "gpu": None}
    return {"billing": "gpus", "replicas": {"low": low.replicas, "high": high.replicas},
            "gpus_per_replica": gpu.gpus, "gpu": gpu.name}


def _horizons_at(catalog: Catalog, s: dict, prices: Prices, volume: float) -> dict:
    """Every option's horizon total, {low, high}, at another monthly volume."""
    months = s["horizon.months"]
    low, high = (bill(catalog, s, rates_at(prices, end, end), volume) for end in ("low", "high"))
    return {k: _money(low.options[k].horizon(months), high.options[k].horizon(months)) for k in OPTIONS}


def _cost_reasons(decision: str, costs: dict, even: dict | None, months: int) -> list[str]:
    if decision not in ("fine_tune", "fine_tune_small"):
        return []
    tuned = display.money_range(costs["horizon_usd"]["fine_tune"])
    prompt = display.money_range(costs["horizon_usd"]["prompt"])
    reasons = [f"Over {months} months the tuned model comes to {tuned}, with training, evals and engineering, "
               f"against {prompt} for prompting alone."]
    if even is None:
        reasons.append("At these prices fine-tuning is never the cheaper of the two, at any volume: "
                       "choose it for what it does, not for what it saves.")
    else:
        reasons.append(f"On cost alone it pays for itself from {display.break_even(even)}.")
    return reasons


def respond(catalog: Catalog, texts: dict) -> dict:
    """Form or URL text -> result, display texts and a message per bad field.

    A bad field never stops the page: it is reported, left at its default,
    and everything else is computed as asked.
    """
    given, errors = scenario.read_text_fields(catalog, texts)
    while True:
        try:
            s = scenario.complete(catalog, given)
            break
        except Invalid as invalid:
            for problem in invalid.problems:
                key = dotted(problem.path)
                errors[key] = problem.message
                if given.pop(key, None) is None:
                    raise  # a default the catalog vouched for cannot be wrong here
    result = compute(catalog, s)
    fields = {key: scenario.as_text(field, s.get(key)) for key, field in scenario.FIELDS.items()}
    return {"result": result, "display": display.flat(result), "errors": errors, "fields": fields}


class Session:
    """What the browser's worker holds: the catalog, checked once at start-up."""

    def __init__(self, catalog_json: str):
        self.catalog = load_catalog(json.loads(catalog_json))

    def handle(self, request_json: str) -> str:
        request = json.loads(request_json)
        return json.dumps(respond(self.catalog, request.get("fields") or {}), sort_keys=True)
