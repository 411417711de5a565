"""Completing a draft application over real HTTP (SQLite and PostgreSQL): PATCH /applications/{id} validated as a
profile is, sources and 校验提示 recomputed, versioned like transitions; submission refused while required fields
are 待补充; the profile merged field by field and kept with the application; the one creation function the API and
the chat share."""

from __future__ import annotations

import uuid

import httpx
import pytest
from sqlalchemy import select

from assistant.auth.users import Principal
from assistant.profile.model import Profile
from assistant.profile.validators import USCC_ALPHABET, uscc_check_char
from assistant.storage.db import session_scope
from assistant.storage.models import AuditLog
from tests.test_api_postgres import pg_api  # noqa: F401  (PostgreSQL server fixture)

CJK = ("\u4e00", "\u9fff")
FILL = {
    "founded": "2019-05-20", "employees": 80, "qualifications": ["高新技术企业"], "revenue": 20_000_000, "debt_ratio": 0.4,
    "credit_ok": True, "amount": 3_000_000, "term_months": 12, "purpose": "研发投入", "legal_rep": "王示例",
    "registered_address": "陕西省西咸新区沣东新城科技路1号", "contact_person": "张经理", "contact_phone": "029-88886666",
    "contact_email": "zhang@example.cn",
}


def _uscc() -> str:
    body = "916100" + "".join(USCC_ALPHABET[b % 31] for b in uuid.uuid4().bytes[:11])
    return body + uscc_check_char(body)


def _firm() -> str:
    return f"补充示例科技有限公司{uuid.uuid4().hex[:6]}"


def _chinese(text: str) -> bool:
    return any(CJK[0] <= c <= CJK[1] for c in text)


def _fields(app: dict) -> dict[str, dict]:
    return {f["key"]: f for s in app["form"]["sections"] for f in s["fields"]}


class Client:
    def __init__(self, api, user: str) -> None:
        self.api, self.user = api, user

    def __call__(self, method: str, path: str, **kw) -> httpx.Response:
        headers = {**self.api.headers(self.user), **kw.pop("headers", {})}
        return httpx.request(method, self.api.url + path, headers=headers, timeout=30, **kw)

    def create(self, profile: dict, **body) -> dict:
        r = self("POST", "/applications", json={"profile": profile, "product_id": "cab-qinchuangdai", **body},
                 headers={"Idempotency-Key": uuid.uuid4().hex})
        assert r.status_code == 201, r.text
        return r.json()


def _fill_then_submit(api, user: str) -> None:
    """The whole path on one server: refused while incomplete, filled by PATCH, a stale PATCH refused, then submitted."""
    call = Client(api, user)
    app = call.create({"name": _firm(), "region": "西咸新区", "need": {"amount": 2_000_000}})
    assert app["version"] == 1 and {"统一社会信用代码", "法定代表人", "联系电话"} <= set(app["missing"])

    refused = call("POST", f"/applications/{app['id']}/transitions", json={"to_status": "已提交", "expected_version": 1})
    assert refused.status_code == 409
    assert all(label in refused.json()["detail"] for label in app["missing"]), refused.json()

    uscc = _uscc()
    r = call("PATCH", f"/applications/{app['id']}", json={"expected_version": 1, "fields": {**FILL, "uscc": uscc}})
    assert r.status_code == 200, r.text
    filled = r.json()
    assert filled["version"] == 2 and filled["status"] == "草稿" and filled["missing"] == []
    fields = _fields(filled)
    for key in ("uscc", "legal_rep", "contact_email", "revenue", "amount", "registered_address"):
        assert fields[key]["source"] == "用户提供", (key, fields[key])
    assert fields["uscc"]["value"] == uscc and fields["revenue"]["value"] == "2000万元" and fields["amount"]["value"] == "300万元"
    assert fields["contact_email"]["value"] == "zhang@example.cn"
    assert fields["product"]["source"] == "系统推断"  # untouched system fields stay what they were
    assert not [i for i in filled["issues"] if "待补充" in i["message"] and i["field"] != "知识产权清单"]
    assert filled["profile_snapshot"]["uscc"] == uscc and filled["profile_snapshot"]["need"]["amount"] == 3_000_000
    assert filled["extra"]["legal_rep"] == "王示例"
    edit = filled["events"][-1]
    assert edit["kind"] == "edit" and edit["from_status"] == edit["to_status"] == "草稿" and "统一社会信用代码" in edit["note"]

    stale = call("PATCH", f"/applications/{app['id']}", json={"expected_version": 1, "fields": {"legal_rep": "李示例"}})
    assert stale.status_code == 409 and "已被他人修改" in stale.json()["detail"]

    submitted = call("POST", f"/applications/{app['id']}/transitions", json={"to_status": "已提交", "expected_version": 2})
    assert submitted.status_code == 200 and submitted.json()["status"] == "已提交"
    late = call("PATCH", f"/applications/{app['id']}", json={"expected_version": 3, "fields": {"legal_rep": "李示例"}})
    assert late.status_code == 409 and "草稿" in late.json()["detail"]

    with session_scope(api.settings) as s:
        audit = s.scalar(select(AuditLog).where(AuditLog.action == "application.edit", AuditLog.target == app["id"]))
        assert audit is not None and "uscc" in audit.detail["fields"]
        assert uscc not in str(audit.detail)  # the audit says what changed, not the values


def test_a_firm_fills_its_draft_and_only_then_submits_it(live_api):
    _fill_then_submit(live_api, "ent-b")


def test_staff_complete_a_draft_on_postgresql(pg_api):  # noqa: F811
    _fill_then_submit(pg_api, "staff")


def test_every_field_is_validated_as_the_profile_api_validates_it(live_api):
    staff = Client(live_api, "staff")
    app = staff.create({"name": _firm()})
    good = _uscc()
    bad_uscc = good[:-1] + ("0" if good[-1] != "0" else "1")  # one code: its own check character changed
    body = {"expected_version": 1,
            "fields": {"uscc": bad_uscc, "employees": -5, "contact_phone": "call me", "contact_email": "zhang-at-example",
                       "founded": "2019-13-40", "product": "别的产品", "nickname": "x"},
            "ip_list": [{"type": "发明专利", "number": "ZL201910380558.1", "title": "一种方法"}]}
    r = staff("PATCH", f"/applications/{app['id']}", json=body)
    assert r.status_code == 422, r.text
    out = r.json()
    assert set(out["fields"]) == {"uscc", "employees", "contact_phone", "contact_email", "founded", "product", "nickname", "ip_list[0]"}
    assert all(_chinese(m) for m in out["fields"].values()), out["fields"]
    assert len(out["errors"]) == len(out["fields"]) and all(_chinese(e) for e in out["errors"]) and _chinese(out["detail"])
    # the same validator, the same words: what POST /profiles says about this code, PATCH says too
    said = staff("POST", "/profiles", json={"name": _firm(), "uscc": bad_uscc}).json()
    said = said.get("errors") or [said["detail"]]
    assert len(said) == 1 and said[0] in out["errors"], (said, out["errors"])
    unchanged = staff("GET", f"/applications/{app['id']}").json()
    assert unchanged["version"] == 1 and unchanged["events"][-1]["kind"] == "status"
    # a rule about two fields is said at both of them
    both = staff("PATCH", f"/applications/{app['id']}", json={"expected_version": 1, "fields": {"employees": 10, "rd_staff": 30}}).json()
    assert set(both["fields"]) == {"employees", "rd_staff"} and both["fields"]["employees"] == both["fields"]["rd_staff"]


def test_ip_rows_are_edited_as_assets_and_counts_become_rows(live_api):
    staff = Client(live_api, "staff")
    app = staff.create({"name": _firm(), "ip_counts": {"发明专利": 5}})
    assert [(r["type"], r["number"]) for r in app["form"]["ip_list"]] == [("发明专利", "（5件，号码待补充）")]
    assert any("发明专利5件" in i["message"] for i in app["issues"])
    rows = [{"type": "发明专利", "number": "ZL201910380558.X", "title": "一种工业数据采集方法", "expires": "2039-05-10", "valuation": 6_000_000},
            {"type": "发明专利", "title": "一种数据清洗方法"}]
    r = staff("PATCH", f"/applications/{app['id']}", json={"expected_version": 1, "ip_list": rows})
    assert r.status_code == 200, r.text
    done = r.json()
    assert [x["number"] for x in done["form"]["ip_list"]] == ["ZL201910380558.X", None]
    notes = [i["message"] for i in done["issues"] if i["field"] == "知识产权清单"]
    assert len(notes) == 1 and "第2项" in notes[0] and "号码" in notes[0], notes
    assert done["profile_snapshot"]["ip_assets"][0]["valuation"] == 6_000_000


def test_only_drafts_of_ones_own_firm_and_only_enterprise_or_staff(live_api):
    mine = Client(live_api, "ent-a").create({"name": "甲示例科技有限公司"})
    patch = {"expected_version": 1, "fields": {"legal_rep": "甲法人"}}
    assert Client(live_api, "ent-b")("PATCH", f"/applications/{mine['id']}", json=patch).status_code == 404
    assert Client(live_api, "admin")("PATCH", f"/applications/{mine['id']}", json=patch).status_code == 403
    r = Client(live_api, "staff")("PATCH", f"/applications/{mine['id']}", json=patch)
    assert r.status_code == 200 and _fields(r.json())["legal_rep"]["value"] == "甲法人"
    assert r.json()["events"][-1]["actor"] == "staff:staff"
    r = Client(live_api, "ent-a")("PATCH", f"/applications/{mine['id']}", json={"expected_version": 2, "fields": {"legal_rep": None}})
    assert r.status_code == 200 and _fields(r.json())["legal_rep"]["source"] == "待补充"  # a field can be cleared again


def test_a_sparse_profile_with_an_application_keeps_what_the_firm_said_before(live_api):
    staff = Client(live_api, "staff")
    name, uscc = _firm(), _uscc()
    saved = staff("POST", "/profiles", json={"name": name, "uscc": uscc, "founded": "2018-04-01", "employees": 40,
                                              "need": {"amount": 2_000_000, "term_months": 12}}).json()
    again = staff("POST", "/profiles", json={"name": name, "uscc": uscc, "revenue": 9_000_000}).json()  # POST /profiles merges too
    assert again["version"] == saved["version"] + 1
    assert again["profile"]["founded"] == "2018-04-01" and again["profile"]["revenue"] == 9_000_000

    app = staff.create({"name": name, "uscc": uscc, "need": {"purpose": "研发"}})
    fields = _fields(app)
    assert fields["founded"]["value"] == "2018-04-01" and fields["employees"]["value"] == 40  # not wiped by the sparse request
    assert fields["amount"]["value"] == "200万元" and fields["purpose"]["value"] == "研发"
    assert app["profile_version"] == again["version"] + 1 and app["profile_snapshot"]["need"] == {"amount": 2_000_000, "term_months": 12, "purpose": "研发"}

    staff("POST", "/profiles", json={"name": name, "uscc": uscc, "employees": 400})  # the firm moves on …
    kept = staff("GET", f"/applications/{app['id']}").json()
    assert kept["profile_snapshot"]["employees"] == 40 and _fields(kept)["employees"]["value"] == 40  # … the application does not


def test_the_shared_creation_function_marks_inferred_fields_and_editing_makes_them_stated(live_api):
    """What the chat route will call: the same function as POST /applications, plus what the system inferred."""
    from assistant.applications.service import create_application

    with session_scope(live_api.settings) as s:
        from assistant.auth.users import principal_for_token

        staff = principal_for_token(s, live_api.headers("staff")["Authorization"].split()[1], allow_demo=False)
    assert isinstance(staff, Principal)
    profile = Profile(name=_firm(), founded="2020-01-01", ip_counts={"发明专利": 2})
    key = uuid.uuid4().hex
    made = create_application(live_api.settings, staff, profile, product_id="cab-qinchuangdai",
                              extra={"contact_email": "li@example.cn"}, inferred={"founded"}, idempotency_key=key)
    again = create_application(live_api.settings, staff, profile, product_id="cab-qinchuangdai", extra=None, idempotency_key=key)
    assert again.id == made.id
    seen = Client(live_api, "staff")("GET", f"/applications/{made.id}").json()
    assert _fields(seen)["founded"]["source"] == "系统推断" and seen["inferred"] == ["founded"]
    assert _fields(seen)["contact_email"]["value"] == "li@example.cn"
    r = Client(live_api, "staff")("PATCH", f"/applications/{made.id}", json={"expected_version": 1, "fields": {"founded": "2020-03-18"}})
    assert r.status_code == 200 and _fields(r.json())["founded"]["source"] == "用户提供" and r.json()["inferred"] == []
    with pytest.raises(Exception, match="产品库中没有"):
        create_application(live_api.settings, staff, profile, product_id="no-such-product", extra=None)
