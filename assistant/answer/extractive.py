"""The default composer: no LLM. It quotes, from the top passages, the sentences that answer the question.

Per passage (best first) it keeps the sentences that cover the question's idf-weighted terms, with a bonus for a
stated figure when the question asks for one (比例 → 50%, 多久 → 15个工作日). Lower passages are added only
when they cover terms the earlier ones left open, so a two-part question (比例和上限) can gather one sentence
from each of two articles while a simple question stays short.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.retrieval.answer_type import states_wanted, wanted
from assistant.retrieval.tokenizer import get_tokenizer

_SENT = re.compile(r"(?<=[。！？；])|\n")
_LEAD = re.compile(r"^(?:第[一二三四五六七八九十百零〇\d]+条[\s　]*|答[:：]\s*)")
PER_PASSAGE = 2
SECOND_RATIO = 0.5  # a further sentence of the same passage must score this share of its best one
MAX_SENTENCES = 6
WHOLE_TOP_CHARS = 220  # quote the best passage whole when it is this short (most articles are)
MIN_NEW = 0.05  # share of question weight a lower passage must add to be quoted


@dataclass
class Passage:
    n: int
    text: str
    rank: int
    context: str = ""  # title / section / article: shown with the answer, so its words count as covered


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
    # Words the corpus never uses cannot be covered by any sentence: leave them out of the weights.
    terms = {t: idf[t] for t in dict.fromkeys(tok.words(question)) if t in idf} or {t: top_idf for t in tok.words(question)}
    total = sum(terms.values()) or 1.0
    figures = wanted(question)
    covered: set[str] = set()
    picked: list[Picked] = []
    budget = 0  # sentences chosen on merit (a whole quoted article counts as its best ones)
    for p in passages:
        context = set(tok.words(p.context))
        scored = []
        for order, s in enumerate(sentences(p.text)):
            toks = set(tok.words(s))
            cov = sum(w for t, w in terms.items() if t in toks | context) / total
            has_fig = bool(figures) and states_wanted(s, figures)
            score = cov + (0.25 if has_fig else 0.0) + 0.05 * sum(1 for t in terms if t in toks)
            scored.append((score, order, s, toks, has_fig))
        if not scored:
            continue
        scored.sort(key=lambda x: -x[0])
        new_weight = sum(w for t, w in terms.items() if t in (scored[0][3] | context) and t not in covered) / total
        if picked and new_weight < MIN_NEW and not (figures and scored[0][4] and not any_fig(picked, figures)):
            continue
        chosen = [scored[0]]
        limit = PER_PASSAGE + (1 if not picked else 0)  # the best passage may say a little more
        for extra in scored[1:limit]:
            if extra[0] >= SECOND_RATIO * scored[0][0] and (extra[4] or not figures):
                chosen.append(extra)
        # A short best article is quoted whole, in order; coverage still counts only its best sentences, so
        # lower passages can add what the question asks beyond it.
        shown = sorted(scored, key=lambda x: x[1]) if not picked and len(p.text) <= WHOLE_TOP_CHARS else chosen
        for _score, order, s, _toks, _fig in shown:
            picked.append(Picked(p.rank, order, s))
        for _score, _order, _s, toks, _fig in chosen:
            covered |= (toks | context) & terms.keys()
        budget += len(chosen)
        if budget >= MAX_SENTENCES:
            break
    return picked


def any_fig(picked: list[Picked], figures: list[re.Pattern[str]]) -> bool:
    return any(states_wanted(p.text, figures) for p in picked)
