"""What a user reads when a request or a workbook is wrong, end to end: a battery of malformed requests to every
route of the live API, and bad workbooks uploaded through the Streamlit pages. No Python or pydantic wording, no
raw field name, each error exactly once."""

from __future__ import annotations

import io
from collections import Counter
from typing import Any

import httpx
import pytest
from openpyxl import Workbook, load_workbook
from streamlit.testing.v1 import AppTest

from tests.test_ui_pages import open_as
from tests.text_checks import (
    assert_error_body,
    assert_no_python_text,
    assert_user_text,
    page_texts,
    request_field_names,
)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SKIP = {("post", "/auth/logout")}  # would revoke the token the rest of the session runs with


@pytest.fixture(scope="module")
def spec(live_api) -> dict[str, Any]:
    return httpx.get(f"{live_api.url}/openapi.json", timeout=10).json()


def _resolve(spec: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = spec["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    branches = [b for b in schema.get("anyOf") or [] if b.get("type") != "null"]
    return _resolve(spec, branches[0]) if branches and "type" not in schema else schema


def _bad_values(spec: dict[str, Any], schema: dict[str, Any], depth: int = 0, *, text: bool = False) -> list[Any]:
    """Values that break ``schema``: the wrong type, and each of its limits overstepped. With ``text`` (query,
    header and form values, which are always strings) a number is no wrong type for a string."""
    s = _resolve(spec, schema)
    kind = s.get("type")
    if "enum" in s or "const" in s:
        return ["不存在的选项"]
    if kind == "string":
        out: list[Any] = [] if text else [12345]
        if s.get("maxLength"):
            out.append("长" * (s["maxLength"] + 1))
        if s.get("pattern"):
            out.append("不符合格式!")
        if s.get("format") in ("date", "date-time"):
            out.append("2020-13-45")
        return out
    if kind in ("integer", "number"):
        out = ["很多" if kind == "integer" else "三点五"]
        if "minimum" in s or "exclusiveMinimum" in s:
            out.append(s.get("minimum", s.get("exclusiveMinimum")) - 1)
        if "maximum" in s or "exclusiveMaximum" in s:
            out.append(s.get("maximum", s.get("exclusiveMaximum")) + 1)
        return out
    if kind == "boolean":
        return ["也许"]
    if kind == "array":
        out = ["不是列表"]
        items = s.get("items") or {}
        if s.get("minItems"):
            out.append([])
        if depth < 2 and items:
            out.append([_bad_object(spec, items, depth + 1)] if _resolve(spec, items).get("properties") else _bad_values(spec, items, depth + 1)[:1])
        if s.get("maxItems") and s["maxItems"] <= 50:
            out.append(["问题"] * (s["maxItems"] + 1))
        return out
    if s.get("properties"):
        return ["不是对象", _bad_object(spec, s, depth + 1)] if depth < 3 else ["不是对象"]
    if isinstance(s.get("additionalProperties"), dict):
        return [{"不存在的类型": "很多"}]
    return []


def _bad_object(spec: dict[str, Any], schema: dict[str, Any], depth: int = 0) -> dict[str, Any]:
    """Every property wrong at once, plus a key the model does not know."""
    s = _resolve(spec, schema)
    out = {k: vals[0] for k, v in (s.get("properties") or {}).items() if (vals := _bad_values(spec, v, depth))}
    out["unexpected_key"] = 1
    return out


def _battery(spec: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    cases: list[tuple[str, str, dict[str, Any]]] = []
    for path, ops in spec["paths"].items():
        for method, op in ops.items():
            if (method, path) in SKIP:
                continue
            url = path
            for p in op.get("parameters") or []:
                if p["in"] == "path":
                    url = url.replace("{" + p["name"] + "}", "no-such-id")
            for p in op.get("parameters") or []:
                for bad in _bad_values(spec, p["schema"], text=True):
                    where = {"query": "params", "header": "headers"}.get(p["in"])
                    value = str(bad) if p["in"] != "header" or str(bad).isascii() else "x" * len(str(bad))  # headers are ASCII
                    if where:
                        cases.append((method, url, {where: {p["name"]: value}}))
            content = (op.get("requestBody") or {}).get("content") or {}
            if "application/json" in content:
                schema = content["application/json"]["schema"]
                cases += [(method, url, {"json": []}), (method, url, {"content": b"{not json", "headers": {"Content-Type": "application/json"}}),
                          (method, url, {"json": _bad_object(spec, schema)})]
                if _resolve(spec, schema).get("required"):  # an empty body is valid for the others (a reindex!)
                    cases.append((method, url, {"json": {}}))
                for name, prop in (_resolve(spec, schema).get("properties") or {}).items():
                    cases += [(method, url, {"json": {name: bad}}) for bad in _bad_values(spec, prop)]
            for form in ("multipart/form-data", "application/x-www-form-urlencoded"):
                if form in content:
                    props = _resolve(spec, content[form]["schema"]).get("properties") or {}
                    data = {k: str(vals[-1]) for k, v in props.items() if (vals := _bad_values(spec, v, text=True)) and k != "file"}
                    cases += [(method, url, {"data": data}), (method, url, {"data": {}})]
    return cases


def test_malformed_requests_to_every_route_get_chinese_errors_each_once(live_api, spec):
    names = request_field_names(spec)
    cases = _battery(spec)
    assert len(cases) > 150
    rejected: Counter[str] = Counter()
    for method, url, kwargs in cases:
        for user in ("admin", "staff", "ent-a"):  # the first role the route admits
            headers = {**live_api.headers(user), **kwargs.get("headers", {})}
            r = httpx.request(method.upper(), live_api.url + url, **{**kwargs, "headers": headers}, timeout=30)
            if r.status_code not in (401, 403):
                break
        assert 400 <= r.status_code < 500, (method, url, kwargs, r.status_code, r.text[:300])
        body = r.json()
        assert_error_body(body, names)
        if r.status_code == 422:
            rejected[f"{method} {url}"] += 1
            if len(body.get("errors") or []) > 1:
                assert body["detail"] == f"请求有{len(body['errors'])}处需要修改：", body
    # every route that takes a body or parameters refused something
    assert len(rejected) >= 25, rejected


def test_one_error_is_the_detail_and_several_are_a_headline_and_a_list(live_api):
    def post(path: str, body: Any) -> httpx.Response:
        return httpx.post(live_api.url + path, json=body, headers=live_api.headers("staff"), timeout=30)

    r = post("/ask", {"question": "很" * 600})
    assert r.status_code == 422 and r.json() == {"detail": "问题：不能超过500字（当前600字）"}
    r = post("/profiles", {"name": "甲示例科技有限公司", "employees": "很多"})
    assert r.json() == {"detail": "职工人数：应为整数，当前填写“很多”"}
    r = post("/match", {"profile": {"name": "甲示例科技有限公司", "debt_ratio": 3, "uscc": "123", "qualifications": ["独角兽企业"]}})
    body = r.json()
    assert r.status_code == 422 and body["detail"] == "请求有3处需要修改：" and len(body["errors"]) == 3
    assert any(e.startswith("企业信息·资质：") and "独角兽企业" in e and "高新技术企业" in e for e in body["errors"])
    assert "企业信息·资产负债率：不能大于1，当前填写“3”" in body["errors"]
    r = post("/match", {"profile": {"name": "甲示例科技有限公司", "qualifications": ["高企"]}})
    assert r.status_code == 200


# -- the pages ----------------------------------------------------------------------------------------------

@pytest.fixture()
def api(live_api, monkeypatch):
    monkeypatch.setenv("ASSISTANT_API_URL", live_api.url)
    return live_api


def _match(at: AppTest) -> AppTest:
    return at.button[[b.label for b in at.button].index("开始匹配")].click().run()


def _shown_once(at: AppTest, needle: str) -> None:
    texts = page_texts(at, tables=False)
    assert sum(t.count(needle) for t in texts) == 1, texts


def test_a_form_error_is_shown_once(api):
    at = open_as(api, "staff", "match")
    at.text_input(key="pf_name").set_value("庚示例科技有限公司")
    at.text_input(key="pf_uscc").set_value("123")
    _match(at)
    _shown_once(at, "统一社会信用代码应为18位")

    at.number_input(key="pf_need_amount").set_value(0.0)
    _match(at)
    _shown_once(at, "统一社会信用代码应为18位")
    _shown_once(at, "融资金额：必须大于0")
    assert any(e.value.startswith("请求有2处需要修改") for e in at.error)
    assert_no_python_text(page_texts(at))


def _workbook(rows: list[list[Any]]) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "企业名单"
    for row in rows:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _batch(at: AppTest, content: bytes) -> AppTest:
    at.file_uploader(key="batch_file").set_value(("白名单.xlsx", content, XLSX))
    at.run()
    return at.button(key="batch_run").click().run()


def test_bad_whitelists_read_in_chinese_on_the_match_page(api):
    at = open_as(api, "staff", "match")
    _batch(at, _workbook([["名称", "职工人数"], ["甲示例科技有限公司", 5]]))  # no 企业名称 column: nothing to match
    assert not at.exception
    errors = [e.value for e in at.error]
    assert errors and errors[0].startswith("企业名单无法读取")
    _shown_once(at, "缺少“企业名称”列")
    assert_no_python_text(page_texts(at))

    headers = ["企业名称", "职工人数", "研发人员数", "资产负债率", "资质", "融资金额（万元）"]
    _batch(at, _workbook([headers, ["甲示例科技有限公司", 50, 10, "40%", "高企", 300],
                          ["乙示例科技有限公司", "很多", "十个", "四成", "独角兽企业", -1]]))
    assert not at.exception
    errors_sheet = next(d.value for d in at.dataframe if "未能匹配的行及原因" in d.value.columns)
    reasons = list(errors_sheet["未能匹配的行及原因"])
    assert len(reasons) == 5 and all(r.startswith("第3行「") for r in reasons), reasons
    assert "第3行「职工人数」：应为整数，当前填写“很多”" in reasons
    for r in reasons:
        assert_user_text(r, {"employees", "rd_staff", "debt_ratio", "qualifications", "need", "amount"})
    assert_no_python_text(page_texts(at))


def test_a_bad_product_workbook_reads_in_chinese_on_the_knowledge_page(api):
    exported = httpx.get(f"{api.url}/admin/products/export", headers=api.headers("admin"), timeout=30)
    wb = load_workbook(io.BytesIO(exported.content))
    ws = wb.active
    header = [c.value for c in ws[1]]
    for (row, column), value in {(2, "最低年利率（%）"): "三点五", (3, "最低额度（万元）"): 900, (3, "最高额度（万元）"): 100,
                                 (4, "资质（任一）"): "独角兽企业", (5, "类别"): "房贷"}.items():
        ws.cell(row=row, column=header.index(column) + 1, value=value)
    buf = io.BytesIO()
    wb.save(buf)

    at = open_as(api, "admin", "knowledge")
    at.file_uploader(key="pd_file").set_value(("产品.xlsx", buf.getvalue(), XLSX)).run()
    at.button(key="pd_import").click().run()
    assert not at.exception
    for needle in ("第2行「最低年利率（%）」：应为数字，当前填写“三点五”", "第3行「最低额度（万元）」「最高额度（万元）」：下限不能大于上限",
                   "第4行「资质（任一）」：", "第5行「类别」："):
        _shown_once(at, needle)
    lines = [line for t in page_texts(at, tables=False) for line in t.splitlines() if "行「" in line]
    assert len(lines) >= 4
    for line in lines:
        assert_user_text(line, {"rate", "min", "max", "amount", "eligibility", "qualifications_any", "category"})
    assert_no_python_text(page_texts(at))
