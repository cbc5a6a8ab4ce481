"""Prices: which figure each cost uses, where it came from, and its range.

Every price comes from the reader's own ``prices.*`` when given, else from
the catalog, and is recorded with its date and source so the page can list
what it used. A price quoted as a range stays a range. Every cost rises with
every price, so an option's low figure is its cost with each price at its low
end (and each throughput at its high end), and its high figure the reverse:
``rates_at`` gives the plain numbers of one such end.
"""

from __future__ import annotations

from dataclasses import dataclass

from .model import Catalog, Offer, Span, TokenPrice
from .workload import tuned_cached_tokens

HOURS_PER_MONTH = 730


def _end(span: Span, end: str) -> float:
    return span[0] if end == "low" else span[1]


def _far(span: Span, end: str) -> float:
    """A throughput's end for a cost end: the cheap end runs fastest."""
    return span[1] if end == "low" else span[0]


# -- prices: spans from the catalog and the reader, with where each came from


@dataclass(frozen=True)
class TokenSpans:
    input: Span
    cached: Span  # equals input where the model has no cache price
    output: Span
    batch_discount: float


@dataclass(frozen=True)
class GpuSpans:
    """One replica of the tuned model on GPUs: ``gpus`` of one kind."""

    name: str
    gpus: int
    per_hour: Span  # per GPU
    prefill: Span  # tokens a second, per replica, for the tuned model's size
    decode: Span
    utilisation: float


@dataclass(frozen=True)
class Prices:
    train_per_1m: Span
    baseline: TokenSpans
    tuned: TokenSpans | None  # None when the tuned model is served on GPUs
    gpu: GpuSpans | None
    hosting_per_month: float
    embed_per_1m: float
    used: tuple  # of dicts {what, value, as_of, source}


class _Ledger:
    """Takes each price from the reader when given, else from the catalog,
    and records which it was, so the page can list every price it used."""

    def __init__(self):
        self.used: list[dict] = []

    def take(self, what: str, own, listed, dated, unit: str = "usd") -> object:
        if own is not None:
            self.used.append({"what": what, "value": own, "unit": unit, "as_of": None, "source": "your own figure"})
            return tuple(own) if isinstance(own, list) else own
        self.note(what, listed, dated, unit)
        return listed

    def note(self, what: str, value, dated, unit: str = "usd") -> None:
        """``unit``: usd (a price), share (a discount, 0-1) or rate (tokens a second)."""
        self.used.append({"what": what, "value": list(value) if isinstance(value, tuple) else value, "unit": unit,
                          "as_of": dated.as_of, "source": dated.source})


def prices_for(catalog: Catalog, s: dict) -> Prices:
    """Catalog prices, with the reader's own ``prices.*`` taking precedence."""
    offer = catalog.offers[s["training.offer"]]
    ledger = _Ledger()
    train = ledger.take("training per 1M tokens", s.get("prices.train_per_1m"), train_price(catalog, offer),
                        offer.training)
    baseline = _baseline(catalog, s, ledger)
    tuned_id = tuned_model(catalog, s)
    gpu = _gpu_spans(catalog, offer, tuned_id, s, ledger) if offer.inference.gpu else None
    tuned = None if gpu else _tuned(catalog, offer, tuned_id, s, ledger)
    if offer.inference.hosting_per_month_usd:
        ledger.note(f"{offer.name} hosting a month", offer.inference.hosting_per_month_usd, offer.inference)
    rag = catalog.rag
    ledger.note(f"{rag.embedding.name} per 1M tokens", rag.embedding.per_1m, rag.embedding)
    ledger.note(f"{rag.vector_store.name} minimum a month", rag.vector_store.minimum_per_month_usd, rag.vector_store)
    return Prices(train, baseline, tuned, gpu, offer.inference.hosting_per_month_usd, rag.embedding.per_1m,
                  tuple(ledger.used))


def tuned_model(catalog: Catalog, s: dict) -> str:
    return s.get("usage.tuned_model") or catalog.offers[s["training.offer"]].models[0]


def _baseline(catalog: Catalog, s: dict, ledger: _Ledger) -> TokenSpans:
    model = catalog.models[s["usage.baseline_model"]]
    price = model.price or TokenPrice("", "")
    name = model.name
    given = s.get("prices.baseline_input_per_1m")
    inp = ledger.take(f"{name} input per 1M", given, price.input_per_1m, price)
    listed_cached = price.cached_input_per_1m
    own_cached = s.get("prices.baseline_cached_input_per_1m")
    if own_cached is not None or (listed_cached is not None and s["usage.cached_input_tokens"]):
        cached = ledger.take(f"{name} cached input per 1M", own_cached, listed_cached, price)
    else:
        cached = inp
    out = ledger.take(f"{name} output per 1M", s.get("prices.baseline_output_per_1m"), price.output_per_1m, price)
    own_batch = s.get("prices.baseline_batch_discount")
    batch = price.batch_discount or 0.0
    if own_batch is not None or (price.batch_discount is not None and s["usage.batch_share"]):
        batch = ledger.take(f"{name} batch discount", own_batch, price.batch_discount, price, "share")
    return TokenSpans(inp, _at_most(cached, inp), out, batch)


def _tuned(catalog: Catalog, offer: Offer, model_id: str, s: dict, ledger: _Ledger) -> TokenSpans:
    """Tuned-model prices: listed, or the base price times the multiplier
    (cached input too), with the reader's own taking precedence."""
    inference = offer.inference
    name = f"tuned {catalog.models[model_id].name}"
    listed = inference.listed.get(model_id)
    if listed is None:
        base = catalog.models[model_id].price or TokenPrice("", "")
        factor = inference.multiplier or 0.0
        scaled = [_scaled(span, factor) for span in (base.input_per_1m, base.output_per_1m)]
        cached = base.cached_input_per_1m and _scaled(base.cached_input_per_1m, factor)
        listed = TokenPrice(inference.as_of, inference.source, scaled[0], scaled[1], cached)
    inp = ledger.take(f"{name} input per 1M", s.get("prices.tuned_input_per_1m"), listed.input_per_1m, inference)
    cached = inp
    if listed.cached_input_per_1m is not None and tuned_cached_tokens(s):
        cached = ledger.take(f"{name} cached input per 1M", None, listed.cached_input_per_1m, inference)
    out = ledger.take(f"{name} output per 1M", s.get("prices.tuned_output_per_1m"), listed.output_per_1m, inference)
    batch = inference.batch_discount or 0.0
    if inference.batch_discount is not None and s["usage.batch_share"]:
        ledger.note(f"{name} batch discount", inference.batch_discount, inference, "share")
    return TokenSpans(inp, _at_most(cached, inp), out, batch)


def _gpu_spans(catalog: Catalog, offer: Offer, model_id: str, s: dict, ledger: _Ledger) -> GpuSpans:
    """A replica's throughput for the tuned model and this workload's shape:
    the GPU's measured rates at its benchmark size (decode at the context a
    request holds while it writes), times the GPUs in a replica, scaled
    inversely with the parameter count (compute and memory traffic per token
    both grow with it)."""
    inference = offer.inference
    gpu = catalog.gpus[inference.gpu]
    bench = gpu.throughput
    scale = inference.gpus * bench.parameters_b / catalog.models[model_id].parameters_b
    tuned_in = s["usage.tuned_input_tokens"] if s.get("usage.tuned_input_tokens") is not None else \
        s["usage.input_tokens"]
    context = tuned_in + s["usage.output_tokens"] / 2
    decode = bench.decode_at(context)
    size = format(bench.parameters_b, "g")
    ledger.note(f"{gpu.name} per GPU-hour", gpu.per_hour, gpu)
    ledger.note(f"{gpu.name} prefill tokens a second ({size}B model)", bench.prefill_tokens_per_second, bench, "rate")
    ledger.note(f"{gpu.name} decode tokens a second ({size}B model, {round(context):,}-token context)", decode,
                bench, "rate")
    return GpuSpans(gpu.name, inference.gpus, gpu.per_hour, _scaled(bench.prefill_tokens_per_second, scale),
                    _scaled(decode, scale), inference.utilisation)


def _scaled(span: Span, factor: float) -> Span:
    return (span[0] * factor, span[1] * factor)


def _at_most(span: Span, cap: Span) -> Span:
    return (min(span[0], cap[0]), min(span[1], cap[1]))


def train_price(catalog: Catalog, offer: Offer) -> Span:
    """$ per 1M training tokens: listed, or a rented GPU's hour over its throughput."""
    if offer.training.per_1m is not None:
        return offer.training.per_1m
    gpu = catalog.gpus[offer.training.gpu]
    low_tps, high_tps = offer.training.tokens_per_second
    return (gpu.per_hour[0] / (high_tps * 3600 / 1e6), gpu.per_hour[1] / (low_tps * 3600 / 1e6))


# -- one corner: every price a plain number


@dataclass(frozen=True)
class TokenRates:
    input: float
    cached: float
    output: float
    batch_discount: float

    def request(self, tokens_in: int, cached: int, tokens_out: int, batch_share: float = 0.0) -> float:
        """$ for one request; the batch discount on the share that waits."""
        listed = ((tokens_in - cached) * self.input + cached * self.cached + tokens_out * self.output) / 1e6
        return listed * (1 - batch_share * self.batch_discount)


@dataclass(frozen=True)
class Replica:
    gpus: int
    per_hour: float  # per GPU
    prefill: float
    decode: float
    utilisation: float

    @property
    def per_month(self) -> float:
        return self.gpus * self.per_hour * HOURS_PER_MONTH

    def seconds(self, uncached_in: int, tokens_out: int) -> float:
        """Replica-seconds one request takes at saturated throughput."""
        return uncached_in / self.prefill + tokens_out / self.decode


@dataclass(frozen=True)
class Rates:
    train_per_1m: float
    baseline: TokenRates
    tuned: TokenRates | None
    replica: Replica | None
    hosting_per_month: float
    embed_per_1m: float


def _tokens_at(spans: TokenSpans, end: str) -> TokenRates:
    return TokenRates(_end(spans.input, end), _end(spans.cached, end), _end(spans.output, end), spans.batch_discount)


def rates_at(prices: Prices, tuned: str, baseline: str) -> Rates:
    """The prices at one end of their ranges: ``tuned`` for everything of the
    fine-tuned option, ``baseline`` for the model prompted today."""
    gpu = prices.gpu
    replica = gpu and Replica(gpu.gpus, _end(gpu.per_hour, tuned), _far(gpu.prefill, tuned),
                              _far(gpu.decode, tuned), gpu.utilisation)
    return Rates(_end(prices.train_per_1m, tuned), _tokens_at(prices.baseline, baseline),
                 prices.tuned and _tokens_at(prices.tuned, tuned), replica, prices.hosting_per_month,
                 prices.embed_per_1m)


CHEAP = ("low", "low")  # (tuned, baseline) ends: every option at its lowest
DEAR = ("high", "high")
