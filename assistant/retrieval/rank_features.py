"""What the learned reranker reads about each fused candidate: agreement of the two retrievers, how much of the
question the passage covers (by words and by character pairs, which survive a different segmentation: 大企业 /
大型企业), whether it states the kind of figure asked for, its title and its length. One function, used both
when ranking and when fitting the weights (evaluation/ranker_fit.py), so the two never drift apart.

An FAQ entry is written as people ask, so a colloquial question finds it similar whatever it asks: the weights learn
to discount that by how little the entry's own question (or a 相似问) shares the question's content words
(``faq_other``; ``faq_match`` is the share). Without the two, recall on the development sets is the same but answers are not: realdocs fact-hit
0.726 against 0.798 with them (the FAQ quoted instead of the regulation)."""

from __future__ import annotations

import math
import re

from assistant.index.snapshot import Snapshot
from assistant.retrieval.answer_type import cue_terms, primary, states_wanted, wanted
from assistant.retrieval.hits import Hit
from assistant.retrieval.rerank import coverage, query_terms
from assistant.retrieval.tokenizer import get_tokenizer

FEATURES = ("fused", "bm25_rr", "vector_rr", "vector", "coverage", "rare", "bigram", "title", "figure", "opening", "faq_other", "faq_match",
            "length")
CONTENT_INFORMATIVE = 0.5
_HAN = re.compile(r"[\u4e00-\u9fff]+")


def bigrams(text: str) -> set[str]:
    return {run[i : i + 2] for run in _HAN.findall(text) for i in range(len(run) - 1)}


def content_bigrams(query: str) -> set[str]:
    """Character pairs of the question's informative words: 多少 and 最多, which every question shares, are left out."""
    tok = get_tokenizer()
    return {g for w in tok.words(query) if tok.informativeness(w) >= CONTENT_INFORMATIVE and not tok.stopword_compound(w) for g in bigrams(w)}


def _faq_match(content: set[str], chunk: dict) -> float:
    """The share of the question's content pairs that an FAQ entry's own question or one of its 相似问 uses."""
    from assistant.ingest.faq import faq_question

    question = faq_question(chunk["text"]) if chunk.get("kind") == "faq" else None
    if question is None or not content:
        return 0.0
    asked = [question, *(a for a in (chunk.get("aliases") or "").split("；") if a.strip())]
    return max(len(content & bigrams(q)) / len(content) for q in asked)


def candidate_features(query: str, hits: list[Hit], snapshot: Snapshot) -> list[dict[str, float]]:
    """One feature row per hit, in the hits' order. ``hits`` carry the fused score and the retrievers' stages
    (``bm25_rank`` / ``vector_rank``: 1-based rank in that retriever's list; ``vector``: cosine)."""
    terms = query_terms(query, snapshot)
    tok = get_tokenizer()
    # informative words only: in a small corpus a once-used everyday word (拿, 一家) has the top idf
    weighted = {t: w * tok.informativeness(t) for t, w in terms.items()}
    heavy = dict(sorted(weighted.items(), key=lambda kv: -kv[1])[: max(1, (len(weighted) + 1) // 2)])
    kind = primary(query)
    figures = [kind] if kind is not None else wanted(query)
    cues = cue_terms(terms) if figures else set()
    grams = bigrams(query)
    content = content_bigrams(query)
    top = max((h.score for h in hits), default=1.0) or 1.0
    rows = []
    for h in hits:
        chunk = snapshot.chunks[h.idx]
        text = chunk["text"]
        states = bool(figures) and states_wanted(text, figures)
        tokens = set(chunk["tokens"]) | (cues if states else set())
        rows.append({
            "fused": h.score / top,
            "bm25_rr": 1.0 / (1.0 + h.stages["bm25_rank"]) if "bm25_rank" in h.stages else 0.0,
            "vector_rr": 1.0 / (1.0 + h.stages["vector_rank"]) if "vector_rank" in h.stages else 0.0,
            "vector": h.stages.get("vector", 0.0),
            "coverage": coverage(weighted, tokens),
            "rare": coverage(heavy, tokens),
            "bigram": len(grams & bigrams(text)) / len(grams) if grams else 0.0,
            "title": coverage(weighted, set(tok.words(f"{chunk.get('title') or ''} {chunk.get('section') or ''}"))),
            "figure": 1.0 if states else 0.0,
            # a document's opening passage (its title, 文号 and preamble) names the document, it rarely answers
            "opening": 1.0 if chunk.get("seq") == 0 and not chunk.get("article") and chunk.get("kind") != "faq" else 0.0,
            "faq_match": (match := _faq_match(content, chunk)),
            "faq_other": 1.0 - match if chunk.get("kind") == "faq" else 0.0,  # an entry that answers another question
            "length": math.log1p(len(text)),
        })
    return rows
