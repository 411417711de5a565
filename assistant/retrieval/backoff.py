"""A one-character word the corpus never uses as a word of its own, backed off to the common corpus words it begins:
lay speech says the verb alone (要审几天, 贴多少) where documents spell it out (审核, 贴息). Only words most passages of
a topic use stand in (审 → 审核, 审查): a rare word (打 → 打包) says nothing of what was meant."""

from __future__ import annotations

from functools import lru_cache

from assistant.index.snapshot import Snapshot

# a corpus word this common (in about one passage in twenty or more) may stand for its first character. Measured on the
# development sets: 2.5 loses one answer, 3.5 changes none of the counts 3.0 reaches (tasks dev 3-9, realdocs, refusal dev)
COMMON_IDF = 3.0


@lru_cache(maxsize=8)
def _heads(version: str, idf: tuple[tuple[str, float], ...]) -> dict[str, tuple[str, ...]]:
    by_head: dict[str, list[str]] = {}
    for w, v in idf:
        if len(w) == 2 and v <= COMMON_IDF and all("\u4e00" <= ch <= "\u9fff" for ch in w):
            by_head.setdefault(w[0], []).append(w)
    return {h: tuple(ws) for h, ws in by_head.items()}


def backed_off(word: str, snapshot: Snapshot) -> list[str]:
    """The corpus words ``word`` stands for: itself when the corpus uses it; for an unseen single Han character, the
    common corpus words it begins; else none."""
    if word in snapshot.idf:
        return [word]
    if len(word) != 1 or not "\u4e00" <= word <= "\u9fff":
        return []
    return list(_heads(snapshot.version, tuple(snapshot.idf.items())).get(word, ()))
