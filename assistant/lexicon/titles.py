"""Documents a question names by title, as people name them: in full (上海市促进中小企业发展条例), without the state's
name (专利法 for 中华人民共和国专利法), by the code before its book (民法典), or shortened in the usual way (科技进步法
for 科学技术进步法, 融资担保条例 for 融资担保公司监督管理条例). Read against the indexed titles, so a document the policy
team uploads is named the day it is indexed; nothing here lists documents."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from assistant.lexicon.instruments import kind_of_title

_BRACKETS = re.compile(r"[（(《》][^）)]*[）)]|[《》]")
_STATE = "中华人民共和国"
# the shortenings Chinese legal writing makes in a title word, whatever the document
_SHORT = (("科学技术", "科技"),)
# where a name of a document can end in a question: a kind of instrument
_KIND_END = re.compile(r"法典|条例|办法|细则|规定|法")
MIN_NAME = 3  # characters: 专利法; two (民法) name nothing on their own
MAX_NAME = 20
GENERIC = 2  # titles a name may fit (two versions of one regulation); more, and it is a kind of document, not one


def title_names(title: str) -> frozenset[str]:
    """The names a title goes by: itself, without the state's name, its code before the book (民法典 物权编 → 民法典),
    each also with its words shortened (科学技术 → 科技)."""
    full = _BRACKETS.sub("", title or "").strip()
    aliased = re.sub(r"[（(《》）)]", "", title or "").strip()  # 风险补偿（秦知贷）管理办法: 秦知贷管理办法 names it too
    names = {full, full.removeprefix(_STATE).strip(), aliased}
    names |= {n.split()[0] for n in list(names) if n.split()}
    for long, short in _SHORT:
        names |= {n.replace(long, short) for n in list(names)}
    return frozenset(n.replace(" ", "") for n in names if len(n) >= MIN_NAME)


def _subsequence(short: str, name: str) -> bool:
    it = iter(name)
    return all(ch in it for ch in short)


def _names(term: str, name: str) -> bool:
    """A term of the question names a title's name: its end (促进中小企业发展条例 of 上海市…), or a shortening of it that
    keeps its first two and last two characters, in order (融资担保条例 of 融资担保公司监督管理条例)."""
    return name.endswith(term) or (term[:2] in name and term[-2:] == name[-2:] and _subsequence(term, name))


@lru_cache(maxsize=8)
def _by_ending(titles: frozenset[str]) -> dict[str, list[tuple[str, str]]]:
    """Each title's names by their last two characters: a term names a name only if it ends as the name does."""
    out: dict[str, list[tuple[str, str]]] = {}
    for t in titles:
        if kind_of_title(t):
            for n in title_names(t):
                out.setdefault(n[-2:], []).append((t, n))
    return out


@lru_cache(maxsize=4096)
def _named(question: str, titles: frozenset[str]) -> frozenset[str]:
    named: set[str] = set()
    by_ending = _by_ending(titles)
    for m in _KIND_END.finditer(question):
        end = m.end()
        candidates = by_ending.get(question[end - 2: end], [])
        # the longest stretch before the kind word that names a title: 依照新版的某某发展条例 → 某某发展条例
        for start in range(max(0, end - MAX_NAME), end - MIN_NAME + 1):
            term = question[start:end]
            hit = {t for t, n in candidates if _names(term, n)}
            if hit:
                if len(hit) <= GENERIC:  # “管理办法” ends many titles and names none of them
                    named |= hit
                break
    return frozenset(named)


def documents_named(question: str, titles: Iterable[str]) -> frozenset[str]:
    """The titles (of those given) the question names. A frozenset (the snapshot's) is the cache key as it is."""
    return _named(question, titles if isinstance(titles, frozenset) else frozenset(titles))


TOPIC_SHARE = 0.2  # a title word is a topic (贴息, 白名单, 质押登记) when at most this share of the titles say it
COMMON_SHARE = 1 / 3  # … and fewer than this share of the passages (企业, 贷款, 融资 are said everywhere)


def whole_words(text: str) -> frozenset[str]:
    """The words of a text as words, not as search mode's overlapping pieces: 担保费补助, not also 保费 (which would make
    a guarantee-fee title speak of insurance premiums); synonyms folded as retrieval folds them."""
    from assistant.retrieval.tokenizer import get_tokenizer, outermost

    return frozenset(outermost(w for w in get_tokenizer().words(text) if len(w) >= 2))


def title_topics(titles: frozenset[str], common: frozenset[str]) -> dict[str, int]:
    """What the indexed documents are each about, read off their titles: the nouns few titles say (贴息, 白名单,
    风险补偿, 秦科保, 质押登记), not those most say (知识产权, 质押融资, 办法) nor ``common``, the words a third of the
    passages say (企业, 贷款); each with the number of titles that say it. Read from the corpus, so a document the policy
    team uploads brings its own topic."""
    from assistant.retrieval.tokenizer import get_tokenizer

    tok = get_tokenizer()
    counts: dict[str, int] = {}
    for t in titles:
        for w in whole_words(_BRACKETS.sub("", t) + " " + t):
            counts[w] = counts.get(w, 0) + 1
    most = max(1, int(TOPIC_SHARE * len(titles)))
    # things, not what is done or how (加强, 发布, 进一步) nor years: a word the dictionary does not tag is a domain term
    return {w: n for w, n in counts.items() if n <= most and (tok.noun(w) or not tok.in_dictionary(w))
            and not w.isdigit() and w not in common}
