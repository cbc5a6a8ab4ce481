"""Latency: how long a user waits for each option's answer, as an estimate.

Not a benchmark of anyone's traffic: published measurements of each model
(``Model.speed``) and of prompt reading and retrieval (``Catalog.latency``),
put together by the formula pages state beside the figures:

    first token = the model's measured time to the first token
                  + prompt tokens past the measured prompt's / prefill speed
                  (+ one retrieval call, for the options that retrieve)
    last token  = first token + output tokens / the model's output speed

The low estimate takes every input at its fast end, the high one at its
slow end. A prompt of unknown measured length counts as short, so the whole
prompt is read on top (the slower reading). A tuned model answers at its base
model's speed: a LoRA adapter or a copy of the weights serves at about the
base's rate, on whichever host. Requests sent to a batch API wait for the
batch instead.
"""

from __future__ import annotations

from .display import pair
from .model import Catalog, Model
from .prices import Ledger, Setup
from .workload import with_context, workload

FORMULA = ("Estimates from published measurements: time to the first token = the model's measured time to the "
           "first token + the prompt tokens past the measured prompt's ÷ the prefill speed (+ one retrieval call "
           "where the option retrieves); time to the last token = the first token + the output tokens ÷ the "
           "model's output speed. Fast ends give the low figure, slow ends the high one.")
RETRIEVING = ("rag", "fine_tune_rag")


def latency(catalog: Catalog, s: dict, setup: Setup, moves: tuple, ledger: Ledger) -> dict:
    """{option: {first_token_s, last_token_s, model} or None, formula, notes}
    for the scenario as costed, on the models ``setup`` serves at the
    horizon's start; every measurement used goes to ``ledger``."""
    measured = catalog.latency
    w = workload(s)
    context = with_context(w)
    baseline = catalog.models[setup.baseline]
    tuned = baseline if setup.fallback else catalog.models[setup.tuned]
    asks = {"prompt": (baseline, w.input), "rag": (baseline, context.input),
            "fine_tune": (tuned, w.tuned_input), "fine_tune_rag": (tuned, context.tuned_input)}
    found: dict = {"formula": FORMULA, "notes": []}
    if measured is None:
        found["notes"].append("The catalog holds no prefill or retrieval measurements, so no latency is estimated.")
        return {**found, **dict.fromkeys(asks)}
    for option, (model, tokens) in asks.items():
        found[option] = _estimate(model, tokens, w.output, option in RETRIEVING, measured, ledger)
    missing = sorted({model.name for model, _tokens in asks.values() if model.speed is None})
    for name in missing:
        found["notes"].append(f"No published measurement of {name}'s speed was found, so its options have no "
                              "estimate.")
    if w.batch_share > 0:
        found["notes"].append(f"The {w.batch_share:.0%} of requests that can wait are not counted here: on a batch "
                              "API they wait up to the vendors' 24-hour window, on your own GPUs for a quiet hour.")
    if moves:
        found["notes"].append("These are the models serving at the horizon's start; the models that take over later "
                              "(see what changes within the horizon) answer at their own speed.")
    return found


def _estimate(model: Model, tokens: int, output: int, retrieves: bool, measured, ledger: Ledger) -> dict | None:
    speed = model.speed
    if speed is None:
        return None
    ledger.note("latency", f"{model.name}: seconds to the first token", speed.first_token_s, speed, "seconds")
    ledger.note("latency", f"{model.name}: output tokens a second", speed.output_tokens_per_s, speed, "rate")
    extra = max(0, tokens - (speed.at_input_tokens or 0))
    if extra:
        ledger.note("latency", "Prefill: prompt tokens read a second", measured.prefill_tokens_per_s.value,
                    measured.prefill_tokens_per_s, "rate")
    if retrieves:
        ledger.note("latency", "Retrieval: seconds a query", measured.retrieval_s.value, measured.retrieval_s,
                    "seconds")
    ends = {}
    for end, fast in (("low", True), ("high", False)):
        pick = 0 if fast else 1
        first = speed.first_token_s[pick] + extra / measured.prefill_tokens_per_s.value[1 - pick] \
            + (measured.retrieval_s.value[pick] if retrieves else 0.0)
        ends[end] = (first, first + output / speed.output_tokens_per_s[1 - pick])
    return {"first_token_s": pair(ends["low"][0], ends["high"][0]),
            "last_token_s": pair(ends["low"][1], ends["high"][1]), "model": model.name}
