"""Whether a step the firm missed can still be taken: a rule that says what follows from missing it (企业未在规定月份申报
的，视为放弃该期贴息; 原登记期限届满未办理延期的，质权登记自动失效; 逾期不予受理) answers 不能 to a firm that says it did not
take that step (7月那轮忘了没报 / 没去办延期) and asks to take it late (明年1月一块儿补上可以吗 / 现在补办还来得及吗).

Only a lapse rule decides, and only for the step it names: a firm that missed one period and asks about the next
(上半年没报，下半年还能报吗) asks no late step, and a rule that defers a late filing (逾期提交的，纳入下一季度办理) is no lapse.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from assistant.answer.types import Citation
from assistant.retrieval.answer_type import asking, clauses

# what follows from a step not taken in time: the step is lost, not put off
_LAPSE = re.compile(r"(?:即被|即|则|一律)?(?:视为(?:自动)?(?:放弃|撤回)|自动失效|(?:不予|不再)受理)")
# the case a lapse follows from: the step not taken (未补正, 未在规定月份申报) or its time passed (逾期, 期满, 届满)
_NOT_TAKEN = re.compile(r"未|逾期|期满|届满")
# the firm says it did not take the step: a negation, or forgetting or missing it (忘了报, 错过了申报), a few characters before
_MISSED_BEFORE = r"(?:没|未|忘了?|忘记|错过了?|漏)[\u4e00-\u9fff]{0,4}?"
# the asking clause asks to take the step late: make it up (补上, 补办), do it with a later round (一起报, 一块儿), or whether
# doing it now is in time or still counts (来得及, 作数); not a benefit named by 补 (补贴, 补助, 补偿)
_LATE_ASK = re.compile(r"补(?!贴|助|偿|息)|来得及|赶得上|作数|算数|还有效|一起|一块|一并")
if TYPE_CHECKING:
    from assistant.answer.verdict import Verdict

_STEP_WORD = re.compile(r"[\u4e00-\u9fff]{2,4}")


def _lapses(text: str) -> list[tuple[str, str]]:
    """Each lapse rule of a passage as (its case with the step it names, the whole rule as said): …未在规定月份申报的，视为
    放弃该期贴息 → (未在规定月份申报的, …); for 逾期不予受理 the case is the requirement said before it (应当自贷款发放之日起6个
    月内提出申请)."""
    said = clauses(text)
    out = []
    for i, clause in enumerate(said):
        m = _LAPSE.search(clause)
        if m is None:
            continue
        before = clause[: m.start()]
        if _NOT_TAKEN.search(before) and before.strip("，,的 ") not in ("逾期", "期满", "届满"):
            case = before  # 逾期未申请的视为放弃
        elif i > 0 and said[i - 1].endswith("的") and _NOT_TAKEN.search(said[i - 1]):
            case = said[i - 1]  # 期满未补正的，视为撤回申请
        elif before.strip("，,的 ") in ("逾期", "期满", "届满") and i > 0:
            case = said[i - 1]  # 应当自贷款发放之日起6个月内提出申请，逾期不予受理
        else:
            continue
        rule = f"{case}，{clause}" if case is not before else clause
        out.append((case, rule))
    return out


def _steps(case: str) -> list[str]:
    """The step a case names, by the words it ends on and the verbs after its 未 (未在规定月份申报的 → 申报; 未办理延期的 →
    办理, 延期; the requirement 应当…提出申请 → 申请)."""
    from assistant.retrieval.tokenizer import get_tokenizer

    tok = get_tokenizer()
    words = [w for w in tok.cut(case.rstrip("的，, ")) if _STEP_WORD.fullmatch(w)]
    after = [w for w in tok.cut(case.split("未", 1)[1].rstrip("的，, ")) if _STEP_WORD.fullmatch(w)] if "未" in case else []
    # the last word, and after 未 its verbs (提交 in 未在规定期限内提交…报告), or all its words when they are two at most
    steps = [*words[-1:], *(after if len(after) <= 2 else [w for w in after if tok.verb(w)])]
    # a step said as one dictionary word (提出申请) is said by its parts too (没申请)
    return list(dict.fromkeys([*steps, *(p for s in steps for p in tok.search_pieces(s) if p != s and _STEP_WORD.fullmatch(p))]))


def _missed(question: str, steps: list[str]) -> bool:
    """The question says the firm did not take the step: a negation before the step's word, or before its last character
    when that is what is said (申报 said as 没报)."""
    forms = {s for s in steps} | {s[-1] for s in steps}
    return any(re.search(f"{_MISSED_BEFORE}{re.escape(f)}", question) for f in forms)


def _late_asked(question: str) -> bool:
    """The sentence that asks asks to take a step late (一块儿补上，可以吗: the asking clause may be a bare 可以吗), in a
    clause that does not say the step was missed (没补交 says what was not done, not what is asked)."""
    asked = asking(question)
    sentence = next((s for s in re.split(r"(?<=[。？！?!])", question) if asked.split("，")[0] in s), question)
    return any(_LATE_ASK.search(c) and not re.search(_MISSED_BEFORE, c) for c in clauses(sentence))


def lapse_verdict(question: str, cited: list[Citation]) -> tuple[Verdict, list[int]] | None:
    """不能, where the firm says it missed a step, asks to take it late, and a cited rule says missing it loses it."""
    from assistant.answer.verdict import Rule, Verdict

    if not _late_asked(question):
        return None
    for c in cited:
        for case, rule in _lapses(c.text):
            steps = _steps(case)
            if steps and _missed(question, steps):
                return Verdict(False, [f"“{rule.strip('，。；; ')}”"], ("可以", "不能"), rules=[Rule(c.n, rule)]), [c.n]
    return None
