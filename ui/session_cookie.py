"""Keep a signed-in user signed in across a page reload.

Streamlit's session state lives as long as the tab's websocket, so a reload used to sign the user out. The token
is also kept in a browser-session cookie: it ends when the browser closes, the token itself expires on the server,
and logging out revokes it there. Streamlit reads the page request's cookies (``st.context.cookies``) but cannot
set them, so a one-line script of ours sets or clears the cookie in the browser.
"""

from __future__ import annotations

import re

import streamlit as st

COOKIE = "assistant_session"
_TOKEN = re.compile(r"^[A-Za-z0-9_\-]{10,200}$")  # our tokens are url-safe; anything else is not ours


def saved_token() -> str | None:
    """The token the browser sent with this page load, if it looks like one of ours."""
    try:
        value = st.context.cookies.get(COOKIE)
    except Exception:  # no page request behind the session: nothing to restore
        return None
    return value if isinstance(value, str) and _TOKEN.match(value) else None


def write_cookie(token: str | None) -> None:
    """Set the cookie to this token, or clear it (None)."""
    if token is not None and not _TOKEN.match(token):
        return
    value, expiry = (token, "") if token else ("", "; max-age=0")
    st.html(
        "<script>const secure = location.protocol === 'https:' ? '; Secure' : '';"
        f"document.cookie = '{COOKIE}={value}; path=/; SameSite=Strict{expiry}' + secure;</script>",
        unsafe_allow_javascript=True,  # our own fixed script; the only interpolated value is a checked token
    )
