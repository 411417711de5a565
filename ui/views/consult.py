"""企业咨询: a multi-turn chat with streamed answers, their [n] sources, feedback, the profile understood so far,
and in-chat actions: match products, pre-fill an application and download it.

The conversation lives on the server: its id rides in the page address (``?c=…``), so a browser refresh brings
back the messages and the firm's facts. A message over the limit is cut at the limit, with a notice, and the rest
is kept for the next message: nothing typed is lost."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import streamlit as st

from assistant.settings import MAX_MESSAGE_CHARS
from ui.client import ApiError
from ui.common import (
    PLACEHOLDER_NAMES,
    VERDICT,
    application_downloads,
    call,
    client,
    md,
    me,
    render_citations,
    render_match_result,
    render_profile,
    role,
    show_error,
)

STARTERS = (
    "秦知贷的补偿比例是多少？",
    "知识产权质押贷款有哪些贴息补助？",
    "白名单多长时间更新？",
    "我们在沣东，有3件发明专利，想贷五百万",
)
S = st.session_state
S.setdefault("chat_messages", [])
S.setdefault("chat_profile", {})
S.setdefault("feedback_sent", {})


def _ask(question: str) -> None:
    S["chat_pending"] = question


def _send_feedback(message_id: int) -> None:
    value = S.get(f"fb_{message_id}")
    if value is None:
        return
    try:
        client().feedback(message_id, 1 if value == 1 else -1)
        S["feedback_sent"][message_id] = "感谢您的反馈！" if value == 1 else "已记录，我们会改进这类回答。"
    except ApiError as exc:
        S["feedback_sent"][message_id] = f"反馈未能提交：{exc.message}"


def _draft_notice(app: dict[str, Any]) -> None:
    st.success(f"已生成申请表草稿：{app.get('institution', '')}「{app.get('product_name', '')}」 · 编号 {app['id'][:8]}", icon=":material/edit_note:")
    if app.get("missing"):
        st.warning("还需补充：" + "、".join(app["missing"]), icon=":material/push_pin:")
    st.page_link("views/applications.py", label="到“申请管理”补填并提交", icon=":material/assignment:")


def _assistant_extras(msg: dict[str, Any]) -> None:
    if msg.get("application"):
        _draft_notice(msg["application"])
    render_citations(msg.get("citations") or [])
    if msg.get("message_id"):
        mid = msg["message_id"]
        st.feedback("thumbs", key=f"fb_{mid}", on_change=_send_feedback, args=(mid,))
        if S["feedback_sent"].get(mid):
            st.caption(S["feedback_sent"][mid])


def _session_id() -> str | None:
    if not S.get("chat_session_id"):
        S["chat_session_id"] = call(client().start_chat)
        if S["chat_session_id"]:
            st.query_params["c"] = S["chat_session_id"]  # a refresh finds the conversation again
    return S.get("chat_session_id")


def _restore() -> None:
    """After a refresh: the conversation named in the address, as the server stored it (another account's: gone)."""
    sid = st.query_params.get("c")
    if S["chat_messages"] or not sid or S.get("chat_restored") == sid:
        return
    S["chat_restored"] = sid
    try:
        detail = client().get(f"/chat/sessions/{sid}")
    except ApiError as exc:
        if exc.status != 404:
            show_error(exc)
        del st.query_params["c"]
        return
    S["chat_session_id"] = sid
    S["chat_profile"] = detail.get("profile") or {}
    for m in detail.get("history") or []:
        if m["role"] == "user":
            S["chat_messages"].append({"role": "user", "text": m["text"]})
        else:
            S["chat_messages"].append({"role": "assistant", "text": m["text"], "citations": m.get("citations") or [], "message_id": m["id"],
                                       "intent": m.get("intent"), "matches": m.get("matches") or [], "refused": m.get("refused", False),
                                       "application": m.get("application")})


def _cut(text: str) -> str:
    """At most one message's worth; the rest waits, shown with a button to send it next."""
    if len(text) <= MAX_MESSAGE_CHARS:
        return text
    S["chat_overflow"] = text[MAX_MESSAGE_CHARS:]
    S["chat_cut_notice"] = (f"您的消息有 {len(text):,} 字，超过单条消息 {MAX_MESSAGE_CHARS:,} 字的上限：已发送前 {MAX_MESSAGE_CHARS:,} 字，"
                            f"其余 {len(text) - MAX_MESSAGE_CHARS:,} 字保留在下方，可以接着发送。")
    return text[:MAX_MESSAGE_CHARS]


def _send_rest() -> None:
    rest = S.pop("chat_overflow", "")
    S.pop("chat_cut_notice", None)
    if rest:
        S["chat_pending"] = rest


def _turn(question: str) -> None:
    with st.chat_message("user"):
        st.markdown(md(question))
    S["chat_messages"].append({"role": "user", "text": question})
    with st.chat_message("assistant"):
        done: dict[str, Any] = {}

        def pieces(retry: bool = True) -> Iterator[str]:
            sid = _session_id()
            if sid is None:
                return
            try:
                for ev in client().stream_chat(sid, question):
                    if ev.event == "delta" and isinstance(ev.data, dict):
                        yield md(ev.data.get("text", ""))
                    elif ev.event == "done" and isinstance(ev.data, dict):
                        done.update(ev.data)
                    elif ev.event == "error":
                        detail = ev.data.get("detail") if isinstance(ev.data, dict) else None
                        done["error"] = ApiError(detail or "生成回答时出错，请稍后重试。")
            except ApiError as exc:
                if exc.status == 404 and retry:  # the session is gone (server restarted): start a new one once
                    S["chat_session_id"] = None
                    yield from pieces(retry=False)
                    return
                done["error"] = exc

        box = st.empty()
        with st.spinner("正在查找政策依据…"), box.container():
            shown = st.write_stream(pieces())
        if done.get("reply") and shown != md(done["reply"]):
            box.markdown(md(done["reply"]))  # the final answer replaces the streamed draft (a refusal, or the fallback answer)
        if "error" in done:
            show_error(done["error"])
            S["chat_messages"].pop()
            return
        if not done:
            return
        msg = {"role": "assistant", "text": done.get("reply", ""), "citations": done.get("citations") or [],
               "message_id": done.get("message_id"), "intent": done.get("intent"), "matches": done.get("matches") or [],
               "refused": done.get("refused", False), "application": done.get("application")}
        S["chat_messages"].append(msg)
        S["chat_profile"] = done.get("profile") or S["chat_profile"]
        _assistant_extras(msg)


def _working_profile() -> dict[str, Any]:
    """The conversation's profile over the enterprise's saved one; the placeholder name gives way to the real one."""
    base = dict(me().get("profile") or {})
    merged = {**base, **{k: v for k, v in S["chat_profile"].items() if v not in (None, "", [], {})}}
    if merged.get("name") in PLACEHOLDER_NAMES or not merged.get("name"):
        merged["name"] = me().get("enterprise_name") or base.get("name") or ""
    return merged


def _actions() -> None:
    if role() not in ("enterprise", "staff"):
        st.caption("产品匹配与申请表仅对企业用户和服务中心工作人员开放。")
        return
    profile = _working_profile()
    with st.container(border=True):
        st.markdown("**下一步**：根据对话中了解到的企业信息匹配产品，或直接生成申请表。")
        name = st.text_input("企业名称", value=profile.get("name") or "", key="consult_firm_name", placeholder="请填写企业全称",
                             help="对话中没有提到企业名称时，请在这里填写", disabled=role() == "enterprise" and bool(me().get("enterprise_name")))
        profile["name"] = name.strip()
        c1, c2 = st.columns(2)
        if c1.button("匹配产品", icon=":material/join_inner:", key="consult_match", width="stretch"):
            if len(profile["name"]) < 2:
                st.warning("请先填写企业名称。")
            else:
                with st.spinner("正在匹配 36 个产品…"):
                    S["chat_match"] = call(client().post, "/match", json={"profile": profile})
                    S["chat_match_profile"] = profile
        matches = (S.get("chat_match") or {}).get("matches") or []
        options: list[str | None] = [None] + [m["product_id"] for m in matches if m.get("eligible") is not False]
        names = {m["product_id"]: f"{m['institution']}「{m['name']}」（{VERDICT.get(m.get('eligible'), '需补充')}）" for m in matches}
        product = c2.selectbox("申请产品", options, format_func=lambda p: "自动选择（匹配度最高的符合条件产品）" if p is None else names.get(p, p),
                               key="consult_product")
        if c2.button("生成申请表", icon=":material/description:", key="consult_apply", width="stretch"):
            if len(profile["name"]) < 2:
                st.warning("请先填写企业名称。")
            elif S.get("chat_session_id"):
                # drafted on the server from everything the conversation knows: contacts, IP items, what was inferred
                body = {"product_id": product, "name": profile["name"] if role() == "staff" else None}
                with st.spinner("正在预填申请表…"):
                    created = call(client().post, f"/chat/sessions/{S['chat_session_id']}/application", json=body)
                if created:
                    S["chat_application"] = created
    if S.get("chat_match"):
        with st.expander("产品匹配结果", expanded=True, icon=":material/account_balance:"):
            render_match_result(S["chat_match"], detail_limit=10)
    app = S.get("chat_application")
    if app:
        with st.container(border=True):
            st.success(f"已生成申请表（草稿）：{app['enterprise_name']} · {app['institution']}「{app['product_name']}」 · 编号 {app['id'][:8]}",
                       icon=":material/edit_note:")
            if app.get("missing"):
                st.warning("还需补充：" + "、".join(app["missing"]), icon=":material/push_pin:")
            st.caption("可在“申请管理”中查看详情并提交。")
            application_downloads(app, key="consult_doc")


st.title("企业咨询")
st.caption("用中文提问知识产权质押融资的政策、流程与补贴；每句回答都标注政策原文出处。资料里没有的内容，助手会直接说明不知道。")
profile_box = st.sidebar.expander("已了解的企业信息", expanded=True, icon=":material/domain:")

_restore()
# no max_chars on the box: a pasted text over the limit would be dropped by the browser without a word
typed = st.chat_input(f"请输入您的问题（每条不超过 {MAX_MESSAGE_CHARS} 字），例如：秦知贷的补偿比例是多少？", key="chat_box")
question = _cut((typed or S.pop("chat_pending", None) or "").strip())

if not S["chat_messages"] and not question:
    st.markdown("**可以这样问：**")
    cols = st.columns(len(STARTERS))
    for i, (col, q) in enumerate(zip(cols, STARTERS, strict=True)):
        col.button(q, key=f"starter_{i}", on_click=_ask, args=(q,), width="stretch")

for message in S["chat_messages"]:
    with st.chat_message(message["role"]):
        st.markdown(md(message["text"]))
        if message["role"] == "assistant":
            _assistant_extras(message)

if question:
    _turn(question)

if S.get("chat_cut_notice"):
    st.warning(S["chat_cut_notice"], icon=":material/content_cut:")
    with st.expander("未发送的部分", expanded=False):
        st.text(S.get("chat_overflow", ""))
    st.button("发送剩余部分", key="chat_send_rest", on_click=_send_rest, icon=":material/send:")

if S["chat_messages"]:
    _actions()
    if st.button("开始新的对话", icon=":material/refresh:", key="consult_reset"):
        for key in ("chat_messages", "chat_profile", "chat_session_id", "chat_match", "chat_match_profile", "chat_application",
                    "chat_overflow", "chat_cut_notice", "chat_restored"):
            S.pop(key, None)
        st.query_params.pop("c", None)
        st.rerun()

with profile_box:
    render_profile(_working_profile() if S["chat_profile"] or me().get("profile") else {})
