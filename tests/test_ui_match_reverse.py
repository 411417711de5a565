"""产品匹配 page, tab 按产品反向匹配, under Streamlit AppTest against the live API: staff choose where the firms come
from (已登记企业 or an uploaded whitelist), and read a ranked table whose 匹配分 and parts are explained in Chinese."""

from __future__ import annotations

import httpx
import pytest

from tests.test_api_match_reverse import XLSX, whitelist_workbook
from tests.test_ui_pages import PROFILE, open_as, texts

PARTS = ["需求契合", "条件余量", "资料完整", "产品条件"]


@pytest.fixture()
def api(live_api, monkeypatch):
    monkeypatch.setenv("ASSISTANT_API_URL", live_api.url)
    return live_api


def _table(at, column: str):
    return next(d.value for d in at.dataframe if column in d.value)


def test_reverse_tab_ranks_an_uploaded_whitelist_and_lists_its_row_errors(api):
    at = open_as(api, "staff", "match")
    at.selectbox(key="reverse_product").set_value("cab-qinchuangdai")
    assert at.radio(key="reverse_source").options == ["已登记企业", "上传白名单"]
    at.radio(key="reverse_source").set_value("上传白名单").run()
    assert not at.exception
    assert any(d.label == "下载名单模板" for d in at.download_button)
    assert at.button(key="reverse_run").disabled  # nothing uploaded yet

    at.file_uploader(key="reverse_file").set_value(("白名单.xlsx", whitelist_workbook(), XLSX))
    at.run()
    at.button(key="reverse_run").click().run()
    assert not at.exception, at.exception

    table = _table(at, "名单行号")
    assert list(table["企业"]) == ["乙示例稳健科技有限公司", "丙示例成长科技有限公司", "丁示例初创科技有限公司", "戊示例外地科技有限公司"]
    assert list(table["名单行号"]) == [5, 4, 3, 2]
    assert list(table["结论"]) == ["符合", "符合", "符合", "不符合"]
    assert set(PARTS) <= set(table.columns) and "结论档" in table.columns
    scores = list(table["匹配分"])
    assert scores == sorted(scores, reverse=True) and len(set(scores)) == 4
    for _, row in table.iterrows():
        assert abs(sum(row[p] for p in ["结论档", *PARTS]) - row["匹配分"]) < 0.06
    shown = texts(at)
    assert "符合 60–100" in shown and "条件余量" in shown  # the legend says how to read the score

    # each firm's score explained part by part
    first = next(e for e in at.expander if e.label.startswith("1. 乙示例稳健科技有限公司"))
    explained = "\n".join(m.value for m in first.markdown)
    assert "需求契合" in explained and "资产负债率25%" in explained

    # the row that could not be read, with its reason
    errors = _table(at, "行错误")
    assert len(errors) == 1 and errors["行错误"][0].startswith("第6行") and "校验位" in errors["行错误"][0]
    assert any("1 行未能读取" in w.value for w in at.warning)


def test_reverse_tab_still_ranks_registered_firms(api):
    httpx.post(f"{api.url}/profiles", json={**PROFILE, "name": "庚示例登记科技有限公司"}, headers=api.headers("staff"), timeout=10).raise_for_status()
    at = open_as(api, "staff", "match")
    at.selectbox(key="reverse_product").set_value("cab-qinchuangdai")
    assert at.radio(key="reverse_source").value == "已登记企业"
    assert not at.button(key="reverse_run").disabled
    at.button(key="reverse_run").click().run()
    assert not at.exception, at.exception
    table = _table(at, "排名")
    assert "庚示例登记科技有限公司" in set(table["企业"]) and "名单行号" not in table.columns
    assert set(PARTS) <= set(table.columns)
