"""Two or more products named in one question: a comparison of the fields asked, each row cited to its record,
led by the answer to “which one” when the question asks it (利率哪个低 → the lowest rate)."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping

from assistant.answer.products import (
    amount_span,
    asked_fields,
    describe,
    rate_span,
    ratios_text,
    record_citation,
    term_span,
)
from assistant.answer.types import Answer
from assistant.lexicon.ip_types import mentions
from assistant.products.schema import Product

DEFAULT = ["rate", "amount", "term"]
_COMPARABLE = ("rate", "amount", "term", "pledge_ratio", "speed", "accepted_ip")
_ASKS_WHICH = re.compile(r"哪个|哪家|哪款|谁|最|更")


def _ratios(p: Product) -> dict[str, float]:
    return {str(t): r for t, r in p.pledge_ratio.items()}


def _ip_named(question: str) -> str | None:
    found = mentions(question)
    return found[0][0] if found else None


def _cell(p: Product, field: str, ip: str | None, question: str = "", names: Mapping[str, str] | None = None) -> str:
    if field == "rate":
        return rate_span(p)
    if field == "amount":
        return amount_span(p)
    if field == "term":
        return term_span(p, question)
    if field == "speed":
        return f"{p.days_to_loan}个工作日"
    if field == "pledge_ratio":
        if not p.pledge_ratio:
            return "不以知识产权质押"
        if ip:
            ratio = _ratios(p).get(ip)
            return f"{ip}{ratio:.0%}" if ratio is not None else f"不接受{ip}"
        return ratios_text(p)
    if field == "accepted_ip":
        return "、".join(p.accepted_ip) if p.accepted_ip else "不以知识产权质押"
    return describe(p, field, question, names)


_HEADERS = {"rate": "利率", "amount": "额度", "term": "期限", "speed": "一般放款时间", "pledge_ratio": "质押率（占评估值）",
            "accepted_ip": "可质押的知识产权", "documents": "申请材料", "process": "流程", "eligibility": "申请条件",
            "guarantee": "担保方式", "contact": "联系方式", "subsidies": "可叠加补贴", "summary": "简介"}


def _leader(question: str, field: str, products: list[Product], ip: str | None) -> str | None:
    """Which product the question's “哪个” picks on the compared field, by the records' figures."""
    key: Callable[[Product], float] | None = None
    if field == "rate":
        key, said = (lambda p: p.rate.min), "利率最低的是"
    elif field == "amount":
        key, said = (lambda p: -(p.amount.max or 0)), "额度上限最高的是"
    elif field == "term":
        key, said = (lambda p: -(p.term_months.max or 0)), "期限最长的是"
    elif field == "speed":
        key, said = (lambda p: p.days_to_loan), "放款最快的是"
    elif field == "pledge_ratio":
        def ratio(p: Product) -> float:
            got = _ratios(p)
            return -(got.get(ip, 0.0) if ip else max(got.values(), default=0.0))
        key, said = ratio, f"{ip or ''}质押率最高的是"
    elif field == "accepted_ip" and ip:
        takes = [p for p in products if ip in p.accepted_ip or (ip == "软件著作权" and "著作权" in p.accepted_ip)]
        if not takes:
            return f"所列产品都不接受{ip}质押"
        return "接受" + ip + "质押的是" + "、".join(f"{p.institution}「{p.name}」" for p in takes)
    if key is None:
        return None
    best = min(key(p) for p in products)
    leaders = [p for p in products if key(p) == best]
    return said + "、".join(f"{p.institution}「{p.name}」（{_cell(p, field, ip, question)}）" for p in leaders)


def compare_answer(question: str, products: list[Product], names: Mapping[str, str] | None = None) -> Answer:
    asked = asked_fields(question)
    ip = _ip_named(question)
    if ip and ("押" in question or "质押率" in question or "几成" in question) and "pledge_ratio" not in asked:
        asked.append("pledge_ratio" if re.search(r"几成|质押率|多少|比例", question) else "accepted_ip")
    if re.search(r"能押|收不收|接不接受|接受", question) and ip:
        asked = ["accepted_ip", *[a for a in asked if a != "pledge_ratio"]]
    fields = [f for f in dict.fromkeys(asked) if f in _HEADERS] or DEFAULT
    citations = [record_citation(p, i + 1, names) for i, p in enumerate(products)]
    lines = []
    if _ASKS_WHICH.search(question):
        lead = next((t for f in fields if f in _COMPARABLE and (t := _leader(question, f, products, ip))), None)
        if lead:
            lines.append(f"{lead}。")
    lines += ["| 产品 | " + " | ".join(_HEADERS[f] for f in fields) + " |", "|---" * (len(fields) + 1) + "|"]
    for i, p in enumerate(products):
        lines.append(f"| {p.institution}「{p.name}」[{i + 1}] | " + " | ".join(_cell(p, f, ip, question, names) for f in fields) + " |")
    lines.append("以上为产品库登记信息（示例产品），具体以银行审批为准。")
    return Answer(answer="\n".join(lines), citations=citations, composer="product")
