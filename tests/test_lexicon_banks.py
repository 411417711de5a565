"""Banks by the names people use, derived from the catalog's institutions: the dialogue finds a product pointed at
by a bank's short name through this one lexicon."""

from __future__ import annotations

import pytest

from assistant.dialogue.intents import fuzzy_reference
from assistant.lexicon.banks import alternation, banks_named, short_names


@pytest.mark.parametrize(("institution", "names"), [
    ("中国建设银行", {"建设银行", "建行"}),
    ("中国农业银行", {"农业银行", "农行"}),
    ("中国银行", {"中行"}),
    ("交通银行", {"交行"}),  # listed: never 交通
    ("秦农银行", {"秦农"}),
    ("中国邮政储蓄银行", {"邮储"}),
])
def test_short_names(institution, names):
    got = set(short_names(institution))
    assert institution in got and names <= got
    assert "交通" not in short_names("交通银行") and "长行" not in short_names("长安银行")


def test_banks_named_in_text_keep_catalog_order():
    catalog = ["中国银行", "中国建设银行", "秦农银行", "交通银行"]
    assert banks_named("建行那个和秦农那个哪个利率低", catalog) == ["中国建设银行", "秦农银行"]
    assert banks_named("我们擅长行业软件，交通运输方向", catalog) == []
    assert alternation(["中国建设银行"]).split("|")[0] == "中国建设银行"  # longest first


@pytest.mark.parametrize(("text", "points"), [
    ("建行那个利率多少？", True),
    ("秦农的那款要抵押吗", True),
    ("中行这个审批快吗", True),
    ("担保类的那个能贷多少", True),
    ("我们擅长行业软件", False),
    ("交通那个方案怎么样", False),
])
def test_a_product_pointed_at_by_bank_or_kind(text, points):
    assert fuzzy_reference(text) is points


@pytest.mark.parametrize(("text", "said"), [
    ("宁波银行有没有科技贷？", ["宁波银行"]),  # a city heads a bank
    ("户县那边的鄠邑农商银行能做吗", ["鄠邑农商银行"]),  # a district heads a rural bank
    ("招行和工行哪个快", ["招行", "工行"]),  # listed, by their short names
    ("上海浦东发展银行的产品", ["上海浦东发展银行"]),  # listed whole: no 上海银行 inside it
    ("合作银行和商业银行都可以", []),  # named by role
    ("西咸新区银行多不多", []),  # a zone's banks
    ("陕西银行业的不良率", []),  # a province's banks, the sector
    ("北京银行业协会发布了报告", []),
    ("加工行业的企业能申请贴息吗", []),  # 工行 inside 加工行业 is no bank
    ("中央行政部门的规定", []),
    ("西安市银行贷款贴息多少", []),  # the city's bank loans, said with its suffix
    ("西安银行卡能用吗", []),
])
def test_banks_named_by_their_own_name(text, said):
    from assistant.lexicon.banks import named_banks

    assert [b.said for b in named_banks(text)] == said


def test_a_bank_named_after_a_place_names_no_place():
    from assistant.lexicon.places import gazetteer

    g = gazetteer()
    assert [m.place.name for m in g.find("北京银行的知识产权质押贷款利率多少")] == []
    assert [m.place.name for m in g.find("北京的银行能做知识产权质押贷款吗")] == ["北京市"]
    assert [m.place.name for m in g.find("江苏银行在西安有分行吗")] == ["西安市"]  # a listed bank: no 江苏
    assert [m.place.name for m in g.find("陕西银行业的不良率")] == ["陕西省"]
    assert g.banks("我们在宁波银行和西安银行都有户") == [(3, "宁波银行"), (8, "西安银行")]


def test_a_rural_bank_goes_by_every_form_of_its_kind():
    from assistant.lexicon.banks import named_banks

    (bank,) = named_banks("鄠邑农商银行能做专利质押吗")
    assert {"鄠邑农商银行", "鄠邑农商行", "鄠邑农村商业银行"} <= set(bank.names)
