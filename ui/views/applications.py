"""申请管理: the queue (filters by status and bank), one application's form with the source of every field,
issues and history, a status change guarded by the version the user saw, and PDF/DOCX downloads.
Enterprises see only their own applications (the API enforces it)."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from ui.client import ApiError
from ui.common import (
    INSTITUTIONS,
    SOURCE_COLORS,
    STATUSES,
    TRANSITIONS,
    application_downloads,
    call,
    client,
    md,
    role,
    show_error,
)

S = st.session_state
S.setdefault("app_details", {})  # id → the detail as the user last loaded it (its version guards the next change)
S.setdefault("app_notice", None)


def _load(app_id: str) -> dict[str, Any] | None:
    detail = call(client().get, f"/applications/{app_id}")
    if detail:
        S["app_details"][app_id] = detail
    return detail


def _fmt_time(value: str | None) -> str:
    return (value or "").replace("T", " ")[:19]


st.title("申请管理")
if role() == "enterprise":
    st.caption("这里是贵企业的全部申请。草稿确认无误后可提交给服务中心，之后的受理与推送由服务中心办理。")
else:
    st.caption("申请队列：按状态和合作银行筛选，查看预填内容与校验提示，变更状态并留下备注。")

f1, f2, f3 = st.columns([2, 2, 1])
status = f1.selectbox("状态", (None, *STATUSES), format_func=lambda s: "全部状态" if s is None else s, key="apps_status")
institution = f2.selectbox("合作银行", (None, *INSTITUTIONS), format_func=lambda s: "全部银行" if s is None else s, key="apps_institution")
if f3.button("刷新", icon=":material/refresh:", key="apps_refresh", width="stretch"):
    S["app_details"] = {}
params = {k: v for k, v in (("status", status), ("institution", institution)) if v}
apps = call(client().get, "/applications", params=params)
if apps is None:
    st.stop()
if not apps:
    st.info("没有符合条件的申请。" if params else "还没有申请。可以在“企业咨询”中说明企业情况后生成申请表。")
    st.stop()

table = pd.DataFrame([{
    "编号": a["id"][:8], "企业": a["enterprise_name"], "产品": a["product_name"], "合作银行": a["institution"], "状态": a["status"],
    "版本": a["version"], "待补充项": len(a.get("missing") or []), "更新时间": _fmt_time(a.get("updated_at")),
} for a in apps])
st.dataframe(table, hide_index=True, width="stretch")

by_id = {a["id"]: a for a in apps}
chosen = st.selectbox("查看申请", list(by_id), key="apps_selected",
                      format_func=lambda i: f"{by_id[i]['enterprise_name']} · {by_id[i]['product_name']} · {by_id[i]['status']} · {i[:8]}")
if chosen is None:
    st.stop()
detail = S["app_details"].get(chosen) or _load(chosen)
if detail is None:
    st.stop()
if by_id[chosen]["version"] != detail["version"]:
    st.info(f"该申请已被他人更新（您看到的是第 {detail['version']} 版，最新为第 {by_id[chosen]['version']} 版）。点击“刷新”查看最新内容。", icon=":material/sync:")

st.divider()
st.subheader(f"{detail['enterprise_name']} · {detail['institution']}「{detail['product_name']}」")
m1, m2, m3, m4 = st.columns(4)
m1.metric("状态", detail["status"])
m2.metric("版本", detail["version"])
m3.metric("待补充项", len(detail.get("missing") or []))
m4.metric("创建时间", _fmt_time(detail.get("created_at"))[:10])
if S.get("app_notice"):
    st.success(S.pop("app_notice"), icon=":material/check_circle:")

issues = detail.get("issues") or []
for issue in (i for i in issues if i.get("level") == "error"):
    st.error(f"{issue.get('field')}：{issue.get('message')}", icon=":material/error:")
warnings = [i for i in issues if i.get("level") != "error"]
if warnings:
    st.warning("**校验提示**：" + "；".join(md(i.get("message")) for i in warnings), icon=":material/push_pin:")

tab_form, tab_history, tab_action = st.tabs(["申请表内容", "状态历史", "办理"], key="apps_tab", on_change="rerun")
with tab_form:
    form = detail.get("form") or {}
    st.caption("“来源”一栏：用户提供（绿）、系统推断（蓝）、待补充（橙）")
    for section in form.get("sections") or []:
        st.markdown(f"**{section['title']}**")
        rows = []
        for f in section.get("fields") or []:
            value = f.get("value")
            if isinstance(value, list):
                value = "、".join(str(v) for v in value)
            elif isinstance(value, bool):
                value = "是" if value else "否"
            rows.append({"项目": f.get("label") + ("（必填）" if f.get("required") else ""), "内容": "" if value is None else str(value),
                         "来源": f.get("source") or "待补充"})
        frame = pd.DataFrame(rows)
        styled = frame.style.map(lambda v: f"background-color: {SOURCE_COLORS.get(v, 'transparent')}", subset=["来源"])
        st.dataframe(styled, hide_index=True, width="stretch")
    if form.get("ip_list"):
        st.markdown("**知识产权清单**")
        labels = {"type": "类型", "number": "编号", "title": "名称", "owner": "权利人", "expires": "到期日", "status": "法律状态",
                  "pledged": "是否已质押", "valuation": "评估值"}
        st.dataframe(pd.DataFrame(form["ip_list"]).rename(columns=labels), hide_index=True, width="stretch")
    application_downloads(detail, key=f"apps_doc_{chosen}")

with tab_history:
    events = detail.get("events") or []
    if events:
        st.dataframe(pd.DataFrame([{"时间": _fmt_time(e.get("at")), "原状态": e.get("from_status") or "（新建）", "新状态": e.get("to_status"),
                                    "操作人": e.get("actor"), "备注": e.get("note") or ""} for e in events]), hide_index=True, width="stretch")
    else:
        st.info("暂无状态变更记录。")

with tab_action:
    targets = TRANSITIONS.get(detail["status"], ())
    if role() == "enterprise":
        targets = tuple(t for t in targets if detail["status"] == "草稿" and t == "已提交")
    if not targets:
        st.info("当前状态下没有可办理的操作。" if role() != "enterprise" else "申请已提交，后续由服务中心办理。")
    else:
        with st.form(f"transition_{chosen}"):
            to_status = st.selectbox("变更为", targets, key=f"apps_to_{chosen}")
            note = st.text_area("备注", key=f"apps_note_{chosen}", max_chars=500, placeholder="例如：材料齐全，已受理")
            st.caption(f"将基于第 {detail['version']} 版办理；如有他人同时修改，系统会拒绝并提示刷新。")
            submitted = st.form_submit_button("确认变更", type="primary")
        if submitted:
            try:
                moved = client().post(f"/applications/{chosen}/transitions",
                                      json={"to_status": to_status, "expected_version": detail["version"], "note": note.strip() or None})
            except ApiError as exc:
                if exc.conflict:
                    st.error(exc.message, icon=":material/error:")
                    st.caption("请点击上方“刷新”加载最新版本后再操作。")
                else:
                    show_error(exc)
            else:
                S["app_details"][chosen] = moved
                S["app_notice"] = f"已将申请状态变更为“{moved['status']}”（第 {moved['version']} 版）。"
                st.rerun()
