"""Every word a reader sees for an option or a cost, defined once.

The engine's results, its charts, the templates and ``ftsite eval`` all take
their labels from here, so renaming an option is a one-line change.
"""

from __future__ import annotations

OPTION_LABELS = {"prompt": "Prompting", "rag": "Prompting + RAG", "fine_tune": "Fine-tuned"}
OPTION_SPOKEN = {"prompt": "prompting", "rag": "prompting with RAG", "fine_tune": "the fine-tuned model"}

PART_LABELS = {
    "engineering": "Engineering time",
    "labelling": "Labelling training examples",
    "training": "Training runs",
    "eval": "Eval passes, one per run",
    "indexing": "Indexing the corpus",
    "serving": "Serving the model",
    "vector_store": "Vector store",
    "embedding": "Embedding queries and changed documents",
}
