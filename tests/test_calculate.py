"""The calculator answers a calculation with the user's own figures: the rules come from subsidies.yaml and the
sample corpus, the figures from the question (or the chat's earlier turns), and each step cites its articles."""


import pytest

from assistant.answer.calculate import calc_kinds, read_figures
from assistant.answer.pipeline import ask
from tests.text_checks import amounts, markers


def test_figures_are_read_with_their_roles():
    f = read_figures("去年3月贷了二百五十万，年化4.1%，期限九个月，评估费分别是1万、0.6万")
    assert f.loan == 2_500_000 and f.loans[0].rate == pytest.approx(0.041)
    assert f.months == 9  # a term, not the month of a date
    assert f.fees == [10_000, 6_000]
    g = read_figures("厂房抵押值300万，两件专利评估200万，一共借了250万，一年期，LPR按2.9%")
    assert g.other_value == 3_000_000 and g.valuation == 2_000_000 and g.loan == 2_500_000
    assert g.lpr == pytest.approx(0.029) and g.months == 12
    assert read_figures("公司成立两年了，去年8月放的款").months is None


def test_money_in_chinese_numerals_is_read_whole():
    """三万五千元 is 35,000 元, not 三万; 块 is 元."""
    from assistant.dialogue.numbers import yuan_in_figures

    assert yuan_in_figures("保费四万六千元，手续费八千块") == "保费46000元，手续费8000块"
    f = read_figures("评估费两万三千元，另一份评估费九千块")
    assert f.fees == [23_000, 9_000]
    assert read_figures("贷了三百万元，年化4%").loan == 3_000_000


def test_a_rule_question_is_not_a_calculation():
    assert calc_kinds("区级贴息的比例是多少？") == []
    assert calc_kinds("担保费补助上限是多少？") == []
    assert calc_kinds("我们贷了260万，利率3.5%，贴息能拿多少？") == ["interest"]
    # the figures may come from earlier turns, when the question asks what the user's own loan earns
    assert calc_kinds("那贴息能拿多少？", ["我们贷了260万，利率3.5%，一年"]) == ["interest"]
    assert calc_kinds("那贴息的比例是多少？", ["我们贷了260万，利率3.5%，一年"]) == []


def test_interest_subsidy_is_computed_with_the_rate_ceiling_and_cited(sample_settings):
    ans = ask("专利押了260万，一年期，执行利率4.6%，区里贴息能拿多少？", sample_settings)
    assert ans.composer == "calculator" and not ans.refused
    # the district rule counts at most 1.4 × LPR (3.0%) = 4.2%: 260万 × 4.2% × 50% = 5.46万
    assert 54_600 in amounts(ans.answer)
    assert "4.2%" in ans.answer
    assert any(c.doc_id == "xx-ip-interest-subsidy-2024" and c.article for c in ans.citations)
    first = ans.answer.splitlines()[0]
    assert "5.46万元" in first  # the figure leads
    # and the answer closes by saying it is an estimate, once and briefly: the authority's figure decides
    assert ans.answer.splitlines()[-1] == "以上为测算，实际金额以主管部门核定为准。"


def test_several_loans_share_one_yearly_cap(sample_settings):
    ans = ask("今年两笔专利质押的贷款：一笔900万，利率4%；另一笔700万，利率4.1%，都是整年。区级贴息一共能拿多少？",
              sample_settings)
    # (900万×4% + 700万×4.1%) × 50% = 32.35万 > the district's 30万 yearly cap
    assert 300_000 in amounts(ans.answer.splitlines()[0])


def test_capped_fee_and_first_loan_ratio(sample_settings):
    ans = ask("评估费一共花了7.5万，省里评估费补助能补多少？", sample_settings)
    assert 50_000 in amounts(ans.answer.splitlines()[0])  # 100%, at most 5万 per loan
    ans = ask("首贷企业，担保公司收了担保费1.5万，区级的担保费补助可以补多少？", sample_settings)
    assert 12_000 in amounts(ans.answer.splitlines()[0])  # 80% for a first loan


def test_fees_of_several_loans_are_capped_each_and_counted_up_to_the_yearly_number(sample_settings):
    # each loan its own 5万 cap; at most two loans a year, the two that earn most
    ans = ask("今年三笔知识产权质押贷款，评估费分别是1万、8万、4万，省里的评估费补助合计能补多少？", sample_settings)
    assert 90_000 in amounts(ans.answer.splitlines()[0])  # 5万 + 4万, not the 1万 loan
    # one loan's several IP items are one loan: one cap over their sum
    ans = ask("一笔贷款押了两件专利，两份评估费4万和3万，省里评估费补助能补多少？", sample_settings)
    assert 50_000 in amounts(ans.answer.splitlines()[0])


def test_the_rate_after_the_subsidy_is_computed_when_asked(sample_settings):
    ans = ask("专利押了200万，一年期，执行利率3.6%，拿了区里贴息后实际利率相当于多少？", sample_settings)
    first = ans.answer.splitlines()[0]
    # 200万×3.6% = 7.2万 interest, 3.6万 subsidy: (7.2 − 3.6) / 200 = 1.8%
    assert "1.8%" in first and "实际年利率" in first
    assert "实际年利率" not in ask("专利押了200万，一年期，执行利率3.6%，区里贴息能拿多少？", sample_settings).answer


def test_risk_compensation_respects_the_cumulative_cap(sample_settings):
    ans = ask("我们行一笔备案贷款本金损失900万，区资金池以前补过150万，区里这次还能补多少？", sample_settings)
    # 900万 × 30% = 270万, but 300万 per firm in total, 150万 already received → 150万
    assert 1_500_000 in amounts(ans.answer.splitlines()[0])


def test_missing_figures_are_asked_for_after_what_the_documents_say(sample_settings):
    ans = ask("我们贷了350万，贴息能拿多少？", sample_settings)
    assert not ans.refused
    assert "50%" in ans.answer  # the rule, quoted from its passage
    assert "执行年利率" in ans.answer.splitlines()[-1]  # and the figure still needed
    assert any(c.doc_id == "xx-ip-interest-subsidy-2024" for c in ans.citations)


def test_figures_from_earlier_turns_fill_the_calculation(sample_settings):
    ans = ask("那区里贴息能拿多少？", sample_settings, history=["我们用专利贷了300万，利率3.6%，期限一年"])
    assert 54_000 in amounts(ans.answer.splitlines()[0])  # 300万 × 3.6% × 50%


def test_borrowing_against_valuations_uses_the_product_record(sample_settings):
    from assistant.products.catalog import catalog_for

    product = next(p for p in catalog_for(sample_settings) if p.pledge_ratio.get("发明专利"))
    ratio = product.pledge_ratio["发明专利"]
    value = 2_000_000
    ans = ask(f"发明专利评估值200万，用{product.name}最多能贷多少？", sample_settings)
    expected = min(value * ratio, product.amount.max or value)
    assert any(abs(v - expected) < 1 for v in amounts(ans.answer.splitlines()[0]))
    assert f"product:{product.id}" in {c.doc_id for c in ans.citations}


def test_each_part_is_answered_by_its_own_tool(sample_settings):
    ans = ask("保费6万是首次投保，秦科保能补多少？另外担保费补助怎么申请？", sample_settings)
    lead = ans.answer.splitlines()[0]
    assert "秦科保" in lead and 48_000 in amounts(lead)  # 6万 × 80% for a first policy, computed
    # the other part, from a passage retrieved for it
    assert any("担保费" in c.text and "秦科保" not in c.title for c in ans.citations)
    marks = markers(ans.answer)
    assert marks and marks == {c.n for c in ans.citations}


def test_risk_answer_says_what_the_bank_bears(sample_settings):
    ans = ask("合作银行一笔知识产权质押贷款本金损失500万，省里和区里两级补偿后银行自己承担多少？", sample_settings)
    # 50% + 30% = 80% of 500万 = 400万 (within the 80% ceiling): the bank bears 100万
    assert 4_000_000 in amounts(ans.answer.splitlines()[0]) and "其余100万元由合作银行自行承担" in ans.answer


def test_each_guaranteed_loan_has_its_own_fee_and_the_ceiling_leaves_one_out(sample_settings):
    ans = ask("今年两笔担保贷款：一笔600万，担保费率0.9%，交了5.4万；另一笔400万，费率1.3%，交了5.2万。区里担保费补助能拿到多少？",
              sample_settings)
    lead = ans.answer.splitlines()[0]
    # the district rule counts fees at rates up to 1% only: 5.4万 × 50% = 2.7万; the 1.3% loan is left out
    assert 27_000 in amounts(lead) and "1.3%" in ans.answer


def test_the_level_asked_wins_over_a_place_in_an_organisation_name(sample_settings):
    ans = ask("西咸新区那家担保公司担保贷了200万，担保费率1.5%，交了3万。去市里申请担保费补贴可以拿多少？", sample_settings)
    lead = ans.answer.splitlines()[0]
    assert "西安市" in lead and 15_000 in amounts(lead)  # the city's rule: 3万 × 50%


def test_interest_paid_on_a_loan_is_its_rate_and_the_rate_ceiling_applies(sample_settings):
    ans = ask("我们借了600万，利息一年付了30万，区里能贴多少？", sample_settings)
    # 30/600 = 5% above the 4.2% ceiling: 600万 × 4.2% × 50% = 12.6万
    assert ans.composer == "calculator" and 126_000 in amounts(ans.answer.splitlines()[0])


def test_a_programme_named_by_its_own_word_counts_beside_a_level_named_for_another(sample_settings):
    ans = ask("本金损失500万，秦知贷加上区里资金池一共补多少？", sample_settings)
    # 秦知贷 50% = 250万, the district pool 30% = 150万, together 400万 (within the 80% joint cap)
    assert ans.composer == "calculator" and 4_000_000 in amounts(ans.answer.splitlines()[0])


def test_the_part_of_a_loan_the_patent_secures_is_the_principal_and_the_asked_figure_is_no_unanswered_part(sample_settings):
    ans = ask("贷款400万、一年期、利率4%，其中250万是专利押的，剩下是房产抵押。区里贴息按多少本金算，最后能贴多少钱？",
              sample_settings)
    assert 50_000 in amounts(ans.answer.splitlines()[0])  # 250万 × 4% × 50% = 5万
    assert "没有载明" not in ans.answer


def test_fees_are_grouped_by_the_loan_the_story_says_they_were_paid_for():
    f = read_figures("头一笔贷款押了两件专利，分开评估，评估费分别是2万和4万；另一笔贷款评估费是1万")
    assert f.loan_fees == [[20_000, 40_000], [10_000]]
    assert read_figures("一笔贷款押了两件专利，两份评估费4万和3万").loan_fees == [[40_000, 30_000]]
    assert read_figures("三笔贷款，评估费分别是1万、8万、4万").loan_fees == [[10_000], [80_000], [40_000]]


def test_one_loans_fees_add_up_under_its_cap_and_another_loan_has_its_own(sample_settings):
    ans = ask("头一笔贷款押了两件专利，分开评估，评估费分别是2万和4万；另一笔贷款评估费是1万。省里评估费补助一共能补多少？",
              sample_settings)
    # the first loan: 2万 + 4万 = 6万 over the 5万 per-loan cap → 5万; the second 1万: 6万 in all
    assert 60_000 in amounts(ans.answer.splitlines()[0])


def test_a_fee_above_the_rate_that_counts_is_counted_up_to_that_rate(sample_settings):
    ans = ask("我们在西安高新区，担保公司担保贷了500万，一年，担保费率3%，交了15万担保费。去市里申请担保费补贴可以拿到多少？",
              sample_settings)
    lead = ans.answer.splitlines()[0]
    # the city counts the fee up to 2%: 500万 × 2% = 10万, × 50% = 5万
    assert "西安市" in lead and 50_000 in amounts(lead)
    assert "西咸新区融资担保费补助" not in ans.answer  # 高新区 is no 新区 of the home zone


def test_what_the_asking_clause_names_decides_the_rules_computed(sample_settings):
    ans = ask("这笔贷款在资金池和秦知贷都备了案，本金损失400万，企业以前在别的银行已经从资金池拿过250万补偿。这次区里资金池能补多少？",
              sample_settings)
    lead = ans.answer.splitlines()[0]
    # the pool: 400万 × 30% = 120万, but 300万 per firm in total and 250万 received → 50万; 秦知贷 is not asked
    assert 500_000 in amounts(lead) and "秦知贷" not in lead


def test_each_policy_of_a_list_is_first_renewed_or_already_subsidised_as_said_of_it(sample_settings):
    ans = ask("今年投了三份科技保险：一份第一次投的保证保险，保费5万；一份去年就有、今年接着续的研发损失险，保费10万；"
              "还有一份保费6万的，这份保单已经领过市里的保费补贴。省里秦科保一共能补多少？", sample_settings)
    lead = ans.answer.splitlines()[0]
    # 5万 × 80% + 10万 × 60% = 10万; the 6万 policy another programme subsidised is not claimed again
    assert 100_000 in amounts(lead)
    assert "不得重复申请" in ans.answer
    f = read_figures("保费4万，这份保单已经领过市里的保费补贴")
    assert f.premiums_subsidised == [True]
    assert read_figures("交了手续费2万，保费4万").premiums == [(40_000, False)]


def test_two_levels_compared_are_both_computed_and_the_higher_one_counts(sample_settings):
    ans = ask("在西咸注册。贷了800万，一年期，利率4%，专利加厂房一起担保，合同写明专利担保的主债权是300万，钱用于生产经营。"
              "市里的贷款贴息和区里的知产贴息二选一，哪个拿得多，能拿多少？", sample_settings)
    lead = ans.answer.splitlines()[0]
    # the district counts the IP-secured 300万 only: 300万 × 4% × 50% = 6万; the city 800万 × 4% × 30% = 9.6万
    assert "西安市" in lead and 96_000 in amounts(lead)
    assert 60_000 in amounts(ans.answer)
    assert read_figures("合同写明专利担保的主债权是300万").ip_part == 3_000_000


def test_the_period_asked_is_the_period_computed(sample_settings):
    """A subsidy asked for half a year of a three-year loan is computed on six months, not on the term."""
    ans = ask("专利质押贷了400万，期限三年，利率4%，这半年区里贴息能补多少？", sample_settings)
    assert 40_000 in amounts(ans.answer) and 240_000 not in amounts(ans.answer)


def test_an_amount_a_rate_is_given_for_is_a_loan(sample_settings):
    f = read_figures("工行800万，利率3.9%；中行200万，利率4.1%，都是一年期")
    assert [(ln.amount, ln.rate) for ln in f.loans] == [(8_000_000, pytest.approx(0.039)), (2_000_000, pytest.approx(0.041))]
    ans = ask("今年专利质押在两家银行都有贷款：工行800万，利率3.9%；中行200万，利率4.1%，都是一年期。区级贴息一共多少？", sample_settings)
    assert 197_000 in amounts(ans.answer)


def test_interest_said_after_its_figure_adds_up_and_charges_are_no_base():
    f = read_figures("一笔付了12万利息，另一笔付了8万利息，银行另收了3000块手续费")
    assert f.interest == 200_000 and f.charges == [3_000] and not f.loans
    assert read_figures("资金池给我们补过100万了，这次损失400万").already == 1_000_000


def test_a_loss_a_guarantor_shared_is_compensated_on_the_banks_part(sample_settings):
    ans = ask("区资金池备案的一笔贷款本金损失一共500万，担保公司代偿了其中200万，区里资金池能补多少？", sample_settings)
    assert 900_000 in amounts(ans.answer) and 1_500_000 not in amounts(ans.answer)
    assert any(c.article == "第十七条" for c in ans.citations)  # the article that says so is cited


def test_each_guaranteed_loan_counts_its_fee_up_to_the_base_rate(sample_settings):
    ans = ask("两笔担保贷款：一笔1000万，担保费率3%，交了30万；另一笔400万，费率1%，交了4万。市里担保费补贴一共多少？", sample_settings)
    assert 120_000 in amounts(ans.answer)  # (1000万×2% + 4万) × 50%


def test_a_mixed_guarantee_loss_counts_the_ip_share_and_a_programme_name_is_a_calculation(sample_settings):
    ans = ask("秦知贷备案的一笔贷款用专利和厂房一起担保，专利评估值900万，厂房评估值300万，本金损失400万，省里补多少？", sample_settings)
    assert 1_500_000 in amounts(ans.answer)  # 400万 × 900/1200 × 50%
    # named only by the programme's own word, with no word of the kind of calculation
    ans = ask("省里秦知贷这次能给我们行补几个钱？欠着的本金还有300万。", sample_settings)
    assert ans.composer == "calculator" and 1_500_000 in amounts(ans.answer)


def test_a_fee_another_party_paid_is_not_subsidised(sample_settings):
    ans = ask("两笔贷款，一笔评估费5万是我们自己付的，另一笔评估费3万是银行替我们付的，省里评估费补助能拿多少？", sample_settings)
    stated = amounts(ans.answer)
    computed = ans.answer.split("以上为测算")[0]
    assert 50_000 in stated and 80_000 not in stated and "不予补助" in computed


def test_a_refund_asked_is_the_subsidy_share_of_what_came_back(sample_settings):
    ans = ask("首次投保科技保险，保费8万，秦科保补贴已经拿到了。后来退保，保险公司退还了2万保费，要退回多少补贴？", sample_settings)
    assert ans.answer.startswith("按您给出的数字测算，应退回") and 16_000 in amounts(ans.answer)


def test_parts_asking_one_calculation_are_computed_together(sample_settings):
    ans = ask("我们行有笔备案贷款出了不良，本金损失600万。秦知贷跟资金池各能补多少？", sample_settings)
    assert {3_000_000, 1_800_000} <= amounts(ans.answer.splitlines()[0])  # both computed, in the lead


def test_a_yes_no_on_an_amount_to_borrow_is_concluded_against_the_most_computed(sample_settings):
    from assistant.evaluation.kinds import verdict
    from assistant.products.catalog import catalog_for

    product = next(p for p in catalog_for(sample_settings) if p.pledge_ratio.get("发明专利") and p.amount.max)
    most = min(2_000_000 * product.pledge_ratio["发明专利"], product.amount.max)
    over = ask(f"发明专利评估值200万，想用{product.name}借{(most + 1_000_000) / 10_000:g}万，按质押率算额度够吗？", sample_settings)
    assert over.answer.startswith("不能") and verdict(over.answer) == "否"
    under = ask(f"发明专利评估值200万，想用{product.name}借{max(most - 100_000, 10_000) / 10_000:g}万，按质押率算额度够吗？", sample_settings)
    assert under.answer.startswith("可以") and verdict(under.answer) == "是"


def test_what_a_bank_returns_after_recovering_is_the_net_recovery_times_the_ratio(sample_settings):
    ans = ask("秦知贷给我们行补过300万。后来质押的专利处置掉了，收回来260万，打官司加拍卖一共花了10万，该返还省里多少？", sample_settings)
    lead = ans.answer.splitlines()[0]
    assert 1_250_000 in amounts(lead)  # (260万 − 10万) × 50%
    assert read_figures("收回来90万，付了律师费3万、拍卖费2万").charges == [30_000, 20_000]
    assert any(c.article == "第二十六条" for c in ans.citations)


def test_a_leaning_part_after_a_calculation_borrows_its_topic(sample_settings):
    ans = ask("秦知贷补过我们行300万，后来追回来100万，花了诉讼费10万，要返还多少？多少个工作日内要返？", sample_settings)
    assert 450_000 in amounts(ans.answer.splitlines()[0])
    # the deadline part is answered with the calculation, from the same rule's article, not from whatever
    # “多少个工作日” matches alone
    assert "15个工作日" in ans.answer.split("以上为测算")[0]


@pytest.mark.parametrize(("text", "loans", "interest", "charges"), [
    ("我们和另一家一块儿申请的，专利质押贷了500万，利率4%", [5_000_000], None, []),  # 一块儿 is no sum
    ("专利质押贷了500万，利率4%，去年研发投入占比8%", [5_000_000], None, []),  # a percent that is no rate
    ("专利质押贷款500万的利息，年利率4%", [5_000_000], None, []),  # the loan's interest, not interest paid
    ("贷了200万，利率4%，银行另收了3000块手续费", [2_000_000], None, [3_000]),
])
def test_figures_are_not_taken_for_what_they_are_not(text, loans, interest, charges):
    f = read_figures(text)
    assert [ln.amount for ln in f.loans] == loans and f.interest == interest and f.charges == charges


def test_the_period_asked_stays_within_the_term_and_a_fee_alone_is_capped_at_the_base_rate(sample_settings):
    ans = ask("专利质押贷了600万，期限9个月，利率4%，这一年区里贴息能补多少？", sample_settings)
    assert 90_000 in amounts(ans.answer.splitlines()[0])  # 600万×4%×9/12×50%, not twelve months
    ans = ask("两笔担保贷款：一笔1000万，交了担保费30万；另一笔400万，交了担保费4万。市里担保费补贴一共多少？", sample_settings)
    assert 120_000 in amounts(ans.answer.splitlines()[0])  # the fee alone says its rate: 3% is cut to 2%


def test_a_guarantor_said_not_to_have_paid_covers_nothing_and_two_levels_keep_their_own_loss(sample_settings):
    assert read_figures("担保公司没有代偿，本金损失500万").covered is None
    assert read_figures("担保公司代偿以后，银行本金损失还有300万").losses == [3_000_000]
    ans = ask("本金损失500万，担保公司代偿了200万。秦知贷跟资金池各能补多少？", sample_settings)
    stated = amounts(ans.answer.splitlines()[0])
    assert 900_000 in stated and 0 not in stated  # the pool on the bank's own 300万; not cut to nothing


def test_a_return_is_computed_only_by_a_rule_that_says_how_and_never_above_what_was_received(sample_settings):
    assert read_figures("通过诉讼追回了100万").recovered == 1_000_000
    ans = ask("秦知贷给我们行补过30万，后来追回来100万，要返还多少？", sample_settings)
    assert 300_000 in amounts(ans.answer.splitlines()[0]) and 500_000 not in amounts(ans.answer.splitlines()[0])
    pool = ask("区里资金池补过我们行90万，后来追回来100万，要返还多少？", sample_settings)
    assert "秦知贷" not in pool.answer.splitlines()[0]  # the pool's rules say no such thing: nothing computed by another's


@pytest.mark.parametrize("text", [
    "由银行推荐的评估机构出具报告，评估费3万",
    "中介帮我们交了申请材料，评估费3万",
    "评估费3万，由担保公司承担一半",
])
def test_a_fee_the_firm_paid_is_not_taken_for_one_another_paid(text):
    f = read_figures(text)
    assert f.fees == [30_000] and not f.fees_by_others


def test_an_amount_asked_is_the_one_asked_not_one_the_story_names(sample_settings):
    from assistant.evaluation.kinds import verdict
    from assistant.products.catalog import catalog_for

    product = next(p for p in catalog_for(sample_settings) if p.pledge_ratio.get("发明专利") and p.amount.max)
    most = min(2_000_000 * product.pledge_ratio["发明专利"], product.amount.max)
    f = read_figures(f"发明专利评估值200万，用{product.name}能给我们批{(most + 1_000_000) / 10_000:g}万吗？")
    assert [v for _t, v in f.valuations] == [2_000_000]  # the amount asked is no second valuation
    ans = ask(f"已经有一笔{max(most - 100_000, 10_000) / 10_000:g}万的流动资金贷款了。发明专利评估值200万，用{product.name}按质押率算，"
              f"额度够再借{(most + 1_000_000) / 10_000:g}万吗？", sample_settings)
    assert verdict(ans.answer) == "否"
