"""A question that refers to a kind of instrument (条例里, 法律上, 这版办法) prefers the documents of that kind: the
kinds are read from the titles of what is indexed, not from a list of documents."""

from __future__ import annotations

import pytest

from assistant.answer.analysis import analyse
from assistant.answer.pipeline import ask
from assistant.index.builder import build_index
from assistant.index.ingest import ingest_files
from assistant.index.snapshot import clear_cache
from assistant.lexicon.instruments import kind_of_title, kinds_named


@pytest.mark.parametrize(("title", "kind"), [
    ("某省数据要素市场促进条例", "条例"),
    ("中华人民共和国民法典 合同编", "法"),
    ("中华人民共和国反不正当竞争法", "法"),
    ("某市中小微企业应急转贷资金管理暂行办法", "办法"),
    ("关于做好科技型企业信贷支持工作的通知（试行）", "通知"),
    ("某区政务服务事项办理指南", "指南"),
    ("服务中心常见问题解答", None),
])
def test_the_kind_a_title_ends_in(title, kind):
    assert kind_of_title(title) == kind


@pytest.mark.parametrize(("question", "kinds"), [
    ("这部条例对逾期付款的利息是怎么规定的", {"条例"}),
    ("依照民法典，抵押权什么时候设立", {"法"}),
    ("民法典里抵押权什么时候设立", {"法"}),
    ("反不正当竞争法有没有说到商业秘密", {"法"}),
    ("从法律上讲员工能带走客户名单吗", {"法"}),
    ("按新版办法，续贷还能贴息吗", {"办法"}),
    ("有什么办法能快点放款", set()),
    ("实在没办法按期还款怎么处理", set()),
    ("这样约定合法吗", set()),
    ("税务上有什么说法", set()),
    ("银行通知我们补材料，最晚几天交", set()),
])
def test_the_kinds_a_question_refers_to(question, kinds):
    assert set(kinds_named(question)) == kinds
    assert analyse(question).instruments == frozenset(kinds)


def test_a_question_about_the_regulation_is_answered_from_the_regulation(tmp_path, small_settings):
    """Two documents say what a firm may ask of a buyer that pays late; the regulation in fewer of the question's words.
    Asked without naming a kind, the measure's sentence leads; asked what the regulation says, the regulation's."""
    build_index(small_settings)
    (tmp_path / "rule.md").write_text(
        "# 某省中小企业账款清偿条例\n\n2024年3月1日 某省人民代表大会常务委员会通过\n\n## 第一章 总则\n\n"
        "第一条 为保障中小企业合法权益，制定本条例。\n\n"
        "第二条 采购方迟延支付款项的，中小企业可以要求其按日万分之五支付逾期利息。\n\n"
        "第三条 本条例自2024年5月1日起施行。", encoding="utf-8")
    (tmp_path / "measure.md").write_text(
        "# 某市中小企业账款催收服务办法\n\n2024年6月1日 某市工业和信息化局印发\n\n## 第一章 总则\n\n"
        "第一条 为帮助中小企业催收大客户拖欠的账款，制定本办法。\n\n"
        "第二条 大客户拖欠中小企业账款的，中小企业可以向市中小企业服务中心申请免费催收服务，服务中心自受理之日起"
        "十个工作日内联系大客户。\n\n第三条 本办法自2024年7月1日起施行。", encoding="utf-8")
    assert not ingest_files(small_settings, [tmp_path / "rule.md", tmp_path / "measure.md"]).errors
    clear_cache()
    plain = ask("大客户拖欠中小企业的账款，中小企业可以要求什么？", small_settings)
    assert not plain.refused and plain.citations[0].doc_id == "measure", plain.answer
    asked = ask("大客户拖欠中小企业的账款，条例里中小企业可以要求什么？", small_settings)
    assert not asked.refused and asked.citations[0].doc_id == "rule", asked.answer
    assert "万分之五" in asked.answer
