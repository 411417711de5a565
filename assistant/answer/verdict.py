"""Yes/no questions about a condition get the conclusion first: “负债率72%能进白名单吗” → 不符合：资产负债率72%，
要求不高于70%[1]. Two deciders, both reading what the firm states in the question:
- a named product's rules (the matcher's, products/rules.py) and its accepted IP types, from the record;
- a policy's bounds, read from the clauses of the passages the answer cites: a stated figure (72%, 5个月, 4件) is
  compared with the bound on the same kind of quantity (不高于70%, 6个月以上, 3件以上) whose clause shares the most
  words with what the question says around the figure; a stated place with a clause that requires registration in
  a place (the gazetteer's hierarchy decides whether one lies within the other).
No bound found for a stated figure: no verdict, the answer stays as the passages give it.
"""

from __future__ import annotations

import calendar
import dataclasses
import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache

from dateutil.relativedelta import relativedelta

from assistant.answer.analysis import CHECKS_CLAIM
from assistant.answer.extractive import in_open_item, is_item, strip_lead, without_item_mark
from assistant.answer.parts import unmarked
from assistant.answer.types import Answer, Citation
from assistant.dialogue.numbers import NUM, normalise, to_number
from assistant.ingest.faq import answer_text, entry_questions, faq_question
from assistant.lexicon.ip_types import mentions
from assistant.lexicon.places import Place, gazetteer, levels_in
from assistant.products.schema import Product
from assistant.retrieval.answer_type import (
    A_NOT_A,
    asking,
    asks,
    clause_spans,
    clauses,
    given_numbers,
    without_dates,
    worked_example,
)
from assistant.retrieval.regions import registered_place

_UNIT = {"%": "%", "％": "%", "个百分点": "点", "百分点": "点", "个月": "月", "个半月": "月", "年": "年", "件": "件", "个": "件", "项": "件", "万元": "万", "万": "万",
         "亿元": "亿", "亿": "亿", "个工作日": "日", "日": "日", "天": "日", "笔": "笔"}
# “一笔贷款” is an article, not a count: a count of loans is said in figures (3笔) or from two up (两笔)
# the day of a date (2月1日) is no number of days
_FIGURE = re.compile(rf"(?!一笔)(?<![月\d.])({NUM})\s*(%|％|个百分点|百分点|个月|个半月|个工作日|年|件|项|个|万元|亿元|万|亿|天|日|笔)")
_LE = re.compile(r"不高于|不超过|不得超过|以下|以内|最多|最高|不大于|及以下")
# a share of a base (不得超过贷款本金的2%, 不低于评估值的40%): the bound word, the base, 的, then the figure
_SHARE_OF = re.compile(r"(不高于|不超过|不得超过|不大于|不低于|不少于|不得低于|低于|高于|超过)[\u4e00-\u9fff]{1,8}的$")
SHARE_REACH = 16  # characters before a share's figure where its bound word may stand
_GE = re.compile(r"不低于|不少于|至少|满|以上|达到|及以上|不短于")
_LT = re.compile(r"低于|少于|不足|未满|不到")
_GT = re.compile(r"超过|高于|大于|多于")
_PLEDGE = re.compile(r"押|质押|收|接受|认|用")
_YEAR_LIKE = re.compile(r"(?:19|20)\d{2}$")
_BORROWED_FOR = re.compile(r"[借贷]$")  # a time right after the verb of borrowing is how long the money is borrowed for
# words between an attribute and its figure (“负债率只有72%”, “期限是5个月”)
_FILLER = re.compile(r"只有|只|仅|才|就|是|了|约|大概|大约|有|为|达|到|共|一共|总共|差不多|左右|整整|足足|将近|正好|刚好|恰好|[^\u4e00-\u9fff]")


@dataclass
class Bound:
    op: str  # <= | >= | < | >
    value: float
    unit: str
    clause: str
    citation: int  # the [n] of the passage it comes from
    # the other clauses of an either-or condition (“拥有至少1件发明专利，或者3件以上实用新型”): failing this
    # one bound fails the condition only when each alternative fails too
    alternatives: tuple[str, ...] = ()
    after: str = ""  # what follows the figure in its clause (“内无严重失信记录”)
    barred: bool = False  # a window an act is barred in after a sanction (3年内不得再次申报)
    # what the clause bounds when it says only the figure (“不良率超过5%的，…；超过8%的，…”: 不良率, from the case before)
    named: str = ""
    then: str = ""  # the clause that follows a case the figure sets (“…超过8%的” → “同时暂停受理其补偿申请”)
    excludes: bool = False  # the case is one the rule leaves out or sanctions (…超过5%的，暂停…): its op is negated
    # an FAQ's yes or no on the case its question asks (问：不足6个月的能申请吗？答：不能。): the one verdict it can give,
    # on a figure inside that case; of a figure outside it, the entry says nothing
    only: bool | None = None
    # one end of a range the clause states (期限6个月至12个月): the other end, read off the same clause, bounds it too
    span: str = ""
    # what the list of conditions the clause belongs to governs (纳入风险补偿范围 in “纳入风险补偿范围的贷款应当同时
    # 符合下列条件：…（四）贷款期限不超过3年”): the bound is a condition of that, and of nothing else
    matter: str = ""
    following: str = ""  # the clause after the bound's own (…超过5%时，暂停其新增备案: what meeting it sets off)
    prior: str = ""  # the clause before the bound's own in the same sentence (…法定代表人…变更的，应当自变更之日起30日内…)

    @property
    def quantity(self) -> str:
        """The clause with what it bounds, when it leaves that to the clause before."""
        return f"{self.named}{self.clause}"

    @property
    def rule(self) -> Rule:
        return Rule(self.citation, self.clause, self.named)

    def before_figure(self) -> str | None:
        """What the clause says before its figure (None when the figure is not found as written)."""
        at = re.search(rf"(?<![\d.]){re.escape(f'{self.value:g}')}", self.clause)
        return self.clause[: at.start()] if at else None

    def holds(self, x: float) -> bool:
        return {"<=": x <= self.value, ">=": x >= self.value, "<": x < self.value, ">": x > self.value}[self.op]


@dataclass
class Stated:
    value: float
    unit: str
    text: str  # the figure as said
    context: str  # the words around it
    attribute: str  # what the figure measures: the words just before it (负债率, 期限, 成立)
    claimed: bool = False  # a value the question checks (“是不是只有3000万”), not a condition of the firm's
    after: str = ""  # what follows the figure (“以前有过一次”)
    # a share a benefit pays (能补到80%吗): no condition of the firm's either, and no bound (担保费率不超过1%) judges it;
    # which share applies depends on the firm's case, which a check against the first share stated would skip
    paid: bool = False


@dataclass(frozen=True)
class Rule:
    """A clause a verdict rests on: the [n] of its passage, the clause as the passage says it, and what it bounds when
    it leaves that to the case before it (不良率 for “超过8%的”)."""

    citation: int
    clause: str
    named: str = ""


@dataclass
class Verdict:
    ok: bool
    reasons: list[str] = field(default_factory=list)
    words: tuple[str, str] = ("符合", "不符合")  # how the conclusion is said: a condition met, or an act allowed (可以 / 不能)
    rules: list[Rule] = field(default_factory=list)  # the clauses of the passages that decide it
    sanction: bool = False  # it says whether a case a rule sanctions holds (不良率超过5%的，暂停…), not whether the firm may
    # what every reason given rests on, when a limit: "figure" (不超过70%: failing it is being over it), "time" (30日内,
    # 次月10日前: failing it is being late); "" otherwise
    limit: str = ""
    unjudged: bool = False  # a number the question gives was judged by no bound (“not over” would then claim too much)


def _bigrams(text: str) -> set[str]:
    han = re.sub(r"[^\u4e00-\u9fff]", "", text)
    return {han[i:i + 2] for i in range(len(han) - 1)}


# “近两年内无严重失信记录”: a window in which something must not have happened; “两年半以前有过一次”: it happened
# that long ago. The rule holds when the event lies outside the window.
_ABSENCE = re.compile(r"^(?:以内|之内|内)?[^，。；]{0,3}(?:无|没有|未)")
_AGO = re.compile(r"^(?:半)?(?:以前|之前|前)")
_WHETHER = re.compile(r"是否|还是")  # “是否仍是500万”: the figure is what is asked about
_IS_BEFORE = re.compile(r"是[^，。；]{0,2}$")  # “首贷企业比例是80%吗”
# the figures said before a closing check (“单户累计最多补300万，对吗？”) are what it checks
# (“…封顶30万，现在还是这样吗”, “…最多300万，现在变了没”: whether it still holds is a check too)
_STILL = r"(?:现在|目前|如今)?(?:还|仍然?|依然)?是?(?:这样|这个(?:数|标准|比例|数字|口径)?|这么多|如此)(?:吗|么|没|不)?|(?:现在)?(?:变|改|调整?)了(?:没有?|吗)"
_CHECKED_AFTER = re.compile(rf"^[^？?。]*[，,]\s*(?:对吗|对不对|对吧|是吗|没错吧|没错吗|是这样吗|是真的吗|真的吗|{_STILL})[？?。]?\s*$")


def stated_figures(question: str) -> list[Stated]:
    text = normalise(question)
    out = []
    for m in _FIGURE.finditer(text):
        value = to_number(m.group(1))
        if value is None or (m.group(2) == "年" and _YEAR_LIKE.match(m.group(1))):
            continue
        value += 0.5 if m.group(2) == "个半月" else 0  # “四个半月”
        before = text[max(0, m.start() - 10): m.start()]
        after = text[m.end(): m.end() + 6]
        if re.match(r"元?(?:以上)?的?那?部分", after):
            continue  # “超过500万的那部分”: a threshold the question quotes, not a figure of the firm's
        said = m.group(0)
        if _UNIT[m.group(2)] in ("年", "月") and after.startswith("半"):
            value, said = value + 0.5, f"{said}半"  # “两年半”
        said_before = re.split(r"[，,。；;、]", text[max(0, m.start() - 24): m.start()])
        attribute = _FILLER.sub("", said_before[-1])[-6:]
        if not attribute and len(said_before) >= 2:
            # “期限就半年，正好6个月”: a figure said on its own restates the clause before, which says what it measures
            attribute = _FILLER.sub("", said_before[-2])[-6:] + attribute
        if _UNIT[m.group(2)] == "件":  # a count says what it counts after it: “2件实用新型”
            attribute += re.split(r"[，,。；;、和及加与]", after)[0]
        if _AGO.match(after.lstrip("半")):  # “两年半以前有过一次严重失信”: what happened is said after the time
            attribute += re.split(r"[，,。；;？?]", text[m.end(): m.end() + 14])[0]
        if after.startswith("期") or (_UNIT[m.group(2)] in ("年", "月") and _BORROWED_FOR.search(attribute)):
            attribute += "期限"  # “3年期”, “12个月期”, “只借两个月”: the figure is a term
        elif _UNIT[m.group(2)] in ("万", "亿") and _BORROWED_FOR.search(attribute) and not _borrowed_before(text, m.start()):
            attribute += "额度"  # “能借500万”: the figure is the amount borrowed
        start, end = max(((a, b) for a, b in clause_spans(text) if a <= m.start()), default=(0, len(text)))
        # a figure the question checks (“是不是只有3000万”, “比例是80%吗”, “…最多补300万，对吗”) or recalls
        # (“看网上说…不超过500万元”) is no condition
        claimed = bool(CHECKS_CLAIM.search(text[start: m.start()]) or _WHETHER.search(text[start: m.start()])
                       or (_IS_BEFORE.search(text[start: m.start()]) and text[m.end(): end + 1].rstrip("？?").endswith("吗"))
                       or _CHECKED_AFTER.search(text[m.end():]))
        # a share of what is paid out (担保费能补到80%吗, 补贴比例能不能到60%) is the rule's own figure asked about
        paid = _UNIT[m.group(2)] == "%" and bool(_PAYOUT_SHARE.search(text[start: m.start()]))
        out.append(Stated(value, _UNIT[m.group(2)], said, before + after, attribute, claimed, after, paid))
    return out


def _borrowed_before(text: str, at: int) -> bool:
    """The sum at ``at`` is of a loan already taken (贷了600万, 已经借过1000万): 了 or 过 right after its verb of
    borrowing. Which loan a question asks about is then the one it plans (还想再贷500万), or none."""
    return bool(re.search(r"[借贷](?:了|过)[^，,。；;\d]{0,2}$", text[max(0, at - 6): at]))


_OR = re.compile(r"^(?:或者|或是|或)")
_CAP = re.compile(r"最高|最多|封顶|上限")
# the share a benefit pays, said before the figure: 补到, 贴息比例, 补贴能按, 补助的比例能到
_PAYOUT_SHARE = re.compile(r"(?:补|贴|补偿|赔付?)(?:助|贴|息)?(?:的)?(?:比例|成数)?(?:能|可以|可|会|是|就)?(?:不能)?(?:按|到|达到|给到|补到|拿到)?$")
_PAYOUT = re.compile(r"补贴|补助|贴息|补偿|奖励|赔付")


def _alternatives(said: list[str], i: int) -> tuple[str, ...]:
    """The clauses of the either-or run that clause i belongs to: it and its neighbours joined by a leading 或者."""
    start = i
    while start > 0 and _OR.match(said[start]):
        start -= 1
    end = i + 1
    while end < len(said) and _OR.match(said[end]):
        end += 1
    run = said[start:end]
    return tuple(c for c in run if c != said[i]) if len(run) > 1 else ()


# said right before a figure (超过, 达到或超过)
_OPERATORS = re.compile(f"(?:{'|'.join(p.pattern for p in (_LE, _GE, _LT, _GT))}|[或及])+$")


# words that may stand before a case's figure without naming what it bounds (“在8%以上的”, “其中超过8%的”)
_CASE_FILLER = re.compile(r"^(?:其中|[在或对及和与为])+")


# an FAQ answer that is a plain yes or no to its question (答：不能。 答：可以，…): its whole first clause
_YES_OR_NO = re.compile(r"^(?:(不能|不可以|不行|不予|不符合|否|不属于|不是|无法|不支持|不用|不需要)|(可以|能|是的|是|行|符合|属于))"
                        r"(?:[。，,；;！!]|$)")


def bounds(text: str, n: int) -> list[Bound]:
    """The bounds a passage sets. An FAQ entry's are its answer's; an answer that states none but a plain yes or no
    (答：不能。) answers its one question's one case (问：贷款期限不足6个月的能申请贴息吗？): a figure inside that case
    gets that answer, one outside it nothing."""
    answer = answer_text(text)
    found = _bounds(answer, n)
    asked = (faq_question(text) or "") if not found else ""
    verdict = _YES_OR_NO.match(strip_lead(answer.strip())) if asked and text.count("问") == 1 else None
    if verdict is None:
        return found
    case = [b for b in _bounds(re.sub(r"[？?]", "。", asked), n) if not b.barred and not b.excludes]
    if len(case) != 1:
        return found  # two conditions asked together (不足6个月且超过500万): the answer is on both at once
    yes = verdict.group(2) is not None
    b = case[0]
    return [dataclasses.replace(b, op=b.op if yes else _NEGATED[b.op], excludes=not yes, only=yes)]


# a range (期限6个月至12个月, 单户50万至300万元, 年化3.4%–4.2%): a floor and a ceiling. Measures only: a count range
# (40至120个基点) counts something else, and years and days of dates (2021—2023年) are no quantity of the firm's
_RANGE = re.compile(rf"(?<![\d.年月])({NUM})\s*(%|％|个月|年|万元|万|亿元|亿)?\s*(?:至|到|—|－|-|～|~|–)\s*({NUM})\s*(%|％|个月|年|万元|万|亿元|亿)")


_USUALLY = re.compile(r"(?:多为|多在|大多|一般|通常|约|大约|大概|平均|常见)[^，。；]{0,2}$")


def _range_bounds(clause: str, n: int, alternatives: tuple[str, ...]) -> tuple[list[Bound], list[tuple[int, int]]]:
    """The floor and ceiling of each range the clause states, and where they stand (the figures there set no other bound)."""
    out: list[Bound] = []
    where: list[tuple[int, int]] = []
    for m in _RANGE.finditer(clause):
        low, high = to_number(m.group(1)), to_number(m.group(3))
        unit = _UNIT[m.group(4)]
        if low is None or high is None or low >= high or (m.group(2) and _UNIT[m.group(2)] != unit):
            continue
        if unit == "年" and (_YEAR_LIKE.match(m.group(1)) or _YEAR_LIKE.match(m.group(3))):
            continue  # 2021—2023年: calendar years
        if _USUALLY.search(clause[: m.start()]):
            continue  # “期限多为1—3年”, “一般5—7个工作日”: what is usual, no bound a firm must meet
        said = m.group(0)
        out += [Bound(">=", low, unit, clause, n, alternatives, span=said), Bound("<=", high, unit, clause, n, alternatives, span=said)]
        where.append(m.span())
    return out, where


# the head of a list of conditions: what must meet them (申请贴息的企业, 合作银行), then 应当同时符合下列条件
LIST_WORDS = r"下列|以下|如下"  # what introduces a list (应当同时符合下列条件, 应当提交以下材料)
CONDITIONS_HEAD = re.compile(rf"([^。；;：:\n]{{2,40}}?)(?:应当|应|须|必须|需)?(?:同时)?(?:符合|具备|满足)(?:{LIST_WORDS})(?:条件|要求)")


def matter_at(heads: list[re.Match[str]], at: int) -> str:
    """What the conditions listed before ``at`` are conditions of (``heads``: the passage's list heads): the head's
    qualifier (申请贴息 of 申请贴息的企业), or the head's subject when it has none (合作银行); empty outside such a list."""
    before = [m for m in heads if m.end() <= at]
    if not before:
        return ""
    subject = strip_lead(before[-1].group(1)).strip()
    return subject.rsplit("的", 1)[0] if "的" in subject else subject


def _bounds(text: str, n: int) -> list[Bound]:
    out: list[Bound] = []
    normal = normalise(text)
    said = clauses(normal)
    spans = clause_spans(normal)
    heads = list(CONDITIONS_HEAD.finditer(normal))
    subject = ""  # what the sentence's last case bounds, for a case that says only its figure
    for i, clause in enumerate(said):
        new_sentence = bool(i and re.search(r"[。！？\n]", normal[spans[i - 1][1]: spans[i][0]]))
        if new_sentence:
            subject = ""
        prior = said[i - 1] if i and not new_sentence else ""  # the clause before, in the same sentence
        ranged, taken = _range_bounds(clause, n, _alternatives(said, i))
        out += [dataclasses.replace(b, matter=matter_at(heads, spans[i][0])) for b in ranged]
        for m in _FIGURE.finditer(clause):
            value = to_number(m.group(1))
            if value is None or any(a <= m.start() < b for a, b in taken):
                continue
            before, after = clause[max(0, m.start() - 6): m.start()], clause[m.end(): m.end() + 6]
            if m.group(2) in ("%", "％") and (share := _SHARE_OF.search(clause[max(0, m.start() - SHARE_REACH): m.start()])):
                before = share.group(1)  # “年费率不得超过贷款本金的2%”: the bound word stands before the base of the share
            if after.startswith("期"):
                continue  # “一年期贷款市场报价利率” names a maturity class; it bounds nothing
            if re.search(r"[（(]含$", before):
                continue  # “不超过3年（含3年）”: the bound's own inclusion, no bound of its own
            if _UNIT[m.group(2)] in ("万", "亿") and _CAP.search(before) and _PAYOUT.search(clause):
                continue  # “每家企业每年最高20万元”: what is paid out at most, no condition a firm's figure meets
            op = (
                "<=" if _LE.search(before) or re.match(r"[（(]?含?[）)]?(?:以下|以内|及以下|内)", after) else
                ">=" if _GE.search(before) or re.match(r"[（(]?含?[）)]?(?:以上|及以上)", after) else
                "<" if _LT.search(before) else ">" if _GT.search(before) else None
            )
            barred = bool(_BARRED.match(clause[m.end():]))
            excludes = bool(op) and (barred or bool(_EXCLUDED.match(clause[m.end():] + "，" + (said[i + 1] if i + 1 < len(said) else ""))))
            if op and excludes:
                op = _NEGATED[op]  # “超过3年的部分不纳入补偿”, “费率超过1%的，不予补助”: the figure says what is left out
            if op:
                case = clause.endswith("的") and i + 1 < len(said)
                own = _CASE_FILLER.sub("", _OPERATORS.sub("", clause[: m.start()].strip())).strip()
                # only a case after a case of the same sentence (…超过5%的，…；超过8%的，…) leaves its quantity to it
                named = subject if case and not own else ""
                subject = (own or subject) if case else ""
                out.append(Bound(op, value, _UNIT[m.group(2)], clause, n, _alternatives(said, i), after, barred, named,
                                 said[i + 1] if case else "", excludes and not barred, matter=matter_at(heads, spans[i][0]),
                                 following=said[i + 1] if i + 1 < len(said) else "", prior=prior))
    return out


# what a rule leaves out, right after its figure: the case it excludes, not a condition to meet, or a sanction it sets
# off, said after who imposes it (“不良率超过5%的，省知识产权局暂停其新增贷款备案”; “合作满3年的，可以取消保证金” is a benefit)
_EXCLUDED = re.compile(r"^[^，。；]{0,6}?的[^，。；]{0,6}?[，,]?[^，。；]{0,8}?(?:不予|不得|不纳入|不能|不再|不列入|不属于|不享受|不适用|不计入"
                       r"|(?<!可以)(?<![可准])(?:暂停|取消|停止|撤销|移出))")
# a window an act is barred in after a sanction (“3年内不得再次申报”): a bound on the time since that sanction, never
# a deadline counted from the question's own events
_BARRED = re.compile(r"^(?:内|以内|之内)(?:不得|不予|不能|不再)")
_NEGATED = {"<=": ">", ">=": "<", "<": ">=", ">": "<="}


_PLAIN = frozenset("的了过着有是在为和与及或等我们你他这那个")  # 过 and 着 mark aspect (贷过): no quantity shares them
# a figure's unit (3年, 6个月, 10个工作日) says nothing of what is measured; 今年 and 每年 name a period
_UNIT_SAID = re.compile(r"[\d.]+\s*(?:个)?(?:工作日|年|月|日|天|号)")


def _chars(text: str) -> set[str]:
    return {ch for ch in _UNIT_SAID.sub("", text) if "\u4e00" <= ch <= "\u9fff" and ch not in _PLAIN}


def _same_quantity(attribute: str, clause: str) -> bool:
    """The clause bounds what the question's figure measures: they share a word, or two of its characters (“中间断了”
    and “中断超过12个月”)."""
    own = _chars(attribute)
    return bool(_bigrams(attribute) & _bigrams(clause)) or len(own & _chars(clause)) >= 2 or _root_named(own, clause)


_NUMERAL = re.compile(r"[\d一二两三四五六七八九十半]")
# what a count's bound says after its number before naming the thing counted (两个以上的申请人)
_COUNT_LEAD = re.compile(r"^(?:及|或)?(?:以上|以下|以内|之内|内)?的?")
COUNTED_CHARS = 8  # characters of a bound's item (or of the question after its count) that name the thing counted


def _counts_same(stated: Stated, bound: Bound) -> bool:
    """A count stated (一项专利) is bounded only by a count of the same thing: a bound that names what it counts right
    after its number (两个以上的申请人) counts that, not patents; of a listed bound (3件以上有效实用新型专利、计算机软件著作权)
    any item. Words are compared as the tokenizer folds them (软著 is 软件著作权). True for other units, or where
    either names nothing."""
    from assistant.retrieval.tokenizer import get_tokenizer

    if stated.unit != "件":
        return True
    tok = get_tokenizer()
    said = {w for w in tok.words(stated.after[:COUNTED_CHARS // 2]) if len(w) >= 2}
    at = bound.clause.find(bound.after) if bound.after else -1
    tail = bound.clause[at:] if at >= 0 else bound.after  # the bound keeps a few characters; its clause says the rest
    segment = re.split(r"[，。；：,;:]", _COUNT_LEAD.sub("", tail), maxsplit=1)[0]
    items = [item[:COUNTED_CHARS] for item in segment.split("、") if item]
    counted = {w for item in items for w in tok.words(item) if len(w) >= 2}
    return not said or not counted or bool(said & counted)


def _root_named(own: set[str], clause: str) -> bool:
    """A one-character attribute (断了整整12个月 → 断) is named by a word of the clause built on it (中断), not by a
    word of the figure itself (近 of 近两年)."""
    from assistant.retrieval.tokenizer import get_tokenizer

    if len(own) != 1:
        return False
    (ch,) = own
    return any(ch in w and len(w) >= 2 and not _NUMERAL.search(w) for w in get_tokenizer().cut(clause))


# a time counted back from an event (放款前10个月, 发放日之前12个月) or on from it (发放之日起6个月, 放款后3个月)
_BACK = re.compile(r"前$")
_ON = re.compile(r"(?:起|后|以来)$")


def _direction(before: str) -> str | None:
    before = before.rstrip(" 第")
    return "back" if _BACK.search(before) else "on" if _ON.search(before) else None


def _bound_direction(b: Bound) -> str | None:
    before = b.before_figure()
    return _direction(before) if before is not None else None


def _same_direction(stated: Stated, b: Bound) -> bool:
    """Both count the same way from an event, where both say: 10 months before the loan is not 6 months after it."""
    mine, theirs = _direction(stated.attribute), _bound_direction(b)
    return mine is None or theirs is None or mine == theirs


def _compare(stated: Stated, found: list[Bound], asked: str = "") -> tuple[bool, Bound] | None:
    """The bound on the same kind of quantity whose clause shares most with what the question says around it (and
    whose consequence, with what the question ``asked``)."""
    words = _bigrams(stated.context)
    # “有一件专利申请还没授权”: 一 before a measure word is often an article, not a count; as one it meets every
    # ceiling (一份申请表列明的专利一般不超过50件), which says nothing of what is asked. A floor (至少1件) it may fail
    article = stated.value == 1 and stated.text.startswith("一") and stated.unit in ("件", "笔")  # a count, not 一年
    scored = [(len(words & _bigrams(b.quantity)), b) for b in found
              if b.unit == stated.unit and _same_quantity(stated.attribute, b.quantity) and _same_direction(stated, b)
              and _counts_same(stated, b) and not (article and b.op in ("<=", "<"))]
    own = _chars(stated.attribute)
    scored = [(s, b) for s, b in scored if s > 0 or len(own & _chars(b.quantity)) >= 2 or _root_named(own, b.quantity)]
    if not scored:
        return None
    top = max((s, -b.citation) for s, b in scored)
    leading = [b for s, b in scored if (s, -b.citation) == top]  # the best ranked passage's, as it ranks them
    best = leading[0]
    # the cases its rule leaves out on the quantity alike (超过5%的，暂停备案；超过8%的，暂停受理补偿申请): those whose
    # consequence is the act asked decide, and any of them failing fails (超过70%的不予贴息 holds for 首贷贴息 too)
    act = _bigrams(asked)
    cases = [b for b in leading if b.excludes and act & _bigrams(b.then)]
    if cases:
        failing = [b for b in cases if not b.holds(stated.value)]
        best = failing[0] if failing else cases[0]
    if best.span:  # a range: the figure must meet both its ends
        best = next((b for b in scored_bounds(leading, best) if not b.holds(stated.value)), best)
    if _window_of_absence(stated, best):
        return stated.value > best.value, best  # the event lies outside the window of absence
    if best.only is not None and best.holds(stated.value) is not best.only:
        return None  # a figure outside the case an FAQ answers
    return best.holds(stated.value), best


def scored_bounds(leading: list[Bound], end: Bound) -> list[Bound]:
    """Both ends of the range ``end`` belongs to, of the bounds ranked alike."""
    return [b for b in leading if b.span == end.span and b.clause == end.clause and b.citation == end.citation]


def _window_of_absence(stated: Stated, bound: Bound) -> bool:
    return bool(_AGO.match(stated.after) and _ABSENCE.match(bound.after))


# “2025年1月20号”, “2024年12月”, “7月10号”; “今天”/“现在” is the date said beside it, or today
# a part of the month (6月下旬, 3月底; not 初 in 5月初审 or 末 in 6月末次付息)
_DATE = re.compile(r"(?:(\d{4})年)?(\d{1,2})月(?:份)?(?:(\d{1,2})[日号]|(上旬|中旬|下旬|初(?![审次步始稿])|中(?=旬)|底|末(?!次)))?")
# a part of the month: the day it is read as, and its first and last day (0: the month's last day, negative: counted back)
_PART_OF_MONTH = {"初": (1, 1, 10), "上旬": (5, 1, 10), "中旬": (15, 11, 20), "下旬": (25, 21, 0), "底": (0, -5, 0), "末": (0, -5, 0)}
_NOW = re.compile(r"今天|现在|目前|如今|眼下")
# an asking clause that asks whether an act is late or still possible, which is asked of today
_ASKS_IF_LATE = re.compile(r"来得及|赶得上|赶得及|晚了|迟了|超期|过期|逾期了|超时|还能|还可以|还可|还行|还作数|还算数|还有效"
                           r"|拖过|拖延|是不是(?:就|已经)?(?:算|当|视为)")  # or whether lateness has its consequence (是不是就算撤回了)
_NOT_YET = re.compile(r"还没|尚未|还未|一直没|至今没|迟迟没|到现在没")
# a year said relative to today, right before the month (“去年2月出的”, “今年3月底放款”)
_RELATIVE_YEAR = re.compile(r"(前年|去年|今年|明年)[^\d，。？]{0,1}$")
_NEXT_YEAR = re.compile(r"(?:次年|第二年|转年)[^\d，。？]{0,1}$")
_YEAR_OFFSET = {"前年": -2, "去年": -1, "今年": 0, "明年": 1}
YEAR_TURN_MONTHS = 9  # a yearless date this many months before the one said just before it is in the next year
_RECURRING = re.compile(r"每年|每季度?|每月|每半年|每个月")


@dataclass
class Dated:
    day: dt.date
    text: str
    event: str  # what the question says happened on it: its clause without the date (“放的款”)
    now: bool = False  # the day the question calls today: the asked act happens on it
    # a month said without a day, or a part of one (下旬), is a range of days: its first and last (the day itself when
    # one is said)
    earliest: dt.date | None = None
    latest: dt.date | None = None

    def ends(self) -> tuple[dt.date, dt.date]:
        return self.earliest or self.day, self.latest or self.day


_SAME_DAY = re.compile(r"^(?:当天|当日|同一天|同日|那天)")


def _event(question: str, start: int, end: int) -> str:
    """The clause around a date, the date left out, with the clauses after it that say what else happened that day
    (12月1号提交了，当天就显示受理)."""
    spans = clause_spans(question)
    for i, (a, b) in enumerate(spans):
        if a <= start < b:
            more = "".join(question[x:y] for x, y in spans[i + 1:i + 2] if _SAME_DAY.match(question[x:y].strip()))
            return question[a:start] + question[end:b] + more
    return ""


def _days_said(year: int, month: int, day: str | None, part: str | None) -> tuple[dt.date, dt.date | None, dt.date | None] | None:
    """The day a date is read as, with its first and last day when it names a range: a month said without a day is
    all of its days, a part of a month its part (None for no such date: 13月, 2月30号)."""
    if not 1 <= month <= 12:
        return None
    end = calendar.monthrange(year, month)[1]
    try:
        if day:
            return dt.date(year, month, int(day)), None, None
        read, first, last = _PART_OF_MONTH[part] if part else (1, 1, end)
        return (dt.date(year, month, read or end), dt.date(year, month, first if first > 0 else end + first),
                dt.date(year, month, last or end))
    except ValueError:
        return None


# a day said without its month (“12月1号收到，10号再告诉银行”): in the month of the date said before it. Not a
# number of days (30日内, 超过30日), nor a designation (第20号, 3号文件, 1号窗口)
_DAY_ALONE = re.compile(r"(?<![\d月.第])(\d{1,2})[日号](?![\d内前后起以之左多])")
_DAYS_COUNTED = re.compile(r"(?:超过|不超过|满|不满|未满|共|一共|过了|多于|少于|不到|不足|第|按|内)$")


def _with_days_of_month(question: str, dated: list[Dated]) -> list[Dated]:
    """The dates said, with each day said alone after a full date: in that date's month, or the month after when
    its day is earlier (28号 then 3号)."""
    from assistant.retrieval.tokenizer import get_tokenizer

    tok = get_tokenizer()
    taken = [(question.find(d.text), question.find(d.text) + len(d.text)) for d in dated]
    out = list(dated)
    for m in _DAY_ALONE.finditer(question):
        if any(a <= m.start() < b for a, b in taken) or _DAYS_COUNTED.search(question[max(0, m.start() - 3): m.start()]):
            continue
        following = tok.cut(question[m.end(): m.end() + 4])
        if following and tok.noun(following[0]):
            continue  # 3号文件, 1号窗口: a number naming a thing
        before = [d for d, (a, _b) in zip(dated, taken, strict=True) if 0 <= a < m.start() and d.earliest is None]
        if not before or any(a > m.start() for a, _b in taken):
            continue  # only the last day said, after a full date: one between two full dates would split their span
        last = before[-1].day
        month_start = last.replace(day=1) if int(m.group(1)) >= last.day else last.replace(day=1) + relativedelta(months=1)
        try:
            day = month_start.replace(day=int(m.group(1)))
        except ValueError:
            continue
        out.append(Dated(day, m.group(0), _event(question, m.start(), m.end())))
    return sorted(out, key=lambda d: question.find(d.text))


def stated_dates(question: str, today: dt.date | None = None) -> list[Dated]:
    """The dates a question states, in order; a date without a year takes the latest year said before it, a month
    without a day its first day, from the 1st to its last (a part of the month, a day in it and the part's first and
    last day: 6月下旬 → the 25th, from the 21st to the month's end; 3月底 → its last day, from five days before), and
    “今天” with no date beside it is today. What happens “today” is what is asked (“还来得及申请…吗”)."""
    today = today or dt.date.today()
    out: list[Dated] = []
    year: int | None = None
    for m in _DATE.finditer(question):
        relative = _RELATIVE_YEAR.search(question[max(0, m.start() - 3): m.start()]) if not m.group(1) else None
        said_year = int(m.group(1)) if m.group(1) else today.year + _YEAR_OFFSET[relative.group(1)] if relative else None
        if not m.group(1) and out and _NEXT_YEAR.search(question[max(0, m.start() - 4): m.start()]):
            said_year = out[-1].day.year + 1  # “12月20日发放，次年1月8日报”: the year after the date before
        elif not said_year and out and out[-1].day.month - int(m.group(2)) >= YEAR_TURN_MONTHS and not relative:
            said_year = out[-1].day.year + 1  # “12月28号收到…1月6号才补”: told in order, the year has turned
        if said_year:
            year = max(year or 0, said_year)  # “2025年1月…2024年12月…今天7月10号”: today is in 2025
        days = _days_said(said_year or year or today.year, int(m.group(2)), m.group(3), m.group(4))
        if days is None:
            continue
        when, earliest, latest = days
        out.append(Dated(when, m.group(0), _event(question, m.start(), m.end()), earliest=earliest, latest=latest))
    out = _with_days_of_month(question, out)
    asked = asking(question)
    nows = [(m, next((d for d in out if m.end() <= question.find(d.text, m.end()) <= m.end() + 2), None)) for m in _NOW.finditer(question)]
    # “今天都10月15号了。现在再去报…”: the date the question calls today is what every 现在 of it means
    said_today = next((d for _m, d in nows if d is not None), None)
    for m, beside in nows:
        if beside is not None:  # “今天7月10号了”: that date is today, and today is when the asked act happens
            beside.event = f"{beside.event}{asked}"
            beside.now = True
        elif said_today is not None:
            said_today.event = f"{said_today.event}{_event(question, m.start(), m.end())}"
        else:
            out.append(Dated(today, m.group(0), f"{_event(question, m.start(), m.end())}{asked}", now=True))
    not_yet = _not_yet_before(question, asked)
    if (out and not nows and not_yet and _ASKS_IF_LATE.search(asked) and all(d.day <= today for d in out)
            and not any(d.text in asked for d in out)):
        # “12月1号改了名，还没报告，晚了吗”: an act not yet done, asked whether it is late, is asked of today, said or not;
        # what happens today is that act
        out.append(Dated(today, "今天", f"{not_yet}{asked}", now=True))
    return out


def _not_yet_before(question: str, asked: str) -> str:
    """The clause saying an act is not yet done (还没报告服务中心), when it is the asking clause or the one right before
    it, without a date of its own; "" otherwise (银行还没回复，…11月30号已告知，晚了吗: the act asked was done)."""
    said = clauses(question)
    at = next((i for i, c in enumerate(said) if c and c in asked), len(said) - 1)
    for c in said[max(0, at - 1): at + 1]:
        if _NOT_YET.search(c) and not _DATE.search(c):
            return c
    return ""


@dataclass
class Span:
    first: Dated
    then: Dated

    @property
    def days(self) -> int:
        return (self.then.day - self.first.day).days

    def as_unit(self, unit: str) -> float:
        """The span in days, or in calendar months and years (3月31日 to 9月30日 is 6 months, not 6.01)."""
        if unit == "日":
            return float(self.days)
        step = relativedelta(self.then.day, self.first.day)
        months = step.years * 12 + step.months + step.days / calendar.monthrange(self.then.day.year, self.then.day.month)[1]
        return months if unit == "月" else months / 12

    def workdays(self) -> tuple[int, bool]:
        """The working days after the first date up to the second, and whether the official calendar (holidays and
        make-up working days) covered them all; outside it, Monday to Friday."""
        return working_days(self.first.day, self.then.day)

    def extremes(self) -> list[Span]:
        """The shortest and the longest span the dates allow (a part of a month is a range of days)."""
        (a, b), (c, d) = self.first.ends(), self.then.ends()
        return [Span(dataclasses.replace(self.first, day=b), dataclasses.replace(self.then, day=c)),
                Span(dataclasses.replace(self.first, day=a), dataclasses.replace(self.then, day=d))]

    def said(self, unit: str) -> str:
        amount = {"月": f"约{self.as_unit('月'):.1f}个月", "日": f"共{self.days}天", "年": f"约{self.as_unit('年'):.1f}年"}[unit]
        return f"从{self.first.text}到{self.then.text}{amount}"


def working_days(after: dt.date, until: dt.date) -> tuple[int, bool]:
    """Working days in (after, until], by the State Council's calendar where ``chinese_calendar`` has the year, else
    Monday to Friday; and whether every day was read from that calendar."""
    import chinese_calendar

    count, official = 0, True
    day = after
    while day < until:
        day += dt.timedelta(days=1)
        try:
            count += chinese_calendar.is_workday(day)
        except NotImplementedError:
            official = False
            count += day.weekday() < 5
    return count, official


def elapsed(question: str, today: dt.date | None = None) -> list[Span]:
    """The time between each two dates the question states, earlier to later (“评估报告是2023年11月做的，贷款2025年2月
    才放下来” → 15个月)."""
    # a recurring window (“每年6月1日到6月30日报”) is a calendar, not the time between two things that happened
    dates = sorted((d for d in stated_dates(question, today) if not _RECURRING.search(d.event)), key=lambda d: d.day)
    asked = asking(question)
    # two dates both of the act asked (“今年3月能报…吗” and “到现在”) span no time between two things that happened
    def of_asked(d: Dated) -> bool:
        return asked in d.event or asked.replace(d.text, "", 1) in d.event

    return [Span(a, b) for a, b in zip(dates, dates[1:], strict=False)
            if (b.day - a.day).days > 0 and not (of_asked(a) and of_asked(b))]


# the event a time limit counts from: what the clause says before 之日起 (贷款自发放之日起6个月内 → 贷款自发放), and of
# that, what follows its 自 or 从 (发放)
_COUNTED_FROM = re.compile(r"([^，,。；;]{1,24}?)(?:之日起|起算)")


def _event_verbs(text: str) -> set[str]:
    """The characters of what a text says was done (放 in 放的款, 发 and 放 in 贷款发放, 满 in 逾期满90天): its verbs,
    adjectives and words no dictionary tags, not its nouns (verbal ones too: 评估), times and numbers (贷款, 今年) nor
    the verbs of being and of need."""
    from assistant.retrieval.tokenizer import STOPWORDS, get_tokenizer

    tok = get_tokenizer()
    done = [w for w in tok.cut(text) if w not in STOPWORDS and not tok.noun(w)
            and (tok.verb(w) or tok.adjective(w) or not tok.in_dictionary(w))]
    return {ch for w in done for ch in w if "\u4e00" <= ch <= "\u9fff" and ch not in _PLAIN}


def _counted_act(said: str, marks: str) -> str:
    """What a limit counts from, after the last of its ``marks`` (贷款自发放 → 发放); all of it when none is said."""
    return said[max(said.rfind(mark) for mark in marks) + 1:]


def _counted_from(event: str, clause: str) -> bool:
    """The clause's time limit counts from the event said: what was done is the event's own (放的款 and
    自贷款发放之日起, 出的 and 评估报告自出具之日起), not another act of the same loan (自受理贷款申请之日起, 自合同签订之日起)."""
    said = _event_verbs(event)
    if not said:
        return True  # the event names no act (3月15号的贷款): nothing tells the limit's act from another
    for m in _COUNTED_FROM.finditer(clause):
        event = _counted_act(m.group(1), "自从")
        # an event named by a verbal noun alone (自债务清偿之日起) is said by its characters (还清 for 清偿)
        if said & (_event_verbs(event) or _chars(event)):
            return True
    return False


def _span_bound(span: Span, found: list[Bound]) -> Bound | None:
    """The bound on a span: a time bound whose clause speaks of what happened on both its dates (“评估报告出具日期在
    贷款发放日之前12个月以内” for a report and a loan), the one sharing most words with them."""
    # the span starts at its first event (“3月10号逾期满90天”): a bound of that event's own figure (逾期满90天) says what
    # happened then, not how long may pass after it (自逾期满90天之日起6个月内)
    own = {(f.value, f.unit) for f in stated_figures(span.first.event)}
    fits = [b for b in found if b.unit in ("月", "日", "年") and not b.barred
            and _same_quantity(span.first.event, f"{_counts_from_case(b)}{b.clause}")
            and _bounds_span(b, span) and (b.value, b.unit) not in own]
    words = _bigrams(span.first.event + span.then.event)
    return max(fits, key=lambda b: len(words & _bigrams(b.clause)), default=None)


def _counts_from_case(b: Bound) -> str:
    """What the event a bound's limit counts from is said of, in the clause before it: the case whose act it counts
    from (…重大事项变更的，应当自变更之日起30日内), or what the sentence is about (追回的资金扣除…后，…在收回之日起15个
    工作日内返还); "" when the limit counts from no event, or from another act than its case's."""
    if not b.prior:
        return ""
    for m in _COUNTED_FROM.finditer(b.clause):
        act = _counted_act(m.group(1), "自从在") if re.search("[自从在]", m.group(1)) else ""  # 在收回之日起 too
        # the case ends on the act, or on its last word (…债务已经全部清偿的 for 自债务清偿之日起)
        if act and (not b.prior.endswith("的") or b.prior.removesuffix("的").endswith(act[-2:])):
            return b.prior
    return ""


_BACK_FROM = re.compile(r"^(.*?)(?:之前|以前|前)")


def _counted_back_from(event: str, b: Bound) -> bool:
    """The bound counts back from the event said (评估报告出具日期在贷款发放日之前12个月以内, for a loan), not from the act
    asked today (申请之日前12个月内发放)."""
    before = b.before_figure()
    anchor = _BACK_FROM.match(b.clause if before is None else before)
    if anchor is None:
        return False
    said = _event_verbs(event)
    return bool(said & _event_verbs(anchor.group(1))) if said else _same_quantity(event, anchor.group(1))


def _bounds_span(b: Bound, span: Span) -> bool:
    """A time bound speaks of the span: a limit counted from an event (…之日起) when that is the span's first event,
    and then of the act done at its end, or of anything asked today (自逾期满90天之日起6个月内提出申请); any other bound
    when it speaks of both events, but not one counted back from an event (贷款发放日之前12个月以内) for the time from
    that event until today."""
    if _COUNTED_FROM.search(b.clause):
        return _counted_from(span.first.event, b.clause) and (
            _same_quantity(span.then.event, b.clause) or _act_verb_in(span.then.event, b.clause) or (span.then.now and b.op == "<="))
    if span.then.now and _bound_direction(b) == "back" and _counted_back_from(span.first.event, b):
        return False
    return _same_quantity(span.then.event, b.clause)


# a deadline on the calendar counted from an event's month (发放后次月10日前, 当月25日前, 次年3月31日前)
_CALENDAR = re.compile(r"(次月|当月|次年(\d{1,2})月)(\d{1,2})[日号](?:前|之前|以前)")


def _calendar_due(span: Span, cited: list[Citation]) -> tuple[dt.date, str, int] | None:
    """The last day a rule's calendar deadline allows for the later act of a span, counted from its earlier event, when
    the rule's sentence speaks of both: (that day, the rule's words, its citation)."""
    from assistant.answer.extractive import sentences

    for c in cited:
        for sentence in sentences(c.text):
            m = _CALENDAR.search(sentence)
            if m is None or not (_same_quantity(span.first.event, sentence) and _same_quantity(span.then.event, sentence)):
                continue
            start = span.first.day
            year, month = ((start.year, start.month) if m.group(1) == "当月" else
                           (start.year + start.month // 12, start.month % 12 + 1) if m.group(1) == "次月" else
                           (start.year + 1, int(m.group(2))))
            try:
                day = dt.date(year, month, int(m.group(3)))
            except ValueError:
                continue
            said = next((x for x in clauses(sentence) if _CALENDAR.search(x)), m.group(0))
            return day, without_item_mark(said), c.n
    return None


# a window on the calendar that recurs: each year (每年5月1日至5月31日申报, 每年3月至4月申报) or each quarter (每季度首月15日前)
_YEARLY_DAYS = re.compile(r"每年(\d{1,2})月(\d{1,2})日(?:至|到|—|－|-|～)(\d{1,2})月(\d{1,2})日")
_YEARLY_MONTHS = re.compile(r"每年(\d{1,2})月(?:至|到|—|－|-|～)(\d{1,2})月")
_QUARTERLY = re.compile(r"每(?:个)?季度首月(\d{1,2})日(?:前|之前|以前)")
_ASKS_IN_TIME = re.compile(r"吗|吧|能不能|可不可以|行不行|是不是|是否|对不对|来得及|赶得上|赶得及|还能|算不算")
# … or in named months (每年1月、7月申报; 每年1月申报上年…，7月申报当年…): every month a filing is made in
_YEARLY_LIST = re.compile(r"每年((?:\d{1,2}月[、和及与]?)+)(?:申报|受理|集中)")
_MONTH_ASKED = re.compile(r"(?<![\d—－\-至到])(\d{1,2})月(?:[、和及与](?=\d)|(?=申报|受理|集中))")


def _in_window(text: str, day: dt.date) -> tuple[bool, re.Match[str]] | None:
    """Whether a day falls in the recurring window the text sets (each year, each quarter, in named months), with the
    words that set it; None when the text sets none."""
    if m := _YEARLY_DAYS.search(text):
        start, end = (int(m.group(1)), int(m.group(2))), (int(m.group(3)), int(m.group(4)))
        return start <= (day.month, day.day) <= end, m
    if m := _YEARLY_MONTHS.search(text):
        return int(m.group(1)) <= day.month <= int(m.group(2)), m
    if m := _QUARTERLY.search(text):
        return day.month % 3 == 1 and day.day <= int(m.group(1)), m
    if m := _YEARLY_LIST.search(text):
        return day.month in {int(x) for x in _MONTH_ASKED.findall(text)}, m
    return None


def _act_verb_in(act: str, sentence: str) -> bool:
    """The act said by its verb and how it ends (材料交到服务中心) is the act a rule names by a word built on that verb
    (提交申报): the verb's character ends or starts a verb of the sentence."""
    from assistant.retrieval.tokenizer import get_tokenizer

    tok = get_tokenizer()
    heads = {h for w in tok.cut(act) if (h := tok.head_verb(w))}
    return any(len(w) == 2 and tok.verb(w) and (w[0] in heads or w[1] in heads) for w in tok.cut(sentence))


def _window_verdict(question: str, cited: list[Citation], today: dt.date | None = None) -> tuple[bool, str, int, str] | None:
    """Whether the one date the question states for what it does (报, 交, 申请 on 6月2号) falls in the recurring window a
    quoted rule sets for it: (in it, the reason, the citation, the rule's words). The rule's sentence must speak of that
    act."""
    from assistant.answer.extractive import sentences

    dated = [d for d in stated_dates(question, today) if not _NOW.fullmatch(d.text)]  # a date said, not “今天”
    if len(dated) != 1:
        return None
    (d,) = dated
    # the date is what a yes/no asks about (7月能报吗, 7月20号才能弄齐，还赶得上吗), not the scene of another ask
    # (今年8月付的…要等到哪个月报？; 1月份报上去以后，审核要几天？)
    asked_in = next((x for x in re.split(r"[？?。！!]", question) if d.text in x), "")
    if not _ASKS_IN_TIME.search(asked_in):
        return None
    act = f"{d.event}{asking(question)}"
    asked_levels = levels_in(question)
    for c in cited:
        for sentence in sentences(c.text):
            if not (_same_quantity(act, sentence) or _act_verb_in(act, sentence)):
                continue
            # a list of programmes' windows (区级贴息…每年1月、7月申报；市级…每年3月至4月申报): each clause is its own
            # programme's, read only where it speaks of the act and of no level of government the question does not name
            parts = [x for x in re.split(r"[；;]", sentence) if x.strip()]
            for part in parts if len(parts) > 1 else [sentence]:
                if len(parts) > 1 and (not _same_quantity(act, part) or levels_in(part) - asked_levels):
                    continue
                first, last = d.ends()
                read = {x: _in_window(part, x) for x in (first + dt.timedelta(k) for k in range((last - first).days + 1))}
                found = read[d.day]
                if found is None or len({bool(w and w[0]) for w in read.values()}) > 1:
                    continue  # a month or a part of one said runs over the window's edge (6月上旬 against 6月10日起)
                ok, m = found
                said = clauses(part)
                at = next((i for i, x in enumerate(said) if m.group(0) in x), None)
                # a window in named months is said through every clause naming one (每年1月申报…，7月申报…)
                upto = max((i for i, x in enumerate(said) if _MONTH_ASKED.search(x)), default=at) if m.re is _YEARLY_LIST else at
                rule = without_item_mark("，".join(said[at: (upto or at) + 1]) if at is not None else m.group(0))
                return ok, f"{d.text}{'在' if ok else '不在'}“{rule}”的时间内", c.n, rule
    return None


def _in_working_days(b: Bound) -> bool:
    """The bound counts working days (5个工作日内), not calendar days."""
    return b.unit == "日" and bool(re.search(rf"(?<![\d.]){re.escape(f'{b.value:g}')}\s*个?工作日", b.clause))


def _op_text(b: Bound) -> str:
    if b.span:
        return b.span  # a range is said as the rule says it
    unit = {"%": "%", "点": "个百分点", "月": "个月", "年": "年", "件": "件", "万": "万元", "亿": "亿元", "日": "日", "笔": "笔"}[b.unit]
    said = {"<=": "不超过", ">=": "不少于", "<": "低于", ">": "超过"}[b.op]
    return f"{said}{b.value:g}{unit}"


# what the question says the firm lacks (“没发明专利”, “也没有软著”)
_LACKS = re.compile(r"(?:没有|没|无|不具备|尚无|还没)([\u4e00-\u9fff]{2,6})")


def _lacked(question: str, clause: str) -> bool:
    """The question says the firm lacks what the clause asks for: a word of two or more characters of what it lacks
    stands in the clause."""
    return any(_bigrams(m.group(1)) & _bigrams(clause) for m in _LACKS.finditer(normalise(question)))


def _alternative_holds(question: str, figures: list[Stated], found: list[Bound], clause: str) -> bool | None:
    """Whether one alternative of an either-or condition holds: a stated figure compared with its bound, or the
    question saying the firm lacks what it asks for; None when the question says nothing of it."""
    own = [b for b in found if b.clause == clause]
    for stated in figures:
        compared = _compare(stated, own)
        if compared is not None:
            return compared[0]
    return False if _lacked(question, clause) else None


def _governs(b: Bound, asked: frozenset[str], context: str) -> bool:
    """A bound decides a question only if it speaks of what the question asks about: of the topics the asking clause
    names (贴息, 白名单, 质押登记: ``asked``, the documents' own topics, lexicon/titles.py), one is said where the bound
    stands — its clause, the head of its list (申请纳入白名单的企业应当同时符合下列条件), its document's title or its FAQ
    question (``context``). A loan's term the province's compensation covers (纳入补偿范围的贷款…不超过3年) does not say
    whether a pledge can be registered; a question naming no topic is judged as before."""
    from assistant.retrieval.tokenizer import get_tokenizer

    if not asked:
        return True
    return says_any(asked, set(get_tokenizer().words(f"{b.matter} {b.named}{b.clause} {b.then} {context}")))


def passage_about(title: str, text: str, aliases: str | None = None) -> str:
    """What a passage is about beyond its words: its document's title and, for an FAQ entry, every question it answers
    (``aliases``: its 相似问)."""
    return " ".join([title, *entry_questions(text, aliases)])


def about_of(c: Citation, about: Mapping[str, str] | None) -> str:
    """What a cited passage is about: as the caller read it from the index (``about``, by passage id), else from the
    passage itself."""
    return (about or {}).get(c.chunk_id) or passage_about(c.title, c.text)


def _sentence_of(clause: str, normal: str) -> str:
    """The sentence of a passage (``normal``: its normalised text) a clause stands in (its case clause, 申请省级评估费补助
    的，…, says what it is about)."""
    at = normal.find(clause)
    if at < 0:
        return ""
    start = max(normal.rfind(end, 0, at) for end in "。！？；\n") + 1
    stop = min((i for i in (normal.find(end, at) for end in "。！？；\n") if i >= 0), default=len(normal))
    return normal[start:stop]


def says_any(asked: frozenset[str], said: set[str]) -> bool:
    """One of the topics asked is said: as a word (保费补贴 is not said by 担保费补贴), or a compound by the words it
    is made of (担保费…补助)."""
    return any(w in said or (len(pieces := _pieces(w)) > 1 and all(p in said for p in pieces)) for w in asked)


def _asked_topics(question: str, figures: list[Stated], topics: Mapping[str, int]) -> frozenset[str]:
    """The documents' topics the question asks about: those its asking clause names, else those the question names
    (…去国知局办专利的质押登记，办得成吗), beyond what its figures measure; of several, the ones fewest documents are
    about (白名单 of 秦创原这边的白名单: the center's guide and FAQ are about everything 秦创原)."""
    from assistant.lexicon.titles import whole_words

    measured = {w for f in figures for w in whole_words(f.attribute)}
    named = [w for w in whole_words(asking(question)) if w in topics and w not in measured] or [
        w for w in whole_words(question) if w in topics and w not in measured]
    fewest = min((topics[w] for w in named), default=0)
    return frozenset(w for w in named if topics[w] == fewest)


def policy_verdict(question: str, cited: list[Citation], today: dt.date | None = None,
                   figures: list[Stated] | None = None, topics: Mapping[str, int] | None = None,
                   about: Mapping[str, str] | None = None) -> tuple[Verdict, list[int]] | None:
    """The verdict the cited passages' bounds give on the figures (all those the question states, unless given) and
    the place the question states; of the bounds, those that speak of the ``topics`` the question asks about, in their
    passage or in what the passage is about (``about``, by passage id: its title and an FAQ entry's questions)."""
    figures = stated_figures(question) if figures is None else figures
    asked = _asked_topics(question, figures, topics or {})
    found = []
    for c in cited:
        said_of, normal = about_of(c, about), normalise(c.text)
        found += [b for b in bounds(c.text, c.n) if _governs(b, asked, f"{_sentence_of(b.clause, normal)} {said_of}")]
    # (met, the reason, the citation, the deciding clause, the limit it sets: "figure" 不超过…, "time" …内 / …前, or "")
    results: list[tuple[bool, str, int, Rule | None, str]] = []
    judged: list[str] = []  # the numbers of the figures a bound judged, once for each time said
    sanctioned = False  # a figure was judged against the trigger of a sanction (不良率超过5%时，暂停…)
    for stated in figures:
        compared = _compare(stated, _judging(stated, found), asking(question))
        if compared is not None:
            ok, b = compared
            if not ok and b.alternatives:
                held = [_alternative_holds(question, [f for f in figures if f is not stated], found, c) for c in b.alternatives]
                if any(h is None for h in held):
                    continue  # another way to meet the condition the question says nothing of: not decided
                if any(held):
                    continue  # met another way: that alternative's own figure says so
            if _window_of_absence(stated, b):
                unit = {"年": "年", "月": "个月", "日": "日"}.get(b.unit, b.unit)
                said = f"您所说的{stated.text}以前{'在' if ok else '仍在'}“近{b.value:g}{unit}内”{'之外' if ok else '之内'}"
            else:
                said = f"您所说的{stated.text}，{'符合' if ok else '不符合'}“{_op_text(b)}”的要求"
            # a limit on days, months or years (30日内, 不超过3年) is a time the firm may be late or over on
            kind = ("time" if b.unit in _TIME_UNITS else "figure") if _limits(b) else ""
            results.append((ok, said, b.citation, b.rule, kind))
            judged += given_numbers(stated.text)
            sanctioned = sanctioned or _triggers_sanction(b)
    spans = elapsed(question, today)
    undecided = False
    for span in spans:
        on_span = _span_bound(span, found)
        if on_span is not None:
            in_workdays = _in_working_days(on_span)
            met = {on_span.holds(x.workdays()[0] if in_workdays else x.as_unit(on_span.unit)) for x in span.extremes()}
            if len(met) > 1:
                undecided = True  # a month or a part of one said leaves it open (1月中旬 to 7月14日 against 6个月)
                continue
            ok = met.pop()
            if in_workdays:
                n, official = span.workdays()
                said = f"从{span.first.text}到{span.then.text}共{n}个工作日{'' if official else '（按周一至周五计，未计节假日调休）'}"
                limit = f"{_op_text(on_span).removesuffix('日')}个工作日"
            else:
                said, limit = span.said(on_span.unit), _op_text(on_span)
            results.append((ok, f"{said}，{'符合' if ok else '不符合'}“{limit}”的要求", on_span.citation, on_span.rule,
                            "time" if _limits(on_span) else ""))
    if not results and not spans:
        window = _window_verdict(question, cited, today)
        if window is not None:
            ok, said, n, rule = window
            results.append((ok, said, n, Rule(n, rule), ""))
    if not results:
        for span in spans:
            due = _calendar_due(span, cited)
            if due is not None:
                day, rule, n = due
                met = {x.then.day <= day for x in span.extremes()}
                if len(met) > 1:
                    undecided = True
                    continue
                ok = met.pop()
                results.append((ok, f"{span.first.text}起算，按“{rule}”最晚应在{day.month}月{day.day}日前，{span.then.text}"
                                    f"{'在期限内' if ok else '已超过期限'}", n, Rule(n, rule), "time"))
    if asks_eligible(question):
        from assistant.answer.qualification_verdict import qualification_results

        results += [(*r, "") for r in qualification_results(question, cited, asked, about or {})]
    place = registered_place(question)
    if place is not None and asks_eligible(question):
        for c in cited:
            for clause in clauses(c.text):
                required = _required_places(clause)
                if required:
                    chain = {p.code for p in gazetteer().chain(place)}
                    ok = any(r.code in chain for r in required)
                    results.append((ok, f"注册地{place.name}{'在' if ok else '不在'}{'、'.join(r.name for r in required)}范围内", c.n,
                                    Rule(c.n, clause), ""))
                    break
            else:
                continue
            break
    if not results:
        return None
    failed = [r for r in results if not r[0]]
    if undecided and not failed:
        return None  # the time asked about is left open: what the other figures meet does not make the answer yes
    chosen = failed or results
    # a figure the question says twice: one reason
    return (Verdict(not failed, list(dict.fromkeys(r[1] for r in chosen)), rules=[r[3] for r in chosen if r[3] is not None],
                    sanction=sanctioned, limit=kinds.pop() if len(kinds := {r[4] for r in chosen}) == 1 else "",
                    unjudged=_unjudged(without_dates(question), judged)), sorted({r[2] for r in chosen}))


def _unjudged(question: str, judged: list[str]) -> bool:
    """A number the question gives more often than a judged figure said it (资产负债率60%，职工60人: 60 twice, once judged)."""
    return any(len(re.findall(rf"(?<![\d.]){re.escape(n)}(?![\d.])", question)) > judged.count(n) for n in given_numbers(question))


def _limits(b: Bound) -> bool:
    """The bound sets a limit the firm's figure must stay under (不超过70%, 30日内报告): failing it is being over it."""
    return b.op in ("<=", "<") and not b.excludes and not b.span


def _judging(stated: Stated, found: list[Bound]) -> list[Bound]:
    """The bounds that may judge a stated figure: a share a benefit pays only by a bound on what is paid (赔付比例不低于
    50%), never by one of the firm's conditions (担保费率不超过1%)."""
    return [b for b in found if _PAYOUT.search(f"{b.named}{b.before_figure() or ''}")] if stated.paid else found


_SANCTION = re.compile(r"暂停|取消|停止|撤销|移出|追回|不予|不得|不再")
SANCTION_REACH = 8  # characters of the next clause where the sanction a met bound sets off is said (暂停其新增备案)


def _triggers_sanction(b: Bound) -> bool:
    """A bound that sets off a sanction when met (不良率超过5%时，暂停其新增备案), read as it stands: 符合 says the
    sanction follows. (A case a rule leaves out, …超过1%的，不予补助, is read the other way round already: ``excludes``.)"""
    return not b.excludes and b.op in (">", ">=") and bool(_SANCTION.search(f"{b.after}{b.then}{b.following[:SANCTION_REACH]}"))


_ASKS_ELIGIBLE = re.compile(r"能|可以|可否|符合|资格|够|申请|报|享受|纳入|进")
# “两边能不能都报”, “能同时申请吗”: whether two benefits combine, which the rules on combining decide, not where the firm is
_ASKS_COMBINED = re.compile(r"都|同时|叠加|重复|一起|兼")
# what a combining rule allows or forbids (可以同时申请, 不得重复申请)
_COMBINING = re.compile(r"同时|重复|叠加|一并|兼")


def asks_combined(question: str) -> bool:
    """Whether two benefits are asked about together: by a word of combining (都, 同时, 一块儿), by naming two benefits
    (贴息和担保费补助), or by one the firm has and one more it asks for (拿了保费补贴，还能申请担保费补助吗)."""
    return bool(_ASKS_COMBINED.search(question) or re.search(r"一块|一并|两个|两项|既", question) or len(_benefits(question)) >= 2
                or _asks_another(question))


def _asks_another(question: str) -> bool:
    """A word of combining in the asking clause, or a benefit the firm has and one more it asks for (贴息已经拿了，保费
    还能再报吗): what the rules on combining decide (combined_verdict)."""
    asked = asking(question)
    return bool(_ASKS_COMBINED.search(asked) or (_HAS.search(question) and _AGAIN.search(asked)))


def asks_eligible(question: str) -> bool:
    """A clause asking yes or no asks whether the firm may take part (“能申请吗”, “白名单报得上吗”), not whether a step
    goes somewhere (“是直接送市科技局吗”) nor whether two benefits combine (“两边能不能都报”)."""
    from assistant.answer.analysis import asks_of

    return any(asks_of(c) == "yes_no" and _ASKS_ELIGIBLE.search(c) and not _ASKS_COMBINED.search(c) for c in clauses(asking(question)))


def _required_places(clause: str) -> list[Place]:
    """The places a clause requires registration in: the place just before the registering word (“在西咸新区注册登记”)
    or just after it (“注册地在西安市”); “注册商标” registers a mark, not a firm."""
    out = []
    for m in gazetteer().find(clause):
        before, after = clause[max(0, m.start - 6): m.start], clause[m.end: m.end + 6]
        if re.match(r"(?:内|范围内)?(?:依法)?(?:注册|登记|设立|落户)(?!商标)", after) or re.search(r"(?:注册地|住所地?|注册|登记)(?:在|于|为)?$", before):
            out.append(m.place)
    return out


def rule_clauses(text: str) -> list[str]:
    """The clauses of a passage that state a rule a verdict can rest on: a bound, or a place of registration."""
    bound = {b.clause for b in bounds(text, 0)}
    return [c for c in clauses(normalise(text)) if c in bound] + [c for c in clauses(text) if _required_places(c)]


_ONE_OF = re.compile(r"其中(?:[\u4e00-\u9fff]{0,5}的)?(?:一|某|几|哪)(?:个|件|项|份|部分|些)|其中(?:一)?部分")


def _one_of_them(text: str, start: int, end: int) -> bool:
    """What is said of a thing named at ``start:end`` picks one of several (“注册了几个近似商标，能只押其中一个吗”,
    “能只押其中一个商标吗”): the ask is about part of them, not whether that kind is taken. Read in the name's clause, and
    the next one when the name ends its own."""
    spans = clause_spans(text)
    at = next((i for i, (a, b) in enumerate(spans) if a <= start < b), None)
    if at is None:
        return False
    read = [spans[at], *(spans[at + 1: at + 2] if end >= spans[at][1] else [])]
    # one or some of them counted (其中一个, 其中最值钱的一个, 其中一部分), not a kind picked out (其中的软著)
    return any((m := _ONE_OF.search(text[a:b])) is not None and not mentions(text[a + m.start(): b]) for a, b in read)


def product_verdict(question: str, product: Product, today: dt.date | None = None, facts: list[str] | None = None) -> Verdict | None:
    """The product's own rules on what the question (and, in a chat, what the user said before) states about the
    firm, and whether it takes the IP named."""
    from assistant.dialogue.firm import profile_dict
    from assistant.dialogue.slots import extract
    from assistant.products.rules import evaluate, unset_criteria
    from assistant.profile.model import Profile

    results: list[tuple[bool, str]] = []
    # whether it takes an IP type: asked where the type and a pledge verb stand together (“收外观设计吗”, “软著能押吗”),
    # not where a pledge ratio is asked (“商标的质押率多少”)
    masked = question.replace("质押率", "＃＃＃")  # same length: the positions below still hold
    # around the name, not in it: 实用新型 holds a 用
    named_ip = [t for t, a, b in mentions(question) if _PLEDGE.search(masked[max(0, a - 6): a] + "，" + masked[b: b + 6])
                and not _one_of_them(masked, a, b)]
    if named_ip and product.accepted_ip:
        for t in dict.fromkeys(named_ip):
            ok = t in product.accepted_ip or (t == "软件著作权" and "著作权" in product.accepted_ip)
            results.append((ok, f"本产品{'接受' if ok else '不接受'}{t}质押（可接受：{'、'.join(product.accepted_ip)}）"))
    slots: dict = {}
    for said in [*(facts or []), question]:  # the latest statement of a fact wins
        slots.update(extract(said))
    try:
        profile = Profile.model_validate(profile_dict(slots))
    except ValueError:
        profile = None
    if profile is not None:
        for r in [*evaluate(product, profile, today or dt.date.today()), *unset_criteria(product, profile)]:
            if r.status != "unknown" and r.rule not in ("amount", "term", "pledge_ratio", "ip_term"):
                results.append((r.status == "pass", r.message))
    # a figure the rules above do not read (剩余保护期4年): against the bounds the record states. One they read is
    # theirs to decide (“2件外观设计加1个软著” is three items, not two figures of one)
    from assistant.answer.products import record_text

    def firm_slots(text: str) -> dict:
        return {k: v for k, v in extract(text).items() if not k.startswith("need.")}  # the loan asked is not ruled on here

    # a figure the question recalls or checks (“纪要上写发明专利25%，现在还是吗”) is the record's to confirm, no condition
    unread = [f for f in stated_figures(question)
              if not f.claimed and firm_slots(question.replace(f.text, "", 1)) == firm_slots(question)]
    record = record_text(product)
    decided = policy_verdict(question, [Citation(n=1, doc_id=f"product:{product.id}", title=product.name, source="", text=record,
                                                 chunk_id=f"product:{product.id}")], figures=unread)
    if decided is not None:
        known = {m for _ok, m in results}
        results += [(decided[0].ok, r) for r in decided[0].reasons if r not in known]
    amount: float | None = slots.get("need.amount")
    reached, applies = _above_amount(record, amount)
    above = next((r for r in reached if _goes_without_required(question, r)), None)
    if above is not None and amount:
        results.append((False, f"{above}，所问{amount / 10_000:g}万元超过该额度，而您说不提供所需担保"))
    if not results:
        return None
    failed = [m for ok, m in results if not ok]
    if not failed and _goes_without_required(question, applies):
        return None  # the firm would do without what the record requires in some case: passing the rules says no yes
    return Verdict(not failed, failed or [m for _ok, m in results])


_MUST = "应当|必须|须|需要"  # the words of a requirement (应当提交, 须追加), one list for every reader of one
_REQUIRES_IN_RECORD = re.compile(rf"(?:{_MUST})([^。；;，,]{{2,30}})")
WITHOUT_WINDOW = 8  # characters before a required thing where the question's negation must stand (不加任何保证)
WITHOUT_INFORMATIVE = 0.5


# a requirement on the part of a loan above an amount (单户超过500万元部分须追加实际控制人保证或…担保)
_ABOVE_REQUIRES = re.compile(rf"(?:单户|单笔)?(?:超过|高于)(\d+(?:\.\d+)?)万元?的?部分(?:{_MUST})[^。；;]{{2,40}}")


def _above_amount(record: str, amount: float | None) -> tuple[list[str], str]:
    """The record's requirements on the part of a loan above an amount that the loan asked (in 元) reaches, as the
    record words them; and the record without those a loan asked stays below (they are not the firm's case)."""
    def reaches(m: re.Match[str]) -> bool:
        return amount is not None and amount > float(m.group(1)) * 10_000

    reached = [m.group(0) for m in _ABOVE_REQUIRES.finditer(record) if reaches(m)]
    # with no amount asked, the case may be the firm's: the requirement stays
    return reached, _ABOVE_REQUIRES.sub(lambda m: "" if amount and not reaches(m) else m.group(0), record)


def _goes_without_required(question: str, record: str) -> bool:
    """The question says the firm will not give something the record requires (some) borrowers to give (老板不想个人
    担保 against 单户超过500万元部分须追加实际控制人保证或…担保): whether that case is the firm's is more than the
    eligibility rules read, so they do not conclude."""
    from assistant.retrieval.tokenizer import get_tokenizer

    tok = get_tokenizer()
    required = {w for m in _REQUIRES_IN_RECORD.finditer(record) for w in tok.words(m.group(1))
                if len(w) >= 2 and tok.informativeness(w) >= WITHOUT_INFORMATIVE}
    for clause in clauses(question):
        for w in required:
            at = clause.find(w)
            # “要不要加担保” asks; it does not say the firm goes without
            window = A_NOT_A.sub("", clause[:at])[-WITHOUT_WINDOW:]  # 是不是 read whole before the window is cut
            if at > 0 and _NEGATION.search(window):
                return True
    return False



def concluded(text: str) -> bool:
    """The answer leads with a verdict (as ``lead`` writes one)."""
    return bool(re.match(r"(?:不符合|符合|可以|不能|不?需要|不?[\u4e00-\u9fff])：", text))


# the yes or no words of each form a yes/no question asks in, with the words that ask in that form: 有 answers 有没有,
# 需要 answers 要不要, 可以 answers 能不能 …
VERDICT_FORMS: list[tuple[frozenset[str], re.Pattern[str]]] = [
    (frozenset({"有", "没有"}), re.compile(r"有")),
    (frozenset({"需要", "不需要", "不用"}), re.compile(r"需|要|得|必须")),
    (frozenset({"可以", "不可以", "能", "不能", "行", "不行"}), re.compile(r"能|可以|可不可以|可否|行|允许|管用|有效")),
    (frozenset({"是的", "是", "不是"}), re.compile(r"是|算")),
    (frozenset({"会", "不会"}), re.compile(r"会")),
]
# an FAQ answer's own yes or no opening a sentence (不能，同一笔贷款只能…; 有，区级资金池…): it answers the entry's question
BARE_VERDICT = re.compile(rf"^(?:{'|'.join(sorted((w for words, _ask in VERDICT_FORMS for w in words), key=len, reverse=True))})[，,]\s*")


def lead(verdict: Verdict, marks: str = "") -> str:
    reasons = [BARE_VERDICT.sub("", r) or r for r in verdict.reasons]  # the verdict word says it once
    return f"{verdict.words[0] if verdict.ok else verdict.words[1]}：{'；'.join(reasons)}{marks}。"


# A rule that allows or forbids an act (“…可以同时申请”, “…的，不予补助”, “不得重复享受”): the modal word, then the act
# within a few characters. 可 alone is a modal only right before its verb (“可申请”), not in “可按照”.
# (可 in 许可 or 认可 allows nothing: 许可他人使用 is a licence)
_ALLOWS = r"可以|均可|允许|准予|同样适用|适用|(?<![许认])可(?=[\u4e00-\u9fff]{0,2}(?:申请|享受|纳入|使用|办理|质押|叠加))"
_FORBIDS = r"不得|不予|不能|不可以?|不允许|禁止|不适用|不纳入|不再"
_STANCE = re.compile(rf"({_FORBIDS})|({_ALLOWS})")
STANCE_WINDOW = 8  # characters after the modal word where the asked act must stand
# a question whether something is allowed (“能两个都申请吗”, “可以用商标质押吗”): the act is what follows the modal
# (可 in 许可 or 认可 is no modal: “能把这件商标许可给代工厂用吗” asks about licensing)
_ASKS_PERMISSION = re.compile(r"(?:能否|可否|能不能|可不可以|可以|允许|还能|能|(?<![许认])可)(.{1,8}?)(?:吗|么|$)")
# … or a longer one (“还能同时去申请省里的秦科保补贴吗”): then two of its words must follow the rule's modal
_ASKS_LONG_PERMISSION = re.compile(r"(?:能否|可否|能不能|可不可以|可以|允许|还能|能|(?<![许认])可)([^，。；？]{9,24}?)(?:吗|么|$)")
LONG_ACT_WORDS = 2
LONG_STANCE_WINDOW = 12  # … within a window as much longer as the act is


# “…，行吗”, “这么要求是允许的吗”, “这笔钱认不认”: asks whether, the act said before it (or the verb doubled)
_ASKS_OK = re.compile(r"([\u4e00-\u9fff])不\1|行吗|行不行|行不|可以吗|允许的?吗|合规吗")


_MODALS = frozenset("能可行")
# a one-character verb asked with 吗 (“省里的补助认吗”, “这笔算吗”); not a modal, a particle or a word of need
_ASKS_VERB = re.compile(r"([\u4e00-\u9fff])吗[？?]?$")
# modals, particles and the verbs of being (是, 有, 在: 专利还在吗 asks a state, and 可以在…办理 is no act allowed)
_NOT_A_VERB = frozenset("能可行要会是有在需用必对好了的呢啊吧么得够")
_NOT_PERMISSION = frozenset("要会是有在需用必")


def _asked_act(question: str) -> tuple[set[str], str]:
    """The words of the act a permission question asks about, and the verb an A-not-A form doubles (认 in 认不认).
    “能两个都申请吗”: what follows the modal; “想只拿一个去押给银行，行吗”: the clause before the ask."""
    from assistant.retrieval.tokenizer import get_tokenizer

    tok = get_tokenizer()
    asked_text = asking(question)
    permission = _ASKS_PERMISSION.search(asked_text) or _ASKS_LONG_PERMISSION.search(asked_text)
    ok_form = _ASKS_OK.search(asked_text)
    if permission is None and ok_form is None:  # “要交登记费吗” asks what is required, not what is allowed
        single = _ASKS_VERB.search(asked_text)
        if single is None or single.group(1) in _NOT_A_VERB or not _stands_alone(asked_text, single.start(1)):
            return set(), ""
        # “现金付的，认吗”: the verb asked alone is the act, as a doubled one (认不认) is
        return set(), single.group(1)
    act = {w for w in tok.words(permission.group(1)) if len(w) >= 2} if permission else set()
    verb = ""
    if ok_form is not None and ok_form.group(1) in _NOT_PERMISSION:
        ok_form = None  # 要不要, 会不会, 是不是: what is required, what will happen, a claim: no permission asked
        if permission is None:
            return set(), ""
    if ok_form is not None and ok_form.group(1):
        # “能不能只拿一个去押”, “受不受工资总量的限制”: the act follows the doubled word in its clause; a doubled verb
        # (认, 算, 受) is the act itself, a doubled modal (能, 可, 行) is not
        after = asked_text[ok_form.end():]
        own = "" if after[:1] in "，,？?；;。" else (clauses(after) or [""])[0]
        act |= {w for w in tok.words(own) if len(w) >= 2}
        verb = "" if ok_form.group(1) in _MODALS else ok_form.group(1)
    if not act:
        said = clauses(question)
        ask_at = max((i for i, c in enumerate(said) if asks(c)), default=len(said) - 1)
        scene = said[ask_at - 1] if ask_at > 0 else ""
        act = {w for w in tok.words(scene) if len(w) >= 2}
    return act, verb


# “不得以纳入秦知贷为由收取费用”, “不得因贷款纳入资金池而提高利率”: the reason said first is not the act forbidden
_REASON_FIRST = re.compile(r"^(?:以|因)[^，。；]{1,16}?(?:为由|而)")


def _act_window(clause: str, at: int, width: int = STANCE_WINDOW) -> str:
    """The words after a modal word (at ``at``) where the act it allows or forbids stands: past a reason said first."""
    reason = _REASON_FIRST.match(clause[at:])
    start = at + (reason.end() if reason else 0)
    return clause[start: start + width]


def _stands_alone(text: str, at: int) -> bool:
    """The character at ``at`` is a word of its own (贴 in 还给贴吗), not the end of one (助 in 有补助吗, 请 in 申请吗)."""
    from assistant.retrieval.tokenizer import get_tokenizer

    words = get_tokenizer().cut(text[: at + 1])
    return bool(words) and len(words[-1]) == 1


def _names_act(window: str, act: set[str], need: int = 1, after: str = "") -> bool:
    """The words right after a modal or a word of need name the act asked (``need`` of its words): as typed, as
    the tokenizer folds them (出质 is 质押), or by a synonym whose words stand apart and begin in the window (``after``:
    the clause's words that follow it)."""
    named = _act_words_in(window, act) | {w for w in act if _said_apart(w, window, window + after[:APART_REACH])}
    return len(_named_once(named, named)[1]) >= need


def _another_act(window: str, act: set[str], before: str) -> bool:
    """The words after the modal name only how the act is done (单独, 同时) while the act itself is said before the
    modal, as what the rule is about (质押合同可以单独订立: 单独 is said of 订立 the contract, not of 质押): another act.
    A verb the rule says otherwise (单独用 as 单独实施) is not said there, and the manner decides."""
    from assistant.retrieval.tokenizer import get_tokenizer

    tok = get_tokenizer()
    named = _act_words_in(window, act)
    if not named or not all(tok.manner(w) for w in named):
        return False
    return bool(_act_words_in(before, {w for w in act if not tok.manner(w)}))


def _act_words_in(window: str, act: set[str]) -> set[str]:
    """The act's words a window says, as typed or as the tokenizer folds them (出质 is 质押)."""
    from assistant.retrieval.tokenizer import get_tokenizer

    return {w for w in act if w in window} | (act & set(get_tokenizer().words(window)))


APART_REACH = 6  # characters past the window where a synonym's last word may end (许可他人|使用)


def _said_apart(word: str, window: str, reach: str) -> bool:
    """A word of the act said by a synonym whose words stand apart (授权 as 许可他人使用: the synonym 许可使用 with 他人
    between its two words), beginning in the window and ending within ``reach`` (the window and what follows it)."""
    return any((m := p.search(reach)) is not None and m.start() < len(window) for p in _apart_patterns(word))


@lru_cache(maxsize=1024)
def _apart_patterns(word: str) -> tuple[re.Pattern[str], ...]:
    """The word's synonyms (itself included) made of two or more words, each as those words with a few characters
    allowed between them (许可使用 → 许可.{0,4}?使用)."""
    from assistant.retrieval.tokenizer import get_tokenizer

    synonyms = get_tokenizer().synonyms
    canonical = synonyms.get(word, word)
    variants = [canonical, *(v for v, c in synonyms.items() if c == canonical)]
    return tuple(re.compile(".{0,4}?".join(map(re.escape, pieces))) for pieces in map(_pieces, variants) if len(pieces) >= 2)


def _pieces(word: str) -> list[str]:
    """A compound in the words it is made of, longest first from its start (许可使用 → 许可, 使用; the dictionary
    knows the synonym as one word)."""
    from assistant.retrieval.tokenizer import get_tokenizer

    subs = {w for w in get_tokenizer().search_pieces(word) if w != word and len(w) >= 2}
    out, at = [], 0
    while at < len(word):
        piece = max((w for w in subs if word.startswith(w, at)), key=len, default="")
        if not piece:
            return [word]  # not made of words the dictionary knows: one word
        out.append(piece)
        at += len(piece)
    return out


def _shown(clause: str, quoted: str) -> bool:
    """The passage's clause is in the answer as quoted (an FAQ's “答：服务中心…” is quoted “服务中心…”)."""
    return strip_lead(clause) in quoted


def _condition_met(said_clauses: list[str], i: int, said: set[str], modal_at: int | None = None, question: str = "") -> bool:
    """A rule on a case (“贷款到期后续贷并重新评估的，可以…”, “声明出质专利权价值的，还应当…”) holds for the question
    only if the question names at least half that case's words (measured: three words of a long case let a rule
    on another case decide, 同一保单已享受…的，不得重复申请 for a firm asking about two other subsidies). The case may
    be said in the modal's own clause too (“同一笔业务已享受市级补贴的不能再申请”): what precedes a 的 right before the
    modal (in “本办法规定的贴息可以…” the 的 only qualifies a noun)."""

    condition = said_clauses[i - 1] if i and said_clauses[i - 1].endswith("的") else ""
    if modal_at is not None:
        inner = said_clauses[i][:modal_at].rstrip()
        if inner.endswith("的"):
            condition += inner[:-1]
        else:
            # a state the thing the rule is about has not reached (尚未授权的专利申请不能…) is a case too; whose it is
            # (企业缴纳的保费可申请…), or what has happened to it (已支付的担保费), is none
            # (the clause before is the subject when the modal opens its own: 未按期备案的贷款，不纳入…)
            subject = inner or (said_clauses[i - 1] if i and not condition else "")
            unmet = _UNMET_STATE.search(subject)
            condition += f"{unmet.group(0)[:-1]}" if unmet else ""
    if question and any(_says_done(question, m.group(1)) for m in _NOT_DONE.finditer(condition)):
        return False  # a case of what was not done (未按期备案的, 还没授权的) is not met where the question says it was done
    if question and condition and not _NEGATION.search(condition) and _denies(question, condition):
        return False  # … and a case of what was done (声明出质专利权价值的) where the question says it was not (没有声明)
    if _OTHER_CASE.search(condition):
        # “因其他情形被移出的，…可以…”: the case of every firm the passage's other cases do not name (a firm that
        # withdrew itself, beside 因提供虚假材料被移出的): met when none of those is
        others = [c for j, c in enumerate(said_clauses)
                  if (c.endswith("的") or c.startswith("因")) and j != i - 1 and not _OTHER_CASE.search(c)]
        return bool(others) and not any(_case_named(c, said) for c in others)
    return _case_named(condition, said)


_OTHER_CASE = re.compile(r"其他(?:情形|原因|情况)")
_UNMET_STATE = re.compile(r"(?:尚未|未|没有)([\u4e00-\u9fff]{1,8}?)的[\u4e00-\u9fff]")
_NOT_DONE = re.compile(r"(?:尚未|还没有?|没有|未|没)(?!经)([\u4e00-\u9fff]{1,6}?)(?:的|$)")  # 未经…同意 is consent
_NEGATION_BEFORE = r"(?:没|未|不|无)[\u4e00-\u9fff]{0,4}?"  # 没授权, 没有任何约定, 未按期: a negation a few characters before


def _negated(text: str, word: str) -> bool:
    """The text says the word a few characters after a negation (没有声明, 未按期备案)."""
    return bool(re.search(f"{_NEGATION_BEFORE}{re.escape(word)}", text))


def _says_done(question: str, state: str) -> bool:
    """The question says the thing has reached a state (已经授权了, 按期备案了): it says the state's words, none of them
    after a negation. Said otherwise (没下证 for 未授权), or not at all, the case is judged by its words as any other."""
    from assistant.retrieval.tokenizer import get_tokenizer

    words = [w for w in get_tokenizer().words(state) if len(w) >= 2] or [state]
    said = [w for w in words if w in question]
    return bool(said) and not any(_negated(question, w) for w in said)


DENIED_WORD = 0.7  # informativeness of a case's word a negation before it denies (声明 0.75; not 价值 0.31, 或者 0.3)


def _denies(question: str, case: str, informative: float = DENIED_WORD) -> bool:
    """The question says a word of the case, of at least that informativeness, right after a negation (没有声明 for
    声明出质专利权价值的); its doubled verbs (要不要) deny nothing."""
    from assistant.retrieval.tokenizer import get_tokenizer

    tok = get_tokenizer()
    asked = A_NOT_A.sub("", question)
    return any(_negated(asked, w) for w in tok.words(case) if len(w) >= 2 and tok.informativeness(w) >= informative)


def _case_named(condition: str, said: set[str]) -> bool:
    """The question names at least half the words of a rule's case (all when the case has none)."""
    from assistant.retrieval.tokenizer import get_tokenizer

    met, whole = _named_once({w for w in get_tokenizer().words(condition) if len(w) >= 2}, said)
    return not whole or len(met) * 2 >= len(whole)


def _named_once(words: set[str], said: set[str]) -> tuple[list[str], list[str]]:
    """A case's words counted as words, not as the tokenizer's overlapping pieces: each compound once (商标专用权, not
    also 专用 and 用权), named when the question says it or any piece of it (研发费用 by 研发). Returns the words named
    and all of them."""
    from assistant.retrieval.tokenizer import outermost

    whole = list(outermost(words))
    named = words & said
    return [w for w in whole if any(p in w for p in named)], whole


RULE_CHARS = 60  # a sentence up to this long is quoted through the clause that decides, not that clause alone


# the exception a rule makes right after it (“…不得转让或者许可他人使用，但是出质人与质权人协商同意的除外”)
_EXCEPT = re.compile(r"^[，,]\s*(但(?:是)?[^。；;]{2,40}?除外)")


def _rule_through(clause: str, text: str) -> str:
    """The rule a deciding clause belongs to: its sentence from the start through that clause, when short (“…近似商标
    必须一并质押，不能只押其中一部分” rather than only “不能只押其中一部分”); the clause alone otherwise. An exception
    the sentence makes right after it goes along: “不能” without “但是…同意的除外” would say more than the rule."""
    from assistant.answer.extractive import sentences

    own = strip_lead(clause)
    for sentence in (without_item_mark(x) for x in sentences(text)):
        at = sentence.find(own)
        if at >= 0:
            through = sentence[: at + len(own)]
            rule = through if len(through) <= RULE_CHARS else own
            exception = _EXCEPT.match(sentence[at + len(own):])
            return f"{rule}，{exception.group(1)}" if exception else rule
    return own


def stance_verdict(question: str, cited: list[Citation], quoted: str) -> tuple[Verdict, list[int]] | None:
    """A yes/no question about an act (“两个都能申请吗”, “商标可以质押吗”) answered by the first quoted clause that
    allows or forbids that act: the clause is quoted in the answer, its modal word is followed closely by a word of
    the question's asking clause, and it shares at least one more word with the question."""
    from assistant.retrieval.tokenizer import get_tokenizer

    tok = get_tokenizer()
    asked, verb = _asked_act(question)
    said = {w for w in tok.words(question) if len(w) >= 2}
    if not asked and not verb:
        return None
    asked_text = asking(question)
    need = LONG_ACT_WORDS if not _ASKS_PERMISSION.search(asked_text) and _ASKS_LONG_PERMISSION.search(asked_text) else 1
    # “不得同时享受市级和区级同类补贴” is no answer for the province's and the district's subsidies
    asked_levels = levels_in(question)
    # the act's words the question also says outside the act (商标 in “商标押着的时候，能把商标许可给代工厂用吗”) name
    # its object, not what is done to it: they weigh half in telling which clause speaks of the act
    scene = set(tok.words(question.replace(_act_text(asked_text), "", 1)))
    for c in cited:
        said_clauses = clauses(c.text)
        # a list's head (有下列情形之一的，…不予登记…：) withholds only for the cases it lists: excluded_verdict's
        heads = [m.span() for m in _EXCLUSION_HEAD.finditer(c.text)]
        in_head = [any(a < h_end and b > h_start for h_start, h_end in heads) for a, b in clause_spans(c.text)]
        found: list[tuple[float, str, bool]] = []
        for i, clause in enumerate(said_clauses):
            if not _shown(clause, quoted) or in_head[i]:
                continue
            if not _condition_met(said_clauses, i, said) or levels_in(clause) - asked_levels:
                continue  # a rule on a case the question does not name, or on a level of government it does not
            if len(said & set(tok.words(clause))) + (1 if verb and verb in clause else 0) < 2:  # the doubled verb is shared too
                continue
            for m in _STANCE.finditer(clause):
                window = _act_window(clause, m.end(), LONG_STANCE_WINDOW if need > 1 else STANCE_WINDOW)
                if _COMBINING.search(window) and not asks_combined(question):
                    continue  # “…可以同时申请” allows combining two benefits: no answer to whether the firm may apply
                # a doubled verb (认不认) must be what the rule allows or forbids (不予认定), not only a word near it
                after = clause[clause.find(window, m.end()) + len(window):]  # where a synonym said apart may end
                if ((verb in window[:2]) if verb else _names_act(window, asked, need, after) and not _another_act(window, asked, clause[: m.start()])) \
                        and _condition_met(said_clauses, i, said, m.start(), question):
                    found.append((_act_weight(window, asked, scene), clause, m.group(1) is None))
        if not found:
            continue
        # of a passage's clauses on the act, the one naming most of what is done (不得许可他人实施, not 可以继续自行实施)
        _w, clause, allows = max(found, key=lambda x: x[0])
        if allows and _circumstance(question) and any(_EXCLUSIONS.search(x.text) for x in cited):
            return None  # the firm's case may be one the list excludes (有下列情形之一的，不予补助): not decided
        rule = _rule_through(clause, c.text)
        if not allows and _consent_given(question, _consent_needed(clause, c.text)):
            allows = True  # “未经质权人同意，不得…” and the question says the bank agreed
        # a doubled verb is answered in its own words (算不算 → 不算：…), a modal with 可以 / 不能
        return Verdict(allows, [rule], (verb, f"不{verb}") if verb else ("可以", "不能")), [c.n]
    return _allowed_on_requirement(question, cited, quoted, asked, said) if not verb else None


def _act_text(asked_text: str) -> str:
    """The words a permission question asks about (what follows its modal), as typed."""
    m = _ASKS_PERMISSION.search(asked_text) or _ASKS_LONG_PERMISSION.search(asked_text)
    return m.group(1) if m else ""


def _act_weight(window: str, act: set[str], scene: set[str]) -> float:
    """How much of the act the words after a modal name: each act word by how specific it is in general language,
    half for a word the question also says outside the act."""
    from assistant.retrieval.tokenizer import get_tokenizer

    tok = get_tokenizer()
    return sum(tok.informativeness(w) * (0.5 if w in scene else 1.0) for w in _act_words_in(window, act))


# consent a rule makes the act depend on: before it (未经质权人书面同意，不得…) or as its exception (…，但经质权人同意的除外)
_WITHOUT_CONSENT = re.compile(r"未经([^，。；]{1,12}?)(?:书面)?同意")
_EXCEPT_CONSENT = re.compile(r"但(?:是)?(?:经)?([^，。；]{1,16}?)(?:书面)?同意的除外")
# consent the question says was given (银行那边也点头同意了, 质权人已经书面同意): not asked for, not denied
_CONSENT_SAID = re.compile(r"同意了|已(?:经)?(?:书面)?同意|(?:也|都)(?:已)?(?:书面)?同意|点头|签了同意|出具了?同意")
# a negation right before the consent (还没点头, 不太同意, 未签字): 没犹豫就点头了 consents
_CONSENT_DENIED = re.compile(r"(?:不|没|未)[太再有]?(?:同意|点头|签)|同意不同意|需不需要|要不要|是否需要|需要[^，。？]{0,8}同意")


def _consent_needed(clause: str, text: str) -> str:
    """Whose consent the rule's sentence makes the act depend on (质权人), or ""."""
    from assistant.answer.extractive import sentences

    own = strip_lead(clause)
    for sentence in sentences(text):
        at = sentence.find(own)
        if at < 0:
            continue
        found = _WITHOUT_CONSENT.search(sentence[:at + len(own)]) or _EXCEPT_CONSENT.search(sentence[at:])
        return found.group(1) if found else ""
    return ""


def _consent_given(question: str, party: str) -> bool:
    """The question says the consent the rule requires was given, before it asks whether the act is allowed (银行已经
    同意了，能许可吗; or supposes it there: 要是银行同意了，能…吗). Said after the ask, it is another question's case
    (…还能许可别人用吗？要是银行同意了，许可费该怎么处理？)."""
    if not party:
        return False
    said = clauses(question)
    ask_at = next((i for i, c in enumerate(said) if _ASKS_PERMISSION.search(c) or _ASKS_LONG_PERMISSION.search(c) or _ASKS_OK.search(c)),
                  len(said))
    return any(_CONSENT_SAID.search(c) and not _CONSENT_DENIED.search(c) for c in said[:ask_at])


# “软件未办理著作权登记的，应当提交…书面说明”: for the question's own case the rule sets a requirement, so the act is
# allowed on it; not where the question asks to do it its own way (自己办, 不交) against what is required
_REQUIRES = re.compile(rf"^(?:还)?(?:{_MUST})(?!不)")
_OWN_WAY = re.compile(r"自己|自行|单独|直接|不找|不用|不交|不提交|不做|免")


def _act_said(question: str) -> str:
    """The clauses that say the act asked about: those that ask, and where the ask is a bare 行吗 / 可以吗, the two
    clauses before it (“想自己去办，不找代理，行吗”)."""
    said = clauses(question)
    at = max((i for i, c in enumerate(said) if asks(c)), default=len(said) - 1)
    bare = len(re.sub(r"[^\u4e00-\u9fff]", "", said[at])) <= 4 if said else False
    return "，".join([*(said[max(0, at - 2): at] if bare else []), asking(question)])


def _allowed_on_requirement(question: str, cited: list[Citation], quoted: str, asked: set[str],
                            said: set[str]) -> tuple[Verdict, list[int]] | None:
    from assistant.retrieval.tokenizer import get_tokenizer

    tok = get_tokenizer()
    if _OWN_WAY.search(_act_said(question)):  # asked to do it its own way; 自己开发的软件 only says whose software
        return None
    for c in cited:
        if not asked & set(tok.words(c.text)):
            continue  # the passage is about another act
        said_clauses = clauses(c.text)
        for i in _case_requirements(said_clauses, quoted):
            if _in_case(said_clauses[i - 1], question, said) and _condition_met(said_clauses, i, said):
                return Verdict(True, [f"{said_clauses[i - 1]}，{said_clauses[i]}"], ("可以", "不能")), [c.n]
    return None


def _in_case(case: str, question: str, said: set[str], local: bool = False) -> bool:
    """The question puts the firm in a rule's case (…的): every specific word of the case is the question's too (a
    negation aside: 未办理 is said 没去做), for a rule for 关联方 is not one for 控股股东, which may have its own; two
    of its words at least; and said with a negation by both or by neither (软件未办理登记的 is no case of 软著质押登记,
    申请首贷补助比例的 none of 我们不是首贷). ``local``: the negation must stand before a word of the case (没有备案 says
    nothing of 已许可他人使用的)."""
    from assistant.retrieval.tokenizer import get_tokenizer

    tok = get_tokenizer()
    words = {w for w in tok.words(case) if len(w) >= 2}
    specific = {w for w in words if tok.informativeness(w) >= 1.0 and not w.startswith(("未", "没", "不"))}
    denied = _denies(question, case, informative=0.0) if local else bool(_NEGATION.search(A_NOT_A.sub("", question)))
    return bool(_NEGATION.search(case)) == denied and specific <= said and len(words & said) >= 2


def _case_requirements(said_clauses: list[str], quoted: str) -> list[int]:
    """The quoted clauses that set a requirement for a case said in the clause before (“软件未办理著作权登记的，
    应当提交…”): their indexes."""
    return [i for i, clause in enumerate(said_clauses)
            if i and said_clauses[i - 1].endswith("的") and _REQUIRES.match(clause) and _shown(clause, quoted)]


# whether something is required (“是不是还非得另外做个评估报告”, “是不是得我们企业自己去申请”): the act after the word of need
# (the act may name a whole organisation: 是不是得让西咸新区融资担保有限公司来担保)
_ASKS_NEED = re.compile(r"(?:非得|必须|一定要|一定得|非要|需不需要|要不要|用不用|是不是得|是不是要|得不得|是否需要|是否必须)(.{1,20}?)(?:吗|么|呢|$)")
# a list whose head requires what it lists (申请登记，应当提交下列材料：…（六）…的，提交授权合同): each item is required,
# in its case
_NEED_LIST_HEAD = re.compile(rf"(?<![不无免])(?:{_MUST})(?:同时)?(?:提交|提供|报送|附送|上传|出具)(?:{LIST_WORDS})")
# whether something is waived, asked as a reading to confirm (是不是就不用另外交评估费了, 是否可以不交)
_ASKS_WAIVED = re.compile(r"(?:是不是|是否)(?:就|也|都)?(?:不用|不需要|不必|无需|可以不|能不|免)(.{2,14}?)(?:了)?(?:吗|么|呢|$)")
# a rule that waives it (企业不需要另行申请, 可以提交确认文件代替评估报告) or requires it (应当提交评估报告)
_NEED = re.compile(rf"(不需要|无需|无须|不必|不用|可以不|免于|免予|代替|替代)|({_MUST})")


def asks_need(question: str) -> bool:
    """The asking clause asks whether something must be done or is waived (是不是得让担保公司担保): a rule that requires
    or waives it answers, not the bounds the firm's figures meet."""
    said = asking(question)
    return bool(_ASKS_NEED.search(said) or _ASKS_WAIVED.search(said))


_CHARGES_NOTHING = re.compile(r"不收费|不收取(?:任何)?费用|免费|免收|无需(?:缴纳|支付|另付)|不需要?(?:缴纳|支付)")


def need_verdict(question: str, cited: list[Citation], quoted: str) -> tuple[Verdict, list[int]] | None:
    """A yes/no question whether something must be done, answered by the first quoted clause that waives or requires
    that act: its word of need is followed closely by a word of the act, and it shares another word with the
    question."""
    from assistant.answer.unstated import names_charge
    from assistant.retrieval.tokenizer import get_tokenizer

    tok = get_tokenizer()
    asked_text = asking(question)
    asked = _ASKS_NEED.search(asked_text)
    waived = None if asked else _ASKS_WAIVED.search(asked_text)
    if waived is not None:
        asked = waived  # “是不是就不用另外掏评估费了”: whether it is waived, so a clause that waives it says 是
    if asked is None:
        return None
    # a waiver asked is answered 是 / 不是: the firm's own reading of the rule, confirmed or not
    words = ("不是", "是") if waived is not None else ("需要", "不需要")
    # the act and what it is done to, said before the word of need in the same clause (评估费是不是要我们另外掏钱)
    before = (clauses(asked_text[: asked.start()] + "。") or [""])[-1] if asked_text[: asked.start()][-1:] not in "，," else ""
    act = {w for w in tok.words(f"{before} {asked.group(1)}") if len(w) >= 2}
    said = {w for w in tok.words(question) if len(w) >= 2}
    # what is to be handed in (要不要提交授权合同 → 授权合同): an item of a list of materials names it; the rest of the
    # question says whether the firm is in the item's case
    thing = {w for w in tok.words(asked.group(1)) if len(w) >= 2 and w not in _HANDING_IN}
    scene = question.replace(asked.group(1), "")
    in_scene = {w for w in tok.words(A_NOT_A.sub("", scene)) if len(w) >= 2}
    # paying is asked (要不要交钱, 要不要交代办费): a clause that charges nothing waives it
    charge = names_charge(asked.group(0)) or "费用" in act
    for c in cited:
        said_clauses = clauses(c.text)
        for i, clause in enumerate(said_clauses):
            if (not _shown(clause, quoted) or len(said & set(tok.words(clause))) < 2
                    or not _condition_met(said_clauses, i, said, question=question)):
                continue
            if charge and _CHARGES_NOTHING.search(clause):
                return Verdict(False, [strip_lead(clause)], words), [c.n]
            # an item of a list of what must be handed in is answered by its list: required in its case (（六）出质前已
            # 授权他人使用该作品的，提交授权合同) when the firm is in that case, and no other cited clause waives it for the
            # firm; a plain item may be replaced by what another article allows, and is left to the quotes
            listed = _listed_as_required(c.text, clause) and not clause.endswith("的")  # (五)以共有的…出质的: its case
            if listed and waived is None and thing and _names_thing(clause, thing):
                case = said_clauses[i - 1] if i and said_clauses[i - 1].endswith("的") else ""
                if not case or not _in_case(case, scene, in_scene, local=True) or _waives(cited, thing, scene):
                    return None
                return Verdict(True, [without_item_mark(f"{case}，{clause}")], words), [c.n]
            if listed:
                continue  # (八)其他需要提供的材料: an item, not a requirement of what is asked
            for m in _NEED.finditer(clause):
                window = clause[m.end(): m.end() + STANCE_WINDOW]
                if _NEED_LIST_HEAD.match(clause, m.start()):
                    continue  # 应当提交下列材料 requires the list, each item in its place
                if _names_act(window, act):
                    said_as = _said_more_of(said_clauses, i, thing, m.group(2) is not None) or clause
                    return Verdict(m.group(2) is not None, [strip_lead(said_as)], words), [c.n]
    return None


def _said_more_of(said_clauses: list[str], at: int, thing: set[str], required: bool) -> str | None:
    """Another clause of the passage that requires (or waives) the same way and says more of what is asked after its
    word of need (出质人应当取得…共有人的书面同意 over 同意文件应当载明出质专利的专利号, for 要不要学校书面同意): the
    passage answers, the clause saying what is asked is its reason. Two of the asked words at least."""
    from assistant.retrieval.tokenizer import get_tokenizer

    if not thing:
        return None
    tok = get_tokenizer()

    def told(clause: str) -> int:
        m = _NEED.search(clause)
        if m is None or (m.group(2) is not None) != required:
            return 0
        return len(_named_once(_act_words_in(clause[m.end():], thing), set(tok.words(clause)))[0])

    best = max(range(len(said_clauses)), key=lambda j: (told(said_clauses[j]), j == at))
    return said_clauses[best] if best != at and told(said_clauses[best]) >= 2 and told(said_clauses[best]) > told(said_clauses[at]) else None


_HANDING_IN = frozenset({"提交", "提供", "报送", "附送", "上传", "出具", "交上", "上交", "交上去", "递交", "准备"})


def _names_thing(clause: str, thing: set[str]) -> bool:
    """The clause names the thing asked to be handed in: every noun of it (授权合同的公证书 is not 授权合同; 委托书 is
    one word), or two of its words where it has no noun the dictionary knows."""
    from assistant.retrieval.tokenizer import get_tokenizer, outermost

    tok = get_tokenizer()
    whole = outermost(thing)
    nouns = {w for w in whole if tok.noun(w) or not tok.in_dictionary(w)}
    return nouns <= _act_words_in(clause, nouns) if nouns else _names_act(clause, thing, need=min(2, len(whole)))


def _waives(cited: list[Citation], thing: set[str], scene: str) -> bool:
    """A cited clause may waive or replace the thing for the firm (可以不提交评估报告, 可以提交确认文件代替评估报告): in no
    case, or in one the question does not deny (授权合同已备案的，可以不提交 waives nothing for a firm that has not
    filed it; for one that says nothing of filing, it may)."""
    for c in cited:
        said = clauses(c.text)
        for j, clause in enumerate(said):
            m = _NEED.search(clause)
            if m is None or not m.group(1) or not _names_thing(clause, thing):
                continue
            case = said[j - 1] if j and said[j - 1].endswith("的") else ""
            if not _denies(scene, case, informative=0.0):
                return True
    return False


def _listed_as_required(text: str, clause: str) -> bool:
    """The clause is an item (or an item's requirement after its case) of a list whose head requires what it lists."""
    normal, said = normalise(text), normalise(clause)
    at = normal.find(said)
    head = None if at < 0 else next(iter(reversed(list(_NEED_LIST_HEAD.finditer(normal, 0, at)))), None)
    if head is None:
        return False
    # the list runs on from its head to the clause: items, no sentence between that ends it
    between = normal[head.end(): at]
    return "。" not in between and (is_item(said) or in_open_item(between))


# what a rule says follows a case (…的，视为撤回申请; …的，可以不作为考核评价的扣分因素): the marker, then the predicate
_CONSEQUENCE = re.compile(r"^(?:可以|应当|将|则|一律)?(不予|不作为|不计入|不纳入|不再|视为|取消|暂停)(.{2,30})$")
_DENIES = frozenset({"不予", "不作为", "不计入", "不纳入", "不再"})
# a case that restates the requirement before it as missed (期满未补正的, 逾期未申报的)
_MISSED = re.compile(r"^(?:期满|逾期|届满|到期|超过期限|超期)未")
ASK_TAIL = re.compile(r"[了吗呢吧么？?！!。\s]+$")
CONSEQUENCE_END = 4  # characters at the asking clause's end where the consequence asked must be said (是不是就算撤回了)


_ASKS_ABSENCE = re.compile(r"免|豁免|不用|无需|不必")  # 是不是就免扣分了: asks that it does not follow


_NOUN_PREDICATE = frozenset({"不作为", "不计入", "不纳入"})  # markers followed by what the case is not counted as


def _predicate_heads(marker: str, predicate: str) -> set[str]:
    """The words a consequence is said by: after a marker taking an act (视为, 不予, 取消…) the act, its first word
    (视为撤回申请 → 撤回; 视为放弃该质押登记申请 → 放弃, not the application it gives up); after one taking what the case
    counts as (不作为…的扣分因素) the head noun after the last 的 (扣分因素, read as 扣分 and 因素 too)."""
    from assistant.retrieval.tokenizer import get_tokenizer

    tok = get_tokenizer()
    if marker in _NOUN_PREDICATE:
        head = predicate.rsplit("的", 1)[-1]
        return {w for w in [*tok.words(head), *tok.cut(head)] if len(w) >= 2}
    first = next((w for w in tok.cut(predicate) if len(w) >= 2), None)
    return {first} if first else set()


def _consequences_asked(question: str, cited: list[Citation]) -> list[tuple[Citation, int, re.Match[str]]]:
    """The clauses that set what follows a case (…的，视为撤回申请) whose own verb or head noun the asking clause ends
    on: (the passage, the clause's index, its match). None for a question asking that it does not follow (是不是不会被
    扣分, 是不是就免扣分了: its yes would say no) or whether the firm may take part (能申请吗)."""
    from assistant.retrieval.tokenizer import get_tokenizer

    tok = get_tokenizer()
    asked = asking(question)
    tail = ASK_TAIL.sub("", asked)[-CONSEQUENCE_END:]
    # whether the firm may take part is asked by a modal, or by its words at the clause's end (还能申请吗), not by a
    # noun the clause opens on (这次申请就当是撤回了)
    eligible = bool(re.search(r"能|可以|可否", asked)) or (asks_eligible(question) and bool(_ASKS_ELIGIBLE.search(tail)))
    if _NEGATION.search(A_NOT_A.sub("", asked)) or _ASKS_ABSENCE.search(asked) or eligible:
        return []
    ends_on = {w for w in tok.words(tail) if len(w) >= 2}
    if not ends_on:
        return []
    found = []
    for c in cited:
        said = clauses(c.text)
        for i, clause in enumerate(said):
            m = _CONSEQUENCE.match(clause)
            if m is None or i == 0 or not said[i - 1].endswith("的") or (_MISSED.match(said[i - 1]) and i < 2):
                continue
            if ends_on & _predicate_heads(m.group(1), m.group(2)):
                found.append((c, i, m))
    return found


def consequence_verdict(question: str, cited: list[Citation], today: dt.date | None = None) -> tuple[Verdict, list[int]] | str | None:
    """Whether what a rule says follows a case follows for the firm (是不是就算撤回了, 是不是就要被扣分了): the asking
    clause ends on the consequence's own verb or head noun; the case is the firm's by its own figures against the case's
    bound (…3个百分点（含）以内的) or, for a case restating a missed requirement (期满未补正的), against that
    requirement. The consequence follows when the case holds (视为撤回: 是), does not when the rule denies it (不作为…扣分
    因素: 不是). ``NOT_THE_CASE`` when every rule judged says the firm's case is another, of which the rules say nothing;
    None when none could be judged, or the rules judged disagree."""
    asked = asking(question)
    decided: list[tuple[Verdict, list[int]]] = []
    other = False
    for c, i, m in _consequences_asked(question, cited):
        said = clauses(c.text)
        case, clause = said[i - 1], said[i]
        missed = bool(_MISSED.match(case))
        judged = _case_judged(question, c, said[i - 2] if missed else case, today)
        if judged is None:
            continue  # a case with no bound (有下列情形之一的): the lists and bounds decide as they would
        words = ("会", "不会") if "会" in asked else ("能", "不能") if re.search(r"能|可以", asked) else ("是", "不是")
        if judged[0].ok is missed:
            if missed and m.group(1) not in _DENIES:
                # the requirement kept in time (15日内补正了): the lapse its missing sets does not follow
                reason = f"{'；'.join(judged[0].reasons)}，“{case}，{clause}”不适用"
                decided.append((Verdict(False, [reason], words, rules=[Rule(c.n, f"{said[i - 2]}；{case}，{clause}")]), [c.n]))
                continue
            other = True  # the firm's case is the other one
            continue
        follows = m.group(1) not in _DENIES
        reason = f"{'；'.join(judged[0].reasons)}，“{case}，{clause}”"
        decided.append((Verdict(follows, [reason], words, rules=[Rule(c.n, f"{case}，{clause}")]), [c.n]))
    if decided and not other and len({v.ok for v, _ns in decided}) == 1:
        return decided[0]
    return NOT_THE_CASE if other and not decided else None


NOT_THE_CASE = "not_the_case"  # a consequence asked of a case the rules judged are not the firm's


def _case_judged(question: str, c: Citation, case: str, today: dt.date | None) -> tuple[Verdict, list[int]] | None:
    """The firm's own figures and dates against one case (or requirement) of a passage, read alone."""
    return policy_verdict(question, [c.model_copy(update={"text": f"{case}。"})], today)


# a requirement a rule sets for a case (…3个月内提前归还全部贷款…的，应当自注销之日起30日内退回补助资金): its word of need
_CASE_REQUIRES = re.compile(rf"^(?:{_MUST})(.{{2,40}})$")


def case_requirement_verdict(question: str, cited: list[Citation], today: dt.date | None = None) -> tuple[Verdict, list[int]] | None:
    """Whether the firm must do what a rule requires of a case (要不要退回去): the asking clause asks whether it must,
    naming the required act by a verb of two characters at least the rule's clause says; the case has a bound the firm's
    own figures or dates judge. In the case: 需要; outside it: 不需要 (the rule asks it of that case only). None when no
    such rule is judged, or the rules judged disagree."""
    asked = _ASKS_NEED.search(asking(question))
    if asked is None:
        return None
    # the act as asked, after the word of need (退回去, 交评估报告): two characters of it the rule's requirement says, or
    # the one verb asked alone (要不要退)
    act = ASK_TAIL.sub("", asked.group(1))
    acts = _bigrams(act) or ({act} if len(act) == 1 else set())
    decided: list[tuple[Verdict, list[int]]] = []
    for c in cited:
        said = clauses(c.text)
        for i, clause in enumerate(said):
            m = _CASE_REQUIRES.match(clause)
            if m is None or i == 0 or not said[i - 1].endswith("的") or not any(a in m.group(1) for a in acts):
                continue
            case = said[i - 1]
            judged = _case_judged(question, c, case, today)
            if judged is None:
                continue
            reason = f"{'；'.join(judged[0].reasons)}，“{case}，{clause}”"
            decided.append((Verdict(judged[0].ok, [reason], ("需要", "不需要"), rules=[Rule(c.n, f"{case}，{clause}")]), [c.n]))
    return decided[0] if decided and len({v.ok for v, _ns in decided}) == 1 else None


def worded_verdict(question: str, cited: list[Citation], quoted: str) -> tuple[Verdict, list[int]] | None:
    """The verdict a quoted clause's own words give. A rule for the firm's own case comes first (an exclusion the firm
    states it falls under; a requirement for its case it asks to do without), as the special rule outranks the
    general one (可以自行办理 … 境内没有营业所的外国企业 … 应当委托代理机构); then one that allows or forbids the act
    asked, else one that waives or requires it."""
    return (excluded_verdict(question, cited, quoted) or required_otherwise(question, cited, quoted)
            or combined_verdict(question, cited, quoted)
            or stance_verdict(question, cited, quoted) or need_verdict(question, cited, quoted))


# a benefit the firm has (已经拿了区里的贴息, 正在报…) and one more it asks for (还能再报…吗, 另外给吗): whether the two
# combine, which a rule on combining decides
_HAS = re.compile(r"(?:已经|已|正在|刚)[^，。？?]{0,6}?(?:拿|报|享受|申请|领|补|批|获得)")
_AGAIN = re.compile(r"还能|还可以|还可|再|另外|也能|也可以")
_COMBINE_YES = re.compile(r"可以?同时(?:申请|享受)|可以?叠加|不属于同类")
_COMBINE_NO = re.compile(r"不得重复|不重复|不得同时|只能(?:享受|选择|申请)[^，。；]{0,4}一|不[得能]再申请|不再另[给行外]")


# the kinds of benefit, by what each pays for (the words of the field, not a programme's name): interest, guarantee
# fee, premium (not the 保费 inside 担保费), valuation fee, loss
_BENEFIT_KINDS = (("interest", re.compile(r"贴息|利息")), ("guarantee", re.compile(r"担保费")), ("premium", re.compile(r"(?<!担)保费")),
                  ("valuation", re.compile(r"评估费")), ("loss", re.compile(r"补偿")))
_REFERS = re.compile(r"本办法|本细则|上述")


def _benefits(text: str) -> set[str]:
    """The benefits a text names: by what each pays for, and each programme by its own name (the lexicon's)."""
    from assistant.lexicon.programmes import named_entities

    lowered = text.lower()
    return _kinds_of(text) | {n for n in named_entities() if n in lowered}


def _kinds_of(text: str) -> set[str]:
    """The kinds of benefit a text names by what each pays for (秦科保 is a premium subsidy, not a kind of its own)."""
    return {kind for kind, pattern in _BENEFIT_KINDS if pattern.search(text)}


def _referred(clause: str, c: Citation) -> str:
    """A clause with what it refers to: “本办法补助” is the document's own (its title), “上述补助” those of the passage."""
    return f"{clause} {c.title or ''} {c.text}" if _REFERS.search(clause) else clause


def _levels_named(text: str) -> frozenset[str]:
    """The levels of government a text names, by a level word (区里, 市级) or by a place (西安市 is a city's)."""
    return levels_in(text) | {p.level for p in gazetteer().places(text)}


def combined_verdict(question: str, cited: list[Citation], quoted: str) -> tuple[Verdict, list[int]] | None:
    """Whether a benefit combines with one the firm has or asks for beside it (“贴息已经拿了，保费还能再报秦科保吗”,
    “两项能同时申请吗”): the first quoted clause of a rule on combining (可以同时申请, 不属于同类; 不得重复, 就高不重复,
    不再另给) whose case the question names and whose level of government it asks about."""
    from assistant.retrieval.tokenizer import get_tokenizer

    if not _asks_another(question):
        return None
    tok = get_tokenizer()
    said = {w for w in tok.words(question) if len(w) >= 2}
    asked_levels = _levels_named(question)
    asked_kinds = _benefits(question)
    asked_paid = _kinds_of(question)  # by what each pays for
    for c in cited:
        said_clauses = clauses(c.text)
        for i, clause in enumerate(said_clauses):
            if not _shown(clause, quoted) or not _condition_met(said_clauses, i, said):
                continue
            # “已享受西安市…补贴的，不得再申请…，就高不重复” is the rule for a city subsidy, not for the district's two
            # asked about: a level its sentence names, through the deciding clause, is one asked about
            rule = _rule_through(clause, c.text)
            levels = _levels_named(rule)
            if levels and asked_levels and not levels & asked_levels:
                continue
            no, yes = _COMBINE_NO.search(clause), _COMBINE_YES.search(clause)
            # that two kinds combine (保费补贴与贷款贴息…不属于同类) answers a question about two of those kinds only
            if yes and not no and len(_benefits(_referred(clause, c)) & asked_kinds) < 2:
                continue
            # that one kind is not paid twice (不得同时享受市级和区级同类补贴; 已享受西安市…担保费补贴的，不得再申请本办法补助)
            # says nothing of two kinds asked about
            if no and len(asked_kinds) >= 2 and ("同类" in rule or len(asked_paid) >= 2
                                                  and len(_kinds_of(f"{rule} {c.title or ''}") & asked_paid) < 2):
                continue
            if no or yes:
                ok = yes is not None and no is None
                # “…不属于同类补贴，可以同时申请”: the clause after it that says the same goes along
                following = said_clauses[i + 1] if i + 1 < len(said_clauses) else ""
                same = bool((_COMBINE_YES if ok else _COMBINE_NO).search(following)) and _shown(following, quoted)
                return Verdict(ok, [_rule_through(following if same else clause, c.text)], ("可以", "不能")), [c.n]
    return None


_NEGATION = re.compile(r"未|没|不|无|尚未|非")
_DOES_WITHOUT = re.compile(r"(?:不找|不用|不交|不提交|不做|不经|免)([\u4e00-\u9fff]{2,4})")
_BY_ANOTHER = re.compile(r"委托|代理|由[\u4e00-\u9fff]{2,8}(?:办理|提出|申请)")


def required_otherwise(question: str, cited: list[Citation], quoted: str) -> tuple[Verdict, list[int]] | None:
    """Asked whether the firm may do something its own way (自己办、不找代理、不交), answered 不能 by a quoted rule that,
    for the case the question states, requires otherwise (…的外国企业办理的，应当委托专利代理机构办理). The case is the
    question's when it names at least half its words, or when both say the firm lacks the same thing (没有营业所)."""
    from assistant.retrieval.tokenizer import get_tokenizer

    tok = get_tokenizer()
    asked_text = next((c for c in clauses(_act_said(question)) if _OWN_WAY.search(c)), "")
    if not asked_text:
        return None
    # what the firm would do without: 不找代理 → 代理; doing it itself (自己办) goes against a rule that has another do it
    without = [w for m in _DOES_WITHOUT.finditer(asked_text) for w in tok.words(m.group(1)) if len(w) >= 2]
    said = {w for w in tok.words(question) if len(w) >= 2}
    for c in cited:
        said_clauses = clauses(c.text)
        for i in _case_requirements(said_clauses, quoted):
            clause = said_clauses[i]
            if _OWN_WAY.search(clause) or not (any(w in clause for w in without) or _BY_ANOTHER.search(clause)):
                continue  # the rule requires the own way itself (应当由企业自行申请), or only adds to it (应当提交书面证明)
            case = said_clauses[i - 1]
            if _condition_met(said_clauses, i, said) or (_NEGATION.search(case) and _lacked(question, case)):
                return Verdict(False, [f"{case}，{clause}"], ("可以", "不能")), [c.n]
    return None


# the head of a list of cases (“有下列情形之一的，”), and of one that excludes them with what it withholds:
# “有下列情形之一的，不予补助：”, “…的，移出白名单：”
_LIST_HEAD = r"有下列(?:情形|行为|情况)之一的[，,]?"
_EXCLUSION_HEAD = re.compile(rf"{_LIST_HEAD}([^：:。]{{0,80}})[：:]")
# a list that may exclude the firm's case, with its modal right after the head (“…之一的，不予补助：（一）…”)
_EXCLUSIONS = re.compile(rf"{_LIST_HEAD}[^：:。]{{0,16}}(?:{_FORBIDS})")
_WITHHOLDS = re.compile(rf"{_FORBIDS}|移出|终止|撤销|取消")
_ITEM = re.compile(r"[（(][一二三四五六七八九十]+[)）]")
_CATCH_ALL = re.compile(r"^其他")


def excluded_verdict(question: str, cited: list[Citation], quoted: str) -> tuple[Verdict, list[int]] | None:
    """不能, where the question states a case a quoted list excludes from what it asks (“有下列情形之一的，不予补助：…
    （三）…处于经营异常状态的” for a firm 被列进了经营异常名录 asking whether it may apply). An item's alternative (split
    at 或者) is the firm's case when the question names at least two and half of its words (a compound once), one not in the
    document's title (a valuation-fee rule's every item says 评估费), both said with or both without a negation
    (贷款逾期的 is no case of 贷款没有逾期); the words of what is asked are not counted (能登记吗 names no case)."""
    from assistant.retrieval.tokenizer import get_tokenizer

    tok = get_tokenizer()
    asked_text = asking(question)
    asked = {w for w in tok.words(asked_text) if len(w) >= 2}
    said = {w for w in tok.words(question) if len(w) >= 2} - asked
    own = [c for c in clauses(question) if not asks(c)]
    for c in cited:
        for head in _EXCLUSION_HEAD.finditer(c.text):
            # what the list withholds: the clause of its head that says so (国家知识产权局作出不予登记的决定)
            withholding = next((x for x in clauses(head.group(1)) if _WITHHOLDS.search(x)), "")
            if not _bigrams(_WITHHOLDS.sub("", withholding)) & _bigrams(asked_text):
                continue  # the list withholds something else than what is asked (终止合作协议 for a loan question)
            title = set(tok.words(c.title))
            body = c.text[head.end():]
            for item in (x.strip("；;。 \n") for x in _ITEM.split(body)):
                if not item or _CATCH_ALL.match(item) or not _shown(item, quoted):
                    continue
                for alt in re.split(r"或者|，或", item):
                    words = {w for w in tok.words(alt) if len(w) >= 2 and tok.informativeness(w) >= 0.4
                             and not _NEGATION.match(w)} - asked
                    # one member of an enumeration (控股、参股等关联关系) named is the whole enumeration named
                    in_case = said | {w for group in _enumerations(alt) if group & said for w in group}
                    met, whole = _named_once(words, in_case)
                    named = words & said
                    if len(met) < 2 or len(met) * 2 < len(whole) or not named - title:
                        continue
                    # where the question says it: the clauses holding a word of the item the title lacks
                    stating = [x for x in own or [question] if (named - title) & set(tok.words(x))]
                    if bool(_NEGATION.search(alt)) != any(_NEGATION.search(x) for x in stating):
                        continue
                    return Verdict(False, [f"有下列情形之一的，{withholding}：{item}"], ("可以", "不能")), [c.n]
    return None


_ENUMERATION = re.compile(r"([\u4e00-\u9fff]+)((?:、[\u4e00-\u9fff]{1,8})+)等([\u4e00-\u9fff]{2,8})")


def _enumerations(text: str) -> list[set[str]]:
    """The words of each enumeration a rule gives (“存在控股、参股等关联关系” → 控股, 参股, 关联关系): a case names the
    kind when it names one of its members. The first member is the last word before the first 、."""
    from assistant.retrieval.tokenizer import get_tokenizer

    tok = get_tokenizer()
    out = []
    for m in _ENUMERATION.finditer(text):
        first = tok.cut(m.group(1))[-1:]
        members = [*first, *(x for x in m.group(2).split("、") if x)]
        kind = tok.cut(m.group(3))[:1]
        out.append({w for x in [*members, *kind] for w in [x, *tok.words(x)] if len(w) >= 2})
    return out


def _circumstance(question: str) -> bool:
    """The question states the firm's own case besides what it asks (“我们老板在评估公司有参股。这种情况还能申请吗”)."""
    return any(not asks(c) for c in clauses(question))


# “是不是就进不了白名单了”, “是不是就申请不了了”, “是否不能再报”: a check whether the firm cannot, answered 是 when it cannot
# (a waiver asked, 是不是就不用…了, is need_verdict's, which answers in these words itself)
# (是不是不会被拒 asks for reassurance, not whether the firm cannot)
_CHECKS_CANNOT = re.compile(r"(?:是不是|是否|难道)[^，,。？?]{0,10}?(?:不能|不可以|不行|不给|不予|没法|无法|不让|不再|没资格|没有资格"
                            r"|[\u4e00-\u9fff]不(?:了|到|上|去|进|成|下来))")  # 申请不了, 进不去, 拿不到, 批不下来: cannot


# “是不是超期了”, “已经超过要求了吗”, “算不算逾期”: a check whether the firm is over a limit or late: the word ends its
# clause, but for a particle or the limit it is over (超过白名单的要求了吗). 超出1%的部分有补助吗 and 有逾期记录吗 name a
# part or a state, not a check; 可以超过3年吗 asks leave, 是不是没超过上限 asks the other way round.
_LATE = r"超期|逾期|过期|超时|晚了|迟了|拖过|拖延"
_CHECKS_OVER = re.compile(rf"({_LATE}|超过|超出|超标|超了)(?:[^，,。？?\d%]{{0,8}}?(?:要求|规定|标准|上限|限额|限制|期限|时限|时间|红线))?"
                          r"(?:了吗|了么|了没有?|吗|么|没有?|了)?\s*$")
_CHECK_WORDS = re.compile(r"是不是|是否|算不算|有没有|会不会")
_OVER_DENIED = re.compile(r"(?:没有?|未|不|能|可以?|允许|准|得)[^，,]{0,2}$")


def _checks_over(clause: str) -> str:
    """What the asking clause checks the firm is over: "time" (超期, 逾期 …: a deadline), "any" (超过, 超出 …: a limit
    of either kind), "" when it checks nothing of the kind."""
    text = clause.rstrip("？?。！! ")
    m = _CHECKS_OVER.search(text)
    if m is None or _OVER_DENIED.search(_CHECK_WORDS.sub("", text[: m.start()])):
        return ""
    # a bare 了 states (逾期都100天了); with a particle, or after the check words, it asks
    if not (re.search(r"(?:吗|么|没有?)$", text) or _CHECK_WORDS.search(text[: m.start()])):
        return ""
    return "time" if re.fullmatch(_LATE, m.group(1)) else "any"


def for_question(question: str, verdict: Verdict) -> Verdict:
    """The verdict in the question's own terms: a check whether the firm cannot (是不是就进不了白名单了) is answered 是
    where the rules say it cannot (不符合, 不能) and 不是 where they say it can, so the first word answers what was asked;
    a check whether the firm is over a limit or late (是不是超期了) is answered 是 where it fails the limit.
    Only a question that asks one thing (a check in one part does not turn another part's verdict), and only a verdict
    that says whether the firm may or meets a condition: one that a case a rule sanctions holds (不良率超过5%的，暂停…:
    符合 says the sanction follows) already answers an inability in its own polarity."""
    asked = [c for c in clauses(question) if asks(c)]
    if verdict.words in (("是", "不是"), ("不是", "是")) or verdict.sanction or len(asked) != 1:
        return verdict
    checked = _checks_over(asked[0])
    # being over a limit is said only of the limit kind asked (a lateness is no ratio's), and a figure "not over" only
    # when every number the question gives, its calendar dates aside, was judged
    over = (verdict.words == ("符合", "不符合") and bool(checked) and verdict.limit in ("time", "figure")
            and (checked == "any" or verdict.limit == "time") and not (verdict.ok and verdict.limit == "figure" and verdict.unjudged))
    if not over and not _CHECKS_CANNOT.search(asked[0]):
        return verdict
    return dataclasses.replace(verdict, ok=not verdict.ok, words=("是", "不是"))


def with_verdict(answer: Answer, verdict: Verdict, marks: str = "") -> Answer:
    """The answer led by its conclusion; a quote the conclusion already says in full, citing what it cites, is not
    said twice."""
    from assistant.answer.parts import bigrams, marks_of, said_before

    first = lead(verdict, marks)
    rest = [line for line in answer.answer.split("\n")
            if not (marks_of(line) <= marks_of(first) and said_before(line, bigrams(first)))]
    return answer.model_copy(update={"answer": "\n".join([first, *rest])})


_TIME_UNITS = ("日", "月", "年")


def claim_verdict(question: str, cited: list[Citation], quoted: str, min_shared: int = 2) -> tuple[Verdict, list[int]] | None:
    """A figure the question checks (“续保是不是还是80%”, “不能超过30%，对吧”) against the quoted sentence that
    states a figure of that unit about what the question names: the one sentence sharing a word of the question that
    no other such sentence shares (续保, not 首次投保). The same figure there says 是, another 不是."""
    from assistant.answer.extractive import sentences
    from assistant.retrieval.answer_type import is_cue
    from assistant.retrieval.tokenizer import get_tokenizer

    claims = [f for f in stated_figures(question) if f.claimed]
    if not claims and _CHECKS_WHETHER.search(question):
        # “白名单还是半年更新一次吗”: how often, checked, in the sentence that asks it or before a bare “是这样吗”;
        # a frequency the story recalls beside another question (…好像半年更新一次。…能赶上这个季度吗？) is not checked
        sents = [x for x in re.split(r"(?<=[。！!？?])", question) if x.strip()]
        bare = bool(sents) and len(re.sub(r"[^\u4e00-\u9fff]", "", sents[-1])) <= 5
        claims = frequencies(question if bare else "".join(x for x in sents if x.rstrip().endswith(("？", "?"))) or question)
    if len(claims) != 1:
        return None
    claim = claims[0]
    if sum(1 for f in stated_figures(question) if f.unit == claim.unit) > 1:
        return None  # “本金按500万还是300万算” asks which of two, not whether one holds
    tok = get_tokenizer()
    # what the question names, not the figure it checks (80% would pick the sentence stating 80%; the 工作日 of
    # 15个工作日 the sentences stating a number of working days)
    words = {w for w in tok.words(normalise(question).replace(claim.text, "，")) if len(w) >= 2 and not is_cue(w) and not re.search(r"\d", w)}
    candidates = []
    for c in cited:
        for s in sentences(c.text):
            if not _shown(s.rstrip("。；;"), quoted) or worked_example(s):
                continue  # unquoted, or a made-up case's figures (补助计算示例：…年担保费率0.8%): no rule's
            said = [f for f in (frequencies(s) if claim.unit == _PER_YEAR else stated_figures(s)) if f.unit == claim.unit]
            # of several figures, those said right after a word of the question (发明专利40%, not 实用新型25%)
            bound = [f for f in said if any(w in f.attribute for w in words)]
            figures = bound or said
            if figures:
                candidates.append((words & set(tok.words(s)), s, figures, c.n))
            elif claim.unit in _TIME_UNITS and _CALENDAR.search(s):
                # a time limit the rule sets on the calendar (放款后次月10日前) is no limit counted in days: not the one claimed
                candidates.append((words & set(tok.words(s)), s, [], c.n))
    if not candidates:
        return None
    # the sentence sharing most of the question's words, and one word no other candidate shares
    top = max(len(x[0]) for x in candidates)
    best = [x for x in candidates if len(x[0]) == top]
    others = set().union(*(x[0] for x in candidates if x is not best[0]))
    if len(best) != 1 or top < min_shared or (len(candidates) > 1 and not best[0][0] - others):
        return None
    _shared, sentence, figures, n = best[0]
    # 15个工作日 is not 15日: the same number of days counts the same only in the same kind of day
    same = any(abs(f.value - claim.value) <= 1e-9 and ("工作日" in f.text) == ("工作日" in claim.text) for f in figures)
    # the stretch of the sentence that states the figure (“发明专利40%（占评估值）”), not the whole record line
    pieces = re.split(r"[：:；;，,]", unmarked(sentence))
    at = next((i for i, p in enumerate(pieces) if any(f.text in normalise(p) for f in figures) or (not figures and _CALENDAR.search(p))),
              None)
    stretch = sentence if at is None else pieces[at]
    if at and pieces[at - 1].endswith("的"):  # the case it is the figure of (“续保同一险种的，按…60%”)
        stretch = f"{pieces[at - 1]}，{stretch}"
    return Verdict(same, [stretch.rstrip("。；;")], ("是", "不是")), [n]


# how often something happens: a period and a count in it (每季度更新一次, 每半年申报一次, 一年报两次)
_FREQUENCY = re.compile(rf"(每半年|半年|每季度|每个?季度|季度|每个?月|每年|一年|每两年)[^，。；;？?\d]{{0,5}}?({NUM})次")
_PERIOD_MONTHS = {"半年": 6, "季度": 3, "月": 1, "年": 12, "两年": 24}
_PER_YEAR = "次/年"
_CHECKS_WHETHER = re.compile(r"是不是|是否|还是|吗[？?]?$")


def frequencies(text: str) -> list[Stated]:
    """How often a text says something happens, as times a year (每季度一次 → 4): a figure a claim may check."""
    out = []
    for m in _FREQUENCY.finditer(normalise(text)):
        count = to_number(m.group(2))
        period = next((months for key, months in _PERIOD_MONTHS.items() if m.group(1).endswith(key)), None)
        if count and period:
            before = normalise(text)[max(0, m.start() - 10): m.start()]
            out.append(Stated(12 / period * count, _PER_YEAR, m.group(0), before, before[-6:], True, ""))
    return out
