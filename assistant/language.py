"""Questions in English, or Chinese mixed with English terms, put into the Chinese the corpus uses.

The corpus is Chinese; an English question would otherwise match nothing and be declined as out of scope. The
domain's terms (resources/glossary_en.txt) are replaced by their Chinese, longest first; in a mainly English question
the words the lexicon does not know are dropped. The answer is then found and composed in Chinese like any other,
quoting the Chinese original. A question without English words passes unchanged.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

_LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z'\-]*")
_CJK = re.compile(r"[\u4e00-\u9fff]")


@lru_cache(maxsize=1)
def _glossary() -> tuple[re.Pattern[str], dict[str, str]]:
    text = resources.files("assistant.resources").joinpath("glossary_en.txt").read_text(encoding="utf-8")
    pairs = [line.split("\t", 1) for line in text.splitlines() if line.strip() and not line.startswith("#") and "\t" in line]
    table = {en.strip().lower(): zh.strip() for en, zh in pairs}
    alternatives = sorted(table, key=len, reverse=True)
    # a plain inflection (loans, reimbursed, pledging) is the same term
    pattern = re.compile(r"(?<![A-Za-z])(" + "|".join(re.escape(a) for a in alternatives) + r")(?:s|es|d|ed|ing)?(?![A-Za-z])", re.I)
    return pattern, table


def _words(text: str) -> list[str]:
    """English words: two letters or more, not part of an identifier (ZL2021…, 2023SR…, 5G)."""
    return [m.group(0) for m in _LATIN_WORD.finditer(text)
            if len(m.group(0)) >= 2 and not re.match(r"\d", text[m.end() : m.end() + 1]) and not re.search(r"\d$", text[: m.start()])]


def foreign(text: str) -> bool:
    """The text is mainly English: its English letters outnumber its Chinese characters."""
    return sum(len(w) for w in _words(text)) > len(_CJK.findall(text))


def to_chinese(text: str) -> str:
    """Known English terms → Chinese. A mainly English question also loses the words the lexicon does not know
    (the question is then the Chinese of its terms); in a Chinese sentence other English words (ERP, AI) stay."""
    if not _words(text):
        return text
    pattern, table = _glossary()
    out = pattern.sub(lambda m: table[m.group(1).lower()], text)
    if not foreign(text):
        return out
    out = _LATIN_WORD.sub(" ", out)
    out = re.sub(r"\s+", "", out).replace("?", "？")
    return out or text
