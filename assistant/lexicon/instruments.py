"""Kinds of legal instrument (条例, 法, 办法, 细则 …): the kind a document's title ends in, and the kinds a question
refers to (“条例里怎么说”, “按现在这版条例”, “法律上讲”, “成果转化法有没有提到”). A closed grammatical class of
Chinese legal and policy writing, not a list of documents: which kinds exist is read from the indexed titles."""

from __future__ import annotations

import re
from functools import lru_cache

# the kind words, longest first so 法典 is read before 法; 法典 and 法律 are kinds of 法
_KINDS = ("条例", "法典", "办法", "细则", "通知", "指南", "纪要", "意见", "方案", "程序", "规则", "决定", "法")
_SAME = {"法典": "法", "法律": "法"}
_TITLE_KIND = re.compile("|".join(_KINDS))
_BRACKETS = re.compile(r"[（(][^）)]*[）)]")

# a kind word refers to a document when a demonstrative, a version or a verb of following comes right before it
# (这版条例, 按…办法), or a word of where or what it says right after (条例里, 法律上, 办法规定, 法有没有提到)
_BEFORE = r"(?:这|那|该|本|新|老|旧|原|现行|现在的|之前的|修订前的|修订后的|按|依照|依据|按照|根据)[版部个份]?"
_AFTER = r"(?:里|中|上|规定|写|说|提|对|第|条文|原文|有没有|认不认|允许|要求)"
_WORD = "条例|法律|办法|细则|通知|指南|纪要|意见|方案"
_REFERRED = re.compile(rf"{_BEFORE}({_WORD})|({_WORD})(?={_AFTER})")
# a law named by its title's end (促进法, 专利法, 转化法): two or more characters before 法 that are not 办 (办法),
# 说 (说法), 方 (方法), 合 (合法) or 依 (依法)
_LAW_NAMED = re.compile(r"[\u4e00-\u9fff](?<![办说方合依违非没做想用看司立执])法(?:典)?(?=里|中|上|规定|写|说|提|对|第|有没有|认不认|[，,。？?])")
# what is no document: 有什么办法, 没办法, 想办法
_NO_DOCUMENT = re.compile(r"(?:什么|啥|没|想|有)办法")


@lru_cache(maxsize=4096)
def kind_of_title(title: str) -> str | None:
    """The instrument kind a title names last (《…管理暂行办法》 → 办法, 《民法典 物权编》 → 法); None for an FAQ or a
    title of none."""
    found = _TITLE_KIND.findall(_BRACKETS.sub("", title or ""))
    return _SAME.get(found[-1], found[-1]) if found else None


@lru_cache(maxsize=2048)
def kinds_named(question: str) -> frozenset[str]:
    """The instrument kinds a question refers to as documents."""
    text = _NO_DOCUMENT.sub("", question)
    kinds = {_SAME.get(k, k) for m in _REFERRED.finditer(text) for k in m.groups() if k}
    if _LAW_NAMED.search(text):
        kinds.add("法")
    return frozenset(kinds)
