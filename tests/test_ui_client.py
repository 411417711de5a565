"""ui/client.py: SSE parsing, Chinese error messages, and a streamed chat turn over real HTTP."""

from __future__ import annotations

import httpx
import pytest

from ui.client import ApiClient, ApiError, error_from, parse_sse


def test_parse_sse_events_multiline_data_comments_and_unterminated_last_event():
    lines = [": keep-alive", "event: delta", 'data: {"text": "第一段"}', "", "event: delta", "data: 第二行", "data: 第三行", "",
             "event: done", 'data: {"reply": "完"}']
    events = list(parse_sse(lines))
    assert [(e.event, e.data) for e in events] == [("delta", {"text": "第一段"}), ("delta", "第二行\n第三行"), ("done", {"reply": "完"})]
    assert [e.event for e in parse_sse(["data: 1", "", "data: 2", ""])] == ["message", "message"]


@pytest.mark.parametrize("status,body,message,errors", [
    (409, {"detail": "申请已被他人修改，请刷新后再操作"}, "申请已被他人修改，请刷新后再操作", []),
    (422, {"detail": "产品表格未通过校验，未导入任何产品", "errors": ["第2行：利率不能为空"]}, "产品表格未通过校验，未导入任何产品", ["第2行：利率不能为空"]),
    (422, {"detail": [{"msg": "field required"}]}, "field required", []),
    (502, "<html>Bad Gateway</html>", "服务暂时不可用，请稍后重试", []),
    (418, None, "请求失败（HTTP 418）", []),
])
def test_errors_carry_the_api_detail_or_a_chinese_default(status, body, message, errors):
    response = httpx.Response(status, json=body) if isinstance(body, dict) else httpx.Response(status, text=body or "")
    err = error_from(response)
    assert (err.status, err.message, err.errors) == (status, message, errors)


def test_stream_chat_over_http_matches_the_final_reply(live_api):
    api = ApiClient(base_url=live_api.url)
    api.login("ent-a", "password-123")
    assert api.me()["role"] == "enterprise"
    events = list(api.stream_chat(api.start_chat(), "秦知贷的补偿比例是多少？"))
    deltas = "".join(e.data["text"] for e in events if e.event == "delta")
    done = events[-1]
    assert done.event == "done" and deltas == done.data["reply"] and done.data["citations"][0]["n"] == 1
    assert api.feedback(done.data["message_id"], 1)["rating"] == 1

    with pytest.raises(ApiError) as missing:
        list(api.stream_chat("no-such-session", "你好"))
    assert missing.value.status == 404 and "会话" in missing.value.message
    with pytest.raises(ApiError) as bad_login:
        ApiClient(base_url=live_api.url).login("ent-a", "wrong")
    assert bad_login.value.unauthorized and bad_login.value.message == "用户名或密码错误"
