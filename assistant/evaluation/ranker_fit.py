"""Fit the learned reranker's weights (retrieval/learned_rank.py) on development question sets.

For each answerable question, the fused candidates (before any rerank, without the region preference, which runs
after the reranker) are scored by retrieval/rank_features.py; each gold passage is paired with the question's
other candidates, and a logistic model without intercept learns which of a pair is the gold one: a linear score
that orders passages. The report compares it with the hand-set coverage reranker, set by set, fitted on the other
sets (leave one set out), so the gain is measured on questions the weights never saw.
"""

from __future__ import annotations

import copy
import json
import statistics
from dataclasses import dataclass

from assistant.answer.follow_up import rewrite_follow_up
from assistant.answer.pipeline import asks_about_old_policy
from assistant.evaluation.dataset import Question, gold_parts
from assistant.index.snapshot import get_snapshot
from assistant.retrieval.learned_rank import RankModel
from assistant.retrieval.rank_features import FEATURES, candidate_features
from assistant.retrieval.rerank import CoverageReranker
from assistant.retrieval.search import SearchConfig, search
from assistant.settings import Settings

NEGATIVES = 20  # per gold passage: the best-fused other candidates (the ones it must beat)
C = 0.1  # chosen by leave-one-set-out recall (evals/reports/ranker_tfidf.md): 1.0 and 0.01 do no better


@dataclass
class Candidates:
    set_name: str
    qid: str
    ids: list[str]
    rows: list[dict[str, float]]
    parts: list[set[str]]  # the chunk ids holding each part's gold evidence
    coverage_order: list[str]  # the hand-set coverage reranker's order, for comparison


def collect(settings: Settings, name: str, questions: list[Question]) -> list[Candidates]:
    s = settings.model_copy(update={"other_region_penalty": 0.0, "region_bonus": 0.0})
    snap = get_snapshot(s)
    cfg = SearchConfig.from_settings(s)
    cfg.rerank = None
    parts, _ = gold_parts(questions, snap.chunks)
    coverage = CoverageReranker(s.coverage_weight, s.figure_bonus)
    out = []
    for q in questions:
        if not q.answerable or q.id not in parts:
            continue
        query = rewrite_follow_up(q.question, q.history or None)
        past = q.type == "expired" or asks_about_old_policy(q.question)
        hits = search(snap, query, cfg.candidates, cfg, s, include_expired=past).hits
        if not hits:
            continue
        rows = candidate_features(query, hits, snap)
        by_coverage = coverage.rerank(query, copy.deepcopy(hits), snap)
        out.append(Candidates(name, q.id, [snap.chunks[h.idx]["id"] for h in hits], rows, parts[q.id],
                              [snap.chunks[h.idx]["id"] for h in by_coverage]))
    return out


def fit(data: list[Candidates], embedder_kind: str) -> RankModel:
    import numpy as np
    from sklearn.linear_model import LogisticRegression

    x_all = np.array([[r[f] for f in FEATURES] for c in data for r in c.rows], dtype=float)
    mean, scale = x_all.mean(axis=0), x_all.std(axis=0)
    scale[scale == 0] = 1.0
    diffs, labels = [], []
    for c in data:
        x = (np.array([[r[f] for f in FEATURES] for r in c.rows], dtype=float) - mean) / scale
        gold: set[str] = set().union(*c.parts)
        pos = [i for i, cid in enumerate(c.ids) if cid in gold]
        neg = [i for i, cid in enumerate(c.ids) if cid not in gold][:NEGATIVES]
        for p in pos:
            for n in neg:  # both orders, so the classes balance and no intercept is needed
                diffs += [x[p] - x[n], x[n] - x[p]]
                labels += [1, 0]
    clf = LogisticRegression(C=C, max_iter=2000, fit_intercept=False).fit(np.array(diffs), np.array(labels))
    return RankModel(mean=mean.tolist(), scale=scale.tolist(), coef=clf.coef_[0].tolist(), embedder_kind=embedder_kind,
                     fitted_on={"questions": len(data), "pairs": len(labels) // 2})


def _recall(order: list[str], parts: list[set[str]], k: int) -> float:
    top = set(order[:k])
    return sum(1 for p in parts if p & top) / len(parts)


def scores(model: RankModel | None, data: list[Candidates]) -> dict[str, float]:
    """recall@1 and @5 of the model's order (None: the coverage reranker's)."""
    r1, r5 = [], []
    for c in data:
        if model is None:
            order = c.coverage_order
        else:
            ranked = sorted(range(len(c.ids)), key=lambda i: -model.score(c.rows[i]))
            order = [c.ids[i] for i in ranked]
        r1.append(_recall(order, c.parts, 1))
        r5.append(_recall(order, c.parts, 5))
    return {"recall@1": statistics.fmean(r1) if r1 else 0.0, "recall@5": statistics.fmean(r5) if r5 else 0.0}


def cross_validated(data: list[Candidates], embedder_kind: str) -> dict[str, dict[str, float]]:
    out = {}
    for name in sorted({c.set_name for c in data}):
        train = [c for c in data if c.set_name != name]
        test = [c for c in data if c.set_name == name]
        if not train or not test:
            continue
        base, learned = scores(None, test), scores(fit(train, embedder_kind), test)
        out[name] = {"n": len(test), **{f"coverage {k}": v for k, v in base.items()}, **{f"learned {k}": v for k, v in learned.items()}}
    return out


def report(model: RankModel, data: list[Candidates], cv: dict[str, dict[str, float]]) -> str:
    lines = [
        "# 重排序权重拟合 / Learned reranker",
        "",
        f"- 嵌入模型 embedder: `{model.embedder_kind}`；开发集 development sets: {', '.join(sorted({c.set_name for c in data}))}",
        f"- 样本 examples: {json.dumps(model.fitted_on, ensure_ascii=False)}（每个金标段落与同题前 {NEGATIVES} 个其他候选成对）",
        "- 特征权重 weights (standardised): " + "，".join(f"{f} {c:+.2f}" for f, c in zip(model.features, model.coef, strict=True)),
        "",
        "## 留一集交叉验证 / leave-one-set-out (weights fitted on the other sets)",
        "",
        "| set | questions | coverage recall@1 | learned recall@1 | coverage recall@5 | learned recall@5 |",
        "|---|---|---|---|---|---|",
    ]
    for name, r in cv.items():
        lines.append(f"| {name} | {r['n']:.0f} | {r['coverage recall@1']:.3f} | {r['learned recall@1']:.3f} | "
                     f"{r['coverage recall@5']:.3f} | {r['learned recall@5']:.3f} |")
    allin = scores(model, data)
    base = scores(None, data)
    lines += ["", f"All sets, fitted on all (in-sample): coverage recall@1 {base['recall@1']:.3f} → {allin['recall@1']:.3f}, "
              f"recall@5 {base['recall@5']:.3f} → {allin['recall@5']:.3f}."]
    return "\n".join(lines) + "\n"


