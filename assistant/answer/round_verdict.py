"""Which filing round takes a payment: a rule that files in rounds, each for a period of payments (每年1月申报上一年度7月
至12月已支付的利息，每年7月申报当年1月至6月已支付的利息), answers whether the round the firm means to file in (明年1月再报,
12月份提前报) takes the months it paid in (今年9月、11月交的担保费; 1到6月的利息): 可以 when that round's period holds
every month paid, 不能 when it holds none of them or the month named is no round's.

Only a rule that names its rounds and their periods decides, only for a question that names both the months paid and
the month it means to file in, and asks whether that works.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from assistant.answer.extractive import strip_lead
from assistant.answer.types import Citation
from assistant.retrieval.answer_type import asking, clauses

if TYPE_CHECKING:
    from assistant.answer.verdict import Verdict

# a round and the period it files for: 每年1月申报上一年度7月至12月已支付的利息
_ROUND = re.compile(r"每年(\d{1,2})月(?:份)?(?:集中)?申报(上一年度|上年度|上一年|上年|当年|本年度|本年)?(\d{1,2})月(?:至|到|—|－|-|～)(\d{1,2})月"
                    r"(?:期间)?(?:已|实际)?(?:支付|缴纳|发生|产生)的([\u4e00-\u9fff]{1,6})")
_PRIOR = ("上一年度", "上年度", "上一年", "上年")
# months the question says, with the year word before them (明年1月, 今年3月, 7到11月, 9月、11月)
_MONTHS = re.compile(r"(明年|今年|去年|下一年|(?:19|20)\d{2}年)?(\d{1,2})(?:月(?:份)?)?(?:(?:到|至|—|－|-|～)(\d{1,2})月(?:份)?|月(?:份)?)")
_YEAR = {"明年": 1, "下一年": 1, "今年": 0, "去年": -1}
# paying: 付, 缴, or 交 of money (交的担保费, 交清了; not 交材料, which is filing)
_PAID = re.compile(r"付|缴|交(?:了|清|的|过)?(?=[^，。？?]{0,6}(?:费|钱|款|利息|了|清|的))(?![^，。？?]{0,6}材料)")
_FILES = re.compile(r"报")
# the round the firm means to file in: a month with a word of filing later or again (再报, 再去报, 提前报, 再开报)
_LATER = re.compile(r"再|等到|提前|到时|那时|下次|明年")
_SUM = re.compile(r"\d+(?:\.\d+)?\s*(?:万|亿|元|块|%|％)|[一二两三四五六七八九十百千]+(?:万|亿|元|块)")
_ASKS = re.compile(r"行吗|行不行|能行|可以吗|可不可以|能不能|来得及|还能|算进去|能算|能报")


@dataclass(frozen=True)
class Round:
    month: int  # the month the round files in
    prior: bool  # it files for the year before
    first: int  # the months paid that it takes
    last: int
    what: str  # what was paid (利息, 担保费)
    rule: str  # the rule as said
    citation: int


def _rounds(c: Citation) -> list[Round]:
    out = []
    for clause in clauses(c.text):
        for m in _ROUND.finditer(clause):
            out.append(Round(int(m.group(1)), (m.group(2) or "") in _PRIOR, int(m.group(3)), int(m.group(4)), m.group(5),
                             strip_lead(clause), c.n))
    return out


def _said_months(text: str, year: int) -> list[tuple[int, int]]:
    """The (year, month) pairs a clause names: a range (7到11月) is each month of it; a month without a year word is in
    the year of the one before it in the clause (明年1月和7月), else ``year``."""
    out: list[tuple[int, int]] = []
    for m in _MONTHS.finditer(text):
        first = int(m.group(2))
        last = int(m.group(3)) if m.group(3) else first
        if not (1 <= first <= last <= 12):
            continue
        said = m.group(1) or ""
        at = int(said[:4]) if said[:2] in ("19", "20") else year + _YEAR[said] if said else out[-1][0] if out else year
        out += [(at, k) for k in range(first, last + 1)]
    return out


def _months_text(months: list[int]) -> str:
    """Months as said: runs of three or more as a range (1月至6月), the rest one by one (9月、11月)."""
    runs: list[list[int]] = []
    for m in months:
        if runs and m == runs[-1][-1] + 1:
            runs[-1].append(m)
        else:
            runs.append([m])
    return "、".join(f"{r[0]}月至{r[-1]}月" if len(r) >= 3 else "、".join(f"{m}月" for m in r) for r in runs)


def round_verdict(question: str, cited: list[Citation], today: dt.date | None = None) -> tuple[Verdict, list[int]] | None:
    from assistant.answer.verdict import Verdict

    asked = asking(question)
    if not _ASKS.search(asked) or _SUM.search((clauses(asked) or [asked])[-1]):
        return None  # an amount in what is asked (还能按当初交的3万去算吗) asks about the sum, not the round
    rounds = [r for c in cited for r in _rounds(c)]
    if not rounds:
        return None
    now = today or dt.date.today()
    year = now.year
    paid: list[tuple[int, int]] = []
    filing: tuple[int, int] | None = None
    for clause in clauses(question):
        months = _said_months(clause, year)
        if not months:
            continue
        if _FILES.search(clause) and _LATER.search(clause):
            filing = months[-1]  # the last round named to file in is the one asked about
            if not any(m.group(1) for m in _MONTHS.finditer(clause)) and filing[1] < now.month:
                filing = (year + 1, filing[1])  # “等1月份再报”: the next such month to come
        elif (_PAID.search(clause) or any(f"月的{r.what}" in clause for r in rounds)) and not _FILES.search(clause):
            paid += months  # paid in those months (9月交的), or the months' own payments (1到6月的利息)
    if filing is None or not paid:
        return None
    # the rounds of what the question names as paid (利息, 担保费): a thing the rounds are not for (保费) is not theirs
    named = [r for r in rounds if r.what in question]
    if not named:
        return None
    taking = [r for r in named if r.month == filing[1]]
    filed = f"{filing[0]}年{filing[1]}月" if filing[0] != year else f"{filing[1]}月"
    said = _months_text(sorted({m for _y, m in paid}))
    if not taking:
        in_months = "、".join(dict.fromkeys(f"{x.month}月" for x in named))
        return (Verdict(False, [f"{filed}不是申报月份（每年{in_months}申报），“{named[0].rule}”"], ("可以", "不能")),
                sorted({x.citation for x in named}))
    r = taking[0]
    period_year = filing[0] - 1 if r.prior else filing[0]
    held = [(y, m) for y, m in paid if y == period_year and r.first <= m <= r.last]
    if held and len(held) < len(paid):
        return None  # some months in it, some not: each goes to its own round
    ok = bool(held)
    reason = f"{filed}申报的是{period_year}年{r.first}月至{r.last}月支付的{r.what}，您所说的{said}{'在' if ok else '不在'}其中，“{r.rule}”"
    return Verdict(ok, [reason], ("可以", "不能")), [r.citation]
