"""Multi-turn dialogues end to end on the sample corpus and product library."""

import json
import os
import subprocess
import sys

from assistant.dialogue.manager import DialogueManager


def test_from_facts_to_matches_to_product_follow_ups_and_back(sample_settings):
    dm = DialogueManager(sample_settings)
    first = dm.turn("你好")
    assert first.intent == "small_talk"

    facts = dm.turn("我们在西咸新区，2018年成立，是高新技术企业，有4件发明专利，想贷五百万，期限两年")
    assert facts.intent == "matching"
    assert "已记录" in facts.reply and "500万元" in facts.reply
    assert facts.profile["region"] == "西咸新区" and facts.profile["ip_counts"] == {"发明专利": 4}
    assert facts.profile["need"] == {"amount": 5_000_000, "term_months": 24}
    assert facts.matches and "为了更准确地匹配" in facts.reply  # asks for what decides eligibility

    more = dm.turn("营收四千万，负债率40%，征信良好，员工120人")
    assert more.intent == "matching"
    assert any(m["eligible"] is True for m in more.matches)
    second = more.matches[1]

    rate = dm.turn("第二个的利率是多少？")
    assert rate.intent == "product_question"
    assert second["name"] in rate.reply and "LPR" in rate.reply
    assert rate.citations[0].doc_id == f"product:{second['product_id']}"

    docs = dm.turn("那它要准备哪些材料？")
    assert docs.intent == "product_question" and second["name"] in docs.reply and "营业执照" in docs.reply

    policy = dm.turn("评估费有补助吗？最多补多少？")
    assert policy.intent == "policy_question" and policy.citations and "5万元" in policy.reply

    back = dm.turn("帮我申请第二个")
    assert back.intent == "application" and second["name"] in back.reply
    assert back.profile["need"]["amount"] == 5_000_000  # the profile survived the topic switch


def test_corrections_replace_earlier_values(sample_settings):
    dm = DialogueManager(sample_settings)
    dm.turn("我们有2件发明专利")
    fixed = dm.turn("不对，是三件发明专利")
    assert fixed.profile["ip_counts"]["发明专利"] == 3


def test_out_of_scope_and_invalid_input_are_handled(sample_settings):
    dm = DialogueManager(sample_settings)
    assert dm.turn("明天西安天气怎么样？").intent == "out_of_scope"
    res = dm.turn("负债率150%")  # outside 0–100 %: not taken as a slot
    assert "debt_ratio" not in res.profile


def test_chat_json_reads_turns_from_stdin(sample_settings):
    env = {**os.environ, "ASSISTANT_DATA_DIR": str(sample_settings.data_dir), "ASSISTANT_CORPUS_DIR": str(sample_settings.corpus_dir)}
    turns = "你好\n我们在沣西新城，有3件发明专利，想贷三百万\n秦知贷的补偿比例是多少？\n"
    out = subprocess.run([sys.executable, "-m", "assistant.cli", "chat", "--json"], input=turns, capture_output=True, text=True, env=env, timeout=120)
    assert out.returncode == 0, out.stderr
    rows = [json.loads(x) for x in out.stdout.splitlines()]
    assert [r["intent"] for r in rows] == ["small_talk", "matching", "policy_question"]
    assert all(set(r) >= {"reply", "intent", "profile", "citations", "matches"} for r in rows)
    assert rows[1]["profile"]["need"]["amount"] == 3_000_000 and rows[1]["matches"]
    assert rows[2]["citations"] and "50%" in rows[2]["reply"]

    # the conversation was kept: three user turns and three replies, with intents and citations
    from sqlalchemy import select

    from assistant.storage.db import session_scope
    from assistant.storage.models import Message

    with session_scope(sample_settings) as s:
        msgs = list(s.scalars(select(Message).order_by(Message.id)))
    assert [m.role for m in msgs] == ["user", "assistant"] * 3
    assert msgs[5].intent == "policy_question" and msgs[5].data["citations"]


def test_qualifications_accumulate_and_negations_remove_only_what_they_name(sample_settings):
    dm = DialogueManager(sample_settings)
    dm.turn("我们是科技型中小企业，在沣东新城")
    assert dm.turn("也是专精特新").profile["qualifications"] == ["科技型中小企业", "专精特新"]
    assert dm.turn("不过不是高企").profile["qualifications"] == ["科技型中小企业", "专精特新"]
    assert dm.turn("不对，只有科小").profile["qualifications"] == ["科技型中小企业"]


def test_an_ordinal_before_any_recommendation_asks_for_the_firm_instead(sample_settings):
    dm = DialogueManager(sample_settings)
    early = dm.turn("第二个呢？")
    assert "还没有为您推荐产品" in early.reply and not early.citations
    dm.turn("我们在沣东新城，2019年成立，高企，发明专利3件，去年营收2000万，负债率40%，征信良好，想贷300万一年")
    later = dm.turn("第二个利率多少？")
    assert later.intent == "product_question" and "还没有为您推荐产品" not in later.reply


def test_chat_and_ask_agree_on_a_topic_once_a_document_covers_it(small_settings, tmp_path):
    """增值税 is off-topic while no document mentions it; once one is indexed, chat answers it from that document, as
    /ask does (one engine decides)."""
    from assistant.index.builder import build_index
    from assistant.index.ingest import ingest_files
    from assistant.index.snapshot import clear_cache

    build_index(small_settings)
    question = "科技型企业的增值税留抵退税有什么规定？"
    before = DialogueManager(small_settings).turn(question)
    assert before.refused and "不在我的服务范围" in before.reply
    doc = tmp_path / "vat.md"
    doc.write_text("# 西咸新区科技型企业增值税留抵退税服务指引\n\n2025年3月1日 西咸新区税务服务中心印发\n\n## 第一章 总则\n\n"
                   "第一条 科技型企业符合条件的，可以按规定申请增值税留抵退税，服务中心提供一对一辅导。\n\n"
                   "第二条 本指引自2025年4月1日起施行。", encoding="utf-8")
    assert not ingest_files(small_settings, [doc]).errors
    clear_cache()
    after = DialogueManager(small_settings).turn(question)
    assert not after.refused and "留抵退税" in after.reply, after.reply


def test_chat_uses_the_answer_engine_with_what_the_firm_said(sample_settings):
    """The chat computes with the figures the firm gave turns before, compares named products, and decides a yes/no
    on a product with the profile it has gathered: the same engine as /ask."""
    dm = DialogueManager(sample_settings)
    dm.turn("我们在西咸新区，用一件发明专利贷了240万，年利率3.5%，期限一年。")
    reply = dm.turn("那区级贴息能拿到多少？").reply
    assert "4.2万元" in reply.splitlines()[0]  # 240万 × 3.5% × 50%
    dm.turn("我们资产负债率是73%。")
    reply = dm.turn("知惠贷我们能申请吗？").reply
    assert reply.startswith("不符合") and "73%" in reply
