"""A one-character verb the corpus never uses as a word of its own, backed off to the common corpus words it begins:
lay speech says the verb alone (要审几天, 贴多少) where documents spell it out (审核, 贴息). Only words many passages use
stand in (审 → 审核, 审查): a rare word (打 → 打包) says nothing of what was meant, and a noun's character (利 → 利权,
a piece of 专利权) is no verb said short."""

from __future__ import annotations

from assistant.index.snapshot import Snapshot
from assistant.retrieval.tokenizer import get_tokenizer

# a corpus word this common (in about one passage in twenty or more) may stand for its first character. Measured on the
# development sets: 2.5 loses one answer, 3.5 changes none of the counts 3.0 reaches (tasks dev 3-9, realdocs, refusal dev)
COMMON_IDF = 3.0


def backed_off(word: str, snapshot: Snapshot) -> list[str]:
    """The corpus words ``word`` (one of ``Tokenizer.query_words``) stands for: itself when the corpus uses it; for an
    unseen one-character verb, the common corpus words it begins; else none."""
    if word in snapshot.idf:
        return [word]
    if len(word) != 1 or not "\u4e00" <= word <= "\u9fff" or not get_tokenizer().verb(word):
        return []
    return [w for w in snapshot.heads.get(word, ()) if snapshot.idf[w] <= COMMON_IDF]
