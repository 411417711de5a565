"""English and mixed questions about what the corpus covers are answered in Chinese, with citations; English
questions about what it does not cover are still declined."""

from __future__ import annotations

import re

import httpx
import pytest

from assistant.answer.pipeline import ask
from assistant.dialogue.manager import DialogueManager
from assistant.language import to_chinese

CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.mark.parametrize("question", [
    "What subsidies are there for IP pledge loans?",
    "Can we get back the money spent on appraising our patents?",
    "What documents are needed for the whitelist application?",
    "秦知贷的 risk compensation ratio 是多少？",
])
def test_covered_english_questions_are_answered_in_chinese_with_sources(sample_settings, question):
    answer = ask(question, sample_settings)
    assert not answer.refused, answer.answer
    assert answer.citations and "[1]" in answer.answer
    assert len(CJK.findall(answer.answer)) > 20  # the answer is Chinese, quoting the Chinese original


def test_english_off_topic_is_still_declined(sample_settings):
    answer = ask("What will the weather be like in Beijing tomorrow?", sample_settings)
    assert answer.refused and "服务中心" in answer.answer


def test_in_chat_an_english_question_is_a_policy_question_not_out_of_scope(sample_settings):
    result = DialogueManager(sample_settings).turn("How much is the interest subsidy for a patent pledge loan?")
    assert result.intent == "policy_question" and not result.refused and result.citations


def test_chinese_text_passes_unchanged():
    for text in ("秦知贷的补偿比例是多少？", "我们有3件发明专利", "ZL202110345678.X 到期了吗"):
        assert to_chinese(text) == text


def test_a_chinese_question_with_an_acronym_is_no_english_question():
    # more Latin letters than Chinese characters, but an acronym is a name, not English: the question is Chinese
    for text in ("LPR多少？", "ERP是啥", "IPO行吗"):
        assert to_chinese(text) == text
    # an English question is still read as one, in capitals too
    assert to_chinese("What is the LPR for the interest subsidy?") == "什么贴息？"
    assert "HOW" not in to_chinese("HOW LONG DOES IT TAKE TO PLEDGE A PATENT?")


def test_over_http(live_api):
    r = httpx.post(f"{live_api.url}/ask", json={"question": "How long does trademark pledge registration take?"},
                   headers=live_api.headers("ent-a"), timeout=30)
    assert r.status_code == 200 and not r.json()["refused"] and r.json()["citations"]
