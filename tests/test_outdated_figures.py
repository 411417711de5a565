"""Product figures a passage states differently from the product's record: found sentence by sentence (the product
named, or its bank, or the sentence before), and marked where an answer quotes them."""

from assistant.answer.outdated import mark_outdated
from assistant.answer.types import Answer, Citation
from assistant.products.catalog import catalog_for
from assistant.products.conflicts import claims


def _ratio_product(catalog):
    return next(p for p in catalog if "发明专利" in p.pledge_ratio and sum("发明专利" in q.pledge_ratio for q in catalog if q.institution == p.institution) == 1)


def test_a_pledge_ratio_said_differently_is_a_claim_and_the_same_one_is_not(sample_settings):
    catalog = catalog_for(sample_settings)
    p = _ratio_product(catalog)
    now = round(p.pledge_ratio["发明专利"] * 100)
    bank = p.institution
    same = claims(f"{bank}介绍了产品方案。按规定，质押率为发明专利不超过评估值的{now}%。", catalog)
    assert same == []
    found = claims(f"{bank}介绍了产品方案。按照发布时的规定，质押率为发明专利不超过评估值的{now - 5}%。", catalog)
    assert [(c.product.id, c.field, c.said) for c in found] == [(p.id, "pledge_ratio", f"发明专利{now - 5}%")]
    assert f"{now}%" in found[0].current
    # another bank named in between: the figure is not about this product
    assert claims(f"{bank}介绍了产品方案。某某银行的质押率为发明专利不超过评估值的{now - 5}%。", catalog) == []


def test_a_named_products_term_and_loan_time(sample_settings):
    catalog = catalog_for(sample_settings)
    p = next(p for p in catalog if p.term_months.max and p.term_months.max % 12 == 0)
    years = int(p.term_months.max // 12)
    assert claims(f"「{p.name}」期限最长{years}年。", catalog) == []
    found = claims(f"「{p.name}」期限最长{years + 1}年，一般{p.days_to_loan + 3}个工作日内放款。", catalog)
    assert {c.field for c in found} == {"term", "speed"}


def test_an_answer_quoting_an_outdated_figure_marks_it_and_cites_the_record(sample_settings):
    catalog = catalog_for(sample_settings)
    p = _ratio_product(catalog)
    now = round(p.pledge_ratio["发明专利"] * 100)
    passage = f"{p.institution}介绍了产品方案。按照发布时的规定，质押率为发明专利不超过评估值的{now - 5}%，期限另议。"
    answer = Answer(answer=f"按照发布时的规定，质押率为发明专利不超过评估值的{now - 5}%，期限另议。[1]",
                    citations=[Citation(n=1, doc_id="notice", title="说明会记录", source="notice.md", text=passage, chunk_id="notice-1")])
    marked = mark_outdated(answer, catalog)
    assert "旧数字" in marked.answer and f"{now}%" in marked.answer
    assert marked.answer.index("旧数字") < marked.answer.index("。")  # inside the sentence that states it
    assert [c.doc_id for c in marked.citations] == ["notice", f"product:{p.id}"]
    assert "[2]" in marked.answer
