"""What one firm can borrow across products: the 可贷额度 its IP supports, and, when its need exceeds every single
product, combinations of an IP-pledge loan and a credit, guarantee or insured loan that cover it, each part with
its own verdict and subsidies. On the sample catalog with the real matcher, over HTTP, on the match page and in chat."""

from __future__ import annotations

import datetime as dt
from typing import Any

import httpx
import pytest
import yaml

from assistant.dialogue.manager import DialogueManager
from assistant.products.capacity import asking
from assistant.products.catalog import load_catalog
from assistant.products.combinations import TOP_UP_CATEGORIES, funding
from assistant.products.matcher import VERDICT_LABELS, match_all, match_one
from assistant.products.subsidies import estimate, load_book
from assistant.profile.model import Profile
from assistant.profile.validators import patent_check_char
from assistant.settings import Settings
from tests.conftest import CORPUS
from tests.test_ui_pages import open_as, texts

TODAY = dt.date(2026, 11, 24)
WAN = 10_000
# Two valued invention patents (1400万 + 600万) and a need of 2500万: every pledge product stops at its ceiling or
# its ratio of 2000万, and no credit, guarantee or other loan of the catalog lends 2500万 on its own.
FIRM: dict[str, Any] = {
    "name": "壬示例储能科技有限公司", "region": "西咸新区沣东新城", "founded": "2018-05-01", "employees": 80, "revenue": 30_000_000,
    "debt_ratio": 0.4, "qualifications": ["高新技术企业", "专精特新"], "whitelist": True, "credit_ok": True,
    "ip_assets": [
        {"type": "发明专利", "title": "一种电池热管理方法", "status": "有效", "expires": "2040-03-31", "valuation": 14_000_000},
        {"type": "发明专利", "title": "储能变流控制系统", "status": "有效", "expires": "2041-06-30", "valuation": 6_000_000},
    ],
    "need": {"amount": 25_000_000, "term_months": 12, "purpose": "扩产"},
}


def _firm(**need: Any) -> Profile:
    return Profile.model_validate({**FIRM, "need": {**FIRM["need"], **need}})


@pytest.fixture(scope="module")
def catalog():
    return load_catalog(CORPUS / "products")


@pytest.fixture(scope="module")
def book():
    return load_book(CORPUS)


def _records() -> dict[str, dict[str, Any]]:
    """The product records as the YAML files state them, read without the catalog."""
    return {p.stem: yaml.safe_load(p.read_text(encoding="utf-8")) for p in (CORPUS / "products").glob("*.yaml") if p.name != "subsidies.yaml"}


def _expected_capacity(record: dict[str, Any], firm: dict[str, Any]) -> float:
    """min(product ceiling, Σ valuation × the record's ratio for each accepted item)."""
    ratios, accepted = record.get("pledge_ratio") or {}, record.get("accepted_ip") or []
    pledged = sum(a["valuation"] * ratios.get(a["type"], 0) for a in firm["ip_assets"] if a["type"] in accepted)
    return min(pledged, record["amount"]["max"])


# -- the domain ----------------------------------------------------------------------------------------------

def test_a_need_beyond_every_single_product_gets_combinations_that_cover_it(catalog, book):
    firm = _firm()
    assert all(m.eligible is False for m in match_all(catalog, firm, TODAY))  # no single product lends 2500万
    plan = funding(catalog, firm, book, limit=Settings().combination_limit, today=TODAY)
    assert plan.single_covers is False and plan.need == 25_000_000
    assert 1 <= len(plan.combinations) <= Settings().combination_limit and plan.partial is None
    assert "2500万元" in (plan.note or "")
    by_id, records = {p.id: p for p in catalog}, _records()
    for combo in plan.combinations:
        pledge, top = combo.parts
        assert combo.covers and combo.shortfall == 0 and abs(combo.total - 25_000_000) < 0.01
        assert pledge.amount + top.amount == pytest.approx(25_000_000)
        # the pledge part lends against the IP, within what the IP supports at that product
        assert pledge.role == "知识产权质押" and records[pledge.product_id].get("pledge_ratio")
        assert pledge.amount <= _expected_capacity(records[pledge.product_id], FIRM) + 0.01
        # the top-up takes no IP and lends within its own range
        assert top.role == "补充贷款" and top.category in TOP_UP_CATEGORIES and not records[top.product_id].get("accepted_ip")
        assert records[top.product_id]["amount"]["min"] <= top.amount <= records[top.product_id]["amount"]["max"]
        for part in combo.parts:
            product = by_id[part.product_id]  # from the catalog, never invented
            own = match_one(product, asking(firm, part.amount), TODAY)
            assert part.eligible is own.eligible and part.eligible is not False and part.verdict == VERDICT_LABELS[own.eligible]
            assert part.reasons == own.reasons
            expected = [(e.id, e.amount) for e in estimate(book, product, asking(firm, part.amount))]
            assert part.subsidies and [(s["id"], s["amount"]) for s in part.subsidies] == expected
            assert part.subsidy_total > 0
        assert combo.subsidy_total > 0 and combo.summary.count("万元") >= 2
    # both parts 符合 first, then the cheaper
    firsts = [c for c in plan.combinations if all(p.eligible is True for p in c.parts)]
    assert plan.combinations[: len(firsts)] == firsts
    assert [c.rate for c in firsts] == sorted(c.rate for c in firsts)


def test_a_need_one_product_covers_gets_no_combinations(catalog, book):
    firm = _firm(amount=3_000_000)
    assert any(m.eligible is True for m in match_all(catalog, firm, TODAY))
    plan = funding(catalog, firm, book, today=TODAY)
    assert plan.single_covers is True and plan.combinations == [] and plan.partial is None and plan.note is None
    assert plan.capacity.amount == 10_000_000  # the 可贷额度 is stated all the same


def test_the_capacity_is_the_sum_of_valuation_times_ratio_of_the_product_records(catalog):
    records = _records()
    plan = funding(catalog, _firm(), today=TODAY)
    cap = plan.capacity
    kinds = {a["type"] for a in FIRM["ip_assets"]}
    pledge_ids = {pid for pid, r in records.items() if r.get("pledge_ratio") and kinds & set(r.get("accepted_ip") or [])}
    assert len(pledge_ids) >= 5
    assert {c.product_id for c in cap.products} == pledge_ids
    for c in cap.products:
        assert c.amount == pytest.approx(_expected_capacity(records[c.product_id], FIRM))
        assert c.pledged == pytest.approx(sum(t.amount for t in c.terms))
    usable = [c for c in cap.products if c.eligible is not False]
    assert cap.amount == pytest.approx(max(_expected_capacity(records[c.product_id], FIRM) for c in usable))
    best = records[cap.product_id or ""]
    assert cap.product == f"{best['institution']}「{best['name']}」"
    ratio = best["pledge_ratio"]["发明专利"]
    assert f"发明专利评估值2000万元×{ratio:.0%}" in cap.basis and best["name"] in cap.basis


def test_when_nothing_covers_the_need_the_best_partial_coverage_and_the_gap_are_said(catalog, book):
    plan = funding(catalog, _firm(amount=100_000_000), book, today=TODAY)
    assert plan.combinations == [] and plan.partial is not None
    assert not plan.partial.covers and plan.partial.shortfall == pytest.approx(100_000_000 - plan.partial.total)
    assert "没有能覆盖全部需求的组合" in (plan.note or "") and "缺口" in (plan.note or "")
    assert all(p.eligible is not False for p in plan.partial.parts)


def test_without_valuations_the_capacity_says_what_is_missing(catalog):
    counted = {**FIRM, "ip_assets": None, "ip_counts": {"发明专利": 2}}
    plan = funding(catalog, Profile.model_validate(counted), today=TODAY)
    assert plan.capacity.amount is None and "未提供知识产权评估值" in plan.capacity.basis
    # unmeasured IP does not hold a product back (the matcher waits for no valuation): 知惠贷 lends 2500万 alone
    assert plan.single_covers and plan.combinations == []
    # beyond every product's ceiling (3000万 at most), the valuation is what to add
    plan = funding(catalog, Profile.model_validate({**counted, "need": {"amount": 50_000_000}}), today=TODAY)
    assert not plan.single_covers and plan.combinations == [] and "补充拟质押知识产权的评估值" in (plan.note or "")


# -- over HTTP -----------------------------------------------------------------------------------------------

def test_match_over_http_carries_the_capacity_and_the_combinations(live_api):
    r = httpx.post(f"{live_api.url}/match", json={"profile": FIRM}, headers=live_api.headers("staff"), timeout=30)
    assert r.status_code == 200, r.text
    body = r.json()
    assert {"matches", "near_misses", "ask_next"} <= body.keys() and len(body["matches"]) == 36  # unchanged fields
    assert body["capacity"]["amount"] == 10_000_000 and "质押率" in body["capacity"]["basis"]
    assert body["combinations"] and body["partial_combination"] is None and "2500万元" in body["combination_note"]
    for combo in body["combinations"]:
        assert combo["covers"] and combo["total"] == pytest.approx(25_000_000)
        for part in combo["parts"]:
            assert part["verdict"] in ("符合", "需补充") and part["subsidies"] and part["reasons"]

    small = {**FIRM, "need": {"amount": 3_000_000, "term_months": 12}}
    body = httpx.post(f"{live_api.url}/match", json={"profile": small}, headers=live_api.headers("staff"), timeout=30).json()
    assert body["combinations"] == [] and body["combination_note"] is None and body["capacity"]["amount"] == 10_000_000


# -- the match page ------------------------------------------------------------------------------------------

@pytest.fixture()
def api(live_api, monkeypatch):
    monkeypatch.setenv("ASSISTANT_API_URL", live_api.url)
    return live_api


def test_match_page_shows_the_capacity_and_the_combinations(api):
    at = open_as(api, "staff", "match")
    at.text_input(key="pf_name").set_value(FIRM["name"])
    at.text_input(key="pf_region").set_value("西咸新区沣东新城")
    at.date_input(key="pf_founded").set_value(dt.date(2018, 5, 1))
    at.number_input(key="pf_employees").set_value(80)
    at.number_input(key="pf_revenue").set_value(3000.0)
    at.number_input(key="pf_debt_ratio").set_value(40.0)
    at.multiselect(key="pf_qualifications").set_value(["高新技术企业", "专精特新"])
    at.selectbox(key="pf_whitelist").set_value(True)
    at.selectbox(key="pf_credit_ok").set_value(True)
    at.number_input(key="pf_ip_发明专利").set_value(2)
    at.number_input(key="pf_val_发明专利").set_value(2000.0)
    at.number_input(key="pf_need_amount").set_value(2500.0)
    at.number_input(key="pf_need_term").set_value(12)
    at.button[[b.label for b in at.button].index("开始匹配")].click().run()
    assert not at.exception, at.exception
    sent = at.session_state["match_profile"]
    assert sent["ip_assets"] == [{"type": "发明专利", "valuation": 10_000_000}] * 2 and "ip_counts" not in sent

    shown = texts(at)
    assert "可贷额度（知识产权质押）:1,000万元" in shown and "组合方案" in shown and "超过任一单个产品" in shown
    first = next(e for e in at.expander if e.label.startswith("方案1：合计2,500万元"))
    parts = first.dataframe[0].value
    assert list(parts["部分"]) == ["知识产权质押", "补充贷款"] and set(parts["结论"]) <= {"符合", "需补充"}
    assert parts["金额（万元）"].sum() == pytest.approx(2500)
    assert "可享补贴" in "\n".join(m.value for m in first.markdown)
    ranking = next(d.value for d in at.dataframe if "匹配分" in d.value)  # the product ranking still follows
    assert len(ranking) == 36


# -- chat ----------------------------------------------------------------------------------------------------

def _patent(digits: str) -> str:
    return f"ZL{digits}.{patent_check_char(digits)}"


def test_a_chat_recommendation_states_the_capacity_and_the_best_combination(sample_settings):
    dm = DialogueManager(sample_settings)
    dm.turn("我们在沣东新城，2018年成立，是高新技术企业，也是专精特新企业，员工80人，营收三千万，负债率40%，征信良好，已进白名单，想贷两千五百万，期限一年")
    dm.turn(f"拟质押的有两件：发明专利{_patent('202010111222')}，评估值1400万；发明专利{_patent('202110345678')}，评估值600万")
    reply = dm.turn("帮我看看能贷哪些产品")
    assert reply.intent == "matching"
    assert "可贷额度" in reply.reply and "1000万元" in reply.reply
    assert "可组合申请，合计2500万元" in reply.reply and "＋" in reply.reply
    assert len(reply.reply.splitlines()) <= 5  # short: the details are on the match page

    small = DialogueManager(sample_settings)  # a need one product covers: the 可贷额度, no combination
    small.turn("我们在沣东新城，2018年成立，是高新技术企业，员工80人，营收三千万，负债率40%，征信良好，想贷300万，期限一年")
    small.turn(f"拟质押发明专利{_patent('202010111222')}，评估值1400万")
    said = small.turn("帮我看看能贷哪些产品")
    assert said.intent == "matching" and "可贷额度" in said.reply and "组合" not in said.reply
