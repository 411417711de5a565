"""What kind of figure a question asks for, and whether a passage states one.

Retrieval matches words, but “担保费补助比例是多少” is answered by “按担保费的50%给予”, which never says 比例.
Knowing that the question wants a percentage (or an amount, a duration, a count) lets the reranker and the
sentence picker prefer passages that actually state one.
"""

from __future__ import annotations

import re
from functools import lru_cache

# a duration or a date; “上一年度”, “2023年度” name a year, they state no time
# a time said by the event it runs to (在原质押期限届满前, 到期之前) answers “什么时候之前” as a date does
_DURATION = re.compile(r"\d+\s*(?:个)?(?:工作日|日|天|个月|月|年(?!度))|(?<!上)[一二两三四五六七八九十]+(?:个)?(?:工作日|日|天|个月|年(?!度))|\d{1,2}月"
                       # half a year or month (每半年结算一次), not the first or second half of one (上半年)
                       r"|(?<![上下])半(?:个)?(?:年(?!度)|月)"
                       r"|(?:届满|期满|到期)(?:之|以)?前")
_PATTERNS: list[tuple[re.Pattern[str], re.Pattern[str]]] = [
    # ratio / percentage
    # “逾期利息按什么标准算”: a rate asked by its standard, stated per day as 万分之五
    (re.compile(r"比例|比率|比重|百分之|百分比|几成|几个(?:百分)?点(?![想要问需])|多少个(?:百分)?点|多少%|费率|利率|质押率|补多少|补贴多少|补助多少|贴多少"
                r"|(?:什么|啥|哪个)标准"),
     # a share in words: 百分之三十, 万分之五, and a fraction, 三分之一, as laws write it
     re.compile(r"\d+(?:\.\d+)?\s*[%％]|(?:[百千万]|[一二两三四五六七八九十]+)分之|\d+(?:\.\d+)?倍|[一二三四五六七八九]成")),
    # money amount
    (re.compile(r"多少钱|金额|额度|上限|最高|最多|封顶|多少万|规模|补多少|贷多少|能贷"), re.compile(r"\d+(?:\.\d+)?\s*(?:万元|亿元|元|万|亿)|[一二两三四五六七八九十百千]+[万亿]?元")),  # 二十五万元: laws write numbers in words
    # duration / time
    (re.compile(r"多久|多长时间|几天|多少天|时限|期限|多少个工作日|几个工作日|几个月|多少个月|什么时候|啥时候|何时|截止|有效期|年限|几年"), _DURATION),
    # count
    # “哪几个指标” asks which, not how many
    # “几个点” are percentage points, not a count
    # (一笔贷款, 一项申报: an article, no count; 十一件, 一百家, and 一笔 that ends its clause, 只能申报一笔。, are counts)
    (re.compile(r"(?<!哪)(?:几家|几件|(?<!们)几个(?!月|工作日|点|百分点)|几笔)|多少家|多少件|多少个(?!月|工作日|点|百分点)|多少笔"),
     re.compile(r"\d+\s*(?:家|件|个|笔|项|款)|(?<![一二两三四五六七八九十])(?:[二两三四五六七八九十]|一[十百千])[一二两三四五六七八九十百千]*(?:家|件|个|笔|项|款)"
                r"|(?<![一二两三四五六七八九十同第])一(?:家|件|个|笔|项|款)(?=以上|以下|以内|为限|[^\u4e00-\u9fff]|$)")),
]


# The same kinds, cued only by words that name the unit asked for (几笔 → a count, 几天 → a duration); generic
# cues (最多, 上限) leave the kind open. Ordered: the first kind whose cue matches is the one the question asks.
_SPECIFIC: list[tuple[re.Pattern[str], re.Pattern[str]]] = [
    (re.compile(r"比例|比率|比重|百分之|百分比|几成|几个点|多少%|费率|利率|质押率"), _PATTERNS[0][1]),
    (re.compile(r"多久|多长时间|多长|几天|多少天|时限|期限|工作日|什么时候|啥时候|何时|截止|有效期|年限|几年|几个月|最晚|最早|哪天|几号"), _PATTERNS[2][1]),
    # a count answer states a number (“2笔”, “三家”); “一笔贷款” is an article, not an answer
    (re.compile(r"(?<!哪)(?:几家|几件|几笔|几项|几款)|多少家|多少件|多少笔|多少项|多少款"), re.compile(r"\d+\s*(?:家|件|个|笔|项|款)|[两二三四五六七八九十]+(?:家|件|个|笔|项|款)")),
    (re.compile(r"多少钱|金额|多少万|贷多少|能贷|额度|上限|最高|最多|封顶|补多少"), _PATTERNS[1][1]),
]


# The one clause splitter: Chinese and Latin punctuation that ends a clause, and a line break; a full stop between
# digits (1.5亿) is a decimal point, not an end.
_CLAUSES = re.compile(r"[，,。！!？?；;\n]|(?<!\d)\.|\.(?!\d)")
# A clause asks when it has a question word or particle; the others set the scene (“调整了担保的债权金额，
# 变更登记要交钱吗？” asks about a fee, not about an amount). 几个/几位 after a pronoun's 们 count the speakers
# (我们几个股东, “the few of us”): they ask nothing, here and in the cues below; 你们几天能审完 still asks.
_ASKS = re.compile(r"多少|(?<!们)几|们几(?![个位名])|多久|多长|多大|多高|多低|哪|什么|啥|怎么|怎样|如何|谁|是否|能否|吗|呢|么|可不可以|([\u4e00-\u9fff])[不没]\1|(?<![不没])[能行可][\u4e00-\u9fff]?不$")


A_NOT_A = re.compile(r"([\u4e00-\u9fff])[不没]\1")  # 认不认, 要不要: a verb asked yes or no, not denied
# “贴息是多少”, “给多少补贴资金”: a figure of no named kind; “放出去多少了” asks how far a thing has got by now, which
# no rule states (the live-data check's business), not for a figure a sentence of a rule could give
_ANY_FIGURE = re.compile(r"多少(?!了)")


def clause_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each clause of a text, punctuation excluded, empty clauses skipped."""
    spans, start = [], 0
    for m in _CLAUSES.finditer(text):
        if text[start : m.start()].strip():
            spans.append((start, m.start()))
        start = m.end()
    if text[start:].strip():
        spans.append((start, len(text)))
    return spans


def clauses(text: str) -> list[str]:
    """The clauses of a text, split at any Chinese or Latin punctuation that ends one."""
    return [text[a:b] for a, b in clause_spans(text)]


def asks(text: str) -> bool:
    """The text has a question word or particle (it asks, rather than sets the scene)."""
    return bool(_ASKS.search(text))


# 几 with a measure word before the noun it counts, after a verb done or used (拿几个软著质押…, 招了几个本市的…人员, 注册过
# 几件): “a few” when a later clause of the sentence asks. After 最多, 能, 需要 or 有 it asks (最多能押几件专利), and so does a
# time (几个工作日能批下来) wherever it stands
_A_FEW = re.compile(r"(?:(?<=了)|(?<=过)|(?<=拿)|(?<=用))几(?:个(?!月|工作日|小时|星期|礼拜|季度)|件|家|笔|项|位|名|份|张|款|户)"
                    r"(?=[\u4e00-\u9fff]{2})")
_SENTENCE_ENDS = re.compile(r"(?<=[。！!？?])")


def asking(question: str) -> str:
    """The clauses of a question that ask something; the whole question when none is marked as asking. A clause whose
    only question word is a 几 that counts a few things (拿几个软著质押在…银行贷了款，能申请贴息吗) sets the scene when
    a later clause of its sentence asks."""
    asked = []
    for sentence in _SENTENCE_ENDS.split(question):
        said = [c for c in clauses(sentence) if asks(c)]
        asked += [c for i, c in enumerate(said) if i == len(said) - 1 or asks(_A_FEW.sub("", c))]
    return "，".join(asked) if asked else question


# What asks, as opposed to what the question is about: the figure cues above and the question words.
_ASKING_WORDS = re.compile("|".join([*(q.pattern for q, _a in _PATTERNS), r"是多少|是什么|是啥|多少|几|什么时候|什么|啥|哪些|哪个|哪|怎么|如何|吗|呢"]))


def topic_of(question: str) -> str:
    """The question without what it asks (“区里担保费补助比例是多少” → “区里担保费补助”): the topic a follow-up part
    that asks something else (“什么时候申报？”) borrows."""
    return _ASKING_WORDS.sub("", question)


_ASKS_OWN = re.compile(r"哪|什么|怎么|如何|谁|是否|能否|吗")


def asks_itself(question: str) -> bool:
    """The text asks something of its own (a figure, a time, which, how), not only “…呢？” about the topic before."""
    return bool(wanted(question)) or bool(_ASKS_OWN.search(question))


def primary(question: str) -> re.Pattern[str] | None:
    """The one figure kind the question asks for, most specific cue first (None: not a figure question)."""
    asked = asking(question)
    return next((ans for q, ans in _SPECIFIC if q.search(asked)), None)


# the unit a duration is asked in (几年, 多少个月, 几天): a figure in that unit answers it before one in another
_UNITS: list[tuple[re.Pattern[str], re.Pattern[str]]] = [
    # “1年期贷款市场报价利率” names a rate, “年度” a year: neither is a duration
    (re.compile(r"(?<!哪)几年|多少年"), re.compile(r"(?<![\d年])\d{1,2}\s*年(?!度|期)|[一二两三四五六七八九十]+年(?!度|期)")),
    (re.compile(r"(?<!哪)几个月|多少个月"), re.compile(r"\d+\s*个月|[一二两三四五六七八九十]+个月")),
    # “9月14日” is a date, not a number of days
    (re.compile(r"(?<!哪)几天|多少天|几个工作日|多少个工作日|多少日"), re.compile(r"(?<![月\d])\d+\s*(?:个)?(?:工作日|日|天)|(?<![月一二两三四五六七八九十百])[一二两三四五六七八九十百]+(?:个)?(?:工作日|日|天)")),
]


def asked_unit(question: str) -> re.Pattern[str] | None:
    """A figure in the unit the question asks a duration in (None: it names no unit)."""
    asked = asking(question)
    return next((ans for q, ans in _UNITS if q.search(asked)), None)


# “需要准备哪些文件”: a list of things asked, answered by a sentence that lists them (…、…等文件, 下列文件), not by
# one that says 文件 in passing
_LIST_OF = re.compile(r"哪些(?:类型|种类|类)的([\u4e00-\u9fff]{2})|哪些([\u4e00-\u9fff]{2})")  # 哪些类型的知识产权: 知识产权 listed


def list_asked(question: str) -> str | None:
    """The thing a question asks a list of (哪些文件 → 文件), or None."""
    m = _LIST_OF.search(asking(question))
    return (m.group(1) or m.group(2)) if m else None


# nouns that stand for whatever is listed (哪些东西, 哪些方面): a list of anything answers them; 情况 also the cases a
# rule introduces (有下列情形之一的)
_ANY_THING = frozenset({"东西", "方面", "内容", "事项", "情况"})


def states_list_of(text: str, thing: str) -> bool:
    """A clause lists things of that kind (提交请求书、说明书…等文件), or introduces them (下列文件, 文件如下：); for a
    placeholder (哪些东西 can serve as security), any enumeration (以应收账款、知识产权、存货等为担保品)."""
    if thing in _ANY_THING:
        cases = r"|下列情形|下列情况" if thing == "情况" else ""
        return bool(re.search(rf"[\u4e00-\u9fff]、[^，。；]*等{cases}", text))
    t = re.escape(thing)
    return bool(re.search(rf"、[^，。；]*{t}|{t}[^，。；、]{{0,6}}[：:]|下列{t}", text))


# a count asked of a thing (“进了多少家企业”): the thing counted follows the unit
# 好几个 says many, it asks nothing; 几个月 is a time, not a count
_COUNT_OF = re.compile(r"(?:多少|(?<![好十])(?<!们(?=几个))几)(家|件|个(?!月|工作日)|笔|项|款)([\u4e00-\u9fff]{2,4})")


def count_asked(question: str) -> tuple[str, str] | None:
    """The unit and the thing a count question counts (家, 企业 in “一共进了多少家企业”); None when it names none."""
    m = _COUNT_OF.search(asking(question))
    return (m.group(1), m.group(2)) if m else None


_COUNT = r"(?:\d+|[一二两三四五六七八九十百]+)[万千]?"  # 1万家, 两千件


def states_count_of(text: str, unit: str, thing: str) -> bool:
    """The text states a count in that unit of that thing (“3件发明专利” for 几件专利; not “6家合作银行” for 多少家企业)."""
    grams = {thing[i:i + 2] for i in range(len(thing) - 1)}
    for m in re.finditer(rf"{_COUNT}\s*{unit}(?:以上|以下|左右|多)?([\u4e00-\u9fff]{{1,8}})", text):
        said = m.group(1)
        if grams & {said[i:i + 2] for i in range(len(said) - 1)}:
            return True
    # a count that ends its clause counts what the clause names right before it (列明的专利一般不超过50件；), with
    # nothing but a bound or a linking word between (not 企业可同时申请的合作银行不超过3家: the count is of banks)
    for m in re.finditer(rf"{_COUNT}\s*{unit}(?=以上|以下|以内|左右|为限|[，,。；;、）)]|$)", text):
        before = re.split(r"[，,。；;：:]", text[: m.start()])[-1]
        for i in range(len(before) - 1):
            if before[i:i + 2] in grams and _COUNT_LINK.fullmatch(before[i + 2:]):
                return True
    return False


_COUNT_LINK = re.compile(r"(?:[的数量总]|一般|原则上|最多|至多|最少|至少|不超过|不少于|不低于|不高于|不得超过|共|共计|合计|累计|有|为|达|达到|约|在|控制在|每年|每次|只能|仅)*")


# a quantity asked in a unit of its own (多少分, 几名, 多少人, 能到几倍): only a number in that unit states it. After 几 the
# unit must end the clause (几户人搞了个… says “a few”); 分钟 is a time and 百分之 a share.
_MEASURES = "分|人|名|位|倍|亩|级"  # not 次: “每半年申报一次” answers 一年几次
# 倍 counts no noun after it: 能按几倍来定 asks a multiple wherever the clause goes on
_ASKS_MEASURE = re.compile(rf"多少({_MEASURES})(?![之钟])|(?<![好十们])几({_MEASURES})(?=[、？?，,。]|$|呢|吗|啊)|(?<![好十们])几(倍)")


def measure_asked(question: str) -> re.Pattern[str] | None:
    """A number in the unit a quantity is asked in (“积多少分” → “60分”); None when no such unit is named."""
    m = _ASKS_MEASURE.search(asking(question))
    return None if m is None else _in_measure(m.group(1) or m.group(2) or m.group(3))


@lru_cache(maxsize=16)
def _in_measure(unit: str) -> re.Pattern[str]:
    return re.compile(rf"(?:\d+(?:\.\d+)?|[一二两三四五六七八九十百千]+)\s*{unit}(?![之钟])")


_ASKS_WHO = re.compile(r"谁")  # a party asked for (谁出, 由谁定): no figure
# a question word that asks how much, how long or when: a clause with one asks for a figure even beside 找谁
_ASKS_QUANTITY = re.compile(r"多少|(?<!们)几|们几(?![个位名])|多久|多长|多大|多高|什么时候|啥时候|何时|哪天|最晚|最早")


def wanted(question: str) -> list[re.Pattern[str]]:
    """Patterns of the figures the question asks for (empty: not a figure question)."""
    asked = asking(question)
    if (_ASKS_OFFICE.search(asked) or _ASKS_WHO.search(asked)) and not _ASKS_QUANTITY.search(asked):
        # “企业规模有争议的话找谁认定”, “费率谁说了算” ask who, whatever figure words (规模, 费率) the clause holds
        return []
    kinds = [ans for q, ans in _PATTERNS if q.search(asked)]
    if (measure := measure_asked(question)) is not None:
        kinds.append(measure)
    if not kinds and _ANY_FIGURE.search(asked):
        return [ans for _q, ans in _PATTERNS]  # “贴息是多少”: some figure, of whatever kind the passage states
    return kinds


# a point in time said by the event it starts from (转让自登记之日起生效, 质权自办理出质登记时设立): it tells a part
# asking 什么时候 that it is answered, though it names no date; the composer does not look for it (measured: as a
# kind the composer prefers, it quoted “自公布之日起施行” for every when-question: realdocs 109 → 104)
_ASKS_WHEN = re.compile(r"什么时候|啥时候|何时|哪天|哪一天")
_EVENT_POINT = re.compile(r"自[^，。；？]{1,24}?(?:之日|之时|时)起?[^，。；？]{0,8}?(?:生效|设立|成立|发生效力)")


def asks_when(question: str) -> bool:
    """An asking clause asks when (什么时候, 哪天): a date answers it."""
    return bool(_ASKS_WHEN.search(asking(question)))


# a calendar date (2024年5月起, 3月15日) names an event or a document: it says when, not how long or how much
_CALENDAR_DATE = re.compile(r"\d{4}\s*年(?:\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?)?|\d{1,2}\s*月\s*\d{1,2}\s*日")


def without_dates(text: str) -> str:
    """The text with its calendar dates taken out (the figures left are amounts, shares and durations)."""
    return _CALENDAR_DATE.sub("", text)


def part_wants(part: str) -> list[re.Pattern[str]]:
    """What answers a part: the figures it asks for (wanted), and for a part asking when, the event a time runs from."""
    kinds = wanted(part)
    return [*kinds, _EVENT_POINT] if kinds and asks_when(part) else kinds


def states_wanted(text: str, patterns: list[re.Pattern[str]], given: frozenset[str] = frozenset()) -> bool:
    """The text states a figure of a wanted kind; with ``given`` (the numbers the question itself states: “押了500万、
    利率4.5%…贴息能拿多少”), only a figure the question does not already state counts."""
    if not given:
        return any(p.search(text) for p in patterns)
    return any(not (numbers_in(m.group()) or {""}) <= given for p in patterns for m in p.finditer(text))


_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_CN_RUN = re.compile(r"[一二两三四五六七八九十百千零]+(?:点[一二三四五六七八九零]+)?")  # the number before 万/亿, as given_numbers reads it


def numbers_in(figure: str) -> frozenset[str]:
    """The numbers a stated figure holds, in Arabic or Chinese numerals (百分之三十 → 30, 五十万元 → 50 as 50万 gives,
    百分之四点五 → 4.5, 三分之一 → 3 and 1, 15个工作日 → 15): a figure in words restates the asker's number only when it
    is that number. A figure holding none (半年, 届满前) gives the empty set, and states_wanted counts it as stated."""
    from assistant.dialogue.numbers import to_number

    spoken = (to_number(r) for r in _CN_RUN.findall(re.sub(r"[百千万]分之", "", _NUMBER.sub(" ", figure))))
    return frozenset(_NUMBER.findall(figure)) | {f"{n:g}" for n in spoken if n is not None}

# a quantity a rule names without fixing it: 一定比例, 一定额度, 相应的准备金, 按照国家有关规定, 另行制定, 逐步提高 (a direction,
# no target): the wording of a rule that leaves the figure to someone else. Not 在规定期限内 or 本办法有关规定: they point
# back to a figure the rule itself may state (…在规定期限内反馈 beside …15个工作日内反馈)
_UNSPECIFIED = re.compile(r"一定(?:的)?(比例|额度|数额|金额|期限|时间|范围|标准)|相应的|(?<!本办法)(?<!本条例)(?<!本细则)有关规定"
                          r"|另行(?:制定|规定)|逐步(?:提高|增加|加大|降低)")
# the kind of figure such a word leaves open, by a figure of that kind (一定期限 leaves no share open); the others any kind
_LEFT_OPEN = {"比例": "30%", "额度": "50万元", "数额": "50万元", "金额": "50万元", "期限": "30日", "时间": "30日", "时限": "30日"}


def leaves_unspecified(sentence: str, kinds: list[re.Pattern[str]] | None = None) -> bool:
    """The sentence names a quantity without fixing it (按照技术合同成交额的一定比例给予补助); with ``kinds``, a quantity
    of one of those kinds of figure (or of any kind: 按照国家有关规定)."""
    for m in _UNSPECIFIED.finditer(sentence):
        example = _LEFT_OPEN.get(m.group(1) or "")
        if kinds is None or example is None or any(p.search(example) for p in kinds):
            return True
    return False

# a worked example (计算示例：某企业…, 例如贷款300万元…, 以…为例) states the figures of a made-up case
# (opening the sentence: a rule that adds “例如…” after stating itself is still the rule)
_WORKED_EXAMPLE = re.compile(r"^[^，。；：]{0,6}?(?:示例|例如|比如|举例|又如|假设|某(?:企业|公司|银行|笔|家)|以[^，。；]{1,24}为例)")


def worked_example(sentence: str) -> bool:
    """The sentence works a made-up case through from its start: its figures are the case's, not a rule's."""
    return bool(_WORKED_EXAMPLE.search(sentence))


# a question whether an act is allowed, and a sentence that allows or forbids one (the composer quotes the latter for
# the former; answer/verdict.py reads which act a clause allows)
_ASKS_ALLOWED = re.compile(r"合规吗|允许吗|可以吗|行吗|行不行|能不能|可不可以|能否|可否|是否可以|违规吗|合法吗")
_STANCE_WORDS = re.compile(r"不得|不予|禁止|不允许|可以|允许|准予")


def asks_permission(question: str) -> bool:
    """The question asks whether an act is allowed (这样要求合规吗, 能不能只押一个)."""
    return bool(_ASKS_ALLOWED.search(asking(question)))


# what a rule allows only by way of exception (什么情况下才可以, 有哪些例外, 除外情形): its exception clause (…的除外,
# 另有规定) answers it, though it adds no word of the question's. A plain 什么情况下可以, or 什么条件才能 (eligibility),
# asks the conditions, which a rule states as its case (…的，可以…); 才 after a case says the act is otherwise barred.
# Not 除外资企业 (a word beginning with 外), 节假日除外的话 (the asker's own exception) or 无一例外
_ASKS_EXCEPTION = re.compile(r"(?<!无一)(?<!不)例外|除外(?=的?(?:情形|情况|条款)|[吗呢？?]|$)"
                             r"|(?:什么|哪些|哪种|何种)(?:样的)?(?:情况|情形)下?[^，,。；;？?]{0,12}?才(?:可以|能|允许|可(?!能)|行|会)")
_EXCEPTION_WORDS = re.compile(r"除外|另有(?:规定|约定)")


def asks_exception(question: str) -> bool:
    """The question asks when an act a rule restricts is allowed after all (什么情况下才可以, 有哪些例外情况)."""
    return bool(_ASKS_EXCEPTION.search(asking(question)))


def states_exception(sentence: str) -> bool:
    """The sentence makes an exception to its rule (…的除外, 合同另有约定)."""
    return bool(_EXCEPTION_WORDS.search(sentence))


def states_stance(sentence: str) -> bool:
    """The sentence allows or forbids something (不得要求…, 可以同时申请)."""
    return bool(_STANCE_WORDS.search(sentence))


# a number in Chinese numerals is one the question gives when a unit or measure word follows it (一年, 两件, 三百万, 五成);
# inside a word it is none (一般, 统一, 进一步, 万一, 两边), nor is an ordinal or 同一 (第一次, 同一笔: which one, not how many)
# (a rough count, 三百多万 or 十来天, still gives it; 一次性 is a word; 万一 is “if ever”, not an amount's last digit)
_DIGITS = "一二两三四五六七八九"
_CN_NUMBER = re.compile(rf"(?<![第同唯统])[{_DIGITS}十百千]+(?=(?:多|来|余)?(?:个月|小时|季度|[个件笔次张份户家项年月天日周万亿元倍成人名位岁期%％])(?!性))"
                        rf"|(?<=百分之)[{_DIGITS}十]+")
_WHAT_IF = re.compile(rf"(?<![\d{_DIGITS}十百千])万一")
_TENTHS = re.compile(rf"(?<![{_DIGITS}])(\d|[{_DIGITS}])成")
_APPROXIMATE = re.compile(rf"[{_DIGITS}]{{2}}")


def given_numbers(question: str) -> frozenset[str]:
    """The numbers a question states, in Arabic or Chinese numerals (两件 → 2, 一年 → 1)."""
    from assistant.dialogue.numbers import to_number

    # two digits side by side say a range (一两个月, 三四天), no number: 12 and 34 are none the asker gave
    spoken = (to_number(m) for m in _CN_NUMBER.findall(_WHAT_IF.sub("  ", question)) if not _APPROXIMATE.search(m))
    tenths = (to_number(m) for m in _TENTHS.findall(question))  # 三成 is 30%
    return (frozenset(_NUMBER.findall(question)) | {f"{n:g}" for n in spoken if n is not None}
            | {f"{n * 10:g}" for n in tenths if n is not None})


# A number as said (28号, 3.5, 百分之一, 三成, 好几十件, 两笔, 一次): digits, a share in words, or numeral characters that
# hold 几/两/数 or end in a measure word. By form: jieba's numeral tag also covers words that name things (首次, 第三方)
_NUMERALS = f"零{_DIGITS}十百千万"
_MEASURE = "个件笔次张份户家项"
_NUMERAL_SAID = re.compile(rf"[0-9]+(?:\.[0-9]+)?|(?:[百千万]|[{_DIGITS}十]+)分之[{_NUMERALS}几点]+|[{_NUMERALS}几]成"
                           rf"|好?[{_NUMERALS}几数]*[几两数][{_NUMERALS}几数]*[{_MEASURE}]?|[{_NUMERALS}]+[{_MEASURE}]")


def numerals_said(text: str) -> list[str]:
    """The numbers a text says, as said (28, 百分之一, 好几十件)."""
    return _NUMERAL_SAID.findall(text)


def counts(word: str, said: list[str]) -> bool:
    """A word inside a number said that holds a numeral itself (几十, 十件, 之一): it counts, it names nothing. The
    measure word alone (件 of 多少件) is the unit asked, not a count."""
    return any(word in n for n in said) and bool(_HAS_NUMERAL.search(word))


_HAS_NUMERAL = re.compile(rf"[0-9{_NUMERALS}几数]")


# Words that only ask for the figure: a passage stating a figure of the wanted kind answers them.
CUE_WORDS = frozenset({"比例", "比率", "百分比", "上限", "最高", "最多", "封顶", "多少", "额度", "期限", "时限", "多久", "多长时间", "长时间", "多长"})


# jieba joins a cue to the modal after it (最多能, 最高可): still only asking for the figure
_CUE_TAIL = re.compile(r"[能可要得会]$")


def is_cue(word: str) -> bool:
    return word in CUE_WORDS or (len(word) > 2 and _CUE_TAIL.search(word) is not None and word[:-1] in CUE_WORDS)


def cue_terms(terms: dict[str, float]) -> set[str]:
    return {t for t in terms if is_cue(t)}


# Which end of a range the question asks for. “保费最高能收到本金的百分之几” is answered by a ceiling (“不得超过贷款
# 本金的2%”), not by the floor another sentence of the same topic states (“赔付比例不低于50%”).
_ASKS_MAX = re.compile(r"最高|最多|上限|封顶|顶多|最长|最晚|不超过|不能超过")
_ASKS_MIN = re.compile(r"最低|最少|至少|起码|下限|最短|最早|不低于|不少于")
# a range (期限6个月至36个月) states both its ends
_RANGE_STATED = r"\d[^，。；\d]{0,4}(?:至|到|—|－|～|~|–)\s*\d"
_STATES_MAX = re.compile(rf"(?:不得?超过|不高于|最高|最多|上限为?|封顶|最长)[^，。；]{{0,16}}\d|\d[^，。；]{{0,8}}(?:以内|以下|为限)|{_RANGE_STATED}")
_STATES_MIN = re.compile(rf"(?:不得?低于|不少于|至少|最低|最少|最短)[^，。；]{{0,16}}\d|\d[^，。；]{{0,8}}以上|{_RANGE_STATED}")


def asks_an_end(word: str) -> bool:
    """The word asks for one end of a range (最长, 最多, 上限): what is asked of a subject, never the subject."""
    return bool(_ASKS_MAX.fullmatch(word) or _ASKS_MIN.fullmatch(word))


def bound(question: str) -> str | None:
    """“max” or “min” when the question asks for one end of a range, else None."""
    asked = asking(question)
    wants_max, wants_min = bool(_ASKS_MAX.search(asked)), bool(_ASKS_MIN.search(asked))
    return "max" if wants_max and not wants_min else "min" if wants_min and not wants_max else None


def states_bound(text: str, end: str | None) -> bool:
    """The text states a figure bounded at the asked end (不超过2% for “max”, 不低于50% for “min”)."""
    if end is None:
        return False
    return bool((_STATES_MAX if end == "max" else _STATES_MIN).search(text))


# A question for the office that handles something (“登记找哪个单位办？”) is answered by a sentence that names one
# (“…由国家知识产权局办理”), not by one that only shares its topic words.
_ASKS_OFFICE = re.compile(r"哪个(?:单位|部门|机构|机关)|哪(?:个|家)?(?:单位|部门)|什么(?:单位|部门|机构)|找谁|向谁|去哪|到哪|在哪(?:里|儿)?(?:办|登记|申请|交)")
_NAMES_OFFICE = re.compile(r"[\u4e00-\u9fff]{2,}(?:局|中心|委员会|管委会|办公室|代办处|窗口|服务大厅)")


def asks_office(question: str) -> bool:
    return bool(_ASKS_OFFICE.search(asking(question)))


def names_office(text: str) -> bool:
    return bool(_NAMES_OFFICE.search(text))
