"""From a conversation to an application, over HTTP: everything the firm said (credit code, legal representative,
contacts, IP items and counts) reaches the stored draft and its PDF; a declined off-topic question changes
nothing; asking twice does not make two drafts; a restored session brings back the firm's facts."""

from __future__ import annotations

import io
import uuid

import httpx
from pypdf import PdfReader

from assistant.profile.validators import patent_check_char, uscc_check_char

CODE = "91610131MA6W8X1Y5"
CODE += uscc_check_char(CODE)
PATENT = "202110345678"
PATENT = f"ZL{PATENT}.{patent_check_char(PATENT)}"


def _new_firm(api) -> str:
    """An enterprise account of its own: what this test's firm said is all its stored profile holds."""
    from assistant.auth.users import create_user
    from assistant.storage.db import session_scope
    from tests.live_api import PASSWORD

    name = f"ent-{uuid.uuid4().hex[:8]}"
    with session_scope(api.settings) as session:
        create_user(session, name, PASSWORD, "enterprise", f"{name}示例储能科技有限公司")
    return name


def _say(api, who: str, sid: str, text: str) -> dict:
    r = httpx.post(f"{api.url}/chat/sessions/{sid}/messages", json={"text": text}, headers=api.headers(who), timeout=60)
    assert r.status_code == 200, r.text
    return r.json()


def _session(api, who: str) -> str:
    r = httpx.post(f"{api.url}/chat/sessions", headers=api.headers(who), timeout=10)
    assert r.status_code == 201, r.text
    return r.json()["id"]


def test_what_the_firm_said_reaches_the_application_and_its_pdf(live_api):
    who = _new_firm(live_api)
    sid = _session(live_api, who)
    _say(live_api, who, sid, "我们在沣东新城，2019年成立，是科小，有5件发明专利、3件软著，员工60人，营收三千万，负债率40%，征信良好，"
                                 "想贷五百万，一年，用于研发")
    _say(live_api, who, sid, f"统一社会信用代码{CODE}，法定代表人郑远航，联系人李娜，手机13991234567，邮箱lina@example.com.cn。"
                                 f"拟质押发明专利{PATENT}，名称《一种电池热管理方法》，2041年3月到期，评估值600万")
    before = httpx.get(f"{live_api.url}/chat/sessions/{sid}", headers=live_api.headers(who), timeout=10).json()["profile"]
    declined = _say(live_api, who, sid, "深圳的人才补贴怎么申请？")
    assert not declined["reply"].startswith("已记录")
    after = httpx.get(f"{live_api.url}/chat/sessions/{sid}", headers=live_api.headers(who), timeout=10).json()["profile"]
    assert after == before and after["region"] == "西咸新区"

    turn = _say(live_api, who, sid, "帮我生成申请表")
    assert turn["intent"] == "application"
    draft = turn["application"]
    assert draft and "已生成申请表草稿" in turn["reply"]
    for asked_again in ("统一社会信用代码", "法定代表人", "联系人", "联系电话"):
        assert asked_again not in draft["missing"]

    app = httpx.get(f"{live_api.url}/applications/{draft['id']}", headers=live_api.headers(who), timeout=10).json()
    fields = {f["key"]: f for s in app["form"]["sections"] for f in s["fields"]}
    assert fields["uscc"]["value"] == CODE and fields["uscc"]["source"] == "用户提供"
    assert fields["legal_rep"]["value"] == "郑远航" and fields["contact_person"]["value"] == "李娜"
    assert fields["contact_phone"]["value"] == "13991234567"
    assert fields["founded"]["source"] == "系统推断"  # only the year was said
    rows = app["form"]["ip_list"]
    assert any(r["number"] == PATENT and r["title"] == "一种电池热管理方法" for r in rows)
    assert any(r["type"] == "软件著作权" for r in rows)  # the counted items are listed, numbers to be completed

    pdf = httpx.get(f"{live_api.url}/applications/{draft['id']}/document", params={"format": "pdf"}, headers=live_api.headers(who), timeout=30)
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    assert PATENT in text and "郑远航" in text and "软件著作权" in text

    again = httpx.post(f"{live_api.url}/chat/sessions/{sid}/application", json={}, headers=live_api.headers(who), timeout=30)
    assert again.status_code == 201 and again.json()["id"] == draft["id"]  # same facts, same product: the same draft


def test_a_session_restores_its_messages_and_the_firms_facts(live_api):
    sid = _session(live_api, "ent-b")
    first = _say(live_api, "ent-b", sid, "我们在秦汉新城，有2件发明专利，想贷三百万")
    detail = httpx.get(f"{live_api.url}/chat/sessions/{sid}", headers=live_api.headers("ent-b"), timeout=10).json()
    assert [m["role"] for m in detail["history"]] == ["user", "assistant"]
    assert detail["history"][1]["text"] == first["reply"] and detail["history"][1]["id"] == first["message_id"]
    assert detail["profile"]["need"]["amount"] == 3_000_000 and detail["profile"]["region"] == "西咸新区"
    assert httpx.get(f"{live_api.url}/chat/sessions/{sid}", headers=live_api.headers("ent-a"), timeout=10).status_code == 404


def test_staff_must_name_the_firm_before_a_draft(live_api):
    sid = _session(live_api, "staff")
    _say(live_api, "staff", sid, "这家企业在沣西，有3件发明专利，想贷两百万")
    r = httpx.post(f"{live_api.url}/chat/sessions/{sid}/application", json={}, headers=live_api.headers("staff"), timeout=30)
    assert r.status_code == 400 and "企业全称" in r.json()["detail"]


def test_a_founding_year_guess_stays_a_guess_and_a_stated_date_is_kept(live_api):
    who = _new_firm(live_api)
    first = _session(live_api, who)
    _say(live_api, who, first, "我们在沣西，2020年成立，有3件发明专利，想贷两百万，一年")
    draft = httpx.post(f"{live_api.url}/chat/sessions/{first}/application", json={"product_id": "cab-qinchuangdai"},
                       headers=live_api.headers(who), timeout=30).json()
    assert _field(draft, "founded") == ("2020-12-31", "系统推断")
    stored = httpx.get(f"{live_api.url}/profiles", headers=live_api.headers(who), timeout=10).json()[0]["profile"] or {}
    assert "founded" not in stored  # the guess is the draft's, never the firm's record

    second = _session(live_api, who)  # a later conversation starts from the stored profile: still a guess
    _say(live_api, who, second, "2020年成立的，想贷两百万，一年")
    again = httpx.post(f"{live_api.url}/chat/sessions/{second}/application", json={"product_id": "cab-qinchuangdai"},
                       headers=live_api.headers(who), timeout=30).json()
    assert _field(again, "founded")[1] == "系统推断"

    saved = httpx.post(f"{live_api.url}/profiles", json={"name": "本企业", "founded": "2020-04-16"}, headers=live_api.headers(who), timeout=10)
    assert saved.status_code == 200, saved.text
    third = _session(live_api, who)
    _say(live_api, who, third, "我们2020年成立，想贷两百万，一年")
    stated = httpx.post(f"{live_api.url}/chat/sessions/{third}/application", json={"product_id": "cab-qinchuangdai"},
                        headers=live_api.headers(who), timeout=30).json()
    assert _field(stated, "founded") == ("2020-04-16", "用户提供")  # the exact date the firm gave, of the year it names


def _field(app: dict, key: str) -> tuple:
    f = next(f for s in app["form"]["sections"] for f in s["fields"] if f["key"] == key)
    return f["value"], f["source"]


def test_another_firm_cannot_draft_from_a_conversation(live_api):
    sid = _session(live_api, "ent-a")
    _say(live_api, "ent-a", sid, "我们在沣东，有2件发明专利，想贷一百万")
    r = httpx.post(f"{live_api.url}/chat/sessions/{sid}/application", json={}, headers=live_api.headers("ent-b"), timeout=30)
    assert r.status_code == 404


def test_the_people_a_firm_names_are_not_kept_for_statistics(live_api):
    who = _new_firm(live_api)
    sid = _session(live_api, who)
    _say(live_api, who, sid, "法定代表人钟一鸣，联系人柏若溪，请问秦创贷怎么申请")
    stats = httpx.get(f"{live_api.url}/stats", params={"days": 7, "top": 500}, headers=live_api.headers("staff"), timeout=10).json()
    text = str(stats)
    assert "钟一鸣" not in text and "柏若溪" not in text and "[姓名已隐藏]" in text
