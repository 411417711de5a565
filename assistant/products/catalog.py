"""Load the product library (``corpus/products/*.yaml``); a bad file is a Chinese error naming the file."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import yaml
from pydantic import ValidationError

from assistant.errors import AssistantError
from assistant.products.schema import Product
from assistant.settings import Settings


class CatalogError(AssistantError):
    pass


def products_dir(corpus_dir: Path) -> Path:
    return corpus_dir / "products"


def load_product(path: Path) -> Product:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        product = Product.model_validate(data)
    except yaml.YAMLError as exc:
        raise CatalogError(f"产品文件《{path.name}》不是有效的 YAML：{exc}") from exc
    except ValidationError as exc:
        fields = "；".join(f"{'.'.join(map(str, e['loc']))}：{e['msg']}" for e in exc.errors())
        raise CatalogError(f"产品文件《{path.name}》内容不合规：{fields}") from exc
    if product.id != path.stem:
        raise CatalogError(f"产品文件《{path.name}》的 id（{product.id}）必须与文件名一致")
    return product


def load_catalog(directory: Path) -> list[Product]:
    products = [load_product(p) for p in sorted(directory.glob("*.yaml")) if p.name != "subsidies.yaml"]
    seen: set[str] = set()
    for p in products:
        if p.id in seen:
            raise CatalogError(f"产品编号 {p.id} 重复")
        seen.add(p.id)
    return products


@lru_cache(maxsize=4)
def cached_catalog(directory: str, stamp: float) -> tuple[Product, ...]:
    return tuple(load_catalog(Path(directory)))


RETIRED_FILE = "retired.json"


def retired_ids(managed_dir: Path | None) -> set[str]:
    path = managed_dir / RETIRED_FILE if managed_dir else None
    return set(json.loads(path.read_text(encoding="utf-8"))) if path and path.exists() else set()


def set_retired(managed_dir: Path, product_id: str, retired: bool) -> None:
    """Retired products leave matching and answers; their sheets stay, so retiring can be undone."""
    ids = retired_ids(managed_dir)
    ids = ids | {product_id} if retired else ids - {product_id}
    managed_dir.mkdir(parents=True, exist_ok=True)
    tmp = managed_dir / (RETIRED_FILE + ".tmp")
    tmp.write_text(json.dumps(sorted(ids), ensure_ascii=False), encoding="utf-8")
    tmp.replace(managed_dir / RETIRED_FILE)


def get_catalog(corpus_dir: Path, managed_dir: Path | None = None, *, include_retired: bool = False) -> list[Product]:
    """The sample library plus the policy team's imports (same id: the import wins), reloaded on change."""
    merged: dict[str, Product] = {}
    for directory in (products_dir(corpus_dir), managed_dir):
        if directory is None or not directory.exists():
            continue
        stamp = max((p.stat().st_mtime for p in directory.glob("*.yaml")), default=0.0)
        merged.update({p.id: p for p in cached_catalog(str(directory.resolve()), stamp)})
    retired = set() if include_retired else retired_ids(managed_dir)
    return sorted((p for p in merged.values() if p.id not in retired), key=lambda p: p.id)


def catalog_for(settings: Settings, *, include_retired: bool = False) -> list[Product]:
    return get_catalog(settings.corpus_dir, settings.products_dir, include_retired=include_retired)
