"""The cost model: what each option costs once, each month and over the horizon.

Costs follow how vendors bill, at one end of the price ranges
(``prices.rates_at``), period by period (``timeline``):

- token-billed models charge input, cached input and output per 1M tokens
  (a prefix shorter than the vendor's minimum is not cached), and the share
  of requests that can wait goes to a batch API when that is cheaper;
- GPUs, rented or behind a dedicated endpoint, bill whole replicas by the
  hour: as many as the peak load needs, never fewer than are kept up;
- a vector store bills reads, writes, storage and stored dimensions, with a
  monthly minimum that usage counts towards;
- training bills examples x tokens x epochs (+ validation) per run, never
  below the offer's minimum, and every run pays one pass over the eval set;
  a tuned model that retires inside the horizon is trained again on its
  offer's successor;
- engineering hours and labelling are paid once;
- tuning with retrieval (``fine_tune_rag``) pays both builds, the tuned
  model's prices with the retrieved context in every prompt, every eval
  example and every training example (it learns to use the passages, so it
  trains on them), and retrieval's index, store and embedding.

An option's horizon total is its one-time costs plus each period's months
times that period's monthly cost, summed from unrounded figures.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from .model import Catalog, Offer
from .prices import Rates, Replica
from .timeline import Period
from .workload import Workload, with_context, workload

SECONDS_PER_MONTH = 730 * 3600

OPTIONS = ("prompt", "rag", "fine_tune", "fine_tune_rag")
PARTS = {  # what each option's total is made of, in the order a page lists them
    "prompt": ("engineering", "serving"),
    "rag": ("engineering", "indexing", "serving", "vector_store", "embedding"),
    "fine_tune": ("engineering", "labelling", "training", "eval", "migration", "serving"),
    "fine_tune_rag": ("engineering", "labelling", "training", "eval", "migration", "indexing", "serving",
                      "vector_store", "embedding"),
}


@dataclass(frozen=True)
class OptionBill:
    one_time: dict  # part -> $, paid once
    periods: tuple  # of (months, {part: $ a month})

    # math.fsum, not sum(): CPython 3.12 made sum() of floats compensated, so
    # sum() would differ in the last digit between the build and Pyodide.
    def one_time_total(self) -> float:
        return math.fsum(self.one_time.values())

    def monthly_total(self, period: int = 0) -> float:
        return math.fsum(self.periods[period][1].values())

    def horizon(self) -> float:
        return math.fsum([self.one_time_total()] + [months * math.fsum(parts.values())
                                                    for months, parts in self.periods])

    def parts(self) -> dict:
        """Each part's share of the horizon total."""
        found = dict(self.one_time)
        for months, parts in self.periods:
            for key, value in parts.items():
                found[key] = found.get(key, 0.0) + months * value
        return found

    def cumulative(self) -> list[float]:
        """The running total at the end of month 0, 1, ... (month 0: one-time costs only)."""
        totals = [self.one_time_total()]
        for months, parts in self.periods:
            monthly = math.fsum(parts.values())
            totals += [totals[-1] + monthly * (i + 1) for i in range(months)]
        return totals


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
    training: dict  # tuned option -> Training
    replicas: dict | None  # {tuned option: GPU replicas serving it in the first period}, when on GPUs


def bill(catalog: Catalog, s: dict, periods: tuple[Period, ...], rates: list[Rates],
         requests: float | None = None) -> Bill:
    """Every option's costs at one end of the price ranges, period by period
    (``rates[i]`` for ``periods[i]``), at the scenario's volume or at
    ``requests`` a month."""
    w = workload(s, requests)
    first = rates[0]
    hourly = s["effort.hourly_usd"]
    context = with_context(w)
    tuned_one_time = _tuned_one_time(catalog, s, periods, rates, w)
    hybrid_one_time = _tuned_one_time(catalog, with_passages(s), periods, rates, context)
    prompt, rag, tuned, hybrid = [], [], [], []
    for period, r in zip(periods, rates, strict=True):
        prompt_monthly = {"serving": w.requests * r.baseline.request(w.input, w.cached, w.output, w.batch_share)}
        rag_monthly = _rag_monthly(catalog, s, r, w, context)
        prompt.append((period.months, prompt_monthly))
        rag.append((period.months, rag_monthly))
        fallback = period.setup.fallback
        tuned.append((period.months, prompt_monthly if fallback else {"serving": _tuned_serving(w, r)}))
        hybrid.append((period.months, rag_monthly if fallback else
                       {**rag_monthly, "serving": _tuned_serving(context, r)}))
    corpus = _corpus(catalog, s)
    store = vector_store_bill(catalog, first.store, corpus, w.requests, s["rag.monthly_churn"], s["usage.rag_context_tokens"])
    indexing = corpus.tokens * first.embed_per_1m / 1e6 + store["first_month"] - store["monthly"]
    rag_engineering = s["effort.rag_hours"] * hourly
    options = {"prompt": OptionBill({"engineering": s["effort.prompt_hours"] * hourly}, tuple(prompt)),
               "rag": OptionBill({"engineering": rag_engineering, "indexing": indexing}, tuple(rag)),
               "fine_tune": OptionBill(tuned_one_time[1], tuple(tuned)),
               "fine_tune_rag": OptionBill({**hybrid_one_time[1], "indexing": indexing,
                                            "engineering": hybrid_one_time[1]["engineering"] + rag_engineering},
                                           tuple(hybrid))}
    train = {"fine_tune": tuned_one_time[0], "fine_tune_rag": hybrid_one_time[0]}
    on_gpus = first.replica and not periods[0].setup.fallback
    replicas = {"fine_tune": gpu_replicas(w, first.replica), "fine_tune_rag": gpu_replicas(context, first.replica)} \
        if on_gpus else None
    return Bill(options, train, replicas)


def with_passages(s: dict) -> dict:
    """The scenario whose training examples carry the retrieved passages, as
    a model tuned to use them is trained."""
    return {**s, "training.tokens_per_example": s["training.tokens_per_example"] + s["usage.rag_context_tokens"]}


def _tuned_one_time(catalog: Catalog, s: dict, periods: tuple[Period, ...], rates: list[Rates],
                    w: Workload) -> tuple:
    """(Training, {part: $}) of a tuned option whose requests are ``w``: the
    eval examples are requests like the others, so with retrieval they carry
    the retrieved context too."""
    train = training(s, catalog.offers[periods[0].setup.offer], rates[0], w)
    migration = math.fsum(_retrain(s, catalog.offers[p.setup.offer], r, w)
                          for p, r in zip(periods, rates, strict=True) if p.retrain)
    return train, {"engineering": s["effort.fine_tune_hours"] * s["effort.hourly_usd"], "labelling": train.labelling,
                   "training": train.total, "eval": train.eval_per_run * train.runs, "migration": migration}


def training(s: dict, offer: Offer, rates: Rates, w: Workload) -> Training:
    """Billed tokens = examples x tokens per example x epochs + validation
    tokens; the offer's own epochs unless the reader sets them."""
    examples = s["training.examples"]
    epochs = s["training.epochs"] or offer.epochs.for_examples(examples)
    tokens = examples * s["training.tokens_per_example"] * epochs + s["training.validation_tokens"]
    per_run = max(rates.train_minimum, rates.train_per_1m * tokens / 1e6)
    return Training(epochs, tokens, per_run, s["training.runs"], s["training.eval_examples"] * _eval_request(rates, w),
                    examples * s["training.label_usd_per_example"])


def _retrain(s: dict, offer: Offer, rates: Rates, w: Workload) -> float:
    """Training again on a successor offer: the same data, its own epochs and
    prices, every run with its eval pass."""
    again = training({**s, "training.epochs": None}, offer, rates, w)
    return again.total + again.eval_per_run * again.runs


def _eval_request(rates: Rates, w: Workload) -> float:
    """One eval example on the tuned model: its tokens at list price, or its
    GPU time at full throughput (an eval runs as one batch job, so no
    headroom for latency is needed)."""
    if rates.replica:
        replica = rates.replica
        return replica.seconds(w.tuned_input - w.tuned_cached, w.output) / 3600 * replica.gpus * replica.per_hour
    return rates.tuned.request(w.tuned_input, w.tuned_cached, w.output)


def _tuned_serving(w: Workload, rates: Rates) -> float:
    if rates.replica:
        return rates.hosting_per_month + gpu_replicas(w, rates.replica) * rates.replica.per_month
    return rates.hosting_per_month + w.requests * rates.tuned.request(w.tuned_input, w.tuned_cached, w.output,
                                                                      w.batch_share)


def replicas_per_request(w: Workload, replica: Replica) -> float:
    """Replicas one request a month keeps busy at the peak hour.

    Requests that can wait for a batch fill the quiet hours, so the peak is
    the interactive share at its peak, or the average of all, whichever is
    more. The prefix a prompt cache holds skips prefill on the GPU too (vLLM
    and SGLang cache prefixes of any length).
    """
    burst = max((1 - w.batch_share) * w.peak_to_average, 1.0)
    busy = replica.seconds(w.tuned_input - w.tuned_cached, w.output) / replica.utilisation
    return burst * busy / SECONDS_PER_MONTH


def gpu_replicas(w: Workload, replica: Replica) -> int:
    """Whole replicas: max(kept up, ceil(peak load / a replica's throughput))."""
    return replicas_at(w.requests, replicas_per_request(w, replica), w.min_replicas)


def replicas_at(requests: float, per_request: float, kept_up: int) -> int:
    load = requests * per_request
    # 2.0000000001 is two, not three: float noise is some units of 1e-16 of the load
    return max(kept_up, math.ceil(load - max(1e-9, 4e-16 * load)))


@dataclass(frozen=True)
class Corpus:
    documents: int
    chunks: int
    tokens: int


def _corpus(catalog: Catalog, s: dict) -> Corpus:
    """Each document is chunked on its own: even a short one is a whole record."""
    documents, per_document = s["rag.documents"], s["rag.tokens_per_document"]
    return Corpus(documents, documents * math.ceil(per_document / catalog.rag.chunk_tokens), documents * per_document)


def _rag_monthly(catalog: Catalog, s: dict, rates: Rates, w: Workload, context: Workload) -> dict:
    """``context``: ``w`` with the retrieved passages in every prompt."""
    corpus = _corpus(catalog, s)
    store = vector_store_bill(catalog, rates.store, corpus, w.requests, s["rag.monthly_churn"], w.rag_context)
    embed = rates.embed_per_1m / 1e6
    return {"serving": w.requests * rates.baseline.request(context.input, w.cached, w.output, w.batch_share),
            "vector_store": store["monthly"],
            "embedding": (w.requests * w.query + s["rag.monthly_churn"] * corpus.tokens) * embed}


def vector_store_bill(catalog: Catalog, store, corpus: Corpus, requests: float, churn: float,
                      context_tokens: int) -> dict:
    """The store's monthly bill, and its first month's, when the whole corpus
    is written: max(minimum, flat + storage + dimensions + reads + writes).

    A chunk is stored as its vector (4 bytes a dimension) and its text. A
    query reads units in proportion to the index's size, with a minimum (or
    scans the index and returns the retrieved passages); writes bill by the KB
    (upserts are batched, so no per-request minimum) or by the GB.
    """
    rag = catalog.rag
    dimensions = rag.embedding.dimensions
    record_kb = (dimensions * 4 + rag.chunk_tokens * rag.bytes_per_token) / 1000
    index_gb = corpus.chunks * record_kb / 1e6
    read_units = max(store.min_read_units, index_gb * store.read_units_per_gb)
    returned_gb = context_tokens * rag.bytes_per_token / 1e9
    reads = requests * (read_units * store.read_per_1m_units / 1e6 + index_gb / 1000 * store.scan_per_tb
                        + returned_gb * store.returned_per_gb)
    write_all = corpus.chunks * record_kb * store.write_per_1m_units / store.write_unit_kb / 1e6 \
        + index_gb * store.write_per_gb
    usage = math.fsum([store.per_month_usd, index_gb * store.storage_per_gb_month,
                       corpus.chunks * dimensions / 1e6 * store.dimensions_per_1m_month, reads, write_all * churn])
    return {"monthly": max(store.minimum_per_month_usd, usage),
            "first_month": max(store.minimum_per_month_usd, usage + write_all), "index_gb": index_gb}
