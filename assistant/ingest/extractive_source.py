"""Sentences of a corpus, for building synthetic benchmark documents from realistic text."""

from __future__ import annotations

import re
from pathlib import Path

from assistant.errors import IngestError
from assistant.ingest.loaders import SUPPORTED, load_document

_SENT = re.compile(r"(?<=[。！？；])")


def corpus_sentences(root: Path) -> list[str]:
    out: list[str] = []
    for p in sorted(root.rglob("*")):
        if p.suffix.lower() not in SUPPORTED or "products" in p.parts:
            continue
        try:
            doc = load_document(p)
        except IngestError:
            continue
        for _, text in doc.paragraphs:
            out += [s.strip() for s in _SENT.split(text) if len(s.strip()) >= 8]
    return out
