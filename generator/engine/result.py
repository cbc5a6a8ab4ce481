"""The result: a scenario's decision, costs, charts and warnings as plain JSON.

The decision follows the numbers: when the flow ends at "fine-tune a smaller
model", the engine looks for a small-model offer a new team can buy at the
horizon's start and recommends it only from its own break-even volume;
below that, the answer is prompting (with retrieval where knowledge calls
for it), with the volume from which tuning would pay. The figures shown are
always those of the plan recommended.
"""

from __future__ import annotations

from . import chart, decide, display, flowchart, scenario, warn
from .cost import OPTIONS, PARTS
from .dataset import dataset
from .latency import latency
from .model import Catalog
from .flips import flips
from .options import option_cards
from .quality import quality
from .uncertainty import uncertainty
from .plan import Plan, cost_plan, small_plan
from .prices import Ledger, tuned_model
from .vocabulary import OUTCOME_TITLES, OUTCOME_OPTIONS

SMALL = "fine_tune_small"
# The tuned option whose training and serving a result details: the one
# recommended, or the plain fine-tune when the answer is not to tune.
TUNED = {"prompt": "fine_tune", "rag": "fine_tune", "fine_tune": "fine_tune", "fine_tune_rag": "fine_tune_rag"}


money = display.pair


def compute(catalog: Catalog, s: dict, defaults: dict, extras: bool = True) -> dict:
    """The whole result; with ``extras`` False, all but the Monte Carlo and
    the flips (None), which the browser sends for a moment later so that a
    keystroke shows its point figures at once."""
    flow = decide.decide(s)
    plan = cost_plan(catalog, s)
    outcome, reasons = flow.id, list(flow.reasons)
    if outcome == SMALL:
        outcome, reasons, plan = _weigh_small(catalog, s, flow, plan)
    costed = plan.s
    costs = {**_costs(plan), "changes": _changes(catalog, plan)}
    rated = quality(s, costs)
    if rated["note"]:
        reasons.append(rated["note"])
    months = s["horizon.months"]
    goal = "cost" if outcome == SMALL else s["answers.goal"]
    advice = catalog.advice[goal]
    offer = catalog.offers[costed["training.offer"]]
    measured = Ledger()
    waits = latency(catalog, costed, plan.periods[0].setup, plan.moves, measured)
    data = dataset(catalog, costed, measured)
    used = list(plan.used) + [p for p in measured.used if p not in plan.used]
    sure, band = uncertainty(catalog, plan, s.get("uncertainty.draws"), s.get("uncertainty.seed")) if extras \
        else (None, None)
    return {
        "catalog": {"as_of": catalog.as_of},
        "scenario": dict(s),
        "query": scenario.query_string(defaults, s),
        "recommendation": {
            "id": outcome,
            "option": OUTCOME_OPTIONS[outcome],
            "title": OUTCOME_TITLES[outcome],
            "path": list(flow.path),
            "reasons": reasons + _cost_reasons(outcome, costs, plan, months),
            "goal": advice.title,
            "base_models": [_base_model(catalog, m) for m in advice.models],
            "costed_offer": {"id": offer.id, "name": offer.name, "model": tuned_model(catalog, costed)},
            "warnings": warn.warnings(catalog, costed, outcome, plan.prices[0], list(plan.used), plan.moves, data,
                                      advice.models),
        },
        "options": option_cards(catalog, costed, plan.moves),
        "training": _training(catalog, plan, TUNED[OUTCOME_OPTIONS[outcome]]),
        "costs": costs,
        "serving": _serving(plan, TUNED[OUTCOME_OPTIONS[outcome]]),
        "break_even": {"requests_per_month": plan.even, "fine_tune_rag": plan.even_rag},
        "quality": rated,
        **(_flips(catalog, costed) if extras else {"flip": None, "what_would_change": None}),
        "latency": waits,
        "uncertainty": sure,
        "data": data,
        "prices": {"used": [{k: v for k, v in p.items() if k != "role"} for p in used]},
        "charts": {
            "horizon": chart.horizon_chart({k: (plan.low.options[k].cumulative(), plan.high.options[k].cumulative())
                                            for k in OPTIONS}, months, s["horizon.start"], band),
            "tornado": sure and chart.tornado_chart(sure["gap"], sure["swings"], months),
            # 51 whole bills, three quarters of a point reply's work: it comes with the full one
            "break_even": chart.break_even_chart(lambda volume: plan.horizons_at(catalog, volume),
                                                 s["usage.requests_per_month"], plan.even, months, plan.even_rag)
            if extras else None,
            "flowchart": flowchart.flowchart(list(flow.path), outcome),
        },
    }


def _flips(catalog: Catalog, s: dict) -> dict:
    """``flip.<scenario key>``: the value at which another option becomes the
    cheapest (None where none does within the key's bounds), and the same in
    sentences."""
    found = flips(catalog, s)
    nested: dict = {}
    for key, flip in found["values"].items():
        section, name = key.split(".")
        nested.setdefault(section, {})[name] = flip and flip["value"]
    return {"flip": nested, "what_would_change": found["sentences"]}


def _base_model(catalog: Catalog, model_id: str) -> dict:
    model = catalog.models[model_id]
    licence = model.licence and {"name": model.licence.name, "commercial": model.licence.commercial}
    return {"id": model_id, "name": model.name, "licence": licence}


def _weigh_small(catalog: Catalog, s: dict, flow: decide.Decision, own: Plan) -> tuple[str, list, Plan]:
    """Fine-tune a smaller model only from the volume at which it pays."""
    small = small_plan(catalog, s)
    requests, start = s["usage.requests_per_month"], s["horizon.start"]
    fallback = "rag" if decide.knowledge_problem(s)[0] else "prompt"
    if small is None:
        return fallback, [f"Per-token cost binds, but no offer open to new customers on {start} tunes a small "
                          "model in this catalog, so prompting stays the way to cut the bill: a cheaper model, "
                          "a shorter prompt, caching and batching."], own
    offer = catalog.offers[small.s["training.offer"]].name
    model = catalog.models[small.s["usage.tuned_model"]].name
    even = small.even
    pays = even is not None and even["high"] is not None and requests >= even["high"]
    if pays:
        return SMALL, list(flow.reasons) + [f"Costed on {offer}, tuning {model}: the cheapest small-model offer "
                                            f"open to new customers on {start}."], small
    if even is None:
        why = "at these prices it never pays for itself"
    elif requests < even["low"]:
        why = f"it pays for itself only from {display.break_even(even)}"
    else:
        why = (f"it pays for itself only at the favourable end of the prices ({display.break_even(even)}); "
               "at the other end it does not yet")
    return fallback, [f"Per-token cost binds, but at {requests:,} requests a month tuning a small model does not "
                      f"pay: on {offer} ({model}), the cheapest small-model offer open to new customers on {start}, "
                      f"{why}."], small


def _costs(plan: Plan) -> dict:
    """Every option's one-time, monthly, per-request and horizon figures, and
    its horizon total part by part, all from unrounded values."""
    low, high = plan.low.options, plan.high.options
    requests = plan.s["usage.requests_per_month"]

    def each(figure) -> dict:
        return {k: money(figure(low[k]), figure(high[k])) for k in OPTIONS}

    return {
        "months": plan.s["horizon.months"],
        "requests_per_month": requests,
        "one_time_usd": each(lambda o: o.one_time_total()),
        "monthly_usd": each(lambda o: o.monthly_total()),
        "per_request_usd": each(lambda o: o.monthly_total() / requests) if requests else {k: None for k in OPTIONS},
        "horizon_usd": each(lambda o: o.horizon()),
        "parts_usd": {k: {part: money(low[k].parts()[part], high[k].parts()[part]) for part in PARTS[k]}
                      for k in OPTIONS},
    }


def _changes(catalog: Catalog, plan: Plan) -> list[str]:
    """What changes within the horizon, month by month, in words."""
    months = plan.s["horizon.months"]
    found = []
    for move in plan.moves:
        when = "from the first month" if move.month == 0 else f"from month {move.month + 1} of {months}"
        retires = "retired" if move.day < plan.s["horizon.start"] else "retires"
        old = catalog.models[move.old].name
        if move.what == "baseline":
            then = f"prompting uses {catalog.models[move.new].name} and its prices"
        elif move.new is None:
            then = "the fine-tuned option prompts the baseline again"
        else:
            then = f"the fine-tuned option is trained again and served on {catalog.offers[move.new].name}"
        found.append(f"{old} {retires} on {move.day}: {when}, {then}.")
    return found


def _training(catalog: Catalog, plan: Plan, option: str) -> dict:
    low, high = plan.low.training[option], plan.high.training[option]
    offer = catalog.offers[plan.s["training.offer"]]
    train = plan.prices[0].train_per_1m
    return {
        "offer": offer.id,
        "offer_name": offer.name,
        "epochs": low.epochs,
        "tokens": low.tokens,
        "price_per_1m_usd": money(*train),
        "cost_per_run_usd": money(low.per_run, high.per_run),
        "runs": low.runs,
        "total_usd": money(low.total, high.total),
        "eval_per_run_usd": money(low.eval_per_run, high.eval_per_run),
        "labelling_usd": money(low.labelling, high.labelling),
    }


def _serving(plan: Plan, option: str) -> dict:
    """How the tuned model of ``option`` is served at first: per token, or on whole GPU replicas."""
    gpu = plan.prices[0].gpu
    if gpu is None or plan.low.replicas is None:
        return {"billing": "tokens", "replicas": None, "gpus_per_replica": None, "gpu": None}
    return {"billing": "gpus", "replicas": {"low": plan.low.replicas[option], "high": plan.high.replicas[option]},
            "gpus_per_replica": gpu.gpus, "gpu": gpu.name}


def _cost_reasons(outcome: str, costs: dict, plan: Plan, months: int) -> list[str]:
    """What a tuned outcome costs against what it replaces: prompting, or,
    for tuning with retrieval, retrieval alone."""
    if outcome not in ("fine_tune", SMALL, "fine_tune_rag"):
        return []
    hybrid = outcome == "fine_tune_rag"
    option, against = ("fine_tune_rag", "rag") if hybrid else ("fine_tune", "prompt")
    even = plan.even_rag if hybrid else plan.even
    tuned = display.money_range(costs["horizon_usd"][option])
    other = display.money_range(costs["horizon_usd"][against])
    alone = "retrieval with the base model" if hybrid else "prompting alone"
    reasons = [f"Over {months} months the tuned model{' with retrieval' if hybrid else ''} comes to {tuned}, with "
               f"training, evals and engineering, against {other} for {alone}."]
    if even is None:
        reasons.append(f"At these prices tuning is never cheaper than {alone}, at any volume: "
                       "choose it for what it does, not for what it saves.")
    else:
        reasons.append(f"On cost alone it pays for itself from {display.break_even(even)}.")
    return reasons
