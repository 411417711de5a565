"""Add, replace and remove documents: validate each file first, keep a managed copy, then update the index.

A bad file is reported (Chinese reason, file named) and skipped; the good ones in the same batch go in.
"""

from __future__ import annotations

from pathlib import Path

from assistant.errors import AssistantError, IngestError
from assistant.index import library
from assistant.index.builder import BuildReport, _build_locked
from assistant.index.versions import current_version, writer_lock
from assistant.ingest.loaders import load_document
from assistant.settings import Settings


def ingest_files(settings: Settings, paths: list[Path], *, lock_timeout: float = 60.0) -> BuildReport:
    errors: list[IngestError] = []
    with writer_lock(settings.lock_path, lock_timeout):
        accepted = 0
        for path in paths:
            try:
                doc = load_document(path)
            except IngestError as exc:
                errors.append(exc)
                continue
            except OSError as exc:
                errors.append(IngestError(path.name, f"读取失败：{exc.strerror or exc}"))
                continue
            library.keep_copy(settings, path, doc)
            accepted += 1
        report = _build_locked(settings, full=False) if accepted or not current_version(settings.index_root) else BuildReport()
    report.errors = errors + report.errors
    return report


def remove_document(settings: Settings, doc_id: str, *, lock_timeout: float = 60.0) -> BuildReport:
    with writer_lock(settings.lock_path, lock_timeout):
        name = current_version(settings.index_root)
        if name is None:
            raise AssistantError("索引尚未建立，无可移除的文档。")
        from assistant.index.manifest import Manifest

        manifest = Manifest.load(settings.index_root / name)
        if doc_id not in manifest.docs:
            raise AssistantError(f"索引中没有编号为 {doc_id} 的文档。")
        library.drop_upload(settings, doc_id)
        if manifest.docs[doc_id].origin == "corpus":
            library.mark_removed(settings, doc_id)
        return _build_locked(settings, full=False)
