"""Rule by rule on a hand-made product, with the boundaries lenders care about."""

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from assistant.products.matcher import match_all, match_one, near_misses
from assistant.products.rules import evaluate
from assistant.products.schema import Product
from assistant.profile.model import Profile

TODAY = dt.date(2026, 11, 24)
FIRM = "示例科技有限公司"


def product(**over) -> Product:
    data = {
        "id": "test-ip-loan", "name": "测试知产贷", "institution": "长安银行", "category": "知识产权质押贷款",
        "summary": "测试", "amount": {"min": 500000, "max": 5000000}, "term_months": {"min": 6, "max": 36},
        "rate": {"text": "LPR+50BP", "min": 3.5, "max": 4.5}, "pledge_ratio": {"发明专利": 0.5, "实用新型": 0.3},
        "accepted_ip": ["发明专利", "实用新型"],
        "eligibility": {"regions": ["西咸新区"], "qualifications_any": ["科技型中小企业", "高新技术企业"], "min_years": 2,
                        "revenue": {"min": 1000000, "max": 200000000}, "max_debt_ratio": 0.7,
                        "ip_any": [{"types": ["发明专利"], "count": 1}, {"types": ["实用新型"], "count": 3}], "min_ip_remaining_years": 1},
        "documents": ["营业执照"], "process": ["申请"], "days_to_loan": 15,
        "contact": {"department": "测试部", "phone": "029-0000"}, "valid_from": "2021-06-18",
    }
    data.update(over)
    return Product.model_validate(data)


def firm(**over) -> Profile:
    data = {
        "name": FIRM, "region": "西咸新区沣东新城", "founded": "2024-11-24", "revenue": 1000000, "debt_ratio": 0.7,
        "qualifications": ["科技型中小企业"], "credit_ok": True,
        "ip_assets": [{"type": "发明专利", "status": "有效", "expires": "2035-01-01", "owner": FIRM, "pledged": False, "valuation": 4000000}],
        "need": {"amount": 2000000, "term_months": 24},
    }
    data.update(over)
    return Profile.model_validate(data)


def statuses(p: Product, f: Profile) -> dict[str, str]:
    return {r.rule: r.status for r in evaluate(p, f, TODAY)}


def test_exactly_at_every_limit_passes():
    m = match_one(product(), firm(), TODAY)
    assert m.eligible is True, m.reasons
    assert all(r["status"] == "pass" for r in m.reasons)


def test_one_day_short_of_the_years_fails_with_the_date_it_will_pass():
    m = match_one(product(), firm(founded="2024-11-25"), TODAY)
    assert m.eligible is False
    assert any("2026-11-25起" in h for h in m.hints)


@pytest.mark.parametrize(("field", "value", "rule"), [
    ("revenue", 999999, "revenue"), ("debt_ratio", 0.71, "debt_ratio"), ("region", "宝鸡市高新区", "region"),
    ("qualifications", ["专精特新"], "qualifications"), ("credit_ok", False, "credit"),
])
def test_just_past_a_limit_fails_that_rule(field, value, rule):
    assert statuses(product(), firm(**{field: value}))[rule] == "fail"


@pytest.mark.parametrize(("field", "rule"), [("region", "region"), ("founded", "min_years"), ("revenue", "revenue"),
                                             ("debt_ratio", "debt_ratio"), ("qualifications", "qualifications"), ("credit_ok", "credit")])
def test_missing_field_is_unknown_and_asked_for(field, rule):
    m = match_one(product(), firm(**{field: None}), TODAY)
    assert {r["rule"]: r["status"] for r in m.reasons}[rule] == "unknown"
    assert m.eligible is None and m.missing


def test_region_hierarchy_xixian_firm_fits_a_xian_product():
    assert statuses(product(eligibility={"regions": ["西安市"]}), firm())["region"] == "pass"
    assert statuses(product(eligibility={"regions": ["西咸新区"]}), firm(region="西安市雁塔区"))["region"] == "fail"


def test_ip_expiring_one_month_before_the_loan_ends_fails_and_suggests_a_shorter_term():
    ends = TODAY.replace(year=TODAY.year + 2) - dt.timedelta(days=31)  # loan of 24 months would outlive it
    f = firm(ip_assets=[{"type": "发明专利", "status": "有效", "expires": ends.isoformat(), "owner": FIRM, "pledged": False, "valuation": 4000000}])
    m = match_one(product(), f, TODAY)
    assert m.eligible is False
    assert {r["rule"]: r["status"] for r in m.reasons}["ip_term"] == "fail"
    assert any("缩短到22个月" in h for h in m.hints)


def test_pledged_or_foreign_owned_ip_does_not_count():
    pledged = firm(ip_assets=[{"type": "发明专利", "status": "有效", "owner": FIRM, "pledged": True}])
    other = firm(ip_assets=[{"type": "发明专利", "status": "有效", "owner": "别的公司", "pledged": False}])
    for f, why in ((pledged, "已被质押"), (other, "不是本企业")):
        m = match_one(product(), f, TODAY)
        assert m.eligible is False
        assert any(why in r["message"] for r in m.reasons)


def test_ip_counts_from_a_conversation_and_the_near_miss_hint():
    f = firm(ip_assets=None, ip_counts={"实用新型": 2})
    m = match_one(product(), f, TODAY)
    assert {r["rule"]: r["status"] for r in m.reasons}["ip_count"] == "fail"
    assert "再有1件有效发明专利，或再有1件有效实用新型即可申请" in m.hints
    assert near_misses([m]) == [m]


def test_amount_beyond_the_pledge_capacity_fails_with_the_capacity():
    f = firm(need={"amount": 2500000, "term_months": 24})  # 400万 × 50% = 200万
    m = match_one(product(), f, TODAY)
    assert m.eligible is False and any("200万元" in r["message"] for r in m.reasons)
    assert m.indicative_amount == {"min": 500000, "max": 2000000}


def test_ranking_puts_eligible_first_then_needs_info_then_ineligible():
    cheap = product(id="cheap-loan", rate={"text": "x", "min": 2.9, "max": 3.5})
    closed = product(id="closed-loan", eligibility={"regions": ["宝鸡市"]})
    unknown = product(id="needs-info", eligibility={"whitelist_required": True})
    ranked = match_all([closed, unknown, product(), cheap], firm(), TODAY)
    assert [m.product_id for m in ranked] == ["cheap-loan", "test-ip-loan", "needs-info", "closed-loan"]
    assert ranked[0].score > ranked[1].score


def test_cli_match_json_lists_every_product_and_rejects_a_bad_profile(tmp_path: Path):
    good = tmp_path / "firm.json"
    good.write_text(json.dumps({"name": FIRM, "region": "西咸新区", "qualifications": ["高新技术企业"], "ip_counts": {"发明专利": 2}}), encoding="utf-8")
    out = subprocess.run([sys.executable, "-m", "assistant.cli", "match", str(good), "--json"], capture_output=True, text=True, timeout=120,
                         env={**os.environ, "ASSISTANT_CORPUS_DIR": str(Path(__file__).resolve().parents[1] / "corpus")})
    assert out.returncode == 0, out.stderr
    matches = json.loads(out.stdout)["matches"]
    n_products = len([p for p in (Path(__file__).resolve().parents[1] / "corpus" / "products").glob("*.yaml") if p.name != "subsidies.yaml"])
    assert len(matches) == n_products
    assert set(matches[0]) >= {"product_id", "name", "institution", "category", "eligible", "score", "reasons", "missing", "indicative_amount", "subsidies"}
    order = {True: 0, None: 1, False: 2}
    assert [order[m["eligible"]] for m in matches] == sorted(order[m["eligible"]] for m in matches)

    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"name": FIRM, "uscc": "91110000600037341M"}), encoding="utf-8")
    out = subprocess.run([sys.executable, "-m", "assistant.cli", "match", str(bad)], capture_output=True, text=True, timeout=120)
    assert out.returncode != 0 and "校验位" in out.stderr and "Traceback" not in out.stderr


def test_subsidy_calculator_caps_rates_and_keeps_the_larger_of_city_and_district():
    from assistant.products.subsidies import estimate, load_book

    book = load_book(Path(__file__).resolve().parents[1] / "corpus")
    p = product(subsidies=["xx-interest", "xa-interest", "sx-valuation", "xx-guarantee"], rate={"text": "x", "min": 4.0, "max": 4.5})
    f = firm(need={"amount": 5000000, "term_months": 12})
    got = {e.id: e for e in estimate(book, p, f)}
    # 500万 × min(4.5%, 1.4 × 3.0%) × 50% = 10.5万 (the worked example of the Xixian rules)
    assert got["xx-interest"].amount == 105000 and got["xx-interest"].basis.doc_id == "xx-ip-interest-subsidy-2024"
    assert got["xa-interest"].amount == 67500 and not got["xa-interest"].counted  # 30% of 22.5万, the smaller: 就高不重复
    assert got["sx-valuation"].amount == 20000  # 0.5% of a 400万 valuation, fully refunded below the 5万 cap
    assert "首贷" not in got["xx-guarantee"].formula
    first = {e.id: e for e in estimate(book, p, f, first_loan=True)}
    assert first["xx-guarantee"].amount == 40000  # 500万 × 1% × 80%

    outside = firm(region="宝鸡市", need={"amount": 5000000, "term_months": 12})
    assert {e.id for e in estimate(book, p, outside)} == {"sx-valuation"}


def test_what_the_firm_states_and_the_product_sets_no_criterion_on_passes_as_unset():
    from assistant.products.rules import unset_criteria

    open_product = product(eligibility={"qualifications_any": ["高新技术企业"]})  # no age, revenue, debt, staff or place limit
    said = {r.rule: r for r in unset_criteria(open_product, firm(employees=None))}
    assert set(said) == {"founded", "revenue", "debt_ratio", "region"}  # the firm said nothing of its staff
    assert all(r.status == "pass" for r in said.values()) and "成立年限" in said["founded"].message
    assert unset_criteria(product(), firm()) == []  # every criterion the firm states is one this product sets
