"""Homophone typos of the corpus's words, put right from the index's own vocabulary (lexicon/typos.py)."""

import pytest

from assistant.answer.pipeline import ask, typos_corrected
from assistant.index.snapshot import get_snapshot


@pytest.fixture()
def fix(sample_settings):
    snap = get_snapshot(sample_settings)
    return lambda text: typos_corrected(text, snap, sample_settings)


@pytest.mark.parametrize(("typed", "meant"), [
    ("区里的帖息一年最多多少", "区里的贴息一年最多多少"),  # 帖 tie → 贴 tie
    ("想报融资白明单", "想报融资白名单"),  # a three-character word, one character off
    ("一笔秦知代的贷款", "一笔秦知贷的贷款"),  # a programme's name
])
def test_a_character_of_the_same_sound_that_makes_a_corpus_word_is_put_right(fix, typed, meant):
    assert fix(typed) == meant


@pytest.mark.parametrize("typed", [
    "我们想只押这件商标",  # 只押 is “only pledge”: a function character is typed as meant
    "成果转化法认不认这种协议",  # 认不认 asks yes or no, whatever 法认 sounds like
    "白名单专享那个产品利率多少",  # 专享 is in a product's name
    "贷款还能申请贴息吗",  # words across a boundary (还能 → 不能) are never a typo
    "今天天气很好",  # nothing the corpus uses sounds like it
])
def test_what_was_typed_as_meant_is_left_alone(fix, typed):
    assert fix(typed) == typed


def test_a_calculation_asked_with_a_typo_is_computed(sample_settings):
    ans = ask("贷款400万，一年期，执行利率3.8%，区里的帖息能拿多少？", sample_settings, use_llm=False)
    assert ans.composer == "calculator" and "7.6万元" in ans.answer


def test_a_negated_verb_is_typed_as_meant(sample_settings, tmp_path):
    from assistant.lexicon.typos import Corrector

    # 不服 is a corpus word that sounds like 不付; “整笔款都压着不付” is still “not paying”
    assert Corrector({"不服", "贴息"}).correct("整笔款都压着不付") == "整笔款都压着不付"
    assert Corrector({"不服", "贴息"}).correct("区里帖息多少") == "区里贴息多少"
