"""Questions about a named product (额度、利率、期限、材料…) are answered from its structured record, cited
to the record, never from paraphrased prose: a rate in a product sheet is a fact only if the sheet says it."""

from __future__ import annotations

import re
from collections.abc import Mapping

from assistant.answer.types import Answer, Citation
from assistant.lexicon.ip_types import mentions
from assistant.products.names import resolve
from assistant.products.schema import Product
from assistant.units import pct, wan

FIELDS: list[tuple[str, re.Pattern[str]]] = [
    ("amount", re.compile(r"额度|多少钱|贷多少|能贷(?!多久|多长|几年)|最高(?!能贷多久)|最多(?!能?贷多久)|金额|上限")),
    ("rate", re.compile(r"利率|利息|几个点|年化|多少息|成本")),
    ("term", re.compile(r"期限|几年|多长时间|多久(?!能?放款)|最长|多少个月")),
    ("pledge_ratio", re.compile(r"质押率|抵押率|按评估|打几折|评估值的|几成|成数")),
    # materials asked for, not a condition on them (“材料齐的话几天能批下来”)
    ("documents", re.compile(r"材料(?!齐|全|不全|没问题)|资料(?!齐|全|不全)|准备什么|提交什么|交(?:什么|哪些|啥)")),
    # where to apply is said in the steps (到首贷服务中心提交申请)
    ("process", re.compile(r"流程|步骤|怎么办|怎么申请|如何申请|(?:去|到|在)哪(?:儿|里|个地方)?(?:递|交|提交|办|申请)")),
    ("speed", re.compile(r"放款|多快|最快|几天|多久能|办得快|审批|批(?:下来|得下来|得快|复)|下款")),
    ("eligibility", re.compile(r"条件|门槛|要求|资格|能不能申请|可以申请|符合|人数|员工|营收|成立")),
    # 保证 is the surety kind of guarantee (谁提供保证, 保证人), not “保证材料真实”
    ("guarantee", re.compile(r"担保|保险|抵押物|抵押质押|抵质押|(?:要|用|需)不(?:要|用|需)抵押|提供保证|保证人|连带(?:责任)?保证")),
    ("contact", re.compile(r"联系|电话|找谁|咨询")),
    ("subsidies", re.compile(r"补贴|贴息|补助")),
    ("summary", re.compile(r"面向|哪类企业|什么样的企业|哪些企业|适合(?:哪|什么)|客群")),  # who the product is for
]
DEFAULT_FIELDS = ["summary", "amount", "rate", "term"]


def _base(name: str) -> str:
    return re.split(r"[（(·]", name)[0]


def product_names(p: Product) -> list[str]:
    """How documents name a product: its full name, and its base name when that is specific (秦农知产贷)."""
    return [n for n in dict.fromkeys((p.name, _base(p.name))) if len(n) >= 3]


def find_product(question: str, catalog: list[Product]) -> Product | None:
    """The first product the question names (by name, alias, bank short name + type, or a typo)."""
    found = resolve(question, catalog)
    return found[0] if found else None


def _wan(x: float | None) -> str:
    return "不限" if x is None else wan(x)


def amount_span(p: Product) -> str:
    return f"{_wan(p.amount.min)}至{_wan(p.amount.max)}"


def rate_span(p: Product) -> str:
    return f"年化约{pct(p.rate.min)}–{pct(p.rate.max)}"


# a term asked in years (“最长能贷几年”) is answered in years too, beside the record's months
_IN_YEARS = re.compile(r"几年|多少年|[一二两三四五六七八九十\d]年(?:吗|么|期)?[？?]")


def term_span(p: Product, question: str = "") -> str:
    months = f"{p.term_months.min:g}个月至{p.term_months.max:g}个月"
    top = p.term_months.max
    if top and top >= 12 and top % 12 == 0 and _IN_YEARS.search(question):
        return f"{months}，最长{top / 12:g}年"
    return months


def ratios_text(p: Product) -> str:
    return "、".join(f"{t}{r:.0%}" for t, r in p.pledge_ratio.items())


def describe(p: Product, field: str, question: str = "", names: Mapping[str, str] | None = None) -> str:
    """One field of the record in words; ``names``: the subsidy rules' names by id (a record lists ids)."""
    e = p.eligibility
    if field == "summary":
        return p.summary.rstrip("。")  # the fields are joined with “；”
    if field == "amount":
        return f"额度{amount_span(p)}"
    if field == "rate":
        return f"利率{p.rate.text}（{rate_span(p)}）"
    if field == "term":
        return f"期限{term_span(p, question)}"
    if field == "pledge_ratio":
        if not p.pledge_ratio:
            return "本产品不以知识产权质押为担保方式，无质押率要求"
        # the IP types the question asks about, when the record rates them all (“发明专利能按评估值的几成贷”)
        named = list(dict.fromkeys(t for t, _a, _b in mentions(question)))
        asked = [t for t in named if t in p.pledge_ratio]
        if asked and len(asked) == len(named):
            return "质押率上限：" + "、".join(f"{t}{p.pledge_ratio[t]:.0%}" for t in asked) + "（占评估值）"
        return "质押率上限：" + ratios_text(p) + "（占评估值）"
    if field == "documents":
        return "申请材料：" + "、".join(p.documents)
    if field == "process":
        return "办理流程：" + "→".join(p.process)
    if field == "speed":
        # the step of the process that says how long approval takes (“简化审批（一般10个工作日内）”)
        approval = next((step for step in p.process if "审批" in step and re.search(r"\d", step)), "")
        return f"一般{p.days_to_loan}个工作日内放款" + (f"，其中{approval}" if approval else "")
    if field == "guarantee":
        return f"担保方式：{p.guarantee}"
    if field == "contact":
        return f"联系：{p.contact.department}，电话{p.contact.phone}"
    if field == "subsidies":
        said = [(names or {}).get(s, s) for s in p.subsidies]
        return "可叠加的补贴：" + ("、".join(said) if said else "无") + "（可用政策计算器测算金额）"
    parts = []
    if e.regions:
        parts.append(f"注册地在{'、'.join(e.regions)}")
    if e.qualifications_any:
        parts.append(f"具备{'/'.join(e.qualifications_any)}之一")
    if e.min_years:
        parts.append(f"成立满{e.min_years:g}年")
    if e.revenue and (e.revenue.min or e.revenue.max):
        low, high = e.revenue.min, e.revenue.max
        parts.append("上年营业收入" + (f"不低于{wan(low)}" if low else "") + ("、" if low and high else "") + (f"不超过{wan(high)}" if high else ""))
    if e.max_debt_ratio:
        parts.append(f"资产负债率不高于{e.max_debt_ratio:.0%}")
    if e.max_employees:
        parts.append(f"员工不超过{e.max_employees}人")
    if e.min_ip_remaining_years:
        parts.append(f"质押知识产权剩余有效期不少于{e.min_ip_remaining_years:g}年")
    if e.ip_any:
        parts.append("知识产权" + "或".join(f"{'/'.join(r.types)}不少于{r.count}件" for r in e.ip_any))
    if e.whitelist_required:
        parts.append("已列入融资白名单")
    if e.credit_clean:
        parts.append("征信良好")
    return "申请条件：" + "；".join(parts) if parts else "申请条件：无特别限制"


RECORD_FIELDS = ["summary", "amount", "rate", "term", "pledge_ratio", "guarantee", "eligibility", "documents", "process", "speed", "subsidies",
                 "contact"]
_THRESHOLD = re.compile(r"(?:超过|高于|低于|不足|超出)\s*(\d+(?:\.\d+)?)\s*万|(\d+(?:\.\d+)?)\s*万元?(?:以上|以下|以内|的部分)")


def record_text(p: Product, names: Mapping[str, str] | None = None) -> str:
    return "；".join(describe(p, f, names=names) for f in RECORD_FIELDS) + f"。有效期{p.valid_from}至{p.valid_to or '长期'}。"


def product_answer(question: str, catalog: list[Product]) -> Answer | None:
    p = find_product(question, catalog)
    return record_answer(question, p) if p is not None else None


def record_citation(p: Product, n: int, names: Mapping[str, str] | None = None) -> Citation:
    """A citation of the product's record in the product library."""
    return Citation(
        n=n, doc_id=f"product:{p.id}", title=f"{p.institution}「{p.name}」产品信息（示例）", source=f"products/{p.id}.yaml",
        section="产品库", text=record_text(p, names), chunk_id=f"product:{p.id}",
    )


# a duration asked of the loan itself, not of how long approval or lending takes
_TERM_ITSELF = re.compile(r"期限|几年|最长|多少个月|贷多久|借多久")


def asked_fields(question: str) -> list[str]:
    """The record fields a question asks for; “审批要多久” asks how fast, not the loan's term."""
    fields = [name for name, pattern in FIELDS if pattern.search(question)]
    if "speed" in fields and "term" in fields and not _TERM_ITSELF.search(question):
        fields.remove("term")
    return fields


def record_words_asked(question: str, p: Product, fields: list[str]) -> list[str]:
    """The fields that state what the question asks in the record's own words, beyond those its cues chose: a word of
    an asking clause (白名单以外的企业做不做, 近似商标能只押一个吗) that the chosen fields do not say, in the first
    field that does. The record decides what it can answer, not a list of cues."""
    from assistant.retrieval.answer_type import asks, clauses
    from assistant.retrieval.tokenizer import get_tokenizer

    tok = get_tokenizer()
    own = set(tok.words(f"{p.name} {p.institution} {p.category}"))  # naming the product asks for nothing
    said = {f: describe(p, f, question) for f in dict.fromkeys([*RECORD_FIELDS, *DEFAULT_FIELDS])}  # each field once
    shown = "；".join(said[f] for f in fields or DEFAULT_FIELDS)
    added: list[str] = []
    # every clause with a question word, one that counts a few things too: what it names (几个近似商标) is what the ask
    # after it is about
    for clause in (c for c in clauses(question) if asks(c)):
        for w in tok.words(clause):
            if len(w) < 2 or w in own or w in shown or tok.informativeness(w) < MIN_RECORD_WORD:
                continue
            field = next((f for f in RECORD_FIELDS if f not in fields and f not in added and w in said[f]), None)
            if field is not None:
                added.append(field)
                shown += said[field]
    return added


MIN_RECORD_WORD = 0.5  # general-language informativeness of a word that can name a record field by itself


def record_answer(question: str, p: Product, names: Mapping[str, str] | None = None) -> Answer:
    """The fields of the product's record the question asks about (额度、利率…), cited to the record."""
    fields = asked_fields(question) or DEFAULT_FIELDS
    # a threshold the question names (“超过500万的部分还有什么要求”) is answered where the record states it
    amounts = [f"{a or b}万" for a, b in _THRESHOLD.findall(question)]
    fields += [f for f in RECORD_FIELDS if f not in fields and any(a in describe(p, f) for a in amounts)]
    fields += record_words_asked(question, p, fields)
    body = "；".join(describe(p, f, question, names) for f in dict.fromkeys(fields))
    citation = record_citation(p, 1, names)
    text = f"{p.institution}「{p.name}」（{p.category}，示例产品）：{body}。[1]\n以上为产品库登记信息，具体以银行审批为准。"
    return Answer(answer=text, citations=[citation], composer="product")
