"""The 匹配度 score: its verdict bands never contradict the ranking, and it measures the firm's fit to the product
(need, IP, finances), not the product alone."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assistant.products.batch import reverse_match
from assistant.products.matcher import match_all, match_one
from assistant.products.schema import Product
from assistant.profile.model import Profile
from tests.test_matcher_vectorized import CATALOG, TODAY, good_profile, profile

# Written down here, not imported: the bands are the contract the UI and staff read scores by.
BANDS = {True: (60.0, 100.0), None: (30.0, 59.9), False: (0.0, 29.9)}
FIRM = "示例科技有限公司"
BY_ID = {p.id: p for p in CATALOG}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(profile | good_profile, min_size=1, max_size=3))
def test_score_band_follows_the_verdict_and_never_contradicts_the_ranking(raw):
    for r in raw:
        ranked = match_all(CATALOG, Profile.model_validate(r), TODAY)
        for m in ranked:
            lo, hi = BANDS[m.eligible]
            assert lo <= m.score <= hi, (m.product_id, m.eligible, m.score, m.score_parts)
            assert all(v >= 0 for v in m.score_parts.values()), m.score_parts
            assert sum(m.score_parts.values()) == pytest.approx(m.score, abs=0.051), m.score_parts
        scores = [m.score for m in ranked]
        assert scores == sorted(scores, reverse=True), [(m.product_id, m.eligible, m.score) for m in ranked]


def _asset(valuation: float = 4_000_000, expires: str = "2031-06-01", kind: str = "发明专利") -> dict:
    return {"type": kind, "status": "有效", "expires": expires, "owner": FIRM, "pledged": False, "valuation": valuation}


def _firm(**over) -> Profile:
    """Eligible for 秦创贷 with room on every side, but not a lot of it."""
    data = {
        "name": FIRM, "region": "西咸新区沣东新城", "founded": "2023-06-01", "revenue": 2_000_000, "debt_ratio": 0.55,
        "qualifications": ["科技型中小企业"], "credit_ok": True, "ip_assets": [_asset()],
        "need": {"amount": 1_500_000, "term_months": 24},
    }
    data.update(over)
    return Profile.model_validate(data)


def _score(f: Profile, product_id: str = "cab-qinchuangdai") -> float:
    m = match_one(BY_ID[product_id], f, TODAY)
    assert m.eligible is True, m.reasons
    return m.score


@pytest.mark.parametrize(("better", "why"), [
    ({"debt_ratio": 0.30}, "lower debt ratio, further under the 70% cap"),
    ({"revenue": 8_000_000}, "revenue well above the 100万 minimum"),
    ({"founded": "2018-06-01"}, "years since founding well past the minimum"),
    ({"ip_assets": [_asset(), _asset(kind="发明专利")]}, "more IP items than required (and more pledge capacity)"),
    ({"ip_assets": [_asset(valuation=9_000_000)]}, "IP valued well above what the loan needs"),
    ({"ip_assets": [_asset(expires="2036-01-01")]}, "IP with more remaining term than the loan and the product need"),
    ({"need": {"amount": 800_000, "term_months": 24}}, "a need the IP covers with room to spare"),
])
def test_each_firm_factor_moves_the_score_the_expected_way(better, why):
    assert _score(_firm(**better)) > _score(_firm()), why


def test_an_unstated_need_fits_less_than_a_stated_one_that_fits():
    assert _score(_firm(need=None)) < _score(_firm())


def test_three_different_firms_get_three_different_scores_for_one_product():
    strong = _firm(founded="2016-01-01", revenue=30_000_000, debt_ratio=0.25, need={"amount": 1_000_000, "term_months": 12},
                   ip_assets=[_asset(valuation=8_000_000, expires="2040-01-01"), _asset(valuation=6_000_000, expires="2040-01-01"),
                              _asset(valuation=3_000_000, expires="2036-01-01", kind="实用新型")])
    middle = _firm()
    weak = _firm(founded="2025-06-01", revenue=1_100_000, debt_ratio=0.68, need={"amount": 1_950_000, "term_months": 36},
                 ip_assets=[_asset(expires="2030-01-01")])
    ranked = reverse_match(BY_ID["cab-qinchuangdai"], [(2, weak), (3, middle), (4, strong)], TODAY)
    assert [r for r, _, _ in ranked] == [4, 3, 2]
    scores = [m.score for _, _, m in ranked]
    assert len(set(scores)) == 3 and all(m.eligible is True for _, _, m in ranked)


def _product(**over) -> Product:
    base = BY_ID["cab-qinchuangdai"].model_dump()
    base.update(over)
    return Product.model_validate(base)


def test_for_one_firm_better_terms_rank_first_and_for_one_product_the_firm_decides():
    """Forward matching orders the products a firm qualifies for as an officer would (the need, then the terms);
    reverse matching, where every firm sees the same terms, orders firms by their fit."""
    f = _firm()
    cheap_fast = match_one(_product(rate={"text": "x", "min": 2.5, "max": 3.0}, days_to_loan=5, subsidies=["xx-interest", "sx-valuation", "xx-guarantee"]), f, TODAY)
    dear_slow = match_one(_product(rate={"text": "x", "min": 6.0, "max": 6.5}, days_to_loan=30, subsidies=[]), f, TODAY)
    assert cheap_fast.eligible is dear_slow.eligible is True and cheap_fast.score > dear_slow.score
    strong = match_one(BY_ID["cab-qinchuangdai"], _firm(founded="2016-01-01", revenue=30_000_000, debt_ratio=0.2,
                                                        ip_assets=[_asset(valuation=9_000_000, expires="2040-01-01")] * 2,
                                                        need={"amount": 800_000, "term_months": 12}), TODAY)
    weak = match_one(BY_ID["cab-qinchuangdai"], _firm(founded="2025-11-01", revenue=1_000_000, debt_ratio=0.7, need=None,
                                                      ip_assets=[_asset(valuation=1_000_000, expires="2030-01-01")]), TODAY)
    assert strong.score - weak.score >= 10  # a quarter of the eligible band and more


def test_parts_are_named_and_explained_in_chinese():
    m = match_one(BY_ID["cab-qinchuangdai"], _firm(), TODAY)
    assert set(m.score_parts) == {"base", "need", "headroom", "data", "product"}
    assert m.score_parts["base"] == 60.0
    assert set(m.score_notes) == {"base", "need", "headroom", "data", "product"}
    assert "符合" in m.score_notes["base"]
    assert "质押" in m.score_notes["need"] and "150万元" in m.score_notes["need"]
    assert "55%" in m.score_notes["headroom"] and "70%" in m.score_notes["headroom"]


def test_the_score_of_a_near_miss_ranks_it_within_the_ineligible_band():
    """Among products a firm does not qualify for, one failing by a little scores above one failing on everything."""
    near = match_one(BY_ID["cab-qinchuangdai"], _firm(debt_ratio=0.72), TODAY)
    far = match_one(BY_ID["cab-qinchuangdai"], _firm(debt_ratio=0.95, region="北京市", revenue=10_000, founded="2026-06-01"), TODAY)
    assert near.eligible is False and far.eligible is False
    assert 0 <= far.score < near.score < 30


def test_eligible_products_always_outscore_needs_info_ones_for_the_same_firm():
    day = dt.date(2026, 11, 24)
    f = _firm(whitelist=None)
    ranked = match_all(CATALOG, f, day)
    eligible = [m.score for m in ranked if m.eligible is True]
    pending = [m.score for m in ranked if m.eligible is None]
    assert eligible and pending and min(eligible) > max(pending)
