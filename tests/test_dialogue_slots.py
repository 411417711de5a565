"""Chinese numbers and slot extraction from free text (property tests for the amount parser)."""

import cn2an
import pytest
from hypothesis import given
from hypothesis import strategies as st

from assistant.dialogue.numbers import to_yuan
from assistant.dialogue.slots import Context, extract

SCALE = {"万": 10_000, "亿": 100_000_000}


@given(st.integers(1, 9999), st.sampled_from(["万", "亿"]))
def test_arabic_and_chinese_numerals_with_units_agree(n, unit):
    expected = n * SCALE[unit]
    assert to_yuan(str(n), unit) == expected
    assert to_yuan(cn2an.an2cn(n), unit) == expected


@given(st.integers(1, 99_999_999))
def test_thousands_separators_and_fullwidth_digits(n):
    text = f"{n:,}"
    assert to_yuan(text, None) == n
    assert to_yuan(text.translate(str.maketrans("0123456789,", "０１２３４５６７８９，")), None) == n


@given(st.integers(1, 99), st.integers(1, 9))
def test_decimals_in_both_notations(a, b):
    assert to_yuan(f"{a}.{b}", "亿") == pytest.approx((a + b / 10) * 1e8)
    assert to_yuan(f"{cn2an.an2cn(a)}点{cn2an.an2cn(b)}", "亿") == pytest.approx((a + b / 10) * 1e8)


@given(st.integers(1, 9999), st.sampled_from(["想贷{}", "需要融资{}", "资金缺口大概{}", "打算借{}"]), st.sampled_from(["万", "万元", "亿"]))
def test_loan_amount_from_a_sentence(n, template, unit):
    got = extract(template.format(f"{cn2an.an2cn(n)}{unit}"))
    assert got["need.amount"] == n * SCALE[unit[0]]


@pytest.mark.parametrize(("text", "expected"), [
    ("想贷五千二百万，期限两年", {"need.amount": 52_000_000, "need.term_months": 24}),
    ("我们营收三千万，负债率45%，员工80人", {"revenue": 30_000_000, "debt_ratio": 0.45, "employees": 80}),
    ("公司在沣东新城，2019年成立，有3件发明专利、十二个软著", {"region": "西咸新区", "founded_year": 2019, "ip_counts.发明专利": 3, "ip_counts.软件著作权": 12}),
    ("两项实用新型，一个注册商标", {"ip_counts.实用新型": 2, "ip_counts.商标": 1}),
    ("融资1.5亿，借一年半，用于研发投入", {"need.amount": 150_000_000, "need.term_months": 18, "need.purpose": "研发投入"}),
    ("是高企，还不是专精特新", {"qualifications": ["高新技术企业"]}),
    ("征信没问题，已经进了白名单", {"credit_ok": True, "whitelist": True}),
    ("还没进白名单，之前有过逾期", {"whitelist": False, "credit_ok": False}),
    ("西安市雁塔区的陕西示例智能科技有限公司", {"region": "西安市", "name": "陕西示例智能科技有限公司"}),
    ("不对，是三件发明专利", {"ip_counts.发明专利": 3}),
])
def test_slots_from_real_phrasings(text, expected):
    assert extract(text) == expected


def test_founded_years_ago_is_relative_to_today():
    import datetime as dt

    assert extract("公司成立5年了")["founded_year"] == dt.date.today().year - 5


@pytest.mark.parametrize("said", ["我们成立才8个月", "公司成立了八个月", "注册刚8个月"])
def test_founded_months_ago_is_relative_to_today(said):
    import datetime as dt

    from dateutil.relativedelta import relativedelta

    since = dt.date.today() - relativedelta(months=8)
    slots = extract(said)
    assert (slots["founded_year"], slots["founded_month"]) == (since.year, since.month)


# --- families of phrasings (ratios, head counts, revenue shorthand, corrections, requests, flags) -----------------
CN = "零一二三四五六七八九"


@given(st.integers(1, 99), st.sampled_from(["负债率{}", "资产负债率大概{}", "负债{}", "负债比例是{}", "负债率在{}左右"]),
       st.sampled_from(["{n}%", "{n}％", "{cn}%", "百分之{cn}", "{cn}个点", "{n}个百分点"]))
def test_debt_ratio_in_any_percent_notation(n, noun, form):
    text = noun.format(form.format(n=n, cn=cn2an.an2cn(n))) + "，征信良好"
    assert extract(text)["debt_ratio"] == pytest.approx(n / 100)


@given(st.integers(1, 9), st.integers(0, 9), st.sampled_from(["负债率{}", "负债{}", "资产负债率差不多{}"]))
def test_debt_ratio_in_tenths(tens, ones, noun):
    said = f"{CN[tens]}成{CN[ones] if ones else ''}"  # 四成, 七成二
    assert extract(noun.format(said) + "，员工50人")["debt_ratio"] == pytest.approx((tens * 10 + ones) / 100)


@pytest.mark.parametrize(("text", "ratio"), [
    ("负债率三成半", 0.35), ("负债率一半", 0.5), ("负债率0.45", 0.45), ("资产负债率比较高，78%", 0.78),
    ("负债率看成前年的了，去年是62%", 0.62), ("负债率也说错了，应该是五成二", 0.52),
])
def test_debt_ratio_said_loosely_or_corrected(text, ratio):
    assert extract(text)["debt_ratio"] == pytest.approx(ratio)


def test_a_ratio_of_another_noun_is_not_the_debt_ratio():
    assert "debt_ratio" not in extract("负债率不高，营收增长了20%")
    assert "debt_ratio" not in extract("负债率150%")


@given(st.integers(2, 9999), st.sampled_from(["员工{}个", "员工{}人", "员工{}", "{}名员工", "{}个员工", "职工{}位", "员工数是{}", "人数{}人左右", "员工大概{}名"]),
       st.booleans())
def test_head_count_with_any_counter(n, template, chinese):
    said = cn2an.an2cn(n) if chinese else str(n)
    got = extract("成立五年，" + template.format(said) + "，征信良好")
    assert got["employees"] == n


def test_rd_staff_is_not_the_head_count():
    assert extract("研发人员30人，员工200人") == {"rd_staff": 30, "employees": 200}


@given(st.integers(1, 9), st.integers(1, 9), st.sampled_from(["去年销售{}", "产值{}", "营收{}", "年营业额{}"]))
def test_revenue_in_yi_shorthand(a, b, template):
    assert extract(template.format(f"{CN[a]}亿{CN[b]}"))["revenue"] == pytest.approx((a + b / 10) * 1e8)


@pytest.mark.parametrize(("text", "expected"), [
    ("营收少了个零，是4800万", {"revenue": 48_000_000}),
    ("营收刚才说错了，应该是八千万", {"revenue": 80_000_000}),
    ("哦营收看错了，是2.6亿", {"revenue": 260_000_000}),
    ("说错了，是三百万，不是三千万", {"need.amount": 3_000_000}),
])
def test_corrected_figures_go_to_the_noun_being_corrected(text, expected):
    assert extract(text) == expected


@pytest.mark.parametrize(("text", "purpose"), [
    ("想贷一千万，三年，扩一条生产线，看看有啥合适的", "扩一条生产线"),
    ("打算贷三百万搞手游研发，两年，帮忙推荐下", "手游研发"),
    ("要三百万，一年，流片，有没有能做的", "流片"),
    ("贷两百万，一年，购买检测试剂，有推荐吗", "购买检测试剂"),
    ("想借一百万，一年，补流动资金，能办吗", "补流动资金"),
    ("要两千万，三年，扩产", "扩产"),
])
def test_purpose_ignores_trailing_requests(text, purpose):
    got = extract(text)
    assert got["need.purpose"] == purpose and "need.term_months" in got


@pytest.mark.parametrize(("text", "expected"), [
    ("征信没毛病", True), ("征信ok", True), ("征信挺好的", True), ("信用记录没问题", True), ("征信方面没有瑕疵", True),
    ("征信上没有任何污点", True), ("征信没出过问题", True), ("征信记录里有过一次逾期", False), ("征信不太好", False),
])
def test_credit_statements(text, expected):
    assert extract(text) == {"credit_ok": expected}


def test_hypothetical_credit_is_not_a_fact():
    assert extract("要是征信有逾期，银行还会放贷吗？") == {}


@pytest.mark.parametrize(("text", "expected"), [
    ("白名单没申请过", False), ("白名单也还没报", False), ("还不是白名单企业", False),
    ("西咸的白名单我们已经进了", True), ("本公司属于白名单企业", True), ("去年底进了白名单", True),
])
def test_whitelist_statements(text, expected):
    assert extract(text) == {"whitelist": expected}


def test_whitelist_questions_state_nothing():
    assert "whitelist" not in extract("进了白名单以后有效期多久？")
    assert "whitelist" not in extract("想进新区那个融资白名单，流程是怎样的？")


@pytest.mark.parametrize(("text", "quals"), [
    ("高企不是，科小也不是", []), ("既不是高企，也不是专精特新", []), ("啥资质都没有", []),
    ("高企还在申报中，是科小", ["科技型中小企业"]), ("科技型中小企业，没有高企", ["科技型中小企业"]),
    # a time word between the mention and its negator keeps the negator's scope (it read as 科小 held)
    ("科小今年没入库", []), ("高企去年没评上，科小有", ["科技型中小企业"]),
    ("高企去年没过，今年过了", ["高新技术企业"]),  # denied then, held now
])
def test_negated_qualifications(text, quals):
    assert extract(text)["qualifications"] == quals


def test_works_copyright_counts_as_copyright():
    assert extract("我们有20件美术作品著作权登记")["ip_counts.著作权"] == 20
    assert extract("手里有45件美术作品著作权登记和3个注册商标") == {"ip_counts.著作权": 45, "ip_counts.商标": 3}


def test_a_count_keeps_its_kind_through_a_word_of_its_own_and_a_subset_is_no_count():
    # a word between the count and the kind (近似, 核心) leaves the count the kind's; another kind's name does not
    assert extract("我们注册了两个近似商标")["ip_counts.商标"] == 2
    assert extract("有3件核心发明专利和两件实用新型专利") == {"ip_counts.发明专利": 3, "ip_counts.实用新型": 2}
    assert "ip_counts.商标" not in extract("3个月内拿到商标")  # months, not marks
    # “只押其中一个”: some of those counted before, not what the firm holds
    assert extract("我们注册了两个商标，可以只质押其中一个商标吗？")["ip_counts.商标"] == 2


@pytest.mark.parametrize(("text", "expected"), [
    ("沣西新城，员工八十五个", {"region": "西咸新区", "employees": 85}),
    ("渭南高新区的企业，做工业级3D打印设备的", {"region": "渭南市", "industry": "工业级3D打印设备"}),
    ("我们有没有能直接办的贷款？做的是环保监测仪器", {"industry": "环保监测仪器"}),
])
def test_region_and_industry_phrasings(text, expected):
    got = extract(text)
    assert {k: got.get(k) for k in expected} == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("去年卖了三千来万，负债率不到三成", {"revenue": 30_000_000, "debt_ratio": 0.3}),
    ("员工数说错了，是85人", {"employees": 85}),
    ("我们融资主要是为了研发一款新药，要五百万", {"need.amount": 5_000_000, "need.purpose": "研发一款新药"}),
    ("想借点钱扩大一下产能，两百万左右，一年", {"need.amount": 2_000_000, "need.term_months": 12, "need.purpose": "扩大一下产能"}),
    ("白名单报了还没批下来", {"whitelist": False}),
    ("我们公司在雁塔，做软件", {"region": "西安市", "industry": "软件"}),
])
def test_more_loose_phrasings(text, expected):
    assert extract(text) == expected


@pytest.mark.parametrize("said", ["公司有两位股东", "公司一共三个合伙人", "公司有6个专利"])
def test_a_counter_before_another_noun_counts_no_staff(said):
    # 位/个/名 before a noun that is no staff word count that noun (股东, 合伙人, 专利), not the head count
    assert "employees" not in extract(said)


@pytest.mark.parametrize(("said", "n"), [("公司有三十个人", 30), ("公司有35名", 35), ("公司有85个员工", 85), ("公司有二十来个，都在西安", 20),
                                         ("公司有20个左右", 20), ("公司一共50个工人", 50), ("公司总共30个不到", 30)])
def test_a_counter_before_a_staff_word_or_the_clause_end_is_the_head_count(said, n):
    assert extract(said)["employees"] == n


def test_a_range_of_years_founded_is_no_founding_year():
    assert "founded_year" not in extract("公司成立一两年，想了解贷款")  # not twelve years ago


def test_a_bank_named_after_a_place_is_not_where_the_firm_is():
    assert "region" not in extract("我们一般都在长安银行贷款")
    assert "region" not in extract("之前在西安银行借过一笔")
    assert extract("公司注册在西安，在长安银行开户")["region"] == "西安市"


def test_where_the_firm_is_registered_outranks_where_it_has_a_site():
    assert extract("我们在沣东新城有个实验室，公司注册在雁塔区")["region"] == "西安市"
    assert extract("我们在雁塔区有个门店，但注册在空港新城")["region"] == "西咸新区"
    assert extract("公司在沣西新城，员工八十来个")["region"] == "西咸新区"  # no registering word: the place said
    # registered there once, not now, or not yet: the place said first stands
    for said in ("公司在雁塔区，没有注册在沣东新城", "公司在雁塔区，以前注册在沣东新城", "公司在雁塔区，打算把注册地迁到沣东新城"):
        assert extract(said)["region"] == "西安市", said


@pytest.mark.parametrize("said", ["客户欠我们200万货款", "上个月交了8万的税"])
def test_a_figure_with_the_noun_it_measures_is_not_the_loan_wanted(said):
    assert "need.amount" not in extract(said)


@pytest.mark.parametrize(("said", "amount"), [("想要五百万的贷款", 5_000_000), ("需要300万资金", 3_000_000),
                                              ("那就按八百万来吧", 8_000_000), ("400万元人民币", 4_000_000),
                                              ("打算做600万的专利质押贷款", 6_000_000), ("想搞300万融资", 3_000_000)])
def test_a_figure_with_a_loan_word_or_no_noun_after_it_is_the_loan_wanted(said, amount):
    assert extract(said)["need.amount"] == amount


@pytest.mark.parametrize("said", ["我们那件发明专利还有三年到期", "专利的剩余保护期8年"])
def test_how_long_a_patent_still_runs_is_not_the_loan_term(said):
    assert "need.term_months" not in extract(said)


def test_a_loan_term_beside_its_repayment_at_maturity_is_still_the_term():
    assert extract("贷三年，到期一次还本")["need.term_months"] == 36
    assert extract("想贷两年到期一次还清")["need.term_months"] == 24  # the loan's own term runs to maturity
    assert extract("授信有效期三年")["need.term_months"] == 36


def test_how_many_of_those_are_of_a_kind_is_the_count_of_that_kind():
    # “其中” before a kind and its count says how the firm's holding divides; before a count (其中两件…) it picks some out
    assert extract("专利一共有9件，其中发明4件")["ip_counts.发明专利"] == 4
    assert "ip_counts.发明专利" not in extract("能只押其中两件发明专利吗")
    assert "ip_counts.发明专利" not in extract("专利有9件，想押其中发明三件")  # some picked out, kind first


@pytest.mark.parametrize(("said", "revenue"), [("去年营收8000万，今年预计1个亿", 80_000_000),
                                               ("今年营收估计能到9000万，去年6000万", 60_000_000)])
def test_a_clause_that_only_moves_the_year_speaks_of_the_noun_before_it(said, revenue):
    # the profile holds last year's revenue; this year's estimate is no loan wanted either
    got = extract(said)
    assert got["revenue"] == revenue and "need.amount" not in got


def test_a_bare_figure_after_a_named_one_is_still_the_loan_wanted():
    assert extract("营收4000万，两年，600万")["need.amount"] == 6_000_000


def test_a_loan_already_taken_is_not_the_loan_wanted():
    assert "need.amount" not in extract("去年已经在建行贷了400万")
    assert extract("之前在建行借过100万，这次想贷600万")["need.amount"] == 6_000_000


def test_a_next_clause_saying_it_ran_out_is_a_lapse():
    assert extract("前年进的白名单，今年已经到期了")["whitelist"] is False
    assert extract("前年进的白名单，后年才到期")["whitelist"] is True  # still running


@pytest.mark.parametrize(("said", "amount"), [("之前借了100万这次想贷600万", 6_000_000), ("已经贷了300万还想再贷200万", 2_000_000),
                                              ("专利已经批了2件想贷500万", 5_000_000), ("去年贷了300万，今年500万", 5_000_000)])
def test_a_loan_already_taken_governs_only_its_own_figure(said, amount):
    # unpunctuated chat: the earlier loan or an unrelated 批了 does not take the loan wanted with it
    assert extract(said)["need.amount"] == amount


def test_a_loan_s_maturity_is_no_lapse_of_what_it_was_taken_with():
    assert extract("去年凭高企资质贷了300万，今年到期了，想续贷")["qualifications"] == ["高新技术企业"]
    got = extract("去年营收3000万，今年大概500万", Context(expecting=("need.amount",)))
    assert got["need.amount"] == 5_000_000  # the amount just asked for, not a forecast of revenue
