"""The shape of an FAQ entry: a “问：” line, optional “相似问：” lines, the answer, and a closing
“（依据：《…》第X条）” line naming its sources.

相似问 lines hold the other ways enterprises ask the same question (“专利押登记去哪儿办”, “软著质押找谁登记”),
separated by “；”, as FAQ knowledge bases keep them beside each standard question. They are matched by retrieval
and never shown: the chunker moves them out of the passage text (``split_similar``).

The composer quotes only the answer; the citation check reads the 依据 line and the answer's figures. Both read
the passage through these helpers, so the format is defined once.
"""

from __future__ import annotations

import re

_QUESTION = ("问：", "问:")
SIMILAR_PREFIX = r"相似问(?:法)?[:：]"  # PDF cleaning starts a paragraph at it too (ingest/clean.py)
_SIMILAR = re.compile(rf"^\s*{SIMILAR_PREFIX}\s*")
_SIMILAR_SEP = re.compile(r"[；;|｜\n]+")
# greedy to the line's last parenthesis: cited titles carry their own (“…（秦知贷）管理办法”)
_BASIS = re.compile(r"[（(]依据[:：](.*)[）)][ \t]*$", re.M)


def faq_question(text: str) -> str | None:
    """The question an FAQ passage answers (its “问：” line), or None for other passages."""
    first = text.lstrip().split("\n", 1)[0]
    return first[2:].strip() if first.startswith(_QUESTION) else None


def basis(text: str) -> str | None:
    """The inside of the passage's closing 依据 line, or None when it has none."""
    m = _BASIS.search(text)
    return m.group(1) if m else None


def answer_text(text: str) -> str:
    """The passage without its question lines and its 依据 line: what it states."""
    return "\n".join(line for line in _BASIS.sub("", text).split("\n") if not line.lstrip().startswith(_QUESTION))


ALIAS_SEP = "；"  # how a passage's similar questions are joined in its ``aliases``


def entry_questions(text: str, aliases: str | None) -> list[str]:
    """The questions an FAQ passage answers: its own “问：” line, then its similar questions (``aliases``)."""
    own = faq_question(text)
    return [*([own] if own else []), *(q for q in (aliases or "").split(ALIAS_SEP) if q)]


def split_similar(lines: list[str]) -> tuple[list[str], list[str]]:
    """An FAQ entry's lines without its 相似问 lines, and the similar questions those lines list."""
    kept: list[str] = []
    similar: list[str] = []
    for line in lines:
        m = _SIMILAR.match(line)
        if m:
            similar += [q.strip() for q in _SIMILAR_SEP.split(line[m.end():]) if q.strip()]
        else:
            kept.append(line)
    return kept, similar
