"""The retrieval result type and the retriever protocol every backend implements."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol


@dataclass
class Hit:
    idx: int  # position in the snapshot's chunk list
    score: float
    stages: dict[str, float] = field(default_factory=dict)  # per-stage score, for explanations and evals


class Retriever(Protocol):
    name: str

    def search(self, query: str, k: int, *, include_expired: bool = False) -> list[Hit]: ...
