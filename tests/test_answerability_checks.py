"""One contract for every registered answerability check: it declines a question it is for, with its own reason,
lets a near one pass, and reads nothing but the question, what the index knows and the passages. A check added
to the registry without examples here fails the suite."""

from __future__ import annotations

import pytest

from assistant.answer.scope import CHECKS, Evidence, Known, decline_reason, scope_reason

KNOWN = Known(
    text=("西咸新区知识产权质押融资贴息办法 按实际支付利息的50%给予贴息 白名单每季度受理一次 瞪羚企业可以申请 "
          "本办法所称科技型中小企业，是指入库企业 评估费 补助").lower(),
    regions=frozenset({"全国", "陕西省", "西咸新区", "浙江省"}),
    home="西咸新区",
)
ANSWERING = Evidence(["按实际支付利息的50%给予贴息，每家企业每年最高30万元。"], ["西咸新区知识产权质押融资贴息办法"], weak=False)

_WEIGHTS = {"技术合同": 2.0, "成交额": 2.0, "补助": 1.0, "百分之": 0.5}

# check name → (declined: question, evidence), (passed: question, evidence)
EXAMPLES: dict[str, tuple[tuple[str, Evidence | None], tuple[str, Evidence | None]]] = {
    "personal_finance": (("个人所得税专项扣除怎么填？", None), ("专利质押贷款贴息比例是多少？", None)),
    "uncovered_place": (("北京那边的贴息比例是多少？", None), ("咸阳的企业能申请贴息吗？", None)),
    "uncovered_topic": (("增值税留抵退税怎么申请？", None), ("贴息怎么申请？", None)),
    "undefined_qualification": (("瞪羚企业要满足哪些条件？", None), ("科技型中小企业要满足哪些条件？", None)),
    # a firm asked about by its own name that no document mentions; the firm's own role (合作银行) is no name
    "unknown_firm": (("承保的保险公司里有没有泰安财险？", None), ("评估机构要在备案名录里吗？", None)),
    # a bank asked about by its own name that neither the catalog nor a document names; one in the scene only passes
    "unlisted_bank": (("宁波银行能不能做专利质押贷款？", None), ("我们在宁波银行开的户，能申请贴息吗？", None)),
    "live_data": (("现在总共有几家企业进了白名单？", None), ("白名单多久受理一次？", None)),
    # another province's question read only national passages: not that province's rule; a passage of its own is
    "place_unanswered": (("浙江这边的贴息比例是多少？", Evidence(["贴息比例为50%。"], [""], weak=False, regions=["全国"])),
                         ("浙江这边的贴息比例是多少？", Evidence(["贴息比例为50%。"], [""], weak=False, regions=["浙江省"]))),
    # a neighbouring topic the asking clause names that the passages read say nothing of, though the corpus may
    "topic_unread": (("担保费算企业所得税时能全额扣除吗？", Evidence(["融资担保费率由融资担保公司与被担保人协商确定。"], [""], weak=False)),
                     ("担保费算企业所得税时能全额扣除吗？", Evidence(["企业支付的担保费可以在计算企业所得税时据实扣除。"], [""], weak=False))),
    "weak_evidence": (("贴息比例是多少？", Evidence(["贴息比例"], [""], weak=True)), ("贴息比例是多少？", ANSWERING)),
    "figure_missing": (("贴息比例是多少？", Evidence(["贴息资金由区财政统筹安排。"], [""], weak=False)), ("贴息比例是多少？", ANSWERING)),
    # the sentence most about the question names the share without fixing it; one stating it is an answer
    "figure_unspecified": (("技术合同成交额补助按百分之几给？",
                            Evidence(["县级以上人民政府可以按照技术合同成交额的一定比例给予补助。", "补助资金由本级财政统筹安排，年度预算为2000万元。"],
                                     ["某省成果转化条例", "某省成果转化条例"], weak=False, weights=_WEIGHTS)),
                           ("技术合同成交额补助按百分之几给？",
                            Evidence(["县级以上人民政府可以按照技术合同成交额的一定比例给予补助，补助比例为成交额的10%。"],
                                     ["某省成果转化条例"], weak=False, weights=_WEIGHTS))),
    "named_figure_missing": (("秦创贷的利率是多少？", Evidence(["知惠贷年利率3.5%。"], ["知惠贷产品说明"], weak=False)),
                             ("秦创贷的利率是多少？", Evidence(["秦创贷年利率3.8%。"], ["秦创贷产品说明"], weak=False))),
    "charge_missing": (("评估机构收费是评估值的百分之几？", Evidence(["按实际支付评估费的100%给予补助。"], [""], weak=False)),
                       ("评估费补助比例是多少？", Evidence(["按实际支付评估费的100%给予补助。"], [""], weak=False))),
    # a web address or a phone number asked for is stated in that form, not by the article that names the platform
    "contact_missing": (("投诉平台的网址是什么？", Evidence(["国家建立统一的投诉平台，受理投诉。"], [""], weak=False)),
                        ("投诉平台的网址是什么？", Evidence(["投诉平台网址为 www.example.gov.cn。"], [""], weak=False))),
    "names_missing": (("承保的保险公司有哪几家？", Evidence(["承保机构应当是财产保险公司。"], [""], weak=False)),
                      ("承保的保险公司有哪几家？", Evidence(["承保机构为人保财险、平安产险。"], [""], weak=False))),
}


def test_every_registered_check_has_examples_and_a_unique_name():
    names = [c.name for c in CHECKS]
    assert len(names) == len(set(names))
    assert set(names) == set(EXAMPLES)


@pytest.mark.parametrize("check", CHECKS, ids=[c.name for c in CHECKS])
def test_the_contract(check):
    (q_no, ev_no), (q_yes, ev_yes) = EXAMPLES[check.name]
    detail = check.fn(q_no, KNOWN, ev_no)
    assert detail is not None, f"{check.name} let through what it is for: {q_no}"
    assert check.fn(q_yes, KNOWN, ev_yes) is None, f"{check.name} declined a question it is not for: {q_yes}"
    # without evidence an evidence check never declines; a question check ignores the evidence it is given
    if check.needs_evidence:
        assert check.fn(q_no, KNOWN, None) is None
    else:
        assert check.fn(q_no, KNOWN, ANSWERING) == detail
    # through the pipeline's entry points the reason is the check's own (or an earlier check's, never none)
    reason = decline_reason(q_no, ev_no.passages if ev_no else ANSWERING.passages, ev_no.titles if ev_no else ANSWERING.titles,
                            ev_no.weak if ev_no else False, KNOWN.text, KNOWN.regions, ev_no.regions if ev_no else None, KNOWN.home)
    assert reason is not None and reason.split(":")[0] in {c.reason for c in CHECKS}
    if not check.needs_evidence:
        assert scope_reason(q_no, KNOWN.text, KNOWN.regions) == reason


def _place_check(question: str, passage: str, weak: bool = False) -> str | None:
    check = next(c for c in CHECKS if c.name == "place_unanswered")
    return check.fn(question, KNOWN, Evidence([passage], [""], weak=weak, regions=["浙江省"]))


def test_a_place_document_answers_a_question_of_several_parts_when_it_answers_one_part():
    """A part asking no figure is answered by the place's own article even though another part asks for a figure it
    does not state: that part is then said unanswered on its own, not the whole question declined for the place."""
    article = "发放的创新券可以在省内各地的服务机构使用。"
    # one part, a figure asked, the place's passage states none: declined for the place
    assert _place_check("在杭州领的创新券有效期是多久？", article) is not None
    # a second part the passage does answer (a yes/no): the place's document is read
    assert _place_check("在杭州领的创新券拿到温州能用吗？有效期是多久？", article) is None
    # where the evidence is weak anyway, the decline still names the place
    assert _place_check("在杭州领的创新券拿到温州能用吗？有效期是多久？", article, weak=True) is not None


def test_a_question_asking_when_is_answered_by_the_event_the_time_runs_from():
    """“…从什么时候生效” is answered by the rule naming the event it runs from (自登记之日起生效), though it states no
    date; a passage stating neither a date nor such an event still leaves it unanswered."""
    check = next(c for c in CHECKS if c.name == "figure_missing")
    asked = "按这个办法，保证合同从什么时候生效？"
    event = Evidence(["保证合同自双方签字盖章之日起生效。"], [""], weak=False)
    dated = Evidence(["保证合同于2025年3月1日起生效。"], [""], weak=False)
    neither = Evidence(["保证合同应当采用书面形式订立。"], [""], weak=False)
    assert check.fn(asked, KNOWN, event) is None
    assert check.fn(asked, KNOWN, dated) is None
    assert check.fn(asked, KNOWN, neither) is not None
    # a figure asked that is no time (多少) is not answered by the event
    assert check.fn("保证合同的担保金额是多少？", KNOWN, event) is not None


def test_a_place_question_asking_when_is_answered_by_the_place_rule_naming_the_event():
    """The place check reads the same answer kinds: the place's own rule that a right takes effect on an event
    answers when it takes effect; a passage of that place naming no time leaves it to the decline."""
    asked = "浙江这边的创新券从什么时候开始生效？"
    assert _place_check(asked, "创新券自发放之日起生效。") is None
    assert _place_check(asked, "创新券可以在省内各地使用。") is not None


def _unspecified(question: str, passages: list[str], regions: list[str | None] | None = None) -> str | None:
    check = next(c for c in CHECKS if c.name == "figure_unspecified")
    return check.fn(question, KNOWN, Evidence(passages, ["t"] * len(passages), weak=False, regions=regions, weights=_WEIGHTS))


def test_a_figure_the_rule_leaves_open_is_declined_only_for_that_kind_of_figure_and_where_nothing_states_it():
    vague = "县级以上人民政府可以按照技术合同成交额的一定比例给予补助。"
    # the share is left open: declined, the detail carrying the sentence to quote
    assert (_unspecified("技术合同成交额补助按百分之几给？", [vague]) or "").endswith(vague)
    # 一定期限 leaves a time open, not a share; 按照有关规定 leaves any kind open
    assert _unspecified("技术合同成交额补助按百分之几给？", ["按照技术合同成交额在一定期限内给予补助。"]) is None
    assert _unspecified("技术合同成交额补助按百分之几给？", ["按照有关规定对技术合同成交额给予补助。"]) is not None
    # a sentence nearly as much about the question that states a share answers it
    assert _unspecified("技术合同成交额补助按百分之几给？", [vague, "技术合同成交额补助比例为10%。"]) is None
    # a question naming a place is judged on that place's rules where any was read: its own figure answers, the
    # national rule's open wording does not decline it
    assert _unspecified("浙江的技术合同成交额补助按百分之几给？", [vague, "技术合同补助比例为10%。"], ["全国", "浙江省"]) is None
    assert _unspecified("浙江的技术合同成交额补助按百分之几给？", [vague, "技术合同补助比例为10%。"], ["浙江省", "全国"]) is not None
    # a period the rule points back to (在规定期限内) is no figure left open: the rule may state it elsewhere
    assert _unspecified("技术合同成交额补助多少天内拨付？", ["技术合同成交额补助在规定期限内拨付。"]) is None
    # a figure the question checks (是10%吧), stated nearly as much about it, may be the answer: the claim is checked
    assert _unspecified("技术合同成交额补助按10%给，对吧？", [vague, "技术合同补助比例为10%。"]) is None
    # a condition cut from a list (（三）未按…一定比例…的) is no rule to quote
    assert _unspecified("技术合同成交额补助按百分之几给？", ["（三）未按技术合同成交额的一定比例给予补助的；"]) is None


def test_a_decline_quoting_what_the_rule_says_reads_whole_without_its_parts_too():
    from assistant.answer.pipeline import refusal_text
    from assistant.settings import Settings

    settings = Settings()
    quoted = refusal_text("q", settings, "figure_unspecified:某条例|可以按一定比例给予补助。")
    assert "《某条例》规定“可以按一定比例给予补助”[1]" in quoted
    # a reason without its sentence still gives a whole decline, with no quote and no mark
    bare = refusal_text("q", settings, "figure_unspecified:某条例")
    assert "没有载明具体数字" in bare and "“" not in bare and "[1]" not in bare
