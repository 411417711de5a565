"""Answers that do the work, by mechanism: numbered questions split into parts, each part answered on its own or
said to be unanswered, a part that only recalls an old claim, yes/no questions decided by the time between two dates,
by where a firm is registered, or by the clause that allows or forbids the act asked about, and a product's rules
read against what the firm said earlier. Cases are written for the mechanism; figures come from the sample corpus."""

import datetime as dt
import re

import pytest

from assistant.answer.analysis import analyse
from assistant.answer.extractive import question_parts
from assistant.answer.follow_up import rewrite_follow_up
from assistant.answer.pipeline import ask
from assistant.answer.types import Answer, Citation
from assistant.answer.verdict import (
    _asked_act,
    elapsed,
    policy_verdict,
    rule_clauses,
    stance_verdict,
    stated_dates,
)
from assistant.evaluation.kinds import verdict
from assistant.retrieval.answer_type import asks_itself, topic_of
from tests.text_checks import assert_one_part_unanswered


def _cite(n: int, text: str) -> Citation:
    return Citation(n=n, doc_id="d", title="t", source="s", text=text, chunk_id=f"c{n}")


def test_numbered_items_are_parts_however_they_end():
    parts = question_parts("关于担保费补助想确认：1）补助比例多少？我们是首贷；2）一年报几次；3）找哪个部门办？")
    assert len(parts) == 3
    assert parts[1] == "一年报几次" and parts[2] == "找哪个部门办"
    # a statement that sets the scene is still no part
    assert question_parts("我们押了两件专利。贴息比例多少？") == ["贴息比例多少"]


def test_several_asks_in_one_sentence_are_parts():
    # three or more asking clauses between commas are that many parts; a clause asking nothing goes with the next
    assert question_parts("担保费补助那个，比例是多少，多久报一次，找哪个部门办？") == [
        "担保费补助那个，比例是多少", "多久报一次", "找哪个部门办"]
    # two, each naming what it asks at its end
    assert question_parts("市里什么时候申报，纸质材料交给谁？") == ["市里什么时候申报", "纸质材料交给谁"]
    # one question told in two clauses stays one: a short ask, a yes/no beside a figure, 几 that says “a few”
    assert len(question_parts("有没有发行过证券化产品，规模多大？")) == 1
    assert len(question_parts("补贴比例是多少，是不是百分之百？")) == 1
    assert len(question_parts("想再追加几件专利，变更登记要多长时间？")) == 1


def test_asks_listed_with_enumeration_commas_are_parts_but_listed_subjects_are_not():
    # every item between 、 asks on its own words: that many parts
    assert question_parts("报担保费补助，哪个月开始受理、逾期没交会怎么处理、审核要多少个工作日？") == [
        "报担保费补助，哪个月开始受理", "逾期没交会怎么处理", "审核要多少个工作日"]
    # subjects listed before one ask, or a short item, stay one question
    assert len(question_parts("贴息的比例、上限、申报月份是多少？")) == 1
    assert len(question_parts("评估费补多少、啥时候报？")) == 1


def test_numbered_items_in_running_text_are_parts_and_what_leads_them_is_the_frame():
    a = analyse("建行知产快贷，1.利率多少 2.几天能放款 3.要哪些材料")
    assert [p.text for p in a.parts][1:] == ["几天能放款", "要哪些材料"] and a.frame == "建行知产快贷"
    assert question_parts("利率1.5%的贷款能贴息吗？") == ["利率1.5%的贷款能贴息吗"]  # a decimal is no item number


def test_a_count_of_questions_opening_a_part_is_not_part_of_it():
    a = analyse("我们的贷款想纳入区里的资金池。几个问题：放款后多少天内备案？逾期多久能申请补偿？")
    assert a.parts[0].text == "放款后多少天内备案"
    assert analyse("秦科保的事：续保补多少？每年什么时候报？").parts[0].text == "秦科保的事：续保补多少"  # a topic stays
    # counted in 件, or in a clause of its own before the first ask
    assert analyse("两件事：评估费能报多少？多久能到账？").parts[0].text == "评估费能报多少"
    assert analyse("想问三件事，白名单多久更新？有效期多长？").parts[0].text == "白名单多久更新"
    assert analyse("同一件事，市里和区里能都报吗？").parts[0].text.startswith("同一件事")  # content, no count


def test_items_numbered_after_a_count_of_questions_are_parts_and_the_clause_before_it_is_the_frame():
    a = analyse("拿商标去银行押贷款，有几个事不清楚：1）审查要几天，要交什么材料？2）登记要不要收费？")
    assert a.frame == "拿商标去银行押贷款"
    assert [p.text for p in a.parts] == ["审查要几天，要交什么材料", "登记要不要收费"]


def test_words_that_only_ask_how_long_are_no_subject(sample_settings):
    from assistant.answer.pipeline import part_subject
    from assistant.index.snapshot import get_snapshot

    subject = part_subject("材料被要求补正的话，给多长时间", get_snapshot(sample_settings))
    assert "补正" in subject and not subject & {"多长时间", "长时间", "多长"}



def test_a_date_and_the_verb_of_how_it_was_ruled_are_no_subject(sample_settings):
    """“19年那一版当时怎么规定的” names no subject of its own: it leans on the part before it."""
    from assistant.answer.pipeline import part_subject
    from assistant.index.snapshot import get_snapshot

    snap = get_snapshot(sample_settings)
    assert part_subject("19年那一版当时怎么规定的", snap) == set()
    assert "贴息" in part_subject("2023年的贴息比例是多少", snap)
    assert "定期" in part_subject("怎样定期报告", snap) and "年期" in part_subject("1年期LPR是多少", snap)  # whole words only


def test_the_first_parts_own_topic_before_a_colon_is_the_frame():
    a = analyse("我们贷了300万。区里担保费补助的话：比例多少？多久报一次？")
    assert a.frame == "区里担保费补助"


def test_a_last_part_that_asks_is_a_part_without_its_question_mark():
    assert question_parts("担保费补助比例多少？一年报几次？另外想问下找哪个部门办") == ["担保费补助比例多少", "一年报几次", "另外想问下找哪个部门办"]
    assert question_parts("担保费补助比例多少？我们是首贷") == ["担保费补助比例多少"]  # a last statement is still no part


def test_a_part_that_asks_something_new_borrows_only_the_topic():
    assert topic_of("区里保费补贴比例是多少") == "区里保费补贴"
    assert asks_itself("哪个月申报") and not asks_itself("那商标呢？")
    rewritten = rewrite_follow_up("哪个月申报", ["区里保费补贴比例是多少"])
    assert "比例" not in rewritten and "保费补贴" in rewritten
    assert "比例" in rewrite_follow_up("那商标呢？", ["专利质押率比例是多少"])  # nothing asked of its own: all borrowed


def test_recalling_an_old_claim_is_not_asking_about_the_old_rule():
    assert not analyse("贴息比例现在是多少？我记得以前说是三成。").past
    assert analyse("以前那个暂行办法里贴息比例是多少？").past


def test_a_part_ending_in_ma_is_a_yes_no_whatever_figure_words_it_holds():
    assert analyse("我们的贷款期限两年，这个期限能申请贴息吗？").yes_no
    assert [p.asks for p in analyse("这个期限能申请贴息吗？").parts] == ["yes_no"]
    assert [p.asks for p in analyse("贷款期限最长多少？").parts] != ["yes_no"]
    # 几个 where the question sets the scene means “a few”: the clause ending in 吗 is what is asked
    assert [p.asks for p in analyse("我们押了几个商标贷的款，能申请担保费补助吗？").parts] == ["yes_no"]
    assert [p.asks for p in analyse("能补几个月的利息吗？").parts] != ["yes_no"]


def test_dates_without_a_year_take_the_latest_year_said():
    dates = stated_dates("合同2024年11月签的，2025年3月8号放款，今天6月2号了", today=dt.date(2026, 1, 1))
    assert [d.day for d in dates] == [dt.date(2024, 11, 1), dt.date(2025, 3, 8), dt.date(2025, 6, 2)]
    alone = stated_dates("2025年3月8号放的款，现在还能申请吗", today=dt.date(2025, 5, 1))
    assert alone[-1].day == dt.date(2025, 5, 1)  # 现在 with no date beside it is today


RULES = [_cite(1, "企业应当自贷款发放之日起6个月内提出申请，逾期不予受理。"),
         _cite(2, "合同签订日期在贷款发放日之前3个月以内。出具虚假材料的，3年内不得重新申请。")]


def test_the_time_between_two_dates_meets_the_rule_about_both_events():
    late = policy_verdict("2024年9月1号放的款，今天2025年5月10号，还能申请吗？", RULES)
    assert late is not None and not late[0].ok and late[1] == [1]
    assert "6个月" in late[0].reasons[0]
    in_time = policy_verdict("2025年2月1号放的款，今天2025年5月10号，还能申请吗？", RULES)
    assert in_time is not None and in_time[0].ok
    # the contract-to-loan span is judged by the clause about a contract and a loan, not the application deadline
    signed = policy_verdict("合同2024年10月签的，2025年3月1号才放款，这笔能申请吗？", RULES)
    assert signed is not None and not signed[0].ok and "3个月" in signed[0].reasons[0]
    assert len(elapsed("合同2024年10月签的，2025年3月1号才放款")) == 1


def test_a_figure_said_on_its_own_measures_what_the_clause_before_says():
    rule = [_cite(1, "（三）保险期限在6个月以上（含6个月）；")]
    exactly = policy_verdict("我们投的那份保险期限就半年，正好6个月。这样的也能报吗？", rule)
    assert exactly is not None and exactly[0].ok
    short = policy_verdict("我们投的那份保险期限就半年，正好5个月。这样的也能报吗？", rule)
    assert short is not None and not short[0].ok
    # a figure with words of its own before it is not read against the clause before
    assert policy_verdict("我们投的那份保险期限就半年，员工5个月没涨工资。这样的也能报吗？", rule) is None


def test_a_time_right_after_borrowing_is_the_loans_term():
    rule = [_cite(1, "申请补助的借款期限在4个月以上。")]
    two = policy_verdict("去年临时周转，只借两个月就还了，这笔能申请补助吗？", rule)
    assert two is not None and not two[0].ok and "两个月" in two[0].reasons[0]
    assert policy_verdict("去年临时周转，等了两个月才放下来，这笔能申请补助吗？", rule) is None  # a wait, not a term


def test_a_date_is_judged_against_the_recurring_window_a_rule_sets_for_the_act():
    yearly = [_cite(1, "补贴每年集中申报一次，每年9月1日至9月30日申报上一年度的保费，逾期不予受理。")]
    late = policy_verdict("去年的保费补贴，我们今年10月3号才去报，还能受理吗？", yearly)
    assert late is not None and not late[0].ok and "每年9月1日至9月30日" in late[0].reasons[0]
    on_time = policy_verdict("去年的保费补贴，我们今年9月30号去报，还能受理吗？", yearly)
    assert on_time is not None and on_time[0].ok
    months = [_cite(1, "市级补助每年5月至6月集中申报。")]
    assert policy_verdict("市级补助我们打算7月10号申报，来得及吗？", months)[0].ok is False
    quarterly = [_cite(1, "企业应当在每季度首月20日前提交申报；逾期提交的，纳入下一季度办理。")]
    assert policy_verdict("材料10月18号交上去，能赶上这个季度的申报吗？", quarterly)[0].ok
    assert not policy_verdict("材料11月2号交上去，能赶上这个季度的申报吗？", quarterly)[0].ok
    # a window for another act decides nothing
    assert policy_verdict("我们10月3号放的款，现在能去体检吗？", yearly) is None


def test_registering_a_mark_is_no_place_of_registration():
    assert rule_clauses("企业以西咸新区注册商标专用权质押的，可以申请贴息。") == []
    assert rule_clauses("申请企业应当在西咸新区注册登记。") == ["申请企业应当在西咸新区注册登记"]
    outside = policy_verdict("我们注册在西安市雁塔区，能申请吗？", [_cite(1, "（一）在西咸新区注册登记并依法纳税；")])
    assert outside is not None and not outside[0].ok


def test_a_clause_that_allows_or_forbids_the_act_decides_a_permission_question():
    quoted = "同一笔贷款的担保费补助与贴息可以同时申请。已获得省级补贴的，不得重复申请本项补贴。"
    cited = [_cite(1, quoted)]
    yes = stance_verdict("担保费补助和贴息能一起同时申请吗？", cited, quoted)
    assert yes is not None and yes[0].ok and yes[0].words == ("可以", "不能")
    no = stance_verdict("我们已获得省级补贴，本项补贴还能重复申请吗？", cited, quoted)
    assert no is not None and not no[0].ok
    assert stance_verdict("申请要交材料费吗？", cited, quoted) is None  # an obligation, not a permission
    conditional = "贷款展期并重新评估的，可以再次申请补助。"
    assert stance_verdict("这笔评估费还能申请补助吗？", [_cite(1, conditional)], conditional) is None  # its condition unmet


def test_a_rule_s_exception_goes_along_with_the_verdict_it_gives():
    rule = "数据资产登记后，持有人不得转让或者出租该数据资产，但是经登记机构备案同意的除外。转让所得应当用于清偿债务。"
    decided = stance_verdict("登记以后我们还能出租这个数据资产吗？", [_cite(1, rule)], rule)
    assert decided is not None and not decided[0].ok
    assert decided[0].reasons == ["数据资产登记后，持有人不得转让或者出租该数据资产，但是经登记机构备案同意的除外"]
    plain = "数据资产登记后，持有人不得转让或者出租该数据资产。"
    assert stance_verdict("登记以后我们还能出租这个数据资产吗？", [_cite(1, plain)], plain)[0].reasons == [
        "数据资产登记后，持有人不得转让或者出租该数据资产"]


def test_a_permission_asked_over_a_long_act_is_decided_by_a_clause_naming_two_of_its_words():
    quoted = "企业缴纳的评审费可以作为新的一笔申请补助。"
    cited = [_cite(1, quoted)]
    long_yes = stance_verdict("这回交的评审费，我们能把它当成新的一笔再去申请市里的补助吗？", cited, quoted)
    assert long_yes is not None and long_yes[0].ok
    # a long act sharing one word with the rule's is another act
    assert stance_verdict("我们能把这台设备拿去抵押给别的一笔贷款吗？", cited, quoted) is None


def test_the_act_a_rule_forbids_stands_after_the_reason_it_gives():
    rule = "合作银行不得以企业进入白名单为由收取服务费，不得因贷款纳入补偿而要求追加个人保证。"
    cited = [_cite(1, rule)]
    # 不得以…为由收取服务费 forbids charging, not entering the whitelist
    assert stance_verdict("我们今年能进白名单吗？", cited, rule) is None
    charged = stance_verdict("银行说进了白名单，能收服务费吗？", cited, rule)
    assert charged is not None and not charged[0].ok
    added = stance_verdict("贷款纳入补偿以后，银行还能要求法人再签个人保证吗？", cited, rule)
    assert added is not None and not added[0].ok


def test_a_deciding_clause_is_quoted_with_the_rule_it_ends_and_not_said_again_below_the_conclusion():
    from assistant.answer.verdict import with_verdict

    rule = "同一企业在类似商品上注册的近似商标必须一并质押，不能只押其中一部分。"
    decided = stance_verdict("类似商品上有三个近似商标，可不可以只押其中两个？", [_cite(1, rule)], rule)
    assert decided is not None and not decided[0].ok
    assert decided[0].reasons == ["同一企业在类似商品上注册的近似商标必须一并质押，不能只押其中一部分"]
    # a long sentence: the clause alone
    long_rule = "（二）" + "合作银行应当按照约定的利率、期限和额度发放贷款并及时向服务中心报送放款信息，" * 2 + "不得强制搭售理财产品。"
    alone = stance_verdict("银行要我们买理财产品，能强制搭售吗？", [_cite(1, long_rule)], long_rule)
    assert alone is not None and alone[0].reasons == ["不得强制搭售理财产品"]
    quoted = Answer(answer=f"{rule}[1]\n另一段话，说的是别的事。[2]", citations=[])
    led = with_verdict(quoted, decided[0], "[1]").answer.split("\n")
    assert led[0].startswith("不能：同一企业") and led[1:] == ["另一段话，说的是别的事。[2]"]


def test_a_question_declined_for_a_later_part_answers_the_others(sample_settings):
    # the whole question is declined (a topic no document mentions); its first part is still answered
    ans = ask("融资白名单多长时间更新一次？另外附近有地铁站吗？", sample_settings)
    assert_one_part_unanswered(ans, "季度", "地铁")


def test_the_scene_before_a_count_of_questions_is_every_parts_topic_and_a_figure_is_judged_on_its_own_clause(sample_settings):
    question = "我们行的知产贷准备纳入区里的资金池。两个问题：放款后几天内得备案？借款人逾期多长时间可以申请补偿，还用不用等质押物处置结束？"
    assert analyse(question).frame == "我们行的知产贷准备纳入区里的资金池"
    ans = ask(question, sample_settings)
    # both parts answered from the district pool's rules: the filing deadline, and the overdue time its own clause asks
    assert not ans.refused and "30日" in ans.answer and "90天" in ans.answer and "没有载明" not in ans.answer


def test_a_charge_a_later_part_asks_is_that_parts_decline_only(sample_settings):
    ans = ask("融资白名单多长时间更新一次？评估机构一般收多少评估费？", sample_settings)
    assert_one_part_unanswered(ans, "季度", "评估费")
    # the charge asked first is what the question is about: it stays declined
    assert ask("评估机构一般收多少评估费？融资白名单多长时间更新一次？", sample_settings).refused


def test_a_question_declined_for_its_first_part_stays_declined(sample_settings):
    ans = ask("我们员工的五险一金怎么交？另外保费补贴比例是多少？", sample_settings)
    assert ans.refused


def test_a_permission_question_leads_with_the_clause_that_allows_it(sample_settings):
    ans = ask("区里的担保费补助和知识产权质押贴息，两项能同时申请吗？", sample_settings)
    assert verdict(ans.answer) == "是"
    n = int(re.search(r"\[(\d+)\]", ans.answer.splitlines()[0]).group(1))
    assert "同时申请" in next(c for c in ans.citations if c.n == n).text


def test_what_the_firm_said_earlier_decides_a_product_question(sample_settings):
    said = "我们在西咸新区注册，专精特新企业，成立5年，去年营收5000万，有3件发明专利，征信良好。"
    ans = ask("那中银科创担保贷我司能申请吗？", sample_settings, history=[said])
    assert verdict(ans.answer) == "是"
    short = ask("那中银科创担保贷我司能申请吗？", sample_settings, history=["我们是去年才成立的公司，营收200万。"])
    assert verdict(short.answer) == "否"


def test_a_part_already_stated_is_not_said_to_be_unanswered():
    from assistant.answer.parts import answer_by_parts
    from assistant.answer.types import Answer

    question = "补贴最高多少？放款后多长时间内要申请？"
    whole = Answer(answer="每笔最高5万元，须在贷款发放之日起6个月内申请。[1]", citations=[_cite(1, "每笔最高5万元…")])
    declined = Answer(answer="没有载明", refused=True)

    def ask_part(text, context):
        return declined if "申请" in text else whole

    def nowhere(_part, _text):
        return False

    def within_months(part, text):  # as the pipeline's check: the kind asked (a duration), about a word of the part
        return "多长时间" in part and "个月内申请" in text

    kept = answer_by_parts(question, analyse(question), None, "服务中心", ask_part, whole, nowhere, stated=within_months)
    assert kept is None or "没有载明" not in kept.answer  # nothing to add: the whole answer stands
    said = answer_by_parts(question, analyse(question), None, "服务中心", ask_part, whole, nowhere)
    assert said is not None and "没有载明" in said.answer and "放款后多长时间内要申请" in said.answer


def test_a_passage_quoted_by_two_parts_is_shown_once_in_its_longer_form():
    from assistant.answer.parts import merge
    from assistant.answer.types import Answer

    long_line = "按实际支付评估费的100%补助，每笔最高5万元。支付6万元的，按上限补助5万元。[1]"
    first = Answer(answer="应当自贷款发放之日起6个月内申请。[1]\n按实际支付评估费的100%补助，每笔最高5万元。[2]",
                   citations=[_cite(1, "6个月"), _cite(2, "评估费")])
    second = Answer(answer=long_line, citations=[_cite(1, "评估费")])
    second.citations[0].chunk_id = "c2"  # the same passage as the first answer's [2]
    merged = merge([("a", first), ("b", second)], "服务中心")
    assert merged.answer.count("每笔最高5万元") == 1 and "按上限补助5万元" in merged.answer


def test_a_parts_subject_is_its_weightiest_word_and_a_far_lighter_word_inside_it_is_not(sample_settings):
    from assistant.answer.pipeline import part_subject, question_weights
    from assistant.index.snapshot import get_snapshot

    snap = get_snapshot(sample_settings)
    part = "担保公司一般要求提供多大比例的反担保"
    weights = question_weights(part, snap)
    assert weights["反担保"] > 2 * weights["担保"]  # the corpus names 担保 everywhere and 反担保 seldom
    assert part_subject(part, snap) == {"反担保"}  # a sentence about 担保 with a percent does not answer it
    # two words of like weight are both the subject: a sentence about either may answer it
    both = part_subject("续保的保费补贴比例是多少", snap)
    assert len(both) == 2 and "续保" in both


def test_the_topic_said_once_before_the_parts_is_the_frame_of_each():
    from assistant.answer.analysis import frame_of

    assert frame_of("秦科保这块：续保补多少？申报在几月？", ["续保补多少", "申报在几月"]) == "秦科保这块"
    assert frame_of("担保费补助问两个事：比例多少？哪个月报？", ["a", "b"]) == "担保费补助"
    assert frame_of("白名单的几个问题：多久更新？有效期多久？", ["a", "b"]) == "白名单"
    assert frame_of("两个问题：A能押吗？B能押吗？", ["a", "b"]) == ""  # a count is no topic
    assert frame_of("我们做软件的，想押软著：去哪登记？多久？", ["a", "b"]) == ""  # a scene, not one phrase
    assert frame_of("秦科保这块：续保补多少？", ["续保补多少"]) == ""  # one part: nothing to frame


def test_a_short_part_is_asked_about_the_frame_not_about_the_part_before_it(sample_settings):
    # “申报在几月” after “续保补多少”: the month of the insurance subsidy's filing, not of another list item
    ans = ask("秦科保这块：续保补多少？申报在几月？", sample_settings, use_llm=False)
    filing = [c for c in ans.citations if c.doc_id == "sx-qinkebao-2024" and "5月1日" in c.text]
    assert filing and f"[{filing[0].n}]" in ans.answer and "5月1日" in ans.answer



@pytest.mark.parametrize("question", ["区里担保费补助：比例多少？一年最多补多少？什么时候申报？",
                                      "市里的担保费补贴按多少比例补？一年最多补多少？"])
def test_a_year_before_what_is_paid_is_per_year(sample_settings, question):
    # “一年最多补多少” is answered by the rules' “每年最高…”: not said to be unanswered under the sentence stating it
    ans = ask(question, sample_settings)
    assert "每年" in ans.answer and "没有载明" not in ans.answer


def test_a_count_part_is_not_answered_by_a_count_of_something_else(sample_settings):
    # the corpus says how many banks a list goes to, never how many firms a list held: that part is unanswered
    ans = ask("融资白名单隔多长时间更新？上期一共入库了多少家企业？", sample_settings)
    assert_one_part_unanswered(ans, "季度", "多少家企业")


def test_an_allowing_clause_decides_nothing_for_a_case_an_exclusion_list_may_cover():
    excluded = _cite(1, "有下列情形之一的，不予补助：（一）贷款未实际发放的；（二）评估机构与申请企业存在关联关系的。")
    allows = _cite(2, "贷款发放后可以申请评估费补助。")
    quoted = excluded.text + allows.text
    # the firm states its case: the list may exclude it, so the allowing clause does not answer yes
    assert stance_verdict("评估公司是我们股东开的。评估费补助还能申请吗？", [excluded, allows], quoted) is None
    # no case stated: the allowing clause answers
    verdict_, _ = stance_verdict("评估费补助还能申请吗？", [excluded, allows], quoted)
    assert verdict_.ok


def test_a_count_of_something_is_no_subject_of_a_part(sample_settings):
    from assistant.answer.pipeline import part_subject
    from assistant.index.snapshot import get_snapshot

    # “一笔” counts loans: a sentence stating “每笔贷款最高…” answers the part all the same
    assert not part_subject("一笔贷款的评估费最多能补多少", get_snapshot(sample_settings)) & {"一笔", "每年", "单户"}


def test_words_that_name_nothing_are_no_subject_of_a_part(sample_settings):
    from assistant.answer.pipeline import part_subject
    from assistant.index.snapshot import get_snapshot
    from assistant.retrieval.tokenizer import get_tokenizer

    tok = get_tokenizer()
    # conjunctions, locatives, prepositions, particles and one-character adverbs name nothing a sentence is about ...
    assert all(tok.function_word(w) for w in ("要是", "如果", "以后", "之前", "以内", "按照", "的话", "最"))
    # ... but jieba's two-character adverbs, pronouns and locatives often do (到期, 同意, 他人, 内部评估), and a domain
    # word is untagged
    assert not any(tok.function_word(w) for w in ("到期", "同意", "他人", "内部", "外部", "逾期", "罚息", "续保", "保费补贴"))
    snapshot = get_snapshot(sample_settings)
    assert part_subject("要是逾期了，罚息按什么标准算", snapshot) == {"逾期", "罚息"}
    assert part_subject("要是续保的话，保费补贴按什么比例算", snapshot) == {"续保", "保费补贴"}
    # a part naming nothing of its own leans on the part before it (“最晚什么时候之前要报”)
    assert not part_subject("最晚什么时候之前要报", snapshot)


def test_a_cue_word_joined_to_its_modal_is_no_subject(sample_settings):
    from assistant.answer.pipeline import part_subject
    from assistant.index.snapshot import get_snapshot
    from assistant.retrieval.answer_type import is_cue

    assert is_cue("最多能") and is_cue("最高可") and is_cue("期限") and not is_cue("额度内") and not is_cue("能")
    subject = part_subject("一笔贷款的担保费最多能补多少", get_snapshot(sample_settings))
    assert "担保费" in subject and not any(is_cue(w) for w in subject)


def test_a_quote_cut_short_in_the_middle_gives_way_to_the_whole_sentence():
    from assistant.answer.parts import merge
    from assistant.answer.types import Answer

    cut = "按本金余额的50%补偿，单笔最高600万元。合并后超过600万元的，按本金余额比例分配。[1]"
    whole = "按本金余额的50%补偿，单笔最高600万元。同一企业在多家银行的不良贷款合并计算；合并后超过600万元的，按本金余额比例分配。[1]"
    first = Answer(answer=cut, citations=[_cite(1, "补偿")])
    second = Answer(answer=whole, citations=[_cite(1, "补偿")])
    merged = merge([("a", first), ("b", second)], "服务中心")
    assert merged.answer.count("单笔最高600万元") == 1 and "合并计算" in merged.answer


def test_a_comparison_tables_row_keeps_its_place_when_a_part_quotes_the_same_record():
    from assistant.answer.parts import merge
    from assistant.answer.types import Answer

    table = "| 产品 | 利率 |\n|---|---|\n| 甲行「甲贷」[1] | 年化约3.0%–4.0% |\n| 乙行「乙贷」[2] | 年化约3.5%–4.5% |"
    first = Answer(answer=table, citations=[_cite(1, "甲贷"), _cite(2, "乙贷")], composer="compare")
    record = Answer(answer="甲行「甲贷」（示例产品）：利率一年期LPR加0至100个基点（年化约3.0%–4.0%），期限1至3年。[1]",
                    citations=[_cite(1, "甲贷")])
    merged = merge([("比较", first), ("甲贷期限", record)], "服务中心").answer.split("\n")
    assert merged[2].startswith("| 甲行「甲贷」") and merged[3].startswith("| 乙行「乙贷」")


def test_a_quote_restating_the_figures_above_in_much_the_same_words_is_a_restatement():
    from assistant.answer.parts import bigrams, figures_of, restates

    article = "区科创金融局自申报期截止之日起15个工作日内完成审核，审核结果公示5个工作日；公示期满后10个工作日内拨付资金。[1]"
    shown, figures = bigrams(article), figures_of(article)
    assert restates("审核15个工作日、公示5个工作日，公示期满后10个工作日内拨付资金。[2]", shown, figures)
    # a figure not said above (20个工作日), or one in another unit (15万元 is no 15个工作日), is news
    assert not restates("审核15个工作日、公示5个工作日，公示期满后20个工作日内拨付资金。[2]", shown, figures)
    assert not restates("审核15万元、公示5个工作日，公示期满后10个工作日内拨付资金。[2]", shown, figures)
    # words without a figure are judged by the stricter repetition rule, not this one
    assert not restates("公示期满后拨付资金，审核结果公示。[2]", shown, figures)


def test_a_question_naming_a_programme_is_not_answered_from_another_programmes_passage():
    from assistant.answer.extractive import Passage, pick_sentences

    idf = {"秦科保": 3.0, "申报": 1.0, "截止": 2.0, "补贴": 1.0, "贴息": 1.5, "受理": 1.0}
    passages = [
        Passage(n=1, text="秦科保保费补贴每年5月集中申报，5月31日截止。", rank=0, doc="insurance"),
        Passage(n=2, text="贴息每半年申报一次，逾期截止后不予受理。", rank=1, doc="interest"),
        Passage(n=3, text="秦科保补贴申报截止后，逾期不予受理。", rank=2, doc="faq"),
    ]
    docs = {p.doc for p in pick_sentences("秦科保补贴最晚哪天截止申报？错过了还受理吗？", passages, idf)
            for p in [passages[p.passage]]}
    assert "interest" not in docs and "insurance" in docs


@pytest.mark.parametrize(("question", "past"), [
    ("服务中心在哪栋楼？我们想开车过去当面问问。", False),  # 过去: going there
    ("我们公司之前没贷过款，这次首贷能多补一些吗？", False),  # the firm's own history
    ("担保费当时交的是现金，能报补助吗？", False),
    ("以前那个贴息办法是按几成贴的？", True),
    ("当年搞园区白名单行动那会儿，银行给多少授信？", True),
    ("2019年省里的风险补偿办法补多少？", True),
    # what is asked names the current version; the old one is only the scene it is set against
    ("新旧两版贴息办法我有点糊涂，现行办法里混合担保怎么算？", False),
    ("新旧两版贴息办法我有点糊涂，2019年的暂行办法里混合担保怎么算？", True),
    ("新旧两版贴息办法：旧办法里按几成贴？新版里按几成贴？", True),  # one part still asks of the old
    # a certificate or a patent called old or void is no old rule: 旧 and 失效 point back only beside a rule word
    ("质押登记通知书是旧的那张找不到了，要补办吗？", False),
    ("押着的发明专利因为漏缴年费失效了，银行会怎么处理？", False),
    ("那份失效的文件当时是怎么规定贴息比例的？", True),
    ("旧标准下评估费能补几成？", True),
    ("旧规里评估费补几成？", True), ("评估费按旧的算还是按新的算？", True),
    ("贴息这块今年依旧按季度报吗？", False), ("我们之前按入库标准报过，还能再报吗？", False),  # 依旧; the firm's own earlier filing
])
def test_an_earlier_time_points_to_an_old_rule_only_where_a_rule_is_spoken_of(question, past):
    assert analyse(question).past is past


@pytest.mark.parametrize(("question", "asks"), [
    ("我们合同期限正好6个月，区里的贴息能报不？", "yes_no"),  # a trailing 不 asks
    ("贷款期限签的正好3年，光看期限能不能纳入补偿？", "yes_no"),  # 期限 is the subject, 能不能 the ask
    ("贴息的申报期限是多久？", "deadline"),
    ("有没有说最长能放到几年？", "figure"),  # a yes/no form around a named ask (几年)
    ("利率上限是LPR加150个基点，对吧？", "yes_no"),  # a claim, then a tag of its own that ends in 吧
    ("说说申请流程吧", "procedure"),  # a request that ends in 吧 is no tag
])
def test_a_last_clause_in_a_yes_no_form_asks_yes_or_no_whatever_figure_word_it_holds(question, asks):
    assert [p.asks for p in analyse(question).parts] == [asks]


def test_a_calendar_deadline_counted_from_an_event_decides_whether_an_act_is_in_time():
    rule = "（二）合作银行应当在贷款发放后次月10日前，通过服务平台报送贷款备案信息；"
    late = policy_verdict("贷款6月20日发放的，7月12日才去服务平台报备案，按期吗？", [_cite(1, rule)])
    assert late is not None and not late[0].ok and "7月10日" in late[0].reasons[0]
    in_time = policy_verdict("贷款12月20日发放的，次年1月8日去服务平台报备案，按期吗？", [_cite(1, rule)])
    assert in_time is not None and in_time[0].ok and "1月10日" in in_time[0].reasons[0]  # December's next month is January
    # a rule on another act does not decide it
    assert policy_verdict("贷款6月20日发放的，7月12日去交贴息申请，行吗？", [_cite(1, "企业应当在每年3月31日前提交年报。")]) is None


def test_a_figure_said_twice_is_one_reason():
    rule = "贷款期限不少于6个月。"
    decided = policy_verdict("合同期限签的是8个月。像这种期限8个月的贷款，能申请吗？", [_cite(1, rule)])
    assert decided is not None and decided[0].ok and len(decided[0].reasons) == 1


def test_points_asked_are_percentage_points_not_a_count():
    from assistant.retrieval.answer_type import states_wanted, wanted

    points = wanted("白名单企业的贷款能比别的企业低几个点？")
    assert points and states_wanted("下浮0.5%", points) and not states_wanted("推送至6家合作银行", points)
    # “有几个点想确认” counts the questions that follow: no figure is asked
    assert wanted("关于备案有几个点想确认") == []


def test_a_quantity_asked_in_a_unit_is_stated_only_in_that_unit():
    from assistant.retrieval.answer_type import states_wanted, wanted

    score = wanted("入库评价要拿到多少分才算合格？")
    assert states_wanted("评价得分不低于60分的，予以入库。", score)
    assert not states_wanted("实行入库评价制度，由专家打分。", score)
    staff = wanted("研发人员最少要几名？")
    assert states_wanted("研发人员不少于3名", staff) and not states_wanted("研发人员应当具有相关资格", staff)
    # after 几 the unit must close the clause: “几户人搞了个…” says “a few”, it asks nothing
    assert wanted("我们几户人搞了个互助担保组织，归谁管") == []
    # 百分之 is a share and 多少分钟 a time, not points
    assert not states_wanted("比例为百分之三十", wanted("考核最低要多少分？"))
    # a multiple is asked wherever the clause goes on (倍 counts no noun after it), and stated in words too
    times = wanted("恶意拖欠的，违约金最高能按几倍来算？")
    assert states_wanted("情节严重的，可以按应付金额的一倍以上三倍以下确定", times)
    assert states_wanted("按2倍计算", times) and not states_wanted("违约金由双方约定", times)


def test_how_much_anywhere_in_a_clause_asks_for_a_figure():
    from assistant.retrieval.answer_type import states_wanted, wanted

    grant = wanted("建一个中试基地，市里给多少扶持资金？")
    assert grant and states_wanted("给予最高200万元资助", grant) and not states_wanted("支持建设中试基地", grant)
    # “放出去多少了” asks how far a plan has got: no sentence of a rule states that
    assert wanted("计划投放的资金现在放出去多少了") == []


def test_a_report_charged_for_is_no_claim_of_a_subsidy():
    from assistant.answer.unstated import charge_missing

    # 报 of 报销 marks a subsidy question; the 报 of 报告 does not
    assert charge_missing("出一份检测报告要交多少钱？", ["检测机构应当在10个工作日内出具报告。"])
    assert not charge_missing("检测费能报多少？", ["检测机构应当在10个工作日内出具报告。"])


def test_a_time_said_by_the_event_it_runs_to_answers_when():
    from assistant.retrieval.answer_type import states_wanted, wanted

    when = wanted("展期的话最晚什么时候之前要去办变更？")
    assert states_wanted("应当在原登记期限届满前申请变更。", when)
    assert states_wanted("应当在到期之前申请。", when) and not states_wanted("应当及时申请变更。", when)


def test_which_months_is_a_time_and_a_word_that_asks_is_no_subject(sample_settings):
    from assistant.answer.analysis import per_year
    from assistant.answer.pipeline import part_subject
    from assistant.index.snapshot import get_snapshot
    from assistant.retrieval.answer_type import count_asked, wanted

    assert count_asked("一年报几次，哪几个月报") is None and count_asked("进了多少家企业") == ("家", "企业")
    assert wanted("每年啥时候申报") == wanted("每年什么时候申报") != []
    subject = part_subject(per_year("一年报几次，哪几个月报"), get_snapshot(sample_settings))
    assert subject and not subject & {"几次", "年报"}
    assert analyse("担保费补助想问几个事：1. 比例是多少 2. 什么时候报？").frame == "担保费补助"


def test_a_part_declined_by_a_check_that_still_holds_on_the_answer_is_said_to_be_unanswered():
    from assistant.answer.parts import answer_by_parts
    from assistant.answer.types import Answer

    question = "补贴最高多少？现在名录里一共有多少家评估公司？"
    whole = Answer(answer="每笔最高5万元，名录内评估机构3年内不得重新申请。[1]", citations=[_cite(1, "每笔最高5万元…")])
    live = Answer(answer="没有载明", refused=True, decline_reason="live_data")

    def ask_part(text, context):
        return live if "名录" in text else whole

    def loosely(_part, _text):  # the loose checks find a figure near a word of the part
        return True

    def declines_on(_part, reason, _text):
        return reason == "live_data"

    said = answer_by_parts(question, analyse(question), None, "服务中心", ask_part, whole, loosely, stated=loosely,
                           declines_on=declines_on)
    assert said is not None and "没有载明" in said.answer and "评估公司" in said.answer
    kept = answer_by_parts(question, analyse(question), None, "服务中心", ask_part, whole, loosely, stated=loosely)
    assert kept is None  # without the check, the loose ones would hide the unanswered part


def test_the_check_that_declined_a_part_is_run_again_on_what_the_answer_says():
    from assistant.answer.scope import declines_on

    # a live tally stays live whatever was said
    assert declines_on("live_data", "现在总共有几家企业进了白名单？", "白名单每季度更新一次，推送至6家合作银行。")
    # a charge: declined again where the answer does not state it, not where it does
    asked = "评估机构收费是评估值的百分之几？"
    corpus = "评估机构 评估费 补助"  # the corpus names the fee of the service asked about
    assert declines_on("charge_missing", asked, "按实际支付评估费的100%给予补助。", corpus)
    assert not declines_on("charge_missing", asked, "评估机构的评估费一般为评估值的0.5%。", corpus)
    # names: a sentence naming an insurer answers which insurers
    assert declines_on("names_missing", "承保的保险公司有哪几家？", "承保机构应当是财产保险公司。")
    assert not declines_on("names_missing", "承保的保险公司有哪几家？", "承保机构为人保财险、平安产险。")
    # a programme's figure: declined again where the answer states none for it, not where it does
    assert declines_on("named_figure_missing", "秦知贷的补偿比例是多少？", "秦知贷由省知识产权局会同省财政厅管理。")
    assert not declines_on("named_figure_missing", "秦知贷的补偿比例是多少？", "秦知贷按本金损失的50%给予补偿。")
    # weak evidence is no check of what is asked: what was said may answer the part
    assert not declines_on("weak_evidence", "贴息比例是多少？", "")
    assert not declines_on(None, "贴息比例是多少？", "")


def test_the_figure_of_a_lists_item_is_about_the_items_own_words():
    from assistant.answer.extractive import item_scopes
    from assistant.answer.pipeline import _states_about
    from assistant.retrieval.answer_type import wanted

    quoted = "申请入库的企业应当同时符合下列条件：（三）最近一期资产负债率不高于65%。"
    assert item_scopes(quoted) == ["申请入库的企业应当同时符合下列条件：", "（三）最近一期资产负债率不高于65%。"]
    assert item_scopes("补助比例为50%，每年最高10万元。") == ["补助比例为50%，每年最高10万元。"]
    rate = wanted("入库企业的利率比例最多能低多少")
    assert not _states_about(quoted, rate, {"入库", "利率"})  # 65% is the debt ratio's, not the head's 入库
    assert _states_about(quoted, wanted("资产负债率的比例上限是多少"), {"资产负债率"})


def test_a_figure_the_part_itself_gives_does_not_answer_it(sample_settings):
    from assistant.answer.pipeline import _states_about
    from assistant.retrieval.answer_type import given_numbers, wanted

    part = "听说计划投40亿，到现在实际投了多少"
    # the figure restated in digits or in words (四十亿) is the part's own; another figure would state something
    for text in ("该行计划投放40亿元支持科技企业。", "该行计划投放四十亿元支持科技企业。"):
        assert _states_about(text, wanted(part), {"投放", "计划"})
        assert not _states_about(text, wanted(part), {"投放", "计划"}, given_numbers(part))
    assert _states_about("该行计划投放四十亿元，已投放十二亿元。", wanted(part), {"投放", "计划"}, given_numbers(part))


def test_how_long_approval_takes_is_asked_of_speed_not_of_the_loans_term(sample_settings):
    from assistant.answer.products import asked_fields, describe
    from assistant.products.catalog import catalog_for

    assert asked_fields("这款产品审批一般要多久？") == ["speed"]
    assert asked_fields("材料齐全的话几天能批下来？") == ["speed"]  # materials as a condition are not asked for
    assert "term" in asked_fields("这款产品最长能贷多久？")
    assert "documents" in asked_fields("申请要交哪些证明？")
    assert "guarantee" in asked_fields("除了质押以外，还要谁提供保证？")  # 保证: the surety kind of guarantee
    assert "guarantee" not in asked_fields("企业要保证材料真实吗？")
    assert "process" in asked_fields("这个产品到哪里提交申请？")  # where to apply: the steps say where
    with_step = next(p for p in catalog_for(sample_settings) if any("审批" in s and any(c.isdigit() for c in s) for s in p.process))
    step = next(s for s in with_step.process if "审批" in s and any(c.isdigit() for c in s))
    assert step in describe(with_step, "speed") and f"{with_step.days_to_loan}个工作日" in describe(with_step, "speed")


def test_a_record_answer_covers_a_part_only_where_every_clause_that_asks_names_a_field(sample_settings):
    # the second part speaks of approval (a field) but asks about a penalty the record does not state
    ans = ask("秦农知产贷的利率大概多少？审批大概一周能完吧，另外提前还款收不收违约金？", sample_settings)
    assert "没有载明" in ans.answer and "违约金" in ans.answer.split("没有载明")[0]
    # a yes or no about what the record answer states (外观设计 beside its pledge ratio) needs no answer of its own
    stated = ask("中行知惠贷小额版：外观设计专利能不能拿来押，质押率多少？单户额度最高多少？", sample_settings)
    assert "没有载明" not in stated.answer and len(stated.citations) == 1 and "外观设计" in stated.answer


def test_a_case_said_in_the_modals_own_clause_must_be_the_questions():
    rule = "已享受市级科技金融业务补助的不能再申请本补助。"
    cited = [_cite(1, rule)]
    # the firm says nothing of the city's subsidy: the rule on that case decides nothing
    assert stance_verdict("新区的担保费补助我们还能申请吗？", cited, rule) is None
    # the firm's own case is that one: the rule decides it
    decided = stance_verdict("这个项目已经享受过市级科技金融业务补助了，区里的补助还能申请吗？", cited, rule)
    assert decided is not None and not decided[0].ok
    # a 的 that only qualifies a noun states no case (本办法规定的贴息 is what may be applied for alongside)
    both = "上述补助与本办法规定的贴息可以同时申请。"
    allowed = stance_verdict("担保费补助和贴息能同时申请吗？", [_cite(1, both)], both)
    assert allowed is not None and allowed[0].ok


def test_a_clause_that_charges_nothing_answers_whether_to_pay_and_an_faq_clause_counts_as_quoted():
    from assistant.answer.verdict import need_verdict

    faq = "问：代办要收钱吗？\n答：服务中心的咨询和补贴代办全部免费。"
    shown = "服务中心的咨询和补贴代办全部免费。[1]"
    decided = need_verdict("找服务中心代办补贴要不要交钱？", [_cite(1, faq)], shown)
    assert decided is not None and not decided[0].ok and decided[0].words == ("需要", "不需要")
    assert not decided[0].reasons[0].startswith("答")
    assert need_verdict("找服务中心代办补贴要不要交钱？", [_cite(1, faq)], "评估费由企业支付。[1]") is None  # not quoted


def test_a_rule_on_levels_of_government_the_question_does_not_name_decides_nothing():
    levels = "同一笔业务不得同时享受市级和区级同类补贴。"
    both = "上述补助与本办法规定的贴息可以同时申请。"
    cited = [_cite(1, levels), _cite(2, both)]
    decided = stance_verdict("省里保费补贴跟区里贴息可不可以同时申请？", cited, levels + both)
    assert decided is not None and decided[0].ok and decided[1] == [2]
    city = stance_verdict("市里的补贴和区里的补贴能不能同时申请？", cited, levels + both)
    assert city is not None and not city[0].ok and city[1] == [1]


def test_a_short_part_leaning_on_the_one_before_is_answered_by_a_figure_in_the_unit_it_asks(sample_settings):
    ans = ask("专利质押登记在哪办？多少天办完？收费吗？", sample_settings)  # the whole is declined for its charge: answered part by part
    assert "没有载明" not in ans.answer and "个工作日" in ans.answer


def test_a_verb_asked_alone_with_ma_is_answered_in_its_own_words_by_a_rule_on_that_verb():
    rule = "逾期期间支付的罚息不予贴息。"
    decided = stance_verdict("贷款逾期了，罚息那部分区里还给贴吗？", [_cite(1, rule)], rule)
    assert decided is not None and not decided[0].ok and decided[0].words == ("贴", "不贴")
    # a rule on another verb decides nothing; nor does a word that is no verb (对吗)
    assert stance_verdict("罚息那部分区里还给贴吗？", [_cite(1, "罚息不予认定。")], "罚息不予认定。") is None
    assert stance_verdict("罚息不计入，对吗？", [_cite(1, rule)], rule) is None


def test_the_end_of_a_word_asked_with_ma_is_no_verb():
    rule = "展期期间支付的利息不予补助。"
    # 助 ends 补助: the question asks whether there is a subsidy, not whether something is “helped”
    assert stance_verdict("展期那段时间的利息还有补助吗？", [_cite(1, rule)], rule) is None


def test_an_answered_whole_none_of_whose_parts_it_answers_is_declined():
    from assistant.answer.parts import answer_by_parts
    from assistant.answer.types import Answer

    question = "开业贷款担保最高能担保多少万？贴息按什么比例贴？"
    # the whole finds a passage on the topic that states neither figure; each part, asked alone, is declined
    whole = Answer(answer="创办小企业的，可以申请一定额度的担保贷款，并享受贴息。[1]", citations=[_cite(1, "创办小企业的…")])
    declined = Answer(answer="没有载明", refused=True, decline_reason="figure_missing")

    def ask_part(text, context):
        return declined

    def nowhere(_part, _text):
        return False

    none_answered = answer_by_parts(question, analyse(question), None, "服务中心", ask_part, whole, nowhere)
    assert none_answered is not None and none_answered.refused and none_answered.decline_reason == "parts_unanswered"

    def only_the_second(text, context):
        return declined if "担保" in text else Answer(answer="按贷款利息的50%贴息。[1]", citations=[_cite(1, "按贷款利息的50%贴息。")])

    one_answered = answer_by_parts(question, analyse(question), None, "服务中心", only_the_second, whole, nowhere)
    assert one_answered is not None and not one_answered.refused
    assert "50%" in one_answered.answer and "没有载明" in one_answered.answer


def test_a_question_no_part_of_which_is_answered_is_declined_with_where_the_documents_touch_it(sample_settings, monkeypatch):
    import assistant.answer.parts as parts

    def nothing_answered(question, analysis, history, contact, ask_part, whole, *rest, **kw):
        return whole.model_copy(update={"refused": True, "decline_reason": "parts_unanswered"})

    monkeypatch.setattr(parts, "answer_by_parts", nothing_answered)
    ans = ask("秦科保的保费补贴比例是多少？申报期是哪几个月？", sample_settings, use_llm=False)
    assert ans.refused and ans.decline_reason == "parts_unanswered" and not ans.citations
    assert "科技保险" in ans.answer and "服务中心" in ans.answer and "申报期" not in ans.answer  # the titles, not the question


def test_asks_numbered_in_words_are_parts_however_they_end():
    parts = question_parts("打算把软著拿去质押。一是版权中心几个工作日审完；二是登记证书丢了能不能补发；三是登记要不要收费？")
    assert parts == ["版权中心几个工作日审完", "登记证书丢了能不能补发", "登记要不要收费"]
    assert question_parts("我们是高企，这个补贴比例是多少？") == ["我们是高企，这个补贴比例是多少"]


def test_a_story_told_first_does_not_dilute_what_is_asked(sample_settings, monkeypatch):
    import assistant.answer.pipeline as pipeline

    story = "我们公司做工业软件，股东里有高校老师，去年营收两千来万，员工五十多人，有三个软著和一件实用新型，之前在秦农办过一笔信用贷，已经还清了。"
    question = story + "评估费补助每笔最多补多少？"
    ans = ask(question, sample_settings, use_llm=False)
    assert not ans.refused and "5万元" in ans.answer  # answered from the asking clause's own passages
    monkeypatch.setattr(pipeline, "STORY_SHARE", -1.0)  # judged on the whole story alone, it is declined
    assert ask(question, sample_settings, use_llm=False).decline_reason == "weak_evidence"


def test_the_date_the_question_calls_today_is_what_its_now_means():
    dates = stated_dates("贷款今年2月1号放的，今天都9月20号了，现在还能申请吗", today=dt.date(2026, 12, 1))
    assert [d.day for d in dates] == [dt.date(2026, 2, 1), dt.date(2026, 9, 20)]  # not the machine's 12月1日 as well
    assert [s.days for s in elapsed("贷款今年2月1号放的，今天都9月20号了，现在还能申请吗", today=dt.date(2026, 12, 1))] == [231]


def test_a_figure_part_is_stated_only_by_a_figure_about_its_subject_and_a_claim_by_one_about_any_of_its_words(sample_settings):
    # the whole answer states percents about 担保费补助, never about 反担保: that part is said to be unanswered
    ans = ask("担保费补助的比例是多少？担保机构通常要求企业做多大比例的反担保？", sample_settings, use_llm=False)
    assert_one_part_unanswered(ans, "50%", "反担保")
    # a claim checked after the rule is asked (“…上浮两成，是吧”) is no part of its own to call unanswered: the rule
    # quoted for the first part is what the claim is measured against
    checked = ask("秦知贷对贷款利率有什么上限？我听人讲是不超过基准利率上浮两成，是吧？", sample_settings, use_llm=False)
    assert not checked.refused and "150个基点" in checked.answer and "没有载明" not in checked.answer


def test_a_sentence_before_numbered_items_sets_the_scene_and_is_no_topic_of_the_first_item():
    # the first item is asked on its own words, not as “：…” glued to the scene sentence before it
    parts = analyse("我们上个月刚放款。1. 评估费补助最高多少？2. 申请材料有哪些？").parts
    assert [p.text for p in parts] == ["评估费补助最高多少", "申请材料有哪些"]
    # a topic said before the items without ending a sentence is still the topic
    assert analyse("秦农知产贷，1.利率多少 2.几天能批").frame == "秦农知产贷"


def test_a_cue_joined_to_its_verb_or_a_word_every_passage_says_is_no_subject(sample_settings):
    from assistant.answer.pipeline import part_subject
    from assistant.index.snapshot import get_snapshot

    snap = get_snapshot(sample_settings)
    # jieba cuts 最多补 as one word and the corpus says 企业 everywhere: the part names no subject of its own and
    # reads against the question it is part of
    assert part_subject("单户企业每年 最多补多少", snap) == set()
    assert part_subject("反担保比例最多多少", snap) == {"反担保"}
    ans = ask("省里的保费补贴续保按几成给？每家企业每年最多补多少？", sample_settings, use_llm=False)
    assert "20万元" in ans.answer and "60%" in ans.answer and "没有载明" not in ans.answer


def test_a_year_before_what_is_paid_is_searched_as_per_year_and_shown_as_typed(sample_settings):
    from assistant.answer.analysis import per_year
    from assistant.answer.pipeline import search_analysis

    asked = analyse("评估费补助，每户一年里最多补几笔？")
    searched = search_analysis(asked, sample_settings)
    assert "每年" in searched.query and "每年" not in asked.query  # the rules say 每年最多…笔
    assert all("每年" not in p.text for p in searched.parts)  # a part said to be unanswered is quoted as typed
    # a year that is a term, or no payout after it, stays a year
    assert per_year("一年期贷款利率多少？") == "一年期贷款利率多少？"
    assert per_year("贷了一年，利息多少？") == "贷了一年，利息多少？"


def test_parts_the_documents_do_not_answer_are_named_together_after_what_they_do_answer():
    from assistant.answer.parts import merge

    answered = Answer(answer="白名单每季度更新一次。[1]", citations=[_cite(1, "白名单每季度更新一次。")])
    declined = Answer(answer="没有载明", refused=True)
    merged = merge([("问题", answered), ("停车场在哪", declined), ("白名单更新频率", answered), ("食堂几点开门", declined)],
                   "服务中心，电话 029-0000")
    lines = merged.answer.split("\n")
    assert lines[0].startswith("白名单每季度更新一次") and len(lines) == 2
    assert "“停车场在哪”、“食堂几点开门”" in lines[-1] and merged.answer.count("服务中心，电话") == 1
    assert [c.n for c in merged.citations] == [1]


def test_every_part_of_a_question_is_represented_in_the_top_passages():
    from assistant.answer.pipeline import parts_in_top
    from assistant.retrieval.hits import Hit

    whole = [Hit(idx=i, score=10.0 - i) for i in range(8)]
    # the first part's best few include a passage the whole question ranked 3rd: it is represented already
    first = ("专利登记几天", [Hit(idx=2, score=1.0), Hit(idx=20, score=0.9)])
    # the second part's best few are none of the whole question's top five: its best comes in, after the first four
    second = ("软著登记几天", [Hit(idx=30, score=1.0), Hit(idx=31, score=0.9), Hit(idx=6, score=0.8)])
    out = parts_in_top(whole, [first, second], top=5)
    assert [h.idx for h in out[:5]] == [0, 1, 2, 3, 30]
    assert out[4].stages["part"] == 1.0 and [h.score for h in out] == sorted((h.score for h in out), reverse=True)
    assert [h.idx for h in out[5:]] == [4, 5, 6, 7]  # nothing lost, nothing twice
    # a part already represented changes nothing; no whole-question passages, nothing to reorder
    assert parts_in_top(whole, [first], top=5) == whole
    assert parts_in_top([], [second], top=5) == []


def test_a_part_asking_points_is_stated_by_a_number_of_points(sample_settings):
    # the rule says 得分 where the part says 打分: a number of points (60分) under the part is its answer, and the part is
    # not said to be unanswered below the sentence that states it
    ans = ask("科技型中小企业对职工人数有限制吗？打分得拿到多少分？", sample_settings)
    assert not ans.refused and "60分" in ans.answer
    assert "没有载明" not in ans.answer


def test_whether_two_benefits_combine_is_no_question_of_where_the_firm_is():
    from assistant.answer.verdict import asks_eligible

    assert asks_eligible("公司是西咸新区注册的，能申请区里的贴息吗？")
    # both at once (都, 同时, 叠加) is decided by the rules on combining, not by the place of registration
    assert not asks_eligible("公司是西咸新区注册的，区里和市里的贴息两边能不能都报？")
    assert not asks_eligible("我们在西咸，担保费补助能和贴息同时申请吗？")


def test_a_product_that_only_sets_the_scene_leaves_a_programme_question_to_its_rules(sample_settings):
    """The firm names its loan product in a sentence of its story and asks, in the next, about a public programme the
    record says nothing of: the programme's rules answer, not the product sheet. Asked about the product itself, or about
    a subsidy the record lists among those it combines with, the record still answers."""
    pool = ask("我们在长行办了秦创贷。贷款纳入区里资金池以后，银行能不能另外收资金池的费用？", sample_settings, use_llm=False)
    assert pool.composer != "product" and pool.citations[0].doc_id == "xx-risk-pool-2024", pool.answer
    assert verdict(pool.answer) == "否" and not any(c.doc_id.startswith("product:") for c in pool.citations)
    rate = ask("我们在长行办了秦创贷。它的年化利率区间是多少？", sample_settings, use_llm=False)
    assert rate.composer == "product" and rate.citations[0].doc_id == "product:cab-qinchuangdai"
    listed = ask("我们在秦农办了知产贷。这笔贷款的利息能申请区里的贴息吗？", sample_settings, use_llm=False)
    assert listed.composer == "product" and "贴息" in listed.answer


def test_a_deadline_counted_from_the_event_the_question_dates_is_checked_against_today():
    """“2月1日逾期满90天 … 今天9月20号”: the rule's 逾期满90天 is what happened then, not a bound on the months since;
    the six months counted from that day decide. The day of a date (2月1日) is no number of days."""
    rule = "不良贷款逾期满90天的，合作银行可以申请补偿。合作银行应当自逾期满90天之日起6个月内申请补偿，逾期未申请的视为放弃。"
    cited = [Citation(n=1, doc_id="d", title="示例补偿办法", source="s", text=rule, chunk_id="c")]
    late = "有笔贷款今年2月1日逾期满90天，一直没顾上，今天都9月20号了，现在去申请补偿还来得及吗？"
    decided = policy_verdict(late, cited, today=dt.date(2026, 9, 25))
    assert decided is not None and decided[0].ok is False
    assert any("不超过6个月" in r for r in decided[0].reasons) and not any("不少于90" in r for r in decided[0].reasons)
    in_time = "有笔贷款今年2月1日逾期满90天，今天是5月20号，现在去申请补偿还来得及吗？"
    decided = policy_verdict(in_time, cited, today=dt.date(2026, 5, 25))
    assert decided is not None and decided[0].ok is True


def test_what_a_programme_sets_is_answered_by_its_rules_though_the_record_lists_it(sample_settings):
    """A record names the subsidies its product combines with, and says nothing of their deadlines or caps: asked
    what the programme sets, its own rules answer; asked whether the product combines with it, the record does."""
    deadline = ask("我们在建行办了科技知产贷。省里的评估费补助要在放款后多长时间内申请？", sample_settings, use_llm=False)
    assert deadline.composer != "product" and deadline.citations[0].doc_id == "sx-valuation-subsidy-2023", deadline.answer
    cap = ask("我们在长行办了秦创保贷，配了贷款保证保险。秦科保对这种保险一年最多补多少？", sample_settings, use_llm=False)
    assert cap.composer != "product" and "20万元" in cap.answer
    combines = ask("我们在建行办了科技知产贷。这个产品能和省级评估费补助一起享受吗？", sample_settings, use_llm=False)
    assert combines.composer == "product" and combines.citations[0].doc_id == "product:ccb-keji-zhichandai"


def test_whether_two_benefits_combine_is_decided_by_the_rule_on_combining_for_those_two():
    from assistant.answer.verdict import combined_verdict

    def rule(text: str, title: str = "某区融资担保费补助办法") -> list[Citation]:
        return [Citation(n=1, doc_id="d", title=title, source="s", text=text, chunk_id="c1")]

    two_kinds = "本办法补助与区级知识产权质押融资贴息不属于同类补贴，可以同时申请。"
    yes = combined_verdict("我们已经拿了区里的担保费补助，还能再报区里的贴息吗？", rule(two_kinds), two_kinds)
    assert yes is not None and yes[0].ok and yes[0].reasons == ["本办法补助与区级知识产权质押融资贴息不属于同类补贴，可以同时申请"]
    # the same kind at two levels: the rule that it is paid once decides
    once = "同一笔业务已享受市级担保费补贴的，不得再申请本办法补助，就高不重复。"
    no = combined_verdict("担保费市里报一次补贴，区里再报一次补助，两头都拿行不行？", rule(once), once)
    assert no is not None and not no[0].ok
    # a rule for the city's subsidy is no rule on the district's two
    assert combined_verdict("我们已经拿了区里的担保费补助，还能再报区里的贴息吗？", rule(once), once) is None
    # that premiums combine with interest and valuation subsidies says nothing of a premium paid twice
    others = "保费补贴与贷款贴息、评估费补助不属于同类补贴，可以同时申请。"
    assert combined_verdict("同一张保单省里已经补过保费了，市里的保费补贴还能再报吗？", rule(others, "某市科技保险补贴细则"), others) is None
    # that one kind is not paid at two levels says nothing of two kinds
    same_kind = "同一笔业务不得同时享受市级和区级同类补贴，就高不重复。"
    assert combined_verdict("区里的保费补贴跟区里的贴息能不能同时拿？", rule(same_kind), same_kind) is None
    # no benefit the firm has, nothing asked beside it: not a question of combining
    assert combined_verdict("区里的贴息比例是多少？", rule(two_kinds), two_kinds) is None


def test_a_waiver_the_firm_reads_into_a_rule_is_confirmed_or_not():
    """“是不是就不用另外交保管费了”: the firm's own reading, answered 是 when a quoted clause waives the act, 不是 when one
    requires it."""
    from assistant.answer.verdict import need_verdict

    waived = "本产品由银行线上评估，企业无需另付保管费。"
    yes = need_verdict("听说这个产品是线上评估的，我们是不是就不用另外付保管费了？", [_cite(1, waived)], waived)
    assert yes is not None and yes[0].words == ("不是", "是") and verdict(f"{'是' if not yes[0].ok else '不是'}：") == "是"
    required = "本产品由银行线上评估，企业仍应当另付保管费。"
    no = need_verdict("听说这个产品是线上评估的，我们是不是就不用另外付保管费了？", [_cite(1, required)], required)
    assert no is not None and no[0].ok  # the clause requires it: 不是
    # a plain need question keeps its own words
    plain = need_verdict("这个产品要不要另外付保管费？", [_cite(1, waived)], waived)
    assert plain is not None and plain[0].words == ("需要", "不需要") and not plain[0].ok


def test_an_item_a_list_of_materials_requires_in_a_case_the_firm_is_in_is_needed():
    """A list whose head requires what it lists (应当提交下列材料：…（四）…的，提交…): an item with a case of its own is
    needed by a firm in that case; a plain item, or one another clause lets the firm replace, is not decided so."""
    from assistant.answer.verdict import need_verdict

    listed = ("办理商标质押登记，应当提交下列材料：（一）登记申请表；（二）主合同复印件；（三）以共有商标出质的，提交其他共有人"
              "同意出质的书面文件；（四）质押前已许可他人使用该商标的，提交许可合同。")
    cited = [_cite(1, listed)]
    asked = "我们的商标质押前就许可给一家经销商用了，办质押登记要不要提交许可合同？"
    decided = need_verdict(asked, cited, listed)
    assert decided is not None and decided[0].ok and decided[0].reasons == ["质押前已许可他人使用该商标的，提交许可合同"]
    # a plain item: another article may replace it (…可以提交确认文件代替…), not decided by the list alone
    assert need_verdict("办商标质押登记要不要提交主合同复印件？", cited, listed) is None
    # an item whose case another clause lets the firm meet otherwise
    waiver = _cite(2, "已许可他人使用的，当事人可以提交许可备案证明代替许可合同。")
    assert need_verdict(asked, [*cited, waiver], listed + waiver.text) is None
    # … unless the firm says it is not in the waiver's case
    filed = _cite(2, "许可合同已经备案的，当事人可以不提交许可合同。")
    assert need_verdict(asked, [*cited, filed], listed + filed.text) is None
    unfiled = asked.replace("用了，", "用了，许可合同没有备案，")
    assert need_verdict(unfiled, [*cited, filed], listed + filed.text)[0].ok
    # the firm not in the item's case (not co-owned, nothing said of it), or something the item does not name
    assert need_verdict("这个商标是我们公司独有的，质押登记要不要提交其他共有人同意出质的书面文件？", cited, listed) is None
    assert need_verdict("办商标质押登记要不要提交其他共有人同意出质的书面文件？", cited, listed) is None
    assert need_verdict("我们的商标质押前就许可给一家经销商用了，要不要提交许可合同的公证书？", cited, listed) is None
    # a list head that waives what it lists (不需要提交下列材料) requires nothing
    exempt = "线上办理的，不需要提交下列材料：（一）纸质申请表；（二）以共有商标出质的，提交其他共有人同意出质的书面文件。"
    shared = "商标是我们和另一家公司共有的，线上办质押登记要不要提交其他共有人同意出质的书面文件？"
    assert need_verdict(shared, [_cite(1, exempt)], exempt) is None
    # items numbered in any of the usual ways
    for mark in ("(4)", "（4）", "（四）"):
        numbered = listed.replace("（四）", mark)
        assert need_verdict(asked, [_cite(1, numbered)], numbered)[0].ok, mark


def test_a_requirement_of_a_case_the_firm_says_it_is_not_in_does_not_decide():
    """“声明价值的，还应当提交评估报告；未声明的，可以不提交”: a firm that says it did not declare the value is answered
    by the second case, one that did by the first."""
    from assistant.answer.verdict import need_verdict

    text = "当事人在质押合同中载明商标价值的，还应当提交价值评估报告。当事人未载明商标价值的，可以不提交价值评估报告。"
    undeclared = need_verdict("质押合同里我们没有载明商标价值，商标质押登记要不要提交价值评估报告？", [_cite(1, text)], text)
    assert undeclared is not None and not undeclared[0].ok
    declared = need_verdict("质押合同里我们载明了商标价值，商标质押登记要不要提交价值评估报告？", [_cite(1, text)], text)
    assert declared is not None and declared[0].ok


def test_a_need_is_given_with_the_clause_of_the_passage_that_says_what_is_asked():
    """The passage decides whether something is needed; of its clauses that require it, the one saying what is asked
    after its word of need is the reason given, not the first that names the act's setting."""
    from assistant.answer.verdict import need_verdict

    text = ("以共有的商标出质的，除共有人另有约定外，出质人应当取得其他共有人的书面同意。同意书应当写明出质商标的注册号和"
            "质权人名称。")
    decided = need_verdict("我们的商标和合作方共有，拿去质押要不要合作方书面同意？", [_cite(1, text)], text)
    assert decided is not None and decided[0].ok and decided[0].reasons == ["出质人应当取得其他共有人的书面同意"]


def test_a_count_the_scene_gives_conditions_taking_part_not_a_step_s_fee(sample_settings):
    """Several parts, one yes/no about whether a step charges: the scene's count (两件) is judged against nothing; asked
    whether the firm may take part, it is."""
    fee = ask("银行要我们押两件发明专利。专利的质押登记通常几天办结？登记收不收钱？", sample_settings, use_llm=False)
    assert "两件" not in fee.answer.splitlines()[0]
    join = ask("我们有两件发明专利。区里白名单每隔多久更新？我们能申请进白名单吗？", sample_settings, use_llm=False)
    assert join.answer.startswith("符合：您所说的两件")


def test_a_worked_examples_figures_state_no_figure_a_part_asks_unless_it_gives_numbers_of_its_own():
    from assistant.answer.pipeline import _states_about
    from assistant.retrieval.answer_type import wanted, worked_example

    kinds = wanted("利率能优惠几个点")
    example = "利息计算示例：某企业贷款500万元，执行年利率4.5%。"
    assert worked_example(example) and not _states_about(example, kinds, {"利率"})
    # a part that gives numbers of its own may be asking for its case worked through
    assert _states_about(example, kinds, {"利率"}, frozenset({"500"}))
    assert _states_about("合作银行对白名单企业的贷款利率下浮不低于10%。", kinds, {"利率"})
    # a rule that states itself and then adds an example is still the rule
    rule = "资金池按本金损失的30%补偿利率损失，例如损失400万元的补120万元。"
    assert not worked_example(rule) and _states_about(rule, kinds, {"利率"})
    assert worked_example("以年利率4%为例，上限为5.6%。") and worked_example("例如，某企业支付评估费3万元。")


def test_half_a_year_or_month_is_a_duration_but_the_first_half_of_a_year_is_not():
    from assistant.retrieval.answer_type import states_wanted, wanted

    asked = wanted("这种券多长时间结算一次？")
    assert states_wanted("券款每半年至少结算一次。", asked) and states_wanted("半个月内办结。", asked)
    assert not states_wanted("上半年集中受理。", asked) and not states_wanted("报送半年度报告。", asked)


def test_of_a_passages_clauses_on_the_act_the_one_naming_what_is_done_decides():
    rule = "数据资产登记期间，持有人可以继续自行加工登记的数据资产，但未经登记机构书面同意，不得许可他人加工该数据资产。"
    cited = [_cite(1, rule)]
    # 可 in 许可 is no modal: the act is what follows 能
    act, _verb = _asked_act("登记期间，能把数据资产许可给别人加工吗？")
    assert "许可" in act
    # 加工 and 数据资产 are named after 可以 too, but 数据资产 is also the scene's: 不得许可他人加工 names what is done
    rented = stance_verdict("数据资产登记期间，能把数据资产许可给别人加工吗？", cited, rule)
    assert rented is not None and not rented[0].ok
    own = stance_verdict("数据资产登记期间，我们自己还能继续加工这些数据吗？", cited, rule)
    assert own is not None and own[0].ok


def test_a_consent_the_rule_requires_said_to_be_given_before_the_ask_allows_the_act():
    before = "数据资产登记期间，持有人可以继续自行加工登记的数据资产，但未经登记机构书面同意，不得许可他人加工该数据资产。"
    after = "登记期间，持有人不得许可他人加工该数据资产，但经登记机构同意的除外。"
    for rule in (before, after):
        cited = [_cite(1, rule)]
        agreed = stance_verdict("登记机构已经书面同意了，数据资产登记期间能把数据资产许可给别人加工吗？", cited, rule)
        assert agreed is not None and agreed[0].ok
        supposed = stance_verdict("要是登记机构同意了，数据资产登记期间能把数据资产许可给别人加工吗？", cited, rule)
        assert supposed is not None and supposed[0].ok
        refused = stance_verdict("登记机构没同意，数据资产登记期间还能把数据资产许可给别人加工吗？", cited, rule)
        assert refused is not None and not refused[0].ok
        # consent supposed for a later question is not this one's case
        later = stance_verdict("数据资产登记期间能把数据资产许可给别人加工吗？要是登记机构同意了，租金怎么处理？", cited, rule)
        assert later is not None and not later[0].ok


def test_a_rule_on_other_cases_holds_for_a_case_none_of_the_named_ones_is():
    rule = "因伪造数据被取消资格的单位，2年内不得再次报名；因其他原因被取消资格的，满足要求后可以在下一批次重新报名。"
    cited = [_cite(1, rule)]
    own = stance_verdict("我们是主动放弃资格的，下一批次可以重新报名吗？", cited, rule)
    assert own is not None and own[0].ok and own[0].reasons == ["因其他原因被取消资格的，满足要求后可以在下一批次重新报名"]
    # a firm whose case the rule names (伪造数据) is not among the “other” cases
    named = stance_verdict("我们因为伪造数据被取消了资格，下一批次可以重新报名吗？", cited, rule)
    assert named is None or not named[0].ok


def test_an_everyday_word_for_real_estate_is_the_rules_word():
    from assistant.retrieval.tokenizer import get_tokenizer

    assert "房产" in get_tokenizer().words("把厂里的房子押上")
    rule = "托管机构不得要求企业增加房产抵押等额外担保。"
    decided = stance_verdict("托管方还让我们把厂里的房子也押上，这样要求合规吗？", [_cite(1, rule)], rule)
    assert decided is not None and not decided[0].ok


def test_a_part_added_to_the_whole_answer_keeps_its_lines_that_answer_it_and_its_conclusion():
    """A part's own answer may open with quotes its search borrowed from the question before it; what is added to
    the whole answer are the lines the part's relevance ranks first (a conclusion always), in their order."""
    from assistant.answer.parts import PART_LINES, merge
    from assistant.answer.types import Answer

    whole = Answer(answer="押品应当是已授权的有效专利。[1]", citations=[_cite(1, "押品")])
    own = Answer(answer="共有专利出质须经其他共有人书面同意。[1]\n申请时提交登记申请表和质押合同。[2]\n"
                        "办理质押登记不收取费用。[3]", citations=[_cite(1, "共有"), _cite(2, "申请表"), _cite(3, "费用")])
    for c, key in zip(own.citations, ("o1", "o2", "o3"), strict=True):
        c.chunk_id = key

    def relevance(part: str, line: str) -> float:  # what a part asking about the fee finds in a line
        return 3.0 if line.startswith("不") and "：" in line[:4] else float("费用" in line) + 0.5 * float("登记" in line)

    assert PART_LINES == 2
    merged = merge([("q", whole), ("登记要交钱吗", own)], "服务中心", relevance)
    assert "不收取费用" in merged.answer and "共有人书面同意" not in merged.answer
    assert merged.answer.index("提交登记申请表") < merged.answer.index("不收取费用")  # kept in their own order
    # without relevance the first new lines stand (the fee line is left out)
    assert "不收取费用" not in merge([("q", whole), ("登记要交钱吗", own)], "服务中心").answer
    # a conclusion leads whatever the other lines say
    concluded = own.model_copy(update={"answer": f"不用：办理质押登记不收取费用[3]。\n{own.answer}"})
    assert merge([("q", whole), ("登记要交钱吗", concluded)], "服务中心", relevance).answer.count("不用：") == 1


def test_an_act_said_by_a_synonym_whose_words_stand_apart_in_the_rule_is_the_act_asked():
    """授权 and 许可使用 are one word in the lexicon; a rule says it with words between (许可他人使用), and one word of
    the act may begin inside the words after the modal and end past them."""
    rule = "著作权出质期间，出质人不得许可他人使用出质的著作权。"
    decided = stance_verdict("版权押给银行的这段时间，还能授权给合作方吗？", [_cite(1, rule)], rule)
    assert decided is not None and not decided[0].ok
    # the two words in the wrong order, or far apart, say something else
    apart = "著作权出质期间，出质人不得使用或者委托第三方代为许可出质的著作权。"
    assert stance_verdict("版权押给银行的这段时间，还能授权给合作方吗？", [_cite(1, apart)], apart) is None
    # a word of the act that straddles the end of the words after the modal
    raise_floor = "各市根据本地区发展水平和实际情况，可以提高前款规定的注册资本最低限额。"
    allowed = stance_verdict("我们市能不能把注册资本的要求定得比省里的高？另外多少天内备案？", [_cite(1, raise_floor)], raise_floor)
    assert allowed is not None and allowed[0].ok


def test_a_conclusion_is_not_replaced_by_a_longer_quote_of_its_passage():
    from assistant.answer.parts import merge
    from assistant.answer.types import Answer

    whole = Answer(answer="可以：各市可以提高注册资本最低限额[1]。\n备案应当在变更之日起30日内办理。[2]",
                   citations=[_cite(1, "最低限额"), _cite(2, "备案")])
    own = Answer(answer="设立担保公司注册资本不低于2000万元；各市可以提高注册资本最低限额。[1]", citations=[_cite(1, "最低限额")])
    merged = merge([("q", whole), ("能提高吗", own)], "服务中心")
    assert merged.answer.startswith("可以：") and "不低于2000万元" in merged.answer


def test_a_count_is_checked_only_against_a_bound_on_a_count_of_the_same_thing():
    """“一项专利” is no count of applicants: a bound naming what it counts (两个以上的申请人) does not decide it; a listed
    bound decides for any of its items, folded as the tokenizer folds them (3个软著 against …、计算机软件著作权)."""
    applicants = "两个以上的单位分别就同一项目提出申请的，由先提出者承担。"
    assert policy_verdict("我们想把一项专利转让出去，要交什么税吗？", [_cite(1, applicants)]) is None
    listed = "（二）拥有至少1件有效发明专利，或者3件以上有效实用新型专利、计算机软件著作权；"
    met = policy_verdict("我们没有发明专利，有3个软著，能申请吗？", [_cite(1, listed)])
    assert met is not None and met[0].ok
    short = policy_verdict("我们没有发明专利，有2个软著，能申请吗？", [_cite(1, listed)])
    assert short is not None and not short[0].ok


def test_a_short_turn_borrows_the_product_in_focus_but_not_one_that_only_set_the_scene(sample_settings):
    from assistant.answer.pipeline import _product_answer

    # the turn before asked about the product: “利率呢？” asks it of that product
    borrowed = _product_answer("利率呢？", ["知惠贷的额度最高多少？"], sample_settings)
    assert borrowed is not None and borrowed[1][0].name == "知惠贷"
    # the turn before asked about a subsidy programme; the product was only where the loan came from
    assert _product_answer("要准备哪些材料？", ["我们在中行贷的知惠贷，评估费是自己付的。省里的评估费补助怎么申请？"], sample_settings) is None


def test_what_a_clause_counting_a_few_things_names_is_what_the_record_answers(sample_settings):
    # “注册了几个近似商标” sets the scene of the ask after it; the record's clause on similar marks is what answers it
    answer = ask("中行知惠贷·品牌贷的额度是多少？我们在类似商品上注册了几个近似商标，能只押其中一个吗？", sample_settings, use_llm=False)
    assert answer.composer == "product" and "近似商标须一并质押" in answer.answer


def test_whether_a_kind_of_ip_is_taken_is_not_read_into_an_ask_about_one_of_several(sample_settings):
    from assistant.answer.verdict import product_verdict
    from assistant.products.catalog import catalog_for

    brand = next(p for p in catalog_for(sample_settings) if p.name == "知惠贷·品牌贷")
    taken = product_verdict("知惠贷·品牌贷能押注册商标吗？", brand)
    assert taken is not None and taken.ok and "接受商标质押" in taken.reasons[0]
    # the ask is about pledging one of several similar marks: whether marks are taken decides nothing of it
    one = product_verdict("相近的品牌都注了商标，能只押其中最值钱的一个吗？", brand)
    assert one is None or not any("接受商标质押" in r for r in one.reasons)
    # a kind picked out of several (其中的实用新型) is still asked whether the product takes it
    kind = product_verdict("商标和实用新型我们都有，其中的实用新型能押给知惠贷·品牌贷吗？", brand)
    assert kind is not None and not kind.ok and any("不接受实用新型质押" in r for r in kind.reasons)


def test_a_claimed_figure_found_not_to_hold_is_not_quoted_again_from_another_passage():
    from assistant.answer.pipeline import _without_claim_restated

    answer = Answer(
        answer=("不是：（二）在合同签订后次月15日前[2]。\n"
                "（三）材料复核：一般在20个工作日内完成。[1]\n"
                "（二）在合同签订后次月15日前报送备案信息。[2]\n"
                "原办法规定20个工作日内报送，已调整。[3]"),
        citations=[_cite(1, "复核"), _cite(2, "备案"), _cite(3, "原办法")],
    )
    out = _without_claim_restated("我记得签了合同以后20个工作日内报备案，现在还是吗？", answer, [2], {"备案"})
    lines = out.answer.split("\n")
    # the other passage's 20个工作日 goes; the deciding rule and a line that marks the figure as old stay, renumbered
    assert len(lines) == 3 and not any("材料复核" in x for x in lines)
    assert lines[0].endswith("[1]。") and lines[1].endswith("[1]") and lines[2].endswith("[2]")
    assert [c.n for c in out.citations] == [1, 2] and out.citations[0].text == "备案"
    # a sentence stating the figure about what is asked stays: it may be the rule that shows the verdict wrong; and a
    # figure is matched whole (20个工作日 is not 120个工作日)
    kept = Answer(answer="不是：…[2]。\n首次备案应当在20个工作日内完成。[1]\n复核在120个工作日内完成。[3]\n…[2]",
                  citations=[_cite(1, "备案"), _cite(2, "规则"), _cite(3, "复核")])
    assert _without_claim_restated("备案是不是20个工作日内？", kept, [2], {"备案"}).answer == kept.answer


def test_a_rejected_claim_reads_as_rejected(sample_settings):
    answer = ask("听人说秦知贷的贷款放出去以后15个工作日内就要去备案，现在是不是还这样？", sample_settings, use_llm=False)
    assert answer.answer.startswith("不是") and "次月10日前" in answer.answer.split("\n")[0]
    assert "15个工作日" not in answer.answer  # no other rule's 15个工作日 quoted beside the 不是
