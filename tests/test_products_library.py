"""The sample product library, the schema command, and product questions answered from the records."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

from assistant.answer.pipeline import ask
from assistant.answer.products import record_answer, term_span
from assistant.products.catalog import get_catalog
from assistant.products.schema import CATEGORIES, INSTITUTIONS

ROOT = Path(__file__).resolve().parents[1]


def test_library_has_36_valid_products_from_six_banks_over_six_categories():
    catalog = get_catalog(ROOT / "corpus")
    assert len(catalog) == 36
    assert {p.institution for p in catalog} == set(INSTITUTIONS)
    assert {p.category for p in catalog} == set(CATEGORIES)
    assert all(p.sample for p in catalog)
    for p in catalog:  # every subsidy a sheet names exists in the rule book
        assert set(p.subsidies) <= {"xx-interest", "xa-interest", "sx-valuation", "xx-guarantee", "xa-guarantee", "sx-qinkebao", "xa-premium"}


def test_products_schema_command_prints_json_schema():
    out = subprocess.run([sys.executable, "-m", "assistant.cli", "products", "schema"], capture_output=True, text=True, timeout=60)
    schema = json.loads(out.stdout)
    assert schema["title"] == "Product" and "eligibility" in schema["properties"]


def test_product_question_is_answered_from_its_record_with_a_citation(sample_settings):
    ans = ask("知惠贷拿发明专利押的话，质押率能给到多少？", sample_settings)
    assert ans.composer == "product"
    assert "发明专利50%" in ans.answer and "[1]" in ans.answer
    assert ans.citations[0].doc_id == "product:boc-zhihuidai" and ans.citations[0].source == "products/boc-zhihuidai.yaml"
    assert len(ans.citations) == 1  # the record answers it: no document is quoted beside it


def test_a_product_question_beyond_its_record_also_quotes_the_documents_naming_the_product(sample_settings):
    ans = ask("秦创贷发布的时候，长安银行计划总共投放多少资金支持秦创原的企业？", sample_settings)
    assert ans.composer == "product" and ans.citations[0].doc_id == "product:cab-qinchuangdai"
    launch = next(c for c in ans.citations if c.doc_id == "xx-qinchuangyuan-products-2021")
    assert "30亿元" in ans.answer and f"[{launch.n}]" in ans.answer
    assert [c.n for c in ans.citations] == list(range(1, len(ans.citations) + 1))
    assert all(f"[{c.n}]" in ans.answer for c in ans.citations)


def test_a_product_summary_reads_as_one_sentence(sample_settings):
    ans = ask("科技e贷是做什么的？", sample_settings)
    assert ans.composer == "product" and "。；" not in ans.answer


def test_an_approval_rate_no_sheet_states_is_declined_even_for_a_named_product(sample_settings):
    ans = ask("秦农知产贷的审批通过率高不高？", sample_settings)
    assert ans.refused and ans.decline_reason == "out_of_scope:通过率" and not ans.citations


def test_follow_up_about_the_product_in_focus(sample_settings):
    ans = ask("那它的利率呢？", sample_settings, history=["秦农知产贷最高能贷多少？"])
    assert ans.composer == "product" and "秦农知产贷" in ans.answer and "LPR" in ans.answer


def test_a_broken_product_sheet_does_not_break_policy_answers(sample_settings, tmp_path):
    corpus = tmp_path / "corpus"
    (corpus / "products").mkdir(parents=True)
    (corpus / "products" / "bad.yaml").write_text("id: [broken", encoding="utf-8")
    settings = sample_settings.model_copy(update={"corpus_dir": corpus})
    ans = ask("秦知贷的补偿比例是多少？", settings)
    assert ans.citations and ans.composer == "extractive"
    env = {**os.environ, "ASSISTANT_CORPUS_DIR": str(corpus)}
    firm = tmp_path / "firm.json"
    firm.write_text(json.dumps({"name": "某科技有限公司"}), encoding="utf-8")
    out = subprocess.run([sys.executable, "-m", "assistant.cli", "match", str(firm)], capture_output=True, text=True, env=env, timeout=60)
    assert out.returncode != 0 and "bad.yaml" in out.stderr and "Traceback" not in out.stderr


def test_a_term_asked_in_years_is_answered_in_years_beside_the_records_months():
    catalog = get_catalog(ROOT / "corpus")
    years = [p for p in catalog if p.term_months.max and p.term_months.max % 12 == 0 and p.term_months.max >= 24]
    p = years[0]
    top = f"{p.term_months.max:g}个月"
    assert f"{top}，最长{p.term_months.max // 12:g}年" in record_answer(f"{p.name}最长能贷几年？", p).answer
    assert top in record_answer(f"{p.name}期限多长？", p).answer and "年" not in term_span(p, f"{p.name}期限多长？")
    # months that are no whole number of years stay months
    odd = p.model_copy(update={"term_months": p.term_months.model_copy(update={"max": 18})})
    assert "年" not in term_span(odd, "最长能贷几年？")


def test_a_pledge_ratio_asked_for_one_ip_type_gives_that_types_ratio():
    catalog = get_catalog(ROOT / "corpus")
    p = next(p for p in catalog if len(p.pledge_ratio) >= 2)
    kinds = list(p.pledge_ratio)
    one = record_answer(f"{p.name}，{kinds[0]}的质押率多少？", p).answer
    assert f"{kinds[0]}{p.pledge_ratio[kinds[0]]:.0%}" in one and kinds[1] not in one
    every = record_answer(f"{p.name}的质押率多少？", p).answer  # none named: every type the record rates
    assert all(k in every for k in kinds)


def test_a_threshold_the_question_names_is_answered_where_the_record_states_it():
    catalog = get_catalog(ROOT / "corpus")
    p, amount = next((p, m.group(1)) for p in catalog if p.guarantee and (m := re.search(r"超过(\d+)万元部分", p.guarantee)))
    ans = record_answer(f"{p.name}利率多少？超过{amount}万的部分有什么额外要求？", p).answer
    assert p.guarantee in ans  # the guarantee field is where the record speaks of that amount
    assert p.guarantee not in record_answer(f"{p.name}利率多少？", p).answer


def test_who_a_product_is_for_and_whether_it_needs_collateral_are_answered_from_its_record():
    catalog = get_catalog(ROOT / "corpus")
    p = next(p for p in catalog if p.guarantee and p.summary)
    assert p.summary.rstrip("。") in record_answer(f"{p.name}主要面向哪类企业？", p).answer
    assert p.guarantee in record_answer(f"{p.name}需不需要抵押质押？", p).answer
