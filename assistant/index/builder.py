"""Build or update the index: parse, chunk, embed, and write a new version (BM25 + Chroma + chunks).

Incremental by content hash: a file whose bytes (and sidecar) are unchanged reuses its chunks, tokens and
vectors from the live version; a changed file replaces all its chunks under the same doc id. The corpus-fitted
TF-IDF/SVD embedder is refitted on a full build or when more than a fifth of the chunks changed.
"""

from __future__ import annotations

import errno
import json
import re
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from assistant.errors import AssistantError, IngestError
from assistant.index import library
from assistant.index.chroma_store import write_collection
from assistant.index.manifest import DocEntry, Manifest
from assistant.index.versions import current_version, new_version_dir, publish, writer_lock
from assistant.ingest.chunker import PARSER_VERSION, Chunk, chunk_document, index_text
from assistant.ingest.loaders import file_hash, load_document
from assistant.ingest.metadata import IN_FORCE, SUPERSEDED
from assistant.ingest.ocr import OcrOptions
from assistant.retrieval.embedders import (
    Embedder,
    EmbeddingCache,
    TfidfSvdEmbedder,
    embedder_kind,
    load_embedder,
    make_embedder,
)
from assistant.retrieval.tokenizer import ChineseTokenizer, get_tokenizer
from assistant.settings import Settings

REFIT_SHARE = 0.2


@dataclass
class BuildReport:
    version: str | None = None
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    errors: list[IngestError] = field(default_factory=list)
    chunk_count: int = 0
    seconds: float = 0.0
    refitted: bool = False

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated or self.removed)

    def to_dict(self) -> dict[str, Any]:
        return {"version": self.version, "added": self.added, "updated": self.updated, "removed": self.removed,
                "unchanged": len(self.unchanged), "errors": [e.message for e in self.errors], "chunk_count": self.chunk_count,
                "seconds": round(self.seconds, 2), "refitted": self.refitted}


@dataclass
class _Previous:
    directory: Path
    manifest: Manifest
    records: dict[str, list[dict[str, Any]]]  # doc_id -> chunk records (with tokens)
    vectors: dict[str, np.ndarray]  # chunk hash -> vector


def read_records(directory: Path) -> list[dict[str, Any]]:
    with open(directory / "chunks.jsonl", encoding="utf-8") as fh:
        return [json.loads(line) for line in fh]


def _previous(settings: Settings, embedder_kind: str, tokenizer_version: str, embedder_cfg: str) -> _Previous | None:
    name = current_version(settings.index_root)
    if not name:
        return None
    directory = settings.index_root / name
    manifest = Manifest.load(directory)
    if manifest.embedder_kind != embedder_kind or manifest.tokenizer_version != tokenizer_version or manifest.parser_version != PARSER_VERSION:
        return None  # a different embedder, tokenizer or parser: never mix, rebuild everything
    if not manifest.embedder_id.startswith(embedder_cfg):
        return None
    records = read_records(directory)
    vecs = np.load(directory / "vectors.npy")
    by_doc: dict[str, list[dict[str, Any]]] = {}
    vectors: dict[str, np.ndarray] = {}
    for rec, vec in zip(records, vecs, strict=True):
        by_doc.setdefault(rec["doc_id"], []).append(rec)
        vectors[rec["hash"]] = vec
    return _Previous(directory, manifest, by_doc, vectors)


def _embedder_cfg(settings: Settings) -> tuple[str, str]:
    if settings.embedding_model:
        emb = make_embedder(settings.embedding_model, settings.svd_dims)
        return embedder_kind(settings.embedding_model), emb.id
    return TfidfSvdEmbedder.name, f"{TfidfSvdEmbedder.name}-{settings.svd_dims}-"


Progress = Callable[[float, str], None]


def _quiet(_fraction: float, _message: str) -> None:
    pass


def build_index(settings: Settings, *, full: bool = False, lock_timeout: float = 60.0, progress: Progress | None = None) -> BuildReport:
    """(Re)build from the corpus and managed uploads; publish a new version only if all of it is written."""
    with writer_lock(settings.lock_path, lock_timeout):
        return _build_locked(settings, full=full, progress=progress)


def _build_locked(settings: Settings, *, full: bool, progress: Progress | None = None) -> BuildReport:
    say = progress or _quiet
    started = time.perf_counter()
    report = BuildReport()
    tokenizer = get_tokenizer()
    kind, cfg = _embedder_cfg(settings)
    prev = None if full else _previous(settings, kind, tokenizer.version, cfg)
    prev_by_path = {e.path: e for e in prev.manifest.docs.values()} if prev else {}
    removed = library.removed_ids(settings)

    docs: dict[str, tuple[DocEntry, list[dict[str, Any]]]] = {}
    sources = library.list_sources(settings)
    for n, src in enumerate(sources):
        say(0.7 * n / max(1, len(sources)), f"读取与切分文档 {n + 1}/{len(sources)}：{src.path.name}")
        key = str(src.path.resolve())
        old = prev_by_path.get(key)
        try:
            digest = file_hash(src.path)
            if old and prev and old.hash == digest and old.doc_id in prev.records:
                entry, records = old.model_copy(update={"origin": src.origin}), prev.records[old.doc_id]
            else:
                loaded = load_document(src.path, OcrOptions.from_settings(settings))
                chunks = chunk_document(loaded)
                records = [_record(c, tokenizer) for c in chunks]
                meta = loaded.meta
                entry = DocEntry(
                    doc_id=meta.doc_id, title=meta.title, source=loaded.source, path=key, hash=digest,
                    chunks=len(chunks), status=meta.status, declared_status=meta.status,
                    expires=meta.expires.isoformat() if meta.expires else None, origin=src.origin, region=meta.region,
                    published=meta.published.isoformat() if meta.published else None,
                    effective=meta.effective.isoformat() if meta.effective else None,
                    superseded_by=meta.superseded_by, declared_superseded_by=meta.superseded_by, inferred=meta.inferred,
                    ocr_pages=loaded.ocr_pages,
                )
        except IngestError as exc:
            report.errors.append(exc)
            if old and prev and old.doc_id in prev.records:  # keep the last good version of a broken file
                docs.setdefault(old.doc_id, (old, prev.records[old.doc_id]))
            continue
        except OSError as exc:
            report.errors.append(IngestError(src.path.name, f"读取失败：{exc.strerror or exc}"))
            continue
        if entry.doc_id in removed:
            continue
        if entry.doc_id in docs and docs[entry.doc_id][0].origin == src.origin == "corpus":
            report.errors.append(IngestError(src.path.name, f"文档编号 {entry.doc_id} 与《{docs[entry.doc_id][0].source}》重复"))
            continue
        docs[entry.doc_id] = (entry, records)  # uploads come after corpus files and win

    docs = apply_supersession(docs)
    prev_docs = prev.manifest.docs if prev else {}
    for doc_id, (entry, _) in docs.items():
        if doc_id not in prev_docs:
            report.added.append(doc_id)
        elif prev_docs[doc_id].hash != entry.hash:
            report.updated.append(doc_id)
        else:
            report.unchanged.append(doc_id)
    report.removed = [d for d in prev_docs if d not in docs]

    records = [r for _, recs in docs.values() for r in recs]
    if not records:
        raise AssistantError("没有可索引的文档：语料目录为空或所有文件都无法读取。")
    say(0.75, f"计算向量（{len(records)} 个段落）")
    embedder, vectors, report.refitted = _embed(settings, prev, records)
    say(0.9, "写入索引")

    name, staging = new_version_dir(settings.index_root)
    try:
        np.save(staging / "vectors.npy", vectors)
        with open(staging / "chunks.jsonl", "w", encoding="utf-8") as fh:
            for rec in records:
                fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
        embedder.save(staging)
        _write_bm25(staging, [r["tokens"] for r in records], settings.bm25_k1, settings.bm25_b)
        write_collection(staging / "chroma", [r["id"] for r in records], vectors, records, url=settings.chroma_url, version=name)
        manifest = Manifest(
            version=name, embedder_kind=kind, embedder_id=embedder.id, tokenizer_version=tokenizer.version, parser_version=PARSER_VERSION,
            docs={d: e for d, (e, _) in docs.items()}, chunk_count=len(records),
            build_seconds=round(time.perf_counter() - started, 3), vector_store="server" if settings.chroma_url else "embedded",
        )
        manifest.save(staging)
        publish(settings.index_root, name, staging)
        if settings.chroma_url:
            from assistant.index.chroma_store import drop_stale

            drop_stale(settings.chroma_url, {p.name for p in settings.index_root.iterdir() if p.is_dir()})
    except BaseException as exc:
        # The half-written version is dropped; CURRENT still names the previous one, which keeps serving.
        shutil.rmtree(staging, ignore_errors=True)
        if isinstance(exc, OSError) and exc.errno == errno.ENOSPC:
            raise AssistantError("磁盘空间不足，索引未更新（原索引继续提供服务）；请清理空间后重试。") from exc
        if isinstance(exc, OSError):
            raise AssistantError(f"写入索引失败（{exc.strerror or exc}），索引未更新（原索引继续提供服务）。") from exc
        raise
    say(1.0, f"索引版本 {name} 已发布")
    report.version, report.chunk_count = name, len(records)
    report.seconds = time.perf_counter() - started
    return report


_TITLE_NOISE = re.compile(r"\s+|（示例）|[（(]\d{4}年?(?:修订|修正)?[）)]$")


def apply_supersession(docs: dict[str, tuple[DocEntry, list[dict[str, Any]]]]) -> dict[str, tuple[DocEntry, list[dict[str, Any]]]]:
    """A later version of a document (same title, later 公布 or 施行 date) replaces the earlier: the earlier is
    marked 已被替代 with a pointer to its successor. Worked out anew on every build from what each file declares, so
    removing the successor brings the earlier version back; a status or successor a sidecar states is kept."""
    groups: dict[str, list[DocEntry]] = {}
    for entry, _ in docs.values():
        entry.status = entry.declared_status or entry.status
        entry.superseded_by = entry.declared_superseded_by
        if entry.status == IN_FORCE:
            groups.setdefault(_TITLE_NOISE.sub("", entry.title), []).append(entry)
    for same in groups.values():
        if len(same) < 2:
            continue
        field_ = "published" if all(e.published for e in same) else "effective" if all(e.effective for e in same) else None
        dates = {e.doc_id: (getattr(e, field_) if field_ else e.published or e.effective) for e in same}
        if any(d is None for d in dates.values()):
            continue  # undated: which came later cannot be told
        ordered = sorted(same, key=lambda e: str(dates[e.doc_id]))
        latest = ordered[-1]
        for older in ordered[:-1]:
            if str(dates[older.doc_id]) < str(dates[latest.doc_id]):
                older.status, older.superseded_by = SUPERSEDED, latest.doc_id
    out = {}
    for doc_id, (entry, records) in docs.items():
        out[doc_id] = (entry, [{**r, "status": entry.status, "superseded_by": entry.superseded_by} for r in records])
    return out


def _record(chunk: Chunk, tokenizer: ChineseTokenizer) -> dict[str, Any]:
    rec = chunk.to_dict()
    rec["tokens"] = tokenizer.words(chunk.index_text)
    return rec


def _embed(settings: Settings, prev: _Previous | None, records: list[dict[str, Any]]) -> tuple[Embedder, np.ndarray, bool]:
    texts = [index_text(r) for r in records]
    if prev is not None:
        missing = [i for i, r in enumerate(records) if r["hash"] not in prev.vectors]
        if len(missing) <= REFIT_SHARE * len(records) or prev.manifest.embedder_kind != TfidfSvdEmbedder.name:
            embedder = load_embedder(prev.directory, prev.manifest.embedder_kind, settings.embedding_model)
            dim = next(iter(prev.vectors.values())).shape[0]
            vectors = np.zeros((len(records), dim), dtype=np.float32)
            for i, r in enumerate(records):
                if r["hash"] in prev.vectors:
                    vectors[i] = prev.vectors[r["hash"]]
            if missing:
                vectors[missing] = _embed_documents(settings, embedder, [texts[i] for i in missing])
            return embedder, vectors, False
    embedder = make_embedder(settings.embedding_model, settings.svd_dims)
    embedder.fit(texts)
    return embedder, _embed_documents(settings, embedder, texts), True


def _embed_documents(settings: Settings, embedder: Embedder, texts: list[str]) -> np.ndarray:
    """A pre-trained embedder's passage vectors through the shared content-hash cache; a fitted one's directly."""
    if isinstance(embedder, TfidfSvdEmbedder):
        return embedder.embed_documents(texts)
    return EmbeddingCache(settings.embedding_cache_dir, embedder.id).embed(embedder, texts)


def _write_bm25(directory: Path, corpus_tokens: list[list[str]], k1: float, b: float) -> None:
    import bm25s

    retriever = bm25s.BM25(k1=k1, b=b)
    retriever.index(corpus_tokens, show_progress=False)
    retriever.save(str(directory / "bm25"))
