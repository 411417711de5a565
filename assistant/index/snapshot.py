"""A loaded, read-only index version: chunks, BM25, embedder and the Chroma collection.

Loaded once per process (``get_snapshot``) and swapped when ``CURRENT`` points at a newer version, so
long-running readers follow rebuilds without restarting and never see a half-written index.
"""

from __future__ import annotations

import datetime as dt
import threading
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from assistant.errors import IndexMismatch, IndexNotBuilt
from assistant.index.builder import read_records
from assistant.index.chroma_store import open_collection
from assistant.index.manifest import Manifest
from assistant.index.versions import current_version
from assistant.ingest.metadata import is_in_force
from assistant.retrieval.embedders import Embedder, embedder_kind, load_embedder
from assistant.retrieval.tokenizer import get_tokenizer
from assistant.settings import Settings


@dataclass
class Snapshot:
    directory: Path
    manifest: Manifest
    chunks: list[dict[str, Any]]
    bm25: Any
    embedder: Embedder
    collection: Any
    client: Any
    position: dict[str, int] = field(default_factory=dict)
    idf: dict[str, float] = field(default_factory=dict)

    @property
    def version(self) -> str:
        return self.manifest.version

    @cached_property
    def doc_chunks(self) -> dict[str, list[int]]:
        """Chunk positions per document, in reading order."""
        out: dict[str, list[int]] = {}
        for i, c in enumerate(self.chunks):
            out.setdefault(c["doc_id"], []).append(i)
        return out

    @cached_property
    def positions(self) -> dict[str, int]:
        """Each passage's position by its id."""
        return {c["id"]: i for i, c in enumerate(self.chunks)}

    @cached_property
    def titles(self) -> frozenset[str]:
        """The indexed documents' titles (a question may name one: lexicon/titles.py)."""
        return frozenset(c["title"] for c in self.chunks if c.get("title"))

    @cached_property
    def topics(self) -> dict[str, int]:
        """What the documents are each about, by their titles (lexicon/titles.py): 贴息, 白名单, 质押登记 …, each with
        the number of titles that say it."""
        import math

        from assistant.lexicon.titles import COMMON_SHARE, title_topics

        # idf is log(1 + (n - f + 0.5) / (f + 0.5)): a word in a third of the passages or more has at most this
        common = frozenset(w for w, v in self.idf.items() if v <= math.log(1 / COMMON_SHARE))
        return title_topics(self.titles, common)

    @cached_property
    def heads(self) -> dict[str, tuple[str, ...]]:
        """The corpus's two-character Chinese words by their first character (a verb said short: retrieval/backoff.py)."""
        out: dict[str, list[str]] = {}
        for w in self.idf:
            if len(w) == 2 and all("\u4e00" <= ch <= "\u9fff" for ch in w):
                out.setdefault(w[0], []).append(w)
        return {h: tuple(ws) for h, ws in out.items()}

    @cached_property
    def vectors(self) -> Any:
        """The passages' vectors as the index wrote them (``vectors.npy``, one row per chunk, mapped from disk once):
        a passage's similarity to a question is read here, not fetched from the vector store on every question."""
        import numpy as np

        return np.load(self.directory / "vectors.npy", mmap_mode="r")

    @cached_property
    def regions(self) -> frozenset[str | None]:
        """The places the indexed documents govern (全国 for national rules), read at index time."""
        return frozenset(e.region for e in self.manifest.docs.values())

    def in_force(self, idx: int, on: dt.date | None = None) -> bool:
        c = self.chunks[idx]
        return is_in_force(c["status"], c.get("effective"), c.get("expires"), on)


def load_snapshot(settings: Settings) -> Snapshot:
    name = current_version(settings.index_root)
    if not name:
        raise IndexNotBuilt()
    directory = settings.index_root / name
    manifest = Manifest.load(directory)
    tokenizer = get_tokenizer()
    if manifest.tokenizer_version != tokenizer.version:
        raise IndexMismatch(
            f"索引由不同版本的分词词典构建（{manifest.tokenizer_version}，当前 {tokenizer.version}），请运行 `assistant index --full` 重建。"
        )
    if embedder_kind(settings.embedding_model) != manifest.embedder_kind:
        raise IndexMismatch(
            f"索引使用的向量模型（{manifest.embedder_id}）与当前配置不一致，请运行 `assistant index --full` 重建。"
        )
    embedder = load_embedder(directory, manifest.embedder_kind, settings.embedding_model)
    if embedder.id != manifest.embedder_id:
        raise IndexMismatch(
            f"索引使用的向量模型（{manifest.embedder_id}）与当前配置（{embedder.id}）不一致，请运行 `assistant index --full` 重建。"
        )
    import bm25s

    chunks = read_records(directory)
    bm25 = bm25s.BM25.load(str(directory / "bm25"))
    if manifest.vector_store == "server" and not settings.chroma_url:
        raise IndexMismatch("该索引的向量存放在 Chroma 服务器上，请设置 ASSISTANT_CHROMA_URL，或运行 `assistant index --full` 重建为本地索引。")
    if manifest.vector_store == "embedded" and settings.chroma_url:
        raise IndexMismatch("已设置 ASSISTANT_CHROMA_URL，但当前索引的向量在本地目录中，请运行 `assistant index --full` 重建。")
    client, collection = open_collection(directory / "chroma", url=settings.chroma_url, version=name)
    tokenizer.warm_up()
    snap = Snapshot(directory, manifest, chunks, bm25, embedder, collection, client)
    snap.position = {c["id"]: i for i, c in enumerate(chunks)}
    snap.idf = _idf([c["tokens"] for c in chunks])
    return snap


def _idf(docs: list[list[str]]) -> dict[str, float]:
    """BM25-style idf per token, used to weigh query-term coverage (rerank, refusal, sentence choice)."""
    import math
    from collections import Counter

    df: Counter[str] = Counter()
    for toks in docs:
        df.update(set(toks))
    n = len(docs)
    return {t: math.log(1 + (n - f + 0.5) / (f + 0.5)) for t, f in df.items()}


_lock = threading.Lock()
_cache: dict[Path, Snapshot] = {}


def get_snapshot(settings: Settings) -> Snapshot:
    """The live version for this data dir, reloaded when another process has published a newer one."""
    root = settings.index_root.resolve()
    live = current_version(settings.index_root)
    snap = _cache.get(root)
    if snap is not None and snap.version == live:
        return snap
    with _lock:
        snap = _cache.get(root)
        if snap is None or snap.version != live:
            snap = load_snapshot(settings)
            _cache[root] = snap
        return snap


def clear_cache() -> None:
    with _lock:
        _cache.clear()
