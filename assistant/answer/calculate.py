"""Calculation questions answered by computing: “贷了400万，利率3.8%，一年期，区里贴息能拿多少？” gets 7.6万元 with
its formula and the articles of each rule, not the rule's worked example for other numbers.

The rules are data (``corpus/products/subsidies.yaml``, each with its document and articles); the figures are the
user's own, read from the question and, for what it leaves out, from the earlier turns of the chat. A figure the
calculation needs and nobody gave is asked for; nothing is assumed silently.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from assistant.dialogue.numbers import NUM, YUAN_WORD, normalise, to_number, to_yuan, yuan_in_figures
from assistant.lexicon.ip_types import mentions
from assistant.lexicon.places import Place, gazetteer
from assistant.products.schema import Product
from assistant.products.subsidies import Basis, SubsidyBook, SubsidyRule
from assistant.retrieval.answer_type import A_NOT_A, asking
from assistant.units import pct, wan

# What each calculation is called by the people who ask for it. A question that names one of these and gives (or
# had given) a figure is a calculation; the rule kinds are those of subsidies.yaml, plus borrowing against IP.
# “能贷到180万吗”: whether a loan of that size is within reach, answered by the most computed on the valuations
_LOAN_OF = rf"(?:能|可以|可)(?:贷|借|批)到?{NUM}\s*(?:万|亿)"
KIND_TERMS: dict[str, re.Pattern[str]] = {
    "valuation": re.compile(r"评估费"),
    "guarantee": re.compile(r"担保费"),
    "premium": re.compile(r"(?<!担)保费|保险费|投保"),
    "risk": re.compile(r"风险补偿|补偿|资金池|不良|坏账|本金损失"),
    "interest": re.compile(r"贴息|利息补|利息.{0,4}(?:补|返|报销)|贴多少|能贴"),
    "borrow": re.compile(rf"(?:能|可以|可|最多|最高)(?:贷|借|融)(?:多少|几)|贷款额度|可贷|质押率|{_LOAN_OF}"),
}
_HOW_MUCH = re.compile(r"多少|几|怎么算|算一下|算算|能拿|能补|能领|能返|补多少|额度")

# a money figure, and the words around it that say what it is
_CHARGES = "手续费|咨询费|评审费|保证金|服务费|公证费|登记费|账户管理费|诉讼费|拍卖费|律师费|执行费|仲裁费"
# the acts of recovering a loss whose cost is said by the act before it (诉讼拍卖花了20万, 打官司花了8万)
_RECOVERING = "打官司|诉讼|拍卖|律师|执行|仲裁|催收"
_MONEY = re.compile(rf"({NUM})\s*(亿|千万|百万|万)\s*(?:元|块)?|(\d+(?:\.\d+)?)\s*{YUAN_WORD}")
_CLAUSE_END = "，。,；;？?"
_ROLE_AFTER: list[tuple[str, re.Pattern[str]]] = [
    ("loss", re.compile(r"^(?:元|块)?(?:的)?(?:贷款)?(?:不良|损失|坏账|没还上|还不上|烂)")),
    ("fee", re.compile(r"^(?:元|块)?(?:的)?评估费")),
    ("guarantee_fee", re.compile(r"^(?:元|块)?(?:的)?担保费(?!率)")),
    ("premium", re.compile(r"^(?:元|块)?(?:的)?(?:保费|保险费)")),
    ("other_value", re.compile(r"^(?:元|块)?(?:的)?(?:房|厂房|办公楼|土地|设备)")),
    ("interest", re.compile(r"^(?:元|块)?利息")),  # “付了18万利息”; “500万的利息” is the loan's
    # what a bank or a guarantor charges beside the interest or the fee (手续费, 评审费, 保证金): no rule's base
    ("charge", re.compile(rf"^(?:元|块)?(?:的)?(?:{_CHARGES})")),
    # … or by what was done with it, said after (花了8万打官司, 花5万请律师)
    ("charge", re.compile(r"^(?:元|块)?(?:用来|来|去|用于)?(?:打官司|请律师|诉讼|仲裁|催收)")),
    # “其中300万是专利押的”: the part of the loan the IP pledge secures
    ("ip_part", re.compile(r"^(?:元|块)?(?:是|为|由|用)(?:专利|知识产权|商标|著作权|软著)[^，。,；;]{0,3}(?:押|质押)")),
]
_ROLE_BEFORE: list[tuple[str, re.Pattern[str]]] = [
    # received before (已经补过, 给某行补过): 过 says it is done
    ("already", re.compile(r"(?:已经|之前|以前|此前|已)[^，。,；;]{0,10}(?:补|拿|领|获得|得到)(?:过|了)?[^，。,；;]{0,2}$"
                           r"|(?:补|拿|领|获得|得到)过[^，。,；;]{0,2}$")),
    ("recovered", re.compile(r"(?:追回|收回|回收)(?:来|了)?[^，。,；;\d]{0,4}$")),
    # what recovering cost, said by what was done (诉讼拍卖花了20万) as well as by the fee's name
    ("charge", re.compile(rf"(?:{_CHARGES})[^，。,；;\d]{{0,4}}$|(?:{_RECOVERING})[^，。,；;\d]{{0,6}}$")),
    # what a guarantor paid in the bank's place (担保机构按约定替企业代偿了120万): the bank's own loss is the rest
    ("covered", re.compile(r"(?<!没有)(?<![未没])代偿[^，,。；;？?\d]{0,8}(?:[，,](?:也就是|即|共|合计|计))?$")),
    ("fee", re.compile(r"评估费[^，。,；;]{0,8}$")),
    ("guarantee_fee", re.compile(r"担保费(?!率)[^，。,；;]{0,6}$")),
    ("premium", re.compile(r"(?:保费|保险费)(?!率)[^，。,；;]{0,6}$")),
    ("interest", re.compile(r"(?:利息|付息)[^，。,；;]{0,6}$")),
    ("paid", re.compile(r"(?:交了|付了|缴了|缴纳了?|支付了?)[^，。,；;\d]{0,2}$")),  # a fee paid, its kind said before
    ("loss", re.compile(r"(?:损失|不良|坏账|没还上|还不上|逾期|本金余额|剩余本金|本金)[^，。,；;]{0,8}$")),
    # “专利质押担保500万”, “其中知识产权质押部分300万” (not “专利质押贷款600万”: that is the loan)
    ("ip_part", re.compile(r"(?:专利|知识产权|商标|著作权|软著)[^，。,；;贷]{0,4}(?:质押|担保)(?:担保|部分|的部分)[^，。,；;贷]{0,4}$"
                           # “知识产权担保的主债权是200万”: the claim the pledge secures, as a contract says it
                           r"|(?:专利|知识产权|商标|著作权|软著)[^，。,；;贷]{0,4}(?:质押|担保)的主?债权[^，。,；;贷]{0,3}$"
                           # “专利担保的是其中400万”
                           r"|(?:专利|知识产权|商标|著作权|软著)[^，。,；;贷]{0,4}(?:质押|担保)[^，。,；;贷]{0,2}(?:的是|是|为)(?:其中)?$")),
    ("other_value", re.compile(r"(?:房子|房产|厂房|办公楼|土地|设备)[^，。,；;]{0,4}(?:值|评估|估)[^，。,；;]{0,4}$")),
    ("valuation", re.compile(r"(?:评估|估值|评估值|估了|值)[^，。,；;]{0,6}$")),
    ("loan", re.compile(r"(?:贷|借|融资|授信|放款|放了|批了|批|一笔|另一笔|第二笔)[^，。,；;]{0,8}$")),
]
# figures that may come as a list (“评估费分别是2.2万、1.8万、1.5万”, “两笔：一笔1000万…一笔800万”)
_LISTED = ("fee", "premium", "loss", "valuation", "loan")
_PERCENT = re.compile(rf"({NUM})\s*(?:%|％|个点)|百分之({NUM})")
_RATE_BEFORE: list[tuple[str, re.Pattern[str]]] = [
    ("lpr", re.compile(r"LPR[^，。,；;]{0,6}$", re.IGNORECASE)),
    ("given_ratio", re.compile(r"按[^，。,；;]{0,2}$")),  # “省里按50%补300万”: a ratio the user quotes, not a rate
    ("guarantee_rate", re.compile(r"担保费?率[^，。,；;]{0,6}$|担保[^，。,；;]{0,4}费率[^，。,；;]{0,4}$")),
    ("premium_rate", re.compile(r"(?:保费|保险)[^，。,；;]{0,4}费?率[^，。,；;]{0,4}$")),
    ("fee_rate", re.compile(r"费率[^，。,；;]{0,4}$")),  # “费率0.8%”: the fee of the calculation asked (担保费 or 保费)
    ("rate", re.compile(r"(?:利率|年化|利息|执行|息)[^，。,；;]{0,8}$|^")),
]
# a rate said as one (利率4.5%, 年化3.8%), not any percent (研发投入占比8%)
_SAID_RATE = re.compile(r"(?:利率|年化|执行|利息)[^，。,；;]{0,6}$")
# the loan's term: “一年期”, “借一年”, “期限6个月”, “整年”; not a date (“去年8月”) or an age (“成立两年”)
_TERM = re.compile(rf"(?:期限|借|贷|为期|周期|用|签)[^，。,；;\d]{{0,3}}({NUM}|半)\s*(个月|年)|({NUM}|半)\s*(个月|年)期|({NUM}|半)个月")
_WHOLE_YEAR = re.compile(r"整年|一整年|全年|整一年")
# the time a subsidy is asked for, in what asks (这半年能补多少, 这3个月的贴息): a declaration's period, not the loan's term
_PERIOD = re.compile(rf"(?:这|上|下|前|后)半年|(?:这|前|后|头)({NUM})个月|这一?年|全年|一整年")
_BARE_TERM = re.compile(rf"(?:^|[，,。；;])\s*({NUM}|半)\s*(年|个月)(?:期)?\s*(?=[，,。；;？?]|$)")
# a fee another party paid (是担保公司替我们付的, 由银行承担), said right after it in its sentence
_PAID_BY_OTHER = re.compile(r"^[^。；;？?，,]{0,12}?(?:替|帮|代)(?:我们|我司|公司|企业)?(?:付|支付|垫付|出(?!具)|承担)(?!一半|部分)"
                            r"|^[^。；;？?，,]{0,6}由(?:银行|担保|保险|第三方)[^，,。；;]{0,8}(?:承担|支付|付|出(?!具))(?!一半|部分)")
# several loans said as such (两笔, 第二笔, 另一笔): fees listed with them are each loan's own
_SEVERAL_LOANS = re.compile(r"[两二三四五六七八九十\d]笔(?:贷款|专利|知识产权|质押)|第[二三四五六七八九十\d]笔|另一笔|每笔")
_FIRST = re.compile(r"首贷|第一次(?:贷|借)|首次贷|从没贷过|没贷过款|头一回贷|首次获得")
_RENEW = re.compile(r"续保|第二年|连续")
# one policy of a list renewed (“今年接着续，保费12万”): 续 said of it, not 手续/持续 or a loan's 续贷
_ITEM_RENEW = re.compile(rf"{_RENEW.pattern}|(?<![手持继])续(?![贷费])")
# what is said after a premium of its policy: another programme has subsidised it already
_SUBSIDISED = re.compile(r"(?:已经|已|之前|以前)[^，,]{0,8}(?:拿过|领过|享受过?|申请过|报过|拿了|领了)[^，,]{0,12}补贴")


@dataclass
class Loan:
    amount: float
    rate: float | None = None
    fee_rate: float | None = None  # the guarantee's (or the policy's) rate on this loan
    fee: float | None = None  # the fee paid on this loan


@dataclass
class Figures:
    """What the user said: money in 元, rates as fractions, the term in months; lists where several were given."""

    loans: list[Loan] = field(default_factory=list)
    months: int | None = None
    lpr: float | None = None
    interest: float | None = None
    valuations: list[tuple[str | None, float]] = field(default_factory=list)  # (IP type if said, value)
    other_value: float | None = None  # collateral other than IP (房产), for a mixed-guarantee loan
    ip_part: float | None = None  # the principal the IP pledge secures, when the contract says
    fees: list[float] = field(default_factory=list)
    # the loan each fee is of (“第一笔评估费3万，第二笔7万” → 0, 1); fees of one loan (its patents valued apart) add up
    fee_loans: list[int] = field(default_factory=list)
    guarantee_fee: float | None = None
    guarantee_rate: float | None = None
    premiums: list[tuple[float, bool]] = field(default_factory=list)  # (premium, renewal)
    # each premium's policy already subsidised by another programme (这份保单市里已经补过保费)
    premiums_subsidised: list[bool] = field(default_factory=list)
    premium_rate: float | None = None
    fee_rate: float | None = None  # a fee rate said without naming the fee
    losses: list[float] = field(default_factory=list)
    already: float | None = None  # compensation received before, against a cumulative cap
    period: int | None = None  # the months the question asks the subsidy for (这半年能补多少), when not the term
    covered: float | None = None  # the part of a loss a guarantor paid in the bank's place
    fees_by_others: list[float] = field(default_factory=list)  # valuation fees a bank or guarantor paid, not the firm
    refunded: float | None = None  # what came back of a premium paid (退保)
    # charges beside the interest or the fee (手续费, 评审费, 诉讼费): no subsidy's base, read so they are taken for
    # nothing else; what recovering a loss cost, where that is asked
    charges: list[float] = field(default_factory=list)
    recovered: float | None = None  # what a bank got back of a loss it was compensated for (追回, 拍卖收回)
    rate: float | None = None  # a rate said without a loan amount
    first_loan: bool = False
    renewal: bool = False
    ip_types: tuple[str, ...] = ()

    @property
    def loan(self) -> float | None:
        return self.loans[0].amount if self.loans else None

    @property
    def loan_fees(self) -> list[list[float]]:
        """The fees, grouped by the loan they were paid for."""
        groups: dict[int, list[float]] = {}
        for fee, loan in zip(self.fees, self.fee_loans or [0] * len(self.fees), strict=True):
            groups.setdefault(loan, []).append(fee)
        return list(groups.values())

    @property
    def valuation(self) -> float | None:
        return sum(v for _t, v in self.valuations) if self.valuations else None

    def merged(self, earlier: Figures) -> Figures:
        """This turn's figures, with what it leaves out taken from earlier turns."""
        out = Figures(**dict(vars(self)))
        for k, v in vars(earlier).items():
            if getattr(out, k) in (None, False, (), []):
                setattr(out, k, v)
        if earlier.loans and out.loans is earlier.loans and self.rate is not None:
            out.loans = [Loan(ln.amount, ln.rate if ln.rate is not None else self.rate) for ln in earlier.loans]
        return out


def _ip_type(before: str) -> str | None:
    """The kind of IP a valuation is of: the last one named before it."""
    found = mentions(before)
    return found[-1][0] if found else None


def read_figures(text: str) -> Figures:
    text = yuan_in_figures(normalise(text))
    f = Figures(first_loan=any(not re.search(r"(?:不是|并非|非|不算|没有)$", text[max(0, m.start() - 3): m.start()]) for m in _FIRST.finditer(text)),
                renewal=bool(_RENEW.search(text)),
                ip_types=tuple(dict.fromkeys(t for t, _a, _b in mentions(text))))
    found = [(m.start(), "money", m) for m in _MONEY.finditer(text)] + [(m.start(), "pct", m) for m in _PERCENT.finditer(text)]
    money_spans: list[tuple[int, int]] = []
    fee_spans: list[int] = []
    last_role: str | None = None
    last_end, last_premium_end = -10, 0
    unassigned: tuple[float, int] | None = None  # the last money figure no role claimed, and where it ends
    for _pos, what, m in sorted(found, key=lambda x: x[0]):
        before = text[max(0, m.start() - 16): m.start()]
        before = before[max((before.rfind(c) for c in _CLAUSE_END), default=-1) + 1:] if what == "pct" else before
        if what == "pct":
            value = to_number(m.group(1) or m.group(2))
            if value is None:
                continue
            kind = next(r for r, p in _RATE_BEFORE if p.search(before))
            if kind == "lpr":
                f.lpr = value / 100
            elif kind in ("guarantee_rate", "premium_rate", "fee_rate"):
                if getattr(f, kind) is None:
                    setattr(f, kind, value / 100)
                # “一笔1500万，担保费率1%；另一笔1000万，费率0.8%”: each loan its own rate
                if (open_fee := next((ln for ln in reversed(f.loans) if ln.fee_rate is None), None)) is not None:
                    open_fee.fee_rate = value / 100
            elif kind == "rate":
                open_loan = next((ln for ln in reversed(f.loans) if ln.rate is None), None)
                if (open_loan is None and unassigned is not None and _SAID_RATE.search(before)
                        and not re.search(r"[。；;？?]", text[unassigned[1]: m.start()])):
                    # “交行500万，利率4.5%”: an amount a rate is given for is a loan
                    f.loans.append(Loan(unassigned[0], value / 100))
                    unassigned = None
                elif open_loan is not None:
                    open_loan.rate = value / 100
                elif f.rate is None:
                    f.rate = value / 100
            continue
        value = to_yuan(m.group(1), m.group(2)) if m.group(1) else to_number(m.group(3))
        if value is None:
            continue
        after = text[m.end(): m.end() + 6]
        # what came back (退回来2万保费) is no premium paid, whatever it is of
        role: str | None = "refunded" if _REFUNDED.search(before) else next((r for r, p in _ROLE_AFTER if p.search(after)), None)
        role = role or next((r for r, p in _ROLE_BEFORE if p.search(before)), None)
        gap = text[last_end: m.start()]
        listed = len(gap) <= 4 and re.fullmatch(r"[、，,和及与万元\s]*", gap)
        if last_role in _LISTED and (role == last_role or role is None and (listed or len(gap) <= 8 and not re.search(r"[。；;？?]", gap))):
            role = last_role  # the next item of a list (“2.2万、1.8万”, “我们行800万，另一家行700万”)
        if role is None:
            role = "loan" if not f.loans else None
        if role == "loan":
            f.loans.append(Loan(value, f.rate if not f.loans else None))
            f.rate = None if len(f.loans) == 1 else f.rate
        elif role == "valuation":
            f.valuations.append((_ip_type(before), value))
        elif role == "fee" and _PAID_BY_OTHER.search(text[m.end():]):
            f.fees_by_others.append(value)  # “评估费2.4万是担保公司替我们付的”: the firm paid nothing
        elif role == "fee":
            f.fees.append(value)
            fee_spans.append(m.start())
        elif role == "loss":
            f.losses.append(value)
        elif role == "premium":
            segment = text[last_premium_end: m.end() + 8]
            f.premiums.append((value, bool(_ITEM_RENEW.search(segment)) and "首次" not in segment[-24:]))
            f.premiums_subsidised.append(bool(_SUBSIDISED.search(re.split(r"[；;。]|[①-⑩]", text[m.end():], maxsplit=1)[0])))
            last_premium_end = m.end()
        elif role == "charge":
            f.charges.append(value)
        elif role == "interest":
            f.interest = (f.interest or 0.0) + value  # “一笔付了18万利息，另一笔付了9.6万利息”
        elif role in ("guarantee_fee", "paid"):
            # a fee paid (“交了15万”) belongs to the loan it follows; the first one is the fee when there is one loan
            if (open_fee := next((ln for ln in reversed(f.loans) if ln.fee is None), None)) is not None:
                open_fee.fee = value
            if role == "guarantee_fee" and f.guarantee_fee is None:
                f.guarantee_fee = value
        elif role is not None and getattr(f, role) is None:
            setattr(f, role, value)
        if role is not None:
            money_spans.append(m.span())
        unassigned = (value, m.end()) if role is None else None
        last_role, last_end = role, m.end()
    for m in _TERM.finditer(text):
        number, unit = next((m.group(i), m.group(i + 1) if i < 5 else "个月") for i in (1, 3, 5) if m.group(i))
        n = 0.5 if number == "半" else to_number(number)
        if n is not None and 0 < n <= 120:
            f.months = int(round(n * 12)) if unit == "年" else int(n)
            break
    bare = _BARE_TERM.search(text) if f.months is None else None
    if bare:  # “贷款400万，一年，…”: a clause that is only a term
        n = 0.5 if bare.group(1) == "半" else to_number(bare.group(1))
        if n is not None and 0 < n <= 120:
            f.months = int(round(n * 12)) if bare.group(2) == "年" else int(n)
    if f.months is None and _WHOLE_YEAR.search(text):
        f.months = 12
    if (p := _PERIOD.search(asking(text))) is not None:
        n = 6 if p.group(0).endswith("半年") else to_number(p.group(1)) if p.group(1) else 12
        f.period = int(n) if n and 0 < n <= 12 else None
    f.fee_loans = _fee_loans(text, fee_spans) if len(f.fees) >= 2 else [0] * len(f.fees)
    return f


# where the story turns to another loan (另一笔, 第二笔, 一笔…一笔): what follows is that loan's
_NEXT_LOAN = re.compile(r"另一笔|第[一二三四五六七八九十\d]笔|(?<![第两二三四五六七八九十\d每])一笔")


def _fee_loans(text: str, spans: list[int]) -> list[int]:
    """The loan each fee (at ``spans``) is of: counted by the turns to another loan before it; when the story never
    turns between them, one loan, unless it says there are several (三笔贷款的评估费分别是…: one fee each)."""
    turns = [m.start() for m in _NEXT_LOAN.finditer(text)]
    loans = [sum(t < at for t in turns) for at in spans]
    if len(set(loans)) > 1:
        return loans
    return list(range(len(spans))) if _SEVERAL_LOANS.search(text) else [0] * len(spans)


# asks for the rule itself (贴息比例是多少、上限多少), not for what the user's own loan earns
_ASKS_RULE = re.compile(r"比例|标准|上限|封顶|最高补|怎么申请|条件|流程|材料|哪些|谁")
_COMPUTE = re.compile(r"算|能拿|能补|能领|能返|能贷|可贷|能借|拿多少|补多少|贷多少|借多少|多少钱")


def _inputs(kind: str, f: Figures) -> bool:
    """Whether the figures hold what a calculation of this kind starts from."""
    return {
        "interest": bool(f.loans) or f.interest is not None,
        "valuation": bool(f.fees or f.fees_by_others),
        "guarantee": f.guarantee_fee is not None or any(ln.fee is not None for ln in f.loans)
        or bool(f.loans) and (f.guarantee_rate or f.fee_rate) is not None,
        "premium": bool(f.premiums) or bool(f.loans) and (f.premium_rate or f.fee_rate) is not None,
        "risk": bool(f.losses) or f.recovered is not None,
        "borrow": bool(f.valuations),
    }[kind]


def _programme_rules(text: str, book: SubsidyBook) -> list[SubsidyRule]:
    """The rules of the programmes the text names by their own names (the lexicon's programme names: 秦知贷, 秦科保),
    each name one rule's alone; not any word one rule's title happens to hold alone (评估, 资金)."""
    from assistant.lexicon.programmes import named_entities

    lowered = text.lower()
    names = [n for n in named_entities() if n in lowered]
    out = []
    for n in names:
        holders = [r for r in book.rules if n in f"{r.name} {r.basis.title}".lower()]
        out += holders if len(holders) == 1 else []
    return [r for r in book.rules if any(r is o for o in out)]


# the verbs a sum paid or paid back is said with (拿到, 补, 退, 返还, 领): the money after one is what is checked
_PAID_WITH = re.compile(r"拿|补|退|返|领|贴|赔|给|报|到")


@dataclass
class Checked:
    """The sum a yes/no question checks (是不是退35万就行, 贴息能拿到10万吗): in 元, as said, and whether it asks for
    at least that much (能拿到) or that sum (是不是)."""

    value: float
    text: str
    reach: bool
    # "<", "<=", ">", ">=": asked whether the sum is below or above the one said (是不是不到10万, 10万以下); "band":
    # between it and ``upper`` (5万多)
    compare: str = ""
    upper: float = 0.0


# how the sum checked is compared: at least (能拿到, 以上), below (不到, 少于), above (超过, 不止), or that very sum
_BELOW = re.compile(r"不到|少于|低于|不足|不超过|没有超过|没超过")
_ABOVE = re.compile(r"超过|多于|高于|不止|超出")
_REACH = re.compile(r"能|可以|可|够|有没有")
# a question that asks the negation (是不是不用退, 是不是拿不到) is left to the passages: its yes would say no
_NEGATED_CHECK = re.compile(r"不用|不需要|无需|不必|不能|不会|拿不到|补不到|领不到|没法|不可以")
# the firm pays it (先交10万保证金): a cost of its own, not the sum a rule pays
_PAID_BY_FIRM = re.compile(r"交|缴|付|花|掏|垫")


def checked_amount(text: str) -> Checked | None:
    """The one sum the asking clause checks, said right after a verb of being paid or the benefit it is (贴息是不是
    7.6万, 能退35万); None when the clause says none or more than one, names the sum as something else (10万保证金),
    or asks the negation."""
    clause = asking(text)
    found = list(_MONEY.finditer(clause))
    if len(found) != 1:
        return None
    m = found[0]
    before, after = clause[: m.start()], clause[m.end():]
    benefit = any(p.search(before) for k, p in KIND_TERMS.items() if k != "borrow")
    if not (_PAID_WITH.search(before[-3:]) or benefit) or _PAID_BY_FIRM.search(before[-3:]):
        return None
    if re.match(rf"(?:元|块)?的?(?:{_CHARGES}|利息|贷款|损失)", after) or _NEGATED_CHECK.search(A_NOT_A.sub("", before)):
        return None
    value = to_yuan(m.group(1), m.group(2)) if m.group(1) else to_yuan(m.group(3), None)
    if not value:
        return None
    if re.match(r"(?:元|块)?(?:左右|上下)", after):
        return None  # about that much: no sum to confirm or deny
    if re.match(r"多", after):
        # “5万多”: from that sum to the next of its last unit (5万 to 6万); a sum said finer has no such band
        step = to_yuan("1", m.group(2)) if m.group(1) and m.group(2) and re.fullmatch(r"\d+", m.group(1)) else None
        return Checked(value, m.group(0), reach=False, compare="band", upper=value + step) if step else None
    if re.match(r"(?:元|块)?(?:以下|以内)", after):
        return Checked(value, m.group(0), reach=False, compare="<=")
    if re.match(r"(?:元|块)?以上", after):
        return Checked(value, m.group(0), reach=True, compare=">=")
    if _BELOW.search(before[-6:]):
        return Checked(value, m.group(0), reach=False, compare="<")
    if _ABOVE.search(before[-6:]):
        return Checked(value, m.group(0), reach=True, compare=">")
    return Checked(value, m.group(0), reach=bool(_REACH.search(before)))


# the figures each kind of calculation starts from: a sum checked that the question's figures read as one of them is
# one of its inputs (评估费3万能全报吗), not the result checked
_STARTS_FROM: dict[str, tuple[str, ...]] = {
    "interest": ("loans", "interest", "rate", "already"),
    "guarantee": ("loans", "guarantee_fee", "guarantee_rate", "already"),
    "valuation": ("fees", "fees_by_others", "already"),
    "premium": ("premiums", "premium_rate", "refunded", "already"),
    "risk": ("losses", "recovered", "charges", "covered", "already"),
    "borrow": ("valuations", "other_value"),
}


def checks_a_result(text: str, checked: Checked, kinds: list[str]) -> bool:
    """The sum checked is none of the figures the kinds asked start from: taking it out changes none of them."""
    with_it, without = read_figures(text), read_figures(text.replace(checked.text, "", 1))
    return all(getattr(with_it, name) == getattr(without, name) for kind in kinds for name in _STARTS_FROM.get(kind, ()))


def asks_loan_of(text: str) -> bool:
    """Whether a loan of a given size can be had (能贷到180万吗), not how much can."""
    clause = asking(text)
    return bool(re.search(_LOAN_OF, clause)) and not re.search(r"多少|几", clause)


def calc_kinds(text: str, earlier: list[str] | None = None, figures_text: str | None = None,
               book: SubsidyBook | None = None, checking: bool = False) -> list[str]:
    """The calculations a question asks for (empty: not a calculation question): it names one and gives what it
    starts from (a loan for 贴息, a loss for 风险补偿), or asks what the user's own loan earns (能拿多少) after
    earlier turns gave it. ``figures_text``: where the figures are, when ``text`` is one part of a question. With the
    rule ``book``, a programme named by its own word (省里那个…补偿办法的简称) is a calculation of its rule's kind.
    ``checking``: a yes/no checks a sum (its figure taken out of the text): it asks as much as 多少 does."""
    if not checking and not _HOW_MUCH.search(text):
        # whether a loan of a size is within reach is the one calculation asked without a word of how much
        return ["borrow"] if re.search(_LOAN_OF, text) and _inputs("borrow", read_figures(figures_text or text)) else []
    kinds = [k for k, p in KIND_TERMS.items() if p.search(text)]
    kinds += [r.kind for r in (_programme_rules(text, book) if book else []) if r.kind not in kinds]
    if not kinds:
        return []
    own = read_figures(figures_text or text)
    given = [k for k in kinds if _inputs(k, own)]
    if given:
        return given
    if _COMPUTE.search(text) and not _ASKS_RULE.search(text):
        return [k for k in kinds if any(_inputs(k, read_figures(t)) for t in earlier or [])]
    return []


@dataclass
class Step:
    """One computed figure: what it is, the value, the formula, and the rule (or product record) it rests on."""

    name: str
    value: float
    formula: str
    basis: Basis | None = None
    product: Product | None = None
    counted: bool = True
    note: str = ""


@dataclass
class Calculation:
    kind: str
    steps: list[Step] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)  # figures to ask the user for
    rules: list[Basis] = field(default_factory=list)  # every rule that applies, computed or not
    loss: float | None = None  # a risk calculation's principal lost (what the bank bears is the rest)
    net_rate: tuple[float, str] | None = None  # the yearly rate the firm bears after the subsidies, and its formula
    # what must be paid back of a subsidy when part of what it was paid on came back (退保), its formula and rule
    refund: tuple[float, str, Basis] | None = None
    assumptions: list[str] = field(default_factory=list)


def _pct(fraction: float) -> str:
    return pct(fraction * 100)


def _regions(text: str, places: tuple[Place, ...], home: str) -> set[str]:
    """The regions whose rules apply: the level the question names (区里 → the home zone, 市里 → its city; it wins
    over a place inside an organisation's name, 西咸新区那家担保公司), else the places it names, else the whole
    chain of the home region."""
    g = gazetteer()
    home_place = g.lookup(home)
    chain = g.chain(home_place) if home_place else []
    # the level the asking clause names (“这次区里资金池最多能补多少”) over one the story names (在区里和省里都备了案)
    levels = g.levels_named(asking(text), home_place) or g.levels_named(text, home_place)
    if _names_home_zone(text, chain):  # a zone's guarantor or bank (西咸新区那家担保公司): the zone's programme applies
        levels += [p for p in chain if p.level in ("zone", "district")]
    if levels:
        return {p.name for p in levels}
    if places:
        return {p.name for place in places for p in g.chain(place)}
    return {p.name for p in chain}


def _levels_compared(text: str, home: str) -> bool:
    """Two or more levels of government named in one clause (市里的贷款贴息和区里的知产贴息只能选一个)."""
    g = gazetteer()
    home_place = g.lookup(home)
    return any(len(g.levels_named(c, home_place)) >= 2 for c in re.split(r"[，,。；;？?]", text))


def _names_home_zone(text: str, chain: list[Place]) -> bool:
    """“新区” said of the home zone: alone, or in its name, not inside another place's name (西安高新区)."""
    others = [m for m in gazetteer().find(text, local=True, every=True) if m.place not in chain]
    return any(not any(m.start <= i < m.end for m in others) for i in (x.start() for x in re.finditer("新区", text)))


def _capped(value: float, formula: str, cap: float | None, what: str) -> tuple[float, str]:
    if cap is not None and value > cap:
        return cap, f"{formula}＝{wan(value)}，超过{what}{wan(cap)}，按{wan(cap)}"
    return value, f"{formula}＝{wan(value)}"


def _ip_principal(loan: Loan, f: Figures, rule: SubsidyRule, calc: Calculation) -> tuple[float, str]:
    """The principal a rule for IP-pledge loans counts: the IP-secured part of a mixed-guarantee loan, as the
    contract states it or, when it does not, in proportion to the IP's share of all collateral's value."""
    share = _ip_share(f) if rule.ip_pledge_only and len(f.loans) == 1 else None
    if share is None:
        return loan.amount, wan(loan.amount)
    part, ratio, by_contract = share
    if by_contract and f.ip_part is not None:
        calc.assumptions.append(f"混合担保贷款仅按知识产权质押部分{wan(f.ip_part)}计")
        return f.ip_part, wan(f.ip_part)
    ip_value, other = f.valuation or 0.0, f.other_value or 0.0
    calc.assumptions.append(f"合同未单独约定的，按知识产权评估值占全部担保物评估值的比例折算：{wan(ip_value)}÷（{wan(ip_value)}＋{wan(other)}）")
    return loan.amount * part, f"{wan(loan.amount)}×{ratio}"


def _rated_loans(f: Figures) -> list[Loan]:
    """The loans, a rate said without its loan (“利率4%”) standing for each that has none of its own."""
    return [ln if ln.rate is not None else Loan(ln.amount, f.rate) for ln in f.loans]


def _period(f: Figures) -> int:
    """The months a subsidy is computed for: the period asked, within the loan's term, else the term, else a year."""
    if f.period and f.months:
        return min(f.period, f.months)
    return f.period or f.months or 12


def _interest(rule: SubsidyRule, f: Figures, book: SubsidyBook, calc: Calculation) -> Step | None:
    months = _period(f)
    loans = _rated_loans(f)
    if f.interest is not None and len(loans) == 1 and loans[0].rate is None and loans[0].amount:
        # “借了800万，利息一年付了36万”: the rate the interest paid comes to, so the rate cap applies to it
        rate = f.interest / loans[0].amount * 12 / (f.months or 12)
        loans = [Loan(loans[0].amount, rate)]
        calc.assumptions.append(f"执行年利率按实际支付利息{wan(f.interest)}÷贷款{wan(loans[0].amount)}计为{_pct(rate)}")
    if loans and all(ln.rate is not None for ln in loans):
        lpr = f.lpr or book.lpr_1y
        cap_rate = rule.rate_cap_lpr_multiple * lpr if rule.rate_cap_lpr_multiple else None
        notes, terms, value = [], [], 0.0
        for ln in loans:
            rate = ln.rate or 0.0
            if cap_rate is not None and rate > cap_rate:
                notes.append(f"执行利率{_pct(rate)}高于上限（一年期LPR {_pct(lpr)}×{rule.rate_cap_lpr_multiple:g}＝{_pct(cap_rate)}），按{_pct(cap_rate)}计")
                rate = cap_rate
            principal, shown = _ip_principal(ln, f, rule, calc)
            terms.append(f"{shown}×{_pct(rate)}" + (f"×{months}/12" if months != 12 and len(loans) == 1 else ""))
            value += principal * rate * (months / 12 if len(loans) == 1 else 1)
        value *= rule.ratio
        formula = (terms[0] if len(terms) == 1 else f"（{'＋'.join(terms)}）") + f"×{rule.ratio:.0%}"
        if f.months is None:
            calc.assumptions.append("期限按一年计")
        note = "；".join(dict.fromkeys(notes))
    elif f.interest is not None:
        value, formula, note = f.interest * rule.ratio, f"实际支付利息{wan(f.interest)}×{rule.ratio:.0%}", ""
    else:
        calc.missing += ["贷款金额"] * (not f.loans) + ["执行年利率"]
        return None
    if rule.min_term_months and f.months and f.months < rule.min_term_months:
        note = f"贷款期限{f.months}个月，不足{rule.min_term_months}个月，不符合该项贴息条件"
        return Step(rule.name, 0.0, formula, rule.basis, counted=False, note=note)
    what = "每年上限（多笔贷款合并计算）" if len(loans) > 1 else "每年上限"
    value, formula = _capped(value, formula, rule.annual_cap, what)
    return Step(rule.name, value, formula, rule.basis, note=note)


def _base_capped(rule: SubsidyRule, amount: float, fee: float, fee_rate: float | None, months: int, excluded: list[str],
                 which: str = "") -> float:
    """A guarantee fee counted up to the rule's base rate on the loan and its term (the part above it is not counted;
    the rate is the one said, else the one the fee comes to), the cut said in ``excluded``."""
    if not rule.fee_rate_base_cap or not amount:
        return fee
    rate = fee_rate if fee_rate is not None else fee / (amount * months / 12)
    base = amount * rule.fee_rate_base_cap * months / 12
    if rate <= rule.fee_rate_base_cap + 1e-12 or base >= fee:
        return fee
    excluded.append(f"{which}担保费率{_pct(rate)}超过{_pct(rule.fee_rate_base_cap)}的部分不计入补贴基数："
                    f"{wan(amount)}×{_pct(rule.fee_rate_base_cap)}" + (f"×{months}/12" if months != 12 else "") + f"＝{wan(base)}")
    return base


def _fee_rate_step(rule: SubsidyRule, f: Figures, calc: Calculation) -> Step | None:
    months = f.months or 12
    excluded: list[str] = []
    if rule.kind == "guarantee" and len(f.loans) > 1 and any(ln.fee is not None or ln.fee_rate is not None for ln in f.loans):
        # several guaranteed loans: each its own fee (paid, or its rate on its amount); a loan whose rate is above the
        # rule's ceiling is left out, the others count
        items, label = [], "担保费"
        for ln in f.loans:
            fee = ln.fee if ln.fee is not None else (ln.amount * ln.fee_rate * months / 12 if ln.fee_rate is not None else None)
            if fee is None:
                continue
            if rule.fee_rate_cap and ln.fee_rate and ln.fee_rate > rule.fee_rate_cap:
                excluded.append(f"{wan(ln.amount)}那笔担保费率{_pct(ln.fee_rate)}超过{_pct(rule.fee_rate_cap)}，不计入")
                continue
            fee = _base_capped(rule, ln.amount, fee, ln.fee_rate, months, excluded, f"{wan(ln.amount)}那笔")
            items.append((fee, False))
        fee_rate = None
        if not items:
            return Step(rule.name, 0.0, "", rule.basis, counted=False, note="；".join(excluded))
    elif rule.kind == "guarantee":
        paid_one = f.guarantee_fee if f.guarantee_fee is not None else (f.loans[0].fee if f.loans else None)
        items = [(paid_one, False)] if paid_one is not None else []
        fee_rate, label = f.guarantee_rate or f.fee_rate, "担保费"
    else:
        subsidised = f.premiums_subsidised or [False] * len(f.premiums)
        # a policy another programme has subsidised is not subsidised again (同一保单不得重复申请)
        excluded += [f"保费{wan(v)}的保单已享受其他财政保费补贴，同一保单不得重复申请" for (v, _r), done in zip(f.premiums, subsidised, strict=True) if done]
        items = [(v, renewal or f.renewal and len(f.premiums) == 1) for (v, renewal), done in zip(f.premiums, subsidised, strict=True) if not done]
        fee_rate, label = f.premium_rate or f.fee_rate, "保费"
        if not items and excluded:
            return Step(rule.name, 0.0, "", rule.basis, counted=False, note="；".join(excluded))
    if not items and fee_rate is not None and f.loan is not None:
        paid = f.loan * fee_rate * (months / 12 if rule.kind == "guarantee" else 1)
        said = f"{label}按{wan(f.loan)}×{_pct(fee_rate)}" + (f"×{months}/12" if rule.kind == "guarantee" and months != 12 else "") + f"＝{wan(paid)}计"
        if said not in calc.assumptions:
            calc.assumptions.append(said)
        items = [(paid, f.renewal)]
    if not items:
        calc.missing.append(f"实际支付的{label}（或{label}率与贷款金额）")
        return None
    if rule.kind == "guarantee" and len(items) == 1 and f.loan:
        items = [(_base_capped(rule, f.loan, items[0][0], fee_rate, months, excluded), items[0][1])]
    terms, value = [], 0.0
    for paid, renewal in items:
        ratio, why = rule.ratio, ""
        if rule.kind == "guarantee" and f.first_loan and rule.first_loan_ratio:
            ratio, why = rule.first_loan_ratio, "（首贷企业）"
        if rule.kind == "premium" and renewal and rule.renewal_ratio:
            ratio, why = rule.renewal_ratio, "（续保）"
        elif rule.kind == "premium" and rule.renewal_ratio and len(items) > 1:
            why = "（首次投保）"
        terms.append(f"{label}{wan(paid)}×{ratio:.0%}{why}")
        value += paid * ratio
    if rule.kind == "guarantee" and rule.fee_rate_cap and fee_rate and fee_rate > rule.fee_rate_cap:
        return Step(rule.name, 0.0, "＋".join(terms), rule.basis, counted=False,
                    note=f"担保费率{_pct(fee_rate)}超过{_pct(rule.fee_rate_cap)}，不在该项补助范围内")
    value, formula = _capped(value, "＋".join(terms), rule.annual_cap, "每年上限（各项合并计算）" if len(items) > 1 else "每年上限")
    return Step(rule.name, value, formula, rule.basis, note="；".join(excluded))


def _risk(rule: SubsidyRule, f: Figures, calc: Calculation) -> Step | None:
    if not f.losses:
        calc.missing.append("不良贷款本金损失金额")
        return None
    loss = sum(f.losses)
    shown = wan(loss) if len(f.losses) == 1 else f"（{'＋'.join(wan(x) for x in f.losses)}）"
    cases: list[Literal["mixed", "covered"]] = []
    if f.covered and 0 < f.covered < loss and "covered" in rule.case_articles:
        # a loan a guarantor secured is compensated on the loss the bank itself bears
        shown, loss = f"（{shown}－担保机构代偿{wan(f.covered)}）", loss - f.covered
        cases.append("covered")
    if len(f.losses) == 1 and "mixed" in rule.case_articles and (share := _ip_share(f)) is not None:
        # a mixed-guarantee loan: only the IP-secured part of the principal counts
        part, ratio, by_contract = share
        shown = f"{shown}×{ratio}（{'知识产权质押部分占贷款本金' if by_contract else '知识产权评估值占全部担保物评估值'}）"
        loss = loss * part
        cases.append("mixed")
    basis = _citing(rule, *cases)
    value, formula = _capped(loss * rule.ratio, f"本金损失{shown}×{rule.ratio:.0%}", rule.per_loan_cap, "单笔上限")
    note = ""
    if rule.per_firm_cap:
        left = max(0.0, rule.per_firm_cap - (f.already or 0.0))
        if value > left:
            said = f"单户累计上限{wan(rule.per_firm_cap)}" + (f"，已获补偿{wan(f.already)}，剩余{wan(left)}" if f.already else "")
            value, formula = left, f"{formula}，超过{said}，按{wan(left)}"
    if len(f.losses) > 1 and value > 0:
        shares = "、".join(wan(value * x / loss) for x in f.losses)
        note = f"多家银行的不良合并为一笔计算，按各行本金余额所占比例分配：{shares}"
    return Step(rule.name, value, formula, basis, note=note)


def _citing(rule: SubsidyRule, *cases: Literal["mixed", "covered", "refund"], alone: bool = False) -> Basis:
    """The rule's basis citing the articles of the cases the calculation met too (or, ``alone``, only those)."""
    if not cases:
        return rule.basis
    articles = [rule.case_articles[c] for c in cases]
    return rule.basis.model_copy(update={"articles": articles if alone else [*rule.basis.articles, *articles]})


def _ip_share(f: Figures) -> tuple[float, str, bool] | None:
    """The IP-secured share of a mixed-guarantee loan, as a ratio and its figures (600/800), and whether the contract
    states it: the part the contract names over the loan, else the IP's share of all collateral's value (None: not a
    mixed-guarantee loan, or its shares not given)."""
    if f.ip_part is not None and f.loan and f.ip_part < f.loan:
        return f.ip_part / f.loan, f"{f.ip_part / 1e4:g}/{f.loan / 1e4:g}", True
    ip_value = f.valuation
    if f.other_value and ip_value:
        return ip_value / (ip_value + f.other_value), f"{ip_value / 1e4:g}/{(ip_value + f.other_value) / 1e4:g}", False
    return None


def _rule_step(rule: SubsidyRule, f: Figures, book: SubsidyBook, calc: Calculation) -> Step | None:
    if rule.kind == "interest":
        return _interest(rule, f, book, calc)
    if rule.kind == "valuation":
        others = "；".join(f"评估费{wan(x)}由其他方支付，企业未实际支付，不予补助（该办法所列不予补助的情形）" for x in f.fees_by_others)
        if not f.fees and others:
            return Step(rule.name, 0.0, "", rule.basis, counted=False, note=others)
        if not f.fees:
            calc.missing.append("实际支付的评估费")
            return None
        if len(f.loan_fees) > 1:
            return _per_loan_fees(rule, f.loan_fees)
        fee = sum(f.fees)
        # the fees of one loan's several IP items count as one (the rule's own article says so)
        shown = wan(fee) if len(f.fees) == 1 else f"（{'＋'.join(wan(x) for x in f.fees)}，同一笔贷款合并计算）"
        value, formula = _capped(fee * rule.ratio, f"评估费{shown}×{rule.ratio:.0%}", rule.per_loan_cap, "每笔上限")
        return Step(rule.name, value, formula, rule.basis, note=others)
    if rule.kind in ("guarantee", "premium"):
        return _fee_rate_step(rule, f, calc)
    if rule.kind == "risk":
        return _risk(rule, f, calc)
    return None


def _per_loan_fees(rule: SubsidyRule, loans: list[list[float]]) -> Step:
    """Each loan's fee subsidised on its own, under the per-loan cap (a loan's several fees added up first); over
    the yearly count of loans, the loans that earn most are the ones claimed."""
    def shown(fees: list[float]) -> str:
        return wan(fees[0]) if len(fees) == 1 else f"（{'＋'.join(wan(x) for x in fees)}，同一笔贷款合并计算）"

    each = [_capped(sum(fees) * rule.ratio, f"第{i + 1}笔评估费{shown(fees)}×{rule.ratio:.0%}", rule.per_loan_cap, "每笔上限")
            for i, fees in enumerate(loans)]
    kept = sorted(range(len(each)), key=lambda i: -each[i][0])[: rule.loans_per_year or len(each)]
    lines = [formula for _v, formula in each]
    total = sum(each[i][0] for i in kept)
    if len(kept) < len(each):
        lines.append(f"每家企业每年最多补助{rule.loans_per_year}笔，按补助最多的{len(kept)}笔计")
    return Step(rule.name, total, "；".join(lines) + f"；合计{wan(total)}", rule.basis)


def _exclusive(steps: list[Step], rules: dict[str, SubsidyRule]) -> None:
    """Of rules in one exclusive group (市级与区级同类补贴不得同时享受), only the larger is counted."""
    groups: dict[str, Step] = {}
    for s in steps:
        g = next((r.exclusive_group for r in rules.values() if r.name == s.name), None)
        if g and s.counted and (g not in groups or s.value > groups[g].value):
            groups[g] = s
    for s in steps:
        g = next((r.exclusive_group for r in rules.values() if r.name == s.name), None)
        if g and s.counted and groups[g] is not s:
            s.counted, s.note = False, f"与{groups[g].name}属同类补贴，同一笔业务不得同时享受，按较高的{groups[g].name}计"


def _combined_cap(steps: list[Step], rules: dict[str, SubsidyRule], loss: float) -> None:
    """Several levels' risk compensation together stay within their share of the loss; the lower level gives way."""
    risk = [s for s in steps if rules[s.name].kind == "risk" and s.counted]
    caps = [c for s in risk if (c := rules[s.name].combined_cap_ratio)]
    if len(risk) < 2 or not caps:
        return
    limit = min(caps) * loss
    total = sum(s.value for s in risk)
    if total <= limit:
        return
    lowest = risk[-1]  # the rules are listed upper level first
    cut = total - limit
    lowest.value = max(0.0, lowest.value - cut)
    lowest.note = f"两级合计不超过本金损失的{min(caps):.0%}（{wan(limit)}），核减{wan(cut)}"


def _borrow(f: Figures, products: list[Product], calc: Calculation) -> None:
    if not f.valuations:
        calc.missing.append("知识产权评估值")
    if not products:
        calc.missing.append("拟申请的产品")
    if not f.valuations or not products:
        return
    for p in products:
        if not p.pledge_ratio:
            calc.steps.append(Step(f"{p.name}可贷额度", 0.0, "", product=p, counted=False, note="该产品不以知识产权质押，无质押率"))
            continue
        terms, value = [], 0.0
        for said, amount in f.valuations:
            said = said or (f.ip_types[0] if len(f.ip_types) == 1 else None)
            ratios: dict[str, float] = {str(t): r for t, r in p.pledge_ratio.items()}
            # the type said, or its family (a 软件著作权 under a product's 著作权 ratio)
            kind: str | None = said if said in ratios else next((t for t in ratios if said and (t in said or said in t)), None)
            if kind is None and said is None:
                kind = max(ratios, key=lambda t: ratios[t])  # the type not said: the product's best ratio
            if kind is None:
                calc.steps.append(Step(f"{p.name}可贷额度", 0.0, "", product=p, counted=False, note=f"该产品不接受{said}质押"))
                continue
            ratio = ratios[kind]
            terms.append(f"{kind}评估值{wan(amount)}×质押率{ratio:.0%}")
            value += amount * ratio
        if terms:
            value, formula = _capped(value, "＋".join(terms), p.amount.max, "产品额度上限")
            calc.steps.append(Step(f"{p.name}可贷额度", value, formula, product=p))


_RULE_WORDS = ("补助", "补贴", "贴息", "担保", "保费", "保险", "补偿", "办法", "细则", "管理", "实施", "融资", "知识产权",
               "质押", "贷款", "科技", "金融", "业务", "风险")


def _named_rules(text: str, rules: list[SubsidyRule]) -> list[SubsidyRule]:
    """The rules the question names by a word only they use (秦知贷, 资金池, 秦科保); all of them when it names none."""
    return _named_only(text, rules) or rules


def _named_only(text: str, rules: list[SubsidyRule]) -> list[SubsidyRule]:
    """The rules the question names by a word only they use (none when it names none)."""
    from assistant.retrieval.tokenizer import get_tokenizer

    tok = get_tokenizer()
    said = {r.id: f"{r.name} {r.basis.title}" for r in rules}
    # a programme's own name (秦知贷, 资金池, 秦科保), not the words every subsidy rule uses (补助, 担保费, 办法)
    # nor a place's name or a piece of it (西咸新区, 新区): where a rule applies is the regions' business
    in_places = {r.id: [m.place.name for m in gazetteer().find(said[r.id])] + [m.text for m in gazetteer().find(said[r.id])] for r in rules}
    words = {r.id: {w for w in tok.words(said[r.id])
                    if len(w) >= 2 and not any(g in w for g in _RULE_WORDS) and not any(w in name for name in in_places[r.id])}
             for r in rules}
    # a word of one rule that no other rule's name or title contains, even inside a longer word
    return [r for r in rules if any(w in text and all(w not in said[o.id] for o in rules if o is not r) for w in words[r.id])]


# what came back of a premium or fee paid (保险公司退回来2万保费): paid back, not paid
_REFUNDED = re.compile(r"(?:退回来?|退还了?|退了|返还了?)[^，。,；;\d]{0,4}$")
# asks what must be paid back (要退回多少补贴, 得返还多少)
_REFUND_VERB = re.compile(r"退回|退还|返还|退")
_ASKS_REFUND = re.compile(rf"(?:{_REFUND_VERB.pattern})[^，。？?]{{0,4}}(?:多少|几)")


def _refund(f: Figures, calc: Calculation, rules: dict[str, SubsidyRule]) -> tuple[float, str, Basis] | None:
    """The share of a subsidy paid back when part of the premium it was paid on came back: the subsidy counted times
    what came back over what was paid, by the rule's own article for that case."""
    paid = sum(v for v, _r in f.premiums)
    step = next((s for s in calc.steps if s.counted and "refund" in rules[s.name].case_articles), None)
    if step is None or not paid or not f.refunded or f.refunded > paid:
        return None
    value = step.value * f.refunded / paid
    return value, f"已获补贴{wan(step.value)}×（退还保费{wan(f.refunded)}÷保费{wan(paid)}）＝{wan(value)}", _citing(rules[step.name], "refund", alone=True)


def _returned(f: Figures, book: SubsidyBook, calc: Calculation, asked: str) -> Calculation | None:
    """What a bank pays back of a compensation after recovering part of the loss: what it got back, less what
    recovering cost, times the rule's ratio, by the rule's own article for that case, and never more than was received.
    The rule is the one named (else the one rule that says how); None when it has no such article: nothing assumed."""
    risk = [r for r in book.rules if r.kind == "risk"]
    named = _named_only(asked, risk) or [r for r in risk if "refund" in r.case_articles]
    if len(named) != 1 or f.recovered is None or "refund" not in named[0].case_articles:
        return None
    rule = named[0]
    costs = [*f.charges, *f.fees]
    net = max(0.0, f.recovered - sum(costs))
    shown = f"（追回{wan(f.recovered)}－{'－'.join(wan(x) for x in costs)}）" if costs else f"追回{wan(f.recovered)}"
    value, formula = net * rule.ratio, f"{shown}×补偿比例{rule.ratio:.0%}＝{wan(net * rule.ratio)}"
    if f.already is not None and value > f.already:
        value, formula = f.already, f"{formula}，超过已获补偿{wan(f.already)}，按{wan(f.already)}"
    basis = _citing(rule, "refund", alone=True)
    calc.rules = [basis]
    calc.steps.append(Step(f"{rule.name}应返还金额", value, formula, basis,
                           note="已扣除实现债权的必要费用" if costs else ""))
    return calc


# what the loan costs once subsidised: “拿到贴息以后实际相当于年利率多少”, “贴息后综合成本多少”
_ASKS_NET_RATE = re.compile(r"(?:实际|相当于|折合|综合|净)[^，。？?]{0,6}(?:利率|成本|利息率)")


def _net_rate(f: Figures, calc: Calculation) -> tuple[float, str] | None:
    """The yearly rate the firm bears: the interest it pays less the subsidies counted, over the principal and term."""
    months = _period(f)
    loans = _rated_loans(f)
    counted = [s for s in calc.steps if s.counted]
    if not loans or not counted or any(ln.rate is None for ln in loans):
        return None
    principal = sum(ln.amount for ln in loans)
    interest = sum(ln.amount * (ln.rate or 0.0) for ln in loans) * months / 12
    subsidy = sum(s.value for s in counted)
    years = f"÷{months}/12" if months != 12 else ""
    rate = (interest - subsidy) / principal / (months / 12)
    return rate, f"（利息{wan(interest)}－补贴{wan(subsidy)}）÷本金{wan(principal)}{years}＝{_pct(rate)}"


def calculate(text: str, earlier: list[str], book: SubsidyBook, places: tuple[Place, ...], home: str,
              products: list[Product], asked: str | None = None, checking: bool = False) -> Calculation | None:
    """The calculation the question asks for, computed with the user's figures (None: not a calculation).
    ``asked``: the part of the question that asks for it (the kind is read there, the figures in the whole);
    ``checking``: the question checks a sum, taken out of ``text``."""
    kinds = calc_kinds(asked or text, earlier, figures_text=text, book=book, checking=checking)
    if not kinds:
        return None
    f = read_figures(text)
    for turn in reversed(earlier):
        f = f.merged(read_figures(turn))
    kind = kinds[0]
    refund_asked = _ASKS_REFUND.search(asked or text) or (checking and _REFUND_VERB.search(asking(asked or text)))
    if f.recovered is not None and "risk" in kinds and refund_asked:
        return _returned(f, book, Calculation("returned"), asked or text)  # 评估费 among the costs is no valuation asked
    calc = Calculation(kind)
    if kind == "borrow":
        _borrow(f, products, calc)
        return calc
    regions = _regions(text, places, home)
    of_kind = [r for r in book.rules if r.kind == kind]
    # a programme named by its own word (秦知贷) applies whatever level the question names beside it (区里资金池)
    # what the asking clause names (这次区里资金池能补多少) over what the story names (在资金池和秦知贷都备了案)
    said, named = next(((x, n) for x in (asking(asked or text), asked or text) if (n := _named_only(x, of_kind))), (asked or text, []))
    # two levels named side by side (市级贴息与区级贴息二选一) are what is compared, whatever other words say
    named = [] if _levels_compared(asked or text, home) else named
    found = [r for r in of_kind if (not r.regions or set(r.regions) & regions) or r in named]
    rules = {r.name: r for r in (_named_rules(said, found) if named else found)}
    calc.rules = [r.basis for r in rules.values()]
    for rule in rules.values():
        step = _rule_step(rule, f, book, calc)
        if step is not None:
            calc.steps.append(step)
    _exclusive(calc.steps, rules)
    if kind == "risk" and f.losses:
        # the loss the bank bears, for the combined cap and what is left: less a guarantor's payment only where every
        # rule applied counts the bank's own part (a rule that does not, counts the whole loss)
        own = all("covered" in r.case_articles for r in rules.values())
        calc.loss = sum(f.losses) - (f.covered if own and f.covered and f.covered < sum(f.losses) else 0.0)
        _combined_cap(calc.steps, rules, calc.loss)
    if kind == "interest" and _ASKS_NET_RATE.search(asked or text):
        calc.net_rate = _net_rate(f, calc)
    if f.refunded and refund_asked:
        calc.refund = _refund(f, calc, rules)
    calc.missing = list(dict.fromkeys(calc.missing))
    return calc if rules else None
