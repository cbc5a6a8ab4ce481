"""The catalog model: providers, models, fine-tuning offers, GPUs and prices.

Frozen dataclasses, built only by ``catalog.read_catalog`` from validated
plain values, so code holding a Catalog never re-checks what it holds.
Every price inherits ``Dated``: a figure nobody can date or trace is not
published.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

GOALS = ("style", "reasoning", "cost", "code")
KINDS = ("hosted", "self_hosted")
METHODS = ("lora", "qlora", "full")


@dataclass(frozen=True)
class Dated:
    as_of: str
    source: str


@dataclass(frozen=True)
class Provider:
    id: str
    name: str
    url: str
    summary: str


@dataclass(frozen=True)
class TokenPrice(Dated):
    input_per_1m: float = 0.0
    output_per_1m: float = 0.0


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


@dataclass(frozen=True)
class Gpu(Dated):
    id: str = ""
    name: str = ""
    provider: str = ""
    per_hour: float = 0.0


@dataclass(frozen=True)
class Training(Dated):
    """Hosted offers bill per 1M tokens; self-hosted ones rent a GPU."""

    per_1m: tuple[float, float] | None = None
    gpu: str | None = None
    tokens_per_second: float | None = None
    minimum_usd: float = 0.0


@dataclass(frozen=True)
class Inference(Dated):
    """How a tuned model is billed: a multiplier on the base price, listed
    prices per model, or a GPU kept running to serve it."""

    multiplier: float | None = None
    listed: dict = field(default_factory=dict)  # model id -> (input, output)
    gpu: str | None = None
    gpus: int = 1
    output_tokens_per_second: float | None = None  # when given, GPUs scale with volume
    utilisation: float = 0.5
    hosting_per_month_usd: float = 0.0


@dataclass(frozen=True)
class Availability:
    new_jobs_until: str | None
    note: str | None


@dataclass(frozen=True)
class Offer:
    id: str
    name: str
    provider: str
    summary: str
    kind: str
    method: str
    models: tuple[str, ...]
    epochs: int
    training: Training
    inference: Inference
    availability: Availability | None


@dataclass(frozen=True)
class Embedding(Dated):
    name: str = ""
    provider: str = ""
    per_1m: float = 0.0


@dataclass(frozen=True)
class VectorStore(Dated):
    name: str = ""
    provider: str = ""
    per_month_usd: float = 0.0
    per_1k_queries_usd: float = 0.0


@dataclass(frozen=True)
class Rag:
    embedding: Embedding
    vector_store: VectorStore


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
    defaults: dict = field(default_factory=dict)  # filled in by scenario.read_defaults

    @cached_property  # asked for on every evaluation; the catalog never changes
    def as_of(self) -> str:
        """The catalog's date: the newest date any of its figures carries."""
        dates = [c.date for c in self.changelog] + [p.as_of for p in _prices(self)]
        return max(dates) if dates else "1970-01-01"


def _prices(catalog: Catalog) -> list[Dated]:
    found: list[Dated] = [m.price for m in catalog.models.values() if m.price]
    for offer in catalog.offers.values():
        found += [offer.training, offer.inference]
    return found + list(catalog.gpus.values()) + [catalog.rag.embedding, catalog.rag.vector_store]


