"""统计 (staff, policy team): consultations per day, top and unanswered questions, applications by status and bank,
and the financing follow-up (per bank, product and month; against the center's targets, which the policy team edits)."""

from __future__ import annotations

import datetime as dt

import altair as alt
import pandas as pd
import streamlit as st

from assistant.privacy import mask
from assistant.units import BEIJING
from ui.client import ApiError
from ui.common import call, client, role, show_error, wan

COUNT_WIDTH = 72  # px: the count column, fixed and narrow
QUESTION_WIDTH = 200  # px: the question column's least width; it grows to fill the rest of the table
ROW_HEIGHT = 72  # px: rows taller than 4rem make Streamlit wrap a long question onto several lines

st.title("统计")
days = st.selectbox("统计范围", (7, 30, 90, 366), index=1, format_func=lambda d: f"最近 {d} 天" if d < 366 else "最近一年", key="stats_days")
data = call(client().get, "/stats", params={"days": days})
if data is None:
    st.stop()


def question_counts(key: str, count_label: str) -> pd.DataFrame:
    """One of the /stats question lists ([{question, count}]) as a two-column table, personal data masked (the API
    masks them already; an older server may not)."""
    rows = [{"问题": mask(str(r.get("question") or "")), count_label: r.get("count", 0)} for r in data.get(key) or []]
    return pd.DataFrame(rows, columns=["问题", count_label])


def question_table(frame: pd.DataFrame) -> None:
    """A question list. The count is pinned: a narrow column of fixed width that Streamlit keeps at the left, in
    view however long the questions are and however narrow the page. The question column is the only one that
    stretches, so it takes all the remaining width, and its text wraps."""
    count_label = frame.columns[1]
    st.dataframe(frame, hide_index=True, width="stretch", row_height=ROW_HEIGHT, column_config={
        "问题": st.column_config.TextColumn("问题", width=QUESTION_WIDTH),
        count_label: st.column_config.NumberColumn(count_label, width=COUNT_WIDTH, format="%d", pinned=True),
    })


by_status: dict[str, int] = data.get("applications_by_status") or {}
by_bank: dict[str, int] = data.get("applications_by_bank") or {}
c1, c2, c3, c4 = st.columns(4)
c1.metric("咨询次数", data.get("consultations", 0))
c2.metric("未能回答的问题", len(data.get("unanswered") or []))
c3.metric("被点踩的问题", len(data.get("disliked") or []))
c4.metric("申请总数", sum(by_status.values()))

st.subheader("每日咨询量")
per_day = pd.DataFrame(data.get("consultations_per_day") or [], columns=["date", "count"])
if per_day.empty:
    st.info("所选时间范围内暂无咨询。")
else:
    # every day of the range, days without consultations as 0, so one busy day still draws a line
    per_day["date"] = pd.to_datetime(per_day["date"])
    end = max(per_day["date"].max(), pd.Timestamp(dt.datetime.now(BEIJING).date()))  # the API counts days in Beijing time
    full = pd.DataFrame({"date": pd.date_range(end=end, periods=days, freq="D")})
    series = full.merge(per_day, on="date", how="left").fillna({"count": 0})
    line = alt.Chart(series.rename(columns={"date": "日期", "count": "咨询次数"})).mark_line(point=alt.OverlayMarkDef(size=20)).encode(
        x=alt.X("日期:T", axis=alt.Axis(format="%-m月%-d日", title="日期")),
        y=alt.Y("咨询次数:Q", axis=alt.Axis(tickMinStep=1, title="咨询次数")),
        tooltip=[alt.Tooltip("日期:T", format="%Y年%-m月%-d日"), "咨询次数:Q"],
    )
    st.altair_chart(line, width="stretch")

left, right = st.columns(2)
with left:
    st.subheader("热门问题")
    top = question_counts("top_questions", "次数")
    if top.empty:
        st.info("暂无数据。")
    else:
        question_table(top)
with right:
    st.subheader("未能回答的问题")
    st.caption("知识库中没有依据、助手拒答的问题——政策团队的待办清单。")
    unanswered = question_counts("unanswered", "未答次数")
    if unanswered.empty:
        st.success("暂无未能回答的问题。")
    else:
        question_table(unanswered)
    disliked = question_counts("disliked", "点踩次数")
    if not disliked.empty:
        st.markdown("**被点踩的回答**")
        question_table(disliked)

left, right = st.columns(2)
with left:
    st.subheader("申请状态分布")
    if by_status:
        st.bar_chart(pd.DataFrame({"状态": list(by_status), "申请数": list(by_status.values())}), x="状态", y="申请数", horizontal=True)
    else:
        st.info("暂无申请。")
with right:
    st.subheader("合作银行分布")
    if by_bank:
        st.bar_chart(pd.DataFrame({"银行": list(by_bank), "申请数": list(by_bank.values())}), x="银行", y="申请数", color="#2e7d32", horizontal=True)
    else:
        st.info("暂无申请。")


# -- financing follow-up ------------------------------------------------------------------------------------------

fin = data.get("financing") or {}
target = fin.get("targets") or {}
st.subheader("融资跟踪与目标进度")
if target:
    t1, t2, t3 = st.columns(3)
    t1.metric("获得融资企业", f"{target.get('firms', 0)} 家", help=f"目标 {target.get('firms_target')} 家")
    t1.progress(min(1.0, target.get("firms_share") or 0.0), text=f"目标 {target.get('firms_target')} 家，完成 {(target.get('firms_share') or 0):.1%}")
    t2.metric("累计放款", wan(target.get("amount") or 0), help=f"目标 {wan(target.get('amount_target'))}")
    t2.progress(min(1.0, target.get("amount_share") or 0.0), text=f"目标 {wan(target.get('amount_target'))}，完成 {(target.get('amount_share') or 0):.1%}")
    left_days = target.get("days_left")
    t3.metric("目标期限", str(target.get("deadline")), help="政策管理员可修改目标",
              delta=(f"剩余 {left_days} 天" if left_days is not None and left_days >= 0 else f"已过 {-(left_days or 0)} 天"), delta_color="off")
    t3.caption(f"已推送企业 {target.get('firms_pushed', 0)} 家")

LABELS = {"pushed": "推送", "accepted": "受理", "approved": "批准", "rejected": "拒绝", "disbursed": "放款"}


def follow_up(rows: list[dict], keys: dict[str, str]) -> pd.DataFrame:
    return pd.DataFrame([{**{label: r.get(k) for k, label in keys.items()}, **{LABELS[k]: r.get(k, 0) for k in LABELS},
                          "批准金额": wan(r.get("approved_amount") or 0), "放款金额": wan(r.get("disbursed_amount") or 0),
                          "答复用时中位数（天）": r.get("median_days_to_decision"),
                          "拒绝原因": "、".join(f"{k}{v}" for k, v in (r.get("reject_reasons") or {}).items())} for r in rows])


by_bank_fin = fin.get("by_bank") or []
if not by_bank_fin:
    st.info("还没有推送银行的申请。")
else:
    chart = pd.DataFrame([{"银行": r["institution"], "环节": LABELS[k], "件数": r.get(k, 0)} for r in by_bank_fin for k in LABELS])
    bars = alt.Chart(chart).mark_bar().encode(
        x=alt.X("银行:N", title=None), xOffset=alt.XOffset("环节:N", sort=list(LABELS.values())), y=alt.Y("件数:Q", axis=alt.Axis(tickMinStep=1)),
        color=alt.Color("环节:N", sort=list(LABELS.values())), tooltip=["银行:N", "环节:N", "件数:Q"])
    st.altair_chart(bars, width="stretch")
    st.markdown("**按银行**")
    st.dataframe(follow_up(by_bank_fin, {"institution": "银行"}), hide_index=True, width="stretch")
    st.markdown("**按产品**")
    st.dataframe(follow_up(fin.get("by_product") or [], {"institution": "银行", "product": "产品"}), hide_index=True, width="stretch")
    st.markdown("**按月份**（推送月份）")
    months = fin.get("by_month") or []
    st.dataframe(follow_up(months, {"month": "月份"}), hide_index=True, width="stretch")

if role() == "policy_admin" and target:
    with st.expander("修改服务中心目标", icon=":material/flag:"):
        with st.form("targets_form"):
            firms = st.number_input("目标企业数（家）", min_value=1, value=int(target.get("firms_target") or 200), step=10)
            amount = st.number_input("目标融资额（亿元）", min_value=0.01, value=float(target.get("amount_target") or 1e9) / 1e8, step=1.0)
            deadline = st.date_input("目标期限", value=dt.date.fromisoformat(str(target.get("deadline"))), format="YYYY-MM-DD")
            saved = st.form_submit_button("保存目标", type="primary")
        if saved:
            try:
                client().request("PUT", "/stats/targets", json={"firms": int(firms), "amount": amount * 1e8, "deadline": deadline.isoformat()})
            except ApiError as exc:
                show_error(exc)
            else:
                st.success("目标已更新。")
                st.rerun()
