"""Personal data never reaches the statistics: questions are masked where they are stored for statistics, rows
stored before that are masked on the way out, and the statistics page shows masked questions with its count
column in view. The firm's own conversation keeps what it typed (its application is drafted from it)."""

from __future__ import annotations

import datetime as dt
import json
import uuid

import httpx
import pytest

from assistant.dialogue.manager import TurnResult
from assistant.dialogue.persist import record
from assistant.privacy import mask
from assistant.profile.validators import uscc_error
from assistant.storage import repo
from assistant.storage.db import migrate, session_scope
from assistant.storage.models import Feedback, Message
from assistant.storage.stats import usage
from tests.conftest import make_settings

USCC = "91610131MA6TXXXE0J"  # a valid credit code (check character J)
PHONE = "13991234567"
EMAIL = "li.ming@example.com"
ID_NUMBER = "61010219900307123X"
LANDLINE = "（029）8866 5432"
RAW = (USCC, PHONE, EMAIL, ID_NUMBER, "8866 5432", "88665432")


def test_the_sample_credit_code_is_valid():
    assert uscc_error(USCC) is None


@pytest.mark.parametrize("number", ["(029)88665432", "（029）88665432", "029-8866-5432", "029 8866 5432", "（029）8866 5432",
                                    "029-88665432", "0917-2345678"])
def test_landline_numbers_as_firms_write_them_are_masked(number):
    out = mask(f"联系电话：{number}，请回电")
    assert "[电话已隐藏]" in out and not any(ch.isdigit() for ch in out), out


def test_ordinary_figures_still_survive():
    text = "贴息比例50%，2024-01-01起施行，贷款300万元，期限12个月，第(3)项，专利号ZL201910380558.X，029年份不是电话"
    assert mask(text) == text


def _question(n: int) -> str:
    return f"我们公司信用代码{USCC}，法人身份证{ID_NUMBER}，电话{PHONE}，座机{LANDLINE}，邮箱{EMAIL}，秦创贷怎么申请{n}？"


def _no_raw(payload: object) -> None:
    text = json.dumps(payload, ensure_ascii=False)
    for secret in RAW:
        assert secret not in text, (secret, text[:2000])


@pytest.fixture()
def db_settings(tmp_path):
    settings = make_settings(tmp_path / "data")
    migrate(settings)
    return settings


def test_record_masks_the_question_kept_for_statistics_but_not_the_conversation(db_settings):
    turn = record(db_settings, None, _question(1), TurnResult(reply="答复", intent="policy_question", profile={}))
    assert turn is not None
    with session_scope(db_settings) as session:
        asked = session.get(Message, turn.user_message_id)
        reply = session.get(Message, turn.reply_message_id)
        assert asked is not None and reply is not None
        assert asked.text == _question(1)  # the firm's own words, for its application
        assert reply.data["question"] == mask(_question(1))
        _no_raw(reply.data)


def test_usage_masks_rows_stored_before_the_fix(db_settings):
    """Old assistant messages and feedback rows hold questions in clear: the statistics mask them on the way out."""
    with session_scope(db_settings) as session:
        conv = repo.start_conversation(session)
        for n, refused in ((1, False), (2, True)):
            msg = repo.add_message(session, conv.id, "assistant", "答复", intent="policy_question",
                                   data={"question": _question(n), "refused": refused})
        session.add(Feedback(message_id=msg.id, question=_question(2), rating=-1))
    with session_scope(db_settings) as session:
        out = usage(session, 30)
    assert out["top_questions"] and out["unanswered"] and out["disliked"]
    _no_raw(out)
    assert any("[信用代码已隐藏]" in q["question"] and "[手机号已隐藏]" in q["question"] and "[邮箱已隐藏]" in q["question"]
               for q in out["top_questions"])


def test_the_same_question_from_two_firms_counts_once_masked(db_settings):
    with session_scope(db_settings) as session:
        conv = repo.start_conversation(session)
        for phone in ("13991234567", "13887654321"):
            repo.add_message(session, conv.id, "assistant", "答复", data={"question": f"我的电话{phone}，贴息怎么申请？"})
    with session_scope(db_settings) as session:
        top = usage(session, 30)["top_questions"]
    assert top == [{"question": "我的电话[手机号已隐藏]，贴息怎么申请", "count": 2}]


def test_days_are_counted_in_beijing_time(db_settings):
    """07:30 on 3 December in Beijing is 23:30 UTC on 2 December: it is a consultation of 3 December."""
    with session_scope(db_settings) as session:
        conv = repo.start_conversation(session)
        msg = repo.add_message(session, conv.id, "assistant", "答复", data={"question": "贴息怎么申请"})
        msg.created_at = dt.datetime.now(dt.UTC).replace(hour=23, minute=30) - dt.timedelta(days=1)
        beijing_day = (msg.created_at + dt.timedelta(hours=8)).date().isoformat()
    with session_scope(db_settings) as session:
        per_day = usage(session, 30)["consultations_per_day"]
    assert per_day == [{"date": beijing_day, "count": 1}]


# -- over HTTP: every way a question is asked, then GET /stats --------------------------------------------------

def test_stats_over_the_live_api_show_no_personal_data(live_api):
    staff = live_api.headers("staff")
    firm = live_api.headers("ent-a")
    conv = httpx.post(f"{live_api.url}/chat/sessions", headers=firm, timeout=10).json()["id"]
    turn = httpx.post(f"{live_api.url}/chat/sessions/{conv}/messages", json={"text": _question(3)}, headers=firm, timeout=60)
    assert turn.status_code == 200, turn.text
    fb = httpx.post(f"{live_api.url}/chat/feedback", json={"message_id": turn.json()["message_id"], "rating": -1}, headers=firm, timeout=10)
    assert fb.status_code == 201, fb.text
    r = httpx.post(f"{live_api.url}/ask", json={"question": _question(4)}, headers=firm, timeout=60)
    assert r.status_code == 200, r.text
    with httpx.stream("POST", f"{live_api.url}/ask/stream", json={"question": _question(5)}, headers=firm, timeout=60) as s:
        assert s.status_code == 200 and "event: done" in s.read().decode()
    r = httpx.post(f"{live_api.url}/v1/chat/completions", headers=firm, timeout=60,
                   json={"model": "qinchuang-ip-finance-assistant", "messages": [{"role": "user", "content": _question(6)}]})
    assert r.status_code == 200, r.text

    stats = httpx.get(f"{live_api.url}/stats", params={"days": 7, "top": 500}, headers=staff, timeout=10)
    assert stats.status_code == 200
    body = stats.json()
    _no_raw(body)
    asked = [q["question"] for q in body["top_questions"]]
    for n in (3, 4, 5):
        assert mask(_question(n)).rstrip("？") in asked, (n, asked)
    assert mask(_question(3)).rstrip("？") in [q["question"] for q in body["disliked"]]

    # the firm's own conversation still holds what it typed
    mine = httpx.get(f"{live_api.url}/chat/sessions/{conv}", headers=firm, timeout=10).json()
    assert USCC in json.dumps(mine, ensure_ascii=False)


# -- the statistics page ----------------------------------------------------------------------------------------

@pytest.fixture()
def api(live_api, monkeypatch):
    monkeypatch.setenv("ASSISTANT_API_URL", live_api.url)
    return live_api


def _columns(frame) -> dict:
    return json.loads(frame.proto.columns or "{}")


def test_stats_page_masks_questions_and_keeps_the_count_in_view(api):
    from tests.test_ui_pages import open_as

    firm = api.headers("ent-b")
    long_question = _question(7) + "另外想了解" + "、".join(f"第{i}项材料" for i in range(30)) + "分别怎么准备？"
    conv = httpx.post(f"{api.url}/chat/sessions", headers=firm, timeout=10).json()["id"]
    httpx.post(f"{api.url}/chat/sessions/{conv}/messages", json={"text": long_question[:1000]}, headers=firm, timeout=60).raise_for_status()
    httpx.post(f"{api.url}/ask", json={"question": f"{uuid.uuid4().hex[:4]}今天西安的天气怎么样？我的电话{PHONE}"}, headers=firm,
               timeout=60).raise_for_status()

    at = open_as(api, "staff", "stats")
    assert not at.exception
    frames = {next(c for c in f.value.columns if c != "问题"): f for f in at.dataframe if "问题" in f.value.columns}
    assert set(frames) >= {"次数", "未答次数"}
    for count_label, frame in frames.items():
        _no_raw(frame.value.to_dict("records"))
        count, question = _columns(frame)[count_label], _columns(frame)["问题"]
        # the count: narrow, of fixed width, pinned (Streamlit keeps a pinned column at the left, in view, and does
        # not stretch it); the question: the one column that stretches, from a least width that fits half a laptop
        # screen, to take the rest of the table
        assert isinstance(count.get("width"), int) and count["width"] <= 90 and count.get("pinned") is True, count
        assert not question.get("pinned") and isinstance(question.get("width"), int) and 150 <= question["width"] <= 240, question
        assert frame.proto.row_height > 64, frame.proto.row_height  # taller than 4rem: Streamlit wraps the text
    top = frames["次数"].value
    assert any("[信用代码已隐藏]" in q and "[手机号已隐藏]" in q for q in top["问题"])
