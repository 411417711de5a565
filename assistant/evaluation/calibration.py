"""Fit the answerability model (answer/answerability.py) on development question sets and report its threshold curve.

Examples, per set (on the sample corpus plus the set's extra documents, as ``assistant eval`` builds it):
- positive: an answerable question whose gold passage is among the passages the composer reads (the answer can be
  right; when retrieval misses it, the example says nothing about answerability and is left out);
- negative: an unanswerable question, and every answerable question asked again with its gold documents left out
  of the index (their chunks hidden, as if never uploaded): it must then be declined.
Questions a deterministic check declines anyway (a place no document governs, personal finance, live data) are not
examples: the model never sees them.

The threshold is the highest that keeps false refusals at or under ``max_false_refusal`` on the positives; the
report gives the whole curve, and a leave-one-set-out estimate of both rates.
"""

from __future__ import annotations

import dataclasses
import json
import statistics
from dataclasses import dataclass
from pathlib import Path

from assistant.answer.analysis import QuestionAnalysis, analyse
from assistant.answer.answerability import FEATURES, AnswerabilityModel
from assistant.answer.follow_up import rewrite_follow_up
from assistant.answer.pipeline import (
    PASSAGES,
    answer_signals,
    asks_about_old_policy,
    corpus_text,
    part_searches,
)
from assistant.answer.scope import scope_reason
from assistant.errors import AssistantError
from assistant.evaluation.dataset import Question, gold_parts, load_questions
from assistant.index.snapshot import Snapshot, get_snapshot
from assistant.retrieval.search import SearchConfig, search
from assistant.settings import Settings

LEFT_OUT = "__left_out__"


@dataclass
class Example:
    set: str
    qid: str
    kind: str  # answerable | unanswerable | left_out
    label: int
    values: dict[str, float]
    parts: list[dict[str, float]] = dataclasses.field(default_factory=list)  # each part's own, for a several-part question

    def probability(self, model: AnswerabilityModel) -> float:
        """As the pipeline decides: the whole question or its best-supported part (pipeline.weak_evidence)."""
        return max([model.probability(self.values), *(model.probability(v) for v in self.parts)])


def _hidden(snap: Snapshot, doc_ids: set[str]) -> Snapshot:
    """The snapshot as if ``doc_ids`` had never been indexed: their chunks are out of force, so no retriever returns them."""
    chunks = [{**c, "status": LEFT_OUT} if c["doc_id"] in doc_ids else c for c in snap.chunks]
    return dataclasses.replace(snap, chunks=chunks)


def collect(settings: Settings, name: str, questions: list[Question]) -> list[Example]:
    snap = get_snapshot(settings)
    cfg = SearchConfig.from_settings(settings)
    parts, _ = gold_parts(questions, snap.chunks)
    text = corpus_text(snap)
    out: list[Example] = []
    for q in questions:
        if q.type == "product":
            continue  # answered from the product record, not by the evidence check
        query = rewrite_follow_up(q.question, q.history or None)
        if scope_reason(q.question, text, snap.regions):
            continue
        past = q.type == "expired" or asks_about_old_policy(q.question)
        analysis = analyse(q.question, tuple(q.history or ()))

        def measure(view: Snapshot, past: bool, analysis: QuestionAnalysis = analysis, query: str = query) -> tuple[list, dict, list[dict]]:
            """As ask() decides: the question's hits and signals, and each part's signals. The whole question's own
            ranking, before ask() brings each part's best passage into the top (pipeline.parts_in_top): refitted on
            that list, the model declined fewer questions whose documents were left out (0.342 → 0.315)."""
            hits = search(view, query, settings.top_k, cfg, settings, include_expired=past, old_policy=past).hits
            parts = part_searches(analysis, view, settings, cfg, past)
            return hits, answer_signals(query, hits, view), [answer_signals(text, found, view) for text, found in parts]

        hits, values, part_values = measure(snap, past)
        if not q.answerable:
            out.append(Example(name, q.id, "unanswerable", 0, values, part_values))
            continue
        top = {snap.chunks[h.idx]["id"] for h in hits[:PASSAGES]}
        if q.id not in parts or not any(part & top for part in parts[q.id]):
            continue
        out.append(Example(name, q.id, "answerable", 1, values, part_values))
        gold = {ref.doc_id for g in q.gold for ref in g.options()}
        _hits, values, part_values = measure(_hidden(snap, gold), False)
        out.append(Example(name, q.id, "left_out", 0, values, part_values))
    return out


def fit(examples: list[Example], max_false_refusal: float, embedder_kind: str) -> AnswerabilityModel:
    import numpy as np
    from sklearn.linear_model import LogisticRegression

    x = np.array([[e.values[f] for f in FEATURES] for e in examples], dtype=float)
    y = np.array([e.label for e in examples])
    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale == 0] = 1.0
    clf = LogisticRegression(class_weight="balanced", C=1.0, max_iter=1000).fit((x - mean) / scale, y)
    model = AnswerabilityModel(mean=mean.tolist(), scale=scale.tolist(), coef=clf.coef_[0].tolist(), intercept=float(clf.intercept_[0]),
                               threshold=0.5, embedder_kind=embedder_kind,
                               fitted_on={k: sum(e.kind == k for e in examples) for k in ("answerable", "unanswerable", "left_out")})
    model.threshold = choose_threshold(model, examples, max_false_refusal)
    return model


def choose_threshold(model: AnswerabilityModel, examples: list[Example], max_false_refusal: float) -> float:
    """The highest threshold whose false-refusal rate on the positives stays within the bound."""
    positives = sorted(e.probability(model) for e in examples if e.label == 1)
    if not positives:
        return 0.5
    allowed = int(max_false_refusal * len(positives))  # this many positives may fall below the threshold
    return round(max(0.01, positives[allowed] - 1e-6), 6)


def rates(model: AnswerabilityModel, examples: list[Example], threshold: float) -> dict[str, float]:
    def share(kind: str) -> float:
        rows = [e.probability(model) < threshold for e in examples if e.kind == kind]
        return statistics.fmean(rows) if rows else 0.0

    return {"false_refusal": share("answerable"), "refusal_unanswerable": share("unanswerable"), "refusal_left_out": share("left_out")}


def cross_validated(examples: list[Example], max_false_refusal: float, embedder_kind: str) -> dict[str, dict[str, float]]:
    """Fitted on every other set, measured on this one."""
    out = {}
    for name in sorted({e.set for e in examples}):
        train = [e for e in examples if e.set != name]
        test = [e for e in examples if e.set == name]
        if not train or not test or len({e.label for e in train}) < 2:
            continue
        model = fit(train, max_false_refusal, embedder_kind)
        out[name] = rates(model, test, model.threshold)
    return out


def report(model: AnswerabilityModel, examples: list[Example], cv: dict[str, dict[str, float]], sets: list[str]) -> str:
    lines = [
        "# 拒答校准 / Answerability calibration",
        "",
        f"- 嵌入模型 embedder: `{model.embedder_kind}`；开发集 development sets: {', '.join(sets)}",
        f"- 样本 examples: {json.dumps(model.fitted_on, ensure_ascii=False)}（answerable：金标段落在前 {PASSAGES} 段内；left_out：同一问题在索引中隐去其金标文件后再问）",
        f"- 选定阈值 threshold: {model.threshold:.3f}",
        "- 特征权重 weights (standardised): " + "，".join(f"{f} {c:+.2f}" for f, c in zip(model.features, model.coef, strict=True)),
        "",
        "## 阈值曲线 / threshold curve (all development examples)",
        "",
        "| threshold | false refusal (answerable) | refusal (unanswerable) | refusal (left out) |",
        "|---|---|---|---|",
    ]
    for t in [0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.6, 0.7, model.threshold]:
        r = rates(model, examples, t)
        mark = " (chosen)" if t == model.threshold else ""
        lines.append(f"| {t:.3f}{mark} | {r['false_refusal']:.3f} | {r['refusal_unanswerable']:.3f} | {r['refusal_left_out']:.3f} |")
    lines += ["", "## 留一集交叉验证 / leave-one-set-out (fitted on the other sets)", "",
              "| held-out set | false refusal | refusal (unanswerable) | refusal (left out) |", "|---|---|---|---|"]
    lines += [f"| {name} | {r['false_refusal']:.3f} | {r['refusal_unanswerable']:.3f} | {r['refusal_left_out']:.3f} |" for name, r in cv.items()]
    return "\n".join(lines) + "\n"


def set_docs(directory: Path) -> list[Path]:
    """The extra documents a set is about: the folders its DOCS file names (relative to the repository root)."""
    marker = directory / "DOCS"
    if not marker.exists():
        return []
    root = directory.resolve().parents[1]
    docs = [(root / line.strip()).resolve() for line in marker.read_text(encoding="utf-8").splitlines() if line.strip()]
    return existing(docs, f"评测集 {directory.name} 所需的文档不存在")


def existing(paths: list[Path], message: str) -> list[Path]:
    """The paths, when each exists; else ``message`` naming those that do not (a folder not checked out here is said
    to be missing, not read as a file of no known type)."""
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        raise AssistantError(f"{message}：{'、'.join(missing)}")
    return paths


def load_set(directory: Path) -> list[Question]:
    return load_questions(directory)
