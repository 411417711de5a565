"""Application status workflow, with who may move it where.

The firm drafts and submits (草稿 → 已提交); the service center reviews and pushes to the bank of the product
(已提交 → 受理中 → 已推送银行, or sends a submission back to 草稿, or turns it down: 未通过); from then on the bank
answers with a decision (受理 → 银行受理中, 补充材料 → 待补充材料, 批准 → 已批准, 拒绝 → 未通过, and once the loan is paid
out 放款 → 已放款). A firm's upload answering a 补充材料 request puts the application back to 银行受理中. Anything else
is refused with a Chinese reason, and so is submitting a draft whose required fields are still 待补充. Only a draft
may be edited."""

from __future__ import annotations

from assistant.errors import AssistantError

STATUSES = ("草稿", "已提交", "受理中", "已推送银行", "银行受理中", "待补充材料", "已批准", "已放款", "未通过")
TRANSITIONS: dict[str, tuple[str, ...]] = {
    "草稿": ("已提交",),
    "已提交": ("受理中", "草稿"),
    "受理中": ("已推送银行", "未通过"),
    "已推送银行": ("银行受理中", "待补充材料", "已批准", "未通过"),
    "银行受理中": ("待补充材料", "已批准", "未通过"),
    "待补充材料": ("银行受理中", "未通过"),
    "已批准": ("已放款", "未通过"),  # 未通过 after approval: the firm declined the offer or the bank withdrew it
    "已放款": (),
    "未通过": (),
}
# A bank's answer and the status it leads to.
DECISIONS = {"受理": "银行受理中", "补充材料": "待补充材料", "批准": "已批准", "拒绝": "未通过", "放款": "已放款"}
# Statuses only a bank's decision leads to (the center records them through the decision route, never by hand).
BANK_STATUSES = frozenset(DECISIONS.values()) - {"未通过"}
PUSHED = "已推送银行"
# Where a firm may still add material to its application (a bank asked for it, or is reviewing it).
MATERIAL_OPEN = ("待补充材料", "银行受理中", "已推送银行")
# Grouped reasons of a refusal, for the statistics (the note says the rest).
REJECT_REASONS = ("资质条件不符", "知识产权价值不足", "负债或经营状况", "征信问题", "材料不全", "企业放弃", "其他")
EDITABLE = ("草稿",)


class WorkflowError(AssistantError):
    pass


class ConcurrentEditError(AssistantError):
    pass


class IncompleteApplication(WorkflowError):
    """A draft submitted while required fields are still 待补充; ``missing`` lists their labels."""

    def __init__(self, missing: list[str]) -> None:
        super().__init__(f"以下必填项尚待补充，补充后才能提交：{'、'.join(missing)}")
        self.missing = missing


def check_submittable(current: str, target: str, missing: list[str]) -> None:
    """草稿 → 已提交 only with every required field filled (staff sending it on later is not re-checked here)."""
    if current == "草稿" and target == "已提交" and missing:
        raise IncompleteApplication(missing)


def check_editable(current: str) -> None:
    if current not in EDITABLE:
        raise WorkflowError(f"申请当前为“{current}”，只有草稿可以修改；如需更正，请联系服务中心将申请退回为草稿")


def check_transition(current: str, target: str) -> None:
    if target not in STATUSES:
        raise WorkflowError(f"未知的状态“{target}”（可选：{'、'.join(STATUSES)}）")
    allowed = TRANSITIONS[current]
    if target not in allowed:
        options = "、".join(allowed) if allowed else "无（已是终态）"
        raise WorkflowError(f"申请当前为“{current}”，不能改为“{target}”；可转为：{options}")


CENTER_STATUSES = ("草稿", "已提交", "受理中")  # where the center (and the firm, for its draft) moves an application by hand


def manual_targets(role: str, current: str) -> tuple[str, ...]:
    """Where the plain status route lets each role move an application: the firm submits its draft; staff run the
    center's part (review, push, send back, turn down before the push). A bank's answers go through the decision
    route, which carries the amount, rate and note they need."""
    if role == "enterprise":
        return ("已提交",) if current == "草稿" else ()
    if role == "staff" and current in CENTER_STATUSES:
        return TRANSITIONS[current]
    return ()


def check_manual(role: str, current: str, target: str) -> None:
    if target in manual_targets(role, current) or target not in STATUSES:
        return  # allowed, or unknown (check_transition names the valid statuses)
    if role == "enterprise":  # not the application's state but the account's right: a plain refusal, not a conflict
        raise AssistantError("企业只能提交自己的草稿申请，其他状态由服务中心或银行办理")
    if current not in CENTER_STATUSES:
        raise WorkflowError(f"申请当前为“{current}”，推送银行之后的进展由银行答复（受理、补充材料、批准、拒绝、放款）")
    check_transition(current, target)


def decision_target(current: str, decision: str) -> str:
    """The status a bank decision leads to from ``current``; refused with the options when it does not apply."""
    if decision not in DECISIONS:
        raise WorkflowError(f"未知的答复“{decision}”（可选：{'、'.join(DECISIONS)}）")
    target = DECISIONS[decision]
    if target not in TRANSITIONS.get(current, ()):
        options = [d for d, s in DECISIONS.items() if s in TRANSITIONS.get(current, ())]
        raise WorkflowError(f"申请当前为“{current}”，不能答复“{decision}”；可答复：{'、'.join(options) or '无（已是终态）'}")
    return target
