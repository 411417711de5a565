"""Run the eval set against each retrieval configuration.

MRR@10 and nDCG@10 come from ranx over every acceptable chunk. recall@k counts the question's *parts*
answered in the top k (a part is satisfied by any of its acceptable passages), so a fact stated both in an
article and in the FAQ is not counted twice.

Answer-level figures use the full pipeline (evidence check + composer) of each configuration:
- fact_hit: share of answerable questions whose answer contains every key fact;
- refusal: share of unanswerable questions declined; false_refusal: share of answerable ones declined;
- cited: share of answerable questions whose answer has every key fact and cites a gold document;
- article: of those, where the gold document is divided into articles, the share whose citation names the article.

A set about documents outside the corpus (``extra_docs``) is measured on a temporary index of the corpus plus those
files, ingested as the policy team uploads them (no sidecar), so every figure can be re-run from the files.
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path

from assistant.answer.analysis import analyse
from assistant.answer.pipeline import ask, asks_about_old_policy, retrieved, search_analysis
from assistant.errors import AssistantError
from assistant.evaluation.dataset import (
    Question,
    gold_parts,
    has_fact,
    has_facts,
    load_questions,
    part_recall,
    qrels_from_parts,
)
from assistant.evaluation.kinds import KindScore, KindSummary, summarise
from assistant.evaluation.kinds import score as kind_score
from assistant.index.snapshot import get_snapshot
from assistant.retrieval.search import SearchConfig
from assistant.settings import Settings

RANX_METRICS = ["mrr@10", "ndcg@10"]
RECALL_AT = (1, 5, 10)
DEFAULT = "hybrid+learned"


def configs(settings: Settings) -> dict[str, SearchConfig]:
    base = SearchConfig.from_settings(settings)
    variants = [("bm25", None), ("vector", None), ("hybrid", None), ("bm25", "coverage"), ("hybrid", "coverage"), ("hybrid", "learned")]
    if settings.rerank_model:
        variants.append(("hybrid", "cross-encoder"))
    return {mode + (f"+{rerank}" if rerank else ""): replace(base, mode=mode, rerank=rerank) for mode, rerank in variants}


@dataclass
class ConfigResult:
    metrics: dict[str, float]
    fact_hit: float
    refusal: float
    false_refusal: float
    latency_ms_p50: float
    cited: float = 0.0
    article: float = 0.0
    answer_chars_p50: float = 0.0  # fact-hit rises with verbosity: the length says whether a gain is just longer answers
    by_type: dict[str, float] = field(default_factory=dict)
    misses: list[str] = field(default_factory=list)
    kinds: dict[str, KindSummary] = field(default_factory=dict)  # per kind of question (evaluation/kinds.py)


@dataclass
class EvalResult:
    embedder: str
    questions: int
    answerable: int
    unanswerable: int
    configs: dict[str, ConfigResult]
    problems: list[str]
    default: str = DEFAULT
    held_out: bool = False  # a held-out set: its report gives counts only, never which questions were missed

    def summary(self) -> dict:
        return {
            "default": self.default,
            "questions": self.questions,
            "embedder": self.embedder,
            "configs": {
                name: {**{k: round(v, 4) for k, v in r.metrics.items()}, "fact_hit": round(r.fact_hit, 4), "cited": round(r.cited, 4),
                       "article": round(r.article, 4), "refusal": round(r.refusal, 4),
                       "false_refusal": round(r.false_refusal, 4), "latency_ms_p50": round(r.latency_ms_p50, 2),
                       "answer_chars_p50": r.answer_chars_p50,
                       "kinds": {k: {"n": v.n, "ok": round(v.ok, 4), "cited": round(v.cited, 4), "chars_p50": v.chars_p50,
                                     "stale": v.stale} for k, v in r.kinds.items()}}
                for name, r in self.configs.items()
            },
        }


def facts_present(answer: str, facts: list[str]) -> bool:
    return has_facts(answer, facts)


def evaluate_config(settings: Settings, cfg: SearchConfig, questions: list[Question], parts: dict[str, list[set[str]]]) -> ConfigResult:
    os.environ.setdefault("NUMBA_CACHE_DIR", str(settings.cache_dir / "numba"))
    from ranx import Qrels, Run, evaluate

    snap = get_snapshot(settings)
    run: dict[str, dict[str, float]] = {}
    recalls: dict[int, list[float]] = {k: [] for k in RECALL_AT}
    hits_ok = 0
    cited_ok = 0
    article_hits: list[bool] = []
    docs_with_articles = {c["doc_id"] for c in snap.chunks if c.get("article")}
    answerable = [q for q in questions if q.answerable]
    refused_un = 0
    false_ref = 0
    latencies = []
    lengths = []
    per_type: dict[str, list[bool]] = {}
    misses = []
    kind_rows: list[tuple[Question, KindScore]] = []
    for q in questions:
        if q.answerable and q.id in parts:
            # retrieval is scored as ask() retrieves: expired documents too when the question points at the past
            points_back = asks_about_old_policy(q.question)
            analysis = search_analysis(analyse(q.question, tuple(q.history)), settings)  # what ask() searches
            res, _parts = retrieved(analysis, snap, settings, cfg, 10, q.type == "expired" or points_back, points_back)
            ranked = [snap.chunks[h.idx]["id"] for h in res.hits]
            for k in RECALL_AT:
                recalls[k].append(part_recall(parts[q.id], ranked, k))
            # rank-based scores: ranx sorts by score, and ties must not reorder the list
            run[q.id] = {cid: 10.0 - i * 0.01 for i, cid in enumerate(ranked)} or {"none": 0.0}
        t = time.perf_counter()
        ans = ask(q.question, settings, history=q.history or None, cfg=cfg, use_llm=False,
                  include_expired=True if q.type == "expired" else None)
        latencies.append((time.perf_counter() - t) * 1000)
        if q.kind:
            kind_rows.append((q, kind_score(q, ans)))
        if q.answerable:
            if not ans.refused:
                lengths.append(len(ans.answer))
            ok = not ans.refused and facts_present(ans.answer, q.facts)
            hits_ok += ok
            gold_docs = {ref.doc_id for g in q.gold for ref in g.options()}
            cites = [c for c in ans.citations if c.doc_id in gold_docs]
            if ok and (cites or not gold_docs):
                cited_ok += 1
                if gold_docs & docs_with_articles:
                    article_hits.append(any(c.article for c in cites))
            false_ref += ans.refused
            per_type.setdefault(q.type, []).append(ok)
            if not ok:
                misses.append(f"{q.id} [{q.type}] {q.question} → {'拒答' if ans.refused else ans.answer[:80]} | 缺: {[f for f in q.facts if not has_fact(ans.answer, f)]}")
        else:
            refused_un += ans.refused
            per_type.setdefault("unanswerable", []).append(ans.refused)
            if not ans.refused:
                misses.append(f"{q.id} [unanswerable] {q.question} → {ans.answer[:80]}")
    scores = evaluate(Qrels(qrels_from_parts(parts)), Run(run), RANX_METRICS, make_comparable=True)
    metrics = {f"recall@{k}": statistics.fmean(v) if v else 0.0 for k, v in recalls.items()}
    metrics.update({k: float(v) for k, v in scores.items()})
    n_un = len(questions) - len(answerable)
    return ConfigResult(
        metrics=metrics,
        fact_hit=hits_ok / max(1, len(answerable)),
        cited=cited_ok / max(1, len(answerable)),
        article=statistics.fmean(article_hits) if article_hits else 0.0,
        refusal=refused_un / max(1, n_un),
        false_refusal=false_ref / max(1, len(answerable)),
        latency_ms_p50=statistics.median(latencies) if latencies else 0.0,
        answer_chars_p50=statistics.median(lengths) if lengths else 0.0,
        by_type={t: sum(v) / len(v) for t, v in sorted(per_type.items())},
        misses=misses,
        kinds=summarise(kind_rows),
    )


def run_all(
    settings: Settings, path: Path, only: list[str] | None = None, embedders: list[str] | None = None, svd_dims: list[int] | None = None
) -> EvalResult:
    """Every configuration on the live index; plus, per alternative embedder (a local model path, or another SVD
    size), its vector and hybrid configs on a temporary index built with it: the comparison behind the default."""
    questions = load_questions(path)
    snap = get_snapshot(settings)
    parts, problems = gold_parts(questions, snap.chunks)
    results = {}
    for name, cfg in configs(settings).items():
        if only and name not in only:
            continue
        results[name] = evaluate_config(settings, cfg, questions, parts)
    alternatives: list[tuple[str, dict[str, object]]] = [
        (Path(m).parent.name if Path(m).name == "model" else Path(m).name, {"embedding_model": m}) for m in embedders or []
    ]
    alternatives += [(f"tfidf-svd-{d}", {"svd_dims": d}) for d in svd_dims or [] if d != settings.svd_dims]
    for label, update in alternatives:
        from assistant.index.builder import build_index

        with tempfile.TemporaryDirectory() as tmp:
            alt = settings.model_copy(update={"data_dir": Path(tmp), **update})
            if settings.library_dir.exists():  # the documents uploaded for this run (``--docs``) go along
                import shutil

                shutil.copytree(settings.library_dir, alt.library_dir)
            build_index(alt, full=True)
            alt_parts, _ = gold_parts(questions, get_snapshot(alt).chunks)
            for name in ("vector", "hybrid+coverage", DEFAULT):
                results[f"{label}:{name}"] = evaluate_config(alt, configs(alt)[name], questions, alt_parts)
    n_un = sum(not q.answerable for q in questions)
    return EvalResult(snap.manifest.embedder_id, len(questions), len(questions) - n_un, n_un, results, problems,
                      held_out=is_held_out(path))


def is_held_out(path: Path) -> bool:
    """A held-out question set, by the name of its folder or file (questions_heldout…, questions_places_heldout)."""
    return any("heldout" in part for part in path.resolve().parts[-2:])


@contextmanager
def with_extra_docs(settings: Settings, docs: list[Path]) -> Iterator[Settings]:
    """Settings for a temporary index: the corpus, then every supported file under ``docs`` uploaded without metadata."""
    from assistant.index.builder import build_index
    from assistant.index.ingest import ingest_files
    from assistant.index.library import files_under

    # a folder's README describes the folder; it is not one of its documents
    files = [f for d in docs for f in (files_under(d) if d.is_dir() else [d]) if not f.stem.upper().startswith("README")]
    with tempfile.TemporaryDirectory(prefix="assistant-eval-") as tmp:
        alt = settings.model_copy(update={"data_dir": Path(tmp)})
        build_index(alt, full=True)
        report = ingest_files(alt, files)
        if report.errors:
            raise AssistantError("；".join(e.message for e in report.errors))
        yield alt


def render_markdown(result: EvalResult) -> str:
    lines = [
        "# 检索与回答评测报告 / Retrieval and answer eval",
        "",
        f"- 问题数 questions: {result.questions}（可回答 {result.answerable}，不可回答 {result.unanswerable}）",
        f"- 向量模型 embedder: `{result.embedder}`；默认配置 default: `{result.default}`",
        "",
        "| config | recall@1 | recall@5 | recall@10 | MRR@10 | nDCG@10 | fact-hit | cited | article | refusal | false refusal | answer chars p50 | p50 ms |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for name, r in result.configs.items():
        m = r.metrics
        lines.append(
            f"| {name}{' (default)' if name == result.default else ''} | {m['recall@1']:.3f} | {m['recall@5']:.3f} | {m['recall@10']:.3f} | "
            f"{m['mrr@10']:.3f} | {m['ndcg@10']:.3f} | {r.fact_hit:.3f} | {r.cited:.3f} | {r.article:.3f} | {r.refusal:.3f} | {r.false_refusal:.3f} | {r.answer_chars_p50:.0f} | {r.latency_ms_p50:.1f} |"
        )
    default = result.configs.get(result.default)
    if default:
        lines += ["", "## 默认配置按题型 / default config by question type (fact-hit; refusal for unanswerable)", ""]
        lines += [f"- {t}: {v:.3f}" for t, v in default.by_type.items()]
        if default.kinds:
            lines += ["", "## 默认配置按任务 / default config by kind (ok: the figure, verdict, every part, each product, no stale figure)", "",
                      "| kind | n | ok | cited | answer chars p50 | stale shown as current |", "|---|---|---|---|---|---|"]
            lines += [f"| {k} | {v.n} | {v.ok:.3f} | {v.cited:.3f} | {v.chars_p50:.0f} | {v.stale} |" for k, v in default.kinds.items()]
            if not result.held_out:
                lines += ["", "Misses by kind: " + "; ".join(f"{k}: {', '.join(v.misses)}" for k, v in default.kinds.items() if v.misses)]
        if result.held_out:
            lines += ["", "## 默认配置未命中 / default-config misses", "",
                      "留出集：只报计数，未命中不在此列出（held out: counts only; its misses are not listed）。"]
        elif default.misses:
            lines += ["", "## 默认配置未命中 / default-config misses", ""]
            lines += [f"- {m}" for m in default.misses]
    if result.problems:
        lines += ["", "## 标注问题 / label problems", ""] + [f"- {p}" for p in result.problems]
    return "\n".join(lines) + "\n"
