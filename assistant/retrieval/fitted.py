"""Linear models fitted on development data and shipped as resources (the reranker's weights, the answerability
model): standardised features, one model per embedder kind (a vector similarity's scale depends on the embedder),
read once per process and written back by the fitting commands."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar


def sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


@dataclass
class StandardisedLinear:
    mean: list[float]
    scale: list[float]
    coef: list[float]
    features: list[str] = field(default_factory=list)
    embedder_kind: str = "tfidf-svd"
    fitted_on: dict[str, int] = field(default_factory=dict)

    def linear(self, values: dict[str, float]) -> float:
        """Σ coef · (value − mean) / scale over the model's features."""
        return sum(c * (values[f] - m) / s for f, c, m, s in zip(self.features, self.coef, self.mean, self.scale, strict=True))

    def to_json(self) -> str:
        return json.dumps(self.__dict__, ensure_ascii=False, indent=2)


M = TypeVar("M", bound=StandardisedLinear)


def resource_path(name: str) -> Path:
    return Path(str(resources.files("assistant.resources").joinpath(name)))


def read_fitted(name: str, cls: type[M]) -> dict[str, M]:
    """The models in a resource file by embedder kind (empty when none has been fitted)."""
    try:
        data: dict[str, dict[str, Any]] = json.loads(resources.files("assistant.resources").joinpath(name).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    return {kind: cls(**model) for kind, model in data.items()}


def write_fitted(model: StandardisedLinear, path: Path) -> None:
    """Store the model under its embedder kind, keeping the other kinds' models in the file."""
    data = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    data[model.embedder_kind] = json.loads(model.to_json())
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
