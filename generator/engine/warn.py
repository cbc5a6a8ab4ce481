"""Warnings about the mistakes that sink fine-tuning projects, and stale data.

Dates are judged against the catalog's own date, never the clock, so a page
built today and the same scenario evaluated in a reader's browser next month
say the same thing, and builds stay reproducible.
"""

from __future__ import annotations

from datetime import date, timedelta

from .model import Catalog
from .prices import Prices

STALE_DAYS = 180
TINY_DATASET = 500  # the low end of the 500-5,000 examples most tasks need
HOPELESS_DATASET = 50
FEW_RUNS = 5  # plan for 5-10 runs before a model is worth deploying
CACHE_MINUTES = 5  # how long a prompt cache entry lives unused, at the shortest (Anthropic's default, OpenAI's)
MINUTES_PER_MONTH = 730 * 60


def warnings(catalog: Catalog, s: dict, decision: str, prices: Prices) -> list[dict]:
    found: list[dict] = []

    def warn(id_: str, text: str) -> None:
        found.append({"id": id_, "text": text})

    fine_tuning = decision in ("fine_tune", "fine_tune_small")
    if not s["answers.has_eval_set"]:
        warn("no_eval", "Fine-tuning without a held-out eval set is a gamble: you cannot tell whether a run "
                        "helped. Build the eval first." if fine_tuning else
             "Without a held-out eval set you cannot tell whether prompting is good enough, or whether "
             "anything beats it. Build one before deciding.")
    examples = s["training.examples"]
    if examples <= HOPELESS_DATASET:
        warn("tiny_dataset", f"{examples:,} examples will barely move a model; most tasks need "
                             "500 to 5,000 good ones.")
    elif examples < TINY_DATASET:
        warn("tiny_dataset", f"{examples:,} examples is a small dataset; most tasks need 500 to 5,000 "
                             "high-quality examples, and a clean small set beats a noisy large one.")
    if s["training.runs"] < FEW_RUNS:
        warn("few_runs", f"The budget covers {s['training.runs']} training run(s); plan for 5 to 10 over "
                         "a few weeks before a tuned model is worth deploying.")
    cache_cold = s["usage.cached_input_tokens"] and prices.baseline.cached[0] < prices.baseline.input[0]
    requests = s["usage.requests_per_month"]
    if cache_cold and 0 < requests < MINUTES_PER_MONTH / CACHE_MINUTES:
        warn("cache_cold", f"At {requests:,} requests a month, one arrives every "
                           f"{MINUTES_PER_MONTH / requests:,.0f} minutes on average, and a prompt cache entry lapses "
                           f"after about {CACHE_MINUTES} unused: most requests will pay the full input price, "
                           "not the cached one shown here.")
    warn_dates(catalog, s, warn)
    stale: dict[tuple, list[str]] = {}  # one warning per dated source, naming every price it gave
    for price in prices.used:
        if price["as_of"] and _days_between(price["as_of"], catalog.as_of) > STALE_DAYS:
            stale.setdefault((price["as_of"], price["source"]), []).append(price["what"])
    for (as_of, _source), whats in stale.items():
        names = " and ".join(whats)
        warn("stale_price", f"The {names} price{'s were' if len(whats) > 1 else ' was'} last checked on {as_of}, "
                            f"more than {STALE_DAYS} days before this catalog's date ({catalog.as_of}).")
    return found


def warn_dates(catalog: Catalog, s: dict, warn) -> None:
    """Offers that stop taking jobs, and models that retire, within the horizon."""
    today = catalog.as_of
    horizon_end = _add_months(today, s["horizon.months"])
    offer = catalog.offers[s["training.offer"]]
    until = offer.availability and offer.availability.new_jobs_until
    if until and until < today:
        warn("offer_closing", f"{offer.name} stopped taking new training jobs on {until}.")
    elif until and until <= horizon_end:
        warn("offer_closing", f"{offer.name} stops taking new training jobs on {until}, within your "
                              f"{s['horizon.months']}-month horizon: retraining after that needs another offer.")
    baseline, tuned = s["usage.baseline_model"], s.get("usage.tuned_model") or offer.models[0]
    roles = {baseline: "baseline"}
    roles[tuned] = "baseline and tuned" if tuned == baseline else "tuned"
    for model_id, role in roles.items():
        model = catalog.models[model_id]
        if model.retires and model.retires <= horizon_end:
            tense = "was retired" if model.retires < today else "retires"
            warn("model_retiring", f"{model.name} (your {role} model) {tense} on {model.retires}, "
                                   f"within your {s['horizon.months']}-month horizon.")


def _days_between(earlier: str, later: str) -> int:
    return (date.fromisoformat(later) - date.fromisoformat(earlier)).days


def _add_months(day: str, months: int) -> str:
    start = date.fromisoformat(day)
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    for day_of_month in (start.day, 30, 29, 28):
        try:
            return date(year, month, day_of_month).isoformat()
        except ValueError:
            continue
    return (date(year, month, 1) + timedelta(days=27)).isoformat()
