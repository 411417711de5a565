"""The vector side of an index version: an embedded Chroma directory per version (default; one writer, the
builder), or a collection per version on a Chroma server (``ASSISTANT_CHROMA_URL``), which several API nodes
share and which stays consistent with concurrent clients (see STACK notes)."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import numpy as np

from assistant.errors import AssistantError

COLLECTION = "chunks"
_BATCH = 2000
PREFIX = "chunks_"


class VectorStoreUnavailable(AssistantError):
    def __init__(self) -> None:
        super().__init__("向量检索服务暂时不可用，请稍后重试。")


def _settings() -> Any:
    from chromadb.config import Settings

    return Settings(anonymized_telemetry=False, allow_reset=False)


def collection_name(version: str) -> str:
    return PREFIX + version


def _http_client(url: str) -> Any:
    import chromadb

    u = urlparse(url)
    try:
        return chromadb.HttpClient(host=u.hostname or "127.0.0.1", port=u.port or 8000, ssl=u.scheme == "https", settings=_settings())
    except Exception as exc:  # the client checks the server on creation
        raise VectorStoreUnavailable() from exc


def chroma_metadata(chunk: dict[str, Any]) -> dict[str, Any]:
    """Chroma refuses None values: drop them, keep filterable fields."""
    keys = ("doc_id", "title", "source", "page", "article", "section", "doc_number", "level", "status", "effective", "expires", "kind", "ocr")
    return {k: chunk[k] for k in keys if chunk.get(k) is not None}


def _fill(col: Any, ids: list[str], vectors: np.ndarray, chunks: list[dict[str, Any]]) -> None:
    for i in range(0, len(ids), _BATCH):
        col.add(
            ids=ids[i : i + _BATCH],
            embeddings=vectors[i : i + _BATCH],
            metadatas=[chroma_metadata(c) for c in chunks[i : i + _BATCH]],
            documents=[c["text"] for c in chunks[i : i + _BATCH]],
        )


def write_collection(directory: Path, ids: list[str], vectors: np.ndarray, chunks: list[dict[str, Any]], *,
                     url: str | None = None, version: str | None = None) -> None:
    if url:
        client = _http_client(url)
        # Version names are unique, so a collection is never reused; a failed build's orphan goes with drop_stale.
        name = collection_name(version or directory.name)
        _fill(client.create_collection(name, configuration={"hnsw": {"space": "cosine"}}, embedding_function=None), ids, vectors, chunks)
        return
    import chromadb

    client = chromadb.PersistentClient(path=str(directory), settings=_settings())
    try:
        _fill(client.create_collection(COLLECTION, configuration={"hnsw": {"space": "cosine"}}, embedding_function=None), ids, vectors, chunks)
    finally:
        client.close()  # type: ignore[attr-defined]  # present at run time in chromadb 1.x


def open_collection(directory: Path, *, url: str | None = None, version: str | None = None) -> tuple[Any, Any]:
    if url:
        client = _http_client(url)
        try:
            return client, client.get_collection(collection_name(version or directory.name), embedding_function=None)
        except VectorStoreUnavailable:
            raise
        except Exception as exc:
            raise VectorStoreUnavailable() from exc
    import chromadb

    client = chromadb.PersistentClient(path=str(directory), settings=_settings())
    return client, client.get_collection(COLLECTION, embedding_function=None)


def drop_stale(url: str, keep: set[str]) -> None:
    """Delete server collections of versions no longer kept on disk (best effort: the next build retries)."""
    try:
        client = _http_client(url)
        for col in client.list_collections():
            name = col if isinstance(col, str) else col.name
            if name.startswith(PREFIX) and name[len(PREFIX):] not in keep:
                client.delete_collection(name)
    except Exception:
        pass
