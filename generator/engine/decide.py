"""The decision flow: prompt first, RAG for knowledge, fine-tune for behaviour,
and both when both fail.

``decide`` walks the questions in the order a team should ask them and records
each step with its answer and its number in the flowchart (vocabulary.FLOW_KEYS:
the behaviour question is step 4 inside the knowledge branch and step 5
outside it), so the page can show the path taken and not just where it ended.
"""

from __future__ import annotations

from dataclasses import dataclass

from .vocabulary import FIELDS, FLOW_KEYS

RAG_CORPUS_DOCUMENTS = 10_000  # beyond this, no context window holds the corpus

@dataclass(frozen=True)
class Decision:
    id: str
    path: tuple  # of dicts {step, key, question, answer, inferred, because}
    reasons: tuple  # of str


def decide(s: dict) -> Decision:
    path: list[dict] = []

    def ask(step: int) -> bool:
        key = FLOW_KEYS[step]
        because = None
        if key == "answers.knowledge_problem":
            answer, because = knowledge_problem(s)
        else:
            answer = s[key]
        inferred = s.get(key) is None
        path.append({"step": step, "key": key, "question": FIELDS[key].label, "answer": answer, "inferred": inferred,
                     "because": because})
        return answer

    if not ask(1):
        return Decision("prompt", tuple(path), (
            "Prompting costs nothing to try and iterates in seconds: spend a day on it before anything else.",
            "Measure it on a held-out set of examples; that set is also what any later fine-tune is judged by.",
        ))
    if not ask(2):
        if ask(3):
            because = path[-1]["because"]
            counted = because and f"Counted as a knowledge problem because {because}."
            if ask(4):
                return Decision("fine_tune_rag", tuple(path), _drop_none((
                    "Both fail: the model lacks knowledge and resists a behaviour. Retrieval brings the knowledge, "
                    "and stays current; tuning teaches the behaviour, including how to use what is retrieved.",
                    counted,
                    "Build retrieval first and measure it: if the behaviour still fails with the right passages in "
                    "the prompt, tune on examples that include them.",
                )))
            return Decision("rag", tuple(path), _drop_none((
                "Missing or changing knowledge belongs in a retrieval index, not in the weights: "
                "it stays current and every answer can cite its source.",
                counted,
            )))
        if ask(5):
            return Decision("fine_tune", tuple(path), (
                "The gap is behaviour, not knowledge: a style, format or reasoning pattern prompting could not hold.",
                "That is what fine-tuning changes: the model's default behaviour, learnt from good examples.",
            ))
        if ask(6):
            return _small(path)
        return Decision("prompt", tuple(path), (
            "Neither knowledge, behaviour nor cost points past prompting: keep improving the prompt "
            "and the eval that measures it.",
        ))
    if ask(6):
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
