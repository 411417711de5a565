"""A yes/no question that checks a sum (是不是退这么多, 能拿到这么多吗, 能贷到这么多吗) is a calculation: the sum is computed
from the rules and the question's own figures without the one it checks, and the answer leads with the comparison,
then what the passages say. Cases are written for the mechanism; every expected figure is computed here from the
rule book or the product record, never copied from an eval set."""

import pytest

from assistant.answer.calculate import checked_amount, read_figures
from assistant.answer.pipeline import ask
from assistant.evaluation.kinds import verdict
from assistant.products.catalog import catalog_for
from assistant.products.subsidies import load_book
from tests.text_checks import amounts

STORY = "我们用专利贷了500万，年利率3.5%，期限一年"



def _computed(sample_settings) -> float:
    """What the district pays on the story's loan, as the calculator answers “能拿多少”."""
    lead = ask(f"{STORY}，区里贴息能拿多少？", sample_settings).answer.splitlines()[0]
    (value,) = {v for v in amounts(lead) if v < 1_000_000}
    return value


def test_the_sum_checked_is_read_from_the_asking_clause_only():
    checked = checked_amount("追回了60万，花了8万打官司，是不是退26万就可以？")
    assert checked is not None and checked.value == 260_000 and not checked.reach
    reach = checked_amount(f"{STORY}，区里贴息能拿到9万吗？")
    assert reach is not None and reach.value == 90_000 and reach.reach
    assert checked_amount(f"{STORY}，区里贴息怎么申请？") is None  # no sum asked about
    assert checked_amount("贷了500万和300万，贴息是不是有5万或者6万？") is None  # two sums: which one is checked is unclear


def test_a_sum_reached_or_not_is_concluded_from_the_computed_one(sample_settings):
    value = _computed(sample_settings)
    below = ask(f"{STORY}，区里贴息能拿到{(value + 20_000) / 10_000:g}万吗？", sample_settings)
    assert verdict(below.answer) == "否" and value in amounts(below.answer.splitlines()[0])
    above = ask(f"{STORY}，区里贴息能拿到{(value - 10_000) / 10_000:g}万吗？", sample_settings)
    assert verdict(above.answer) == "是"
    assert any(c.article for c in above.citations)  # the rule computed is cited to its article


@pytest.mark.parametrize("offset, expected", [(0, "是"), (30_000, "否")])
def test_a_sum_the_question_names_is_confirmed_or_corrected(sample_settings, offset, expected):
    value = _computed(sample_settings)
    ans = ask(f"{STORY}，区里贴息是不是{(value + offset) / 10_000:g}万？", sample_settings)
    assert verdict(ans.answer) == expected
    assert value in amounts(ans.answer.splitlines()[0])  # the computed sum is said either way


def test_what_is_paid_back_after_a_recovery_is_checked_against_the_rule(sample_settings):
    book = load_book(sample_settings.corpus_dir)
    rule = next(r for r in book.rules if r.kind == "risk" and "refund" in r.case_articles)
    recovered, costs = 900_000, 100_000
    due = (recovered - costs) * rule.ratio
    story = f"{rule.name}给我们行补偿过一笔，后来追回{recovered // 10_000}万，律师费{costs // 10_000}万"
    right = ask(f"{story}，是不是退{due / 10_000:g}万就行？", sample_settings)
    assert verdict(right.answer) == "是" and due in amounts(right.answer.splitlines()[0])
    wrong = ask(f"{story}，是不是退{(due + 50_000) / 10_000:g}万就行？", sample_settings)
    assert verdict(wrong.answer) == "否" and due in amounts(wrong.answer.splitlines()[0])
    assert not read_figures(f"{story}，").loans  # the story alone gives no loan: the sum checked is no figure of it


def test_a_loan_within_reach_of_the_valuation_is_concluded_and_the_record_follows(sample_settings):
    product = next(p for p in catalog_for(sample_settings) if p.pledge_ratio.get("发明专利") and p.amount.max
                   and any(r.count == 1 and "发明专利" in r.types for r in p.eligibility.ip_any))
    most = min(4_000_000 * product.pledge_ratio["发明专利"], product.amount.max)
    over = ask(f"一件发明专利评估值400万，押{product.name}，能贷到{(most + 200_000) / 10_000:g}万吗？", sample_settings)
    lines = over.answer.splitlines()
    assert verdict(over.answer) == "否" and most in amounts(lines[0])
    assert any("×" in line for line in lines)  # the formula is shown
    assert f"product:{product.id}" in {c.doc_id for c in over.citations}
    within = ask(f"一件发明专利评估值400万，押{product.name}，能贷{(most - 200_000) / 10_000:g}万吗？", sample_settings)
    assert verdict(within.answer) == "是"


@pytest.mark.parametrize("said, offset, expected", [("是不是不到", 10_000, "是"), ("是不是不到", -10_000, "否"),
                                                    ("是不是超过", -10_000, "是"), ("是不是超过", 10_000, "否")])
def test_a_sum_asked_as_below_or_above_is_compared_that_way(sample_settings, said, offset, expected):
    value = _computed(sample_settings)
    ans = ask(f"{STORY}，区里贴息{said}{(value + offset) / 10_000:g}万？", sample_settings)
    assert verdict(ans.answer) == expected and value in amounts(ans.answer.splitlines()[0])


def test_a_negated_check_and_a_sum_of_something_else_are_not_compared(sample_settings):
    value = _computed(sample_settings)
    assert checked_amount(f"{STORY}，区里贴息是不是拿不到{(value + 10_000) / 10_000:g}万？") is None
    assert checked_amount("追回了60万，律师费8万，是不是不用退26万？") is None
    assert checked_amount(f"{STORY}，申请区里贴息是不是要先交5万保证金？") is None
    ans = ask(f"{STORY}，申请区里贴息是不是要先交5万保证金？", sample_settings)
    assert value not in amounts(ans.answer.splitlines()[0])  # no subsidy figure set against the deposit


def test_what_recovering_cost_is_read_when_said_after_the_sum():
    assert read_figures("后来追回了60万，花了8万打官司").charges == [80_000]
    assert read_figures("后来追回了60万，诉讼和拍卖一共花了8万").charges == [80_000]
    # a loan's rate (执行利率) or what was done to get the money back (拍卖了专利追回) is no cost of recovering
    assert not read_figures("我们贷款300万执行利率4%，一年期").charges
    assert read_figures("我们贷了300万拍卖了专利追回80万").recovered == 800_000
    assert not read_figures("我们贷了300万拍卖了专利追回80万").charges


@pytest.mark.parametrize("said, expected", [("是不是{v}万以下", "是"), ("是不是{v}万以上", "是"), ("是不是不到{v}万", "否"),
                                            ("是不是{w}万多", "是"), ("是不是{u}万多", "否")])
def test_a_sum_at_the_edge_or_in_a_band(sample_settings, said, expected):
    value = _computed(sample_settings)
    v, w = f"{value / 10_000:g}", f"{value // 10_000:g}"
    u = f"{value // 10_000 - 2:g}"
    ans = ask(f"{STORY}，区里贴息{said.format(v=v, w=w, u=u)}？", sample_settings)
    assert verdict(ans.answer) == expected


def test_a_checked_sum_beside_another_question_answers_both(sample_settings):
    value = _computed(sample_settings)
    ans = ask(f"{STORY}，区里贴息能拿到{(value - 10_000) / 10_000:g}万吗？一年报几次？", sample_settings)
    assert verdict(ans.answer) == "是" and len(ans.answer.splitlines()) > 2


def test_a_part_asking_an_end_of_a_range_is_answered_by_the_range(sample_settings):
    product = next(p for p in catalog_for(sample_settings) if p.pledge_ratio.get("发明专利") and p.term_months.max)
    ans = ask(f"一件发明专利评估值400万，押{product.name}，最多能贷多少？期限最长多久？", sample_settings)
    assert f"{product.term_months.max:g}个月" in ans.answer and "没有载明" not in ans.answer
