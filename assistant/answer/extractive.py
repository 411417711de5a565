"""The default composer: no LLM. It picks, from the top passages, the sentences that answer the question.

Sentence choice is a greedy cover of the question's idf-weighted terms: each step takes the sentence that adds
the most not-yet-covered weight (with a bonus for figures when the question asks for one), so a two-part
question (比例和上限) collects a sentence for each part, possibly from different passages.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.retrieval.answer_type import states_wanted, wanted
from assistant.retrieval.tokenizer import get_tokenizer

_SENT = re.compile(r"(?<=[。！？；])|\n")
_LEAD = re.compile(r"^(?:第[一二三四五六七八九十百零〇\d]+条[\s　]*|答[:：]\s*)")
MAX_SENTENCES = 4
MIN_GAIN = 0.08


@dataclass
class Passage:
    n: int  # citation number candidate (position among passages)
    text: str
    rank: int


@dataclass
class Picked:
    passage: int
    order: int
    text: str


def sentences(text: str) -> list[str]:
    out = []
    for raw in _SENT.split(text):
        s = raw.strip()
        if len(s) < 4 or s.startswith(("问：", "问:", "（示例", "(示例")):
            continue
        out.append(_LEAD.sub("", s))
    return out


def pick_sentences(question: str, passages: list[Passage], idf: dict[str, float]) -> list[Picked]:
    tok = get_tokenizer()
    top_idf = max(idf.values(), default=1.0)
    terms = {t: idf.get(t, top_idf) for t in dict.fromkeys(tok.words(question))}
    total = sum(terms.values()) or 1.0
    figures = wanted(question)
    cands = []
    for p in passages:
        for order, s in enumerate(sentences(p.text)):
            cands.append((p, order, s, set(tok.words(s))))
    covered: set[str] = set()
    picked: list[Picked] = []
    used: set[tuple[int, int]] = set()
    while len(picked) < MAX_SENTENCES:
        best, best_gain = None, 0.0
        for p, order, s, toks in cands:
            if (p.rank, order) in used:
                continue
            gain = sum(w for t, w in terms.items() if t in toks and t not in covered) / total
            if gain <= 0:
                continue
            if figures and states_wanted(s, figures):
                gain += 0.15
            gain *= 1.0 / (1 + 0.15 * p.rank)  # prefer better-ranked passages on ties
            if gain > best_gain:
                best, best_gain = (p, order, s, toks), gain
        if best is None or (picked and best_gain < MIN_GAIN):
            break
        p, order, s, toks = best
        used.add((p.rank, order))
        covered |= toks & terms.keys()
        picked.append(Picked(p.rank, order, s))
    return picked
