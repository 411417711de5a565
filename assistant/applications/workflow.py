"""Application status workflow: 草稿 → 已提交 → 受理中 → 已推送银行 → 已放款 / 未通过 (staff may send a submitted
application back to 草稿 for correction). Anything else is refused with a Chinese reason."""

from __future__ import annotations

from assistant.errors import AssistantError

STATUSES = ("草稿", "已提交", "受理中", "已推送银行", "已放款", "未通过")
TRANSITIONS: dict[str, tuple[str, ...]] = {
    "草稿": ("已提交",),
    "已提交": ("受理中", "草稿"),
    "受理中": ("已推送银行", "未通过"),
    "已推送银行": ("已放款", "未通过"),
    "已放款": (),
    "未通过": (),
}


class WorkflowError(AssistantError):
    pass


class ConcurrentEditError(AssistantError):
    pass


def check_transition(current: str, target: str) -> None:
    if target not in STATUSES:
        raise WorkflowError(f"未知的状态“{target}”（可选：{'、'.join(STATUSES)}）")
    allowed = TRANSITIONS[current]
    if target not in allowed:
        options = "、".join(allowed) if allowed else "无（已是终态）"
        raise WorkflowError(f"申请当前为“{current}”，不能改为“{target}”；可转为：{options}")
