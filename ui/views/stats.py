"""统计 (staff, policy team): consultations per day, top and unanswered questions, applications by status and bank."""

from __future__ import annotations

import datetime as dt

import altair as alt
import pandas as pd
import streamlit as st

from assistant.privacy import mask
from assistant.units import BEIJING
from ui.common import call, client

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
