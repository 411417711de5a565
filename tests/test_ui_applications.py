"""申请管理 under AppTest against the real API: the draft form (every field with its value and source, 待补充
highlighted, saved through PATCH with the version the user saw, errors next to their field), the submit button that
says what is missing, the application kept by id, and Beijing times written the Chinese way."""

from __future__ import annotations

import re
import uuid

import httpx

from assistant.units import cn_datetime
from tests.test_applications_edit import _uscc
from tests.test_ui_pages import api, open_as, texts  # noqa: F401  (fixture and helpers of the page tests)

SPARSE = {"name": "戊示例科技有限公司", "region": "西咸新区", "founded": "2019-05-20", "employees": 50, "credit_ok": True,
          "need": {"amount": 2_000_000, "term_months": 12}}


def _create(api, user: str, profile: dict, **body) -> dict:  # noqa: F811
    r = httpx.post(f"{api.url}/applications", json={"profile": profile, "product_id": "cab-qinchuangdai", **body}, timeout=30,
                   headers={**api.headers(user), "Idempotency-Key": uuid.uuid4().hex})
    assert r.status_code == 201, r.text
    return r.json()


def _key(app: dict, field: str, version: int = 1) -> str:
    return f"edit-{app['id']}-{version}-{field}"


def _button(at, label: str):
    return next(b for b in at.button if b.label == label)


def test_a_draft_is_completed_in_the_page_and_then_submitted(api):  # noqa: F811
    app = _create(api, "staff", {**SPARSE, "name": f"戊示例科技有限公司{uuid.uuid4().hex[:4]}"})
    at = open_as(api, "staff", "applications")
    at.selectbox(key="apps_selected").set_value(app["id"]).run()
    assert not at.exception, at.exception
    page = texts(at)
    assert app["id"][:8] in at.subheader[0].value and app["enterprise_name"] in at.subheader[0].value and "秦创贷" in at.subheader[0].value
    assert app["id"] in page  # the full number is on screen too

    # every field of the form is there with its current value and its source; 待补充 ones are marked
    labels = [f["label"] for s in app["form"]["sections"] for f in s["fields"]]
    for label in labels:
        assert label in page or any(w.label.startswith(label) for w in (*at.text_input, *at.number_input, *at.selectbox, *at.multiselect, *at.date_input)), label
    assert at.text_input(key=_key(app, "legal_rep")).value in ("", None)
    assert at.number_input(key=_key(app, "employees")).value == 50
    assert at.number_input(key=_key(app, "amount")).value == 200  # 万元
    badges = [m.value for m in at.markdown if "badge[" in m.value]
    assert sum("待补充" in b for b in badges) == len(app["missing"]) + sum(1 for s in app["form"]["sections"] for f in s["fields"]
                                                                         if f["source"] == "待补充" and not f["required"])
    assert any("用户提供" in b for b in badges) and any("系统推断" in b for b in badges)

    # the submit button says what is still missing and does not submit
    assert any("才能提交" in w.value and "法定代表人" in w.value for w in at.warning), [w.value for w in at.warning]
    submit = _button(at, "确认变更")
    assert submit.disabled

    # a wrong credit code: the error stands next to its field, nothing is saved
    uscc = _uscc()
    at.text_input(key=_key(app, "uscc")).set_value(uscc[:-1] + ("0" if uscc[-1] != "0" else "1"))
    at.text_input(key=_key(app, "legal_rep")).set_value("王示例")
    _button(at, "保存修改").click().run()
    assert not at.exception, at.exception
    assert any("统一社会信用代码" in e.value for e in at.error), [e.value for e in at.error]
    assert {m.label: m.value for m in at.metric}["版本"] == "1"
    assert at.text_input(key=_key(app, "legal_rep")).value == "王示例"  # what the user typed is kept for the next try

    # correct it and fill the rest: saved as version 2, every required field now 用户提供 or 系统推断
    at.text_input(key=_key(app, "uscc")).set_value(uscc)
    at.text_input(key=_key(app, "contact_person")).set_value("张经理")
    at.text_input(key=_key(app, "contact_phone")).set_value("029-88886666")
    at.text_input(key=_key(app, "contact_email")).set_value("zhang@example.cn")
    at.text_input(key=_key(app, "purpose")).set_value("研发投入")
    at.number_input(key=_key(app, "revenue")).set_value(2000)
    at.number_input(key=_key(app, "debt_ratio")).set_value(40)
    at.multiselect(key=_key(app, "qualifications")).set_value(["高新技术企业"])
    _button(at, "保存修改").click().run()
    assert not at.exception, at.exception
    assert any("已保存" in s.value for s in at.success), [s.value for s in at.success]
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["版本"] == "2" and metrics["待补充项"] == "0"
    saved = httpx.get(f"{api.url}/applications/{app['id']}", headers=api.headers("staff"), timeout=10).json()
    assert saved["version"] == 2 and saved["missing"] == []
    assert saved["profile_snapshot"]["revenue"] == 20_000_000 and saved["profile_snapshot"]["debt_ratio"] == 0.4
    assert saved["extra"]["contact_email"] == "zhang@example.cn"
    assert saved["events"][-1]["kind"] == "edit"
    assert at.text_input(key=_key(app, "legal_rep", 2)).value == "王示例"

    # now it can be submitted; the page still shows the same application afterwards
    submit = _button(at, "确认变更")
    assert not submit.disabled
    submit.click().run()
    assert not at.exception, at.exception
    assert {m.label: m.value for m in at.metric}["状态"] == "已提交"
    assert app["id"][:8] in at.subheader[0].value
    assert not [w for w in at.text_input if w.key and w.key.startswith(f"edit-{app['id']}")]  # no longer editable


def test_times_are_beijing_time_written_the_chinese_way(api):  # noqa: F811
    app = _create(api, "staff", {**SPARSE, "name": f"戊示例科技有限公司{uuid.uuid4().hex[:4]}"})
    at = open_as(api, "staff", "applications")
    at.selectbox(key="apps_selected").set_value(app["id"]).run()
    page = texts(at)
    created = cn_datetime(app["created_at"])
    assert re.fullmatch(r"\d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2}", created)
    assert created in page
    assert "T" not in {m.label: m.value for m in at.metric}["创建时间"]
    table = at.dataframe[0].value
    assert all(re.fullmatch(r"\d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2}", v) for v in table["更新时间"])
    history = next(d.value for d in at.dataframe if "新状态" in d.value)
    assert list(history["时间"]) == [cn_datetime(e["at"]) for e in app["events"]]


def test_the_page_keeps_the_application_by_id_through_a_status_change(api):  # noqa: F811
    older = _create(api, "staff", {**SPARSE, "name": "己示例科技有限公司"}, extra={"legal_rep": "己", "contact_person": "己", "contact_phone": "029-88886666"})
    newer = _create(api, "staff", {**SPARSE, "name": "己示例科技有限公司"})
    assert older["enterprise_id"] == newer["enterprise_id"]
    at = open_as(api, "staff", "applications")
    at.selectbox(key="apps_selected").set_value(older["id"]).run()
    assert older["id"][:8] in at.subheader[0].value
    # staff reads it, someone else changes the other one, the list re-sorts: the page stays on ``older``
    httpx.patch(f"{api.url}/applications/{newer['id']}", headers=api.headers("staff"), timeout=10,
                json={"expected_version": 1, "fields": {"legal_rep": "他人"}}).raise_for_status()
    at.button(key="apps_refresh").click().run()
    assert older["id"][:8] in at.subheader[0].value
    at.run()
    assert older["id"][:8] in at.subheader[0].value and at.session_state["apps_current"] == older["id"]
