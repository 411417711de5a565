"""Where documents come from: the sample corpus plus managed uploads (copies kept for rebuilds).

Uploads live in ``<data_dir>/library/<doc_id>/``. Removing a corpus document records its id in
``removed.json`` so a rebuild does not bring it back; re-ingesting it clears the mark.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path

from assistant.ingest.loaders import SUPPORTED, LoadedDoc
from assistant.ingest.metadata import sidecar_path
from assistant.settings import Settings

SKIP_DIRS = {"products"}  # structured product sheets are indexed from their records, not as prose


@dataclass
class Source:
    path: Path
    origin: str  # corpus | upload


def files_under(root: Path) -> list[Path]:
    """Indexable documents below root: supported types, no sidecars, no hidden/_ dirs, no product sheets."""
    if not root.exists():
        return []
    out = []
    for p in sorted(root.rglob("*")):
        rel = p.relative_to(root).parts
        if any(part.startswith((".", "_")) for part in rel) or (rel and rel[0] in SKIP_DIRS):
            continue
        if p.is_file() and p.suffix.lower() in SUPPORTED and not p.name.endswith(".meta.yaml"):
            out.append(p)
    return out


def removed_ids(settings: Settings) -> set[str]:
    path = settings.library_dir / "removed.json"
    return set(json.loads(path.read_text(encoding="utf-8"))) if path.exists() else set()


def _save_removed(settings: Settings, ids: set[str]) -> None:
    settings.library_dir.mkdir(parents=True, exist_ok=True)
    tmp = settings.library_dir / "removed.json.tmp"
    tmp.write_text(json.dumps(sorted(ids), ensure_ascii=False), encoding="utf-8")
    tmp.replace(settings.library_dir / "removed.json")


def list_sources(settings: Settings) -> list[Source]:
    corpus = [Source(p, "corpus") for p in files_under(settings.corpus_dir)]
    uploads = [Source(p, "upload") for p in files_under(settings.library_dir)]
    return corpus + uploads


def keep_copy(settings: Settings, path: Path, doc: LoadedDoc) -> Path:
    """Copy an ingested file (and its sidecar) into the library, replacing any earlier upload of that doc."""
    target_dir = settings.library_dir / doc.meta.doc_id
    staging = settings.library_dir / f".{doc.meta.doc_id}.incoming"
    shutil.rmtree(staging, ignore_errors=True)
    try:
        staging.mkdir(parents=True)
        shutil.copy2(path, staging / path.name)
        side = sidecar_path(path)
        if side.exists():
            shutil.copy2(side, staging / side.name)
    except OSError:
        shutil.rmtree(staging, ignore_errors=True)  # a failed copy leaves the earlier upload as it was
        raise
    shutil.rmtree(target_dir, ignore_errors=True)
    staging.rename(target_dir)
    ids = removed_ids(settings)
    if doc.meta.doc_id in ids:
        _save_removed(settings, ids - {doc.meta.doc_id})
    return target_dir / path.name


def drop_upload(settings: Settings, doc_id: str) -> None:
    shutil.rmtree(settings.library_dir / doc_id, ignore_errors=True)


def mark_removed(settings: Settings, doc_id: str) -> None:
    _save_removed(settings, removed_ids(settings) | {doc_id})


def retire_copy(settings: Settings, path: Path, *, status: str, expires: str | None, superseded_by: str | None) -> Path:
    """A managed copy of ``path`` whose sidecar carries the merged metadata plus the retirement."""
    import tempfile

    import yaml

    from assistant.ingest.loaders import load_document
    from assistant.ingest.ocr import OcrOptions

    doc = load_document(path, OcrOptions.from_settings(settings))
    meta = doc.meta.model_dump(mode="json", exclude_none=True)
    meta.update({"status": status, **({"expires": expires} if expires else {}), **({"superseded_by": superseded_by} if superseded_by else {})})
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / path.name
        shutil.copy2(path, copy)
        sidecar_path(copy).write_text(yaml.safe_dump(meta, allow_unicode=True, sort_keys=False), encoding="utf-8")
        return keep_copy(settings, copy, doc)
