"""With an LLM configured, the streaming routes relay its tokens as they are generated, markers checked on the way."""

from __future__ import annotations

import json
from collections.abc import Iterator

import httpx
import pytest

from assistant.answer.llm import MarkerStream, renumber
from tests.fake_llm import FakeLLM
from tests.live_api import serve

QUESTION = "秦知贷补偿比例和上限是多少？"
REPLY = "秦知贷按不良贷款本金余额的50%补偿[2]，单笔最高600万元[2]；另见[9]与[1]。"


def test_markers_split_across_deltas_are_held_until_whole_and_renumbered_as_a_whole_reply_would_be():
    stream = MarkerStream(3)
    out = [stream.feed(d) for d in ["补偿50%[", "2", "]，另见[", "9]与[1", "]。[3"]] + [stream.flush()]
    assert all("[" not in piece or "]" in piece for piece in out[:-1])  # no half marker leaves mid-stream
    assert out[-1] == "[3"  # an unclosed bracket at the very end is just text
    assert "".join(out) == renumber("补偿50%[2]，另见[9]与[1]。[3", 3)[0] == "补偿50%[1]，另见与[2]。[3"
    assert stream.order == [1, 0]


def _events(response: httpx.Response) -> Iterator[tuple[str, dict]]:
    name = "message"
    for line in response.iter_lines():
        if line.startswith("event:"):
            name = line.split(":", 1)[1].strip()
        elif line.startswith("data:"):
            yield name, json.loads(line.split(":", 1)[1])
            name = "message"


@pytest.fixture()
def llm_api(sample_settings, tmp_path):
    with FakeLLM() as llm:
        settings = sample_settings.model_copy(update={
            "llm_base_url": llm.base_url, "llm_model": "fake-model", "llm_api_key": "k", "llm_timeout_s": 10,
            "database_url": f"sqlite:///{tmp_path / 'stream.sqlite3'}", "chat_rate_limit": "10000/minute"})
        with serve(settings) as api:
            yield api, llm


def _stream_while_the_model_is_still_writing(api, llm, path: str, body: dict) -> tuple[list[str], dict]:
    """The first delta must reach the client while the model is held after its first piece: tokens are relayed,
    not collected."""
    llm.hold.clear()
    deltas: list[str] = []
    with httpx.stream("POST", f"{api.url}{path}", json=body, headers=api.headers("ent-a"), timeout=30) as r:
        assert r.status_code == 200
        events = _events(r)
        name, data = next(events)
        assert name == "delta" and not llm.finished.is_set()
        deltas.append(data["text"])
        llm.hold.set()
        for name, data in events:
            if name == "delta":
                deltas.append(data["text"])
            else:
                assert name == "done"
                return deltas, data
    raise AssertionError("no done event")


def test_ask_stream_relays_the_llm_tokens_with_checked_markers(llm_api):
    api, llm = llm_api
    llm.replies.append(REPLY)
    deltas, done = _stream_while_the_model_is_still_writing(api, llm, "/ask/stream", {"question": QUESTION})
    assert len(deltas) > 5  # the model's 4-character pieces, not one block
    assert "".join(deltas) == done["answer"]
    assert "[9]" not in done["answer"] and "[1]" in done["answer"] and "[2]" in done["answer"]
    assert done["composer"] == "llm" and [c["n"] for c in done["citations"]] == [1, 2]
    assert llm.requests[-1]["stream"] is True


def test_chat_stream_relays_tokens_and_stores_the_final_reply(llm_api):
    api, llm = llm_api
    llm.replies.append(REPLY)
    sid = httpx.post(f"{api.url}/chat/sessions", headers=api.headers("ent-a"), timeout=10).json()["id"]
    deltas, done = _stream_while_the_model_is_still_writing(api, llm, f"/chat/sessions/{sid}/messages/stream", {"text": QUESTION})
    assert "".join(deltas) == done["reply"] and done["citations"]
    history = httpx.get(f"{api.url}/chat/sessions/{sid}", headers=api.headers("ent-a"), timeout=10).json()["history"]
    assert history[-1]["role"] == "assistant" and history[-1]["text"] == done["reply"]

    # another firm's session is refused before any stream opens
    r = httpx.post(f"{api.url}/chat/sessions/{sid}/messages/stream", json={"text": QUESTION}, headers=api.headers("ent-b"), timeout=10)
    assert r.status_code == 404 and "text/event-stream" not in r.headers.get("content-type", "")


def test_a_streamed_no_answer_is_replaced_by_the_refusal_in_the_done_event(llm_api):
    api, llm = llm_api
    llm.replies.append("资料中没有相关规定，建议联系服务中心。")
    deltas, done = _stream_while_the_model_is_still_writing(api, llm, "/ask/stream", {"question": QUESTION})
    assert "".join(deltas).startswith("资料中没有相关规定")
    assert done["refused"] and done["citations"] == [] and done["answer"] != "".join(deltas)
