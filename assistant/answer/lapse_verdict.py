"""Whether a step the firm missed can still be taken: a rule that says what follows from missing it (企业未在规定月份申报
的，视为放弃该期贴息; 原登记期限届满未办理延期的，质权登记自动失效; 逾期不予受理) answers 不能 to a firm that says it missed
that step (7月那轮忘了没报 / 期限到了没去办延期) and asks, in what it asks, to take it late (一块儿补上可以吗 / 现在补办还
来得及吗 / 还作数吗).

A firm that missed the step and asks whether the consequence follows (没申报，是不是就视为放弃了) is answered 是 by the
same rule.

Only a lapse rule decides, only for the step it names, and only where the firm says the step was missed, not that it is
still to be done (还没提出申请，现在申请来得及吗: the time may not have run out) or that its time has not come (没到期):
a firm that missed one round and asks about the next (上半年没报，下半年的还能报吗) asks no late step, and a rule that
defers a late filing (逾期提交的，纳入下一季度办理) is no lapse.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from assistant.answer.extractive import strip_lead
from assistant.answer.types import Citation
from assistant.retrieval.answer_type import asking, clauses

if TYPE_CHECKING:
    from assistant.answer.verdict import Verdict

# what follows from a step not taken in time: the step is lost, not put off
_LAPSE = re.compile(r"(?:即被|即|则|一律)?(?:视为(?:自动)?(?:放弃|撤回)|自动失效|(?:不予|不再)受理)")
# the case a lapse follows from: the step not taken (未补正, 未在规定月份申报) or its time passed (逾期, 期满, 届满)
_NOT_TAKEN = re.compile(r"未|逾期|期满|届满")
_TIME_PASSED = ("逾期", "期满", "届满")
# the firm says it did not take the step: a negation, or forgetting or missing it (忘了报, 错过了申报, 漏报), before the
# step with at most words of going, doing or timing between (没去办延期, 忘了申请延期; not 没提交延期协议, whose step is
# another); “没有错过”, “没有忘记” and “没忘” say the opposite
_MISSED_BEFORE = (r"(?:(?<![没不未])(?<!没有)(?:忘了?|忘记|错过了?|漏)|没|未)"
                  r"(?:有|去|再|来|及时|按时|按期|办|申请|办理|提出|了){0,2}")
# …but a step not yet taken (还没提出申请) is missed only where the firm says its time has passed (过了, 上个月就到了)
_NOT_YET = re.compile(r"(?:还|尚|暂)(?:没|未)")
_PASSED = re.compile(r"过了|超过|逾期了|错过|到期了|就到了|已经到期|届满了|已过|过期|晚了|那轮|那次|当期|漏")
# the firm denies that a time has run out (没到期, 没逾期, 还没满, 申报期还没结束, 还有一周): nothing is missed
_TIME_DENIED = re.compile(r"(?:没|未|不)(?:有)?(?:到期|逾期|满|过期|超过|超期|结束|截止)|还有[^，。？?]{0,3}(?:天|周|星期|个月)")
# the asking clause asks to take the step late: make it up (补上, 补办 — not a benefit named by 补: 补贴, 补助, 补偿, 补充,
# 以奖代补), do it with a later round (一起报, 一块儿), or whether doing it now is in time or still counts
_MAKE_UP = re.compile(r"(?<![奖代])补(?!贴|助|偿|息|充)")
_IN_TIME = re.compile(r"来得及|赶得上|作数|算数")  # whether doing it now is in time or still counts (of the step itself)
_JOINED = re.compile(r"一起|一块|一并")  # done with another round: only of the missed step (not 两项补贴能一起申请吗)
_STATUS = re.compile(r"作数|算数")  # whether it still counts: answered 是 / 否, not 可以 / 不能
# a later round named in what is asked (明年1月申报下半年的…): the request is for that round, not the missed one
_OTHER_ROUND = re.compile(r"下半年|上半年|下一|下个|下期|明年|今年|后年")
_STEP_WORD = re.compile(r"[\u4e00-\u9fff]{2,4}")
# filing verbs said by their last character (申报, 上报 as 报; 提交, 上交 as 交); other steps only whole
_FILING_PREFIX = frozenset("申提上呈缴")
_FILING_LAST = frozenset("报交")
_SETS_TIME = re.compile(r"\d+\s*(?:个)?(?:工作日|日|天|个月|月|年)")
_DEADLINE = re.compile(r"时间|期限|截止|(?:个月|日|天|年)(?:之?内|以?前)")  # a time set for the step, not a period it reports on (申报内容为…期间)
_COMPLEMENTS = frozenset("上了完齐好到成")  # 没报上, 没交齐: the step with how it ended


@dataclass(frozen=True)
class Lapse:
    """A lapse rule: the step its case names (未在规定月份申报的), and the rule as said."""

    case: str
    rule: str
    requirement: bool = False  # the case is a requirement (…6个月内提出申请) whose time has passed (逾期不予受理)


def _lapses(text: str) -> list[Lapse]:
    """Each lapse rule of a passage: …未在规定月份申报的，视为放弃该期贴息; 期满未补正的，视为撤回申请; 逾期未申请的视为放弃;
    and …6个月内提出申请，逾期不予受理, whose case is the requirement said before it."""
    said = clauses(text)
    out = []
    for i, clause in enumerate(said):
        m = _LAPSE.search(clause)
        if m is None:
            continue
        before = clause[: m.start()]
        bare = before.strip("，,的 ")
        if _NOT_TAKEN.search(before) and bare not in _TIME_PASSED:  # 逾期未申请的视为放弃
            out.append(Lapse(before, clause))
        elif i > 0 and said[i - 1].endswith("的") and _NOT_TAKEN.search(said[i - 1]):  # 期满未补正的，视为撤回申请
            out.append(Lapse(said[i - 1], f"{said[i - 1]}，{clause}"))
        elif bare in _TIME_PASSED and i > 0 and not said[i - 1].endswith("的"):  # …6个月内提出申请，逾期不予受理
            # the requirement is the nearest clause before it that sets a time (申报时间为每年3月1日至4月30日, not the
            # 申报内容为… said after it)
            near = [said[j] for j in range(i - 1, max(-1, i - 4), -1)]
            timed = next((c for c in near if _SETS_TIME.search(c) and _DEADLINE.search(c)), said[i - 1])
            out.append(Lapse(timed, f"{timed}，{clause}", requirement=True))
    return out


def _steps(lapse: Lapse) -> list[str]:
    """The step a lapse's case names: after its 未 (or 逾期不), up to any alternative (未补正或者补正后仍不符合规定的 → 补正; 未办理延期的
    → 办理, 延期 — both, as the rule says them), its verbs, or its words when they are two at most; for a requirement, the
    step said after its time (自…之日起6个月内提出申请 → 提出申请; 5月1日至5月31日申报… → 申报)."""
    from assistant.retrieval.tokenizer import get_tokenizer

    tok = get_tokenizer()
    case = lapse.case.split("或者")[0].split("或")[0].rstrip("的，, ")
    if lapse.requirement:
        pieces = re.split(r"内|前|之日起|日(?=[\u4e00-\u9fff])", case)
        words = [w for w in tok.cut(pieces[-1]) if _STEP_WORD.fullmatch(w)]
        if not words:  # the step named before its time (申报时间为每年3月1日至4月30日)
            words = [w for w in tok.cut(pieces[0]) if _STEP_WORD.fullmatch(w)]
        return words[:1]
    negated = re.split(r"未|(?<=逾期)不|(?<=期满)不", case, maxsplit=1)  # 未补正的, 逾期不提交的
    if len(negated) < 2:
        return []
    words = [w for w in tok.cut(negated[1]) if _STEP_WORD.fullmatch(w)]
    return words if len(words) <= 2 else [w for w in words if tok.verb(w)] or words[-1:]


def _forms(steps: list[str]) -> set[str]:
    """How a firm says the steps: the words, their parts (提出申请 → 申请), a filing verb by its last character (没报), and
    making up by its verb (补正, 补交 said as 没补)."""
    from assistant.retrieval.tokenizer import get_tokenizer

    tok = get_tokenizer()
    words = {p for s in steps for p in [s, *tok.search_pieces(s)] if _STEP_WORD.fullmatch(p)}
    spoken = {w[-1] for w in words if len(w) == 2 and w[0] in _FILING_PREFIX and w[-1] in _FILING_LAST}
    return words | spoken | {"补" for w in words if len(w) == 2 and w[0] == "补"}


def _missed(question: str, forms: set[str]) -> bool:
    """The firm says it missed the step: a negation or a word of missing before a form of it, and no denial that its
    time has run out; a step only not yet taken (还没申请) counts where the firm says the time has passed."""
    from assistant.retrieval.tokenizer import get_tokenizer

    if _TIME_DENIED.search(question):
        return False
    ends, at = set(), 0
    for w in get_tokenizer().cut(question):  # a form is said as a word of its own (没报, not 没报名)
        at += len(w)
        ends.add(at)
    for f in forms:
        for m in re.finditer(f"{_MISSED_BEFORE}{re.escape(f)}", question):
            # (or with how it ended: 没报上, 没交齐)
            if m.end() not in ends and not (question[m.end():m.end() + 1] in _COMPLEMENTS and m.end() + 1 in ends):
                continue
            # a step not yet taken, where the same clause says its time has passed (过了期限还没补)
            clause = next((c for c in clauses(question) if m.group() in c), question)
            if not _NOT_YET.match(question, max(0, m.start() - 1)) or _PASSED.search(clause):
                return True
    return False


def _request(question: str) -> str:
    """What the firm asks to do: the asking clause, or with a bare one (可以吗, 行不行) the clause said before it."""
    asked = asking(question)
    said = clauses(question)
    last = asked.split("，")[-1]
    if len(re.sub(r"[吗呢吧么？?！!。\s]|可以|行不行|行|能不能|好不好|是不是|对不对", "", last)) <= 1:
        at = next((i for i, c in enumerate(said) if c == last), None)
        if at:
            return f"{said[at - 1]}，{asked}"
    return asked


def _late_request(request: str, forms: set[str]) -> bool:
    """The request takes the missed step late: it makes up the step (补报, 补上), joins the step itself to another round
    (一起报), or asks whether doing it now is in time or still counts, and names no later round of its own."""
    made_up, joined = bool(_MAKE_UP.search(request)), bool(_JOINED.search(request))
    if _OTHER_ROUND.search(request) and not (made_up or joined):
        return False  # 明年1月申报下半年的还来得及吗: that round's own filing
    return made_up or bool(_IN_TIME.search(request)) or (joined and any(f in request for f in forms))


def lapse_verdict(question: str, cited: list[Citation]) -> tuple[Verdict, list[int]] | None:
    """不能 (or 否, asked whether it still counts), where the firm says it missed a step, asks to take it late, and a cited
    rule says missing it loses it."""
    from assistant.answer.verdict import Rule, Verdict

    request = _request(question)
    for c in cited:
        for lapse in _lapses(c.text):
            forms = _forms(_steps(lapse))
            if not forms or not _missed(question, forms):
                continue
            rule = strip_lead(lapse.rule).strip("，。；; ")
            if _late_request(request, forms):
                words = ("是", "否") if _STATUS.search(request) else ("可以", "不能")
                return Verdict(False, [f"“{rule}”"], words, rules=[Rule(c.n, lapse.rule)]), [c.n]
            if _asks_consequence(question, lapse):  # 没申报，是不是就视为放弃了: it follows
                return Verdict(True, [f"“{rule}”"], ("是", "不是"), rules=[Rule(c.n, lapse.rule)]), [c.n]
    return None


def _asks_consequence(question: str, lapse: Lapse) -> bool:
    """What is asked is whether the rule's consequence follows: the asking clause ends on its word (放弃, 撤回, 失效, 受理)
    with no negation before it (是不是就视为放弃了; not 是不是不会视为放弃, 失效了还能处置吗)."""
    from assistant.answer.verdict import ASK_TAIL

    said = _LAPSE.search(lapse.rule)
    asked = asking(question)
    if said is None:
        return False
    word = re.sub(r"^(?:即被|即|则|一律)?(?:视为(?:自动)?|自动|不予|不再)", "", said.group())
    # said where the clause ends (是不是就失效了), not as the scene of another question (质权失效了银行还能处置吗)
    tail = ASK_TAIL.sub("", asked)
    at = tail.rfind(word)
    if at < 0 or re.search(r"不会|不用|不算|没有|不被|免于?", tail[:at]):
        return False
    rest = tail[at + len(word):]  # nothing after it but the rule's own object (视为放弃本年度补助了)
    return len(rest) <= 2 or rest in lapse.rule[said.end():]
