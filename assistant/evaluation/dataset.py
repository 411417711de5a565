"""The eval question set: JSONL, one question per line, gold passages named by doc id + evidence text.

Gold is an evidence string, not a chunk id, so the labels survive re-chunking: a chunk is relevant when it
belongs to the gold document and contains the evidence (whitespace ignored).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from pydantic import BaseModel, Field

_WS = re.compile(r"\s+")


class GoldRef(BaseModel):
    doc_id: str
    evidence: str


class Gold(GoldRef):
    """One part of the answer; any of the alternatives answers that part as well."""

    alternatives: list[GoldRef] = Field(default_factory=list)

    def options(self) -> list[GoldRef]:
        return [GoldRef(doc_id=self.doc_id, evidence=self.evidence), *self.alternatives]


class Expected(BaseModel):
    """The figure a calculation question asks for."""

    value: float
    unit: str = "元"  # 元 | % | 天 | 个月


class PartGold(BaseModel):
    """One part of a several-part question; ``answerable`` False: the documents do not answer it."""

    text: str
    facts: list[str] = Field(default_factory=list)
    answerable: bool = True


class Question(BaseModel):
    id: str
    question: str
    type: str = "fact"  # fact | numeric | multi | followup | unanswerable | expired | product
    history: list[str] = Field(default_factory=list)
    gold: list[Gold] = Field(default_factory=list)
    facts: list[str] = Field(default_factory=list)
    # what the answer must do beyond carrying the facts (scored per kind, evaluation/kinds.py)
    kind: str | None = None  # calculation | yes_no | comparison | multi | stale | alias
    expected: Expected | None = None
    verdict: str | None = None  # 是 | 否
    products: list[str] = Field(default_factory=list)
    field: str | None = None
    parts: list[PartGold] = Field(default_factory=list)
    stale: list[str] = Field(default_factory=list)  # outdated figures that must not be presented as current
    note: str | None = None  # how the writer derived the answer (not read by the system)

    @property
    def answerable(self) -> bool:
        return self.type != "unanswerable"


def load_questions(path: Path) -> list[Question]:
    """One JSONL file, or every ``*.jsonl`` in a directory (sorted)."""
    files = sorted(path.glob("*.jsonl")) if path.is_dir() else [path]
    out = []
    for file in files:
        for n, line in enumerate(file.read_text(encoding="utf-8").splitlines(), start=1):
            if line.strip():
                try:
                    out.append(Question.model_validate_json(line))
                except Exception as exc:
                    raise ValueError(f"{file.name} 第{n}行格式错误：{exc}") from exc
    return out


_QUOTES = re.compile(r"[“”‘’「」『』\"']")  # 秦科保保费补贴 is said in 陕西省“秦科保”保费补贴: quoting a name changes no fact


_RANGE = re.compile(r"(?<=\d)(?:—|–|-|~|～|到)(?=\d)")  # 20—30个工作日 is 20至30个工作日


def norm(text: str) -> str:
    text = _QUOTES.sub("", _WS.sub("", text)).replace("％", "%").replace("（", "(").replace("）", ")")
    return _RANGE.sub("至", text)


# Blind writers give a product's time to loan as “5天”; the product records state it in working days (“5个工作日”),
# which is the precise form of the same fact: the count must match, the answer need not convert.
_DAYS = re.compile(r"^(\d+)天$")


def has_fact(text: str, fact: str) -> bool:
    """Whether an answer carries one gold fact (whitespace and full-width forms ignored)."""
    f, t = norm(fact), norm(text)
    if f in t:
        return True
    m = _DAYS.match(f)
    return m is not None and re.search(rf"(?<!\d){m.group(1)}个工作日", t) is not None


def has_facts(text: str, facts: list[str]) -> bool:
    return all(has_fact(text, f) for f in facts)


def gold_parts(questions: list[Question], chunks: list[dict]) -> tuple[dict[str, list[set[str]]], list[str]]:
    """Per answerable question, one set of acceptable chunk ids per part; plus label problems."""
    by_doc: dict[str, list[dict]] = {}
    for c in chunks:
        by_doc.setdefault(c["doc_id"], []).append(c)
    parts: dict[str, list[set[str]]] = {}
    problems = []
    for q in questions:
        if not q.answerable:
            continue
        q_parts = []
        for g in q.gold:
            ids: set[str] = set()
            if g.doc_id.startswith(PRODUCT):
                continue  # a product record is no passage: checked against the product library (product_problems)
            for ref in g.options():
                ev = norm(ref.evidence)
                found = {c["id"] for c in by_doc.get(ref.doc_id, []) if ev in norm(c["text"])}
                if not found:
                    problems.append(f"{q.id}: evidence not found in {ref.doc_id}: {ref.evidence}")
                ids |= found
            if ids:
                q_parts.append(ids)
        if q_parts:
            parts[q.id] = q_parts
    return parts, problems


PRODUCT = "product:"


def product_problems(questions: list[Question], products_dir: Path) -> list[str]:
    """Gold that cites a product record: the record exists and states the evidence."""
    problems = []
    for q in questions:
        for g in q.gold:
            for ref in g.options():
                if not ref.doc_id.startswith(PRODUCT):
                    continue
                path = products_dir / f"{ref.doc_id[len(PRODUCT):]}.yaml"
                if not path.exists():
                    problems.append(f"{q.id}: no product record {ref.doc_id}")
                elif norm(ref.evidence) not in norm(path.read_text(encoding="utf-8")):
                    problems.append(f"{q.id}: evidence not found in {ref.doc_id}: {ref.evidence}")
    return problems


def qrels_from_parts(parts: dict[str, list[set[str]]]) -> dict[str, dict[str, int]]:
    return {qid: {cid: 1 for p in ps for cid in p} for qid, ps in parts.items()}


def part_recall(parts: list[set[str]], ranked: list[str], k: int) -> float:
    """Share of the question's parts answered by at least one of the top-k chunks."""
    top = set(ranked[:k])
    return sum(bool(p & top) for p in parts) / len(parts)


def dump(questions: list[Question], path: Path) -> None:
    path.write_text("".join(json.dumps(q.model_dump(), ensure_ascii=False) + "\n" for q in questions), encoding="utf-8")
