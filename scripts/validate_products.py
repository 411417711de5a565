"""Validate every corpus/products/*.yaml against the product schema (until `assistant products` lands)."""

import sys
from pathlib import Path

import yaml
from pydantic import ValidationError

from assistant.products.schema import Product

ok = True
ids = set()
for path in sorted(Path("corpus/products").glob("*.yaml")):
    if path.name == "subsidies.yaml":
        continue
    try:
        p = Product.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
    except (ValidationError, yaml.YAMLError) as exc:
        ok = False
        print(f"{path.name}: {exc}")
        continue
    if p.id != path.stem or p.id in ids:
        ok = False
        print(f"{path.name}: id must equal the file name and be unique")
    ids.add(p.id)
print(f"{len(ids)} products valid" if ok else "INVALID")
sys.exit(0 if ok else 1)
