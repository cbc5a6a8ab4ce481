"""The cost model: what each option costs once, each month and over the horizon.

Costs follow how vendors bill (research/pricing.md §6), at one end of the
price ranges (``prices.rates_at``):

- token-billed models charge input, cached input and output per 1M tokens,
  and a batch API takes its discount off the requests that can wait;
- GPUs, rented or behind a dedicated endpoint, bill whole replicas by the
  hour: as many as the peak load needs, never fewer than are kept up;
- a vector store bills reads, writes and storage, with a monthly minimum
  that usage counts towards;
- training bills examples x tokens x epochs (+ validation) per run, never
  below the offer's minimum, and every run pays one pass over the eval set;
- engineering hours and labelling are paid once.

An option's horizon total is its one-time costs plus its months x its
monthly cost, from unrounded figures.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from .model import Catalog, Offer
from .prices import Rates, Replica
from .workload import Workload, workload

SECONDS_PER_MONTH = 730 * 3600

OPTIONS = ("prompt", "rag", "fine_tune")
ONE_TIME = ("engineering", "labelling", "training", "eval", "indexing")
PARTS = {  # what each option's total is made of, in the order a page lists them
    "prompt": ("engineering", "serving"),
    "rag": ("engineering", "indexing", "serving", "vector_store", "embedding"),
    "fine_tune": ("engineering", "labelling", "training", "eval", "serving"),
}


@dataclass(frozen=True)
class OptionBill:
    one_time: dict  # part -> $, paid once
    monthly: dict  # part -> $ a month

    # math.fsum, not sum(): CPython 3.12 made sum() of floats compensated, so
    # sum() would differ in the last digit between the build and Pyodide.
    def one_time_total(self) -> float:
        return math.fsum(self.one_time.values())

    def monthly_total(self) -> float:
        return math.fsum(self.monthly.values())

    def horizon(self, months: int) -> float:
        return self.one_time_total() + months * self.monthly_total()

    def parts(self, months: int) -> dict:
        """Each part's share of the horizon total."""
        return {**self.one_time, **{k: v * months for k, v in self.monthly.items()}}


@dataclass(frozen=True)
class Training:
    epochs: int
    tokens: int
    per_run: float
    runs: int
    eval_per_run: float
    labelling: float

    @property
    def total(self) -> float:
        return self.per_run * self.runs


@dataclass(frozen=True)
class Bill:
    options: dict  # option -> OptionBill
    training: Training
    replicas: int | None  # GPU replicas serving the tuned model, when it runs on GPUs


def bill(catalog: Catalog, s: dict, rates: Rates, requests: float | None = None) -> Bill:
    """Every option's costs at one end of the price ranges, at the scenario's
    volume or at ``requests`` a month."""
    w = workload(s, requests)
    offer = catalog.offers[s["training.offer"]]
    train = training(s, offer, rates, w)
    hourly = s["effort.hourly_usd"]
    replicas = gpu_replicas(w, rates.replica) if rates.replica else None
    prompt = OptionBill({"engineering": s["effort.prompt_hours"] * hourly},
                        {"serving": w.requests * rates.baseline.request(w.input, w.cached, w.output, w.batch_share)})
    tuned = OptionBill(
        {"engineering": s["effort.fine_tune_hours"] * hourly, "labelling": train.labelling,
         "training": train.total, "eval": train.eval_per_run * train.runs},
        {"serving": _tuned_serving(w, rates, replicas)},
    )
    return Bill({"prompt": prompt, "rag": _rag(catalog, s, rates, w), "fine_tune": tuned}, train, replicas)


def training(s: dict, offer: Offer, rates: Rates, w: Workload) -> Training:
    """Billed tokens = examples x tokens per example x epochs + validation
    tokens; the offer's own epochs unless the reader sets them."""
    examples = s["training.examples"]
    epochs = s["training.epochs"] or offer.epochs.for_examples(examples)
    tokens = examples * s["training.tokens_per_example"] * epochs + s["training.validation_tokens"]
    per_run = max(offer.training.minimum_usd, rates.train_per_1m * tokens / 1e6)
    return Training(epochs, tokens, per_run, s["training.runs"], s["training.eval_examples"] * _eval_request(rates, w),
                    examples * s["training.label_usd_per_example"])


def _eval_request(rates: Rates, w: Workload) -> float:
    """One eval example on the tuned model: its tokens at list price, or its
    GPU time at full throughput (an eval runs as one batch job)."""
    if rates.replica:
        replica = rates.replica
        return replica.seconds(w.tuned_input - w.tuned_cached, w.output) / 3600 * replica.gpus * replica.per_hour
    return rates.tuned.request(w.tuned_input, w.tuned_cached, w.output)


def _tuned_serving(w: Workload, rates: Rates, replicas: int | None) -> float:
    if rates.replica:
        return rates.hosting_per_month + replicas * rates.replica.per_month
    return rates.hosting_per_month + w.requests * rates.tuned.request(w.tuned_input, w.tuned_cached, w.output,
                                                                      w.batch_share)


def replicas_per_request(w: Workload, replica: Replica) -> float:
    """Replicas one request a month keeps busy at the peak hour.

    Requests that can wait for a batch fill the quiet hours, so the peak is
    the interactive share at its peak, or the average of all, whichever is
    more. The prefix a prompt cache holds skips prefill on the GPU too.
    """
    burst = max((1 - w.batch_share) * w.peak_to_average, 1.0)
    busy = replica.seconds(w.tuned_input - w.tuned_cached, w.output) / replica.utilisation
    return burst * busy / SECONDS_PER_MONTH


def gpu_replicas(w: Workload, replica: Replica) -> int:
    """Whole replicas: max(kept up, ceil(peak load / a replica's throughput))."""
    return replicas_at(w.requests, replicas_per_request(w, replica), w.min_replicas)


def replicas_at(requests: float, per_request: float, kept_up: int) -> int:
    load = requests * per_request
    return max(kept_up, math.ceil(load - 1e-9 * max(1.0, load)))  # 2.0000000001 is two, not three


def _rag(catalog: Catalog, s: dict, rates: Rates, w: Workload) -> OptionBill:
    """Retrieval: the longer prompt, the query embedding, the corpus kept
    embedded and indexed, and the vector store's bill."""
    corpus = s["rag.documents"] * s["rag.tokens_per_document"]
    churn = s["rag.monthly_churn"]
    embed = rates.embed_per_1m / 1e6
    store = vector_store_bill(catalog, corpus, w.requests, churn)
    serving = w.requests * rates.baseline.request(w.input + w.rag_context, w.cached, w.output, w.batch_share)
    return OptionBill(
        {"engineering": s["effort.rag_hours"] * s["effort.hourly_usd"],
         "indexing": corpus * embed + store["first_month"] - store["monthly"]},
        {"serving": serving, "vector_store": store["monthly"],
         "embedding": (w.requests * w.query + churn * corpus) * embed},
    )


def vector_store_bill(catalog: Catalog, corpus_tokens: int, requests: float, churn: float | None = None) -> dict:
    """The store's monthly bill and its first month's, when the whole corpus
    is written: max(minimum, storage + reads + writes) each month.

    A chunk is stored as its vector (4 bytes a dimension) and its text; a
    query reads units in proportion to the index's size, with a minimum;
    writes bill by the KB (upserts are batched, so no per-request minimum).
    """
    rag = catalog.rag
    store = rag.vector_store
    chunks = math.ceil(corpus_tokens / rag.chunk_tokens)
    record_kb = (rag.embedding.dimensions * 4 + rag.chunk_tokens * rag.bytes_per_token) / 1000
    index_gb = chunks * record_kb / 1e6
    read_units = max(store.min_read_units, index_gb * store.read_units_per_gb)
    reads = requests * read_units * store.read_per_1m_units / 1e6
    write_all = chunks * record_kb / store.write_unit_kb * store.write_per_1m_units / 1e6
    usage = index_gb * store.storage_per_gb_month + reads + write_all * (churn or 0.0)
    return {"monthly": max(store.minimum_per_month_usd, usage),
            "first_month": max(store.minimum_per_month_usd, usage + write_all), "index_gb": index_gb}
