"""A computed answer: the figure first, then each formula with the article or product record it rests on, then
what is still needed. Citations point at the rule's articles in the index (their passages) and at product records."""

from __future__ import annotations

from assistant.answer.calculate import Calculation
from assistant.answer.products import record_citation
from assistant.answer.types import Answer, Citation
from assistant.index.snapshot import Snapshot
from assistant.products.subsidies import Basis
from assistant.units import pct, wan

_WHAT = {"interest": "贴息", "valuation": "评估费补助", "guarantee": "担保费补助", "premium": "保费补贴",
         "risk": "风险补偿（拨付给合作银行）", "borrow": "可贷额度", "returned": "应返还的补偿资金"}


def _basis_citations(basis: Basis, snapshot: Snapshot, start: int) -> list[Citation]:
    """The passages of the rule's articles, in the index's current version of its document."""
    from assistant.answer.pipeline import citation_for

    out: list[Citation] = []
    for idx in snapshot.doc_chunks.get(basis.doc_id, []):
        chunk = snapshot.chunks[idx]
        if chunk.get("article") in basis.articles and snapshot.in_force(idx):
            out.append(citation_for(start + len(out) + 1, chunk, snapshot, idx))
    return out


def asks_for(calc: Calculation) -> str:
    """The line that asks for what a calculation still needs, or says why nothing applies."""
    if not calc.missing:
        notes = "；".join(s.note for s in calc.steps if s.note)
        return f"按您给出的数字，{notes}。" if notes else ""
    return f"如需按您自己的情况测算{_WHAT.get(calc.kind, '金额')}，请提供：{'、'.join(calc.missing)}。"


def render(calc: Calculation, snapshot: Snapshot) -> Answer:
    citations: list[Citation] = []
    marks: dict[str, str] = {}

    def cite(key: str, make: list[Citation]) -> str:
        if key not in marks:
            made = make
            citations.extend(made)
            marks[key] = "".join(f"[{c.n}]" for c in made)
        return marks[key]

    lines: list[str] = []
    counted = [s for s in calc.steps if s.counted]
    what = _WHAT.get(calc.kind, "金额")
    if counted:
        figures = "；".join(f"{s.name}{wan(s.value)}" for s in counted)
        total = sum(s.value for s in counted)
        lead = f"按您给出的数字测算，{what}为：{figures}" + (f"，合计{wan(total)}" if len(counted) > 1 and calc.kind != "borrow" else "") + "。"
        if calc.refund is not None:  # what must be paid back is what was asked: it leads
            lead = f"按您给出的数字测算，应退回{what}{wan(calc.refund[0])}（已获{figures}）。"
        if calc.net_rate is not None:  # the rate is what was asked: it leads
            lead = f"按您给出的数字测算，扣除{what}后实际年利率约为{pct(calc.net_rate[0] * 100)}（{what}：{figures}）。"
        lines.append(lead)
    elif calc.missing:
        lines.append(f"要测算{what}，还需要您提供：{'、'.join(calc.missing)}。")
    for s in calc.steps:
        if s.basis is not None:
            mark = cite(s.basis.doc_id + "|".join(s.basis.articles), _basis_citations(s.basis, snapshot, len(citations)))
            where = f"依据《{s.basis.title}》{'、'.join(s.basis.articles)}{mark}"
        elif s.product is not None:
            mark = cite(f"product:{s.product.id}", [record_citation(s.product, len(citations) + 1)])
            where = f"依据{s.product.institution}「{s.product.name}」产品信息{mark}"
        else:
            where = ""
        body = f"{s.name}：{s.formula}" if s.formula else s.name
        lines.append(f"- {body}{'；' + s.note if s.note else ''}（{where}）")
    if not counted:  # nothing computed yet: the rules that will decide it, so the user sees what to provide for
        for basis in calc.rules:
            mark = cite(basis.doc_id + "|".join(basis.articles), _basis_citations(basis, snapshot, len(citations)))
            lines.append(f"- 适用规则：《{basis.title}》{'、'.join(basis.articles)}{mark}")
    if calc.net_rate is not None:
        lines.append(f"- 实际年利率：{calc.net_rate[1]}")
    if calc.refund is not None:
        _value, formula, basis = calc.refund
        mark = cite(basis.doc_id + "|".join(basis.articles), _basis_citations(basis, snapshot, len(citations)))
        lines.append(f"- 应退回：{formula}（依据《{basis.title}》{'、'.join(basis.articles)}{mark}）")
    if calc.kind == "risk" and counted and calc.loss:
        left = calc.loss - sum(s.value for s in counted)
        lines.append(f"本金损失{wan(calc.loss)}中，其余{wan(left)}由合作银行自行承担。")
    if calc.assumptions:
        lines.append("测算假设：" + "；".join(calc.assumptions) + "。")
    if counted and calc.missing:
        lines.append(f"如需更准确的结果，请补充：{'、'.join(calc.missing)}。")
    if calc.kind == "borrow":
        lines.append("以上为按产品库登记的质押率测算，实际额度以银行评估和审批为准。")
    else:
        lines.append("以上为测算，实际金额以主管部门核定为准。")
    return Answer(answer="\n".join(lines), citations=citations, composer="calculator")
