"""The engine's boundary: plain values in, plain JSON values out.

``evaluate`` serves the build and ``ftsite eval``; ``Session`` serves the
browser, where values arrive as form text and leave as one JSON string, so
the page never holds a Python object past a call.
"""

from __future__ import annotations

import json
from dataclasses import replace

from . import chart, cost, decide, display, scenario, warn
from .catalog import read_catalog
from .model import Catalog
from .problems import Invalid, dotted


def load_catalog(data: object) -> Catalog:
    """The catalog with its default scenario; raises Invalid with every problem."""
    catalog = read_catalog(data)
    return replace(catalog, defaults=scenario.read_defaults(catalog, data.get("scenario")))


def evaluate(catalog: Catalog, data: object = None) -> dict:
    """A scenario (nested or dotted keys, all optional) -> the result."""
    return compute(catalog, scenario.complete(catalog, data if data is not None else {}))


def compute(catalog: Catalog, s: dict) -> dict:
    prices = cost.prices_for(catalog, s)
    train = cost.training(catalog, s, prices)
    serve = cost.serving(catalog, s, prices, train.total)
    months = s["horizon.months"]
    even = cost.break_even(serve, train.total, months)
    decision = decide.decide(s)
    advice = catalog.advice[s["answers.goal"]]
    return {
        "catalog": {"as_of": catalog.as_of},
        "scenario": {key: value for key, value in s.items()},
        "query": scenario.query_string(catalog, s),
        "recommendation": {
            "id": decision.id,
            "title": decide.TITLES[decision.id],
            "path": list(decision.path),
            "reasons": list(decision.reasons) + _cost_reasons(decision.id, serve, even, months),
            "goal": advice.title,
            "base_models": [{"id": m, "name": catalog.models[m].name} for m in advice.models],
            "warnings": warn.warnings(catalog, s, decision.id, prices),
        },
        "training": {
            "offer": s["training.offer"],
            "offer_name": catalog.offers[s["training.offer"]].name,
            "tokens": train.tokens,
            "price_per_1m_usd": train.price_per_1m.plain(),
            "cost_per_run_usd": train.per_run.plain(),
            "runs": train.runs,
            "total_usd": train.total.plain(),
        },
        "costs": {
            "per_request_usd": {k: cost.Money.exact(v).plain() for k, v in serve.per_request.items()},
            "fixed_monthly_usd": {k: cost.Money.exact(v).plain() for k, v in serve.fixed.items()},
            "monthly_usd": {k: v.plain() for k, v in serve.monthly.items()},
            "horizon_usd": {k: v.plain() for k, v in serve.horizon.items()},
            "months": months,
        },
        "break_even": {"requests_per_month": even},
        "prices": {"used": list(prices.used)},
        "charts": {
            "horizon": chart.horizon_chart({k: v.plain() for k, v in serve.monthly.items()}, train.total.plain(),
                                           months),
            "break_even": chart.break_even_chart(
                lambda volume: cost.horizon_totals_at(catalog, s, prices, train.total, volume),
                s["usage.requests_per_month"], even, months),
        },
    }


def _cost_reasons(decision: str, serve: cost.Serving, even: dict | None, months: int) -> list[str]:
    if decision not in ("fine_tune", "fine_tune_small"):
        return []
    tuned = display.money_range(serve.horizon["fine_tune"].plain())
    prompt = display.money_range(serve.horizon["prompt"].plain())
    reasons = [f"Over {months} months the tuned model comes to {tuned}, training included, "
               f"against {prompt} for prompting alone."]
    if even is None:
        reasons.append("At these prices a tuned request costs no less than a prompted one, "
                       "so fine-tuning never pays for itself on cost alone.")
    else:
        reasons.append(f"It pays for itself from {display.count_range(even, 'requests a month')}.")
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
