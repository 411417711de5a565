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
        llm.replies.append("软著在中国版权保护中心登记[1]，专利在国家知识产权局登记[6]。")
        ans = ask("软著质押和专利质押，分别去哪个部门登记？", _llm_settings(sample_settings, llm.base_url))
        user = llm.requests[0]["messages"][1]["content"]
    # the whole question's five passages are about 软著; the sixth is the 专利 part's own, naming its office
    sixth = user.split("[6]", 1)[1].split("\n\n[", 1)[0]
    assert "专利" in sixth and "国家知识产权局" in sixth
    assert ans.composer == "llm" and any("国家知识产权局" in c.text for c in ans.citations)
