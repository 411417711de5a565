"""Dense retrieval from the snapshot's Chroma collection with the index's own embedder."""

from __future__ import annotations

import numpy as np

from assistant.index.snapshot import Snapshot
from assistant.retrieval.hits import Hit


class VectorRetriever:
    name = "vector"

    def __init__(self, snapshot: Snapshot) -> None:
        self.snapshot = snapshot

    def search(self, query: str, k: int, *, include_expired: bool = False) -> list[Hit]:
        vec = self.snapshot.embedder.embed_query(query)
        if not np.any(vec):
            # no word the index knows: the query has no direction, every passage is as near as another, and which
            # ones the graph search returns depends on what it searched before
            return []
        n = len(self.snapshot.chunks)
        # Over-fetch and filter in Python: a Chroma `where` costs more than the extra rows (see STACK notes).
        fetch = min(n, k * 3 + 10)
        try:
            res = self.snapshot.collection.query(query_embeddings=[vec.tolist()], n_results=fetch, include=["distances"])
        except Exception as exc:  # a Chroma server that went away; the embedded store does not raise here
            from assistant.index.chroma_store import VectorStoreUnavailable

            raise VectorStoreUnavailable() from exc
        hits = []
        for cid, dist in zip(res["ids"][0], res["distances"][0], strict=True):
            idx = self.snapshot.position.get(cid)
            if idx is None or (not include_expired and not self.snapshot.in_force(idx)):
                continue
            sim = 1.0 - float(dist)
            hits.append(Hit(idx=idx, score=sim, stages={"vector": sim}))
            if len(hits) >= k:
                break
        return hits
