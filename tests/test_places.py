"""The gazetteer: places found by full or short name and by the way people abbreviate provinces, each with the chain
of places above it; short names only on word boundaries; the product rules read the same hierarchy."""

from __future__ import annotations

import pytest

from assistant.lexicon.places import gazetteer, levels_in
from assistant.retrieval.regions import (
    AT_LEVEL,
    ELSEWHERE,
    NEUTRAL,
    OTHER_LEVEL,
    PREFERRED,
    preference,
    uncovered_place,
)
from tests.conftest import make_settings


@pytest.mark.parametrize(("text", "expected"), [
    ("京这边的科创企业有什么支持", "北京市"), ("沪上的中小企业", "上海市"), ("在沪企业融资", "上海市"),
    ("浙江这边科技成果转化有奖励吗", "浙江省"), ("粤那边的知识产权保护", "广东省"), ("我们海淀区的公司", "海淀区"),
    ("深圳的人才补贴", "深圳市"), ("我们在沣东，想贷款", "沣东新城"), ("中关村的政策", "中关村科学城"),
    ("在京的科技企业能贴息吗", "北京市"), ("粤省有没有风险补偿", "广东省"), ("在浙的企业", "浙江省"),
])
def test_places_as_people_name_them(text, expected):
    assert [p.name for p in gazetteer().places(text)][:1] == [expected]


@pytest.mark.parametrize("text", ["大同小异吧", "长安银行的秦创贷", "京东的供应商能贷吗", "新区的白名单", "高新技术企业认定",
                                  "在新的一年里还能申请吗", "我们在宁的时候", "吉省"])
def test_no_place_where_none_is_named(text):
    assert gazetteer().places(text) == []


def test_each_place_knows_the_places_above_it():
    g = gazetteer()
    assert g.chain_names("沣东新城") == ["沣东新城", "西咸新区", "西安市", "陕西省"]
    assert g.chain_names("深圳") == ["深圳市", "广东省"]
    assert g.chain_names("海淀区") == ["海淀区", "北京市"]


def test_coverage_runs_up_and_down_the_hierarchy_but_not_through_the_nation():
    regions = {"全国", "广东省", "陕西省"}
    assert uncovered_place("深圳的知识产权保护有啥规定", regions) is None  # a 广东省 rule governs 深圳
    assert uncovered_place("咸阳的企业能申请吗", regions) is None
    assert uncovered_place("北京的贴息比例是多少", regions) == "北京"  # national rules do not make 北京 covered
    assert uncovered_place("北京和西安的贴息哪个高", regions) is None  # one place of the question is covered


def test_preference_home_chain_national_and_other_regions():
    g = gazetteer()
    home = g.lookup("西咸新区")
    assert preference("陕西省", [], home) == PREFERRED and preference("全国", [], home) == NEUTRAL
    assert preference("北京市", [], home) == ELSEWHERE
    assert preference("北京市", g.places("北京的政策"), home) == PREFERRED and preference("陕西省", g.places("北京的政策"), home) == ELSEWHERE


@pytest.mark.parametrize(("text", "levels"), [
    ("市里的贷款贴息什么时候报", {"city"}),
    ("省级财政补几成？区里呢", {"province", "zone", "district"}),
    ("西安市的贴息", set()),  # a place named is a place, not a level
    ("新区的企业", set()),
])
def test_levels_named_without_a_place(text, levels):
    assert levels_in(text) == levels


def test_a_level_word_points_into_the_home_chain_and_steps_the_other_levels_down():
    g = gazetteer()
    home = g.lookup("西咸新区")
    city = g.levels_named("市里的贴息", home)
    assert [p.name for p in city] == ["西安市"]
    assert preference("西安市", [], home, city) == AT_LEVEL
    assert preference("西咸新区", [], home, city) == OTHER_LEVEL and preference("陕西省", [], home, city) == OTHER_LEVEL
    assert preference("全国", [], home, city) == NEUTRAL and preference("北京市", [], home, city) == ELSEWHERE
    assert g.levels_named("市里的贴息", None) == []


def test_a_level_word_points_into_the_chain_of_the_place_the_question_names():
    """“在京…市里给不给贴息”: the city is Beijing, so Xi'an's rules are another region's, not the level asked."""
    g = gazetteer()
    home, beijing, hangzhou = g.lookup("西咸新区"), g.lookup("北京市"), g.lookup("杭州市")
    assert g.at_levels(frozenset({"city"}), beijing) == []  # a municipality has no city level below it
    assert preference("西安市", [beijing], home, g.at_levels(frozenset({"city"}), beijing), beijing) == ELSEWHERE
    assert preference("北京市", [beijing], home, g.at_levels(frozenset({"city"}), beijing), beijing) == PREFERRED
    in_zhejiang = g.at_levels(frozenset({"province"}), hangzhou)
    assert preference("浙江省", [hangzhou], home, in_zhejiang, hangzhou) == AT_LEVEL
    assert preference("陕西省", [hangzhou], home, in_zhejiang, hangzhou) == ELSEWHERE
    # no place named: the center's chain, as before
    assert preference("西安市", [], home, g.at_levels(frozenset({"city"}), home), home) == AT_LEVEL


def test_a_question_naming_a_level_is_answered_from_that_level_s_rule(sample_settings):
    from assistant.answer.pipeline import ask

    # the sample corpus has a district and a city rule on loan-interest subsidies, each with its own filing window
    # (the district's twice a year, the city's 3月1日 to 4月30日); the level word decides which one answers
    city = ask("市里贷款贴息的申报月份是哪几个月？", sample_settings, use_llm=False)
    assert city.citations[0].title.startswith("西安市") and "3月1日" in city.answer, city.answer
    district = ask("区里贷款贴息的申报月份是哪几个月？", sample_settings, use_llm=False)
    assert district.citations[0].title.startswith("西咸新区") and "3月1日" not in district.answer, district.answer


def test_the_product_rules_read_the_same_hierarchy():
    from assistant.products.rules import regions_of

    assert {"西咸新区", "西安市", "陕西省"} <= regions_of("陕西省西咸新区沣西新城")
    assert "陕西省" in regions_of("宝鸡市高新区")
    assert not regions_of("深圳市南山区") & {"陕西省", "西安市", "西咸新区"}


def test_local_names_count_only_where_asked_and_shared_names_resolve_near_home():
    g = gazetteer()
    home = g.lookup("西咸新区")
    assert g.find("我们在雁塔，做软件") == []  # a district's bare stem is not a place in a question
    (yanta,) = g.find("我们在雁塔，做软件", near=home, local=True)
    assert yanta.place.name == "雁塔区" and "西安市" in [p.name for p in g.chain(yanta.place)]
    (gaoxin,) = g.find("我们是高新区做SaaS的", near=home, local=True)
    assert "西安市" in [p.name for p in g.chain(gaoxin.place)]
    (xincheng,) = g.find("公司注册在新城区", near=home)  # several 新城区: the one nearest home
    assert "西安市" in [p.name for p in g.chain(xincheng.place)]
    assert len(g.find("沣东，沣东", every=True)) == 2 and len(g.find("沣东，沣东")) == 1


@pytest.mark.parametrize(("said", "region"), [
    ("我们公司在雁塔，做工业软件的", "西安市"),
    ("我们在空港新城，做航空部件", "西咸新区"),
    ("公司在沣东，成立三年", "西咸新区"),
    ("我们是杭州的企业，做电商SaaS", "杭州市"),
    ("我们公司在北京海淀区", "北京市"),
    ("宝鸡的企业，做钛合金的", "宝鸡市"),
])
def test_the_firm_s_region_comes_from_the_gazetteer(said, region):
    from assistant.dialogue.slots import extract

    assert extract(said).get("region") == region


def test_a_province_named_alone_is_not_where_the_firm_is():
    from assistant.dialogue.slots import extract

    assert "region" not in extract("深圳对知识产权质押有风险补偿，咱们陕西有类似的没有")
    assert "region" not in extract("我们浙江这边的企业能申请吗")


def test_a_place_said_as_a_distance_is_no_region_of_the_question(sample_settings):
    from assistant.answer.pipeline import ask
    from assistant.retrieval.regions import scope_mentions, uncovered_place

    assert [m.text for m in scope_mentions("我们离北京远，材料能寄过去吗")] == []
    assert uncovered_place("我们离北京远，软著质权登记的材料寄过去以后受理日从哪天算？", [None, "陕西省"]) is None
    assert uncovered_place("北京的企业申请贴息有什么条件？", [None, "陕西省"]) == "北京"
    ans = ask("我们离北京远，软著质权登记的材料寄过去以后受理日从哪天算？", sample_settings, use_llm=False)
    assert not ans.refused and "签收" in ans.answer


def test_a_far_place_is_answered_only_from_a_passage_of_a_document_governing_it(tmp_path):
    from assistant.answer.pipeline import ask
    from assistant.index.builder import build_index
    from assistant.index.ingest import ingest_files
    from assistant.retrieval.regions import unanswered_place

    home = gazetteer().lookup("西咸新区")
    # by the regions of the passages read: another province's question needs one of that province's documents (or
    # of a place inside it); a national or the center's own passage is not its rule; the center's province is home
    rule = "贴息比例为50%。"
    assert unanswered_place("浙江这边贴息比例多少？", [(rule, "全国"), (rule, "陕西省")], home) == "浙江省"
    assert unanswered_place("杭州的企业贴息比例多少？", [(rule, "浙江省")], home) is None
    assert unanswered_place("我们注册在西安高新区，贴息比例多少？", [(rule, "西咸新区")], home) is None
    assert unanswered_place("贴息比例多少？", [(rule, "全国")], home) is None
    assert unanswered_place("浙江的企业，国家知识产权局几天审完？", [("2个工作日内完成审查。", "全国")], home) is None
    # the caller says what answers: here, a passage of the place's own that states a percent
    def percent(text: str) -> bool:
        return "%" in text

    assert unanswered_place("杭州的企业贴息比例多少？", [("按有关规定给予贴息。", "浙江省")], home, percent) == "杭州市"

    settings = make_settings(tmp_path / "data")  # the whole sample corpus, in an index of the test's own
    build_index(settings)
    regulation = tmp_path / "zj-transfer-sample.md"
    regulation.write_text(
        "# 浙江省促进科技成果转化条例（示例）\n\n第一条 为促进科技成果转化，结合本省实际，制定本条例。\n\n"
        "第二条 企业承接高等学校科技成果并在本省实施转化的，县级以上人民政府可以按照技术合同实际成交额的10%给予补助。\n",
        encoding="utf-8",
    )
    assert not ingest_files(settings, [regulation]).errors
    answered = ask("浙江这边企业承接高校科技成果，政府按成交额补助多少？", settings, use_llm=False)
    assert not answered.refused and "10%" in answered.answer
    # a Zhejiang document is indexed, but none speaks of what is asked: the center's whitelist rules are no answer
    # for Zhejiang, and the decline names the place
    declined = ask("浙江这边白名单入库有效期多久？", settings, use_llm=False)
    assert declined.refused and declined.decline_reason == "place_unanswered:浙江省"
    assert "浙江省" in declined.answer and "1年" not in declined.answer
    # its own passages must state the kind of figure asked: a percent is no amount in 万元
    capped = ask("浙江这边企业承接高校成果，补助最高能拿多少万元？", settings, use_llm=False)
    assert capped.refused and capped.decline_reason == "place_unanswered:浙江省"
    # the center's own question is still answered from its documents, and a national body named asks for the
    # national rule whoever asks
    assert "1年" in ask("白名单入库有效期多久？", settings, use_llm=False).answer
    national = ask("浙江的企业做专利质押登记，国家知识产权局几个工作日审完？", settings, use_llm=False)
    assert not national.refused and "工作日" in national.answer


def test_moving_the_registration_to_a_place_nearby_says_where_the_firm_is_not_whose_rules_are_asked(sample_settings):
    from assistant.answer.pipeline import ask
    from assistant.retrieval.regions import registered_place, search_places

    home = gazetteer().lookup("西咸新区")
    moving = "我们打算把注册地转到宝鸡，白名单资格还保得住吗？"
    assert registered_place(moving).name == "宝鸡市" and search_places(moving, home) == []
    # the center's documents answer it: the whitelist's own registration rule decides
    ans = ask(moving, sample_settings, use_llm=False)
    assert not ans.refused and any(c.doc_id == "xx-whitelist-2024" for c in ans.citations)
    # another province is still the rules' region, moving there or not
    assert [p.name for p in search_places("注册地迁往杭州以后还能报浙江的补助吗", home)] == ["杭州市", "浙江省"]


def test_a_place_only_a_later_part_names_declines_that_part_not_the_question(sample_settings):
    """A place the corpus has no rules for, named in a later part (另外在…办的话), is that part's scene: the first
    part is still answered and the place's part said to be unanswered. Named in the first part, it sets the scene
    for every part and the whole question is declined."""
    from assistant.answer.pipeline import ask

    later = ask("专利权质押登记一般几个工作日办完？另外在天津办的话，有没有登记费补贴？", sample_settings, use_llm=False)
    assert not later.refused
    assert "2个工作日" in later.answer
    assert "关于“在天津办的话，有没有登记费补贴”" in later.answer  # the join word is no part of what was asked
    first = ask("我们在天津，专利权质押登记一般几个工作日办完？另外有没有补贴？", sample_settings, use_llm=False)
    assert first.refused


def test_join_words_are_not_what_a_part_asks():
    from assistant.answer.parts import asked

    assert asked("另外，质权什么时候设立") == "质权什么时候设立"
    assert asked("顺便问下，质权什么时候设立") == "质权什么时候设立"
    # 还有的/还有些 are “some”, not “and also”
    assert asked("还有的公司只是名字里写了几个字") == "还有的公司只是名字里写了几个字"
    assert asked("还有些银行不收费吗") == "还有些银行不收费吗"


def test_a_place_the_firm_is_said_not_to_be_in_is_not_the_question_s_place():
    from assistant.answer.analysis import analyse
    from assistant.retrieval.regions import scope_mentions, search_places

    said = "我们注册在咸阳，不在西咸，咸阳本地有没有专利贷款贴息？"
    assert [m.place.name for m in scope_mentions(said)] == ["咸阳市"]
    assert [p.name for p in analyse(said).places] == ["咸阳市"]
    assert "西咸新区" not in [p.name for p in search_places(said, None)]
    # named again without the negator, it is the rules' place after all
    again = "我们不在西咸，但西咸新区的贴息办法能不能适用？"
    assert [m.place.name for m in scope_mentions(again)] == ["西咸新区"]
    # a place negated alone and one named plainly: both remain distinct
    assert [m.place.name for m in scope_mentions("宝鸡和咸阳的贴息哪个高？")] == ["宝鸡市", "咸阳市"]


def test_where_the_rules_apply_weighs_nothing_in_what_a_passage_must_cover_but_where_the_firm_is_does(sample_settings):
    """A place is a scope the place checks and the region preference decide: a once-used abbreviation (粤, 这边) had
    been the heaviest word asked. Where the firm is (咸阳的企业) is a condition the rules check, and keeps its weight."""
    from assistant.answer.pipeline import question_weights
    from assistant.index.snapshot import get_snapshot
    from assistant.retrieval.regions import without_scope_places

    assert without_scope_places("粤这边的电商平台要担什么责任").strip() == "的电商平台要担什么责任"
    assert "咸阳" in without_scope_places("咸阳的企业能申请西咸新区的贴息吗") and "西咸" not in without_scope_places("咸阳的企业能申请西咸新区的贴息吗")
    assert "沣东" in without_scope_places("我们注册在沣东，北京那边呢")
    weights = question_weights("浙江那边的风险补偿资金池规模多大？", get_snapshot(sample_settings))
    assert "资金池" in weights and not {"浙江", "那边"} & set(weights)
    assert question_weights("西咸新区在哪？", get_snapshot(sample_settings))  # nothing but a place: its words stay


def test_a_far_place_said_only_in_the_scene_of_a_question_about_the_centers_rules_is_no_scope():
    """A place outside the center's province said where the firm came from or where something was done (从杭州迁到
    沣东, 在成都时登记的) sets the scene when the question also names the center's area and asks of its rules; said in
    the clause that asks (杭州那边…补多少), it is the region whose rules are asked for."""
    from assistant.retrieval.regions import unanswered_place

    home = gazetteer().lookup("西咸新区")
    rule = ("按实际支付利息的50%给予贴息。", "西咸新区")
    assert unanswered_place("我们去年从杭州迁到沣东，区里的贴息按几成补？", [rule], home) is None
    assert unanswered_place("商标是在成都时注册的，在西咸质押登记去哪儿办？", [rule], home) is None
    assert unanswered_place("杭州那边的知识产权贴息补几成？想跟西咸比一比。", [rule], home) == "杭州市"
    # said as the topic of a clause that does not ask (在杭州，… / 杭州的话，…), it is still the region asked of
    assert unanswered_place("在杭州，担保费补贴按几成补？我们总部在西咸。", [rule], home) == "杭州市"
    assert unanswered_place("杭州的话，贴息能补多少？我们在沣东。", [rule], home) == "杭州市"
    assert unanswered_place("关于杭州，贴息按几成补？我们是西安的企业。", [rule], home) == "杭州市"
    # a clause opening with the place and naming only what of it (杭州的贴息政策，), a place asked about (想问问杭州的…),
    # and an asking clause pointing back at it (…搬到杭州，那边…), ask of it; a clause that says what was done there
    # (在杭州那边一家银行贷的) or 学校那边 (that party) do not
    assert unanswered_place("我们在沣东，杭州的贴息政策，比例是多少？", [rule], home) == "杭州市"
    assert unanswered_place("我们在沣东，想问问杭州的贴息，比例多少？", [rule], home) == "杭州市"
    assert unanswered_place("我们准备从西咸搬到杭州，那边的贴息比例是多少？", [rule], home) == "杭州市"
    assert unanswered_place("我们的贷款是在杭州那边一家银行贷的，能报西咸的贴息吗？", [rule], home) is None
    assert unanswered_place("专利跟杭州一所大学共有，在西咸质押，需要学校那边做什么？", [rule], home) is None
    # no place of the center's own named: the far place is the question's scope, as before
    assert unanswered_place("我们去年从杭州迁过来，贴息按几成补？", [rule], home) == "杭州市"


def test_the_centers_questions_that_mention_another_city_in_passing_are_answered(sample_settings):
    from assistant.answer.pipeline import ask

    moved = ask("我们前年从苏州搬到沣东，想进融资白名单，每个季度几号前要交材料？", sample_settings, use_llm=False)
    assert not moved.refused, moved.answer
    assert "15日" in moved.answer
    asked_there = ask("苏州对专利贷款贴息按几成补？我们想跟西咸的比一下。", sample_settings, use_llm=False)
    assert asked_there.refused and asked_there.decline_reason == "place_unanswered:苏州市"
