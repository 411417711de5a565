"""Versioned index directories with an atomically swapped ``CURRENT`` pointer.

A build writes a complete new version next to the live one and flips ``CURRENT`` with ``os.replace`` only
when everything is on disk, so a build that fails or is killed part-way leaves the previous version serving.
Only one writer at a time: every build holds ``writer.lock`` (an embedded Chroma directory written by two
processes corrupts silently, see docs).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import shutil
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

from filelock import FileLock, Timeout

from assistant.errors import IndexBusy

KEEP_VERSIONS = 2


def current_version(index_root: Path) -> str | None:
    pointer = index_root / "CURRENT"
    if not pointer.exists():
        return None
    name = pointer.read_text(encoding="utf-8").strip()
    return name if name and (index_root / name / "manifest.json").exists() else None


def new_version_dir(index_root: Path) -> tuple[str, Path]:
    """A fresh staging directory; renamed into place by ``publish``."""
    index_root.mkdir(parents=True, exist_ok=True)
    # Microseconds in the name: versions built within one second still sort by age (prune keeps the newest).
    name = dt.datetime.now().strftime("v%Y%m%d-%H%M%S-%f-") + uuid.uuid4().hex[:6]
    staging = index_root / f"{name}.tmp"
    staging.mkdir()
    return name, staging


def publish(index_root: Path, name: str, staging: Path) -> Path:
    final = index_root / name
    staging.rename(final)
    tmp_pointer = index_root / f"CURRENT.{uuid.uuid4().hex[:6]}.tmp"
    tmp_pointer.write_text(name, encoding="utf-8")
    with open(tmp_pointer, "rb") as fh:
        os.fsync(fh.fileno())
    os.replace(tmp_pointer, index_root / "CURRENT")
    prune(index_root)
    return final


def prune(index_root: Path) -> None:
    """Drop stale staging dirs and all but the newest KEEP_VERSIONS versions (readers may hold the previous)."""
    live = current_version(index_root)
    versions = sorted(p for p in index_root.iterdir() if p.is_dir() and p.name.startswith("v") and not p.name.endswith(".tmp"))
    for stale in index_root.glob("*.tmp"):
        if stale.is_dir():
            shutil.rmtree(stale, ignore_errors=True)
        else:
            stale.unlink(missing_ok=True)
    for old in versions[:-KEEP_VERSIONS]:
        if old.name != live:
            shutil.rmtree(old, ignore_errors=True)


@contextlib.contextmanager
def writer_lock(lock_path: Path, timeout: float) -> Iterator[None]:
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    lock = FileLock(str(lock_path), timeout=timeout)
    try:
        lock.acquire()
    except Timeout as exc:
        raise IndexBusy(timeout) from exc
    try:
        yield
    finally:
        lock.release()


T = TypeVar("T")


def latest(cache: dict[str, T], key: str, build: Callable[[], T]) -> T:
    """The value for ``key`` (an index version), built once and kept alone: readers follow the current version. The
    value built is the one returned, so a reader whose key another thread has just replaced still gets it (reading it
    back from the cache raised KeyError during an index publish)."""
    value = cache.get(key)
    if value is None:
        value = build()
        cache.clear()
        cache[key] = value
    return value
