"""Homophone typos of the corpus's own words (帖息 for 贴息, 白明单 for 白名单, 秦知代 for 秦知贷), put right before the
question is analysed.

Pinyin input makes a typo a character of the same sound. A stretch of two or three characters is corrected when it
is no word at all (neither the corpus nor jieba's general dictionary uses it) and changing one character to a
character of the same sound makes a word the corpus uses, in one way only. Everything is derived from the index's
vocabulary: no list of typos.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from functools import lru_cache

from pypinyin import Style, pinyin

from assistant.index.versions import latest
from assistant.retrieval.answer_type import A_NOT_A  # 认不认, 贴不贴: typed as meant
from assistant.retrieval.tokenizer import get_tokenizer

_NEGATORS = "不没未无非别"  # 不付 is “not pay” (not 不服): a negator and a verb always make sense as typed
SPANS = (3, 2)  # longer stretches first: 白明单 → 白名单 rather than a fix of its last two characters alone
TYPED_INFORMATIVE = 0.3  # a character this common in general Chinese (只, 还, 的, 行) is taken as typed on purpose
WORD_INFORMATIVE = 0.7
MIN_DOCS = 2  # a corpus word used in fewer passages is no safer a correction than the typo itself


@lru_cache(maxsize=4096)
def _sound(ch: str) -> str:
    """A character's usual reading, toneless: its rarer readings (还 huan, 行 hang) would pair it with far too many."""
    return pinyin(ch, style=Style.NORMAL)[0][0]


def _is_han(text: str) -> bool:
    return all("\u4e00" <= ch <= "\u9fff" for ch in text)


class Corrector:
    """The corpus's words and, for each sound, the characters its words are written with."""

    def __init__(self, words: set[str], text: str = "") -> None:
        tok = get_tokenizer()
        # a correction is a word: known to the dictionaries and specific (不了 from 补了 is neither a topic nor meant)
        self.words = {w for w in words if 2 <= len(w) <= max(SPANS) and _is_han(w) and tok.known(w)
                      and tok.informativeness(w) >= WORD_INFORMATIVE}
        self.text = text  # what the documents say, verbatim: a stretch they use (专享) is no typo
        by_sound: dict[str, set[str]] = defaultdict(set)
        for ch in {ch for w in self.words for ch in w}:
            by_sound[_sound(ch)].add(ch)
        self.by_sound = by_sound

    def _fix(self, span: str) -> str | None:
        tok = get_tokenizer()
        if span in self.words or tok.known(span) or span in self.text or span[0] in _NEGATORS:
            return None
        found = set()
        for i, ch in enumerate(span):
            if tok.informativeness(ch) < TYPED_INFORMATIVE:
                continue  # 只押 is “only pledge”, not a typo of 质押: a function character is what was meant
            for alt in self.by_sound.get(_sound(ch), ()):
                candidate = span[:i] + alt + span[i + 1:]
                if alt != ch and candidate in self.words:
                    found.add(candidate)
        return found.pop() if len(found) == 1 else None

    def correct(self, text: str) -> str:
        """The text with each stretch of single characters jieba could not join into a word (帖/息) that one
        same-sounding character turns into a corpus word put right; a stretch across a word boundary (能不能 → 能补能)
        is never one, nor a character asked in the A-not-A form (认不认)."""
        asked = {i for m in A_NOT_A.finditer(text) for i in (m.start(), m.end() - 1)}
        pieces = get_tokenizer().pieces(text)
        out: list[str] = []
        i = at = 0
        while i < len(pieces):
            for n in SPANS:
                span = "".join(pieces[i:i + n])
                if (len(span) == n and all(len(p) == 1 for p in pieces[i:i + n]) and _is_han(span)
                        and not asked & set(range(at, at + n)) and (fixed := self._fix(span))):
                    out.append(fixed)
                    i, at = i + n, at + n
                    break
            else:
                out.append(pieces[i])
                i, at = i + 1, at + len(pieces[i])
        return "".join(out)


_CORRECTORS: dict[str, Corrector] = {}


def corrector(version: str, passages: Iterable[list[str]], text: str) -> Corrector:
    """One corrector per index version, from the words (each passage's tokens) at least ``MIN_DOCS`` passages use;
    ``text``: the documents' text."""
    def build() -> Corrector:
        df: Counter[str] = Counter()
        for tokens in passages:
            df.update(set(tokens))
        return Corrector({w for w, n in df.items() if n >= MIN_DOCS}, text)

    return latest(_CORRECTORS, version, build)
