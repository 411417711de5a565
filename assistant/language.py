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


_ADDRESS = re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}|https?://\S+|www\.\S+")


def _standalone(text: str) -> list[re.Match[str]]:
    """English words that are words: not part of an identifier (ZL2021…, 91611105MA7C…, 5G) or an address."""
    masked = _ADDRESS.sub(lambda m: "\0" * len(m.group(0)), text)
    return [m for m in _LATIN_WORD.finditer(masked)
            if not re.match(r"[\d\0]", masked[m.end() : m.end() + 1]) and not re.search(r"[\d\0]$", masked[: m.start()])]


def _words(text: str) -> list[str]:
    """English words of two letters or more (identifiers and addresses excluded)."""
    return [m.group(0) for m in _standalone(text) if len(m.group(0)) >= 2]


# a word in capitals (LPR, PCT, ERP) is a name, read as one unit: a Chinese question with an acronym (LPR多少？) is no
# English question, while a sentence in capitals (HOW LONG DOES IT TAKE?) still is one, of several words
_CAPITALS = re.compile(r"[A-Z]{2,6}")


def foreign(text: str) -> bool:
    """The text is mainly English: its English letters (a word in capitals counting once) outnumber its Chinese
    characters."""
    return sum(1 if _CAPITALS.fullmatch(w) else len(w) for w in _words(text)) > len(_CJK.findall(text))


def writes_chinese(corpus: str) -> bool:
    """The indexed documents are written in Chinese (more Chinese characters than English letters): only then is an
    English question put into Chinese to be answered from them."""
    sample = corpus[:200_000]
    return len(_CJK.findall(sample)) > len(re.findall(r"[A-Za-z]", sample))


def to_chinese(text: str) -> str:
    """A mainly English text → the Chinese of the terms it uses (unknown words dropped, numbers and names kept). A
    Chinese sentence with a few English words (“文创IP运营”, “ERP系统”) passes unchanged: its Chinese carries it."""
    if not foreign(text):
        return text
    pattern, table = _glossary()
    out = pattern.sub(lambda m: table[m.group(1).lower()], text)
    keep = {m.start() for m in _LATIN_WORD.finditer(out)} - {m.start() for m in _standalone(out)}
    out = _LATIN_WORD.sub(lambda m: m.group(0) if m.start() in keep else " ", out)  # identifiers and addresses stay
    # spaces go between Chinese characters, stay between figures (“5 百万 2 年” must not read as 52年)
    out = re.sub(r"\s+", " ", out)
    out = re.sub(r"(?<=[^\d\s]) | (?=[^\d\s])", "", out).replace("?", "？")
    return out.strip() or text
