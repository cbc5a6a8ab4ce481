"""Prices: which figure each cost uses, where it came from, and its range.

A ``Setup`` says what serves the options in one period of the horizon:
the baseline model prompted, and the offer and model tuned. For the
scenario's own setup the reader's ``prices.*`` take precedence over the
catalog; once a model retires and its successor takes over, the catalog's
prices apply. Every price used is recorded with its date and source, and
with the part of the bill it feeds, so the page can list what it used.

A price quoted as a range stays a range. Every cost rises with every price,
so an option's low figure is its cost with each price at its low end (and
each throughput at its high end), and its high figure the reverse:
``rates_at`` gives the plain numbers of one such end.
"""

from __future__ import annotations

from dataclasses import dataclass

from .model import Catalog, Offer, Span, TokenPrice, VectorStore
from .workload import tuned_cached_tokens

HOURS_PER_MONTH = 730
DEFAULT_CACHE_MIN = 1024  # the shortest prefix OpenAI and Anthropic cache (Sonnet and Opus)


@dataclass(frozen=True)
class Setup:
    """What serves the options in one period: the model prompted, the offer
    and model tuned, and whether the reader's own prices apply. ``fallback``:
    the tuned model has retired with no offer to retrain on, so the
    fine-tuned option prompts the baseline again."""

    baseline: str
    offer: str
    tuned: str
    own: bool = True
    fallback: bool = False


def own_setup(catalog: Catalog, s: dict) -> Setup:
    return Setup(s["usage.baseline_model"], s["training.offer"], tuned_model(catalog, s))


def tuned_model(catalog: Catalog, s: dict) -> str:
    return s.get("usage.tuned_model") or catalog.offers[s["training.offer"]].models[0]


# -- prices: spans from the catalog and the reader


@dataclass(frozen=True)
class TokenSpans:
    input: Span
    cached: Span  # equals input where the model has no cache price
    output: Span
    batch_discount: float
    cache_min: int  # a prefix shorter than this is not cached
    batch_caches: bool  # whether cached tokens keep their price inside a batch


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
    train_minimum: float
    baseline: TokenSpans
    tuned: TokenSpans | None  # None when the tuned model is served on GPUs
    gpu: GpuSpans | None
    hosting_per_month: float
    embed_per_1m: float
    store: VectorStore


class Ledger:
    """Takes each price from the reader when given, else from the catalog,
    and records which it was and what it is for (baseline, tuned, training,
    rag), once per figure, so the page can list every price it used."""

    def __init__(self):
        self.used: list[dict] = []

    def take(self, role: str, what: str, own, listed, dated, unit: str = "usd") -> object:
        if own is not None:
            self._add({"what": what, "value": own, "unit": unit, "as_of": None, "source": "your own figure",
                       "role": role})
            return tuple(own) if isinstance(own, list) else own
        self.note(role, what, listed, dated, unit)
        return listed

    def note(self, role: str, what: str, value, dated, unit: str = "usd") -> None:
        """``unit``: usd (a price), share (a discount, 0-1) or rate (tokens a second)."""
        self._add({"what": what, "value": list(value) if isinstance(value, tuple) else value, "unit": unit,
                   "as_of": dated.as_of, "source": dated.source, "role": role})

    def _add(self, entry: dict) -> None:
        # floats always: a catalog read from JSON in the browser may hold 1 where
        # the build's YAML held 1.0, and the two runtimes must answer alike
        value = entry["value"]
        entry["value"] = [float(v) for v in value] if isinstance(value, list) else float(value)
        if entry not in self.used:
            self.used.append(entry)


def prices_for(catalog: Catalog, s: dict, setup: Setup, ledger: Ledger) -> Prices:
    """The prices one setup runs on; the reader's own where ``setup.own``."""
    offer = catalog.offers[setup.offer]
    own = s if setup.own else {}
    train = ledger.take("training", f"{offer.name}: training per 1M tokens", own.get("prices.train_per_1m"),
                        train_price(catalog, offer), offer.training)
    baseline = _baseline(catalog, s, own, setup.baseline, ledger)
    gpu = _gpu_spans(catalog, offer, setup.tuned, s, ledger) if offer.inference.gpu else None
    tuned = None if gpu else _tuned(catalog, offer, setup.tuned, s, own, ledger)
    if offer.inference.hosting_per_month_usd:
        ledger.note("tuned", f"{offer.name}: hosting a month", offer.inference.hosting_per_month_usd,
                    offer.inference)
    store = catalog.rag.vector_stores[s["rag.vector_store"]]
    embedding = catalog.rag.embedding
    ledger.note("rag", f"{embedding.name} per 1M tokens", embedding.per_1m, embedding)
    for key, what in (("minimum_per_month_usd", "minimum a month"), ("per_month_usd", "a month"),
                      ("read_per_1m_units", "per 1M read units"), ("write_per_1m_units", "per 1M write units"),
                      ("storage_per_gb_month", "storage per GB a month"),
                      ("dimensions_per_1m_month", "per 1M stored dimensions a month"),
                      ("write_per_gb", "per GB written"), ("scan_per_tb", "per TB scanned"),
                      ("returned_per_gb", "per GB returned")):
        if getattr(store, key):
            ledger.note("rag", f"{store.name} {what}", getattr(store, key), store)
    return Prices(train, offer.training.minimum_usd, baseline, tuned, gpu, offer.inference.hosting_per_month_usd,
                  embedding.per_1m, store)


def _baseline(catalog: Catalog, s: dict, own: dict, model_id: str, ledger: Ledger) -> TokenSpans:
    model = catalog.models[model_id]
    price = model.price or TokenPrice("", "")
    name = model.name
    inp = ledger.take("baseline", f"{name} input per 1M", own.get("prices.baseline_input_per_1m"),
                      price.input_per_1m, price)
    cached = inp
    own_cached = own.get("prices.baseline_cached_input_per_1m")
    if own_cached is not None or (price.cached_input_per_1m is not None and s["usage.cached_input_tokens"]):
        listed = _at_most(price.cached_input_per_1m, inp) if price.cached_input_per_1m else inp
        cached = ledger.take("baseline", f"{name} cached input per 1M", own_cached, listed, price)
    out = ledger.take("baseline", f"{name} output per 1M", own.get("prices.baseline_output_per_1m"),
                      price.output_per_1m, price)
    own_batch = own.get("prices.baseline_batch_discount")
    batch = price.batch_discount or 0.0
    if own_batch is not None or (price.batch_discount is not None and s["usage.batch_share"]):
        batch = ledger.take("baseline", f"{name} batch discount", own_batch, price.batch_discount, price, "share")
    return TokenSpans(inp, _at_most(cached, inp), out, batch, price.cache_min_tokens or DEFAULT_CACHE_MIN,
                      price.batch_caches)


def _tuned(catalog: Catalog, offer: Offer, model_id: str, s: dict, own: dict, ledger: Ledger) -> TokenSpans:
    """Tuned-model prices: listed, or the base price times the multiplier
    (cached input too), with the reader's own taking precedence."""
    inference = offer.inference
    base = catalog.models[model_id].price or TokenPrice("", "")
    name = f"tuned {catalog.models[model_id].name}"
    listed = inference.listed.get(model_id)
    if listed is None:
        factor = inference.multiplier or 0.0
        scaled = [_scaled(span, factor) for span in (base.input_per_1m, base.output_per_1m)]
        cached = base.cached_input_per_1m and _scaled(base.cached_input_per_1m, factor)
        listed = TokenPrice(inference.as_of, inference.source, None, scaled[0], scaled[1], cached,
                            base.batch_discount, base.cache_min_tokens, base.batch_caches)
    inp = ledger.take("tuned", f"{name} input per 1M", own.get("prices.tuned_input_per_1m"), listed.input_per_1m,
                      inference)
    cached = inp
    if listed.cached_input_per_1m is not None and tuned_cached_tokens(s):
        cached = ledger.take("tuned", f"{name} cached input per 1M", None, _at_most(listed.cached_input_per_1m, inp),
                             inference)
    out = ledger.take("tuned", f"{name} output per 1M", own.get("prices.tuned_output_per_1m"),
                      listed.output_per_1m, inference)
    batch = listed.batch_discount if listed.batch_discount is not None else inference.batch_discount
    if batch is not None and s["usage.batch_share"]:
        ledger.note("tuned", f"{name} batch discount", batch, inference, "share")
    return TokenSpans(inp, _at_most(cached, inp), out, batch or 0.0,
                      listed.cache_min_tokens or base.cache_min_tokens or DEFAULT_CACHE_MIN, listed.batch_caches)


def _gpu_spans(catalog: Catalog, offer: Offer, model_id: str, s: dict, ledger: Ledger) -> GpuSpans:
    """A replica's throughput for the tuned model and this workload's shape:
    the GPU's measured rates at its benchmark size (decode at the context a
    request holds while it writes), times the GPUs in a replica, scaled
    inversely with the parameter count (compute and memory traffic per token
    both grow with it)."""
    inference = offer.inference
    gpu = catalog.gpus[inference.gpu]
    bench = gpu.throughput
    gpus = max(inference.gpus, gpu.min_gpus)
    scale = gpus * bench.parameters_b / catalog.models[model_id].parameters_b
    tuned_in = s["usage.tuned_input_tokens"] if s.get("usage.tuned_input_tokens") is not None else \
        s["usage.input_tokens"]
    context = tuned_in + s["usage.output_tokens"] / 2
    decode = bench.decode_at(context)
    size = format(bench.parameters_b, "g")
    ledger.note("tuned", f"{gpu.name} per GPU-hour", gpu.per_hour, gpu)
    ledger.note("tuned", f"{gpu.name} prefill tokens a second ({size}B model)", bench.prefill_tokens_per_second,
                bench, "rate")
    ledger.note("tuned", f"{gpu.name} decode tokens a second ({size}B model, {round(context):,}-token context)",
                decode, bench, "rate")
    return GpuSpans(gpu.name, gpus, gpu.per_hour, _scaled(bench.prefill_tokens_per_second, scale),
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


# -- one end of the ranges: every price a plain number


@dataclass(frozen=True)
class TokenRates:
    input: float
    cached: float
    output: float
    batch_discount: float
    cache_min: int
    batch_caches: bool

    def request(self, tokens_in: int, cached: int, tokens_out: int, batch_share: float = 0.0) -> float:
        """$ for one request. A prefix shorter than the vendor's minimum is not
        cached. The share that can wait goes to the batch API when that is
        cheaper: a batch bills at (1 - discount), on the whole input where the
        vendor lists no cached price for batches."""
        hit = cached if cached >= self.cache_min else 0
        listed = ((tokens_in - hit) * self.input + hit * self.cached + tokens_out * self.output) / 1e6
        if not (batch_share and self.batch_discount):
            return listed
        batched = listed if self.batch_caches else (tokens_in * self.input + tokens_out * self.output) / 1e6
        batched = min(listed, batched * (1 - self.batch_discount))
        return (1 - batch_share) * listed + batch_share * batched


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
    train_minimum: float
    baseline: TokenRates
    tuned: TokenRates | None
    replica: Replica | None
    hosting_per_month: float
    embed_per_1m: float
    store: VectorStore


def _end(span: Span, end: str) -> float:
    return span[0] if end == "low" else span[1]


def _far(span: Span, end: str) -> float:
    """A throughput's end for a cost end: the cheap end runs fastest."""
    return span[1] if end == "low" else span[0]


def _tokens_at(spans: TokenSpans, end: str) -> TokenRates:
    return TokenRates(_end(spans.input, end), _end(spans.cached, end), _end(spans.output, end), spans.batch_discount,
                      spans.cache_min, spans.batch_caches)


def rates_at(prices: Prices, tuned: str, baseline: str) -> Rates:
    """The prices at one end of their ranges: ``tuned`` for everything of the
    fine-tuned option, ``baseline`` for the model prompted."""
    gpu = prices.gpu
    replica = gpu and Replica(gpu.gpus, _end(gpu.per_hour, tuned), _far(gpu.prefill, tuned),
                              _far(gpu.decode, tuned), gpu.utilisation)
    return Rates(_end(prices.train_per_1m, tuned), prices.train_minimum, _tokens_at(prices.baseline, baseline),
                 prices.tuned and _tokens_at(prices.tuned, tuned), replica, prices.hosting_per_month,
                 prices.embed_per_1m, prices.store)


def middle_of(span: tuple) -> float:
    """The middle of a range: where flips.py prices every range, and where the tornado holds the others."""
    low, high = span
    return low if low == high else (low + high) / 2


def rates_drawn(prices: Prices, at) -> Rates:
    """The prices at one point within every range, ``at(span)`` picking each
    (a Monte Carlo draw): a cached price never above its input price, and a
    model without a cache price billing cached tokens as input."""
    def tokens(spans: TokenSpans) -> TokenRates:
        inp = at(spans.input)
        cached = inp if spans.cached == spans.input else min(at(spans.cached), inp)
        return TokenRates(inp, cached, at(spans.output), spans.batch_discount, spans.cache_min, spans.batch_caches)

    gpu = prices.gpu
    replica = gpu and Replica(gpu.gpus, at(gpu.per_hour), at(gpu.prefill), at(gpu.decode), gpu.utilisation)
    return Rates(at(prices.train_per_1m), prices.train_minimum, tokens(prices.baseline),
                 prices.tuned and tokens(prices.tuned), replica, prices.hosting_per_month, prices.embed_per_1m,
                 prices.store)
