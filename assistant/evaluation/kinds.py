"""What an answer must do for each kind of question, beyond carrying the facts (issue 17's set):

- calculation: state the figure asked for (7.6万元, 76,000元 and 76000元 are one figure);
- yes_no: lead with the right conclusion (its first sentence says 是 or 否);
- comparison and alias: carry each compared value and cite each product's record;
- multi: carry every answerable part's facts, and say a part is unanswered rather than drop the whole question;
- stale: carry the current figure and never present an outdated one as current.
"""

from __future__ import annotations

import re
import statistics
from dataclasses import dataclass, field

from assistant.answer.types import Answer
from assistant.dialogue.numbers import stated_figures
from assistant.evaluation.dataset import Expected, Question, has_facts, norm

TOLERANCE = 0.005  # relative: 7.6万元 printed as 7.60万元 or 76,000元 is the same figure

UNANSWERED = re.compile(r"没有载明|未载明|没有找到|没有规定|未规定|没有说明|未说明|无法回答|不能凭空|没有明确")
_SUPERSEDED = re.compile(r"已失效|已被替代|被.{0,12}替代|废止|旧版|原规定|此前|以前|过去|曾|调整前|已调整|不再适用|仅供了解")


def figures(text: str) -> list[tuple[float, str]]:
    """Every figure a text states, as (value in the base unit, unit): 7.6万元 → (76000.0, 元)."""
    return stated_figures(text)


def states_figure(text: str, expected: Expected) -> bool:
    want = expected.value
    return any(unit == expected.unit and abs(v - want) <= max(TOLERANCE * abs(want), 0.01) for v, unit in figures(text))


# a verdict may also answer in the question's own doubled verb: 算不算 → “不算：…” / “算：…”
_LEAD_NO = re.compile(r"^(?:不符合|不需要|不能|不可以|不可|不行|不会|不是|不属于|不满足|否|没有资格|无法|不[\u4e00-\u9fff][：:])")
_LEAD_YES = re.compile(r"^(?:符合|需要|可以|能|是|属于|满足|会|行|[\u4e00-\u9fff][：:])")


def verdict(text: str) -> str | None:
    """The conclusion an answer leads with: 是 or 否 when its first words are one (“不符合：…”, “可以，…”), None when
    it opens with anything else (a quoted rule's own 符合 or 不得 is no conclusion)."""
    first = text.strip()
    if _LEAD_NO.match(first):
        return "否"
    if _LEAD_YES.match(first):
        return "是"
    return None


def stale_as_current(text: str, stale: list[str]) -> bool:
    """An outdated figure stated in a sentence that does not mark it as outdated."""
    for sentence in re.split(r"(?<=[。！？\n])", text):
        if any(norm(s) in norm(sentence) for s in stale) and not _SUPERSEDED.search(sentence):
            return True
    return False


@dataclass
class KindScore:
    """One question's result: ``ok`` is what its kind asks; ``cited``: a gold document or record is cited."""

    kind: str
    ok: bool
    cited: bool
    chars: int
    stale: bool = False  # an outdated figure presented as current
    all_parts: bool = False


def score(q: Question, ans: Answer) -> KindScore:
    text = "" if ans.refused else ans.answer
    gold_docs = {ref.doc_id for g in q.gold for ref in g.options()} | {f"product:{p}" for p in q.products}
    cited_docs = {c.doc_id for c in ans.citations}
    kind = q.kind or "other"
    stale = bool(q.stale) and stale_as_current(text, q.stale)
    all_parts = all(has_facts(text, p.facts) for p in q.parts if p.answerable) and (
        all(p.answerable for p in q.parts) or bool(UNANSWERED.search(text))
    )
    if kind == "calculation":
        ok = q.expected is not None and states_figure(text, q.expected)
    elif kind == "yes_no":
        ok = bool(text) and verdict(text) == q.verdict
    elif kind in ("comparison", "alias"):
        ok = has_facts(text, q.facts) and all(f"product:{p}" in cited_docs for p in q.products)
    elif kind == "multi":
        ok = bool(text) and all_parts
    elif kind == "stale":
        ok = has_facts(text, q.facts) and not stale
    else:
        ok = bool(text) and has_facts(text, q.facts)
    return KindScore(kind=kind, ok=ok, cited=bool(gold_docs & cited_docs), chars=len(ans.answer), stale=stale, all_parts=all_parts)


@dataclass
class KindSummary:
    n: int
    ok: float
    cited: float
    chars_p50: float
    stale: int = 0
    misses: list[str] = field(default_factory=list)


def summarise(rows: list[tuple[Question, KindScore]]) -> dict[str, KindSummary]:
    by_kind: dict[str, list[tuple[Question, KindScore]]] = {}
    for q, s in rows:
        by_kind.setdefault(s.kind, []).append((q, s))
    return {
        kind: KindSummary(
            n=len(rs), ok=sum(s.ok for _q, s in rs) / len(rs), cited=sum(s.cited for _q, s in rs) / len(rs),
            chars_p50=statistics.median(s.chars for _q, s in rs), stale=sum(s.stale for _q, s in rs),
            misses=[q.id for q, s in rs if not s.ok],
        )
        for kind, rs in sorted(by_kind.items())
    }
