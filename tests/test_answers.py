"""The cited-answer core on the sample corpus: markers, citations, refusals, expired warnings, CLI JSON."""

import json
import os
import re
import subprocess
import sys

from assistant.answer.pipeline import ask


def _markers(text):
    return {int(m) for m in re.findall(r"\[(\d+)\]", text)}


def test_answer_cites_the_article_that_holds_the_figure(sample_settings):
    ans = ask("秦知贷对不良贷款按多大比例补偿？单笔最多多少？", sample_settings)
    assert not ans.refused
    assert "50%" in ans.answer and "600万元" in ans.answer
    assert ans.citations and _markers(ans.answer) == {c.n for c in ans.citations}
    assert any(c.doc_id == "sx-qinzhidai-2023" and c.article for c in ans.citations)
    assert all(c.text for c in ans.citations)
    assert {"bm25", "vector", "fuse", "rerank", "compose", "total"} <= set(ans.timings)


def test_pdf_citation_carries_its_page(sample_settings):
    ans = ask("西安市对投资种子期科技企业的创投机构，按投资额的多少给奖励？", sample_settings)
    pdf = [c for c in ans.citations if c.source.endswith(".pdf")]
    assert pdf and all(isinstance(c.page, int) and c.page >= 2 for c in pdf)  # article 18 sits past page 1
    assert "5%" in ans.answer


def test_unanswerable_question_is_declined_with_the_service_center(sample_settings):
    ans = ask("比特币挖矿机可以拿来申请质押贷款吗？", sample_settings)
    assert ans.refused and not ans.citations
    assert "服务中心" in ans.answer and "029" in ans.answer


def test_expired_document_is_flagged_when_cited(sample_settings):
    ans = ask("以前西安市2018年的贷款贴息暂行办法，每家企业最高贴多少？", sample_settings)
    assert not ans.refused
    assert "30万元" in ans.answer
    assert any(c.expired and c.doc_id == "xa-loan-interest-2018" for c in ans.citations)
    assert "已失效" in ans.answer or "已被新文件替代" in ans.answer


def test_current_question_does_not_cite_expired_documents(sample_settings):
    ans = ask("西安市现在的科技贷款贴息，每家企业一年最多贴多少？", sample_settings)
    assert ans.citations and not any(c.expired for c in ans.citations)


def test_follow_up_uses_the_previous_question(sample_settings):
    ans = ask("那首贷企业呢？", sample_settings, history=["西咸新区担保费补助比例是多少？"])
    assert not ans.refused
    assert "80%" in ans.answer


def _env(settings):
    return {**os.environ, "ASSISTANT_DATA_DIR": str(settings.data_dir), "ASSISTANT_CORPUS_DIR": str(settings.corpus_dir)}


def test_cli_ask_json_and_stdin_lines(sample_settings):
    one = subprocess.run([sys.executable, "-m", "assistant.cli", "ask", "--json", "白名单多久更新一次？"],
                         capture_output=True, text=True, env=_env(sample_settings), timeout=120)
    assert one.returncode == 0, one.stderr
    data = json.loads(one.stdout)
    assert set(data) >= {"answer", "citations", "timings"}
    assert set(data["citations"][0]) >= {"n", "doc_id", "title", "source", "page", "article", "text"}
    many = subprocess.run([sys.executable, "-m", "assistant.cli", "ask", "--json", "-"], input="白名单多久更新一次？\n评估费补助最高多少？\n",
                          capture_output=True, text=True, env=_env(sample_settings), timeout=120)
    lines = [json.loads(x) for x in many.stdout.splitlines()]
    assert len(lines) == 2 and all(x["citations"] for x in lines)


def test_other_regions_and_live_figures_are_declined_with_their_reason(sample_settings):
    other = ask("深圳对知识产权质押贷款的贴息比例是多少？", sample_settings)
    assert other.refused and other.decline_reason == "out_of_scope:深圳"
    live = ask("西咸新区的融资白名单现在一共有多少家企业？", sample_settings)
    assert live.refused and live.decline_reason == "live_data" and "实时数据" in live.answer
    named = ask("秦知贷今年的补偿资金还剩多少？", sample_settings)
    assert named.refused


def test_named_programme_figure_must_be_stated_about_that_programme(sample_settings):
    from assistant.answer.scope import named_figure_missing

    assert named_figure_missing("秦科保的保费补贴比例是多少？", ["按实际支付保费的80%给予补贴。"], ["某市科技保险办法"])
    assert not named_figure_missing("秦科保的保费补贴比例是多少？", ["按实际支付保费的80%给予补贴。"], ["陕西省“秦科保”科技保险保费补贴办法"])
