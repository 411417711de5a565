"""The vector side of an index version: an embedded Chroma directory (one writer: the builder)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

COLLECTION = "chunks"
_BATCH = 2000


def _settings() -> Any:
    from chromadb.config import Settings

    return Settings(anonymized_telemetry=False, allow_reset=False)


def chroma_metadata(chunk: dict[str, Any]) -> dict[str, Any]:
    """Chroma refuses None values: drop them, keep filterable fields."""
    keys = ("doc_id", "title", "source", "page", "article", "section", "doc_number", "level", "status", "effective", "expires", "kind")
    return {k: chunk[k] for k in keys if chunk.get(k) is not None}


def write_collection(directory: Path, ids: list[str], vectors: np.ndarray, chunks: list[dict[str, Any]]) -> None:
    import chromadb

    client = chromadb.PersistentClient(path=str(directory), settings=_settings())
    try:
        col = client.create_collection(COLLECTION, configuration={"hnsw": {"space": "cosine"}}, embedding_function=None)
        for i in range(0, len(ids), _BATCH):
            col.add(
                ids=ids[i : i + _BATCH],
                embeddings=vectors[i : i + _BATCH],
                metadatas=[chroma_metadata(c) for c in chunks[i : i + _BATCH]],
                documents=[c["text"] for c in chunks[i : i + _BATCH]],
            )
    finally:
        client.close()  # type: ignore[attr-defined]  # present at run time in chromadb 1.x


def open_collection(directory: Path) -> tuple[Any, Any]:
    import chromadb

    client = chromadb.PersistentClient(path=str(directory), settings=_settings())
    return client, client.get_collection(COLLECTION, embedding_function=None)
