"""A step the firm missed, asked to be taken late: a rule saying what follows from missing it (…未…的，视为放弃 /
自动失效 / 逾期不予受理) answers 不能; a later round, a rule that only defers a late filing, or a step the firm did take
is no such case."""

from __future__ import annotations

import pytest

from assistant.answer.lapse_verdict import lapse_verdict
from assistant.answer.pipeline import ask
from assistant.answer.types import Citation
from assistant.evaluation.kinds import verdict


def _cite(text: str) -> list[Citation]:
    return [Citation(n=1, doc_id="d", title="某区科技企业补助办法（示例）", source="s", text=text, chunk_id="c1")]


ANNUAL = "补助每年申报一次，申请人应当在每年3月提交上一年度的研发投入报告。申请人未在规定期限内提交研发投入报告的，视为放弃本年度补助。"
FILING = "企业应当自合同签订之日起3个月内提出申请，逾期不予受理。"
WINDOW = "奖励每年集中申报一次，申报时间为每年9月1日至9月30日，申报内容为上一年度1月1日至12月31日发生的投资。逾期不予受理。"
RENEWAL = "备案有效期届满前应当办理续期；备案有效期届满未办理续期的，备案自动失效。"
DEFERRED = "企业应当在每批次截止日前提交材料；逾期提交的，纳入下一批次办理。"
REPLY = "申请人应当在指定期限内答复审查意见；无正当理由逾期不答复的，该申请即被视为撤回。"
CORRECTION = "申请人应当自收到通知之日起20日内补正；期满未补正或者补正后仍不符合要求的，视为放弃该申请。"


@pytest.mark.parametrize(("question", "text", "rule"), [
    ("今年3月的研发投入报告我们忘了没提交，下个月补交还可以吗？", ANNUAL, "视为放弃本年度补助"),
    ("合同签了半年了，当时没申请，现在再补一个申请来得及吗？", FILING, "逾期不予受理"),
    ("备案上个月到期了，我们一直没去办续期，现在补办还来得及吗？", RENEWAL, "备案自动失效"),
    ("审查意见过了期限我们没答复，现在补一份答复可以吗？", REPLY, "该申请即被视为撤回"),  # 逾期不答复的
    ("补正通知收到一个多月了，过了期限还没补，现在补上来得及吗？", CORRECTION, "视为放弃该申请"),  # 补正 said as 补
    # the time set for the step, not the period it reports on, named after it: the step said before its time
    ("投资奖励9月那次我们忘了申报，10月补报可以吗？", WINDOW, "申报时间为每年9月1日至9月30日，逾期不予受理"),
])
def test_a_step_missed_and_asked_late_is_answered_by_the_lapse_rule(question, text, rule):
    found = lapse_verdict(question, _cite(text))
    assert found is not None, question
    decided, ns = found
    assert not decided.ok and decided.words == ("可以", "不能") and ns == [1]
    assert rule in decided.reasons[0]


@pytest.mark.parametrize(("question", "text"), [
    ("去年的研发投入报告没提交，今年的还能正常申请吗？", ANNUAL),  # another round, not the missed step late
    ("研发投入报告3月已经按时提交了，补充材料还能补吗？", ANNUAL),  # the step was taken
    ("去年的研发投入报告没提交，今年的补贴还能申请吗？", ANNUAL),  # a benefit named by 补 is no making up
    ("这一批的截止日我们没赶上提交材料，能不能补交？", DEFERRED),  # a late filing is put off, not lost
    ("合同签了两个月，现在提出申请来得及吗？", FILING),  # nothing missed
    ("合同上个月刚签，还没提出申请，现在申请来得及吗？", FILING),  # not yet taken, and no time said to have passed
    ("备案还没到期，现在办续期来得及吗？", RENEWAL),  # its time has not come
    ("去年3月没提交研发投入报告，那今年3月提交今年的还来得及吗？", ANNUAL),  # the request names another round
    ("去年没提交研发投入报告，今年的资金用来补充流动资金，还能申请吗？", ANNUAL),  # 补充 makes nothing up
    ("我们没有错过续期，备案延期手续和变更能一起办吗？", RENEWAL),  # nothing missed
    ("补正材料里没写清楚法定代表人，补正的时候一起补上可以吗？", CORRECTION),  # 没写 is no step of the rule
    ("办续期的时候没提交续期申请表原件，补交一份可以吗？", RENEWAL),  # a document of the step missed, not the step
    ("我们没有忘记提交研发投入报告，只是附件没传全，补传可以吗？", ANNUAL),  # forgetting denied
    ("贷款快逾期了，研发投入报告还没提交，3月还有一周，现在提交来得及吗？", ANNUAL),  # its time has not run out
    ("去年没提交研发投入报告，那两项补助今年能一起申请吗？", ANNUAL),  # joined, but not the missed step
    ("补助说明会我们没报名，能跟别的企业一起补报名吗？", "补助每年申报一次，企业未在规定月份申报的，视为放弃本年度补助。"),  # 报名 is no 申报
])
def test_no_lapse_verdict_where_the_firm_missed_no_step_or_the_rule_loses_none(question, text):
    assert lapse_verdict(question, _cite(text)) is None, question


def test_whether_a_missed_step_still_counts_is_answered_no_and_the_quote_carries_no_article_number():
    decided, _ns = lapse_verdict("研发投入报告3月忘了提交，4月补交的还算数吗？", _cite(f"第九条 {ANNUAL}"))
    assert decided.words == ("是", "否") and not decided.ok
    cut = lapse_verdict("合同签了半年了，当时没申请，现在补申请可以吗？", _cite(f"第八条 {FILING}"))
    assert cut is not None and not cut[0].reasons[0].startswith("“第八条")


def test_the_answer_leads_with_no_for_a_missed_round_of_the_district_interest_subsidy(sample_settings):
    """On the sample corpus: a firm that let a half-year round of the district's interest subsidy pass asks to add it to
    the next round; the rule that a round not applied for is forfeited answers, and is cited."""
    ans = ask("区里的知产贷贴息7月那轮没申报，能跟明年1月那轮一起补报吗？", sample_settings, use_llm=False)
    assert verdict(ans.answer) == "否", ans.answer
    assert "视为放弃" in ans.answer.split("\n")[0]
    assert ans.citations[0].doc_id == "xx-ip-interest-subsidy-2024"


@pytest.mark.parametrize(("question", "text", "asked"), [
    ("研发投入报告3月没提交，是不是就视为放弃本年度补助了？", ANNUAL, True),
    ("备案到期了我们没办续期，备案是不是就失效了？", RENEWAL, True),
    ("研发投入报告3月按时提交了，是不是就不会视为放弃？", ANNUAL, None),  # the step was taken: no lapse to judge
    ("研发投入报告3月没提交，是不是不会视为放弃？", ANNUAL, None),  # asks that it does not follow: left to the quotes
    ("备案到期没办续期，备案失效了原来的资格还能保留吗？", RENEWAL, None),  # the lapse is the scene of another question
])
def test_whether_the_lapse_follows_for_a_missed_step_is_answered_yes(question, text, asked):
    found = lapse_verdict(question, _cite(text))
    if asked is None:
        assert found is None, question
    else:
        assert found is not None and found[0].ok and found[0].words == ("是", "不是"), question
