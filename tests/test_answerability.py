"""Refusal calibrated on data: the answerability model declines a question once the document that answered it is
gone from the index; the calibration's examples and threshold behave as documented."""

from __future__ import annotations

import pytest

from assistant.answer.answerability import FEATURES, model_for
from assistant.answer.pipeline import ask
from assistant.evaluation.calibration import Example, choose_threshold, collect, fit, rates
from assistant.evaluation.dataset import Gold, Question
from assistant.index.builder import build_index
from assistant.index.ingest import remove_document
from assistant.index.snapshot import clear_cache


def test_a_fitted_model_ships_for_the_default_embedder():
    model = model_for("tfidf-svd")
    assert model is not None and model.features == list(FEATURES) and 0 < model.threshold < 1


@pytest.mark.parametrize(("doc_id", "questions"), [
    ("xx-guarantee-subsidy-2024", ["担保费补助比例是多少？", "担保费补贴每家企业每年最多多少钱？"]),
    ("xx-whitelist-2024", ["白名单多久受理一次申请？"]),
])
def test_a_question_is_declined_once_the_document_that_answered_it_is_removed(small_settings, doc_id, questions):
    build_index(small_settings)
    for q in questions:
        clear_cache()
        answer = ask(q, small_settings, use_llm=False)
        assert not answer.refused and answer.citations[0].doc_id == doc_id, (q, answer.answer)
    remove_document(small_settings, doc_id)
    for q in questions:
        clear_cache()
        answer = ask(q, small_settings, use_llm=False)
        assert answer.refused and answer.decline_reason == "weak_evidence", (q, answer.answer)


def test_calibration_examples_include_the_question_with_its_documents_left_out(small_settings):
    build_index(small_settings)
    clear_cache()
    qs = [
        Question(id="a", question="担保费补助比例是多少？", type="numeric",
                 gold=[Gold(doc_id="xx-guarantee-subsidy-2024", evidence="担保费")], facts=["担保费"]),
        Question(id="u", question="深圳的人才公寓怎么申请？", type="unanswerable"),  # a place no document governs: not an example
        Question(id="v", question="担保公司的年费是多少？", type="unanswerable"),
    ]
    examples = collect(small_settings, "mine", qs)
    kinds = {(e.qid, e.kind, e.label) for e in examples}
    assert kinds == {("a", "answerable", 1), ("a", "left_out", 0), ("v", "unanswerable", 0)}
    positive = next(e for e in examples if e.kind == "answerable")
    left_out = next(e for e in examples if e.kind == "left_out")
    assert positive.values["evidence"] > left_out.values["evidence"]


def test_the_threshold_keeps_false_refusals_within_the_bound():
    def ex(i: int, label: int, strength: float) -> Example:
        return Example("s", str(i), "answerable" if label else "left_out", label, {f: strength for f in FEATURES})

    examples = [ex(i, 1, 0.4 + i / 100) for i in range(50)] + [ex(100 + i, 0, i / 100) for i in range(50)]
    model = fit(examples, 0.04, "tfidf-svd")
    assert rates(model, examples, model.threshold)["false_refusal"] <= 0.04
    assert choose_threshold(model, examples, 0.0) <= min(model.probability(e.values) for e in examples if e.label)
    assert rates(model, examples, model.threshold)["refusal_left_out"] > 0.5


def test_a_several_part_question_is_answered_while_one_part_is_supported(small_settings):
    """Each part is weighed on its own search: a question is declined only when no part has support."""
    question = "担保费补助比例是多少？白名单企业入库的有效期有多长？"
    build_index(small_settings)
    clear_cache()
    both = ask(question, small_settings, use_llm=False)
    assert not both.refused
    assert {"xx-guarantee-subsidy-2024", "xx-whitelist-2024"} <= {c.doc_id for c in both.citations}
    remove_document(small_settings, "xx-guarantee-subsidy-2024")
    clear_cache()
    one = ask(question, small_settings, use_llm=False)
    assert not one.refused and "xx-whitelist-2024" in {c.doc_id for c in one.citations}
    remove_document(small_settings, "xx-whitelist-2024")
    clear_cache()
    none = ask(question, small_settings, use_llm=False)
    assert none.refused and none.decline_reason == "weak_evidence", none.answer


def test_calibration_weighs_a_several_part_question_as_the_pipeline_does():
    strong, weak = {f: 0.9 for f in FEATURES}, {f: 0.0 for f in FEATURES}
    examples = [Example("s", str(i), "answerable", 1, dict(strong)) for i in range(20)]
    examples += [Example("s", str(100 + i), "left_out", 0, dict(weak)) for i in range(20)]
    model = fit(examples, 0.0, "tfidf-svd")
    split = Example("s", "x", "answerable", 1, dict(weak), parts=[dict(weak), dict(strong)])
    assert model.probability(split.values) < model.threshold <= split.probability(model)
    assert rates(model, [split], model.threshold)["false_refusal"] == 0.0


def test_a_passage_only_the_keyword_search_found_is_measured_for_similarity_too(small_settings):
    """The vector signal is the best cosine of the question with a passage read: a passage the keyword search alone
    ranked carries no vector score from the search, and must not read as unrelated (0) for that reason."""
    import dataclasses

    from assistant.answer.pipeline import answer_signals
    from assistant.index.snapshot import get_snapshot
    from assistant.retrieval.hits import Hit
    from assistant.retrieval.vector import VectorRetriever, with_similarity

    build_index(small_settings)
    snap = get_snapshot(small_settings)
    question = "担保费补助比例是多少？"
    found = VectorRetriever(snap).search(question, 5)
    assert found and all("vector" in h.stages for h in found)
    keyword_only = [Hit(idx=h.idx, score=h.score, stages={"bm25": 1.0}) for h in found]
    measured = with_similarity(question, keyword_only, snap)
    for h, m in zip(found, measured, strict=True):
        assert m.stages["vector"] == pytest.approx(h.stages["vector"], abs=1e-4)
        assert m.stages["bm25"] == 1.0
    twice = with_similarity(question, [keyword_only[0], keyword_only[0]], snap)  # a passage read twice
    assert twice[0].stages["vector"] == twice[1].stages["vector"] == pytest.approx(found[0].stages["vector"], abs=1e-4)
    # a hit the vector search scored keeps its own score; the signal reads the measured ones
    scored = dataclasses.replace(keyword_only[0], stages={"vector": 0.5})
    assert with_similarity(question, [scored], snap)[0].stages["vector"] == 0.5
    assert answer_signals(question, keyword_only, snap)["vector"] == pytest.approx(max(h.stages["vector"] for h in found[:5]), abs=1e-4)


def test_the_figure_signals_read_a_when_question_as_the_checks_do():
    """A question asking when is answered by the event its time runs from (自签字盖章之日起生效), as the figure
    checks read it: the answerability model's figure signals say so too, and stay 0 for a rule naming neither."""
    from assistant.answer.answerability import signals
    from assistant.retrieval.hits import Hit
    from assistant.retrieval.tokenizer import get_tokenizer

    tok = get_tokenizer()
    asked = "保证合同从什么时候生效？"
    terms = {t: 1.0 for t in tok.words(asked)}

    def read(text: str) -> dict[str, float]:
        chunk = {"text": text, "tokens": tok.words(text), "title": "示例担保办法"}
        return signals(asked, terms, set(), [Hit(idx=0, score=0.9, stages={"vector": 0.8})], [chunk], 1)

    event = read("保证合同自双方签字盖章之日起生效。")
    assert event["figure"] == 1.0 and event["sentence_figure"] == 1.0
    neither = read("保证合同应当采用书面形式订立，并载明担保范围。")
    assert neither["figure"] == 0.0 and neither["sentence_figure"] == 0.0
