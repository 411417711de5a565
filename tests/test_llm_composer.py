"""With an OpenAI-compatible endpoint configured, answers come from the retrieved passages, markers checked."""

from assistant.answer.llm import renumber
from assistant.answer.pipeline import ask
from tests.fake_llm import FakeLLM


def _llm_settings(sample_settings, url):
    return sample_settings.model_copy(update={"llm_base_url": url, "llm_model": "fake-model", "llm_api_key": "k", "llm_timeout_s": 5})


def test_renumber_drops_markers_that_point_nowhere_and_renumbers_by_first_use():
    text, used = renumber("补偿50%[2]，上限600万元[9][2]，另见[1]。", 3)
    assert text == "补偿50%[1]，上限600万元[1]，另见[2]。"
    assert used == [1, 0]


def test_llm_answer_keeps_valid_markers_and_citations_follow_them(sample_settings):
    with FakeLLM() as llm:
        llm.replies.append("秦知贷按不良贷款本金余额的50%补偿[1]，单笔最高600万元[1]。另见[7]。")
        ans = ask("秦知贷补偿比例和上限是多少？", _llm_settings(sample_settings, llm.base_url))
        req = llm.requests[0]
    assert ans.composer == "llm"
    assert "[7]" not in ans.answer and "[1]" in ans.answer
    assert len(ans.citations) == 1 and ans.citations[0].n == 1
    system, user = req["messages"][0], req["messages"][1]
    assert system["role"] == "system" and "只能依据" in system["content"]
    assert "<资料>" in user["content"] and "[1]" in user["content"]  # passages travel as data, not as instructions
    assert ans.citations[0].text[:20] in user["content"] and ans.citations[0].text[:20] not in system["content"]
    assert "generate" in ans.timings


def test_llm_failure_falls_back_to_the_extractive_answer(sample_settings):
    with FakeLLM() as llm:
        llm.replies += [500, 500, 500]
        ans = ask("秦知贷补偿比例是多少？", _llm_settings(sample_settings, llm.base_url))
    assert ans.composer == "extractive"
    assert ans.citations and "50%" in ans.answer


def test_unanswerable_question_never_reaches_the_llm(sample_settings):
    with FakeLLM() as llm:
        ans = ask("比特币挖矿机可以拿来申请质押贷款吗？", _llm_settings(sample_settings, llm.base_url))
        assert llm.requests == []
    assert ans.refused


def test_llm_saying_the_passages_do_not_answer_is_a_refusal(sample_settings):
    from assistant.answer.pipeline import ask
    from tests.fake_llm import FakeLLM

    with FakeLLM() as llm:
        llm.replies = ["资料中没有相关规定，建议联系服务中心。"]
        settings = sample_settings.model_copy(update={"llm_base_url": llm.base_url, "llm_model": "fake"})
        answer = ask("知识产权质押贷款贴息比例多少？", settings)
    assert answer.refused and answer.citations == [] and "服务中心" in answer.answer and answer.decline_reason == "llm_no_info"


def test_the_llm_reads_each_part_s_passage_too(sample_settings):
    """A paired question's second part brings its own passage; the model must see it to answer that part."""
    with FakeLLM() as llm:
        llm.replies.append("软著由中国版权保护中心办理登记[1]，专利在国家知识产权局登记[6]。")
        ans = ask("软著质押和专利质押，分别去哪个部门登记？", _llm_settings(sample_settings, llm.base_url))
        user = llm.requests[0]["messages"][1]["content"]
    # the whole question's five passages are about 软著; the sixth is the 专利 part's own, naming its office
    sixth = user.split("[6]", 1)[1].split("\n\n[", 1)[0]
    assert "专利" in sixth and "国家知识产权局" in sixth
    assert ans.composer == "llm" and any("国家知识产权局" in c.text for c in ans.citations)


def test_a_calculation_goes_to_the_llm_as_facts_it_must_keep(sample_settings):
    question = "专利押了260万，一年期，执行利率4.6%，区里贴息能拿多少？"  # 260万 × 4.2% (the 1.4×LPR ceiling) × 50%
    with FakeLLM() as llm:
        llm.replies.append("按您的贷款测算，区级贴息约5.46万元[1]：执行利率4.6%高于上限4.2%，按4.2%计，260万元×4.2%×50%[1]。")
        ans = ask(question, _llm_settings(sample_settings, llm.base_url))
        system, user = llm.requests[0]["messages"][0]["content"], llm.requests[0]["messages"][1]["content"]
    assert ans.composer == "llm" and ans.answer.startswith("按您的贷款测算")
    assert "不得改动" in system and "<事实>" in user and "5.46万元" in user  # the computed figure travels as a fact
    assert any(c.doc_id == "xx-ip-interest-subsidy-2024" for c in ans.citations)


def test_a_figure_the_llm_changes_is_caught_and_the_tool_answer_given(sample_settings):
    question = "专利押了260万，一年期，执行利率4.6%，区里贴息能拿多少？"
    with FakeLLM() as llm:
        llm.replies.append("按您的贷款测算，区级贴息约5.98万元[1]。")  # 4.6% not capped: a changed figure
        ans = ask(question, _llm_settings(sample_settings, llm.base_url))
    assert ans.composer == "calculator"
    assert "5.46万元" in ans.answer.splitlines()[0] and "5.98" not in ans.answer


def test_a_verdict_the_llm_turns_round_is_caught(sample_settings):
    from assistant.answer.llm import kept_facts

    facts = "不符合：资产负债率78%，高于产品上限70%[1]。\n产品信息……[1]"
    assert kept_facts(facts, "不符合。贵司资产负债率78%，超过了70%的上限[1]。")
    assert not kept_facts(facts, "符合：资产负债率78%在70%以内[1]。")
    assert not kept_facts(facts, "不符合：资产负债率78%，高于上限70%[2]。")  # a source the facts do not have
    assert not kept_facts(facts, "不符合[1]。")  # the conclusion's figures dropped
