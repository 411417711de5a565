"""Application status workflow: 草稿 → 已提交 → 受理中 → 已推送银行 → 已放款 / 未通过 (staff may send a submitted
application back to 草稿 for correction). Anything else is refused with a Chinese reason, and so is submitting a
draft whose required fields are still 待补充. Only a draft may be edited."""

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


class IncompleteApplication(WorkflowError):
    """A draft submitted while required fields are still 待补充; ``missing`` lists their labels."""

    def __init__(self, missing: list[str]) -> None:
        super().__init__(f"以下必填项尚待补充，补充后才能提交：{'、'.join(missing)}")
        self.missing = missing


EDITABLE = ("草稿",)


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
