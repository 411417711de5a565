"""The numpy batch path gives exactly the verdicts of the explained per-pair matcher, on random profiles."""

import datetime as dt
import math
from pathlib import Path

import numpy
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assistant.products.catalog import get_catalog
from assistant.products.matcher import match_one
from assistant.products.vectorized import batch_verdicts
from assistant.profile.model import Profile

TODAY = dt.date(2026, 11, 24)
CATALOG = get_catalog(Path(__file__).resolve().parents[1] / "corpus")
NAME = "示例科技有限公司"
IP = ["发明专利", "实用新型", "外观设计", "商标", "著作权", "软件著作权"]

maybe = lambda s: st.none() | s  # noqa: E731
asset = st.fixed_dictionaries({
    "type": st.sampled_from(IP),
    "status": st.sampled_from(["有效", "失效", None]),
    "expires": maybe(st.dates(dt.date(2025, 1, 1), dt.date(2040, 1, 1))),
    "owner": st.sampled_from([NAME, "别的公司", None]),
    "pledged": maybe(st.booleans()),
    "valuation": maybe(st.integers(100_000, 20_000_000).map(float)),
})
profile = st.fixed_dictionaries({
    "name": st.just(NAME),
    "region": maybe(st.sampled_from(["西咸新区沣东新城", "西安市雁塔区", "宝鸡市", "陕西省", "北京市"])),
    "founded": maybe(st.dates(dt.date(2015, 1, 1), dt.date(2026, 11, 24))),
    "employees": maybe(st.integers(1, 800)),
    "revenue": maybe(st.integers(0, 300_000_000).map(float)),
    "debt_ratio": maybe(st.floats(0, 1)),
    "qualifications": maybe(st.lists(st.sampled_from(["科技型中小企业", "高新技术企业", "专精特新", "秦创原入驻企业"]), max_size=3)),
    "whitelist": maybe(st.booleans()),
    "credit_ok": maybe(st.booleans()),
    "ip_assets": maybe(st.lists(asset, max_size=4)),
    "ip_counts": maybe(st.dictionaries(st.sampled_from(IP), st.integers(0, 12), max_size=3)),
    "need": maybe(st.fixed_dictionaries({"amount": maybe(st.integers(100_000, 40_000_000).map(float)), "term_months": maybe(st.integers(1, 72))})),
})

# Profiles near the middle of most products' ranges, so every rule is also exercised on its pass side.
good_asset = st.fixed_dictionaries({
    "type": st.sampled_from(["发明专利", "实用新型", "商标", "软件著作权"]),
    "status": st.just("有效"),
    "expires": st.dates(dt.date(2027, 6, 1), dt.date(2040, 1, 1)),
    "owner": st.just(NAME),
    "pledged": st.just(False),
    "valuation": st.integers(1_000_000, 30_000_000).map(float),
})
good_profile = st.fixed_dictionaries({
    "name": st.just(NAME),
    "region": st.sampled_from(["西咸新区沣东新城", "西安市高新区"]),
    "founded": st.dates(dt.date(2015, 1, 1), dt.date(2023, 11, 24)),
    "employees": st.integers(20, 300),
    "revenue": st.integers(3_000_000, 150_000_000).map(float),
    "debt_ratio": st.floats(0.1, 0.65),
    "qualifications": st.just(["科技型中小企业", "高新技术企业", "专精特新", "秦创原入驻企业"]),
    "whitelist": st.booleans(),
    "credit_ok": st.just(True),
    "ip_assets": maybe(st.lists(good_asset, min_size=3, max_size=8)),
    "ip_counts": st.just({"发明专利": 6, "实用新型": 10, "商标": 3, "软件著作权": 8}),
    "need": st.fixed_dictionaries({"amount": st.integers(500_000, 8_000_000).map(float), "term_months": st.integers(6, 36)}),
})


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(profile | good_profile, min_size=1, max_size=8))
def test_vectorized_verdicts_equal_match_one(raw):
    firms = [Profile.model_validate(r) for r in raw]
    matrix = batch_verdicts(CATALOG, firms, TODAY)
    for i, f in enumerate(firms):
        for j, p in enumerate(CATALOG):
            expected = match_one(p, f, TODAY).eligible
            got = matrix[i, j]
            assert (math.isnan(got) and expected is None) or (got == 1.0 and expected is True) or (got == 0.0 and expected is False), (p.id, raw[i])


def test_fixed_profiles_reach_every_verdict_and_agree():
    good = {"name": NAME, "region": "西咸新区", "founded": "2016-01-01", "employees": 120, "revenue": 50_000_000, "debt_ratio": 0.4,
            "qualifications": ["科技型中小企业", "高新技术企业", "专精特新", "秦创原入驻企业"], "whitelist": True, "credit_ok": True,
            "ip_counts": {"发明专利": 6, "实用新型": 10, "商标": 3, "软件著作权": 8}, "need": {"amount": 3_000_000, "term_months": 24}}
    partial = {"name": NAME, "ip_counts": {"发明专利": 2}}
    bad = {**good, "credit_ok": False}
    firms = [Profile.model_validate(x) for x in (good, partial, bad)]
    matrix = batch_verdicts(CATALOG, firms, TODAY)
    assert (matrix[0] == 1.0).any() and numpy.isnan(matrix[1]).any() and (matrix[2] == 0.0).all()
    for i, f in enumerate(firms):
        got = [None if math.isnan(x) else bool(x) for x in matrix[i]]
        assert got == [match_one(p, f, TODAY).eligible for p in CATALOG]
