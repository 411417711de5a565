"""银行工作台 (bank accounts): the applications the service center pushed to this bank, by status and age; one
application's firm, need, IP list with valuations and the match reasons; the decision form (受理 / 补充材料 / 批准 /
拒绝 / 放款) guarded by the version the banker saw; the material the firm uploaded; the queue as a workbook.

The API scopes everything to the bank of the account: another bank's application does not exist here."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pandas as pd
import streamlit as st

from assistant.applications.workflow import DECISIONS, REJECT_REASONS, TRANSITIONS
from assistant.units import cn_datetime
from ui.client import ApiError
from ui.common import (
    FIELD_LABELS,
    application_downloads,
    bank_decision,
    call,
    client,
    decision_text,
    material_upload,
    me,
    profile_rows,
    render_match_detail,
    show_error,
    wan,
)

S = st.session_state
S.setdefault("wb_notice", None)
# The order a banker works the queue in: what waits for the bank first, then what waits for the firm, then closed.
ORDER = ("已推送银行", "银行受理中", "待补充材料", "已批准", "已放款", "未通过")
OPEN = ("已推送银行", "银行受理中", "待补充材料", "已批准")
WAN = 10_000


def _age_days(app: dict[str, Any]) -> int | None:
    """Days since the application was pushed to the bank (how long it has waited in this queue)."""
    if not app.get("pushed_at"):
        return None
    pushed = dt.datetime.fromisoformat(str(app["pushed_at"]).replace("Z", "+00:00"))
    return max(0, (dt.datetime.now(dt.UTC) - pushed).days)


def _queue_rows(apps: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{
        "编号": a["id"][:8], "企业": a["enterprise_name"], "产品": a["product_name"], "状态": a["status"],
        "推送时间": cn_datetime(a.get("pushed_at")), "等待天数": _age_days(a),
        "最近答复": (a.get("decision") or {}).get("decision") or "", "版本": a["version"],
    } for a in apps]


def _workbook(apps: list[dict[str, Any]]) -> bytes:
    out = io.BytesIO()
    with pd.ExcelWriter(out, engine="openpyxl") as xl:
        pd.DataFrame([{**row, "申请编号": a["id"], "批准金额（元）": (a.get("decision") or {}).get("amount")}
                      for row, a in zip(_queue_rows(apps), apps, strict=True)]).to_excel(xl, sheet_name="待办队列", index=False)
    return out.getvalue()


def _firm(detail: dict[str, Any]) -> None:
    p = detail.get("profile_snapshot") or {}
    need = p.get("need") or {}
    c1, c2, c3 = st.columns(3)
    c1.metric("融资需求", wan(need.get("amount")) if need.get("amount") else "未说明")
    c2.metric("期限", f"{need['term_months']} 个月" if need.get("term_months") else "未说明")
    c3.metric("用途", need.get("purpose") or "未说明")
    shown_apart = {FIELD_LABELS["need"], FIELD_LABELS["ip_assets"]}  # the metrics above and the table below
    st.markdown("　".join(f"**{k}**：{v}" for k, v in profile_rows(p) if k not in shown_apart))
    assets = p.get("ip_assets") or []
    st.markdown("**拟质押知识产权**")
    if assets:
        st.dataframe(pd.DataFrame([{"类型": x.get("type"), "号码": x.get("number"), "名称": x.get("title"), "到期日": x.get("expires"),
                                    "法律状态": x.get("status"), "评估值": wan(x.get("valuation")) if x.get("valuation") else "未评估"}
                                   for x in assets]), hide_index=True, width="stretch")
        valued = sum(x.get("valuation") or 0 for x in assets)
        if valued:
            st.caption(f"评估值合计 {wan(valued)}")
    else:
        st.caption("企业未列出具体知识产权")
    m = detail.get("match")
    if m:
        st.markdown(f"**匹配结论**：{m['verdict']}" + (f"（参考额度 {wan(m['indicative_amount']['max'])} 以内）"
                                                  if (m.get("indicative_amount") or {}).get("max") else ""))
        render_match_detail(m)


def _decision_form(detail: dict[str, Any]) -> None:
    options = [d for d, target in DECISIONS.items() if target in TRANSITIONS.get(detail["status"], ())]
    if not options:
        st.info("该申请已办结，无需答复。")
        return
    app_id = detail["id"]
    with st.form(f"wb_decision_{app_id}"):
        decision = st.selectbox("答复", options, key=f"wb_decision_{app_id}_kind")
        c1, c2, c3 = st.columns(3)
        amount = c1.number_input("金额（万元）", min_value=0.0, step=10.0, value=None, key=f"wb_amount_{app_id}",
                                 help="批准时必填；放款时不填则按批准金额")
        rate = c2.number_input("年化利率（%）", min_value=0.0, max_value=24.0, step=0.05, value=None, key=f"wb_rate_{app_id}")
        term = c3.number_input("期限（月）", min_value=1, max_value=360, step=1, value=None, key=f"wb_term_{app_id}")
        reason = st.selectbox("拒绝原因（拒绝时选择）", REJECT_REASONS, index=len(REJECT_REASONS) - 1, key=f"wb_reason_{app_id}")
        note = st.text_area("说明", key=f"wb_note_{app_id}", max_chars=1000, placeholder="拒绝须说明原因；补充材料须写明需要哪些材料")
        st.caption(f"将基于第 {detail['version']} 版答复；如有他人同时办理，系统会拒绝并提示刷新。")
        sent = st.form_submit_button("提交答复", type="primary")
    if not sent:
        return
    body: dict[str, Any] = {"decision": decision, "expected_version": detail["version"], "note": note.strip() or None}
    if amount:
        body["amount"] = amount * WAN
    if rate:
        body["rate"] = rate
    if term:
        body["term_months"] = int(term)
    if decision == "拒绝":
        body["reason"] = reason
    try:
        saved = client().post(f"/applications/{app_id}/decision", json=body)
    except ApiError as exc:
        show_error(exc)
        return
    S["wb_notice"] = f"已答复“{decision}”，申请现为“{saved['status']}”（第 {saved['version']} 版）。"
    S["wb_current"] = app_id
    st.rerun()


# -- the page -------------------------------------------------------------------------------------------------------

st.title("银行工作台")
bank = me().get("institution") or ""
st.caption(f"{bank}：服务中心推送给本行的融资申请。按状态与等待时间处理，答复会即时通知企业和服务中心。")
apps = call(client().get, "/applications")
if apps is None:
    st.stop()
if S.get("wb_notice"):
    st.success(S.pop("wb_notice"), icon=":material/check_circle:")
if not apps:
    st.info("目前没有推送给本行的申请。")
    st.stop()

counts = {s: sum(1 for a in apps if a["status"] == s) for s in ORDER}
cols = st.columns(len(ORDER))
for col, s in zip(cols, ORDER, strict=True):
    col.metric(s, counts[s])

f1, f2 = st.columns([3, 1])
shown = f1.multiselect("状态", ORDER, default=list(OPEN), key="wb_status", placeholder="全部状态")
queue = sorted((a for a in apps if not shown or a["status"] in shown),
               key=lambda a: (ORDER.index(a["status"]) if a["status"] in ORDER else 99, -(_age_days(a) or 0)))
f2.download_button("导出队列（Excel）", _workbook(queue), file_name=f"{bank}-申请队列-{dt.date.today():%Y%m%d}.xlsx",
                   mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", icon=":material/download:",
                   key="wb_export", on_click="ignore", disabled=not queue)
if not queue:
    st.info("没有符合所选状态的申请。")
    st.stop()
st.dataframe(pd.DataFrame(_queue_rows(queue)), hide_index=True, width="stretch")

by_id = {a["id"]: a for a in queue}
current = S.get("wb_current") if S.get("wb_current") in by_id else queue[0]["id"]
S["wb_pick"] = current
st.selectbox("办理申请", list(by_id), key="wb_pick",
             format_func=lambda i: f"{i[:8]} · {by_id[i]['enterprise_name']} · {by_id[i]['product_name']} · {by_id[i]['status']}",
             on_change=lambda: S.update(wb_current=S["wb_pick"]))
detail = call(client().get, f"/applications/{current}")
if detail is None:
    st.stop()

st.divider()
st.subheader(f"申请 {detail['id'][:8]} · {detail['enterprise_name']} ·「{detail['product_name']}」")
st.caption(f"申请编号：{detail['id']} · 推送于 {cn_datetime(detail.get('pushed_at'))} · 状态：{detail['status']} · 第 {detail['version']} 版"
           + (f" · 账本记录第 {detail['ledger']['seq']} 条" if detail.get("ledger") else ""))
bank_decision(detail)
tab_firm, tab_decide, tab_history = st.tabs(["企业与需求", "答复", "办理记录"], key="wb_tab", on_change="rerun")
with tab_firm:
    _firm(detail)
    material_upload(detail, key=f"wb_material_{current}")
    application_downloads(detail, key=f"wb_doc_{current}")
with tab_decide:
    _decision_form(detail)
with tab_history:
    st.dataframe(pd.DataFrame([{
        "时间": cn_datetime(e.get("at")), "原状态": e.get("from_status") or "（新建）", "新状态": e.get("to_status"), "操作人": e.get("actor"),
        "内容": decision_text(e["data"]) if e.get("kind") == "decision" and e.get("data") else (e.get("note") or ""),
    } for e in detail.get("events") or []]), hide_index=True, width="stretch")
