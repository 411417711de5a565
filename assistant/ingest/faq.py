"""The shape of an FAQ passage: a “问：” line, the answer, and a closing “（依据：《…》第X条）” line naming its sources.

The composer quotes only the answer; the citation check reads the 依据 line and the answer's figures. Both read
the passage through these helpers, so the format is defined once.
"""

from __future__ import annotations

import re

_QUESTION = ("问：", "问:")
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
