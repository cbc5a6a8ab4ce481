"""The workload: what each request reads and writes, and how load arrives.

A request's input is a repeated prefix (system prompt, few-shot examples:
what a prompt cache holds) plus the user's own text, of which the question is
what retrieval embeds. The tuned model reads a shorter prompt.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Workload:
    requests: float
    input: int
    cached: int
    output: int
    query: int
    rag_context: int
    tuned_input: int
    tuned_cached: int
    batch_share: float
    peak_to_average: float
    min_replicas: int


def workload(s: dict, requests: float | None = None) -> Workload:
    """The scenario's workload, at its own volume or at ``requests`` a month."""
    inp = s["usage.input_tokens"]
    tuned = s["usage.tuned_input_tokens"] if s.get("usage.tuned_input_tokens") is not None else inp
    return Workload(s["usage.requests_per_month"] if requests is None else requests, inp,
                    s["usage.cached_input_tokens"], s["usage.output_tokens"], s["usage.query_tokens"],
                    s["usage.rag_context_tokens"], tuned, tuned_cached_tokens(s), s["usage.batch_share"],
                    s["usage.peak_to_average"], s["usage.min_replicas"])


def tuned_cached_tokens(s: dict) -> int:
    """The repeated prefix left in the tuned model's shorter prompt.

    The user's own text is the same in both prompts; what tuning makes
    unnecessary (instructions, few-shot examples) comes out of the prefix.
    """
    inp, cached = s["usage.input_tokens"], s["usage.cached_input_tokens"]
    tuned = s["usage.tuned_input_tokens"] if s.get("usage.tuned_input_tokens") is not None else inp
    return max(0, min(cached, tuned - (inp - cached)))


def with_context(w: Workload) -> Workload:
    """The workload with the retrieved passages in every prompt, after the
    repeated prefix (so they are never cached), for the base model and the
    tuned one alike. Built field by field: dataclasses.replace costs several
    times as much, and the break-even chart asks for this a hundred times."""
    return Workload(w.requests, w.input + w.rag_context, w.cached, w.output, w.query, w.rag_context,
                    w.tuned_input + w.rag_context, w.tuned_cached, w.batch_share, w.peak_to_average, w.min_replicas)
