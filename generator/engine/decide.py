"""The decision flow: prompt first, RAG for knowledge, fine-tune for behaviour.

``decide`` walks the questions in the order a team should ask them and records
each step with its answer, so the page can show the path taken and not just
where it ended.
"""

from __future__ import annotations

from dataclasses import dataclass

from .vocabulary import FIELDS

RAG_CORPUS_DOCUMENTS = 10_000  # beyond this, no context window holds the corpus

@dataclass(frozen=True)
class Decision:
    id: str
    path: tuple  # of dicts {key, question, answer, because}
    reasons: tuple  # of str


def decide(s: dict) -> Decision:
    path: list[dict] = []

    def ask(key: str) -> bool:
        because = None
        if key == "answers.knowledge_problem":
            answer, because = knowledge_problem(s)
        else:
            answer = s[key]
        inferred = s.get(key) is None
        path.append({"key": key, "question": FIELDS[key].label, "answer": answer, "inferred": inferred,
                     "because": because})
        return answer

    if not ask("answers.tried_prompting"):
        return Decision("prompt", tuple(path), (
            "Prompting costs nothing to try and iterates in seconds: spend a day on it before anything else.",
            "Measure it on a held-out set of examples; that set is also what any later fine-tune is judged by.",
        ))
    if not ask("answers.quality_ok"):
        if ask("answers.knowledge_problem"):
            because = path[-1]["because"]
            return Decision("rag", tuple(path), _drop_none((
                "Missing or changing knowledge belongs in a retrieval index, not in the weights: "
                "it stays current and every answer can cite its source.",
                because and f"Counted as a knowledge problem because {because}.",
            )))
        if ask("answers.behavior_resisted"):
            return Decision("fine_tune", tuple(path), (
                "The gap is behaviour, not knowledge: a style, format or reasoning pattern prompting could not hold.",
                "That is what fine-tuning changes: the model's default behaviour, learnt from good examples.",
            ))
        if ask("answers.cost_binding"):
            return _small(path)
        return Decision("prompt", tuple(path), (
            "Neither knowledge, behaviour nor cost points past prompting: keep improving the prompt "
            "and the eval that measures it.",
        ))
    if ask("answers.cost_binding"):
        return _small(path)
    return Decision("prompt", tuple(path), (
        "Quality is good and cost is not binding: prompting is the cheapest thing to keep running and to change.",
    ))


def _small(path: list) -> Decision:
    return Decision("fine_tune_small", tuple(path), (
        "At your volume the per-token price is what hurts: a small model tuned on a narrow task can come close "
        "to a frontier model's quality for a fraction of the serving cost.",
    ))


def knowledge_problem(s: dict) -> tuple[bool, str | None]:
    """The reader's answer, or, when not given, any of the three RAG signals."""
    if s.get("answers.knowledge_problem") is not None:
        return s["answers.knowledge_problem"], None
    signals = knowledge_signals(s)
    return bool(signals), " and ".join(signals) or None


def knowledge_signals(s: dict) -> list[str]:
    """What points to retrieval: changing knowledge, citations, a big corpus."""
    signals = []
    if s["answers.knowledge_changes_often"]:
        signals.append("the knowledge changes often")
    if s["answers.needs_citations"]:
        signals.append("answers must cite sources")
    if s["rag.documents"] >= RAG_CORPUS_DOCUMENTS:
        signals.append(f"the corpus has {s['rag.documents']:,} documents")
    return signals


def _drop_none(items: tuple) -> tuple:
    return tuple(item for item in items if item)
