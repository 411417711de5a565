"""银行工作台 under AppTest against the real API: a bank sees the queue pushed to it (and nothing of another bank),
the firm, need, IP list and match reasons of one application, answers it through the form, and a refused answer
(批准 without its terms) is said in Chinese next to nothing lost."""

from __future__ import annotations

import uuid

import httpx

from tests.test_ui_pages import api, open_as, texts  # noqa: F401  (fixture and helpers of the page tests)

FIRM = {"region": "西咸新区", "founded": "2018-05-01", "revenue": 30_000_000, "debt_ratio": 0.4, "credit_ok": True, "whitelist": True,
        "qualifications": ["高新技术企业"], "employees": 60,
        "need": {"amount": 3_000_000, "term_months": 12, "purpose": "研发"},
        "ip_assets": [{"type": "发明专利", "number": "ZL202010123456.2", "title": "一种示例传感装置", "expires": "2040-01-01",
                       "status": "有效", "valuation": 2_000_000},
                      {"type": "发明专利", "number": "ZL202110654321.3", "title": "一种示例控制方法", "expires": "2041-06-01",
                       "status": "有效", "valuation": 1_500_000}]}


def _pushed(api, product: str) -> dict:  # noqa: F811
    name = f"辛示例科技有限公司{uuid.uuid4().hex[:4]}"
    r = httpx.post(f"{api.url}/applications/push", headers=api.headers("staff"), timeout=60,
                   json={"profiles": [{**FIRM, "name": name}], "product_id": product})
    result = r.json()["results"][0]
    assert result["ok"], result
    return httpx.get(f"{api.url}/applications/{result['id']}", headers=api.headers("staff"), timeout=30).json()


def test_the_bank_answers_from_its_workbench(api):  # noqa: F811
    mine = _pushed(api, "cab-qinchuang-baodai")  # 长安银行
    other = _pushed(api, "abc-kejiedai")  # 中国农业银行
    at = open_as(api, "bank-ca", "workbench")
    assert at.title[0].value == "银行工作台"
    queue = at.dataframe[0].value
    assert mine["id"][:8] in set(queue["编号"]) and other["id"][:8] not in set(queue["编号"])
    at.selectbox(key="wb_pick").set_value(mine["id"]).run()
    assert not at.exception, at.exception
    page = texts(at)
    assert mine["enterprise_name"] in page and "300万" in page and "匹配结论" in page
    assert any("ZL202010123456.2" in str(df.value.to_dict()) for df in at.dataframe)  # the IP list with its valuation

    # 批准 without amount, rate and term: refused, said in Chinese, the application unchanged
    at.selectbox(key=f"wb_decision_{mine['id']}_kind").set_value("批准")  # inside the form: sent with the submit
    at.button[[b.label for b in at.button].index("提交答复")].click().run()
    assert at.error and "金额：批准须填写批准金额" in texts(at) and "年化利率：批准须填写" in texts(at)
    assert httpx.get(f"{api.url}/applications/{mine['id']}", headers=api.headers("bank-ca"), timeout=30).json()["status"] == "已推送银行"

    at.selectbox(key=f"wb_decision_{mine['id']}_kind").set_value("批准")
    at.number_input(key=f"wb_amount_{mine['id']}").set_value(250.0)
    at.number_input(key=f"wb_rate_{mine['id']}").set_value(3.6)
    at.number_input(key=f"wb_term_{mine['id']}").set_value(12)
    at.button[[b.label for b in at.button].index("提交答复")].click().run()
    assert not at.exception, at.exception
    assert any("已答复“批准”" in s.value for s in at.success), [s.value for s in at.success]
    detail = httpx.get(f"{api.url}/applications/{mine['id']}", headers=api.headers("staff"), timeout=30).json()
    assert detail["status"] == "已批准" and detail["decision"]["amount"] == 2_500_000 and detail["decision"]["rate"] == 3.6
