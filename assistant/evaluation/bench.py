"""Benchmark: ask latency (p50/p95) on the sample corpus and on ~10,000 synthetic chunks, index build time,
PDF ingest pages/s (read and chunk; and indexed, embedding included), `assistant ask` process start to answer, and
with ``docs`` the sample corpus plus those documents (e.g. the real regulations). Peak memory is the process's
resident high-water mark after each stage. Medians and percentiles, not single runs."""

from __future__ import annotations

import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from assistant.answer.pipeline import ask
from assistant.errors import IngestError
from assistant.evaluation.dataset import load_questions
from assistant.index.builder import build_index
from assistant.index.library import files_under
from assistant.index.snapshot import clear_cache
from assistant.ingest.chunker import chunk_document
from assistant.ingest.loaders import load_document
from assistant.settings import Settings

QUESTIONS = Path("evals/questions")


def _pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def _ask_latencies(settings: Settings, questions: list[str], rounds: int = 2) -> dict[str, float]:
    ask(questions[0], settings)  # warm: snapshot, jieba, Chroma
    lat = []
    for _ in range(rounds):
        for q in questions:
            t = time.perf_counter()
            ask(q, settings, use_llm=False)
            lat.append((time.perf_counter() - t) * 1000)
    return {"p50_ms": round(statistics.median(lat), 2), "p95_ms": round(_pct(lat, 95), 2), "n": len(lat)}


def corpus_sentences(root: Path) -> list[str]:
    """Sentences of the sample corpus, the raw material of the synthetic benchmark documents."""
    out: list[str] = []
    for path in files_under(root):
        try:
            doc = load_document(path)
        except IngestError:
            continue
        for _, text in doc.paragraphs:
            out += [s.strip() for s in re.split(r"(?<=[。！？；])", text) if len(s.strip()) >= 8]
    return out


def synthetic_corpus(target: Path, source: Path, chunks: int, seed: int = 7) -> int:
    """Recombine sample sentences into regulation-shaped Markdown documents, ~one chunk per article."""
    rng = random.Random(seed)
    pool = corpus_sentences(source)
    per_doc = 25
    docs = max(1, chunks // per_doc)
    target.mkdir(parents=True, exist_ok=True)
    for d in range(docs):
        lines = [f"---\ndoc_id: synth-{d:05d}\ntitle: 合成测试办法第{d}号\nlevel: 西咸新区\n---\n"]
        for a in range(1, per_doc + 1):
            lines.append(f"第{a}条 " + "".join(rng.sample(pool, k=3)) + "\n")
        (target / f"synth-{d:05d}.md").write_text("\n".join(lines), encoding="utf-8")
    return docs


def _pdf_pages_per_s(corpus: Path, rounds: int = 3) -> dict[str, float]:
    pdfs = sorted(corpus.rglob("*.pdf"))
    pages = 0
    t = time.perf_counter()
    for _ in range(rounds):
        for p in pdfs:
            doc = load_document(p)
            chunk_document(doc)
            pages += max((pg or 1) for pg, _ in doc.paragraphs)
    dt = time.perf_counter() - t
    return {"pdf_files": len(pdfs), "pages": pages, "pages_per_s": round(pages / dt, 1)}


def _peak_mb() -> float:
    import resource

    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)  # KiB on Linux


def _pdf_indexed_pages_per_s(settings: Settings, pdfs: list[Path]) -> dict[str, float]:
    """Pages per second through the whole upload path: read, chunk, embed with the configured embedder, write."""
    from assistant.index.ingest import ingest_files

    pages = sum(max((pg or 1) for pg, _ in load_document(p).paragraphs) for p in pdfs)
    t = time.perf_counter()
    report = ingest_files(settings, pdfs)
    dt = time.perf_counter() - t
    return {"pdf_files": len(pdfs) - len(report.errors), "pages": pages, "pages_per_s": round(pages / dt, 1), "seconds": round(dt, 2)}


def _cli_start_to_answer(settings: Settings, runs: int = 3) -> float:
    env_keys = {"ASSISTANT_DATA_DIR": str(settings.data_dir), "ASSISTANT_CORPUS_DIR": str(settings.corpus_dir)}
    import os

    times = []
    for _ in range(runs):
        t = time.perf_counter()
        subprocess.run([sys.executable, "-m", "assistant.cli", "ask", "--json", "秦知贷的补偿比例是多少？"],
                       check=True, capture_output=True, env={**os.environ, **env_keys})
        times.append(time.perf_counter() - t)
    return round(statistics.median(times), 2)


def run_bench(settings: Settings, synthetic: int = 10000, docs: list[Path] | None = None) -> dict:
    questions = [q.question for q in load_questions(QUESTIONS)] if QUESTIONS.exists() else ["秦知贷的补偿比例是多少？"]
    out: dict = {"machine": {"cpus": __import__("os").cpu_count()}, "embedder": settings.embedding_model or "tfidf-svd"}
    with tempfile.TemporaryDirectory() as tmp:
        sample = settings.model_copy(update={"data_dir": Path(tmp) / "sample"})
        t = time.perf_counter()
        report = build_index(sample, full=True)
        out["sample"] = {"chunks": report.chunk_count, "build_s": round(time.perf_counter() - t, 2),
                         "ask": _ask_latencies(sample, questions), "peak_rss_mb": _peak_mb()}
        out["ingest_pdf"] = _pdf_pages_per_s(settings.corpus_dir)
        out["cli_start_to_answer_s"] = _cli_start_to_answer(sample)
        if docs:
            files = [f for d in docs for f in (files_under(d) if d.is_dir() else [d]) if not f.stem.upper().startswith("README")]
            pdfs = [f for f in files if f.suffix.lower() == ".pdf"]
            out["ingest_pdf_indexed"] = _pdf_indexed_pages_per_s(sample, pdfs)
            from assistant.index.ingest import ingest_files

            t = time.perf_counter()
            report = ingest_files(sample, [f for f in files if f not in pdfs])
            clear_cache()
            both = build_index(sample, full=True)  # the whole corpus at once, as a rebuild would
            out["with_docs"] = {"documents": len(files), "chunks": both.chunk_count, "full_build_s": round(both.seconds, 2),
                                "ask": _ask_latencies(sample, questions), "peak_rss_mb": _peak_mb()}
        if synthetic:
            corpus = Path(tmp) / "synthetic"
            synthetic_corpus(corpus, settings.corpus_dir, synthetic)
            big = Settings(data_dir=Path(tmp) / "big", corpus_dir=corpus)
            t = time.perf_counter()
            report = build_index(big, full=True)
            build_s = time.perf_counter() - t
            clear_cache()
            out["synthetic"] = {"chunks": report.chunk_count, "build_s": round(build_s, 2), "ask": _ask_latencies(big, questions),
                                "peak_rss_mb": _peak_mb()}
            # incremental: one changed document in a 10k-chunk index
            first = sorted(corpus.glob("*.md"))[0]
            first.write_text(first.read_text(encoding="utf-8") + "\n第99条 增量更新测试条款。\n", encoding="utf-8")
            t = time.perf_counter()
            build_index(big)
            out["synthetic"]["incremental_update_s"] = round(time.perf_counter() - t, 2)
    return out
