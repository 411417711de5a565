"""One analysis of a question, made once per ask and read by retrieval, the answerability checks and the composer.

What it holds: the question as asked and as searched (the follow-up rewrite), its parts and what each asks for
(a figure, a bound, an office, yes/no, a procedure, a list, a who), the numbers the question gives, the places it
names (with their hierarchy), the qualifications and the service fees it names, whether it negates, and whether it
points to the past. Each piece comes from the one owner of that notion (the clause splitter in answer_type, the
gazetteer, the qualification vocabulary); nothing here keeps a list of its own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from assistant.lexicon.instruments import kinds_named
from assistant.lexicon.places import Place, levels_in
from assistant.retrieval.answer_type import asking, asks, asks_office, bound, clauses, given_numbers, wanted
from assistant.retrieval.regions import scope_mentions

# a 吗, a trailing 不 or 了没 (变了没, 批下来了没有), or any A-not-A (能不能, 够不够, 有没有, 可不可以)
_YES_NO = re.compile(r"吗[？?]?$|(?<!不)不[？?]?$|[了过]没有?[？?]?$|是否|能否|可否|([\u4e00-\u9fff])[不没]\1|允许|合规")
_PROCEDURE = re.compile(r"怎么(?:办|申请|弄|操作|走|报|交|登记)|如何|流程|步骤|手续|程序")
_LIST = re.compile(r"哪些|哪几|有什么|包括什么|都有啥|什么材料|哪些材料")
_WHO = re.compile(r"谁|什么人|哪个人|哪类(?:企业|主体|人)")
_DEADLINE = re.compile(r"多久|多长时间|几天|几个月|哪天|什么时候|啥时候|何时|截止|期限|最晚|最迟")
# “18年那个办法” is a year; “成立10年以上” and “15年期” are durations
_PAST = re.compile(r"废止|暂行|旧规|老规|(?:旧|原|老)标准|20(?:1\d|20)年|(?<![\d年])1[5-9]年(?![以内期])")
# words that place an event earlier, the firm's as often as a rule's (“我们之前贷过款”, “钱打过去了”, “当时交的现金”), or
# call a thing old or void, a certificate or a patent as often as a rule (旧的专利证书, 专利失效了): they point back to an
# old rule only in a clause that speaks of a rule (“以前那个办法”, “当年搞入园行动那会儿”, 旧版, 失效的文件)
_OLD = r"(?<![依仍照守])旧"  # 依旧, 仍旧 say “still”
_EARLIER = re.compile(rf"原来|以前|之前|过去|当年|当时|{_OLD}|失效|作废")
# the old set against the new (按旧的算还是按新的算): the old one is asked about too
_OLD_AND_NEW = re.compile(rf"{_OLD}[^，。？?]{{0,8}}新|新[^，。？?]{{0,8}}{_OLD}")
# the current version named (新版里, 现行办法, 修订后): the counterpart of _PAST
_CURRENT = re.compile(r"新版|新的那版|新规|新办法|新条例|现行|最新版|修订后")
_RULE = re.compile(r"办法|条例|政策|规定|方案|行动|细则|文件|通知(?!书)|版|规则|制度|那套|那会儿|那时候")  # 通知书 is served on a party


@dataclass(frozen=True)
class Part:
    text: str
    asks: str  # figure | deadline | yes_no | procedure | list | who | office | what


@dataclass(frozen=True)
class QuestionAnalysis:
    question: str
    query: str  # what is searched: the follow-up rewrite of the question
    parts: tuple[Part, ...]
    places: tuple[Place, ...]
    levels: frozenset[str]  # levels of government named without a place (区里 → zone, district; 省里 → province)
    numbers: frozenset[str]  # figures the question gives (they are not an answer to it)
    qualifications: tuple[str, ...]
    bound: str | None  # max | min: the question asks for an upper or a lower limit
    past: bool  # points to an old or replaced rule
    negated: bool
    instruments: frozenset[str] = frozenset()  # kinds of instrument referred to (条例里, 法律上): lexicon.instruments
    frame: str = ""  # what every part is about, said once before them (“秦科保的事：…？…？” → 秦科保)

    @property
    def yes_no(self) -> bool:
        # a yes/no form somewhere (“有没有说最长能放到几年”) is no yes/no question when a part asks for a figure
        return any(p.asks == "yes_no" for p in self.parts) or (
            bool(_YES_NO.search(self.question.strip())) and not any(p.asks in ("figure", "deadline") for p in self.parts))

    @property
    def wants_figure(self) -> bool:
        return any(p.asks in ("figure", "deadline") for p in self.parts)


# “这个期限还能纳入风险补偿吗”: a part that ends in 吗 and asks for nothing named (多少, 几, 哪, 什么) wants a yes or no,
# whatever figure words (期限, 比例) it holds
_ENDS_YES_NO = re.compile(r"吗[？?]?$")
# a tag after a claim (“…上浮30%，对吧”, “是吧”): a clause of its own, two or three characters, that ends in 吧
_TAG = re.compile(r"^[\u4e00-\u9fff]{1,2}吧[？?]?$")
_ASKS_NAMED = re.compile(r"多少|几|哪|什么|啥|多久|多长|多大|怎么|如何|谁")


# “一年最多补多少” asks what the rules say “每年”: a year said before what is paid is per year, not a term
_PER_YEAR = re.compile(r"一年(?=[^，。？?\d]{0,3}(?:补|贴|拿|领|报|最多|最高|上限|封顶))")
PER_YEAR = "每年 "  # the space keeps jieba from reading 每年报 as 每 + 年报 (an annual report)


def per_year(text: str) -> str:
    return _PER_YEAR.sub(PER_YEAR, text)


def asks_of(part: str) -> str:
    # the clause that ends in 吗 is what is asked: “拿几个软著质押…，能申请贴息吗” says 几个 (a few) to set the scene
    last = (clauses(part) or [part])[-1]
    # so does a last clause in any yes/no form (能不能纳入, 认不认, 能报不) that names nothing: “期限正好3年，能不能纳入”
    # asks whether, not how long
    if (_ENDS_YES_NO.search(part.strip()) or _YES_NO.search(last) or _TAG.match(last)) and not _ASKS_NAMED.search(last):
        return "yes_no"
    if asks_office(part):
        return "office"
    if _DEADLINE.search(part):
        return "deadline"
    if wanted(part):
        return "figure"
    if _LIST.search(part):
        return "list"
    if _PROCEDURE.search(part):
        return "procedure"
    if _WHO.search(part):
        return "who"
    if _YES_NO.search(part):
        return "yes_no"
    return "what"


# “之前看文件说是500万以内。”, “我印象里以前是三成”: a clause that recalls what was once said, asking nothing
RECALLS = re.compile(r"说|听说|看到|看过|印象|记得|好像|据说|写着|写的|上写|写了")
# a clause that recalls a claim or checks one (“是半年更新一次吧”, “是不是只有3000万”): a figure in it is the claim's
CHECKS_CLAIM = re.compile(rf"{RECALLS.pattern}|是不是|吧[？?。]?$")


def _points_back(question: str) -> bool:
    """The question is about an old or replaced rule (“2018年那个办法还能申请吗”, “以前搞入园行动那会儿…”), not one
    that only recalls an old claim to check it against today's rule (“…纳入？之前看文件说是500万以内。”)."""
    said = clauses(question)

    def back(c: str) -> bool:
        return bool(_PAST.search(c) or _OLD_AND_NEW.search(c) or (_EARLIER.search(c) and _RULE.search(c))) and not (
            RECALLS.search(c) and not _ASKS_NAMED.search(c))

    # “想对比下新旧两版：…新版里能不能…？”: what is asked names the current version, and only the scene the old one
    asked = [c for c in said if asks(c)]
    if any(_CURRENT.search(c) for c in asked) and not any(back(c) for c in asked):
        return False
    return any(back(c) for c in said)


# “秦科保的事：首次投保补多少？续保呢？”: the words before the colon set the topic of every part; how many questions
# follow (问两个, 几个问题) or 的事 is no topic
_FRAME = re.compile(r"^([^：:？?。！!，,；;]{2,20})[：:]")  # one phrase: a clause that sets a scene is no topic
# the clause right before a count of questions, wherever the count stands (“我们的贷款想纳入区里的资金池。几个问题：”)
_COUNTED_FRAME = re.compile(r"([^：:？?。！!，,；;]{2,30})[，,。；;]\s*[^：:？?。！!，,]{0,6}(?:[几两三四五]个|几件|几点)(?:问题|事|点|事情)[^：:？?。！!，,]{0,6}[：:]")
_FRAME_COUNT = re.compile(r"[，,\s]*(?:的事|的话|(?:想|要|再)?(?:问|有|请教|咨询)?(?:[一二两三四五六几]?[个件]|几)(?:问题|事|事情)?|的?(?:几个|两个|三个)?问题)$")
# a clause that only counts the questions (“两件事：…”, “想问三件事，…”)
_COUNT_CLAUSE = re.compile(r"^[^，,：:？?同这那每上]{0,4}(?:[一二两三四五六几]?[个件]|几)(?:问题|事|事情)[，,：:]\s*")  # not 同一件事，这两件事


def frame_of(question: str, parts: list[str]) -> str:
    """The topic a several-part question states once before its parts (empty when it states none)."""
    # before the parts (“秦科保的事：…？…？”), or before the first part's own question (“区里贴息的话：本金按…算？”), or
    # the clause before a count of questions (“拿软著找银行押贷款，有几个事不清楚：1）…”)
    if len(parts) < 2:
        return ""
    m = _FRAME.match(question.strip()) or _FRAME.match(parts[0].strip())
    if m is None:
        c = _COUNTED_FRAME.search(question.strip())
        return c.group(1) if c else ""
    frame = _topic(m.group(1))
    return frame if len(frame) >= 2 else ""


def _topic(phrase: str) -> str:
    """A phrase before a colon without the count of questions or 的事/的话 that ends it (秦科保的事 → 秦科保)."""
    topic = phrase.strip()
    while (cut := _FRAME_COUNT.sub("", topic)) != topic:
        topic = cut
    return topic


def _without_count(part: str) -> str:
    """A part opened by a count of questions (“几个问题：放款后多少天内备案”) is what follows it."""
    m = _FRAME.match(part.strip())
    rest = part.strip()[m.end():] if m else ""
    part = rest if m and rest and len(_topic(m.group(1))) < 2 else part
    return _COUNT_CLAUSE.sub("", part) or part


def analyse(question: str, history: tuple[str, ...] = ()) -> QuestionAnalysis:
    return _analyse(question, tuple(history))


@lru_cache(maxsize=512)
def _analyse(question: str, history: tuple[str, ...]) -> QuestionAnalysis:
    from assistant.answer.extractive import negated, question_parts
    from assistant.answer.follow_up import rewrite_follow_up
    from assistant.profile.qualifications import mentioned

    query = rewrite_follow_up(question, list(history) or None)
    pieces = [_without_count(p) for p in question_parts(query)] or [asking(query) or query]
    return QuestionAnalysis(
        question=question,
        query=query,
        parts=tuple(Part(p, asks_of(p)) for p in pieces),
        places=tuple(m.place for m in scope_mentions(query)),
        levels=levels_in(query),
        numbers=given_numbers(query),
        qualifications=tuple(mentioned(query)),
        bound=bound(query),
        past=_points_back(question),
        negated=negated(question),
        instruments=kinds_named(query),
        frame=frame_of(query, pieces),
    )


# an aside in brackets (应收账款电子凭证（供应链平台开的那种电子债权凭证）) says again what the words before it name; one
# holding a figure, a year or a negation (（评估值1000万）, （2020年）, （不是首贷）) says something of its own
_ASIDE = re.compile(r"[（(]([^（）()]{2,40})[）)]")
_OWN_SAY = re.compile(r"[\d一二两三四五六七八九十百千万]|不|没|非|未")


def without_asides(question: str) -> str:
    """The question without its asides in brackets: their words are another way to say what they follow, not more a
    passage must cover to support it (how much support is judged on)."""
    return _ASIDE.sub(lambda m: m.group(0) if _OWN_SAY.search(m.group(1)) else "", question) or question


def clause_count(question: str) -> int:
    return len(clauses(question))
