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
