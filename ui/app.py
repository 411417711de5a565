"""秦创原知识产权质押融资智能助手（示例）— Streamlit web UI.

Run:  ASSISTANT_API_URL=http://127.0.0.1:8000 streamlit run ui/app.py

The entry point draws the sidebar (login / account / logout) and the navigation; which pages exist depends on
the role of the logged-in account. Every page talks to the API over HTTP only (ui/client.py)."""

from __future__ import annotations

import contextlib
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # `import ui.…` works however the app is started
    sys.path.insert(0, str(ROOT))

import streamlit as st  # noqa: E402

from ui.client import ApiClient, ApiError  # noqa: E402
from ui.common import ROLE_LABELS, ROLE_PAGES, client, logout, me, show_error  # noqa: E402
from ui.session_cookie import saved_token, write_cookie  # noqa: E402

st.set_page_config(page_title="秦创原知识产权质押融资智能助手", page_icon=":material/lightbulb:", layout="wide")

HERE = Path(__file__).resolve().parent
PAGES = {
    "consult": st.Page(HERE / "views" / "consult.py", title="企业咨询", icon=":material/forum:", url_path="consult"),
    "match": st.Page(HERE / "views" / "match.py", title="产品匹配", icon=":material/join_inner:", url_path="match"),
    "applications": st.Page(HERE / "views" / "applications.py", title="申请管理", icon=":material/assignment:", url_path="applications"),
    "knowledge": st.Page(HERE / "views" / "knowledge.py", title="知识库管理", icon=":material/library_books:", url_path="knowledge"),
    "stats": st.Page(HERE / "views" / "stats.py", title="统计", icon=":material/bar_chart:", url_path="stats"),
    "workbench": st.Page(HERE / "views" / "workbench.py", title="银行工作台", icon=":material/account_balance:", url_path="workbench"),
}
LOGIN_PAGE = st.Page(HERE / "views" / "login.py", title="登录", icon=":material/login:", url_path="login", default=True)


def _login(username: str, password: str) -> None:
    api = ApiClient()
    try:
        token = api.login(username.strip(), password)
        profile = api.me()
    except ApiError as exc:
        st.session_state["login_error"] = exc.message
        return
    st.session_state.pop("login_error", None)
    st.session_state["token"] = token
    st.session_state["me"] = profile
    st.session_state["cookie_write"] = "set"


def _sidebar() -> None:
    with st.sidebar:
        st.markdown("### :material/lightbulb: 秦创原知产融资助手")
        if not st.session_state.get("token"):
            with st.form("login_form", clear_on_submit=False):
                st.markdown("**账号登录**")
                username = st.text_input("账号", key="login_username", placeholder="例如：ent-a")
                password = st.text_input("密码", type="password", key="login_password")
                submitted = st.form_submit_button("登录", type="primary", width="stretch")
            if submitted:
                if not username.strip() or not password:
                    st.session_state["login_error"] = "请输入账号和密码"
                else:
                    _login(username, password)
                if st.session_state.get("token"):
                    st.session_state.pop("login_password", None)
                    st.rerun()
            if st.session_state.get("login_error"):
                st.error(st.session_state["login_error"], icon=":material/error:")
            return
        who = me()
        st.markdown(f"**当前账号**：{who.get('username', '')}")
        st.markdown(f"**角色**：{who.get('role_label') or ROLE_LABELS.get(who.get('role', ''), who.get('role', ''))}")
        if who.get("enterprise_name"):
            st.markdown(f"**所属企业**：{who['enterprise_name']}")
        if who.get("institution"):
            st.markdown(f"**所属银行**：{who['institution']}")
        if st.button("退出登录", icon=":material/logout:", key="logout_button"):
            with contextlib.suppress(ApiError):  # already expired, or the service is down: signing out must still work
                client().logout()  # the token stops working on the server, not only in this tab
            logout("已退出登录")
            st.rerun()


def _refresh_me() -> None:
    """Check the token once per browser session after login (an expired token sends the user back to log in)."""
    if st.session_state.get("token") and not st.session_state.get("me_checked"):
        try:
            st.session_state["me"] = client().me()
            st.session_state["me_checked"] = True
        except ApiError as exc:
            show_error(exc)


def _restore_session() -> None:
    """After a reload: sign back in with the token the browser kept (checked by _refresh_me; a dead one is cleared)."""
    if not st.session_state.get("token") and not st.session_state.get("cookie_checked"):
        st.session_state["cookie_checked"] = True
        if token := saved_token():
            st.session_state["token"] = token


def _sync_cookie() -> None:
    """Set or clear the browser's session cookie after a login or logout (in a run that completes)."""
    action = st.session_state.pop("cookie_write", None)
    if action:
        with st.sidebar:
            write_cookie(st.session_state.get("token") if action == "set" else None)


_restore_session()
_refresh_me()
_sidebar()
_sync_cookie()
role = me().get("role") if st.session_state.get("token") else None
pages = [PAGES[name] for name in ROLE_PAGES.get(role or "", ())] or [LOGIN_PAGE]
st.navigation(pages, position="sidebar").run()
