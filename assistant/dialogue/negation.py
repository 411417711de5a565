"""Whether the firm has what a clause mentions: one negation mechanism for every kind of fact.

A negator governs the mentions it scopes over within its clause, before or after them, across a coordinated
list of the same kind of thing and the filler words a speaker puts around it:

- before: “高企不是，科小也不是”, “既非高企也非科小”, “没有任何资质”, “还没评上高企”, “不在白名单里”;
- after:  “高企和科小都不是”, “这两个我们都没有”, “白名单至今没进去”, “高企没评上”.

Anything else between the negator and the mention (another noun, a verb of its own: “除了科小，别的都没有”) ends
the negator's scope. A mention that is only applied for, being assessed or wished for (“高企正在申报”,
“想进白名单”) is not held either way; one that lapsed (“证书去年到期了”, “以前是，现在不是了”) is not held.
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
# “不” is a conjunction or an adverb, not a negator, in 不过 / 不仅 / 不光 / 不但 / 不少 / 不错 / 不久 / 不管 …
_NEGATOR = re.compile("|".join(n if n != "不" else "不(?![过仅光但只少错久同断管论然如用必])" for n in NEGATORS))
# Words that may stand between a negator and what it negates without ending its scope (“没评上高企”, “高企和科小我们
#都还没去弄”), and a place or programme qualifying the thing negated (“没进西咸新区科技型企业融资白名单”).
_FILLER_WORDS = (
    "认定为", "这两个", "出现过", "发生过", "申请了", "提交了", "批下来", "这方面", "实际上", "这几个", "这三个", "这几样", "这两样", "什么", "任何", "哪个", "评上", "评为", "拿到", "获得", "取得", "认定", "申请", "申报", "通过", "列入", "纳入", "进入", "入选", "属于", "具备", "资质", "资格", "企业", "名单", "这些", "这个", "那个", "这俩", "两个", "二者", "几个", "一个", "我们", "我司", "咱们", "公司", "是很", "怎么", "一次", "一笔", "一件", "一项", "出过", "出现", "发生", "有过", "下来", "审核", "方面", "其实", "确实", "真的", "根本", "压根", "暂时", "目前", "现在", "今年", "去年", "当前", "这次", "一直", "从来", "牌子", "证书", "称号", "一样", "一家", "入库", "报上", "区里", "市里", "省里", "融资", "啥", "的", "是", "有", "过", "被", "评", "拿", "进", "入", "在", "都", "也", "还", "均", "全", "又", "上", "里", "内", "中", "太", "很", "大", "点", "些", "了", "出", "报", "批", "审", "下", "去", "弄", "办", "搞", "做", "证",
)
_MODIFIER = r"[\u4e00-\u9fa5]{1,6}?(?:新区|区|市|省)(?:的)?|科技型企业"
_FILLER = "(?:" + "|".join(_FILLER_WORDS) + "|" + _MODIFIER + ")"
_COORD = r"(?:和|与|及|以及|跟|或|或者|还有|、|/|，也|也|又)"
_GAP = re.compile(rf"(?:{_FILLER}|{_COORD}|\s)*")
_CONTRAST = re.compile(r"但是|但|可是|不过|而是|而|倒是|只是")
# After the mention, in its clause: being applied for or assessed (“高企今年正在申报”, “专精特新也在走流程”).
_PENDING_AFTER = re.compile(
    r"^[^，,。；;]{0,6}?(?:正在|还在|在)(?:申报|申请|评审|认定|公示|审核|审批|走流程|排队|办理|复审)"
    r"|^[^，,。；;]{0,3}(?:申报|申请|评审|认定|公示|审核|审批|复审)(?:中|阶段)"
    r"|^[^，,。；;]{0,6}?(?:等(?:着)?(?:结果|审批|批复|公示|认定))"
)
# Lapsed (“高企证书去年十一月到期了”; “明年底才到期” is still held): no longer held.
_LAPSE = r"(?:已经过期|已过期|过期了|已经到期|已到期|到期了|已失效|失效了|被取消|取消了|没续上|被撤销)"
_LAPSED_AFTER = re.compile(rf"^[^，,。；;]{{0,10}}?{_LAPSE}")
# Held once, not now (“以前是高企，现在不是了”).
_FORMER = re.compile(r"^\s*(?:我们|我司|公司|咱们)?(?:以前|之前|曾经|原来|过去|早先)")
# …while the same sentence says how things stand now, other than “still” (“现在也是”, “现在还是”)
_NOW = re.compile(r"(?:现在|目前|如今|后来)(?!也|还|仍|依然|照样)")
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


_LIST = re.compile(rf"(?:{_COORD}|\s)*")


def _bare_list(text: str, start: int, end: int, others: Sequence[tuple[int, int]]) -> bool:
    """The clause is nothing but a list of mentions (“高企、科小、专精特新，这些我们都没有”): its predicate follows."""
    return bool(_LIST.fullmatch(_without(text[start:end], start, list(others))))


def _places_as_modifiers(gap: str) -> str:
    """A place named in the gap qualifies the thing negated (“还没进西咸那边的白名单”): it is dropped, with its 的."""
    from assistant.lexicon.places import gazetteer

    for m in sorted(gazetteer().find(gap), key=lambda m: -m.start):
        end = m.end + 1 if gap[m.end: m.end + 1] == "的" else m.end
        gap = gap[: m.start] + gap[end:]
    return gap


def negated(text: str, span: tuple[int, int], others: Sequence[tuple[int, int]] = ()) -> bool:
    """A negator in the mention's clause scopes over it, before or after (see the module docstring); after a clause
    that only lists mentions, the next clause's negator does."""
    c_start, c_end = _clause_of(text, span[0])
    for m in _NEGATOR.finditer(text, c_start, span[0]):
        if _GAP.fullmatch(_places_as_modifiers(_without(text[m.end() : span[0]], m.end(), others))):
            return True
    after = [(span[1], c_end)]
    if _bare_list(text, c_start, c_end, [*others, span]) and c_end < len(text) and text[c_end] in "，,、":
        after.append((c_end + 1, _clause_of(text, c_end + 1)[1]))
    for a_start, a_end in after:
        for m in _NEGATOR.finditer(text, a_start, a_end):
            # after the mention, a negator is its predicate only when nothing but filler follows it (up to a “但…”):
            # “高企没评上” denies 高企, “征信良好没拖欠过” does not deny 正常
            tail = _CONTRAST.split(text[m.end() : a_end], maxsplit=1)[0]
            between = text[span[1] : m.start()] if a_start == span[1] else text[a_start : m.start()]
            offset = span[1] if a_start == span[1] else a_start
            if _GAP.fullmatch(_without(between, offset, others)) and _GAP.fullmatch(tail):
                return True
    return False


def pending(text: str, span: tuple[int, int]) -> bool:
    """Applied for, being assessed, wished for or lapsed: not held, and not denied either."""
    c_start, c_end = _clause_of(text, span[0])
    return bool(_PENDING_AFTER.search(text[span[1] : c_end]) or _PENDING_BEFORE.search(text[c_start : span[0]]))


# Applied for and not decided, said anywhere later in the sentence (“白名单报了，还在审，结果还没出来”).
_APPLIED_LATER = re.compile(r"还在审|在审核|审核中|在公示|公示中|还没批|没批下来|还没出来|等结果|等通知|报了还|申请了还|提交了还")


def _rest_of_sentence(text: str, at: int) -> str:
    return re.split(r"[。！!？?\n]", text[at:], maxsplit=1)[0]


def applied(text: str, span: tuple[int, int]) -> bool:
    """Applied for and still undecided, as the rest of the sentence says."""
    return bool(_APPLIED_LATER.search(_rest_of_sentence(text, span[1])))


# a later clause of the sentence that says it has run out, with nothing else in it (“…进了白名单，今年到期了”)
_LAPSED_LATER = re.compile(rf"(?:今年|现在|目前|已经|刚|上个月|前几天|这个月)*{_LAPSE}$")



def lapsed(text: str, span: tuple[int, int]) -> bool:
    """Held once, not now: expired or revoked, or said of the past and denied for the present."""
    c_start, c_end = _clause_of(text, span[0])
    if _LAPSED_AFTER.search(text[span[1] : c_end]):
        return True
    later = _rest_of_sentence(text, c_end)
    # not when the mention's own clause speaks of a loan or a figure: its 到期了 is the loan's (凭高企贷了300万，今年到期了)
    own = text[c_start:c_end]
    if not re.search(r"贷|借|合同|\d|[一二两三四五六七八九十百千]+万", own) and any(
            _LAPSED_LATER.match(c.strip()) for c in re.split(r"[，,；;]", later)[1:2]):
        return True
    sentence_end = re.search(r"[。！!？?\n]|$", text[span[1] :])
    return bool(_FORMER.search(text[c_start : span[0]]) and _NOW.search(text[span[1] : span[1] + (sentence_end.start() if sentence_end else 0)]))


# Got since (“高企去年没过，今年过了”): a later clause of the sentence says it is held now.
_GOT_SINCE = re.compile(r"(?:今年|现在|目前|后来|最近)[^，,。；;]{0,6}?(?:过了|评上|拿到|有了|认定了|入库了|批了|通过了|下来了)")


def regained(text: str, span: tuple[int, int]) -> bool:
    """Denied in the mention's clause, held now by a later clause of the same sentence."""
    return bool(_GOT_SINCE.search(_rest_of_sentence(text, _clause_of(text, span[0])[1])))


def holds(text: str, span: tuple[int, int], others: Sequence[tuple[int, int]] = ()) -> bool | None:
    """True: the firm has it; False: the clause denies it, or it lapsed; None: pending or wished for."""
    denied = negated(text, span, others)
    if denied and regained(text, span):
        return True
    if denied or lapsed(text, span):
        return False
    if pending(text, span):
        return None
    return True
