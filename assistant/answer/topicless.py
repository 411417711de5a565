"""A question that names nothing the documents are about (有哪些例外？, 都是这样吗, 多久能批下来？), asked without a
conversation to read it against: any passage would match its few words, so it is asked back rather than answered.

What the documents are about is read from the index, not listed: the words of their titles and section headings, of
their FAQ entries' questions and similar questions, and every word jieba's general dictionary does not know (a
domain term, a product's or a programme's name). A short question with none of these names no topic.
"""

from __future__ import annotations

import re

from assistant.index.snapshot import Snapshot
from assistant.ingest.faq import faq_question
from assistant.retrieval.answer_type import is_cue
from assistant.retrieval.tokenizer import get_tokenizer

# characters (Chinese, letters and digits) a question may have and still name nothing: longer ones say enough of
# their own to be searched (chosen on the development sets and the FAQ's questions: none of them is flagged)
TOPICLESS_CHARS = 12
_SAID = re.compile(r"[\u4e00-\u9fffA-Za-z0-9]")


_TOPICS: dict[str, frozenset[str]] = {}


def _read_topic_words(snapshot: Snapshot) -> frozenset[str]:
    tok = get_tokenizer()
    headings = {c["title"] for c in snapshot.chunks} | {c.get("section") or "" for c in snapshot.chunks}
    asked = set()
    for c in snapshot.chunks:
        if c.get("kind") == "faq":
            asked.add(faq_question(c["text"]) or "")
            asked.update((c.get("aliases") or "").split("；"))

    def names(word: str) -> bool:  # asking and linking words (怎么, 多少, 能, 这样) name no topic
        return len(word) >= 2 and not is_cue(word) and not tok.function_word(word)

    # an FAQ question is said as users say it (这样可以吗, 一样吗): only its nouns and its domain words name its topic
    return frozenset({w for t in headings for w in tok.words(t) if names(w)}
                     | {w for t in asked for w in tok.words(t) if names(w) and (tok.noun(w) or not tok.in_dictionary(w))})


def topic_words(snapshot: Snapshot) -> frozenset[str]:
    """The words that say what the indexed documents are about, once per index version."""
    if snapshot.version not in _TOPICS:
        _TOPICS.clear()  # a reader follows the current version only
        _TOPICS[snapshot.version] = _read_topic_words(snapshot)
    return _TOPICS[snapshot.version]


def names_no_topic(question: str, known: frozenset[str]) -> bool:
    """The question is short and none of its words is one the documents are about (``known``: ``topic_words``) or one
    general Chinese lacks."""
    if len(_SAID.findall(question)) > TOPICLESS_CHARS:
        return False
    tok = get_tokenizer()
    words = tok.query_words(question, dict.fromkeys(known, 1.0))
    # a question of stopwords alone (都是这样吗) names nothing either
    return not any(w in known or not tok.in_dictionary(w) for w in words)
