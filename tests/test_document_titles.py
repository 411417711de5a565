"""A question that names a document by its title, as people shorten titles, prefers that document's passages; the
names are read from the indexed titles, so a document uploaded today is named by its own title."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from assistant.lexicon.titles import documents_named, title_names
from assistant.retrieval.hits import Hit
from assistant.retrieval.search import prefer_named_documents

TITLES = [
    "中华人民共和国反不正当竞争法",
    "中华人民共和国民法典 合同编",
    "中华人民共和国科学技术普及法",
    "某省中小微企业应急转贷资金管理办法",
    "某市应急转贷资金管理办法",
    "某区数据要素市场促进条例",
    "小微企业融资担保业务降费奖补资金管理暂行办法",
    "某省科技型企业贷款风险补偿（科贷通）管理办法",
    "服务中心常见问题解答",
]


def test_a_title_goes_by_its_own_name_its_short_forms_and_its_alias():
    assert {"反不正当竞争法", "中华人民共和国反不正当竞争法"} <= title_names(TITLES[0])
    assert "民法典" in title_names(TITLES[1])
    assert "科技普及法" in title_names(TITLES[2])  # 科学技术 is shortened to 科技
    assert any("科贷通管理办法" in n for n in title_names(TITLES[7]))  # the alias in brackets names it too


@pytest.mark.parametrize(("question", "named"), [
    ("依照民法典，保证期间怎么算？", {TITLES[1]}),
    ("反不正当竞争法里对商业秘密怎么规定？", {TITLES[0]}),
    ("科技普及法有没有提到企业的责任？", {TITLES[2]}),
    ("按那个数据要素市场促进条例，数据能入股吗？", {TITLES[5]}),
    ("降费奖补资金管理办法里奖补比例是多少？", {TITLES[6]}),
    ("科贷通管理办法第几条讲补偿？", {TITLES[7]}),
    # a kind of document, not one: “管理办法” ends several titles
    ("按管理办法，逾期多久可以申请补偿？", set()),
    ("实在没办法按期还款怎么办？", set()),
    ("这样约定合法吗？", set()),
    ("依法办理登记要多久？", set()),
])
def test_the_documents_a_question_names(question, named):
    assert documents_named(question, TITLES) == named


def test_the_named_documents_passages_step_up_and_so_do_passages_that_speak_of_it():
    chunks = [
        {"title": "某市应急转贷资金管理办法", "text": "转贷资金单笔使用期限不超过15天。"},
        {"title": "某省中小微企业应急转贷资金管理办法", "text": "转贷资金使用期限一般不超过10天。"},
        {"title": "服务中心常见问题解答", "text": "问：《某省中小微企业应急转贷资金管理办法》还有效吗？答：有效。"},
        {"title": "服务中心常见问题解答", "text": "问：转贷要多久？答：一般一周。"},
    ]
    snapshot = SimpleNamespace(chunks=chunks, titles=frozenset(c["title"] for c in chunks))
    hits = [Hit(idx=0, score=0.9), Hit(idx=3, score=0.85), Hit(idx=1, score=0.8), Hit(idx=2, score=0.75)]
    ranked = prefer_named_documents("按省里的中小微企业应急转贷资金管理办法，转贷资金能用多少天？", hits, snapshot, 0.2)
    assert [h.idx for h in ranked][:2] == [1, 2]
    unnamed = prefer_named_documents("转贷资金能用多少天？", [Hit(idx=0, score=0.9), Hit(idx=1, score=0.8)], snapshot, 0.2)
    assert [h.idx for h in unnamed] == [0, 1]
