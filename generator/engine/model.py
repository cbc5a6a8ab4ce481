"""The catalog model: providers, models, fine-tuning offers, GPUs and prices.

Frozen dataclasses, built only by ``catalog.read_catalog`` from validated
plain values, so code holding a Catalog never re-checks what it holds.
Every price inherits ``Dated``: a figure nobody can date or trace is not
published. A price or a throughput that a source quotes as a range is a
``Span`` (low, high); an exact figure is a span whose ends are equal.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import cached_property

GOALS = ("style", "reasoning", "cost", "code")
KINDS = ("hosted", "self_hosted")
TIERS = ("small", "mid", "frontier")
SMALL_PARAMETERS_B = 15
METHODS = ("lora", "qlora", "full")

Span = tuple  # (low, high) floats, low <= high


@dataclass(frozen=True)
class Dated:
    as_of: str
    source: str
    note: str | None = None  # why a source is secondary or old, when it is


@dataclass(frozen=True)
class Provider:
    id: str
    name: str
    url: str
    summary: str


@dataclass(frozen=True)
class TokenPrice(Dated):
    """$ per 1M tokens. ``cached_input_per_1m`` is what a prompt-cache hit
    costs (None: the model has no cache price, so cached tokens bill as
    input); ``batch_discount`` is the share a batch API takes off every
    token (None: no batch API)."""

    input_per_1m: Span = (0.0, 0.0)
    output_per_1m: Span = (0.0, 0.0)
    cached_input_per_1m: Span | None = None
    batch_discount: float | None = None
    cache_min_tokens: int | None = None  # a shorter prefix is not cached (None: 1,024, OpenAI's and Anthropic's)
    batch_caches: bool = False  # cached tokens keep their price inside a batch (most vendors list none)


@dataclass(frozen=True)
class Licence(Dated):
    """The licence open weights come under: its name, where to read it, and
    whether it lets a team use the model in a commercial product."""

    name: str = ""
    url: str = ""
    commercial: bool = True


@dataclass(frozen=True)
class DataTerms(Dated):
    """What a hosted tuning offer does with the training data sent to it."""

    retention: str = ""  # how long the data and the tuned model's files are kept
    training_use: str = ""  # whether the vendor trains its own models on it
    regions: str = ""  # where it is processed


@dataclass(frozen=True)
class Speed(Dated):
    """A model's measured speed for one request: seconds to the first token
    (for a prompt of ``at_input_tokens``, or a short one when unknown) and
    output tokens a second."""

    first_token_s: Span = (0.0, 0.0)
    output_tokens_per_s: Span = (1.0, 1.0)
    at_input_tokens: int | None = None


@dataclass(frozen=True)
class Model:
    id: str
    name: str
    provider: str
    summary: str
    open_weights: bool
    parameters_b: float | None
    context_tokens: int | None
    price: TokenPrice | None
    retires: str | None
    successor: str | None = None  # the model its vendor moves its users to
    tier: str | None = None  # small | mid | frontier; unset: small when open and at most 15B
    aliases: tuple = ()  # its names in other price lists (LiteLLM's keys), for ftsite check --drift
    licence: Licence | None = None  # required of open weights
    speed: Speed | None = None  # for the latency estimates; None: no measurement found

    @property
    def small(self) -> bool:
        """A model of the size the guide means by "tune a smaller model"."""
        if self.tier is not None:
            return self.tier == "small"
        return self.parameters_b is not None and self.parameters_b <= SMALL_PARAMETERS_B


@dataclass(frozen=True)
class Throughput(Dated):
    """What one GPU serves of a model of ``parameters_b`` billion parameters,
    in tokens a second when saturated: prefill (prompt tokens read), and
    decode (tokens written) measured at a few context lengths, since the KV
    cache each sequence holds limits how many decode at once. Other model
    sizes scale inversely with parameters."""

    parameters_b: float = 8.0
    prefill_tokens_per_second: Span = (1.0, 1.0)
    decode: tuple = ()  # of (context tokens, Span), by context

    def decode_at(self, context: float) -> Span:
        """Decode throughput at ``context`` tokens: log-linear between the
        measured points, the nearest point's outside them."""
        points = self.decode
        if context <= points[0][0]:
            return points[0][1]
        for (c0, low0), (c1, low1) in zip(points, points[1:]):
            if context <= c1:
                t = math.log(context / c0) / math.log(c1 / c0)
                return tuple(math.exp(math.log(a) + t * (math.log(b) - math.log(a))) for a, b in zip(low0, low1))
        return points[-1][1]


@dataclass(frozen=True)
class Gpu(Dated):
    id: str = ""
    name: str = ""
    provider: str = ""
    per_hour: Span = (0.0, 0.0)
    throughput: Throughput | None = None
    min_gpus: int = 1  # sold only as a node of this many


@dataclass(frozen=True)
class Epochs:
    """An offer's default epochs: a fixed number, or, where the vendor picks
    "auto", ``target`` epochs held between a minimum and a maximum number of
    examples seen (OpenAI's rule: 3 epochs, at least 100 and at most 25,000
    examples trained on, never under 1 or over 25 epochs)."""

    target: int
    min_examples_seen: int | None = None
    max_examples_seen: int | None = None
    min_epochs: int = 1
    max_epochs: int = 25

    def for_examples(self, examples: int) -> int:
        if self.max_examples_seen and examples * self.target > self.max_examples_seen:
            return max(self.min_epochs, self.max_examples_seen // examples)
        if self.min_examples_seen and examples * self.target < self.min_examples_seen:
            return min(self.max_epochs, self.min_examples_seen // examples)
        return self.target


@dataclass(frozen=True)
class Training(Dated):
    """Hosted offers bill per 1M tokens; self-hosted ones rent a GPU."""

    per_1m: Span | None = None
    gpu: str | None = None
    tokens_per_second: Span | None = None
    minimum_usd: float = 0.0


@dataclass(frozen=True)
class Inference(Dated):
    """How a tuned model is billed: listed prices per model, a multiplier on
    the base price (cached input included), or replicas of ``gpus`` GPUs
    kept running to serve it, as many as the peak load needs."""

    multiplier: float | None = None
    listed: dict = field(default_factory=dict)  # model id -> TokenPrice-like (input, output, cached) spans
    aliases: dict = field(default_factory=dict)  # model id -> the tuned model's names in other price lists
    batch_discount: float | None = None
    gpu: str | None = None
    gpus: int = 1  # GPUs per replica
    utilisation: float = 0.5  # the share of saturated throughput usable at a latency target
    hosting_per_month_usd: float = 0.0


@dataclass(frozen=True)
class Availability:
    """Dates an offer closes: to organisations that are new to it, and to
    every new training job. A closed offer's tuned models may still serve."""

    new_jobs_until: str | None
    note: str | None
    new_customers_until: str | None = None

    def open_to_new_customers(self, day: str) -> bool:
        return all(until is None or day < until for until in (self.new_customers_until, self.new_jobs_until))


@dataclass(frozen=True)
class Offer:
    id: str
    name: str
    provider: str
    summary: str
    kind: str
    method: str
    models: tuple[str, ...]
    epochs: Epochs
    training: Training
    inference: Inference
    availability: Availability | None
    successor: str | None = None  # where its users retrain when its tuned models retire
    data_terms: DataTerms | None = None  # required of hosted offers

    def open_to_new_customers(self, day: str) -> bool:
        return self.availability is None or self.availability.open_to_new_customers(day)


@dataclass(frozen=True)
class Embedding(Dated):
    name: str = ""
    provider: str = ""
    per_1m: float = 0.0
    dimensions: int = 1536


@dataclass(frozen=True)
class VectorStore(Dated):
    """Billed the way its vendor bills: any of reads (units per query, or data
    scanned and returned), writes (units, or data written), storage, stored
    vector dimensions and a flat fee, with a monthly minimum that usage counts
    towards (a floor, not a fee on top)."""

    id: str = ""
    name: str = ""
    provider: str = ""
    minimum_per_month_usd: float = 0.0
    per_month_usd: float = 0.0  # a flat fee, whatever the usage
    dimensions_per_1m_month: float = 0.0  # $ per 1M stored vector dimensions a month
    write_per_gb: float = 0.0  # $ per GB written
    scan_per_tb: float = 0.0  # $ per TB of index a query scans
    returned_per_gb: float = 0.0  # $ per GB a query returns
    read_per_1m_units: float = 0.0
    read_units_per_gb: float = 1.0  # read units a query costs per GB of index searched
    min_read_units: float = 0.0  # read units a query costs at least
    write_per_1m_units: float = 0.0
    write_unit_kb: float = 1.0  # one write unit per this many KB written
    storage_per_gb_month: float = 0.0


@dataclass(frozen=True)
class Rag:
    embedding: Embedding
    vector_stores: dict  # id -> VectorStore
    chunk_tokens: int = 512  # tokens per indexed chunk
    bytes_per_token: float = 4.0  # chunk text kept beside each vector, as metadata


@dataclass(frozen=True)
class Measure(Dated):
    value: Span = (0.0, 0.0)


@dataclass(frozen=True)
class Latency:
    """The catalog-wide measurements the latency estimates use besides each
    model's speed: how fast a prompt is read (prefill, tokens a second), and
    how long a retrieval call takes (seconds)."""

    prefill_tokens_per_s: Measure
    retrieval_s: Measure


@dataclass(frozen=True)
class Advice:
    goal: str
    title: str
    summary: str
    models: tuple[str, ...]
    offers: tuple[str, ...]


@dataclass(frozen=True)
class Change:
    date: str
    subject: str
    what: str
    unit: str | None
    old: float | None
    new: float | None
    note: str
    source: str


@dataclass(frozen=True)
class Catalog:
    providers: dict[str, Provider]
    models: dict[str, Model]
    offers: dict[str, Offer]
    gpus: dict[str, Gpu]
    rag: Rag
    advice: dict[str, Advice]
    changelog: tuple[Change, ...]
    latency: Latency | None = None  # None: the latency estimates are not made
    defaults: dict = field(default_factory=dict)  # filled in by scenario.read_defaults
    build_date: str = "1970-01-01"  # the day the defaults were read for: where the default horizon starts

    @cached_property  # asked for on every evaluation; the catalog never changes
    def as_of(self) -> str:
        """The catalog's date: the newest date any of its figures carries."""
        dates = [c.date for c in self.changelog] + [p.as_of for p in _prices(self)]
        return max(dates) if dates else "1970-01-01"


def _prices(catalog: Catalog) -> list[Dated]:
    found: list[Dated] = [m.price for m in catalog.models.values() if m.price]
    for offer in catalog.offers.values():
        found += [offer.training, offer.inference]
    for gpu in catalog.gpus.values():
        found += [gpu] + ([gpu.throughput] if gpu.throughput else [])
    return found + [catalog.rag.embedding] + list(catalog.rag.vector_stores.values())
