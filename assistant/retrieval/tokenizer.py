"""Chinese tokenization for retrieval: jieba (search mode) with a domain dictionary and synonym folding.

Synonyms are folded to one canonical token on both sides (documents and queries), so 利息补贴 and 贴息
meet without expanding queries. The tokenizer's version (jieba, dictionary, synonyms, stopwords) goes into
the index manifest: changing any of them requires a rebuild.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Iterable, Mapping
from functools import cached_property, lru_cache
from importlib import resources

STOPWORDS = frozenset(
    ["的", "了", "是", "在", "和", "与", "及", "或", "等", "吗", "呢", "啊", "吧", "呀", "嘛", "我", "我们", "你", "您", "他", "它", "她", "其", "该", "这", "那", "这个", "那个", "哪个", "哪些", "请问", "请", "一下", "什么", "怎么", "怎么样", "怎样", "如何", "多少", "几", "多", "是否", "能否", "能", "可以", "可", "会", "要", "需要", "需", "有", "没有", "有没有", "吗", "么", "就", "都", "也", "还", "又", "而", "但", "对", "对于", "把", "被", "为", "以", "于", "从", "向", "给", "让", "之", "所", "个", "上", "下", "中", "里", "后", "前", "时", "时候", "一个", "一些", "哪", "谁", "为什么", "是不是", "能不能", "会不会", "可不可以", "要不要", "行不行", "用不用", "算不算", "够不够", "，", "。", "？", "！", "、", "；", "：", "“", "”", "‘", "’", "（", "）", "《", "》", "【", "】", "…", "—", "-", "·", "/", "(", ")", ",", ".", "?", "!", ";", ":", '"', "'"]
)
# log(total/count) of an everyday word (拿 8.0, 公司 7.2) and of a specialised one (补偿 10.7, 征信 13.8)
GENERAL_COMMON, GENERAL_RARE, GENERAL_FLOOR = 7.0, 11.0, 0.1
SCHEME = "search-mode-canonical"  # how synonyms are folded: part of the index version
_KEEP = re.compile(r"[\w\u4e00-\u9fff%]")
# jieba's tags of words that name nothing: conjunction, preposition, particle, modal, interjection, onomatopoeia; adverbs,
# pronouns and locatives of one character (最, 其, 内) and locatives built on 以 or 之 (以后, 之前, 以上): it tags 到期, 同意 and
# 更新 as adverbs, 他人 and 自行 as pronouns, 内部 and 外部 (内部评估) as locatives
_FUNCTION_TAG = re.compile(r"^(?:c|p|u\w*|y|e|o)$")
# complements that say how an act ends (审完, 办好, 弄齐, 拒掉, 谈成, 贷到): Chinese grammar's closed class of results
_RESULTS = frozenset("完好齐掉成到住清")
_DIRECTIONS = frozenset("上出去")  # directional complements of handing in: 补上, 寄出, 送去 (撤回, 收回 are words of their own)


def _resource(name: str) -> str:
    return resources.files("assistant.resources").joinpath(name).read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def _domain_entries() -> tuple[tuple[str, int | None, str | None], ...]:
    """The domain dictionary's lines, read once: word, count (None: jieba decides), part-of-speech tag."""
    entries = []
    for line in _resource("domain_dict.txt").splitlines():
        parts = line.split()
        if parts:
            entries.append((parts[0], int(parts[1]) if len(parts) > 1 else None, parts[2] if len(parts) > 2 else None))
    return tuple(entries)


def _synonym_map() -> dict[str, str]:
    mapping: dict[str, str] = {}
    for line in _resource("synonyms.txt").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        terms = [t.strip() for t in line.split(",") if t.strip()]
        for t in terms[1:]:
            mapping[t.lower()] = terms[0].lower()
    return mapping


class ChineseTokenizer:
    """Isolated jieba instance (its own user dictionary); cheap to construct, loads on first use."""

    def __init__(self) -> None:
        self._jieba = None
        self._total = 1.0
        self._general: dict[str, int] = {}

    @cached_property
    def synonyms(self) -> dict[str, str]:
        return _synonym_map()

    @cached_property
    def version(self) -> str:
        import jieba

        h = hashlib.sha1()
        for part in (SCHEME, jieba.__version__, _resource("domain_dict.txt"), _resource("synonyms.txt"), " ".join(sorted(STOPWORDS))):
            h.update(part.encode())
        return f"jieba-{jieba.__version__}-{h.hexdigest()[:12]}"

    def warm_up(self) -> None:
        if self._jieba is not None:
            return
        import logging

        import jieba

        jieba.setLogLevel(logging.WARNING)
        tok = jieba.Tokenizer()
        tok.initialize()
        self._total = float(tok.total)
        added = [word for word, _freq, _tag in _domain_entries()] + list(self.synonyms)
        self._general = {w: tok.FREQ.get(w, 0) for w in added}  # general-language counts, before ours overwrite them
        for word, freq, _tag in _domain_entries():
            tok.add_word(word, freq)
        for src in self.synonyms:
            tok.add_word(src, 50)
        self._jieba = tok

    def cut(self, text: str) -> list[str]:
        """Precise-mode segmentation with the domain dictionary, nothing dropped or folded (担保费率 → 担保费, 率)."""
        self.warm_up()
        assert self._jieba is not None
        return list(self._jieba.lcut(text))

    def search_pieces(self, text: str) -> list[str]:
        """Search-mode segmentation as jieba gives it: every dictionary word inside the text, nothing dropped or folded."""
        self.warm_up()
        assert self._jieba is not None
        return list(self._jieba.lcut_for_search(text))

    def words(self, text: str) -> list[str]:
        """Search-mode segmentation, lowercased, punctuation and stopwords dropped, synonyms folded."""
        return list(self._words(text))

    @lru_cache(maxsize=8192)  # noqa: B019 - one tokenizer per process; a build reads each passage 3 times (BM25, fit, embed)
    def _words(self, text: str) -> tuple[str, ...]:
        self.warm_up()
        assert self._jieba is not None
        out = []
        for w in self._jieba.lcut_for_search(text.lower()):
            w = w.strip()
            if not w or w in STOPWORDS or not _KEEP.search(w):
                continue
            canonical = self.synonyms.get(w, w)
            if canonical == w:
                out.append(w)
            else:  # a folded synonym stands for the canonical word as search mode would cut it (软著 → 软件著作权, 著作权, 软件 …)
                out.extend(self._canonical_tokens(canonical))
        return tuple(out)

    @lru_cache(maxsize=1024)  # noqa: B019 - one tokenizer per process
    def _canonical_tokens(self, canonical: str) -> tuple[str, ...]:
        assert self._jieba is not None
        subs = [w.strip() for w in self._jieba.lcut_for_search(canonical)]
        toks = [self.synonyms.get(w, w) for w in subs if w and w not in STOPWORDS and _KEEP.search(w)]
        return tuple(dict.fromkeys([*toks, canonical]))

    def informativeness(self, word: str) -> float:
        """How specific a word is in general Chinese (0.1–1), from jieba's dictionary counts: everyday words
        (拿, 公司, 以后) are near 0.1, specialised ones (补正, 征信) and words jieba does not know are 1. A small
        corpus gives a once-used everyday word the top idf; this takes that weight back."""
        self.warm_up()
        assert self._jieba is not None
        freq = self._general.get(word, self._jieba.FREQ.get(word, 0))
        if not freq:
            return 1.0
        return min(1.0, max(GENERAL_FLOOR, (math.log(self._total / freq) - GENERAL_COMMON) / (GENERAL_RARE - GENERAL_COMMON)))

    @cached_property
    def _tags(self) -> dict[str, str]:
        """Part-of-speech tags (word → tag): jieba's dictionary file, then the domain dictionary's, read once."""
        import jieba

        tags: dict[str, str] = {}
        with jieba.get_dict_file() as f:  # lines of “word count tag”, as bytes
            for raw in f:
                parts = raw.decode("utf-8").split()
                if len(parts) == 3:
                    tags[parts[0]] = parts[2]
        # the domain dictionary's own tags win: 贴息 is a programme here (n), not jieba's verb
        tags.update({word: tag for word, _freq, tag in _domain_entries() if tag})
        return tags

    def function_word(self, word: str) -> bool:
        """A word that names nothing (要是, 以后, 按照, 最): a conjunction, preposition, particle, modal or interjection
        by jieba's dictionary, a one-character adverb, pronoun or locative, or a locative built on 以 or 之; a word it does
        not tag (a domain word) names something."""
        tag = self._tags.get(word, "")
        if tag == "f":
            return len(word) == 1 or word[0] in "以之"
        return bool(_FUNCTION_TAG.match(tag) or (len(word) == 1 and tag in ("d", "r")))

    def _hmm_rest(self, word: str) -> str | None:
        """For a word of two or more characters that no dictionary knows (jieba's HMM made it), its characters that are
        no stopwords; None for a dictionary word or a single character."""
        if len(word) < 2 or self.known(word):
            return None
        return "".join(c for c in word if c not in STOPWORDS)

    def _glued_to(self, word: str) -> str | None:
        """The one character a two- or three-character HMM word glues to stopwords (券 in 券能, 这券能), else None."""
        rest = self._hmm_rest(word)
        return rest if rest is not None and len(word) <= 3 and len(rest) == 1 else None

    def _counter(self, char: str) -> bool:
        return self._tags.get(char, "") in ("m", "q")

    def stopword_compound(self, word: str) -> bool:
        """A word jieba's HMM made of stopwords alone (这是, 都是, 那是): it names nothing, though as a word no dictionary
        knows it would count as the most specific of the question."""
        return self._hmm_rest(word) == ""

    def _verb_of_result(self, word: str) -> str | None:
        """The verb of a word jieba's HMM made of a one-character verb and its result (审完, 弄齐, 谈好): lay speech says
        the verb with how it ends where documents name the act (审核); the result adds nothing a passage could say."""
        return None if self.known(word) or word[1:] not in _RESULTS else self.head_verb(word)

    def head_verb(self, word: str) -> str | None:
        """The one-character verb a word says with how it ends or where it goes (交到, 审完, 补上, 寄出: 交, 审, 补, 寄),
        known to the dictionary or not; None for any other word."""
        if len(word) != 2 or word[1] not in _RESULTS | _DIRECTIONS or not self.verb(word[0]):
            return None
        return word[0]

    def unglued(self, word: str, vocabulary: Mapping[str, float]) -> list[str]:
        """A word jieba's HMM glued from stopwords and one word the corpus uses (券能 in 创新券能拿来买啥, 这券, 这券能)
        stands as that word, and one it made of a verb and its result (审完) as the verb; any other word as itself. A counter or numeral (有款, 个点) is not unglued: 款 alone would
        read as a clause of a rule (``query_words`` drops such a word). The character is not folded as a synonym (要报 is
        no 申报: measured, a part asking only when to file then named a subject of its own and no longer leant on the
        part before it)."""
        if word in vocabulary:
            return [word]
        if (verb := self._verb_of_result(word)) is not None:
            return [verb]  # a verb the corpus does not use alone: retrieval backs it off (审 → 审核, retrieval.backoff)
        glued = self._glued_to(word)
        return [glued] if glued is not None and not self._counter(glued) and glued in vocabulary else [word]

    def query_words(self, text: str, vocabulary: Mapping[str, float]) -> list[str]:
        """A question's words as a corpus of that vocabulary reads them: ``words``, without a word the HMM made of
        stopwords alone (这是) or of stopwords and a counter (有款, 这条, 个点: it names nothing the corpus could say),
        and with a corpus word it glued to stopwords standing as itself (券能 → 券). The keyword search, the question's
        weights and the composer's read a question so."""
        return [w for t in self.words(text) if not self.stopword_compound(t) and not self._counted(t) for w in self.unglued(t, vocabulary)]

    def _counted(self, word: str) -> bool:
        glued = self._glued_to(word)
        return glued is not None and self._counter(glued)

    def in_dictionary(self, word: str) -> bool:
        """jieba's dictionary has the word (with a tag): a word it lacks is the corpus's own, a domain term or a name."""
        return word in self._tags

    def noun(self, word: str) -> bool:
        """jieba's dictionary tags the word a noun, common, proper or verbal (货款, 税, 工资; not a person's or a
        place's name, a verb or a numeral)."""
        return self._tags.get(word, "") in ("n", "ng", "nz", "vn")

    def adjective(self, word: str) -> bool:
        """jieba's dictionary tags the word an adjective (满 in 逾期满90天, 长)."""
        return self._tags.get(word, "").startswith("a")

    def manner(self, word: str) -> bool:
        """jieba's dictionary tags the word an adverb or a conjunction: how or when an act is done (单独, 重复, 同时), not
        the act."""
        return self._tags.get(word, "") in ("d", "c")

    def verb(self, word: str) -> bool:
        """jieba's dictionary tags the word a verb (审, 贴, 发; not 利 or 金)."""
        return self._tags.get(word, "").startswith("v")

    def pieces(self, text: str) -> list[str]:
        """Dictionary words only (no HMM guess at unknown words): a typo stays in single characters."""
        self.warm_up()
        assert self._jieba is not None
        return list(self._jieba.lcut(text, HMM=False))

    def known(self, word: str) -> bool:
        """A word of jieba's general dictionary or of the domain dictionary (not only the prefix of one)."""
        self.warm_up()
        assert self._jieba is not None
        return bool(self._general.get(word) or self._jieba.FREQ.get(word))

    def __call__(self, text: str) -> list[str]:
        return self.words(text)


def outermost(words: Iterable[str]) -> set[str]:
    """Words as words, not as search mode's overlapping pieces: each compound once (商标专用权, not also 专用 and 用权;
    担保费补助, not also 保费)."""
    given = set(words)
    return {w for w in given if not any(w != o and w in o for o in given)}


@lru_cache(maxsize=1)
def get_tokenizer() -> ChineseTokenizer:
    return ChineseTokenizer()
