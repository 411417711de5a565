"""What a firm says about itself, and only that, reaches its profile: negation over lists of qualifications,
corrections that name the figure's field earlier in the turn or in an earlier turn, places and numbers in
questions about something else, and the details an application needs (credit code, people, contacts, IP items)."""

from __future__ import annotations

import pytest

from assistant.dialogue.manager import DialogueManager, Session
from assistant.dialogue.slots import extract

HIGH, SMALL, SPECIAL = "高新技术企业", "科技型中小企业", "专精特新"


@pytest.mark.parametrize(("text", "quals"), [
    ("高企和科小都不是", []),
    ("我们既非高企也非科小", []),
    ("高新技术企业、科技型中小企业这两个我们都没有", []),
    ("高企和专精特新都还没评上", []),
    ("高企不是，科小是", [SMALL]),
    ("只有科小，没有高企", [SMALL]),
    ("我们不是专精特新，是高新技术企业", [HIGH]),
    ("科小和高企都是", [SMALL, HIGH]),
    ("除了科小，别的资质都没有", [SMALL]),
])
def test_negation_scopes_over_the_list_it_governs(text, quals):
    assert sorted(extract(text).get("qualifications", ["<none>"])) == sorted(quals)


def test_a_negated_list_removes_qualifications_said_before(sample_settings):
    dm = DialogueManager(sample_settings)
    dm.turn("我们是高企，也是科小")
    assert sorted(dm.session.slots["qualifications"]) == sorted([HIGH, SMALL])
    dm.turn("不好意思说错了，高企和科小其实都不是")
    assert dm.session.slots["qualifications"] == []


@pytest.mark.parametrize(("first", "correction", "field", "value"), [
    ("去年营收三千万，想贷五百万", "刚才营收说少了，应该4800万", "revenue", 48_000_000),
    ("营业收入两千万左右", "不对，收入少说了一个零，两个亿", "revenue", 200_000_000),
    ("想借三百万，期限一年", "金额说多了，两百万就够", "need.amount", 2_000_000),
])
def test_a_correction_goes_to_the_field_named_before_it(sample_settings, first, correction, field, value):
    dm = DialogueManager(sample_settings)
    dm.turn(first)
    before = dict(dm.session.slots)
    dm.turn(correction)
    assert dm.session.slots[field] == value
    other = "need.amount" if field == "revenue" else "revenue"
    assert dm.session.slots.get(other) == before.get(other)  # the other figure is untouched


def test_a_bare_correction_goes_to_the_figure_stated_last(sample_settings):
    dm = DialogueManager(sample_settings)
    dm.turn("我们想贷三百万")
    dm.turn("公司营收大概一千万")
    dm.turn("不对不对，说少了，是一千五百万")
    assert dm.session.slots["revenue"] == 15_000_000 and dm.session.slots["need.amount"] == 3_000_000


def test_a_bare_figure_answers_the_question_the_assistant_asked(sample_settings):
    dm = DialogueManager(sample_settings)
    reply = dm.turn("我们在沣东，有5件发明专利，想贷五百万")
    asked = reply.reply
    dm.session.expecting = ["revenue"]  # what the assistant just asked for (set by the manager when it asks)
    dm.turn("三千来万吧")
    assert dm.session.slots["revenue"] == 30_000_000, asked
    assert dm.session.slots["need.amount"] == 5_000_000


@pytest.mark.parametrize("question", [
    "深圳的人才补贴怎么申请？",
    "上海那边知识产权质押贴息是多少？",
    "北京的银行有没有类似的产品？",
    "我们有个客户在杭州，他们那边政策怎么样？",
])
def test_a_place_in_a_question_about_something_else_is_not_the_firms(sample_settings, question):
    dm = DialogueManager(sample_settings, Session(slots={"region": "西咸新区", "name": "陕西示例科技有限公司"}))
    result = dm.turn(question)
    assert dm.session.slots["region"] == "西咸新区"
    assert result.profile.get("region") == "西咸新区"
    assert not result.reply.startswith("已记录")


@pytest.mark.parametrize(("text", "region"), [
    ("我们公司在宝鸡，能申请吗？", "宝鸡市"),
    ("我们沣西新城的企业能贷多少？", "西咸新区"),
    ("注册地在西安高新区", "西安市"),
])
def test_the_firms_own_place_is_still_read_in_a_question(text, region):
    assert extract(text).get("region") == region


def test_an_off_topic_turn_changes_nothing(sample_settings):
    dm = DialogueManager(sample_settings, Session(slots={"region": "西咸新区", "need.amount": 5_000_000}))
    before = dict(dm.session.slots)
    result = dm.turn("明天去深圳出差，那边天气怎么样，要带伞吗？")
    assert result.intent == "out_of_scope"
    assert dm.session.slots == before and not result.slots


USCC = "91610131MA6W8X1Y5L"  # check char computed by the GB 32100 rule in the test below


def _uscc() -> str:
    from assistant.profile.validators import uscc_check_char

    return USCC[:17] + uscc_check_char(USCC[:17])


def _patent(digits: str) -> str:
    from assistant.profile.validators import patent_check_char

    return f"ZL{digits}.{patent_check_char(digits)}"


def test_application_details_said_in_chat_are_recorded():
    code, patent = _uscc(), _patent("202110345678")
    got = extract(f"我们统一社会信用代码是{code}，法定代表人郑远航，联系人李娜，电话13991234567，邮箱lina@example.com.cn，"
                  f"发明专利号{patent}，名称《一种电池热管理方法》，2041年3月到期，评估值600万")
    assert got["uscc"] == code
    assert got["legal_rep"] == "郑远航" and got["contact_person"] == "李娜"
    assert got["contact_phone"] == "13991234567" and got["contact_email"] == "lina@example.com.cn"
    [item] = got["ip_assets"]
    assert item["type"] == "发明专利" and item["number"] == patent and item["title"] == "一种电池热管理方法"
    assert item["expires"] == "2041-03-31" and item["valuation"] == 6_000_000
    assert "need.amount" not in got and "revenue" not in got  # the valuation is the patent's, not the loan


def test_several_ip_items_and_a_landline():
    a, b = _patent("202010111222"), _patent("202120333444")
    got = extract(f"拟质押的有两件：发明专利{a}，评估值300万；实用新型{b}，评估80万。软著登记号2023SR0456789。有事打029-88886666找张敏")
    types = [(i["type"], i["number"]) for i in got["ip_assets"]]
    assert types == [("发明专利", a), ("实用新型", b), ("软件著作权", "2023SR0456789")]
    assert [i.get("valuation") for i in got["ip_assets"]] == [3_000_000, 800_000, None]
    assert got["contact_phone"] == "029-88886666"


def test_a_wrong_check_digit_is_not_recorded_and_is_said(sample_settings):
    code = _uscc()
    wrong = code[:17] + ("0" if code[17] != "0" else "1")
    dm = DialogueManager(sample_settings)
    result = dm.turn(f"我们的统一社会信用代码是{wrong}")
    assert "uscc" not in dm.session.slots
    assert "校验位" in result.reply


def test_the_application_turn_does_not_ask_again_for_what_was_said(sample_settings):
    dm = DialogueManager(sample_settings)
    dm.turn("我们是陕西示例储能科技有限公司，在沣东，2019年成立，5件发明专利，3件软著，想贷五百万，一年")
    dm.turn(f"信用代码{_uscc()}，法人郑远航，联系人李娜，手机13991234567")
    reply = dm.turn("帮我生成申请表").reply
    still_needed = reply.split("还需要：", 1)[1].split("。", 1)[0].split("、") if "还需要：" in reply else []
    for said in ("统一社会信用代码", "联系人", "联系电话", "法定代表人", "申请金额", "成立日期", "注册地", "企业名称"):
        assert said not in still_needed, reply
    assert "郑远航" in reply and "李娜" in reply


@pytest.mark.parametrize("text", [
    "我们的客户在深圳",
    "我们供应商都在苏州，原材料从那边进",
    "我们的经销商在成都，一年给我们下两千万的单",
    "法人常住在北京",
])
def test_a_statement_about_another_party_is_not_the_firms(text):
    got = extract(text)
    assert "region" not in got and "need.amount" not in got, got


def test_the_firm_naming_its_own_unit_is_the_firm():
    got = extract("我们这个子公司是2023年成立的，营收一千二百万")
    assert got["founded_year"] == 2023 and got["revenue"] == 12_000_000


@pytest.mark.parametrize(("text", "field"), [("法人在深圳出差", "legal_rep"), ("法人有过逾期", "legal_rep"), ("联系人换一下", "contact_person")])
def test_a_fragment_after_a_role_word_is_no_persons_name(text, field):
    assert field not in extract(text)


def test_a_contact_changed_in_chat_is_the_new_name():
    assert extract("联系人换一下，改成周婷")["contact_person"] == "周婷"


@pytest.mark.parametrize(("text", "quals"), [
    ("高企证书上个月已经到期了", []),
    ("我们以前是科小，现在不是了", []),
    ("以前是科小，现在是高企", [HIGH]),
    ("高企证书后年才到期", [HIGH]),
])
def test_a_lapsed_or_former_qualification_is_not_held(text, quals):
    assert sorted(extract(text).get("qualifications", ["<none>"])) == sorted(quals)


def test_the_manager_remembers_what_it_asked_and_a_bare_figure_answers_it(sample_settings):
    dm = DialogueManager(sample_settings)
    dm.turn("我们在沣东，2019年成立，是高企，有5件发明专利，负债率40%，员工80人，征信良好，已进白名单，想贷五百万，一年")
    assert dm.session.expecting, "the matching reply asks for what decides eligibility and records it"
    field = dm.session.expecting[0]
    if field == "revenue":
        dm.turn("三千来万吧")
        assert dm.session.slots["revenue"] == 30_000_000 and dm.session.slots["need.amount"] == 5_000_000
    dm.turn("深圳那边的贴息政策是什么？")
    assert not dm.session.expecting  # the next turn answered something else: nothing is expected any more


def test_a_stored_ip_item_without_a_number_is_said_back(sample_settings):
    dm = DialogueManager(sample_settings, Session(slots={"name": "陕西示例储能科技有限公司", "ip_assets": [{"type": "发明专利", "title": "一种储能方法"}]}))
    result = dm.turn("帮我申请秦创贷，生成申请表")
    assert result.intent == "application" and "发明专利" in result.reply
