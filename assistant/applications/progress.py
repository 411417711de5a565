"""How a firm's applications stand, said in chat (“我的申请怎么样了？”): each application's product, bank and
status, the bank's latest answer with its terms and note, and what the firm should do next. Read from the
application records, so it says exactly what the 申请管理 page shows."""

from __future__ import annotations

from assistant.applications.service import ApplicationOut, Decision
from assistant.units import wan

MAX_LISTED = 5
NEXT_STEP = {
    "草稿": "补齐必填项后提交",
    "已提交": "等待服务中心受理",
    "受理中": "服务中心审核中，通过后推送银行",
    "已推送银行": "已推送银行，等待银行答复",
    "银行受理中": "银行审查中",
    "待补充材料": "请在“申请管理”中上传银行要求的材料",
    "已批准": "等待银行放款",
    "已放款": "贷款已发放，记得按期申请贴息等补贴",
    "未通过": "可咨询服务中心调整方案或改选其他产品",
}


def decision_line(d: Decision) -> str:
    terms = [t for t in (f"金额{wan(d.amount)}" if d.amount else "", f"年化利率{d.rate:g}%" if d.rate else "",
                         f"期限{d.term_months}个月" if d.term_months else "") if t]
    line = f"银行答复“{d.decision}”" + (f"（{'，'.join(terms)}）" if terms else "")
    return line + (f"，说明：{d.note}" if d.note else "")


def describe(apps: list[ApplicationOut]) -> str:
    if not apps:
        return "贵企业目前还没有申请。说明企业情况后我可以为您匹配产品并生成申请表。"
    lines = [f"贵企业共有 {len(apps)} 件申请：" if len(apps) > 1 else "贵企业的申请："]
    for i, a in enumerate(apps[:MAX_LISTED], 1):
        parts = [f"{i}. {a.institution}「{a.product_name}」（编号 {a.id[:8]}）：{a.status}"]
        if a.decision is not None:
            parts.append(decision_line(a.decision))
        parts.append(NEXT_STEP.get(a.status, ""))
        lines.append("；".join(p for p in parts if p) + "。")
    if len(apps) > MAX_LISTED:
        lines.append(f"另有 {len(apps) - MAX_LISTED} 件，请在“申请管理”中查看。")
    return "\n".join(lines)
