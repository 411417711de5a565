"""Answers that conclude: a yes/no about the firm's own condition leads with the verdict the rules give, two or more
products get a comparison from their records, and a several-part question gets every part answered or said to be
unanswered. Cases are written for the mechanism; the figures come from the sample records and documents."""

import datetime as dt
import re

import pytest

from assistant.answer.pipeline import ask
from assistant.answer.products import amount_span
from assistant.answer.types import Citation
from assistant.answer.verdict import (
    Verdict,
    bounds,
    elapsed,
    for_question,
    lead,
    policy_verdict,
    stance_verdict,
    stated_dates,
    stated_figures,
)
from assistant.evaluation.kinds import verdict
from assistant.lexicon.titles import title_topics
from assistant.products.catalog import catalog_for
from tests.text_checks import assert_one_part_unanswered


def _cite(n: int, text: str) -> Citation:
    return Citation(n=n, doc_id="d", title="t", source="s", text=text, chunk_id=f"c{n}")


def test_bounds_are_read_from_clauses():
    found = bounds("（二）贷款期限在6个月以上（含6个月）；（五）最近一期资产负债率不高于70%；单笔最高600万元。", 1)
    said = {(b.op, b.value, b.unit) for b in found}
    assert (">=", 6, "月") in said and ("<=", 70, "%") in said and ("<=", 600, "万") in said


def test_a_share_of_a_base_is_bounded_by_the_word_before_the_base():
    found = bounds("保证保险的年费率不得超过贷款本金的2%；质押率不高于评估值的40%；按实际支付评估费的100%给予补助。", 1)
    said = {(b.op, b.value, b.unit) for b in found}
    assert ("<=", 2, "%") in said and ("<=", 40, "%") in said and not any(b.value == 100 for b in found)
    v, _ = policy_verdict("保险费是贷款本金的2.5%，年费率合规吗？", [_cite(1, "保证保险的年费率不得超过贷款本金的2%。")])
    assert not v.ok and "2%" in v.reasons[0]


def test_a_maturity_class_is_no_bound():
    found = bounds("计算贴息的年利率不超过同期一年期贷款市场报价利率的1.4倍；贷款期限不超过3年。", 1)
    assert [(b.op, b.value, b.unit) for b in found] == [("<=", 3, "年")]


def test_a_stated_figure_meets_the_bound_on_the_same_quantity():
    cited = [_cite(1, "申请企业应当符合：注册满1年；资产负债率不高于65%；研发人员占比不低于10%。")]
    v, ns = policy_verdict("我们研发人员占比12%，负债率68%，能申请吗？", cited)
    assert not v.ok and ns == [1] and any("68%" in r and "65%" in r for r in v.reasons)
    v, _ = policy_verdict("我们负债率58%，研发人员占比15%，符合吗？", cited)
    assert v.ok


def test_no_bound_on_the_quantity_gives_no_verdict():
    cited = [_cite(1, "申请企业应当依法纳税，近两年无严重失信记录。")]
    assert policy_verdict("我们负债率58%，能申请吗？", cited) is None
    assert stated_figures("2023年成立，营收800万")[0].unit == "万"  # a year is no figure


_TITLES = frozenset({"某市创新型企业白名单管理办法", "某市知识产权质押融资贴息办法", "某市知识产权质押融资转贷基金管理办法",
                     "某市加强知识产权质押融资工作的通知", "专利权质押登记办法", "某市知识产权质押融资保费补贴办法"})


def test_what_documents_are_about_is_read_off_their_titles():
    counts = title_topics(_TITLES, common=frozenset({"企业"}))
    topics = set(counts)
    assert {"白名单", "贴息", "基金", "质押登记"} <= topics and counts["白名单"] == 1
    assert "知识产权" not in topics and "办法" not in topics  # most titles say them: about everything, so about nothing
    assert "加强" not in topics  # what is done, not what a document is about
    assert "保费补贴" in topics and "保费" not in topics  # words as words: 保费 is a piece of 保费补贴
    assert not topics & {"企业"}  # a word most passages say is no topic either


def test_a_bound_decides_only_questions_about_what_it_speaks_of():
    topics = title_topics(_TITLES, common=frozenset({"企业"}))
    listed = [Citation(n=1, doc_id="fund", title="某市知识产权质押融资转贷基金管理办法", source="s", chunk_id="c1",
                       text="第八条 纳入保障范围的贷款应当同时符合下列条件：（一）借款人为本市企业；（二）贷款期限不超过2年。")]
    asked_of_other = "我们这笔贷款期限3年，质押登记办得下来吗？"
    assert policy_verdict(asked_of_other, listed, topics=topics) is None  # a condition of the fund's cover
    v, _ = policy_verdict("贷款期限3年，转贷基金能保吗？", listed, topics=topics)  # the fund is what is asked
    assert not v.ok and any("2年" in r for r in v.reasons)
    v, _ = policy_verdict("贷款期限1年，能纳入吗？", listed, topics=topics)  # no topic asked: judged as before
    assert v.ok
    # a rule's own case clause says what it is about
    guide = [Citation(n=1, doc_id="guide", title="某市企业办事指南", source="s", chunk_id="g1",
                      text="申请转贷基金保障的，贷款期限不超过2年。")]
    v, _ = policy_verdict("贷款期限3年，转贷基金能保吗？", guide, topics=topics)
    assert not v.ok
    # of several topics named, the one fewest documents are about decides (a guide about everything says 办事)
    v, _ = policy_verdict("贷款期限3年，办事指南里转贷基金能保吗？", guide, topics={**topics, "办事": 3})
    assert not v.ok
    assert policy_verdict("贷款期限3年，办事指南里白名单能进吗？", guide, topics={**topics, "办事": 3}) is None
    # an FAQ entry speaks of what its questions ask, 相似问 included
    faq = [_cite(1, "问：长期贷款保不保？\n答：贷款期限不超过2年。")]
    assert policy_verdict("贷款期限3年，转贷基金能保吗？", faq, topics=topics) is None
    v, _ = policy_verdict("贷款期限3年，转贷基金能保吗？", faq, topics=topics, about={"c1": "问：长期贷款保不保？ 转贷基金管多久的贷款"})
    assert not v.ok


def test_a_figure_checked_against_another_programmes_condition_gets_no_verdict(sample_settings):
    # the whitelist's debt ratio says nothing of a registration or of another programme's subsidy
    for question in ("我们资产负债率75%，这次去国知局办专利的质押登记，办得成吗？", "资产负债率80%，能申请秦科保保费补贴吗？"):
        assert verdict(ask(question, sample_settings, use_llm=False).answer) is None, question
    assert verdict(ask("我们资产负债率75%，能进融资白名单吗？", sample_settings, use_llm=False).answer) == "否"


def test_a_rule_on_another_act_or_another_case_decides_no_permission():
    def decided(question: str, text: str) -> str | None:
        found = stance_verdict(question, [_cite(1, text)], text)
        return None if found is None else found[0].words[0 if found[0].ok else 1]

    # 单独 said of signing the contract, the act asked (质押) said before the modal as what the rule is about
    assert decided("外观设计专利能不能单独质押？", "质押合同可以单独订立，也可以是主合同中的担保条款。") is None
    # the act said in other words (单独用 as 单独实施) is still decided by how it is done
    assert decided("我们跟合作方一起申请的专利，当时没签啥约定，现在我们能不能自己单独用？", "没有约定的，共有人可以单独实施或者以普通许可方式许可他人实施该专利。") == "可以"
    # a state said of the thing the rule is about (尚未授权的…) is a case the question must be in
    assert decided("共有专利能不能拿去质押？", "尚未授权的专利申请不能办理质押登记。") is None
    assert decided("还没授权的专利申请能拿去质押吗？", "尚未授权的专利申请不能办理质押登记。") == "不能"
    assert decided("已授权的专利申请能拿去质押吗？", "尚未授权的专利申请不能办理质押登记。") is None  # the opposite case
    # a case of what was not done is not met where the question says it was done, in whatever clause it is said
    rule = "合作银行应当在放款后30日内备案。未按期备案的贷款，不纳入代偿范围。"
    assert decided("我们按期备案了，这笔贷款能纳入代偿吗？", rule) is None
    assert decided("我们没按期备案，这笔贷款还能纳入代偿吗？", rule) == "不能"
    assert decided("我们的专利已经授权了，能拿去押吗？", "专利申请还没授权的不能质押。") is None
    # whose it is (企业缴纳的…), or what has been done with it (已支付的…), is no case
    assert decided("这笔保费能不能申请补贴？", "企业缴纳的保费可以申请补贴。") == "可以"
    assert decided("担保费能不能申请补助？", "企业已支付的担保费可以申请补助。") == "可以"


def test_a_share_a_benefit_pays_is_no_figure_of_the_firms():
    cited = [_cite(1, "担保费率不超过1%的，按实际支付担保费的50%补助，首贷企业提高到80%。")]
    assert [f.paid for f in stated_figures("我们是首贷企业，担保费能补到80%吗？")] == [True]
    assert [f.paid for f in stated_figures("补助比例能不能到60%？")] == [True]
    assert policy_verdict("我们是首贷企业，担保费能补到80%吗？", cited) is None  # not a fee rate above 1%
    v, _ = policy_verdict("担保费率1.2%，能补吗？", cited)  # the firm's own rate is still judged
    assert not v.ok
    # … and a share paid is judged by a bound on what is paid
    v, _ = policy_verdict("保险的赔付比例能到40%吗？", [_cite(1, "保证保险对贷款本金损失的赔付比例不低于50%。")])
    assert not v.ok


def test_consent_not_yet_given_and_a_licence_are_read_as_such():
    rule = "质押期间，出质人不得转让或者许可他人使用出质的商标，但经质权人同意的除外。"

    def decided(question: str) -> str | None:
        found = stance_verdict(question, [_cite(1, rule)], rule)
        return None if found is None else found[0].words[0 if found[0].ok else 1]

    assert decided("商标押在银行，想转给子公司，银行还没点头，我们能先去办转让吗？") == "不能"
    assert decided("商标押在银行，想转给子公司，银行已经点头了，我们能去办转让吗？") == "可以"
    assert decided("商标押在银行，想转给子公司，银行没犹豫就点头了，我们能去办转让吗？") == "可以"  # 没 denies 犹豫
    # 许可 is a licence, not a modal that allows what follows it
    assert decided("共有的商标，我们想自己一家去登记出质，行不行？") is None


def test_a_check_whether_the_firm_cannot_is_answered_in_its_own_terms(sample_settings):
    cannot = ask("我们最近一期资产负债率76%，是不是就进不去西咸的白名单了？", sample_settings, use_llm=False).answer
    can = ask("我们最近一期资产负债率62%，是不是就进不去西咸的白名单了？", sample_settings, use_llm=False).answer
    assert cannot.startswith("是：") and "76%" in cannot
    assert can.startswith("不是：") and "62%" in can
    assert verdict(cannot) == "是" and verdict(can) == "否"
    # a bound that sets off a sanction when met already answers in the inability's polarity: 符合 says it follows
    sanction = [_cite(1, "合作银行备案贷款的不良率超过5%时，暂停其新增备案。")]
    v, _ = policy_verdict("我们行备案贷款不良率到了6%，是否就没法新增备案了？", sanction)
    assert v.sanction and for_question("我们行备案贷款不良率到了6%，是否就没法新增备案了？", v) is v
    # reassurance asked (是不是不会…) and a question of two asks are left as the rules word them
    plain = Verdict(True, ["…"])
    assert for_question("资产负债率65%，是不是不会被拒？", plain) is plain
    assert for_question("负债率65%能进白名单吗？是不是就拿不到贴息了？", plain) is plain


def test_a_check_whether_the_firm_is_over_a_limit_or_late_is_answered_in_its_own_terms():
    today = dt.date(2026, 7, 20)
    report = [_cite(1, "入库企业的名称、住所发生变更的，应当自变更之日起20日内向管理机构报告。")]
    late = "公司名称今年6月2号变更了，到现在还没向管理机构报告，是不是已经超期了？"
    v, _ = policy_verdict(late, report, today)
    said = for_question(late, v)
    assert said.ok and said.words == ("是", "不是") and verdict(lead(said)) == "是"  # failing the limit: late, yes
    on_time = "公司住所7月10号变更了，到现在还没向管理机构报告，算不算逾期？"
    assert verdict(lead(for_question(on_time, policy_verdict(on_time, report, today)[0]))) == "否"
    # a figure over a limit, asked whether it is over
    ratio = [_cite(1, "申请企业的资产负债率不高于65%。")]
    for over, said_first in (("我们资产负债率68%，超出要求了吗？", "是"), ("我们资产负债率60%，是不是超标了？", "否")):
        assert verdict(lead(for_question(over, policy_verdict(over, ratio)[0]))) == said_first, over


@pytest.mark.parametrize("question", [
    "贷款利率5%，超过上限的部分能贴息吗？",  # a part of an amount, and a modal after it
    "担保费率1.8%，超出1%的那部分有补助吗？",  # a part, named by its figure
    "资产负债率68%，有逾期贷款会影响申报吗？",  # a loan's state, not a check
    "贷款期限想做5年，可以超过4年吗？",  # leave asked
    "资产负债率68%，是不是没超过上限？",  # asked the other way round
    "企业逾期都100天了，能申请补偿吗？",  # a bare 了 states
])
def test_words_of_being_over_that_check_nothing_leave_the_verdict_as_worded(question):
    plain = Verdict(False, ["…"], limit="figure")
    assert for_question(question, plain) is plain


def test_being_over_is_said_only_of_the_limit_kind_asked_and_not_over_only_when_every_figure_was_judged():
    ratio = [_cite(1, "申请企业的资产负债率不高于65%。")]
    # a lateness asked, a ratio judged: no lateness said
    mixed = "资产负债率60%，我们7月20号才交的申报材料，是不是超期了？"
    v = policy_verdict(mixed, ratio, dt.date(2026, 7, 25))[0]
    assert for_question(mixed, v).words == ("符合", "不符合")
    # a figure no bound judged (职工600人) leaves “not over” unsaid; one over its limit is over whatever else is said
    for fine in ("资产负债率60%，职工600人，超过要求了吗？", "资产负债率60%，职工60人，超过要求了吗？"):
        assert for_question(fine, policy_verdict(fine, ratio)[0]).words == ("符合", "不符合"), fine
    # a calendar date is no figure left unjudged
    dated = "2025年底资产负债率60%，超过要求了吗？"
    assert verdict(lead(for_question(dated, policy_verdict(dated, ratio)[0]))) == "否"
    over = "资产负债率70%，职工600人，超过要求了吗？"
    assert verdict(lead(for_question(over, policy_verdict(over, ratio)[0]))) == "是"


def test_a_qualification_condition_is_met_by_one_held_and_failed_when_every_alternative_is_denied():
    rule = [_cite(1, "申请补助的企业应当具有独立法人资格，属于科技型中小企业或者高新技术企业。")]

    def said(question: str, cited: list[Citation] = rule, **kw: object) -> str | None:
        decided = policy_verdict(question, cited, **kw)
        return None if decided is None else verdict(lead(for_question(question, decided[0])))

    assert said("我们是科小，能申请保费补助吗？") == "是"
    # denied, or lapsed (有效期), or only another qualification held: no alternative holds
    assert said("我们高企证书去年到期了，还没重新认定，也不是科技型中小企业，能申请保费补助吗？") == "否"
    assert said("我们只有瞪羚企业的称号，能申请保费补助吗？") == "否"
    # one alternative denied and the other not spoken of: not decided
    assert said("我们不是高企，能申请保费补助吗？") is None
    # a qualification named as a case, not required (…的贴息比例提高到60%): no condition
    assert said("公司属于高新技术企业，能申请贴息吗？", [_cite(1, "高新技术企业的贴息比例提高到60%。")]) is None
    assert said("我们是科小，能申请吗？", [_cite(1, "为缓解本市科技型中小企业融资难问题，制定本办法。")]) is None  # a purpose
    # the subject of another measure (属于…高新技术企业优先安排), an item of a list of materials, a field of work
    for other in ("对属于本区重点扶持的高新技术企业优先安排资金。", "申请应当提交下列材料：（一）申请表；（二）高新技术企业证书。",
                  "申请企业应当从事高新技术产品研发。"):
        assert said("我们不是高企，科小也没入库，能申请吗？", [_cite(1, other)]) is None, other
    # no claim of the firm's: a step under way, a hypothesis, what a kind of firm may do, a doubt
    for unclaimed in ("高企认定还在走程序，能申请保费补助吗？", "要是明年评上高企，能申请保费补助吗？",
                      "高企能拿补助，那我们能申请保费补助吗？"):
        assert said(unclaimed) is None, unclaimed
    # 只有 says nothing else is held only of a qualification it names (只有一件发明专利 is a patent count)
    assert said("我们是专精特新企业，只有一件发明专利，能申请保费补助吗？") is None
    # conditions that must all hold: one failed fails the whole
    both = [_cite(1, "申请企业应当同时符合下列条件：（一）属于高新技术企业；（二）并且属于专精特新企业或者瞪羚企业。")]
    assert said("公司是高企，但不是专精特新企业，也不是瞪羚企业，能申请吗？", both) == "否"
    assert said("公司是高企，能申请吗？", both) is None  # the second condition not spoken of
    # a condition in a list of conditions, of the programme asked about only
    listed = [_cite(1, "申请贴息的企业应当同时符合下列条件：（一）在本区注册；（二）属于高新技术企业、专精特新企业之一；（三）无失信记录。")]
    topics = {"贴息": 2, "保费补贴": 1}
    assert said("我们是专精特新企业，能申请贴息吗？", listed, topics=topics) == "是"
    assert said("我们是专精特新企业，能申请保费补助吗？", listed, topics=topics) is None


def test_registration_outside_the_required_place_is_a_no():
    cited = [_cite(1, "申请企业应当在西咸新区注册登记，具有独立法人资格。")]
    v, _ = policy_verdict("公司注册在咸阳市，能申请吗？", cited)
    assert not v.ok
    v, _ = policy_verdict("公司注册在沣东新城，能申请吗？", cited)  # 沣东新城 lies within 西咸新区
    assert v.ok


def test_where_the_firm_is_registered_is_read_only_where_the_question_says_so():
    from assistant.retrieval.regions import registered_place

    assert registered_place("公司注册在沣东新城，能申请吗？").name == "沣东新城"
    assert registered_place("我们在沣西，能申请吗？").name == "沣西新城"
    assert registered_place("我们是在西安高新区注册的企业") is not None
    assert registered_place("数据资产做了登记，在西咸新区能拿它去质押吗？") is None  # where it is done, not registered
    # whose firm it is says where firms are, not where this one is registered (非西咸新区的企业, 西安的企业)
    assert registered_place("非西咸新区的企业能申请贴息吗？") is None
    assert registered_place("西安这边的公司能进白名单吗？") is None
    cited = [_cite(1, "申请企业应当在西咸新区注册登记。")]
    assert policy_verdict("公司注册地在西咸新区，材料是直接送市科技局吗？", cited) is None  # asks where, not whether eligible


def test_a_yes_no_form_beside_a_figure_asked_is_no_yes_no_question():
    from assistant.answer.analysis import analyse

    assert not analyse("国家层面对贷款期限有没有说最长能放到几年？").yes_no
    assert analyse("这项补贴和贴息能不能同时享受？").yes_no


def test_policy_yes_no_leads_with_the_conclusion(sample_settings):
    ans = ask("我们负债率78%，别的都满足，能进融资白名单吗？", sample_settings)
    assert verdict(ans.answer) == "否"
    assert re.search(r"\[\d+\]", ans.answer.splitlines()[0])  # the conclusion cites the rule
    ans = ask("我们负债率55%，能进融资白名单吗？", sample_settings)
    assert verdict(ans.answer) == "是"


def test_product_yes_no_is_decided_by_the_product_rules(sample_settings):
    catalog = catalog_for(sample_settings)
    p = next(p for p in catalog if p.eligibility.max_debt_ratio and p.eligibility.max_debt_ratio < 0.9)
    over = round(p.eligibility.max_debt_ratio * 100) + 5
    ans = ask(f"{p.name}我们能申请吗？资产负债率{over}%。", sample_settings)
    assert verdict(ans.answer) == "否" and f"product:{p.id}" in {c.doc_id for c in ans.citations}
    ip = next(p for p in catalog if p.accepted_ip and "外观设计" not in p.accepted_ip)
    assert verdict(ask(f"{ip.name}接受外观设计这类专利出质吗？", sample_settings).answer) == "否"
    takes = next(p for p in catalog if "外观设计" in p.accepted_ip)
    assert verdict(ask(f"{takes.name}接受外观设计这类专利出质吗？", sample_settings).answer) == "是"


def test_a_criterion_the_product_does_not_set_is_met(sample_settings):
    open_age = next(p for p in catalog_for(sample_settings) if not p.eligibility.min_years)
    ans = ask(f"我们公司成立才半年，想申请{open_age.name}，成立时间短会不会卡住？能申请吗？", sample_settings)
    assert verdict(ans.answer) == "是" and "未设成立年限要求" in ans.answer.splitlines()[0]


def test_comparison_of_named_products(sample_settings):
    catalog = catalog_for(sample_settings)
    a, b = sorted((p for p in catalog if p.rate.min), key=lambda p: p.rate.min)[0], catalog[-1]
    assert a is not b
    ans = ask(f"{b.name}和{a.name}，哪个利率低？", sample_settings)
    first = ans.answer.splitlines()[0]
    assert "利率最低" in first and a.name in first
    cited = {c.doc_id for c in ans.citations}
    assert {f"product:{a.id}", f"product:{b.id}"} <= cited
    assert ans.answer.count("|") > 6  # a table, one row per product


@pytest.mark.parametrize("field, word", [("term", "最长能贷多久"), ("speed", "哪个放款最快")])
def test_comparison_answers_the_field_asked(sample_settings, field, word):
    catalog = catalog_for(sample_settings)
    a, b = catalog[1], catalog[2]
    ans = ask(f"{a.name}跟{b.name}，{word}？", sample_settings)
    header = ans.answer.splitlines()[1 if "最" in ans.answer.splitlines()[0] and "|" not in ans.answer.splitlines()[0] else 0]
    assert ("期限" if field == "term" else "放款") in header


def test_every_part_is_answered_or_said_unanswered(sample_settings):
    ans = ask("融资白名单隔多长时间更新？另外入库以后有效期多久？还有，公司年会抽奖一般准备什么奖品？", sample_settings)
    assert_one_part_unanswered(ans, "季度", "年会")


@pytest.mark.parametrize("months, expected", [(16, "是"), (8, "否")])
def test_the_bound_on_a_stated_figure_is_found_by_the_words_around_it(sample_settings, months, expected):
    ans = ask(f"保单中途停了{months}个月又重新投保，这次还按首次投保算吗？", sample_settings)
    assert verdict(ans.answer) == expected
    first = ans.answer.splitlines()[0]
    n = int(re.search(r"\[(\d+)\]", first).group(1))
    assert next(c for c in ans.citations if c.n == n).doc_id == "sx-qinkebao-2024"  # the article on a lapsed policy


def test_a_count_is_compared_with_the_bound_on_what_it_counts():
    cited = [_cite(1, "申请企业应当拥有有效商标5件以上；研发人员不少于10人。")]
    v, _ = policy_verdict("我们有3件注册商标，能申请吗？", cited)  # the noun follows the count
    assert not v.ok and any("3件" in r for r in v.reasons)


def test_failing_one_alternative_of_an_either_or_condition():
    cited = [_cite(1, "申请企业应当拥有至少2件有效发明专利，或者5件以上有效实用新型专利。")]
    # the other way to meet it is unknown: no conclusion from this figure
    assert policy_verdict("我们有4件实用新型，能申请吗？", cited) is None
    # the question says the firm lacks the other way too: it fails
    v, _ = policy_verdict("我们没有发明专利，只有4件实用新型，能申请吗？", cited)
    assert not v.ok
    # the other way is met: the condition holds
    v, _ = policy_verdict("我们有3件发明专利、4件实用新型，能申请吗？", cited)
    assert v.ok


def test_a_figure_the_question_checks_is_no_condition_of_the_firm():
    figures = stated_figures("这个资金池是不是只有5000万？我们负债率40%")
    assert [f.claimed for f in figures] == [True, False]
    figures = stated_figures("听人说担保费补助最多10万，我们负债率40%")  # recalled: what is checked
    assert [f.claimed for f in figures] == [True, False]


def test_a_recurring_window_is_no_elapsed_time():
    assert elapsed("我记得是每年3月1日到3月31日申报，今年还是吗？") == []
    assert len(elapsed("评估报告是3月1日出的，5月10日才放款")) == 1


def test_a_product_figure_the_matcher_reads_is_decided_once(sample_settings):
    catalog = catalog_for(sample_settings)
    p = next(p for p in catalog if any(len(g.types) >= 2 and g.count >= 2 for g in p.eligibility.ip_any))
    group = next(g for g in p.eligibility.ip_any if len(g.types) >= 2 and g.count >= 2)
    first, second = group.types[0], group.types[1]
    # one of each kind short of the count, together enough: the rules count them together
    ans = ask(f"{p.name}，我们有{group.count - 1}件{first}加1件{second}，够不够条件质押？", sample_settings)
    assert verdict(ans.answer) == "是", ans.answer


def test_a_yes_no_part_the_record_cannot_decide_is_said_unanswered(sample_settings):
    catalog = catalog_for(sample_settings)
    p = catalog[0]
    ans = ask(f"{p.name}额度多少？到期了能不能自动续期？", sample_settings)
    assert_one_part_unanswered(ans, amount_span(p), "续期")
    # the product said once before the parts: the part is asked about it, and the record still cannot decide it
    ans = ask(f"{p.name}：额度多少？提前还款要不要付罚金？", sample_settings)  # alone, the part finds deregistration
    assert_one_part_unanswered(ans, amount_span(p), "罚金")


def test_a_record_names_the_subsidies_it_combines_with(sample_settings):
    from assistant.products.subsidies import load_book

    names = {r.id: r.name for r in load_book(sample_settings.corpus_dir).rules}
    p = next(p for p in catalog_for(sample_settings) if p.subsidies)
    ans = ask(f"{p.name}能叠加哪些补贴？", sample_settings)
    assert all(names[s] in ans.answer for s in p.subsidies)
    assert not any(s in ans.answer for s in p.subsidies)  # never the rule's id


def test_a_part_asking_which_firm_a_record_leaves_unnamed_is_said_unanswered(sample_settings):
    p = next(p for p in catalog_for(sample_settings) if "保险公司" in (p.guarantee or "") and "财险" not in (p.guarantee or ""))
    ans = ask(f"{p.name}额度多少？承保的是哪家保险公司？", sample_settings)
    assert_one_part_unanswered(ans, amount_span(p), "保险公司")


def test_an_event_long_enough_ago_lies_outside_a_window_of_absence():
    cited = [_cite(1, "申请企业应当符合：近两年内无严重失信记录，无重大违法行为。")]
    v, _ = policy_verdict("我们公司两年半以前有过一次严重失信，能申请吗？", cited)
    assert v.ok and "之外" in v.reasons[0]
    v, _ = policy_verdict("我们一年前有过一次严重失信记录，能申请吗？", cited)
    assert not v.ok


def test_a_threshold_the_question_quotes_is_no_figure_of_the_firm():
    figures = stated_figures("超过500万的那部分要不要加担保？我们负债率40%")
    assert [f.text for f in figures] == ["40%"]
    assert stated_figures("纪要上写着质押率25%，现在还是吗？")[0].claimed  # what a document was seen to say


def test_a_cap_on_what_is_paid_out_is_no_condition_of_the_firm():
    found = bounds("每家企业每年补贴最高20万元；单户贷款本金不超过1000万元。", 1)
    assert [(b.op, b.value) for b in found] == [("<=", 1000)]  # the subsidy's cap bounds no figure of the firm


def test_a_figure_set_before_the_parts_counts_for_the_yes_no_part(sample_settings):
    ans = ask("担保公司收我们的年费率是1.5%。西咸新区担保费补助能不能申请？一般多久审核完？", sample_settings)
    assert verdict(ans.answer) == "否"  # the rule: a guarantee fee rate above 1% is not subsidised


def test_a_product_figure_the_question_recalls_is_no_condition_of_the_firm(sample_settings):
    catalog = catalog_for(sample_settings)
    p = next(p for p in catalog if len(p.pledge_ratio) >= 2)
    (first, r1), (second, r2) = list(p.pledge_ratio.items())[:2]
    # figures recalled from an old announcement, one lower than the record's: the record confirms, nothing is judged
    ans = ask(f"{p.name}，我看以前的材料上写{first}质押率{round(r1 * 100) - 5}%、{second}{round(r2 * 100) - 5}%，"
              "现在还是这个数吗？", sample_settings)
    assert not re.match(r"不?符合：", ans.answer), ans.answer
    assert f"{round(r1 * 100)}%" in ans.answer and f"{round(r2 * 100)}%" in ans.answer


def test_a_permission_asked_after_the_act_is_decided_by_the_clause_on_that_act():
    from assistant.answer.verdict import lead, stance_verdict

    cited = [_cite(1, "同一申请人注册的近似商标，应当一并办理质押登记，不得只出质其中一部分商标。")]
    decided = stance_verdict("我们有几个近似商标，想只拿其中一个商标去质押，行吗", cited, cited[0].text)
    assert decided is not None and not decided[0].ok and lead(decided[0]).startswith("不能：")
    # the act after a doubled modal, in its own clause: 能不能 + 只拿其中一个去押
    assert stance_verdict("商标能不能只拿其中一个去押？", cited, cited[0].text)[0].ok is False


def test_a_doubled_verb_is_answered_in_its_own_words_and_only_by_a_rule_on_that_verb():
    from assistant.answer.verdict import lead, stance_verdict

    cited = [_cite(1, "实际支付以银行转账回单为准，现金支付的费用不予认定。")]
    decided = stance_verdict("这笔担保费付的是现金，认不认？", cited, cited[0].text)
    assert decided is not None and lead(decided[0]).startswith("不认：") and verdict(lead(decided[0])) == "否"
    # a rule that speaks of the scene's words but not of the verb asked decides nothing
    other = [_cite(1, "担保费补助可以与贷款贴息同时申请。")]
    assert stance_verdict("这笔担保费付的是现金，算不算？", other, other[0].text) is None
    # a combining rule (可以同时申请) allows two benefits together: it decides a question about combining only
    combining = [_cite(1, "保费补贴与担保费补助可以同时申请。")]
    assert stance_verdict("外地企业能申请担保费补助吗？", combining, combining[0].text) is None
    assert stance_verdict("保费补贴和担保费补助能同时申请吗？", combining, combining[0].text)[0].ok
    from assistant.answer.verdict import asks_combined

    assert asks_combined("拿了秦科保的保费补贴，还能申请担保费补助吗？")  # one the firm has, one more asked for
    assert asks_combined("评估费补助跟贴息可以一块儿拿吗？") and not asks_combined("外地企业能申请担保费补助吗？")
    # 会不会 asks what will happen, 要不要 what is required: no permission
    assert stance_verdict("没上传报告的话，会不会影响补助？", cited, cited[0].text) is None
    # a verb of being asks a state, no act a rule allows: 可以在…约定 says where, not that the thing still stands
    contract = [_cite(1, "当事人可以在合同中约定出质专利权转让、许可的处理方式。")]
    assert stance_verdict("出质的专利权被法院拍卖转让以后，专利权还在吗？", contract, contract[0].text) is None
    assert stance_verdict("出质的专利权被法院拍卖转让以后，专利权还在不在？", contract, contract[0].text) is None


def test_whether_something_is_required_is_decided_by_the_clause_that_waives_or_requires_it():
    from assistant.answer.verdict import lead, need_verdict

    waived = [_cite(1, "补偿资金拨付给合作银行，借款企业不需要另行申请。")]
    decided = need_verdict("我们是借款企业，是不是得自己去申请补偿资金？", waived, waived[0].text)
    assert decided is not None and lead(decided[0]).startswith("不需要：") and verdict(lead(decided[0])) == "否"
    required = [_cite(1, "以计算机软件著作权出质的，应当提交软件著作权登记证书复印件。")]
    decided = need_verdict("拿软件著作权出质，是不是必须提交登记证书复印件？", required, required[0].text)
    assert decided is not None and decided[0].ok and verdict(lead(decided[0])) == "是"
    # a rule for a case the question does not name decides nothing: 声明价值的 is not the firm's case here
    other_case = [_cite(1, "当事人声明出质专利权价值的，应当提交资产评估报告。")]
    assert need_verdict("商标出质是不是非得交评估报告？", other_case, other_case[0].text) is None
    # need said with 一定得 (as 一定要), and a rule that lets another paper stand in for the one asked about
    substitute = [_cite(1, "中小企业可以提交信用承诺书代替纳税证明。")]
    decided = need_verdict("我们是中小企业，申报时一定得交纳税证明吗？", substitute, substitute[0].text)
    assert decided is not None and not decided[0].ok


def test_a_month_said_with_last_or_this_year_falls_in_that_year():
    import datetime as dt

    from assistant.answer.verdict import stated_dates

    today = dt.date(2026, 6, 1)
    first, then = stated_dates("评估报告是去年2月出的，今年3月才放款", today)[:2]
    assert (first.day.year, then.day.year) == (2025, 2026)
    assert [s.days for s in elapsed("报告前年11月出具，去年1月放款", today)] == [(dt.date(2025, 1, 1) - dt.date(2024, 11, 1)).days]


def test_what_the_need_is_asked_of_counts_as_the_act_too(sample_settings):
    from assistant.answer.verdict import lead, need_verdict

    record = [_cite(1, "面向白名单企业的小额专利质押贷款，企业无需另付评估费。")]
    decided = need_verdict("这个产品，专利评估费是不是要我们另外掏钱？", record, record[0].text)
    assert decided is not None and verdict(lead(decided[0])) == "否"
    # a product record's own words decide a product question the matcher cannot (no firm figure to rule on)
    catalog = catalog_for(sample_settings)
    p = next(p for p in catalog if "无需另付评估费" in (p.summary or ""))
    ans = ask(f"{p.name}的专利评估费是不是要我们另外掏钱？", sample_settings)
    assert verdict(ans.answer) == "否", ans.answer


def test_a_requirement_set_for_the_questions_own_case_allows_the_act():
    from assistant.answer.verdict import lead, stance_verdict

    rule = "以软件著作权出质的，应当提交登记证书复印件；软件未办理著作权登记的，应当提交软件名称和完成日期的书面说明。"
    cited = [_cite(1, rule)]
    decided = stance_verdict("我们的软件没去登记著作权，还能拿去出质吗？", cited, rule)
    assert decided is not None and decided[0].ok and lead(decided[0]).startswith("可以：软件未办理著作权登记的")
    # a rule for a wider case (关联方) does not answer for a narrower one that may have its own (控股股东)
    wide = "担保公司为关联方提供融资担保的，应当在30日内报告。"
    assert stance_verdict("担保公司能不能给控股股东做融资担保？", [_cite(1, wide)], wide) is None
    # asked to do it its own way, against what is required: not decided by the requirement
    agent = "外国企业办理质押登记的，应当委托专利代理机构办理。"
    assert stance_verdict("我们是外国企业，质押登记能不能自己办理？", [_cite(1, agent)], agent) is None


def test_a_short_part_naming_nothing_of_its_own_is_stated_by_what_answers_the_part_before(sample_settings):
    # “要等几年” names nothing the rule says: it asks of the part before, whose rule states how long (3年内不得再次申报)
    from tests.text_checks import markers

    ans = ask("我们要是因为提供虚假材料被移出了白名单，还能再申报吗？要等几年？", sample_settings)
    assert verdict(ans.answer) == "否" and "3年内不得" in ans.answer, ans.answer
    assert "没有载明" not in ans.answer, ans.answer
    assert markers(ans.answer) == {c.n for c in ans.citations}
    # a short part naming a thing of its own is not answered by a figure about the part before, even of its kind
    own = ask("我们要是因为提供虚假材料被移出了白名单，还能再申报吗？申诉期多久？", sample_settings)
    assert verdict(own.answer) == "否" and "“申诉期多久”" in own.answer and "没有载明" in own.answer, own.answer
    other = ask("我们要是因为提供虚假材料被移出了白名单，还能再申报吗？年费多少？", sample_settings)
    assert "“年费多少”" in other.answer and "没有载明" in other.answer, other.answer


def test_an_faq_entrys_own_yes_or_no_leads_the_answer_to_the_question_it_asks(sample_settings):
    # the entry answers this very question with 不能/不是: that is the direct answer, before the article it rests on
    for question, expected in (("贷款到期日比专利保护期还晚，这种情况还能办质押登记吗？", "否"),
                               ("银行拿到风险补偿以后，我们企业欠的贷款是不是就不用还了？", "否")):
        ans = ask(question, sample_settings)
        assert verdict(ans.answer) == expected, ans.answer
        assert ans.citations[0].doc_id.startswith("faq") and re.search(r"\[1\]$", ans.answer.split("\n")[0])
    # an entry answering the same topic the other way round (是不是就不用还了) does not lead one asking 是不是还会追债
    other = ask("银行拿到风险补偿以后，是不是还会找我们追债？", sample_settings)
    assert not other.answer.startswith("不是"), other.answer


def test_a_record_citation_holds_every_field_a_record_answer_shows(sample_settings):
    from assistant.answer.products import FIELDS, describe, record_text

    for p in catalog_for(sample_settings):
        cited = record_text(p)
        for field, _pattern in FIELDS:
            assert describe(p, field) in cited, (p.id, field)


def test_a_subsidy_the_record_lists_answers_whether_it_may_be_claimed(sample_settings):
    p = next(p for p in catalog_for(sample_settings) if "sx-qinkebao" in p.subsidies)
    ans = ask(f"{p.name}要买的保险，保费能申请秦科保补贴吗？", sample_settings)
    assert verdict(ans.answer) == "是" and "秦科保" in ans.answer.splitlines()[0]


@pytest.mark.parametrize(("months", "expected"), [(13, "是"), (10, "否")])
def test_a_lapse_is_judged_by_the_rule_on_lapses_not_by_the_rates_quoted(sample_settings, months, expected):
    # the passages that answer best state the subsidy rates; the verdict comes from the rule on a lapse (超过12个月)
    ans = ask(f"秦科保那个保证保险我们中断过{months}个月，现在再买，补贴还按首次投保那档比例算吗？", sample_settings)
    assert verdict(ans.answer) == expected and "12个月" in ans.answer.splitlines()[0]


def test_a_firm_registered_near_the_center_asks_about_the_centers_programmes():
    from assistant.lexicon.places import gazetteer
    from assistant.retrieval.regions import registered_nearby

    home = gazetteer().lookup("西咸新区")
    assert registered_nearby("我们企业是在宝鸡注册的，融资白名单报得上吗？", home)
    assert not registered_nearby("宝鸡的贴息比例是多少？", home)  # no registering word: the rules' region is asked
    assert not registered_nearby("我们公司注册在杭州，科技创新券能用吗？", home)  # outside the center's province
    assert not registered_nearby("我们在宝鸡注册，西咸新区的白名单能报吗？", home)  # 西咸新区 is named as the rules' region


@pytest.mark.parametrize(("place", "expected"), [("宝鸡", "否"), ("西咸新区沣东", "是")])
def test_where_a_nearby_firm_is_registered_decides_a_centre_programme(sample_settings, place, expected):
    ans = ask(f"我们企业是在{place}注册的，融资白名单报得上吗？", sample_settings)
    assert verdict(ans.answer) == expected and "西咸新区" in ans.answer.splitlines()[0]


def test_a_part_of_the_month_is_read_as_its_days():
    import datetime as dt

    from assistant.answer.verdict import stated_dates

    today = dt.date(2026, 12, 7)
    said = {d.text: (d.day, d.ends()) for d in stated_dates("2月底交的材料，4月上旬补正，9月中旬放款，11月份下旬去报，12月初到账", today)}
    day = dt.date
    assert said == {"2月底": (day(2026, 2, 28), (day(2026, 2, 23), day(2026, 2, 28))),
                    "4月上旬": (day(2026, 4, 5), (day(2026, 4, 1), day(2026, 4, 10))),
                    "9月中旬": (day(2026, 9, 15), (day(2026, 9, 11), day(2026, 9, 20))),
                    "11月份下旬": (day(2026, 11, 25), (day(2026, 11, 21), day(2026, 11, 30))),
                    "12月初": (day(2026, 12, 1), (day(2026, 12, 1), day(2026, 12, 10)))}
    assert stated_dates("2024年2月末", today)[0].day == day(2024, 2, 29)  # a leap year's last day
    # 初审 and 末次 are words of their own, not parts of the month before them
    assert [d.text for d in stated_dates("我们是5月初审通过的，6月末次付息", today)] == ["5月", "6月"]


def test_a_part_of_the_month_that_leaves_a_limit_open_decides_nothing():
    import datetime as dt

    cited = [_cite(1, "企业应当自贷款发放之日起6个月内提出申请。")]
    question = "贷款是今年1月{}放的，现在去申请还来得及吗？"
    on = dt.date(2026, 7, 14)
    assert policy_verdict(question.format("中旬"), cited, on) is None  # 1月11日 is out of time, 1月20日 is not
    assert not policy_verdict(question.format("上旬"), cited, on)[0].ok
    assert policy_verdict(question.format("下旬"), cited, on)[0].ok
    # calendar months: 3月8日 to 9月8日 is six months, within “6个月内”
    assert policy_verdict("贷款是3月8号放的，9月8号去申请还来得及吗？", cited)[0].ok


def test_a_month_said_without_a_day_is_all_its_days():
    import datetime as dt

    window = [_cite(1, "企业应当在每年6月1日至6月20日集中申报贴息。")]
    on = dt.date(2026, 3, 1)
    asked = "我们打算{}去申报贴息，能赶上吗？"
    assert policy_verdict(asked.format("6月"), window, on) is None  # its 1st is inside the window, its 30th is not
    assert not policy_verdict(asked.format("7月"), window, on)[0].ok
    assert policy_verdict(asked.format("6月10号"), window, on)[0].ok
    # a month that holds the whole window is not outside it
    inner = [_cite(1, "企业应当在每年6月10日至6月20日集中申报贴息。")]
    assert policy_verdict(asked.format("6月"), inner, on) is None
    # a time left open makes no yes of the other figures met; one failed still fails
    rules = [_cite(1, "贷款自发放之日起6个月内申请贴息。企业资产负债率不高于70%。")]
    late = "我们负债率{}，贷款是2025年9月放的，2026年3月申请贴息还来得及吗？"
    assert policy_verdict(late.format("60%"), rules) is None
    assert not policy_verdict(late.format("80%"), rules)[0].ok


def test_a_limit_counted_from_another_event_does_not_judge_the_time_since_the_one_said():
    import datetime as dt

    today = dt.date(2026, 7, 20)
    question = "我们的贷款是今年3月8号发放的，现在去申请补助还来得及吗？"
    # of the same loan and sharing its words, but counted from another act: they decide nothing here
    for other in ("贷款银行自受理贷款申请之日起10个工作日内作出审批决定。", "企业应当自贷款合同签订之日起30日内提出补助申请。"):
        assert policy_verdict(question, [_cite(1, other)], today) is None, other
    own = _cite(2, "企业应当自贷款发放之日起6个月内提出补助申请。")
    decided = policy_verdict(question, [_cite(1, "经办银行自受理补助申请之日起10个工作日内完成审核。"), own], today)
    assert decided is not None and decided[0].ok and decided[1] == [2]
    assert [r.clause for r in decided[0].rules] == ["企业应当自贷款发放之日起6个月内提出补助申请"]
    # the act counted from said after its subject (评估报告自出具之日起), and a lay verb for it (出的)
    valid = [_cite(1, "评估报告自出具之日起12个月内有效。")]
    assert policy_verdict("评估报告是去年10月出的，现在用它去质押还行吗？", valid, today)[0].ok
    assert not policy_verdict("评估报告是前年5月出的，现在用它去质押还行吗？", valid, today)[0].ok


def test_the_rule_a_verdict_rests_on_is_quoted_by_its_own_sentences():
    from assistant.answer.pipeline import _bound_sentence
    from assistant.answer.verdict import Rule

    text = "每笔贷款最高5万元，每家企业每年最多补助2笔。企业须在贷款发放之日起６个月内申请，逾期视为放弃。"
    # the clause as normalised (6个月) found in the sentence as written (６个月)
    assert _bound_sentence(text, [Rule(1, "企业须在贷款发放之日起6个月内申请")]).startswith("企业须在贷款发放之日起６个月内申请")
    assert _bound_sentence(text, []).startswith("每笔贷款最高5万元")  # nothing said of what decided: the first rule
    two = "企业成立满2年。资产负债率不高于70%。单笔贷款不低于1,000万元。"
    assert _bound_sentence(two, [Rule(1, "企业成立满2年"), Rule(1, "单笔贷款不低于1000万元")]) == "企业成立满2年。单笔贷款不低于1,000万元。"
    # a case that leaves its quantity to the case before is quoted with it, not by another sentence saying its words
    cases = "贷款利率上浮超过8%的部分不予贴息。合作机构的坏账率超过4%的，暂停其新增项目备案；超过8%的，同时暂停受理其代偿申请。"
    quoted = _bound_sentence(cases, [Rule(1, "超过8%的", "合作机构的坏账率")])
    assert "坏账率" in quoted and "同时暂停受理其代偿申请" in quoted and "上浮" not in quoted


def test_cases_a_rule_sets_on_one_quantity_are_told_apart_by_their_consequence():
    rule = "合作机构的坏账率超过4%的，主管部门暂停其新增项目备案；超过7%的，同时暂停受理其代偿申请。"
    second = bounds(rule, 1)[1]
    assert (second.value, second.named, second.then) == (7, "合作机构的坏账率", "同时暂停受理其代偿申请")  # “超过7%的” bounds 坏账率
    cited = [_cite(1, rule)]
    assert policy_verdict("我们机构坏账率现在是6%，还能申请代偿吗？", cited)[0].ok
    assert not policy_verdict("我们机构坏账率现在是6%，还能新增项目备案吗？", cited)[0].ok
    assert not policy_verdict("我们机构坏账率现在是7.5%，还能申请代偿吗？", cited)[0].ok
    # “在7%以上的”: a word before the figure that names nothing
    said = [_cite(1, "合作机构的坏账率在4%以上的，暂停其新增项目备案；在7%以上的，同时暂停受理其代偿申请。")]
    assert policy_verdict("我们机构坏账率现在是6%，还能申请代偿吗？", said)[0].ok


@pytest.mark.parametrize(("rule", "question", "ok"), [
    # every case that withholds the act asked decides: 超过70%的不予贴息 holds for 首贷贴息 too
    ("企业资产负债率超过70%的，不予贴息；超过80%的，不得申请首贷贴息。", "资产负债率75%，能申请首贷贴息吗？", False),
    # a case in the next sentence does not borrow this sentence's quantity
    ("企业资产负债率超过70%的，不予贴息。超过80%的，不得申请首贷贴息。", "资产负债率75%，能申请首贷贴息吗？", False),
    # a clause that opens with its figure but is no case after a case keeps to itself
    ("贷款期限不少于6个月，3个月以内的过桥贷款不予贴息。", "贷款期限5个月，能申请贴息吗？", False),
    # a tier of what is paid is no condition withheld
    ("担保费率不超过1%的，按实际担保费的50%给予补助；0.5%以下的，担保费补助比例提高到100%。", "担保费率0.8%，能申请担保费补助吗？", True),
    # a heavier sanction on the same quantity does not turn a failed condition into a met one
    ("合作银行不良率超过5%的，暂停受理其补偿申请；超过8%的，终止合作并追回已拨付的风险补偿资金。", "不良率9%，还能申请风险补偿吗？", False),
])
def test_cases_on_one_quantity_decide_only_where_they_withhold_the_act_asked(rule, question, ok):
    decided = policy_verdict(question, [_cite(1, rule)])
    assert decided is not None and decided[0].ok is ok, decided


def test_an_faq_question_line_bounds_only_through_its_answer():
    entry = [_cite(1, "问：期限不足3个月的过桥贷款能申请贴息吗？\n答：不能，申请贴息的贷款期限须在3个月以上。")]
    decided = policy_verdict("我们这笔过桥贷款期限2个月，能申请贴息吗？", entry)
    assert decided is not None and not decided[0].ok and "不少于3个月" in decided[0].reasons[0]
    # an answer stating no figure answers its question's case: left out after 不能, kept after 可以
    refused = [_cite(1, "问：贷款期限不足6个月的能申请贴息吗？\n答：不能。")]
    assert not policy_verdict("贷款期限5个月，能申请贴息吗？", refused)[0].ok
    assert policy_verdict("贷款期限8个月，能申请贴息吗？", refused) is None  # outside the case it answers: nothing said
    allowed = [_cite(1, "问：资产负债率不超过70%可以申请贴息吗？\n答：可以。")]
    assert policy_verdict("资产负债率65%，能申请贴息吗？", allowed)[0].ok
    assert policy_verdict("资产负债率75%，能申请贴息吗？", allowed) is None
    # no plain yes or no, or two conditions asked at once: nothing to read
    for entry in ("问：贷款期限超过3年的能申请贴息吗？\n答：不一定，要看合作银行。",
                  "问：贷款期限超过3年的能申请贴息吗？\n答：否则无法办理登记。",
                  "问：贷款期限不足6个月且金额超过500万的能申请贴息吗？\n答：不能。"):
        assert policy_verdict("贷款期限4年、金额100万，能申请贴息吗？", [_cite(1, entry)]) is None, entry


def test_a_span_until_today_is_judged_by_a_limit_counted_from_its_event_only():
    import datetime as dt

    today = dt.date(2026, 7, 20)
    on = _cite(1, "企业应当自贷款发放之日起6个月内提出补助申请。")
    back = _cite(2, "评估报告出具日期在贷款发放日之前12个月以内。")
    # an event said without its act (1月5号的贷款) is the loan all the same
    decided = policy_verdict("今年1月5号的贷款，现在申请补助还行吗？", [on, back], today)
    assert decided is not None and not decided[0].ok and decided[1] == [1]
    # a limit counted back from the loan says nothing of the time since it; one counted back from the act asked today does
    assert policy_verdict("今年1月5号的贷款，现在申请补助还行吗？", [back], today) is None
    recent = [_cite(1, "申请贴息的贷款应为申请之日前12个月内发放的贷款。")]
    assert not policy_verdict("去年5月放的款，现在申请贴息还来得及吗？", recent, today)[0].ok
    assert policy_verdict("去年10月放的款，现在申请贴息还来得及吗？", recent, today)[0].ok
    # 评估 (a verbal noun) is no act the report and the valuation contract share
    contract = [_cite(1, "评估机构应当自接受评估委托之日起20个工作日内出具评估报告。")]
    assert policy_verdict("评估报告是今年5月出的，现在用它去质押还行吗？", contract, today) is None


def test_a_limit_counted_from_the_act_its_case_ends_on_is_about_what_that_case_names():
    today = dt.date(2026, 10, 15)
    # 自变更之日起 counts from the case's own 变更: the event said (换了财务负责人) is about what the case names
    rule = [_cite(1, "备案企业的财务负责人、开户银行等信息发生变更的，应当自变更之日起20日内书面告知管理机构。")]
    late = policy_verdict("我们8月3号换了财务负责人，到今天还没告知管理机构，算不算超期？", rule, today)
    assert late is not None and not late[0].ok and "不超过20日" in late[0].reasons[0]
    in_time = policy_verdict("我们10月6号换了财务负责人，到今天还没告知管理机构，算不算超期？", rule, today)
    assert in_time is not None and in_time[0].ok
    # an event the case does not name is not measured by its limit
    assert policy_verdict("我们8月3号搬了办公室，到今天还没告知管理机构，算不算超期？", rule, today) is None
    # an act not yet done, asked whether it is late, is asked of today though the question does not say 今天
    unsaid = policy_verdict("我们8月3号换了财务负责人，还没告知管理机构，晚了吗？", rule, today)
    assert unsaid is not None and not unsaid[0].ok and "到今天" in unsaid[0].reasons[0]
    # one done at a date of its own is judged at that date, not today (no span without the act's own date)
    assert policy_verdict("我们8月3号换了财务负责人，8月20号告知了管理机构，晚了吗？", rule, today)[0].ok
    # a not-yet said of something else, away from the ask, dates nothing to today
    told = [_cite(1, "出质人应当自收到异议通知之日起5个工作日内书面告知质权人。")]
    done = policy_verdict("质权人那边还没回话，我们11月23号收到异议通知，11月25号就书面告知质权人了，这算晚了吗？", told,
                          dt.date(2026, 12, 8))
    assert done is not None and done[0].ok and "到11月25号" in done[0].reasons[0]


@pytest.mark.parametrize("rule", [
    "合作银行在保贷款的不良率超过5%的，暂停其新增备案；超过8%的，暂停受理其补偿申请。",  # 在 inside a name stays
    "合作银行不良率达到或超过5%的，暂停其新增备案；达到或超过8%的，暂停受理其补偿申请。",
])
def test_a_case_after_a_case_keeps_the_quantity_as_named(rule):
    decided = policy_verdict("我们在保贷款不良率6%，还能申请风险补偿吗？", [_cite(1, rule)])
    assert decided is not None and decided[0].ok


def test_a_case_is_quoted_back_to_the_sentence_naming_its_quantity():
    from assistant.answer.pipeline import _bound_sentence
    from assistant.answer.verdict import Rule

    text = "贷款利率上浮超过8%的部分不予贴息。合作机构的坏账率超过3%的，予以约谈；超过5%的，暂停新增备案；超过8%的，暂停受理其补偿申请。"
    quoted = _bound_sentence(text, [Rule(1, "超过8%的", "合作机构的坏账率")])
    assert quoted.startswith("合作机构的坏账率超过3%的") and quoted.endswith("暂停受理其补偿申请。")


def test_a_time_counted_back_from_an_event_is_not_judged_by_one_counted_on_from_it():
    cited = [_cite(1, "企业应当在贷款发放之日起6个月内提出申请。"), _cite(2, "评估报告出具日期在贷款发放日之前12个月以内。")]
    decided = policy_verdict("评估报告是放款前10个月出的，还能补吗？", cited)
    assert decided is not None and decided[0].ok and decided[1] == [2]
    late = policy_verdict("放款后8个月了才去申请，还能补吗？", cited)
    assert late is not None and not late[0].ok and late[1] == [1]
    # only the rule counted the other way: nothing decided
    assert policy_verdict("评估报告是放款前10个月出的，还能补吗？", cited[:1]) is None


def test_a_figure_the_question_checks_is_judged_by_the_sentence_about_what_it_names():
    from assistant.answer.verdict import claim_verdict

    rule = "首次投保某一险种的，按保费的70%给予补贴；续保同一险种的，按保费的40%给予补贴。"
    cited = [_cite(1, rule)]
    renewal = claim_verdict("续保的补贴是不是还是70%？", cited, rule)
    assert renewal is not None and not renewal[0].ok and "40%" in renewal[0].reasons[0]
    first = claim_verdict("首次投保的补贴是不是70%？", cited, rule)
    assert first is not None and first[0].ok and "70%" in first[0].reasons[0]
    # nothing the question names tells the two sentences apart: no verdict
    assert claim_verdict("补贴是不是70%？", cited, rule) is None
    # a choice between two figures is no claim to check
    assert claim_verdict("本金按500万还是300万算？", [_cite(1, "仅按质押部分300万元计算。")], "仅按质押部分300万元计算。") is None


def test_a_time_limit_checked_is_judged_by_the_rule_for_that_act_whether_in_days_or_on_the_calendar():
    from assistant.answer.verdict import claim_verdict

    rule = ("合作机构应当履行下列义务：（一）在担保合同签订后次月15日前报送备案信息；"
            "（二）每半年结束后20个工作日内报送代偿情况。")
    cited = [_cite(1, rule)]
    # the filing is due on the calendar, not within a number of working days: the claim does not hold, and the
    # clause about the filing says so (not the one that shares only the claimed unit, 工作日)
    filing = claim_verdict("听说签了担保合同以后要在20个工作日内报备案，是这样吗？", cited, rule)
    assert filing is not None and not filing[0].ok and "次月15日前" in filing[0].reasons[0]
    payout = claim_verdict("代偿情况是不是每半年结束后20个工作日内报送？", cited, rule)
    assert payout is not None and payout[0].ok and "20个工作日" in payout[0].reasons[0]
    # twenty calendar days are not twenty working days
    calendar = claim_verdict("代偿情况是不是每半年结束后20日内报送？", cited, rule)
    assert calendar is not None and not calendar[0].ok


def test_a_claim_is_checked_against_the_rule_not_a_worked_examples_made_up_figures():
    from assistant.answer.verdict import claim_verdict

    rule = "首贷企业的补助比例提高到70%。"
    example = "补助计算示例：某企业贷款200万元，年担保费率0.7%，可获补助1万元。"
    cited = [_cite(1, rule), _cite(2, example)]
    decided = claim_verdict("我们是首贷企业，担保费补助比例是不是70%？", cited, rule + example)
    assert decided is not None and decided[0].ok and decided[1] == [1]


def test_a_figure_a_rule_leaves_out_bounds_the_other_way_and_an_inclusion_bounds_nothing():
    said = bounds("贷款期限不超过3年（含3年），展期后累计期限超过3年的部分不纳入补偿；费率超过1%的业务不予补助。", 1)
    assert [(b.op, b.value, b.unit) for b in said] == [("<=", 3.0, "年"), ("<=", 3.0, "年"), ("<=", 1.0, "%")]
    assert bounds("超过500万元部分须由担保公司担保。", 1)[0].op == ">"  # a requirement on the part above, nothing left out


def test_a_count_of_loans_is_a_figure_and_one_loan_is_an_article():
    assert [(f.value, f.unit) for f in stated_figures("我们有一笔贷款，今年一共贷了3笔，能都补吗？")] == [(3.0, "笔")]
    assert not policy_verdict("今年贷了3笔，都能补吗？", [_cite(1, "每家企业每年最多补助2笔贷款。")])[0].ok


@pytest.mark.parametrize(("question", "claimed"), [
    ("资金池单户累计最多补300万，对吗？", True),
    ("首贷企业的补助比例是80%吗？", True),
    ("负债率65%能进白名单吗？", False),
    ("期限是6个月，能申请吗？", False),
])
def test_a_figure_checked_by_the_question_is_a_claim_not_a_condition(question, claimed):
    assert [f.claimed for f in stated_figures(question)] == [claimed]


def test_a_figure_checked_against_a_record_is_judged_by_the_figure_said_for_what_the_question_names(sample_settings):
    p = next(p for p in catalog_for(sample_settings) if len(p.pledge_ratio) >= 2 and "发明专利" in p.pledge_ratio)
    right = round(p.pledge_ratio["发明专利"] * 100)
    other = next(round(r * 100) for t, r in p.pledge_ratio.items() if round(r * 100) != right)
    wrong = ask(f"{p.name}发明专利的质押率还是{other}%吗？", sample_settings)
    assert verdict(wrong.answer) == "否" and f"{right}%" in wrong.answer.splitlines()[0]
    same = ask(f"{p.name}发明专利的质押率是{right}%吗？", sample_settings)
    assert verdict(same.answer) == "是"


def test_how_often_something_happens_is_a_figure_a_claim_checks():
    from assistant.answer.verdict import claim_verdict, frequencies

    assert [f.value for f in frequencies("名单每季度更新一次，贴息每半年申报一次，一年报两次")] == [4.0, 2.0, 2.0]
    rule = "入库名单每季度更新一次。"
    wrong = claim_verdict("入库名单还是半年更新一次吗？", [_cite(1, rule)], rule)
    assert wrong is not None and not wrong[0].ok and "每季度" in wrong[0].reasons[0]
    right = claim_verdict("入库名单是不是每季度更新一次？", [_cite(1, rule)], rule)
    assert right is not None and right[0].ok
    # recalled before a bare “是这样吗”, it is checked; recalled beside another question, it is the story
    back = claim_verdict("听人讲入库的名单大概半年更新一次。是这样吗？", [_cite(1, rule)], rule)
    assert back is not None and not back[0].ok
    assert claim_verdict("听人讲入库的名单大概半年更新一次。我们3月2号交的材料，能进这一批吗？", [_cite(1, rule)], rule) is None


def test_two_dates_both_of_the_act_asked_span_no_time_between_events():
    today = __import__("datetime").date(2026, 12, 5)
    # “今年3月能报…吗” and “到现在” are both about the asking: nothing happened on either
    assert elapsed("被列进了经营异常名录，到现在还没移出来，今年3月能报市里的补助吗？", today) == []
    # a report made on one date and a loan on another do span the time between them
    assert len(elapsed("评估报告是2023年11月做的，贷款2025年2月才放下来，还能补吗？", today)) == 1


_LIST = ("有下列情形之一的，不予资助：（一）项目已获得省级同类资金支持的；（二）申报单位被列入失信被执行人名单或者处于经营异常状态的；"
         "（三）研发费用由合作高校承担的；（四）其他不符合本办法规定的情形。")


def _titled(text: str, title: str) -> Citation:
    return Citation(n=1, doc_id="d", title=title, source="s", text=text, chunk_id="c1")


@pytest.mark.parametrize(("question", "expected"), [
    # the firm states a listed case in its own words: the list withholds what it asks
    ("我们去年被市场监管局列为经营异常了，现在还能拿这笔资助吗？", "否"),
    ("我们公司上了失信被执行人名单，资助还能申请吗？", "否"),
    # said with a negation, it is not the listed case
    ("我们没有失信记录，也不在经营异常名录里，能申请资助吗？", None),
    # words every item shares with the title (研发) name no case; the list withholds nothing asked (担保费)
    ("研发费用是我们自己出的，能申请资助吗？", None),
    ("我们处于经营异常状态，担保费还能打折吗？", None),
])
def test_a_case_the_question_states_that_a_quoted_list_excludes_is_answered_no(question, expected):
    from assistant.answer.verdict import lead, worded_verdict

    cited = [_titled(_LIST, "示例市研发资助办法")]
    decided = worded_verdict(question, cited, _LIST)
    assert (verdict(lead(decided[0])) if decided else None) == expected, decided
    if expected:
        assert "经营异常" in lead(decided[0]) or "失信被执行人" in lead(decided[0])


_RELATED = ("有下列情形之一的，不予奖励：（一）检测服务合同签订于本办法施行前的；（二）检测机构与申报企业存在控股、参股、同一法定代表人"
            "等关联关系的；（三）检测费用已由其他财政资金列支的。")


@pytest.mark.parametrize(("question", "expected"), [
    # one member of the listed enumeration is named: the kind (关联关系) is the firm's case
    ("我们董事长参股了那家检测公司，我们找它做的检测，检测费还能报奖励吗？", "否"),
    ("这家检测机构是我们控股的子公司，检测费能申请奖励吗？", "否"),
    # no member named: no case stated
    ("我们找了一家外地的检测公司做的检测，检测费能申请奖励吗？", None),
])
def test_a_member_of_a_listed_enumeration_names_the_case(question, expected):
    from assistant.answer.verdict import lead, worded_verdict

    decided = worded_verdict(question, [_titled(_RELATED, "示例区检测费奖励办法")], _RELATED)
    assert (verdict(lead(decided[0])) if decided else None) == expected, decided
    if expected:
        assert "关联关系" in lead(decided[0])


def test_a_lists_head_decides_nothing_by_itself():
    from assistant.answer.verdict import lead, worded_verdict

    head = ("有下列情形之一的，登记机关作出不予登记的决定，并发出不予登记通知书：（一）出质人不是权利人；"
            "（二）权利已经终止。")
    # 不予登记 in the head answers no question about registering: only a listed case the question states would
    assert worded_verdict("我们的商标想拿去质押，能登记吗？", [_titled(head, "示例登记办法")], head) is None
    decided = worded_verdict("我们的商标权利已经终止了，还能登记吗？", [_titled(head, "示例登记办法")], head)
    assert decided is not None and lead(decided[0]).startswith("不能：") and "权利已经终止" in lead(decided[0])


def test_doing_it_ones_own_way_against_the_rule_for_ones_own_case_is_answered_no():
    from assistant.answer.verdict import lead, worded_verdict

    rule = ("境内的企业办理登记，可以自行办理，也可以委托代理机构办理。在境内没有营业场所的外国企业办理的，应当委托代理机构办理。"
            "由权利人单方提出的，应当提交对方同意的书面文件。")
    cited = [_titled(rule, "示例登记办法")]
    # the special rule for the stated case outranks the general permission said first
    decided = worded_verdict("我们母公司在境内没有营业场所，想自己去办登记，不找代理，行吗？", cited, rule)
    assert decided is not None and verdict(lead(decided[0])) == "否" and "应当委托代理机构" in lead(decided[0])
    # a requirement that only adds to the own way (提交书面文件) does not forbid it
    added = worded_verdict("对方不配合，我们自己单方提出行不行？", cited, rule)
    assert added is None or verdict(lead(added[0])) != "否"
    # a firm with no stated case gets the general permission
    general = worded_verdict("我们是本地企业，能不能自行办理登记？", cited, rule)
    assert general is not None and verdict(lead(general[0])) == "是"


def test_whose_software_is_no_way_of_doing_the_act():
    from assistant.answer.verdict import lead, worded_verdict

    rule = "以软件著作权出质的，应当提交登记证书复印件；软件未办理著作权登记的，应当提交软件名称和完成日期的书面说明。"
    # 自己开发 says whose the software is, not that the firm would do the act its own way
    decided = worded_verdict("我们自己开发的软件没去做著作权登记，能拿去出质吗？", [_cite(1, rule)], rule)
    assert decided is not None and verdict(lead(decided[0])) == "是"


def test_a_record_shows_the_field_that_states_what_is_asked_in_its_own_words(sample_settings):
    from assistant.answer.products import DEFAULT_FIELDS, describe, record_answer

    catalog = catalog_for(sample_settings)
    # a product whose summary alone says it serves whitelisted firms: asked with no field cue, the summary answers
    p = next(p for p in catalog if "白名单" in describe(p, "summary") and not any("白名单" in describe(p, f) for f in ("amount", "rate")))
    shown = record_answer(f"{p.name}最高能贷多少？是不是只做白名单企业？", p).answer
    assert "白名单" in shown and describe(p, "summary") in shown
    # words the record does not state add nothing; the product's own name asks for nothing
    plain = record_answer(f"{p.name}最高能贷多少？", p).answer
    assert describe(p, "summary") not in plain or "summary" in DEFAULT_FIELDS
    assert record_answer(f"{p.name}最高能贷多少？收不收比特币？", p).answer == plain


@pytest.mark.parametrize(("said", "expected"), [("整整14个月", "是"), ("足足12个月", "否"), ("整整9个月", "否")])
def test_a_one_character_attribute_is_named_by_that_character(said, expected):
    # “断了整整14个月”: once the intensifier goes, 断 alone names what the rule bounds (中断超过12个月)
    rule = "同一险种保险责任中断超过12个月后再次投保的，按首次投保认定；连续投保的，认定为续保。"
    decided = policy_verdict(f"我们那份保险2023年买的，后来断了{said}，今年又买了，还能按首次投保算吗？", [_cite(1, rule)])
    assert decided is not None and verdict(f"{'符合' if decided[0].ok else '不符合'}：") == expected


def test_a_long_case_is_named_word_by_word_not_piece_by_piece():
    from assistant.answer.verdict import lead, need_verdict

    # the tokenizer cuts 商标专用权 into overlapping pieces (专用, 用权…); counted once each word, the question names
    # half the case, where piece by piece it named 6 of 16
    rule = "双方已就出质商标专用权价值协商一致并签署书面确认文件的，可以提交该确认文件代替评估报告。"
    decided = need_verdict("注册商标质押的时候，双方已经书面确认了价钱，是不是还必须交评估报告？", [_cite(1, rule)], rule)
    assert decided is not None and verdict(lead(decided[0])) == "否"
    # a case the question does not state decides nothing
    assert need_verdict("注册商标质押，是不是还必须交评估报告？", [_cite(1, rule)], rule) is None


def test_a_requirement_above_an_amount_decides_a_loan_above_it_done_without_what_it_requires(sample_settings):
    # the record requires a guarantor for the part above an amount: a loan above it, with no guarantee, is a no
    without = ask("我们是高企，有5件发明专利，知惠贷借900万，不提供任何保证和担保，只押专利，能批吗？", sample_settings, use_llm=False)
    assert verdict(without.answer) == "否" and "超过500万元部分" in without.answer.split("\n")[0]
    # a loan below it is not that case: the eligibility rules decide
    below = ask("我们是高企，有5件发明专利，知惠贷借300万，不提供任何保证和担保，只押专利，能批吗？", sample_settings, use_llm=False)
    assert verdict(below.answer) == "是"
    plain = ask("我们是高企，有5件发明专利，知惠贷我们能申请吗？", sample_settings, use_llm=False)
    assert verdict(plain.answer) == "是"
    # asking whether a guarantee is needed (要不要加担保) says nothing of going without one
    asked = ask("我们是高企，有5件发明专利，知惠贷借900万，要不要加担保？", sample_settings, use_llm=False)
    assert "而您说不提供" not in asked.answer
    # a rule the firm fails still says no, whatever else it would do without
    failing = ask("我们去年才成立，知惠贷借900万，不提供任何保证和担保，只押专利，能批吗？", sample_settings, use_llm=False)
    assert verdict(failing.answer) == "否"


def test_a_figure_recalled_before_asking_whether_it_still_holds_is_a_claim(sample_settings):
    # “…封顶30万，现在还是这样吗”: the recalled cap is a claim to check, not the firm's own figure compared with the
    # current cap (it was answered 符合 because 30万 is under 50万)
    ans = ask("我记得西安那边贷款贴息按利息两成补，每家一年封顶30万，现在还是这样吗？", sample_settings)
    assert not ans.answer.startswith("符合")
    # “变了没” asks yes or no too, and the one figure recalled is checked against the current rule
    changed = ask("听说省里评估费补助每笔最多补3万，现在变了没？", sample_settings)
    assert changed.answer.startswith("不是") and "5万元" in changed.answer.splitlines()[0]


def test_a_sanction_a_figure_sets_off_and_a_barred_window_are_what_a_rule_leaves_out():
    from assistant.answer.verdict import bounds, policy_verdict

    # exceeding the figure sets off a sanction said after who imposes it: the figure is what a firm must stay within
    (b,) = bounds("逾期率高于6%的，市金融局停止其新增业务受理。", 1)
    assert b.op == "<=" and b.value == 6
    rule = "逾期率高于6%的，市金融局停止其新增业务受理。"
    ok = policy_verdict("我们行逾期率7%，新业务还能受理吗？", [_cite(1, rule)])
    assert ok is not None and not ok[0].ok
    # a benefit the figure earns is no sanction
    (benefit,) = bounds("合作满3年的，可以取消保证金。", 1)
    assert benefit.op == ">="
    # a window an act is barred in after a sanction: within it, not allowed; no deadline for the question's own events
    (w,) = bounds("被撤销资格的，2年内不得重新申请。", 1)
    assert w.barred and w.op == ">" and w.value == 2


def test_a_month_is_checked_against_the_window_of_the_level_and_programme_asked(sample_settings):
    """A list of programmes' filing windows (区级…每年1月、7月申报；市级…每年3月至4月申报) is read clause by clause: the
    district's subsidy in July is inside its own window, not outside the city's."""
    from assistant.answer.verdict import _window_verdict

    district = ask("区级贴息什么时候申报？7月能报吗？", sample_settings, use_llm=False)
    assert verdict(district.answer) == "是" and "7月申报" in district.answer.splitlines()[0]
    assert verdict(ask("区级担保费补助3月能申报吗？", sample_settings, use_llm=False).answer) == "否"
    windows = [_cite(1, "补贴申报时间：区级补助每年1月、7月申报；市级补助每年3月至4月申报。")]
    decided = _window_verdict("区级补助7月能报吗？", windows)
    assert decided is not None and decided[0] and "1月、7月" in decided[1]
    # a date in the scene of another ask is no date asked about
    assert _window_verdict("我们今年8月付的费用，区级补助要等到哪个月报？", windows) is None


def test_a_rule_that_one_kind_is_not_paid_twice_does_not_decide_whether_two_kinds_combine():
    """“已享受市级担保费补贴的，不得再申请本办法补助” is about one kind at two levels: it says nothing of whether the
    guarantee subsidy combines with the interest subsidy, which the next clause allows."""
    from assistant.answer.verdict import combined_verdict

    text = "同一笔担保业务已享受市级担保费补贴的，不得再申请本办法补助，就高不重复。本办法补助与区级贴息不属于同类补贴，可以同时申请。"
    cited = [Citation(n=1, doc_id="d", title="某区融资担保费补助办法", source="s", text=text, chunk_id="c1")]
    two_kinds = combined_verdict("担保费补助跟贴息可以都拿吗？", cited, text)
    assert two_kinds is not None and two_kinds[0].ok
    one_kind = combined_verdict("市级和区级的担保费补贴可以都拿吗？", cited, text)
    assert one_kind is not None and not one_kind[0].ok


def test_one_thing_said_with_an_article_meets_no_ceiling_but_may_fail_a_floor():
    """“有一件…” names a thing more than it counts it: against a ceiling (每张申请表一般不超过20件) it decides nothing;
    against a floor (至少2件) one is still too few, and a count said in figures (1件) is a count."""
    ceiling = [_cite(1, "一张登记申请表列明的商标一般不超过20件。")]
    assert policy_verdict("我们有一件商标还在异议期，能拿去质押吗？", ceiling) is None
    v, _ = policy_verdict("我们有1件商标，能一次登记吗？", ceiling)
    assert v.ok
    floor = [_cite(1, "申请企业应当拥有至少2件有效发明专利。")]
    v, _ = policy_verdict("我们有一件发明专利，能申请吗？", floor)
    assert not v.ok


def test_a_range_is_a_floor_and_a_ceiling():
    found = bounds("贷款期限6个月至24个月；单笔金额100万元至800万元。", 1)
    said = {(b.op, b.value, b.unit) for b in found}
    assert {(">=", 6, "月"), ("<=", 24, "月"), (">=", 100, "万"), ("<=", 800, "万")} <= said
    rule = [_cite(1, "贷款期限6个月至24个月。")]
    for months, ok in ((30, False), (3, False), (12, True)):
        v, _ = policy_verdict(f"我们想借{months}个月，可以吗？", rule)
        assert v.ok is ok and "6个月至24个月" in v.reasons[0]


def test_what_is_usual_and_calendar_years_are_no_range():
    assert not bounds("期限多为1—3年，一般5—7个工作日办完。", 1)
    assert not bounds("实施期为2021—2023年。", 1)


def test_a_sum_after_the_verb_of_borrowing_is_the_loan_asked():
    cited = [_cite(1, "（三）单户贷款本金余额不超过1000万元；")]
    v, _ = policy_verdict("我们这次想贷1500万，能纳入吗？", cited)
    assert not v.ok
    v, _ = policy_verdict("我们这次想贷600万，能纳入吗？", cited)
    assert v.ok


def test_a_product_term_outside_its_range_is_a_no(sample_settings):
    p = next(p for p in catalog_for(sample_settings) if p.term_months.max and p.term_months.min)
    assert verdict(ask(f"{p.name}我们想借{p.term_months.max + 6:g}个月，行不行？", sample_settings).answer) == "否"
    assert verdict(ask(f"{p.name}我们想借{p.term_months.min:g}个月，行不行？", sample_settings).answer) == "是"


def test_whether_a_record_requires_something_is_answered_before_the_loans_range(sample_settings):
    from assistant.answer.products import record_text

    p, above, who = next((p, float(m.group(1)), m.group(2)) for p in catalog_for(sample_settings)
                         if (m := re.search(r"超过(\d+)万元部分须由([^，。；或]+?)提供担保", record_text(p))))
    ans = ask(f"{p.name}我们想贷{above + 100:g}万，是不是得让{who}来担保？", sample_settings)
    assert ans.answer.startswith("需要") and "部分须" in ans.answer.splitlines()[0]
    # a requirement with another way to meet it (须追加保证或由担保公司担保) says no 需要 for one of them, nor is the
    # loan's being within the product's range an answer to it
    q, above = next((q, float(m.group(1))) for q in catalog_for(sample_settings)
                    if (m := re.search(r"超过(\d+)万元部分须[^。；]*或", record_text(q))))
    either = ask(f"{q.name}我们想贷{above + 100:g}万，是不是得找担保公司担保？", sample_settings).answer.splitlines()[0]
    assert "的要求" not in either


def test_of_a_loan_taken_and_one_planned_the_planned_one_is_asked():
    cited = [_cite(1, "单户贷款额度100万元至1000万元。"), _cite(2, "企业上年营业收入不低于300万元。")]
    v, _ = policy_verdict("我们去年贷了200万，今年还想贷1500万，行不行？", cited)
    assert not v.ok and "1500万" in v.reasons[0]
    v, _ = policy_verdict("我们成立已经3年，想贷1500万，能批吗？", cited)
    assert not v.ok and "1500万" in v.reasons[0]


def test_a_loan_taken_before_is_no_loan_asked():
    cited = [_cite(1, "（三）单户贷款本金余额不超过1000万元；")]
    for said in ("我们去年贷了1500万，早还清了，这次能纳入吗？", "之前在别家已经贷过1500万，这次能纳入吗？"):
        decided = policy_verdict(said, cited)
        assert decided is None or "1500万" not in decided[0].reasons[0]


def test_a_deadline_in_working_days_counts_working_days():
    from assistant.answer.verdict import working_days

    rule = [_cite(1, "出质人应当自收到通知之日起5个工作日内书面告知质权人。")]
    # Friday 6 March 2026 to Thursday 12 March: four working days, six calendar days
    v, _ = policy_verdict("我们2026年3月6号收到通知，3月12号书面告知，来得及吗？", rule)
    assert v.ok and "4个工作日" in v.reasons[0]
    v, _ = policy_verdict("我们2026年3月6号收到通知，3月16号书面告知，来得及吗？", rule)
    assert not v.ok
    # the State Council's calendar: the National Day week is no working time, its make-up Saturday is
    assert working_days(dt.date(2026, 9, 30), dt.date(2026, 10, 8))[0] < 5
    assert working_days(dt.date(2031, 3, 7), dt.date(2031, 3, 14)) == (5, False)  # beyond the calendar: Monday to Friday


def test_a_day_said_without_its_month_is_in_the_month_said_before():
    dates = stated_dates("我们5月28号收到通知，打算3号再去办，来得及吗？")
    assert [(d.day.month, d.day.day) for d in dates] == [(5, 28), (6, 3)]
    # a number of days, a designation, or a day between two full dates is no day of its own
    for said in ("我们5月3日收到通知，按规定30日内要办，来得及吗？", "5月3日放款，按3号文件要求，超过30日了吗？",
                 "5月3日放款，15号到1号窗口交了材料，6月10日才批", "5月3日收到，按第20号公告去办"):
        assert all(d.text != "30日" and d.text != "3号" and d.text != "1号" and d.text != "20号" for d in stated_dates(said))
    assert len(stated_dates("5月3日放款，15号到1号窗口交了材料，6月10日才批")) == 2


def test_an_act_said_by_its_verb_and_how_it_ends_is_the_act_a_window_sets():
    rule = [_cite(1, "企业应当在每季度首月10日前提交申报；逾期的，纳入下一季度办理。")]
    v, _ = policy_verdict("打算4月8号把材料交到窗口，赶得上这一季吗？", rule)
    assert v.ok
    v, _ = policy_verdict("打算4月12号把材料交到窗口，赶得上这一季吗？", rule)
    assert not v.ok


def test_a_need_asked_still_hears_the_condition_the_firm_fails(sample_settings):
    p = next(p for p in catalog_for(sample_settings) if p.eligibility.max_debt_ratio and p.eligibility.max_debt_ratio < 0.9)
    over = round(p.eligibility.max_debt_ratio * 100) + 5
    ans = ask(f"我们负债率{over}%，{p.name}是不是得准备评估报告？", sample_settings)
    # what the firm fails is said, but as no yes or no to the need asked (a 否 would read as “no report needed”)
    assert verdict(ans.answer) is None and any(f"{over}%" in line for line in ans.answer.splitlines())


def test_a_unit_shared_is_no_quantity_shared():
    # the time from the patent's expiry to the loan's due date is no loan term: 年 in both says nothing of what is measured
    rule = [_cite(1, "（四）贷款期限不超过3年（含3年），办理展期的，展期后累计期限超过3年的部分不纳入补偿；")]
    assert policy_verdict("一件外观设计后年3月保护期就到头了，贷款打算借到后年9月底再还，这件还能押吗？", rule) is None


def test_what_a_rule_says_follows_a_case_is_concluded_when_that_is_asked():
    from assistant.answer.verdict import NOT_THE_CASE, consequence_verdict

    missed = [_cite(1, "申请人应当自收到补正通知之日起20日内补正；期满未补正的，视为撤回申请。")]
    v, ns = consequence_verdict("我们2026年5月6号收到补正通知，6月5号才补上，是不是就算撤回了？", missed)
    assert v.ok and ns == [1] and v.words == ("是", "不是") and "视为撤回申请" in v.reasons[0]
    # in time: the requirement was kept, so the lapse its missing sets does not follow
    in_time = "我们2026年5月6号收到补正通知，5月15号就补上了，是不是就算撤回了？"
    v, _ = consequence_verdict(in_time, missed)
    assert not v.ok and v.words == ("是", "不是") and "不适用" in v.reasons[0]
    denied = [_cite(1, "考核不良率高出各项贷款不良率2个百分点（含）以内的，可以不作为年度考核的扣分因素。")]
    v, _ = consequence_verdict("我们不良率比各项贷款高了1.5个百分点，年度考核会不会被扣分？", denied)
    assert not v.ok and v.words == ("会", "不会")
    # outside a case of a bound, the rule says nothing of the firm's case: no lead, not the opposite consequence
    assert consequence_verdict("我们不良率比各项贷款高了2.5个百分点，年度考核会不会被扣分？", denied) == NOT_THE_CASE
    # a negated question, and one asking whether the firm may take part, are left to the quotes and the bounds
    assert consequence_verdict("我们不良率高了1.5个百分点，是不是不会被扣分？", denied) is None
    assert consequence_verdict("我们不良率高了1.5个百分点，是不是就免扣分了？", denied) is None
    # the question's own verb must be the consequence's: asked whether it is still registered, 视为放弃该登记申请 says
    # what happens to the application, not 办 (an object both name is no consequence asked)
    dropped = [_cite(1, "出质人应当自收到通知之日起25日内补正；期满未补正的，视为放弃该质押登记申请。")]
    assert consequence_verdict("2026年5月6号收到通知，6月20号才补正，是不是照样给办质押登记？", dropped) is None
    capped = [_cite(1, "保费超过贷款本金2%的部分，不计入补贴基数。")]
    assert consequence_verdict("保费占本金2.5%，超出的那部分能申请补贴吗？", capped) is None
    # a correction not yet made, asked whether its consequence holds, is measured until today, said or not
    v, _ = consequence_verdict("我们2026年5月6号收到补正通知，还没补，这次申请是不是就算撤回了？", missed, dt.date(2026, 6, 10))
    assert v.ok and "到今天" in v.reasons[0]
    v, _ = consequence_verdict("我们2026年6月1号收到补正通知，还没补，这次申请是不是就算撤回了？", missed, dt.date(2026, 6, 10))
    assert not v.ok  # still within its 20 days
    # 申请 as the noun the asking clause opens on asks nothing of taking part: the consequence is what is asked
    v, _ = consequence_verdict("我们2026年5月6号收到补正通知，6月5号才补上，这次申请是不是就算撤回了？", missed)
    assert v.ok and "视为撤回申请" in v.reasons[0]
    # … while one asking by a modal, or ending on taking part, is whether the firm may take part
    assert not consequence_verdict("我们2026年5月6号收到补正通知，6月5号才补上，是不是还能接着申请？", missed)


def test_a_yearless_date_told_after_a_late_month_is_in_the_next_year():
    dates = stated_dates("我们2026年12月28号收到补正通知，1月6号才补上，来得及吗？")
    assert [d.day for d in dates] == [dt.date(2026, 12, 28), dt.date(2027, 1, 6)]
    # a month said as a recurring window, or after an earlier month, stays in its year
    assert [d.day.year for d in stated_dates("2026年3月放的款，5月才去申请，来得及吗？")] == [2026, 2026]


def test_a_product_record_of_another_bank_than_the_one_named_judges_no_figure(sample_settings):
    from assistant.answer.pipeline import _of_banks_named
    from assistant.answer.products import record_citation

    catalog = catalog_for(sample_settings)
    bocom = next(p for p in catalog if p.institution == "交通银行")
    record = record_citation(bocom, 2)
    rule = _cite(1, "出质人应当自收到相关通知之日起5个工作日内书面告知质权人。")
    # the firm's patent is pledged to 中行: 交行's record says nothing of it; named by 交行, or no bank named, it may
    assert _of_banks_named("押给中行的一件专利收到通知，今天才告知，还算按时吗？", [rule, record], sample_settings) == [rule]
    assert _of_banks_named("押给交行的一件专利收到通知，今天才告知，还算按时吗？", [rule, record], sample_settings) == [rule, record]
    assert _of_banks_named("押给银行的一件专利收到通知，今天才告知，还算按时吗？", [rule, record], sample_settings) == [rule, record]


def test_the_round_a_firm_means_to_file_in_takes_only_the_months_of_its_period():
    from assistant.answer.round_verdict import round_verdict

    today = dt.date(2026, 10, 15)
    rule = [_cite(1, "保费补贴每年申报两次：每年4月申报上一年度10月至12月已支付的保费，每年10月申报当年1月至9月已支付的保费。")]
    v, ns = round_verdict("保费今年11月、12月交的，打算明年4月再去报，来得及吗？", rule, today)
    assert v.ok and ns == [1] and "11月、12月在其中" in v.reasons[0]
    v, _ = round_verdict("今年2到5月的保费，10月那次没报，明年4月再报的时候一起报上行吗？", rule, today)
    assert not v.ok and "2月至5月不在其中" in v.reasons[0]
    v, _ = round_verdict("保费今年8月交了，下个月不忙，打算12月份提前报，行不行？", rule, today)
    assert not v.ok and "12月不是申报月份" in v.reasons[0]
    # months on both sides of a period: each goes to its own round, and nothing is said of the whole
    assert round_verdict("保费今年9月、11月各交一次，明年4月再报，能行吗？", rule, today) is None
    # no round to file in named, or nothing paid named: the rule is quoted as it is
    assert round_verdict("今年11月交的保费，什么时候能报？", rule, today) is None
    assert round_verdict("明年4月再报的时候，能报哪些月份的保费？", rule, today) is None
    # a filing month said without its year is the next such month to come; 交材料 files, it pays nothing
    v, _ = round_verdict("保费今年11月交的，等4月份再报行不行？", rule, today)
    assert v.ok and "2027年4月" in v.reasons[0]
    assert round_verdict("上半年的保费，10月交材料的时候漏了，明年4月补报行不行？", rule, today) is None
    # a sum in what is asked (还能按交的2万算吗) asks about the amount, not the round
    assert round_verdict("保费今年11月交了2万，后来退了5千，明年4月报的时候还能按2万算吗？", rule, today) is None
    # what the rounds are not for (评估费) is not judged by them
    assert round_verdict("评估费今年11月付的，明年4月再报行不行？", rule, today) is None


def test_what_a_rule_requires_of_a_case_is_needed_only_in_that_case():
    from assistant.answer.verdict import case_requirement_verdict

    rule = [_cite(1, "企业获得奖励后，在奖励发放之日起12个月内将注册地迁出本区的，应当自迁出之日起20日内退回全部奖励资金。")]
    v, ns = case_requirement_verdict("奖励是2025年3月10号发放的，2026年1月5号我们把注册地迁出了本区，奖励要不要退回？", rule)
    assert v.ok and ns == [1] and v.words == ("需要", "不需要") and "应当自迁出之日起20日内退回" in v.reasons[0]
    v, _ = case_requirement_verdict("奖励是2025年3月10号发放的，2026年6月5号我们把注册地迁出了本区，奖励要不要退回？", rule)
    assert not v.ok
    v, _ = case_requirement_verdict("奖励是2025年3月10号发放的，2026年1月5号我们把注册地迁出了本区，奖励要不要退？", rule)
    assert v.ok  # the verb asked alone
    # an act the rule does not require (要不要重新申请) is not answered by it; nor a question that asks no need
    assert case_requirement_verdict("奖励是2025年3月10号发放的，2026年1月5号迁出了本区，要不要重新申请？", rule) is None
    assert case_requirement_verdict("奖励是2025年3月10号发放的，2026年1月5号迁出了本区，奖励还能保留吗？", rule) is None


def test_a_count_of_months_and_a_half_is_read_whole():
    (f,) = stated_figures("贷款放了四个半月就还清了")
    assert (f.value, f.unit) == (4.5, "月")


def test_a_limit_is_measured_from_the_event_a_sentence_and_a_day_name():
    today = dt.date(2026, 12, 8)  # a Tuesday
    # an event named by a verbal noun alone (自合同解除之日起) is said by its characters (解除了)
    ended = [_cite(1, "合同已经解除的，受托机构应当自合同解除之日起5个工作日内退还保证金。")]
    v, _ = policy_verdict("我们11月20号把合同解除了，到今天机构还没退保证金，是不是已经拖过规定的时间了？", ended, today)
    assert not v.ok and "不超过5个工作日" in v.reasons[0]
    assert for_question("我们11月20号把合同解除了，到今天机构还没退保证金，是不是已经拖过规定的时间了？", v).words == ("是", "不是")
    # what the sentence is about, said before the limit (收到的退款…，在到账之日起10个工作日内转交)
    refund = [_cite(1, "收到的退款扣除手续费后，应当在到账之日起10个工作日内转交企业。")]
    v, _ = policy_verdict("退款11月2号到账了，到今天还没转交给我们，这是不是已经晚了？", refund, today)
    assert not v.ok
    # what happened the same day is that date's event too (3号提交，当天就受理了)
    review = [_cite(1, "登记机关自受理之日起3个工作日内作出决定。")]
    v, _ = policy_verdict("12月1号我们提交了申请，当天就显示受理，到今天还没有决定，超时了吗？", review, today)
    assert not v.ok and "共5个工作日" in v.reasons[0]


def test_a_question_naming_the_city_is_not_judged_by_a_districts_rounds(sample_settings):
    from assistant.answer.pipeline import _of_levels_named
    from assistant.index.snapshot import get_snapshot

    snapshot = get_snapshot(sample_settings)
    district = next(c for c in snapshot.chunks if c.get("region") == "西咸新区" and "申报" in c["text"])
    cited = [Citation(n=1, doc_id=district["doc_id"], title=district["title"], source=district["source"],
                      chunk_id=district["id"], text=district["text"])]
    assert _of_levels_named("市里的贴息，9月付的利息，明年1月再报行吗？", cited, snapshot) == []
    assert _of_levels_named("区里的贴息，9月付的利息，明年1月再报行吗？", cited, snapshot) == cited
    assert _of_levels_named("贴息，9月付的利息，明年1月再报行吗？", cited, snapshot) == cited


def test_a_limit_counted_from_the_last_word_of_its_case_is_asked_as_dragged_past():
    today = dt.date(2026, 12, 8)
    rule = [_cite(1, "借款合同已经全部履行的，受托人应当自合同履行之日起10个工作日内办结解押手续。")]
    q = "我们的借款合同11月10号就全部履行完了，受托人一直没来办解押，是不是拖过规定的时间了？"
    v, _ = policy_verdict(q, rule, today)
    assert not v.ok and for_question(q, v).words == ("是", "不是")
