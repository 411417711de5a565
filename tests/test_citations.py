"""Citation check: an FAQ answer's 依据 line must name articles that exist, stay in force, and state its figures."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from assistant.cli import app
from assistant.index.builder import build_index
from assistant.index.citations import (
    NOTICE,
    WARNING,
    check_citations,
    current_issues,
    figures,
    references,
    states,
)
from assistant.index.ingest import ingest_files, retire_document

INTEREST = "西咸新区知识产权质押融资贴息及补助办法"  # in the small test corpus: 第八条 50%, 第十条 30万元


def _chunk(i: int, title: str, text: str, article: str | None = None, doc_id: str | None = None) -> dict:
    return {"id": f"c{i}", "doc_id": doc_id or title, "title": title, "article": article, "text": text, "page": None}


def test_references_and_figures_are_read_from_the_passage_not_its_examples():
    text = ("问：贴息能拿多少？最高50万元吗？\n答：按实际支付利息的50%贴息，每年最高30万元，2024年1月起施行；"
            "利率上限为LPR的1.4倍（即4.2%）。例如贷款200万元、利率5%，可获贴息4.2万元。"
            "（依据：《陕西省知识产权质押融资风险补偿（秦知贷）管理办法》第八条；《西咸新区贴息办法》第九条、第十条）")
    refs = references(text)
    assert [(r.title, r.articles) for r in refs] == [
        ("陕西省知识产权质押融资风险补偿（秦知贷）管理办法", ["第八条"]), ("西咸新区贴息办法", ["第九条", "第十条"])]
    # the question's 50万元, the date, the restated sum and the worked example are not claims to check
    assert figures(text) == ["50%", "30万元", "1.4倍"]
    assert references("第八条 贴息按实际支付利息的50%给予支持。") == []


def test_a_figure_matches_whole_numbers_only():
    assert states("5%", "按5%计")
    assert not states("5%", "按15%计") and not states("5%", "按2.5%计")


def test_each_kind_of_broken_citation_is_reported():
    law = "贴息办法"
    chunks = [
        _chunk(0, law, "第八条 贴息按实际支付利息的50%给予支持。", "第八条"),
        _chunk(1, law, "第十条 每家企业每年贴息最高30万元。", "第十条"),
        _chunk(2, "常见问题", "问：贴息多少？\n答：按50%贴息，每年最高40万元。（依据：《贴息办法》第八条、第十一条）"),
        _chunk(3, "常见问题", "问：上限？\n答：每年最高30万元。（依据：《贴息办法》第八条）"),
        _chunk(4, "常见问题", "问：评价？\n答：得分不低于60分。（依据：《科技型中小企业评价办法》）"),
    ]
    issues = check_citations(chunks, lambda i: True)
    found = {(i.chunk_id, i.kind, i.severity) for i in issues}
    assert found == {("c2", "missing_article", WARNING), ("c2", "unsupported_figure", WARNING),
                     ("c3", "unsupported_figure", WARNING), ("c4", "missing_document", NOTICE)}
    by_chunk = {i.chunk_id: i.message for i in issues if i.kind == "unsupported_figure"}
    assert "40万元" in by_chunk["c2"] and "其他现行文件中也没有" in by_chunk["c2"]
    assert "30万元" in by_chunk["c3"] and "《贴息办法》第十条" in by_chunk["c3"]  # points to the article that does state it
    assert all(i.passage in ("贴息多少？", "上限？", "评价？") for i in issues)

    # a cited rule that is no longer in force: a warning when nothing else backs the answer, a notice beside a live one
    both = [*chunks[:2], _chunk(5, "旧办法", "第三条 补偿30%。", "第三条"),
            _chunk(6, "常见问题", "问：旧的呢？\n答：原来补偿30%。（依据：《旧办法》第三条）"),
            _chunk(7, "常见问题", "问：变了吗？\n答：原来补偿30%，现在按50%。（依据：《旧办法》第三条；《贴息办法》第八条）")]
    lapsed = {(i.chunk_id, i.severity) for i in check_citations(both, lambda i: i != 2) if i.kind == "not_in_force"}
    assert lapsed == {("c6", WARNING), ("c7", NOTICE)}


def test_the_sample_faq_cites_articles_that_exist_and_state_its_figures(sample_settings):
    issues = current_issues(sample_settings)
    assert not [i for i in issues if i.kind == "missing_article"], [i.message for i in issues]
    assert not [i for i in issues if i.kind == "not_in_force" and i.severity == WARNING]
    # what remains are market-practice figures (质押率 ranges, amounts) that no policy document states
    unsupported = [i for i in issues if i.kind == "unsupported_figure"]
    assert len({i.chunk_id for i in unsupported}) <= 4, [(i.passage, i.message) for i in unsupported]


FAQ = """---
doc_id: faq-test-upload
title: 测试问答
issuer: 服务中心（示例）
level: 西咸新区
effective: 2025-01-01
---
# 测试问答

### 问：区级贴息比例和上限是多少？
答：按实际支付利息的50%贴息，每家企业每年最高40万元。（依据：《西咸新区知识产权质押融资贴息及补助办法》第八条、第九十九条）
"""


def test_uploads_and_retirements_are_checked_against_the_live_index(small_settings, tmp_path: Path):
    assert not build_index(small_settings).errors
    assert current_issues(small_settings) == []
    faq = tmp_path / "faq-test.md"
    faq.write_text(FAQ, encoding="utf-8")
    assert not ingest_files(small_settings, [faq]).errors
    kinds = {(i.doc_id, i.kind) for i in current_issues(small_settings)}
    assert kinds == {("faq-test-upload", "missing_article"), ("faq-test-upload", "unsupported_figure")}

    # the policy team retires the rule the FAQ rests on: the FAQ is flagged for review
    retire_document(small_settings, "xx-ip-interest-subsidy-2024", status="已被替代")
    lapsed = [i for i in current_issues(small_settings) if i.kind == "not_in_force"]
    assert [(i.doc_id, i.severity) for i in lapsed] == [("faq-test-upload", WARNING)]
    assert INTEREST in lapsed[0].message

    result = CliRunner().invoke(app, ["citations"], env={"ASSISTANT_DATA_DIR": str(small_settings.data_dir),
                                                         "ASSISTANT_CORPUS_DIR": str(small_settings.corpus_dir)})
    assert result.exit_code == 0, result.output
    assert "第九十九条" in result.output and "警告 3" in result.output


def test_each_command_reads_the_environment_it_starts_with(sample_settings, small_settings, monkeypatch):
    """One process may run several commands (scripts, tests): the second must not keep the first one's settings."""
    from assistant.settings import get_settings

    assert not build_index(small_settings).errors
    monkeypatch.setenv("ASSISTANT_DATA_DIR", str(sample_settings.data_dir))
    get_settings.cache_clear()
    assert get_settings().data_dir == sample_settings.data_dir  # an earlier command's settings, cached
    assert current_issues(sample_settings), "the sample corpus has citation warnings to tell the two apart"
    result = CliRunner().invoke(app, ["citations"], env={"ASSISTANT_DATA_DIR": str(small_settings.data_dir),
                                                         "ASSISTANT_CORPUS_DIR": str(small_settings.corpus_dir)})
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "引用核对：未发现问题。"
