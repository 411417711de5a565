"""The chat page under AppTest against the live API: an over-long message is cut at the limit with a notice and
its rest kept for the next message; the conversation comes back from the address after a reload; a draft asked
for in chat is shown with what it still needs."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from assistant.settings import MAX_MESSAGE_CHARS
from tests.test_ui_pages import APP, _me, open_as, texts


def test_an_over_long_message_is_cut_with_a_notice_and_the_rest_is_kept(live_api, monkeypatch):
    monkeypatch.setenv("ASSISTANT_API_URL", live_api.url)
    at = open_as(live_api, "ent-b", "consult")
    head = "公司设在沣西新城，产品是协作机器人关节模组，" * 40
    text = (head[: MAX_MESSAGE_CHARS - 20] + "白名单多长时间更新？" + "补充说明：" * 100)
    at.chat_input[0].set_value(text).run()
    assert not at.exception
    sent = [m.markdown[0].value for m in at.chat_message if m.name == "user"][-1]
    assert len(sent) <= MAX_MESSAGE_CHARS + 10  # the markdown escapes may add a few characters
    notice = texts(at)
    assert f"{MAX_MESSAGE_CHARS:,} 字的上限" in notice and f"{len(text):,} 字" in notice
    assert at.session_state["chat_overflow"] == text[MAX_MESSAGE_CHARS:]

    at.button(key="chat_send_rest").click().run()
    assert not at.exception
    users = [m.markdown[0].value for m in at.chat_message if m.name == "user"]
    assert users[-1].startswith("补充说明")  # the rest went as the next message
    assert "chat_overflow" not in at.session_state


def test_a_reload_restores_the_conversation_from_the_address(live_api, monkeypatch):
    monkeypatch.setenv("ASSISTANT_API_URL", live_api.url)
    at = open_as(live_api, "ent-b", "consult")
    at.chat_input[0].set_value("我们在空港新城，有4件发明专利，想贷八百万").run()
    sid = at.session_state["chat_session_id"]
    assert at.query_params["c"] == [sid] or at.query_params["c"] == sid
    before = [(m.name, m.markdown[0].value) for m in at.chat_message]

    again = AppTest.from_file(APP, default_timeout=30)  # a new browser session: nothing but the token and the address
    again.session_state["token"] = live_api.headers("ent-b")["Authorization"].split()[1]
    again.session_state["me"] = _me(live_api, "ent-b")
    again.session_state["me_checked"] = True
    again.query_params["c"] = sid
    again.run()
    again.switch_page("views/consult.py").run()
    assert not again.exception
    assert [(m.name, m.markdown[0].value) for m in again.chat_message] == before
    profile_box = next(e for e in again.sidebar.expander if e.label == "已了解的企业信息")
    assert "800万元" in "\n".join(m.value for m in profile_box.markdown)

    other = AppTest.from_file(APP, default_timeout=30)  # another firm's conversation id shows nothing of it
    other.session_state["token"] = live_api.headers("ent-a")["Authorization"].split()[1]
    other.session_state["me"] = _me(live_api, "ent-a")
    other.session_state["me_checked"] = True
    other.query_params["c"] = sid
    other.run()
    other.switch_page("views/consult.py").run()
    assert not other.exception and not other.chat_message


def test_an_application_asked_for_in_chat_is_drafted_and_shown(live_api, monkeypatch):
    monkeypatch.setenv("ASSISTANT_API_URL", live_api.url)
    at = open_as(live_api, "ent-b", "consult")
    at.chat_input[0].set_value("我们在沣东，2020年成立，是高企，有3件发明专利，营收两千万，想贷三百万，一年，联系人赵敏，手机13700001111").run()
    at.chat_input[0].set_value("申请长安银行秦创贷，请帮我生成申请表").run()
    assert not at.exception
    shown = texts(at)
    assert "已生成申请表草稿" in shown and "还需补充" in shown
    assert "联系人" not in shown.split("还需补充：")[-1].split("\n")[0].split("、")
