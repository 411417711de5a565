"""Whether the firm has what a clause mentions: one negation mechanism for every kind of fact.

A negator governs the mentions it scopes over within its clause, before or after them, across a coordinated
list of the same kind of thing and the filler words a speaker puts around it:

- before: “不是高企也不是科小”, “既非高企也非科小”, “没有任何资质”, “还没评上高企”, “不在白名单里”;
- after:  “高企和科小都不是”, “这两个我们都没有”, “白名单还没进”, “高企没评上”.

Anything else between the negator and the mention (another noun, a verb of its own: “除了科小，别的都没有”) ends
the negator's scope. A mention that is only applied for, being assessed or wished for (“高企正在申报”,
“想进白名单”) is not held either way.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from assistant.retrieval.answer_type import clause_spans

# Longest first, so “还没有” is one negator, not “还” + “没有”.
NEGATORS = sorted(
    ["不是", "并非", "并不是", "并没有", "非", "没有", "没", "无", "未", "尚未", "还没有", "还没", "还未", "还不是", "不算", "不属于",
     "不具备", "不在", "从没", "从来没", "从未", "从来没有", "不"],
    key=len, reverse=True,
)
_NEGATOR = re.compile("|".join(NEGATORS))
# Words that may stand between a negator and what it negates without ending its scope.
_FILLER = (r"(?:什么|任何|啥|哪个|的|是|有|过|被|评上|评为|评|拿到|拿|获得|取得|认定为?|申请|申报|通过|列入|纳入|进入|进|入|入选|"
           r"在|属于|具备|资质|资格|认定|企业|名单|这些|这个|那个|这两个|这俩|两个|二者|几个|一个|都|也|还|均|全|又|我们|我司|咱们|公司|"
           r"上|里|内|中|太|是很|很|怎么|大|一次|一笔|一件|一项|一个|点|些|了|出|出过|出现|出现过|发生|发生过|有过|报|申请了|提交了|批|批下来|下来|审|审核|"
           r"下|这方面|方面|其实|确实|实际上|真的|根本|压根|暂时|目前|现在|一直|从来)")
_COORD = r"(?:和|与|及|以及|跟|或|或者|还有|、|/|，也|也|又)"
_GAP = re.compile(rf"(?:{_FILLER}|{_COORD}|\s)*")
_CONTRAST = re.compile(r"但是|但|可是|不过|而是|而|倒是|只是")
_PENDING_AFTER = re.compile(r"^[^，,。；;]{0,3}(?:正在|还在|在)?(?:申报|申请|评审|认定|公示|审核|审批)(?:中|阶段)|^[^，,。；;]{0,2}(?:过期|到期|被取消|取消了)")
_PENDING_BEFORE = re.compile(r"(?:正在|还在|准备|打算|计划|想|想要|希望|争取|要|申请|申报)(?:申请|申报|评|进|入|列入|纳入)?[^，,。；;]{0,8}$")


def _clause_of(text: str, pos: int) -> tuple[int, int]:
    for start, end in clause_spans(text):
        if start <= pos < end:
            return start, end
    return pos, pos


def _without(segment: str, offset: int, others: Sequence[tuple[int, int]]) -> str:
    """The segment with the other mentions of the same kind removed (a list is one unit for the negator)."""
    chars = list(segment)
    for a, b in others:
        for i in range(max(a, offset), min(b, offset + len(segment))):
            chars[i - offset] = ""
    return "".join(chars)


def negated(text: str, span: tuple[int, int], others: Sequence[tuple[int, int]] = ()) -> bool:
    """A negator in the mention's clause scopes over it, before or after (see the module docstring)."""
    c_start, c_end = _clause_of(text, span[0])
    for m in _NEGATOR.finditer(text, c_start, span[0]):
        if _GAP.fullmatch(_without(text[m.end() : span[0]], m.end(), others)):
            return True
    for m in _NEGATOR.finditer(text, span[1], c_end):
        # after the mention, a negator is its predicate only when nothing but filler follows it (up to a “但…”):
        # “高企没评上” denies 高企, “征信正常没逾期过” does not deny 正常
        tail = _CONTRAST.split(text[m.end() : c_end], maxsplit=1)[0]
        if _GAP.fullmatch(_without(text[span[1] : m.start()], span[1], others)) and _GAP.fullmatch(tail):
            return True
    return False


def pending(text: str, span: tuple[int, int]) -> bool:
    """Applied for, being assessed, wished for or lapsed: not held, and not denied either."""
    c_start, c_end = _clause_of(text, span[0])
    return bool(_PENDING_AFTER.search(text[span[1] : c_end]) or _PENDING_BEFORE.search(text[c_start : span[0]]))


def holds(text: str, span: tuple[int, int], others: Sequence[tuple[int, int]] = ()) -> bool | None:
    """True: the firm has it; False: the clause denies it; None: pending or wished for."""
    if negated(text, span, others):
        return False
    if pending(text, span):
        return None
    return True
