"""The cost model: training runs, monthly serving, horizon totals, break-even.

Every money figure is a ``Money`` range: a training price quoted as $4–8 per
1M tokens stays a range through every total built on it, instead of being
collapsed to a midpoint nobody quoted. Formulas follow
research/pricing.md §6; prices are $ per 1M tokens.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from .model import Catalog, Offer

HOURS_PER_MONTH = 730


@dataclass(frozen=True)
class Money:
    low: float
    high: float

    @staticmethod
    def exact(value: float) -> "Money":
        return Money(value, value)

    def __add__(self, other: "Money") -> "Money":
        return Money(self.low + other.low, self.high + other.high)

    def times(self, factor: float) -> "Money":
        return Money(self.low * factor, self.high * factor)

    def at_least(self, floor: float) -> "Money":
        return Money(max(self.low, floor), max(self.high, floor))

    def plain(self) -> dict:
        return {"low": _cents(self.low), "high": _cents(self.high)}


def _cents(value: float) -> float:
    """Rounded to 1/10,000 of a cent: stable JSON, no float noise like 0.30000000000000004."""
    return round(value, 6)


@dataclass(frozen=True)
class Prices:
    """The per-1M-token prices one scenario runs on, with where each came from."""

    train_per_1m: Money
    baseline_input: float
    baseline_output: float
    tuned_input: float
    tuned_output: float
    hosting: "Hosting"
    used: tuple  # of dicts {what, value, as_of, source}


@dataclass(frozen=True)
class Hosting:
    """Monthly cost of serving the tuned model at a volume: a flat fee, plus
    GPU hours that grow with the tokens served, never below the GPUs kept
    always on. Convex in the volume, which keeps break-even unique."""

    flat: float = 0.0
    gpu_floor: float = 0.0  # $ a month for the GPUs that always run
    gpu_per_request: float = 0.0  # $ of GPU time one request uses

    def monthly(self, requests: float) -> float:
        return self.flat + max(self.gpu_floor, self.gpu_per_request * requests)


def prices_for(catalog: Catalog, s: dict) -> Prices:
    """Catalog prices, with the reader's own ``prices.*`` taking precedence."""
    offer = catalog.offers[s["training.offer"]]
    baseline = catalog.models[s["usage.baseline_model"]]
    tuned_id = s.get("usage.tuned_model") or offer.models[0]
    used: list[dict] = []

    def take(what: str, own, listed, dated) -> object:
        if own is not None:
            used.append({"what": what, "value": own, "as_of": None, "source": "your own figure"})
            return own
        used.append({"what": what, "value": listed, "as_of": dated.as_of, "source": dated.source})
        return listed

    train = take("training per 1M tokens", s.get("prices.train_per_1m"), list(train_price(catalog, offer)),
                 offer.training)
    base_in = take(f"{baseline.name} input per 1M", s.get("prices.baseline_input_per_1m"),
                   baseline.price and baseline.price.input_per_1m, baseline.price)
    base_out = take(f"{baseline.name} output per 1M", s.get("prices.baseline_output_per_1m"),
                    baseline.price and baseline.price.output_per_1m, baseline.price)
    listed_in, listed_out, dated = _listed_tuned(catalog, offer, tuned_id)
    tuned_in = take(f"tuned {catalog.models[tuned_id].name} input per 1M", s.get("prices.tuned_input_per_1m"),
                    listed_in, dated)
    tuned_out = take(f"tuned {catalog.models[tuned_id].name} output per 1M", s.get("prices.tuned_output_per_1m"),
                     listed_out, dated)
    return Prices(Money(*train), base_in, base_out, tuned_in, tuned_out,
                  _hosting(catalog, offer, s), tuple(used))


def train_price(catalog: Catalog, offer: Offer) -> tuple[float, float]:
    """$ per 1M training tokens: listed, or a rented GPU's hour over its throughput."""
    if offer.training.per_1m is not None:
        return offer.training.per_1m
    gpu = catalog.gpus[offer.training.gpu]
    millions_per_hour = offer.training.tokens_per_second * 3600 / 1e6
    per_1m = gpu.per_hour / millions_per_hour
    return (per_1m, per_1m)


def _listed_tuned(catalog: Catalog, offer: Offer, model_id: str):
    """Tuned-model prices: listed, or the base price times the multiplier, or
    nothing per token when the offer serves it on its own GPUs."""
    inference = offer.inference
    if model_id in inference.listed:
        return (*inference.listed[model_id], inference)
    base = catalog.models[model_id].price
    if inference.multiplier is not None and base is not None:
        return (base.input_per_1m * inference.multiplier, base.output_per_1m * inference.multiplier, inference)
    return (0.0, 0.0, inference)


def _hosting(catalog: Catalog, offer: Offer, s: dict) -> Hosting:
    """Autoscaled GPU serving bills the GPU hours the volume needs, at the
    offer's measured throughput and utilisation; without a throughput the
    GPUs are a fixed fleet."""
    inference = offer.inference
    if inference.gpu is None:
        return Hosting(flat=inference.hosting_per_month_usd)
    per_hour = catalog.gpus[inference.gpu].per_hour
    per_request = 0.0
    if inference.output_tokens_per_second is not None:
        tokens_per_hour = inference.output_tokens_per_second * 3600 * inference.utilisation
        per_request = s["usage.output_tokens"] / tokens_per_hour * per_hour
    return Hosting(inference.hosting_per_month_usd, inference.gpus * per_hour * HOURS_PER_MONTH, per_request)


@dataclass(frozen=True)
class TrainingCost:
    tokens: int
    price_per_1m: Money
    per_run: Money
    runs: int
    total: Money


def training(catalog: Catalog, s: dict, prices: Prices) -> TrainingCost:
    """Billed tokens = examples x tokens per example x epochs + validation tokens."""
    offer = catalog.offers[s["training.offer"]]
    tokens = s["training.examples"] * s["training.tokens_per_example"] * s["training.epochs"] \
        + s["training.validation_tokens"]
    per_run = prices.train_per_1m.times(tokens / 1e6).at_least(offer.training.minimum_usd)
    return TrainingCost(tokens, prices.train_per_1m, per_run, s["training.runs"],
                        per_run.times(s["training.runs"]))


OPTIONS = ("prompt", "rag", "fine_tune")


@dataclass(frozen=True)
class Serving:
    per_request: dict  # option -> $ per request
    fixed: dict  # option -> $ per month whatever the volume
    monthly: dict  # option -> Money
    horizon: dict  # option -> Money, training included for fine_tune
    hosting: Hosting  # the fine-tuned option's hosting, as a function of volume


def serving(catalog: Catalog, s: dict, prices: Prices, training_total: Money) -> Serving:
    """Per request, per month and over the horizon, for the three options."""
    q = s["usage.requests_per_month"]
    months = s["horizon.months"]
    inp, out = s["usage.input_tokens"], s["usage.output_tokens"]
    tuned_in = s["usage.tuned_input_tokens"] if s.get("usage.tuned_input_tokens") is not None else inp
    rag = catalog.rag
    per_request = {
        "prompt": (inp * prices.baseline_input + out * prices.baseline_output) / 1e6,
        "rag": ((inp + s["usage.rag_context_tokens"]) * prices.baseline_input + out * prices.baseline_output
                + inp * rag.embedding.per_1m) / 1e6 + rag.vector_store.per_1k_queries_usd / 1000,
        "fine_tune": (tuned_in * prices.tuned_input + out * prices.tuned_output) / 1e6,
    }
    fixed = {"prompt": 0.0, "rag": rag.vector_store.per_month_usd, "fine_tune": prices.hosting.monthly(q)}
    monthly = {k: Money.exact(q * per_request[k] + fixed[k]) for k in OPTIONS}
    horizon = {k: monthly[k].times(months) for k in OPTIONS}
    horizon["fine_tune"] = horizon["fine_tune"] + training_total
    return Serving(per_request, fixed, monthly, horizon, prices.hosting)


def break_even(serve: Serving, training_total: Money, months: int) -> dict | None:
    """The monthly volume from which fine-tuning's horizon total stays at or
    below prompting's, or None when no volume gets there.

    With saving s = p_P - p_F per request, the gap D(q) = H*(hosting(q) - s*q
    + F_F - F_P) + T is convex, so when its slope at high volume is negative
    it falls everywhere and crosses zero once: on the GPU-floor segment or on
    the segment where GPU hours grow with volume.
    """
    saving = serve.per_request["prompt"] - serve.per_request["fine_tune"]
    hosting = serve.hosting
    if saving - hosting.gpu_per_request <= 0:
        return None
    other = hosting.flat - serve.fixed["prompt"]

    def volume(training: float) -> int:
        upfront = training / months
        q = (other + upfront) / (saving - hosting.gpu_per_request)
        if hosting.gpu_per_request == 0 or hosting.gpu_per_request * q < hosting.gpu_floor:
            q = (hosting.gpu_floor + other + upfront) / saving
        return max(0, math.ceil(q - 1e-9))

    return {"low": volume(training_total.low), "high": volume(training_total.high)}


def horizon_totals_at(catalog: Catalog, s: dict, prices: Prices, training_total: Money, volume: float) -> dict:
    """Horizon totals of every option at another monthly volume (for the break-even chart)."""
    return serving(catalog, {**s, "usage.requests_per_month": volume}, prices, training_total).horizon
