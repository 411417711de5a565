"""Answerability checks run before composing: decline rather than answer from a loosely related passage.

Three signals, each cheap and explainable:
1. the question names a place or topic the corpus does not cover (resources/out_of_scope.txt);
2. it asks for a figure (比例, 多少钱, 多久) and none of the top passages states a figure of that kind;
3. the best passage covers too little of the question's weighted terms.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

from assistant.retrieval.answer_type import states_wanted, wanted


@lru_cache(maxsize=1)
def out_of_scope_terms() -> tuple[str, ...]:
    text = resources.files("assistant.resources").joinpath("out_of_scope.txt").read_text(encoding="utf-8")
    return tuple(t.strip() for t in text.splitlines() if t.strip() and not t.startswith("#"))


def out_of_scope(question: str) -> str | None:
    return next((t for t in out_of_scope_terms() if t in question), None)


def figure_missing(question: str, passages: list[str]) -> bool:
    """The question wants a figure but no top passage states one of that kind."""
    patterns = wanted(question)
    return bool(patterns) and not any(states_wanted(p, patterns) for p in passages)


def decline_reason(question: str, passages: list[str], evidence: float, threshold: float) -> str | None:
    term = out_of_scope(question)
    if term:
        return f"out_of_scope:{term}"
    if not passages or evidence < threshold:
        return "weak_evidence"
    if figure_missing(question, passages):
        return "figure_missing"
    return None
