"""Every word a reader sees for a key, an option, an outcome or a cost, defined once.

FIELDS is the table of the public vocabulary: each dotted scenario key, what
it accepts, and the label, unit and help a reader sees beside it (for the
decision's keys, the question itself). The engine's results and charts, the
templates, the browser and ``ftsite eval`` all take their words from here, so
renaming an option or rewording a question is a one-line change.
"""

from __future__ import annotations

from dataclasses import dataclass

OPTION_LABELS = {"prompt": "Prompting", "rag": "Prompting + RAG", "fine_tune": "Fine-tuned",
                 "fine_tune_rag": "Fine-tuned + RAG"}
OPTION_SPOKEN = {"prompt": "prompting", "rag": "prompting with RAG", "fine_tune": "the fine-tuned model",
                 "fine_tune_rag": "the fine-tuned model with RAG"}
# A chart's marks other than the options' lines, as its legend names them (site.css draws each swatch).
CHART_MARKS = {
    "band": "Shaded: from the low to the high end of the prices",
    "drawn": "Darker: the middle 80% of the price draws",
    "swing": "The margin, as that range alone goes from its low to its high end",
    "flips": "Where another option is the cheaper",
    "gap": "The margin at the middle of every range",
    "marker": "Your volume",
    "point": "Break-even, at the low end of the prices",
}

PART_LABELS = {
    "engineering": "Engineering time",
    "labelling": "Labelling training examples",
    "training": "Training runs",
    "eval": "Eval passes, one per run",
    "migration": "Training again when a model retires",
    "indexing": "Indexing the corpus",
    "serving": "Serving the model",
    "vector_store": "Vector store",
    "embedding": "Embedding queries and changed documents",
}

# A decision question's answers, as the form offers them ("" is "not sure":
# the engine works the answer out from the questions beneath it).
ANSWERS = {"true": "Yes", "false": "No", "": "Not sure"}

# The figures of a result that a page or ``ftsite eval`` names in a line of its own.
RESULT_LABELS = {
    "training.epochs": "Epochs",
    "training.tokens": "Billed tokens per run",
    "training.price_per_1m_usd": "Price per 1M tokens",
    "training.cost_per_run_usd": "One run",
    "training.eval_per_run_usd": "Eval pass, per run",
    "training.labelling_usd": "Labelling, once",
    "serving.replicas": "The tuned model is served on",
    "break_even.requests_per_month": "Fine-tuning stays at or below prompting from",
    "break_even.fine_tune_rag": "Fine-tuning with RAG stays at or below RAG alone from",
}

# The option a recommendation leads to, for pages that mark it among the four.
OUTCOME_OPTIONS = {"prompt": "prompt", "rag": "rag", "fine_tune": "fine_tune", "fine_tune_small": "fine_tune",
                   "fine_tune_rag": "fine_tune_rag"}

# What one option's card says about it, facet by facet (the cost comes from the figures).
CARD_FACETS = {
    "time_to_first": "Time to a first result",
    "iteration": "Each change takes",
    "current": "Stays current by",
    "risks": "Risks",
}
OPTION_TRAITS = {
    "prompt": {"iteration": "seconds: edit the prompt and run the eval again",
               "current": "what the base model knew at its training cut-off; you keep the prompt up to date"},
    "rag": {"iteration": "minutes: change the prompt, or re-index what changed",
            "current": "re-indexing: a changed document is embedded again and answers cite it"},
    "fine_tune": {"iteration": "a training run, and an eval of it, for every change",
                  "current": "retraining: what the model learnt is a snapshot of its training data"},
    "fine_tune_rag": {"iteration": "a training run for a change of behaviour; re-indexing for a change of knowledge",
                      "current": "re-indexing: the knowledge lives in the index, the behaviour in the weights"},
}

OUTCOME_TITLES = {
    "prompt": "Prompt, and measure it",
    "rag": "Prompting plus retrieval (RAG)",
    "fine_tune": "Fine-tune",
    "fine_tune_small": "Fine-tune a smaller model",
    "fine_tune_rag": "Fine-tune, and retrieve (RAG)",
}

# The decision flowchart's short words: a label per step (by the key it asks),
# one per outcome, and what it says beside a smaller model that does not pay.
# The flowchart's steps by number, and the key each asks (FLOW_KEYS): step 4
# asks step 5's question inside the knowledge branch, so one key may stand at
# two steps.
FLOW_STEPS = {
    1: "Tried prompting, with an eval?",
    2: "Quality good enough?",
    3: "A knowledge problem?",
    4: "Behaviour resisted too?",
    5: "Behaviour it resists?",
    6: "Per-token cost binding?",
}
FLOW_KEYS = {1: "answers.tried_prompting", 2: "answers.quality_ok", 3: "answers.knowledge_problem",
             4: "answers.behavior_resisted", 5: "answers.behavior_resisted", 6: "answers.cost_binding"}
FLOW_OUTCOMES = {
    "prompt": "Prompt, and measure it",
    "rag": "Add RAG",
    "fine_tune_rag": "Tune, and add RAG",
    "fine_tune": "Fine-tune",
    "fine_tune_small": "Tune a small model",
}
FLOW_SMALL_DOES_NOT_PAY = "does not pay at your volume"


@dataclass(frozen=True)
class Field:
    key: str
    kind: str  # flag | whole | number | share | span | date | goal | offer | model | store
    minimum: float = 0
    maximum: float | None = None
    optional: bool = False  # may stay unset; the engine then works it out
    label: str = ""  # what a reader sees beside the field
    unit: str = ""
    help: str = ""
    unset: str = ""  # what an optional field left empty means, shown in it (a placeholder, a blank option)
    whole: bool = False  # a span of whole numbers: requests or tokens, not dollars


def _fields(*items: Field) -> dict[str, Field]:
    return {item.key: item for item in items}


def _share(key: str, label: str, help: str = "", optional: bool = False) -> Field:
    """A fraction from 0 to 1; forms and links may write it as a percentage."""
    return Field(key, "share", 0, 1, optional=optional, label=label, unit="0 to 1, or %", help=help)


TOKENS = 10_000_000  # per request; a million-token context window ten times over
HOURS = 100_000

# The workload a reader may give as a range, for the Monte Carlo only: the
# figures use the key's own value, the draws the range.
WORKLOAD_RANGES = {"uncertainty.requests_per_month": "usage.requests_per_month",
                   "uncertainty.input_tokens": "usage.input_tokens",
                   "uncertainty.output_tokens": "usage.output_tokens",
                   "uncertainty.rag_context_tokens": "usage.rag_context_tokens"}

FIELDS = _fields(
    Field("answers.tried_prompting", "flag",
          label="Have you spent real effort on prompting, and measured the result on held-out examples?",
          help="A day of work on the system prompt, few-shot examples and structured output, scored against "
               "examples the prompt was not written from."),
    Field("answers.quality_ok", "flag", label="Is the quality good enough on that eval?"),
    Field("answers.knowledge_problem", "flag", optional=True,
          label="Is what the model lacks knowledge (facts, documents, data) rather than behaviour?",
          help="Not sure? Answer the three questions below and they decide it."),
    Field("answers.behavior_resisted", "flag",
          label="Does the model resist a style, tone, format or reasoning pattern you need, however you prompt it?"),
    Field("answers.cost_binding", "flag", label="Is the price per token a binding constraint at the volume you expect?"),
    Field("answers.has_eval_set", "flag", label="Do you have a held-out eval set?",
          help="Real inputs with known good outputs, kept apart from anything you tune or prompt with."),
    Field("answers.knowledge_changes_often", "flag",
          label="Does that knowledge change often (weekly docs, daily product data)?"),
    Field("answers.needs_citations", "flag", label="Must answers cite their sources (legal, medical, financial)?"),
    Field("answers.goal", "goal", label="If you fine-tune, what for?", help="Decides which base models are suggested."),
    Field("answers.commercial_use", "flag", label="Will the tuned model serve a commercial product?",
          help="Some open-weight licences allow only research, testing or personal use."),
    Field("training.offer", "offer", label="Fine-tuning offer"),
    Field("training.examples", "whole", 1, 100_000_000, label="Good training examples you have", unit="examples",
          help="Real inputs with the outputs you want, checked by someone who knows the task. Most tasks need "
               "500 to 5,000."),
    Field("training.tokens_per_example", "whole", 1, 1_000_000, label="Tokens per example", unit="tokens"),
    Field("training.epochs", "whole", 1, 100, optional=True, label="Epochs", unit="epochs", unset="the offer's default",
          help="Each epoch bills the whole dataset again. Empty means the offer's own default."),
    Field("training.runs", "whole", 1, 1_000, label="Training runs budgeted", unit="runs",
          help="Plan for 5 to 10 before a model is worth deploying."),
    Field("training.validation_tokens", "whole", 0, 100_000_000_000, label="Validation tokens per run", unit="tokens"),
    Field("training.eval_examples", "whole", 0, 10_000_000, label="Eval set size", unit="examples",
          help="Every run is scored once on these held-out examples, at the tuned model's price."),
    Field("training.label_usd_per_example", "number", 0, 10_000, label="Labelling cost per example", unit="$",
          help="What it costs to have one training example written or checked; 0 if you have them already."),
    Field("usage.requests_per_month", "whole", 0, 1_000_000_000_000, label="Requests per month", unit="requests"),
    Field("usage.input_tokens", "whole", 0, TOKENS, label="Input tokens per request", unit="tokens",
          help="System prompt, few-shot examples and the user's text."),
    Field("usage.cached_input_tokens", "whole", 0, TOKENS, label="Of which a repeated prefix", unit="tokens",
          help="The system prompt and examples every request starts with: billed at the cached-input price "
               "where the model has one."),
    Field("usage.query_tokens", "whole", 0, TOKENS, label="The user's question", unit="tokens",
          help="What retrieval embeds to search the corpus with."),
    Field("usage.output_tokens", "whole", 0, TOKENS, label="Output tokens per request", unit="tokens"),
    Field("usage.rag_context_tokens", "whole", 0, TOKENS, label="Retrieved context per request (RAG)", unit="tokens"),
    Field("usage.tuned_input_tokens", "whole", 0, TOKENS, optional=True, label="Input tokens per request, tuned model",
          unit="tokens", help="A tuned model needs a shorter prompt: the user's text stays, and what it no longer "
                              "needs comes out of the cached prefix first. Empty means the same as above."),
    _share("usage.batch_share", "Share of requests that can wait for a batch API",
           "Batch APIs answer within a day at a discount; on your own GPUs such requests fill the quiet hours."),
    Field("usage.peak_to_average", "number", 1, 1_000, label="Peak load over average", unit="times",
          help="Sizes GPUs you rent: 2 means the busiest hour sees twice the average rate."),
    Field("usage.min_replicas", "whole", 1, 10_000, label="Replicas kept up at any load", unit="replicas",
          help="Copies of the tuned model (each on the GPUs it needs) that run even when idle; 2 keeps serving "
               "through a failure or a deploy."),
    Field("usage.baseline_model", "model", label="Model you prompt today"),
    Field("usage.tuned_model", "model", optional=True, label="Model you would tune", help="Must be one the offer tunes.",
          unset="The offer's own model"),
    Field("rag.vector_store", "store", label="Vector store"),
    Field("rag.documents", "whole", 0, 10_000_000_000, label="Documents in the corpus", unit="documents",
          help="From 10,000 documents no context window holds them all; the count also sizes the index."),
    Field("rag.tokens_per_document", "whole", 1, 100_000_000, label="Tokens per document", unit="tokens"),
    _share("rag.monthly_churn", "Share of documents that change each month",
           "Changed documents are embedded and written to the index again."),
    Field("effort.hourly_usd", "number", 0, 10_000, label="Engineering cost per hour", unit="$/hour"),
    Field("effort.prompt_hours", "number", 0, HOURS, label="Hours to build the prompt and its eval", unit="hours"),
    Field("effort.rag_hours", "number", 0, HOURS, label="Hours to build retrieval", unit="hours",
          help="Chunking, indexing, the retrieval pipeline, and the prompt around it."),
    Field("effort.fine_tune_hours", "number", 0, HOURS, label="Hours to fine-tune and ship the model", unit="hours",
          help="Data preparation, training runs, evals, and serving the tuned model."),
    Field("prices.train_per_1m", "span", 0, 10_000, optional=True, label="Training", unit="$/1M",
          help="A number, or a range such as 4-8."),
    Field("prices.baseline_input_per_1m", "span", 0, 10_000, optional=True, label="Baseline input", unit="$/1M"),
    Field("prices.baseline_cached_input_per_1m", "span", 0, 10_000, optional=True, label="Baseline cached input",
          unit="$/1M"),
    Field("prices.baseline_output_per_1m", "span", 0, 10_000, optional=True, label="Baseline output", unit="$/1M"),
    _share("prices.baseline_batch_discount", "Baseline batch discount", "0.5 or 50% for half price.", optional=True),
    Field("prices.tuned_input_per_1m", "span", 0, 10_000, optional=True, label="Tuned input", unit="$/1M"),
    Field("prices.tuned_output_per_1m", "span", 0, 10_000, optional=True, label="Tuned output", unit="$/1M"),
    _share("quality.prompt", "Pass rate of prompting on your eval", optional=True),
    _share("quality.rag", "Pass rate of prompting with RAG", optional=True),
    _share("quality.fine_tune", "Pass rate of the fine-tuned model", optional=True),
    _share("quality.fine_tune_rag", "Pass rate of the fine-tuned model with RAG", optional=True),
    Field("uncertainty.draws", "whole", 1, 10_000, optional=True, label="Draws of the ranges", unit="draws",
          unset="64", help="How many times every price and workload range is drawn to say how sure the answer is."),
    Field("uncertainty.seed", "whole", 0, 2**31 - 1, optional=True, label="Random seed", unset="1",
          help="The same seed draws the same numbers, here and in any browser."),
    Field("uncertainty.requests_per_month", "span", 0, 10**12, optional=True, whole=True,
          label="Requests per month could be", unit="requests",
          help="A range such as 50000-200000, if your volume is a guess: the draws take it anywhere in the range. "
               "The figures above use the number you gave."),
    Field("uncertainty.input_tokens", "span", 0, TOKENS, optional=True, whole=True,
          label="Input tokens per request could be", unit="tokens", help="A range such as 1000-2500, drawn the same way."),
    Field("uncertainty.output_tokens", "span", 0, TOKENS, optional=True, whole=True,
          label="Output tokens per request could be", unit="tokens", help="A range such as 200-600."),
    Field("uncertainty.rag_context_tokens", "span", 0, TOKENS, optional=True, whole=True,
          label="Retrieved context per request could be", unit="tokens", help="A range such as 1000-4000."),
    Field("horizon.months", "whole", 1, 120, label="Months to compare over", unit="months"),
    Field("horizon.start", "date", optional=True, label="From", unit="YYYY-MM-DD", unset="today",
          help="The first month the totals count; empty means today. Offers, prices and retirements are judged "
               "on this date."),
)

# Keys that were renamed: an old shared link or scenario file still reads.
ALIASES = {"answers.corpus_documents": "rag.documents"}
# Not a setting: the data version (prices.json's) a shared link was made on,
# so a reader opening it later can be told the prices have moved since.
DATA_VERSION_KEY = "data"


