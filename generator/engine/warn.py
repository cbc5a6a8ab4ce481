"""Warnings about the mistakes that sink fine-tuning projects, and about dates.

Every warning belongs to the outcomes it can matter for: the dataset, the
training budget and the tuning offer's dates only where the outcome is a
fine-tune. Dates are judged at ``horizon.start``: the build date in the
pages, the reader's own date in the browser, so a page read months later
says what is true then.
"""

from __future__ import annotations

from .decide import knowledge_signals
from .model import Catalog
from .prices import Prices, tuned_model
from .timeline import Move, add_months, days_between

STALE_DAYS = 180
TINY_DATASET = 500  # the low end of the 500-5,000 examples most tasks need
HOPELESS_DATASET = 50
FEW_RUNS = 5  # plan for 5-10 runs before a model is worth deploying
CACHE_MINUTES = 5  # how long a prompt cache entry lives unused, at the shortest (Anthropic's default, OpenAI's)
MINUTES_PER_MONTH = 730 * 60
TUNING = ("fine_tune", "fine_tune_small", "fine_tune_rag")
ROLES = {"prompt": {"baseline"}, "rag": {"baseline", "rag"},  # the prices each outcome rests on
         "fine_tune_rag": {"baseline", "tuned", "training", "rag"}}


def warnings(catalog: Catalog, s: dict, outcome: str, prices: Prices, used: list,
             moves: tuple[Move, ...], data: dict, base_models: tuple = ()) -> list[dict]:
    """The warnings for scenario ``s`` as costed, whose outcome is ``outcome``;
    ``prices`` are its first period's, ``used`` every price it rests on,
    ``data`` the result's dataset figures, ``base_models`` the ones suggested."""
    found: list[dict] = []

    def warn(id_: str, text: str) -> None:
        found.append({"id": id_, "text": text})

    tuning = outcome in TUNING
    if not s["answers.has_eval_set"]:
        warn("no_eval", "Fine-tuning without a held-out eval set is a gamble: you cannot tell whether a run "
                        "helped. Build the eval first." if tuning else
             "Without a held-out eval set you cannot tell whether prompting is good enough, or whether "
             "anything beats it. Build one before deciding.")
    _conflicts(s, warn)
    if tuning:
        _dataset(s, data, warn)
        _offer_dates(catalog, s, warn)
        _licences(catalog, s, base_models, warn)
    _cache(s, prices, warn)
    _moves(catalog, s, moves, tuning, warn)
    roles = ROLES.get(outcome, {"baseline", "tuned", "training"})
    _stale(s, [p for p in used if p["role"] in roles], warn)
    return found


def _conflicts(s: dict, warn) -> None:
    """An explicit "not a knowledge problem" that the signals contradict."""
    if s.get("answers.knowledge_problem") is False:
        signals = knowledge_signals(s)
        if signals:
            warn("answers_conflict", f"You answered that the gap is not a knowledge problem, but "
                                     f"{' and '.join(signals)}: both usually point to retrieval. The path follows "
                                     "your answer; check it.")


def _dataset(s: dict, data: dict, warn) -> None:
    examples = s["training.examples"]
    counted = f"{examples:,} example{'' if examples == 1 else 's'}"
    if examples <= HOPELESS_DATASET:
        warn("tiny_dataset", f"{counted} will barely move a model; most tasks need "
                             f"500 to 5,000 good ones. {data['way_forward']}")
    elif examples < TINY_DATASET:
        warn("tiny_dataset", f"{counted} is a small dataset; most tasks need 500 to 5,000 "
                             f"high-quality examples, and a clean small set beats a noisy large one. "
                             f"{data['way_forward']}")
    if s["training.runs"] < FEW_RUNS:
        warn("few_runs", f"The budget covers {s['training.runs']} training run(s); plan for 5 to 10 over "
                         "a few weeks before a tuned model is worth deploying.")


def _licences(catalog: Catalog, s: dict, base_models: tuple, warn) -> None:
    """A licence that does not allow what the reader said they would do: the
    model costed, or one of the bases suggested for their goal."""
    if not s["answers.commercial_use"]:
        return
    tuned = tuned_model(catalog, s)
    for model_id in dict.fromkeys((tuned,) + tuple(base_models)):
        model = catalog.models[model_id]
        if model.licence is None or model.licence.commercial:
            continue
        role = "the model costed here" if model_id == tuned else "one of the bases suggested for your goal"
        warn("licence", f"{model.name}, {role}, has weights under the {model.licence.name}, which does not allow "
                        "commercial use, and the tuned model is to serve a commercial product (your answer on the "
                        "decision page): choose another base, or get a commercial licence from its maker first.")


def _offer_dates(catalog: Catalog, s: dict, warn) -> None:
    """The scenario's offer closed at the start (past tense), or closing within the horizon."""
    start, months = s["horizon.start"], s["horizon.months"]
    offer = catalog.offers[s["training.offer"]]
    availability = offer.availability
    if availability is None:
        return
    customers, jobs = availability.new_customers_until, availability.new_jobs_until
    if jobs and jobs <= start:
        warn("offer_closed", f"{offer.name} stopped taking new training jobs on {jobs}: these costs are what it "
                             "charged, not what you can buy.")
    elif customers and customers <= start:
        warn("offer_closed", f"{offer.name} stopped taking new customers on {customers}: unless your organisation "
                             "already tunes with it, you cannot start here."
                             + (f" It stops all new jobs on {jobs}." if jobs else ""))
    elif jobs and jobs <= add_months(start, months):
        warn("offer_closing", f"{offer.name} stops taking new training jobs on {jobs}, within your "
                              f"{months}-month horizon: retraining after that needs another offer.")


def _cache(s: dict, prices: Prices, warn) -> None:
    cached = s["usage.cached_input_tokens"] and prices.baseline.cached[0] < prices.baseline.input[0]
    requests = s["usage.requests_per_month"]
    if cached and 0 < requests < MINUTES_PER_MONTH / CACHE_MINUTES:
        warn("cache_cold", f"At {requests:,} requests a month, one arrives every "
                           f"{MINUTES_PER_MONTH / requests:,.0f} minutes on average, and a prompt cache entry lapses "
                           f"after about {CACHE_MINUTES} unused: most requests will pay the full input price, "
                           "not the cached one shown here.")


def _moves(catalog: Catalog, s: dict, moves: tuple[Move, ...], tuning: bool, warn) -> None:
    """Models that retire at or within the horizon, and what the totals assume then."""
    start, months = s["horizon.start"], s["horizon.months"]
    names = catalog.models
    for move in moves:
        if move.what == "tuned" and not tuning:
            continue
        when = f"retired on {move.day}, before your horizon starts" if move.day < start else \
            f"retires on {move.day}, in month {move.month + 1} of your {months}-month horizon"
        old = names[move.old].name
        if move.what == "baseline":
            then = f"from then on the totals use {names[move.new].name}'s prices, its successor"
        elif move.new is None:
            then = "no offer to retrain on is known, so from then on the totals assume you prompt the baseline again"
        else:
            then = f"the totals include training again on {catalog.offers[move.new].name} and its prices from then on"
        warn("model_retiring", f"{old} (your {move.what} model) {when}: {then}.")
    for model_id, role in ((s["usage.baseline_model"], "baseline"),):
        model = names[model_id]
        if model.retires and model.retires <= add_months(start, months) and not model.successor:
            warn("model_retiring", f"{model.name} (your {role} model) retires on {model.retires}, within your "
                                   f"{months}-month horizon, and no successor is known: the totals assume its "
                                   "prices continue.")


def _stale(s: dict, used: list, warn) -> None:
    """One warning per dated source older than STALE_DAYS at the horizon's start."""
    start = s["horizon.start"]
    stale: dict[tuple, list[str]] = {}
    for price in used:
        if price["as_of"] and days_between(price["as_of"], start) > STALE_DAYS:
            stale.setdefault((price["as_of"], price["source"]), []).append(price["what"])
    for (as_of, _source), whats in stale.items():
        names = " and ".join(whats)
        warn("stale_price", f"The {names} price{'s were' if len(whats) > 1 else ' was'} last checked on {as_of}, "
                            f"{days_between(as_of, start)} days before {start}: check it again before relying on it.")
