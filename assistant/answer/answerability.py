"""Whether the retrieved passages answer the question: a logistic model over retrieval signals, fitted on development
questions (answerable ones, unanswerable ones, and answerable ones asked again with their gold documents left out of
the index; see evaluation/calibration.py), with its threshold chosen on the same data. The fitted model lives in
resources/answerability.json; without it the evidence score alone decides, at ``Settings.refusal_threshold``.

Signals, each from the top passages the composer reads:
- evidence: share of the question's weighted terms that the best passage covers;
- rare: the same over the question's heavier half of terms (what makes the question specific);
- unseen: share of the question's weight on words no indexed document uses;
- vector: best cosine similarity between the question and a passage;
- score: the best fused-and-reranked retrieval score;
- figure: 1 when the question wants no figure or a passage states one of the wanted kind (for a question asking when,
  the event its time runs from counts, as in the figure checks: answer_type.part_wants).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from assistant.retrieval.answer_type import part_wants, states_wanted
from assistant.retrieval.fitted import StandardisedLinear, read_fitted, sigmoid
from assistant.retrieval.hits import Hit
from assistant.retrieval.rerank import coverage

FEATURES = ("evidence", "rare", "unseen", "vector", "score", "figure", "sentence", "sentence_figure")


def signals(question: str, terms: dict[str, float], unseen: set[str], hits: list[Hit], chunks: list[dict], passages: int) -> dict[str, float]:
    """``terms``: the question's words with their weights; ``unseen``: those no document uses; ``chunks``: the
    snapshot's chunk records."""
    top = hits[:passages]
    tokens = [set(chunks[h.idx]["tokens"]) for h in top]
    total = sum(terms.values()) or 1.0
    heavy = dict(sorted(terms.items(), key=lambda kv: -kv[1])[: max(1, (len(terms) + 1) // 2)])
    patterns = part_wants(question)
    best, best_fig = best_sentence(terms, patterns, [chunks[h.idx] for h in top])
    return {
        "sentence": best,
        "sentence_figure": best_fig,
        "evidence": max((coverage(terms, t) for t in tokens), default=0.0),
        "rare": max((coverage(heavy, t) for t in tokens), default=0.0),
        "unseen": sum(w for t, w in terms.items() if t in unseen) / total,
        "vector": max((h.stages.get("vector", 0.0) for h in top), default=0.0),
        "score": top[0].score if top else 0.0,
        "figure": 1.0 if not patterns or any(states_wanted(chunks[h.idx]["text"], patterns) for h in top) else 0.0,
    }


def best_sentence(terms: dict[str, float], patterns: list[re.Pattern[str]], top: list[dict]) -> tuple[float, float]:
    """The question's weight one sentence covers (its passage's title and article count as said), and whether a
    sentence that covers nearly as much states the kind of figure asked: an answer is a sentence, not a passage
    that mentions every word somewhere."""
    from assistant.answer.extractive import sentences, words_of
    from assistant.ingest.faq import faq_question

    total = sum(terms.values()) or 1.0
    rows = []
    for c in top:
        # what is shown with the sentence counts as said: the title and article, and an FAQ entry's own question
        # with its 相似问 (the entry answers them)
        asked = f"{faq_question(c['text']) or ''} {c.get('aliases') or ''}" if c.get("kind") == "faq" else ""
        context = words_of(f"{c.get('title') or ''} {c.get('article') or ''} {c.get('section') or ''} {asked}")
        for s in sentences(c["text"]):
            toks = words_of(s)
            rows.append((sum(w for t, w in terms.items() if t in toks or t in context) / total, s))
    if not rows:
        return 0.0, 0.0
    best = max(r[0] for r in rows)
    if not patterns:
        return best, 1.0
    near = [s for cov, s in rows if cov >= 0.7 * best]
    return best, 1.0 if any(states_wanted(s, patterns) for s in near) else 0.0


@dataclass
class AnswerabilityModel(StandardisedLinear):
    features: list[str] = field(default_factory=lambda: list(FEATURES))
    intercept: float = 0.0
    threshold: float = 0.5  # decline below this probability

    def probability(self, values: dict[str, float]) -> float:
        return sigmoid(self.intercept + self.linear(values))


@lru_cache(maxsize=1)
def fitted_models() -> dict[str, AnswerabilityModel]:
    """The fitted models by embedder kind (empty when none has been fitted)."""
    return read_fitted("answerability.json", AnswerabilityModel)


def model_for(embedder_kind: str) -> AnswerabilityModel | None:
    return fitted_models().get(embedder_kind)
