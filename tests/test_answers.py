"""The cited-answer core on the sample corpus: markers, citations, refusals, expired warnings, CLI JSON."""

import json
import os
import re
import subprocess
import sys

import pytest

from assistant.answer.follow_up import swap_topic
from assistant.answer.pipeline import ask
from tests.text_checks import markers


def _sample_policy(path, title: str, issuer: str, effective: str, body: str):
    """A national sample policy in Markdown, its metadata in front matter, written by the test."""
    path.write_text(f"---\ntitle: {title}\nissuer: {issuer}\nlevel: 国家\neffective: {effective}\n---\n# {title}\n\n{body}\n",
                    encoding="utf-8")
    return path


def test_answer_cites_the_article_that_holds_the_figure(sample_settings):
    ans = ask("秦知贷对不良贷款按多大比例补偿？单笔最多多少？", sample_settings)
    assert not ans.refused
    assert "50%" in ans.answer and "600万元" in ans.answer
    assert ans.citations and markers(ans.answer) == {c.n for c in ans.citations}
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
    # the quote itself says it is from a document no longer in force, not only the note under the answer
    expired = {c.n for c in ans.citations if c.expired}
    lines = [line for line in ans.answer.splitlines() if any(f"[{n}]" in line for n in expired)]
    assert lines and all(line.startswith("（已失效文件）") for line in lines)


def test_current_question_does_not_cite_expired_documents(sample_settings):
    ans = ask("西安市现在的科技贷款贴息，每家企业一年最多贴多少？", sample_settings)
    assert ans.citations and not any(c.expired for c in ans.citations)


def test_follow_up_uses_the_previous_question(sample_settings):
    ans = ask("那首贷企业呢？", sample_settings, history=["西咸新区担保费补助比例是多少？"])
    assert not ans.refused
    assert "80%" in ans.answer


def test_follow_up_that_swaps_the_topic_reads_as_the_previous_question_about_the_new_topic(sample_settings):
    # “软著呢？” after “专利…要多久？” → “那商标呢？”: the registration time of a software copyright, not a mix of all three
    ans = ask("软著呢？", sample_settings, history=["专利质押登记一般要多久？", "那商标呢？"])
    assert "中国版权保护中心" in ans.answer and "10个工作日" in ans.answer
    assert "5个工作日" not in ans.answer  # the trademark answer of the turn before


def test_swap_topic_replaces_the_counterpart_longest_term_first():
    assert swap_topic("拿发明专利去质押，登记找谁？", "那实用新型呢？") == "拿实用新型去质押，登记找谁？"
    assert swap_topic("省里秦科保补几成？", "那区里呢？") == "区里秦科保补几成？"
    assert swap_topic("专利质押登记要多久？", "那上限呢？") is None  # no counterpart: the words are merged instead
    assert swap_topic("专利和商标都能押吗？", "那专利呢？") is None  # the topic is already there


def _env(settings):
    return {**os.environ, "ASSISTANT_DATA_DIR": str(settings.data_dir), "ASSISTANT_CORPUS_DIR": str(settings.corpus_dir)}


def test_cli_ask_json_and_stdin_lines(sample_settings):
    one = subprocess.run([sys.executable, "-m", "assistant.cli", "ask", "--json", "白名单多长时间更新？"],
                         capture_output=True, text=True, env=_env(sample_settings), timeout=120)
    assert one.returncode == 0, one.stderr
    data = json.loads(one.stdout)
    assert set(data) >= {"answer", "citations", "timings"}
    assert set(data["citations"][0]) >= {"n", "doc_id", "title", "source", "page", "article", "text"}
    many = subprocess.run([sys.executable, "-m", "assistant.cli", "ask", "--json", "-"], input="白名单多长时间更新？\n评估费补助最高多少？\n",
                          capture_output=True, text=True, env=_env(sample_settings), timeout=120)
    lines = [json.loads(x) for x in many.stdout.splitlines()]
    assert len(lines) == 2 and all(x["citations"] for x in lines)


def test_other_regions_and_live_figures_are_declined_with_their_reason(sample_settings):
    other = ask("深圳那里的专利质押贷款贴息比例多少？", sample_settings)
    assert other.refused and other.decline_reason == "out_of_scope:深圳"
    live = ask("西咸新区融资白名单里现在一共有多少家企业？", sample_settings)
    assert live.refused and live.decline_reason == "live_data" and "实时数据" in live.answer
    named = ask("秦知贷今年的补偿资金还剩多少？", sample_settings)
    assert named.refused


def test_a_tally_of_what_has_been_done_is_live_data_and_a_cumulative_cap_is_not():
    from assistant.answer.scope import LIVE_DATA

    assert LIVE_DATA.search("资金池开办以来累计给合作银行代偿了多少笔？")
    assert LIVE_DATA.search("我们累计拿了几次贴息了？")
    assert not LIVE_DATA.search("每户企业累计最多能补多少？")
    assert not LIVE_DATA.search("我们累计贷了300万，还能再贷多少？")
    # a count a rule sets off (累计…了几次会被…, 累计…达到了多少就…) is the rule's, not a tally
    assert not LIVE_DATA.search("担保机构累计拖延了几次就会被暂停合作？")
    assert not LIVE_DATA.search("一家企业累计贴息到了多少就不再给？")


def test_named_programme_figure_must_be_stated_about_that_programme(sample_settings):
    from assistant.answer.scope import named_figure_missing

    assert named_figure_missing("秦科保的保费补贴比例是多少？", ["按实际支付保费的80%给予补贴。"], ["某市科技保险办法"])
    assert not named_figure_missing("秦科保的保费补贴比例是多少？", ["按实际支付保费的80%给予补贴。"], ["陕西省“秦科保”科技保险保费补贴办法"])


def test_question_parts_split_sentences_and_paired_topics():
    from assistant.answer.extractive import question_parts

    assert question_parts("市里初审要多久？省里复核要多少天？") == ["市里初审要多久", "省里复核要多少天"]
    assert question_parts("利息补贴和担保费补贴，每家企业每年分别最多拿多少？") == [
        "利息补贴每家企业每年最多拿多少", "担保费补贴每家企业每年最多拿多少"]


def test_primary_figure_kind_prefers_the_named_unit():
    from assistant.retrieval.answer_type import primary

    count = primary("一年最多能报几笔贷款？")
    assert count is not None and count.search("每年最多补助2笔贷款") and not count.search("为一笔贷款支付评估费")
    duration = primary("补正材料给多少天？")
    assert duration is not None and duration.search("30日内补正")
    assert primary("白名单有什么好处？") is None


def test_a_figure_is_wanted_only_where_the_question_asks():
    from assistant.retrieval.answer_type import asking, wanted

    # the scene-setting clause names an amount (债权金额); the asking clause asks whether there is a fee
    assert asking("我们调整了担保的债权金额，去办变更登记要交钱吗？") == "去办变更登记要交钱吗"
    assert wanted("我们调整了担保的债权金额，去办变更登记要交钱吗？") == []
    assert wanted("这笔贷款的额度上限是多少？")
    # a clause ending in 多少 asks for a figure of whatever kind, even with no unit named
    assert len(wanted("那个例子里，最后核下来的贴息是多少？")) > 1
    # a clause that asks who or where names no figure it asks for, whatever figure words it holds (规模, 额度)
    assert wanted("对企业规模认定不服的话去找谁？") == []
    assert wanted("额度批不下来去哪个部门反映？") == []
    assert wanted("找哪个部门申请，多久能批下来？")  # beside who, how long is asked too
    # a party asked for, whatever figure word the clause holds: the rate's figure is not what is asked
    assert wanted("保证金比例到底由谁来定？") == []
    assert wanted("保证金比例是多少，由谁来定？")


def test_a_few_things_counted_before_the_ask_set_the_scene_and_a_count_or_time_asked_still_asks():
    from assistant.retrieval.answer_type import asking, wanted

    # 几 counting a few things, with the sentence's ask after it: the scene, not a count asked
    assert asking("我们拿几件实用新型押给了银行，贷款贴息怎么申请？") == "贷款贴息怎么申请"
    assert wanted("我们去年招了几名研发人员，能享受哪些补贴？") == []
    # a count or a time asked stays asked: at the clause's end, as the sentence's last ask, or a time wherever it stands
    assert wanted("已经进白名单的有几家企业？")
    assert asking("几个工作日能审完，要交什么材料？") == "几个工作日能审完，要交什么材料"
    assert asking("一般要几个担保人签字？") == "一般要几个担保人签字"
    # after 最多, 能 or 需要 a count is asked, whatever is asked after it
    assert asking("单户最多能押几件商标，评估费谁出？") == "单户最多能押几件商标，评估费谁出"
    assert asking("要找几名保证人，保证费多少？") == "要找几名保证人，保证费多少"


def test_a_part_asking_when_is_answered_by_the_event_a_time_runs_from():
    """“…从什么时候起算数”: a rule saying the event it takes effect from answers the part, though it states no date;
    a part asking how many days is not answered by it, and the composer's figure kinds stay as they were."""
    from assistant.retrieval.answer_type import part_wants, states_wanted, wanted

    rule = "商标专用权的许可自备案之日起对第三人生效。"
    assert states_wanted(rule, part_wants("许可给别人以后，从什么时候起对外面的人算数"))
    assert states_wanted("质权自办理出质登记时设立。", part_wants("质权到底什么时候才算有了"))
    assert not states_wanted(rule, part_wants("备案一般要几天"))
    assert not any(k.search(rule) for k in wanted("许可给别人以后，从什么时候起对外面的人算数"))


def test_a_rate_asked_by_its_standard_is_answered_by_a_rate_in_any_form():
    from assistant.retrieval.answer_type import states_wanted, wanted

    kinds = wanted("违约金按什么标准收？")  # a rate asked by its standard, no 比例 or 利率 said
    assert kinds
    assert states_wanted("按照每日万分之三计收违约金。", kinds)  # per day, in ten-thousandths
    assert states_wanted("按未付金额的千分之一计收。", kinds)
    assert not states_wanted("应当在30日内书面通知对方。", kinds)


def test_a_share_asked_as_a_weight_or_a_percentage_wants_a_share():
    from assistant.retrieval.answer_type import states_wanted, wanted

    for question in ("研发投入占营业收入的比重要达到多少？", "办法里有没有定一个具体的百分比？"):
        kinds = wanted(question)
        assert kinds and states_wanted("研发投入占营业收入的比重不低于5%。", kinds), question
        assert not states_wanted("研发投入应当逐步提高。", kinds)


def test_words_of_an_unshown_section_heading_do_not_count_as_answered(sample_settings):
    """The section heading (“合作银行与贷款备案”) is not shown with the answer: the article that states the filing
    deadline must still be quoted."""
    answer = ask("合作银行放了知识产权质押贷款，要在多长时间内去区里备案，才能纳入资金池补偿？", sample_settings)
    assert "30日" in answer.answer and any(c.article == "第十二条" for c in answer.citations)


def test_a_sentence_leaning_on_its_neighbour_brings_it():
    from assistant.answer.extractive import Passage, Picked, _complete_fragments

    passage = Passage(n=1, text="建设银行介绍了“技术流”评价模型。该模型以知识产权为核心指标进行评分。白名单企业可以享受下列支持：\n（一）优先审批；", rank=0)
    done = _complete_fragments([passage], [Picked(0, 1, "该模型以知识产权为核心指标进行评分。"), Picked(0, 2, "白名单企业可以享受下列支持：")])
    assert {p.order for p in done} == {0, 1, 2, 3}


def test_an_acronym_the_corpus_never_uses_is_out_of_scope(sample_settings):
    from assistant.answer.scope import unknown_name

    assert unknown_name("PCT国际申请能资助多少？", "专利 lpr 贷款") == "PCT"
    assert unknown_name("利率按LPR加多少？", "一年期贷款市场报价利率（lpr）") is None
    assert unknown_name("能在银行APP上申请吗？", "专利") is None
    ans = ask("我们准备报几件PCT国际申请，一件能资助多少？", sample_settings)
    assert ans.refused and ans.decline_reason == "out_of_scope:PCT"


def test_everyday_words_weigh_less_than_specialised_ones():
    from assistant.retrieval.tokenizer import get_tokenizer

    tok = get_tokenizer()
    assert tok.informativeness("公司") < 0.3 and tok.informativeness("拿") < 0.5
    assert tok.informativeness("补正") == 1.0 and tok.informativeness("秦知贷") == 1.0  # a domain word keeps its full weight


def test_folded_synonym_brings_the_canonical_words_parts():
    from assistant.retrieval.tokenizer import get_tokenizer

    words = get_tokenizer().words("软著能质押吗")
    assert {"软件著作权", "著作权"} <= set(words)


def test_a_neighbouring_topic_is_declined_until_a_document_covers_it(small_settings, tmp_path):
    from assistant.index.builder import build_index
    from assistant.index.ingest import ingest_files

    build_index(small_settings)
    question = "我们研发投入挺大的，加计扣除时研发费用按多少比例算？"
    before = ask(question, small_settings)
    assert before.refused and before.decline_reason == "out_of_scope:加计扣除"

    notice = _sample_policy(tmp_path / "tax-rd-deduction-sample.md", "研发费用加计扣除政策要点（示例）", "示例税务机关", "2023-01-01",
                            "第一条 企业开展研发活动中实际发生的研发费用，在按规定据实扣除的基础上，再按照实际发生额的100%在税前加计扣除。")
    report = ingest_files(small_settings, [notice])
    assert not report.errors, [e.message for e in report.errors]
    after = ask(question, small_settings)
    assert not after.refused, after.decline_reason
    assert "100%" in after.answer and any("加计扣除" in c.title for c in after.citations)


def test_a_question_about_the_case_not_done_quotes_the_rule_for_that_case(sample_settings):
    """“没去做登记” is answered by the rule for unregistered software (书面说明), not only by the usual case."""
    answer = ask("有款软件我们一直没去做著作权登记，这种还能拿来做质押吗？要额外交什么东西？", sample_settings)
    assert "书面说明" in answer.answer


def test_negation_ignores_question_forms():
    from assistant.answer.extractive import negated

    assert negated("我们没有高企证书，能申请吗？") and negated("专利还未授权可以质押吗？")
    assert not negated("有没有贴息？") and not negated("是不是要先登记？")


def test_a_question_for_a_ceiling_gets_the_ceiling_not_a_floor_of_the_same_topic(sample_settings):
    """“保费最高能收到本金的百分之几” is answered by “年费率不得超过贷款本金的2%”; the top article states only the
    floor of the payout ratio (不低于50%)."""
    from assistant.retrieval.answer_type import bound, states_bound

    assert bound("保费最高能收到贷款本金的百分之几？") == "max" and bound("赔付比例最少是多少？") == "min"
    assert bound("有没有比例要求？") is None
    assert states_bound("年费率不得超过贷款本金的2%", "max") and not states_bound("赔付比例不低于50%", "max")
    answer = ask("质押融资那种保证保险，保费最高不超过贷款本金的百分之几？", sample_settings)
    assert "2%" in answer.answer


@pytest.mark.parametrize("question", ["办专利质押登记需要交钱吗？", "专利质押登记几天能办好，收费吗？"])
def test_a_restating_quote_keeps_its_sentence_that_says_more(sample_settings, question):
    """The FAQ entry on 专利质押登记 restates its article's review time and adds that registration is free: the
    restating sentence is left out (the article says it), the sentence on the fee stays."""
    answer = ask(question, sample_settings)
    assert not answer.refused
    assert re.search(r"不收费|不收取费用", answer.answer), answer.answer
    assert answer.answer.count("2个工作日内") == 1, answer.answer  # the review time quoted once


def test_a_restating_quotes_sentence_without_the_figure_asked_stays_out(sample_settings):
    """Asked only how long a release takes, the FAQ line on fees (…注销都不收费) says nothing asked, though it names 注销."""
    answer = ask("质押登记注销要几天能办完？", sample_settings)
    assert "不收费" not in answer.answer, answer.answer


def test_a_question_about_an_old_policy_quotes_that_policy_with_the_warning(sample_settings):
    """The FAQ entry saying the 2018 measures have expired is not enough: “那时候贴利息的几成” is answered by the
    expired document itself (20%), flagged as no longer in force."""
    answer = ask("2018年西安出的科技型中小企业贷款贴息暂行办法，那时候贴利息的几成？", sample_settings)
    assert "20%" in answer.answer and "已失效" in answer.answer
    assert any(c.expired and c.doc_id == "xa-loan-interest-2018" for c in answer.citations)


def test_a_case_word_found_in_another_article_of_a_cited_regulation_brings_that_article(sample_settings):
    """“交的现金” is governed by the definitions article of the same 细则 (现金支付的费用不予认定), which shares no other
    word with the question; the FAQ, a collection of separate answers, is not searched this way."""
    answer = ask("我们有一笔担保费当时是交的现金，报西安市的补助时这笔能认吗？", sample_settings)
    assert "不予认定" in answer.answer
    assert any(c.doc_id == "xa-techfin-2023" and c.article == "第四条" for c in answer.citations)


def test_a_quoted_list_item_brings_its_head():
    from assistant.answer.extractive import Passage, Picked, _complete_fragments

    text = "第十四条 有下列情形之一的，不予补助：\n（一）未上传评估报告的；\n（四）评估机构与申请企业存在控股、参股等关联关系的；"
    done = _complete_fragments([Passage(n=1, text=text, rank=0)], [Picked(0, 2, "（四）评估机构与申请企业存在控股、参股等关联关系的；")])
    assert [p.text for p in sorted(done, key=lambda p: p.order)] == ["有下列情形之一的，不予补助：", "（四）评估机构与申请企业存在控股、参股等关联关系的；"]


def test_live_data_is_a_question_for_a_tally_not_any_sentence_with_already_and_how_much():
    from assistant.answer.scope import LIVE_DATA

    assert LIVE_DATA.search("省里秦知贷今年的补偿资金已经用掉多少了？") and LIVE_DATA.search("资金池账上还剩多少钱？")
    assert not LIVE_DATA.search("做商标质押登记非得找评估机构出报告吗？我们跟银行已经把商标值多少钱谈妥了。")
    # how far a plan has got, or how an event turned out, is a tally too; a figure the rules state is not
    assert LIVE_DATA.search("长安银行那个三年投30亿的计划，到现在实际放出去多少了？")
    assert LIVE_DATA.search("今年西咸新区科技型企业融资白名单一共有多少家企业入库了？")
    assert LIVE_DATA.search("签了意向授信的那些企业，后来真正拿到放款的有几家？")
    assert not LIVE_DATA.search("秦知贷拿了200万补偿，后来追回来120万，要返还省里多少？")
    assert not LIVE_DATA.search("秦知贷的补偿资金省里每年安排多少预算？")
    # “现在…多少了” at the end of a clause asks how far it has got; a level a rule sets (提到多少了, 是多少了) is no tally,
    # nor is 多少 of 多少了解
    assert LIVE_DATA.search("那个合作计划说要投50亿，现在真正投出去多少了？") and LIVE_DATA.search("目前批了几笔了？")
    assert not LIVE_DATA.search("白名单企业的评分门槛现在提到多少了？")
    # “now … already” without a quantity asked is the story, not a tally
    assert not LIVE_DATA.search("那家公司现在说材料已经补齐了，下个季度还能再报吗？")
    assert LIVE_DATA.search("今年的保费补贴预算已经花完了吗？")
    assert not LIVE_DATA.search("贴息的利率上限现在是多少了？")
    assert not LIVE_DATA.search("我们现在多少了解一些贴息政策，想再问问担保费补助。")


def test_a_calculation_question_gets_the_figure_it_asks_not_the_figures_it_gives(sample_settings):
    from assistant.retrieval.answer_type import given_numbers, states_wanted, wanted

    q = "我们用两件发明专利押了500万，期限一年，执行利率4.5%，全年利息22.5万，区级贴息能拿到多少？"
    assert given_numbers(q) >= {"2", "500", "1", "4.5", "22.5"}
    assert not states_wanted("取得银行贷款500万元，期限1年，执行年利率4.5%", wanted(q), given_numbers(q))
    # a figure in words is the asker's only when it is the asker's number (百分之三十 is not the 一年 asked about)
    asked = "我们一年的采购预算里，至少拿出多少留给小企业？"
    assert states_wanted("预留份额应当占年度预算总额的百分之三十以上", wanted(asked), given_numbers(asked))
    assert not states_wanted("期限一年", wanted(asked), given_numbers(asked))
    # 一笔贷款, 一项申报 are articles, no count that answers; 两笔, 十一件 are
    loan = "我们贷了350万，贴息能拿多少？"
    assert not states_wanted("同一笔贷款只能选一项申报", wanted(loan), given_numbers(loan))
    assert states_wanted("每年最多补助两笔", wanted(loan), given_numbers(loan))
    assert states_wanted("每家企业每年只能申报一笔。", wanted("每年最多补几笔？"))  # 一笔 ending its clause counts
    small = "我们贷了50万，贴息最多能拿多少钱？"
    assert not states_wanted("贷款金额在五十万元以下的", wanted(small), given_numbers(small))  # the asker's 50万 in words
    assert "10.5万元" in ask(q, sample_settings).answer


def test_parallel_parts_each_get_a_sentence_about_their_own_subject(sample_settings):
    """“专利那边要几天？软著那边又要几天？”: the copyright office's 10 working days do not answer the patent part; the
    scene-setting sentence before the questions is not a part of its own."""
    from assistant.answer.extractive import question_parts

    q = "我们打算把几件专利和两个软著一起押给银行。专利那边质押登记的审查需要几天？软著那边又要几天？"
    assert question_parts(q) == ["专利那边质押登记的审查需要几天", "软著那边又要几天"]
    answer = ask(q, sample_settings).answer
    assert "2个工作日" in answer and "10个工作日" in answer


def test_the_rule_for_the_case_not_done_leads_even_when_the_usual_case_covers_more_words(sample_settings):
    answer = ask("我们有套软件从没去版权中心做登记，手上没有软著证书，这种还能拿去做质押吗？要多交点啥材料？", sample_settings)
    assert "书面说明" in answer.answer


def test_a_lower_passage_is_judged_on_its_best_sentences_not_its_best_one_alone(sample_settings):
    """第十一条's figure sentence (30日内补正) restates covered words; its neighbour names the case (视为撤回申请)."""
    answer = ask("软著质押登记的材料被打回来让补，说过期不补就当撤回了，一共给几天时间？", sample_settings)
    assert "30日" in answer.answer


def test_a_question_points_at_the_past_by_year_or_by_then():
    from assistant.answer.pipeline import asks_about_old_policy

    assert all(asks_about_old_policy(q) for q in ["翻到19年省里那个暂行办法", "当年入园惠企行动里定的目标", "2018年的贴息办法"])
    assert not any(asks_about_old_policy(q) for q in ["成立10年以上的企业", "贷款期限1年", "2025年的贴息"])


def test_an_old_policy_question_looks_deeper_for_the_expired_document(sample_settings):
    """The current measures outrank the 2018 ones on shared words; the question is about the 2018 ones."""
    answer = ask("西安市以前18年那个贴息办法贴的是利息的几成？现在新的科技金融补助细则又是多少？", sample_settings)
    assert "20%" in answer.answer and "30%" in answer.answer
    assert any(c.expired and c.doc_id == "xa-loan-interest-2018" for c in answer.citations)


def test_retrieval_puts_the_expired_document_of_an_old_policy_question_among_the_top_five(sample_settings):
    """The move happens in search(), so the eval runner's recall counts what ask() quotes."""
    from assistant.index.snapshot import get_snapshot
    from assistant.retrieval.search import OLD_POLICY_SLOT, SearchConfig, search

    snap = get_snapshot(sample_settings)
    cfg = SearchConfig.from_settings(sample_settings)
    question = "西安市以前18年那个贴息办法贴的是利息的几成？现在新的科技金融补助细则又是多少？"

    def top(old_policy: bool) -> list[tuple[str, bool]]:
        hits = search(snap, question, 10, cfg, sample_settings, include_expired=True, old_policy=old_policy).hits
        return [(snap.chunks[h.idx]["doc_id"], snap.in_force(h.idx)) for h in hits]

    plain, moved = top(False), top(True)
    assert ("xa-loan-interest-2018", False) not in plain[:OLD_POLICY_SLOT] and ("xa-loan-interest-2018", False) in plain
    assert moved[OLD_POLICY_SLOT - 1] == ("xa-loan-interest-2018", False)
    assert sorted(moved) == sorted(plain)  # reordered, nothing added or lost


def test_a_part_asking_which_office_wants_a_sentence_naming_one():
    from assistant.retrieval.answer_type import asks_office, names_office

    assert all(asks_office(q) for q in ["登记找哪个单位办？", "去哪个部门登记", "材料交到哪个部门？", "在哪里办登记"])
    assert not any(asks_office(q) for q in ["登记要几天？", "哪些专利能质押？"])
    assert names_office("专利质押登记由国家知识产权局办理") and names_office("由中国版权保护中心统一办理")
    assert not names_office("已授权且有效的发明专利都可以作为质物")


def test_each_part_of_a_paired_question_gets_its_own_passage(sample_settings):
    """The whole question's top passages are all about 软著; the 专利 part brings the passage that answers it."""
    answer = ask("软著质押和专利质押，分别去哪个部门登记？", sample_settings)
    assert "中国版权保护中心" in answer.answer and "国家知识产权局" in answer.answer
    assert all(f"[{c.n}]" in answer.answer for c in answer.citations)



def test_a_question_for_what_a_service_charges_is_declined_when_only_its_subsidy_is_stated(sample_settings):
    price = ask("评估机构给专利做评估，收费是评估值的百分之几？", sample_settings)
    assert price.refused and price.decline_reason == "charge_missing" and "收费标准" in price.answer
    # the corpus does state the insurers' ceiling, as a 年费率, and the subsidy of the valuation fee
    ceiling = ask("保险公司一年的保费最多能收到贷款本金的几个点？", sample_settings)
    assert not ceiling.refused and "2%" in ceiling.answer
    subsidy = ask("省级评估费补助，一笔贷款最多能补多少钱？", sample_settings)
    assert not subsidy.refused and "5万元" in subsidy.answer


def test_a_charge_is_stated_by_a_rate_an_amount_or_its_absence():
    from assistant.answer.unstated import charge_missing, fee_words

    assert fee_words("对园区中小企业的政府性担保费率有上限吗") == ["担保费"]
    question = "商标质押登记要交多少登记费？"
    assert charge_missing(question, ["登记费、评估费等，不计入担保费。", "按实际支付评估费的100%给予补助，每笔最高5万元。"])
    assert not charge_missing(question, ["商标专用权质押登记不收取登记费。"])
    # the fee and the how-much in two clauses
    assert charge_missing("银行会收提前还款违约金吗？一般几个点？", ["借款人提前还款的，应当提前30日书面通知银行。"])
    # a question about the subsidy of a fee is not a question about the charge
    assert not charge_missing("评估费省里最多能补多少？", ["登记费、评估费等，不计入担保费。"])
    # no fee named: the service named stands for it (评估 → 评估费)
    assert charge_missing("找评估机构估个价，一般收多少钱？", ["评估费由企业先行支付。"], corpus_text="评估费")
    assert not charge_missing("找评估机构估个价，一般收多少钱？", ["评估费一般为评估值的0.5%。"], corpus_text="评估费")
    # a fee in a sentence about its subsidy (an example, a case capped) is the subsidy's base, not a charge
    assert charge_missing("评估费一般收多少钱？", ["例如，某企业为一笔贷款支付评估费3.2万元，可获补助3.2万元。", "支付评估费6万元的，按上限补助5万元。"])


def test_a_question_for_which_firms_needs_a_passage_that_names_them():
    from assistant.answer.unstated import names_missing

    question = "秦科保的承保保险公司是哪几家？"
    assert names_missing(question, ["承保机构应当是在本省设有分支机构的财产保险公司，每年公布一次承保机构名单。"])
    assert not names_missing(question, ["首批承保机构为人保财险、平安产险。"])
    assert not names_missing("秦科保的承保机构名单多久公布一次？", ["承保机构应当是在本省设有分支机构的财产保险公司。"])


def test_a_bank_asked_about_that_nothing_covers_is_declined_until_a_document_or_the_catalog_names_it():
    from assistant.answer.scope import scope_reason

    assert scope_reason("招商银行有没有专利质押贷款？利率大概多少？", "长安银行「秦创贷」…") == "bank_unlisted:招商银行"
    assert scope_reason("招行有没有专利质押贷款？", "…招商银行「专利贷」…") is None  # named by its full name
    assert scope_reason("温州银行有没有专利质押贷款？", "…") == "bank_unlisted:温州银行"  # by its form: no list names it
    assert scope_reason("温州银行有没有专利质押贷款？", "…温州银行「专利贷」…") is None
    # a bank said as where the loan was taken, or its lender, sets the scene: the documents answer
    assert scope_reason("在工行贷的款能申请贴息吗？", "…") is None
    assert scope_reason("温州银行贷的款能申请贴息吗？", "…") is None
    assert scope_reason("温州鹿城农商银行能做专利质押贷款吗？", "…温州鹿城农村商业银行…") is None  # another form of its name


def test_a_bank_nothing_covers_is_declined_by_name_and_noted_when_only_in_the_scene(sample_settings):
    asked = ask("西安银行有知识产权质押的贷款产品吗？", sample_settings, use_llm=False)
    assert asked.refused and asked.decline_reason == "bank_unlisted:西安银行"
    assert "长安银行" in asked.answer and "西安银行" in asked.answer  # the partner banks the catalog does cover
    scene = ask("我们在北京银行开的基本户，公司在西咸新区注册，能申请知识产权质押贷款贴息吗？", sample_settings, use_llm=False)
    assert not scene.refused and scene.citations
    assert "没有北京银行的产品信息" in scene.answer
    partner = ask("我们在长安银行开的基本户，能申请知识产权质押贷款贴息吗？", sample_settings, use_llm=False)
    assert not partner.refused and "说明" not in partner.answer


def test_a_firm_s_social_insurance_or_relocation_is_no_personal_finance():
    """社保 (what a firm pays for its staff) is a topic a corpus can cover — a product may ask for its receipts — and
    企业落户 is where a firm moves: neither is declined whatever the documents say; 人才落户 (a person's residence) is."""
    from assistant.answer.scope import scope_reason

    products = "…依据纳税、社保缴纳和知识产权情况快速授信…申请材料：近一年社保缴纳证明…"
    assert scope_reason("科创快贷要交社保缴纳证明吗？", products) is None
    assert scope_reason("科创快贷要交社保缴纳证明吗？", "…依据纳税和知识产权情况快速授信…") == "out_of_scope:社保"
    assert scope_reason("我们公司刚落户沣东新城，西咸的担保费补助能申请吗？", products) is None
    assert scope_reason("人才落户需要什么条件？", products) == "out_of_scope:人才落户"


def test_a_qualification_the_corpus_only_names_is_not_defined_by_it(sample_settings):
    from assistant.answer.scope import undefined_qualification

    corpus = "（三）科技型中小企业、高新技术企业或者专精特新中小企业资格证明；科技型中小企业须职工总数不超过500人。"
    assert undefined_qualification("专精特新中小企业是哪个部门认定的？要满足什么条件？", corpus) == "专精特新"
    assert undefined_qualification("科技型中小企业得满足哪些条件？", corpus) is None
    assert undefined_qualification("专精特新企业能申请秦创贷吗？", corpus) is None
    defined = corpus + "本办法所称专精特新中小企业，是指经省工业和信息化厅认定的中小企业。"
    assert undefined_qualification("专精特新中小企业得满足哪些条件？", defined) is None
    declined = ask("申请专精特新“小巨人”要满足哪些条件？", sample_settings)
    assert declined.refused and declined.decline_reason.startswith("undefined_qualification:") and "认定" in declined.answer
    answered = ask("科技型中小企业的认定标准是什么？", sample_settings)  # defined (…须职工总数不超过500人): not declined
    assert not answered.refused and answered.decline_reason is None


@pytest.mark.parametrize(("question", "kind"), [
    ("国家划分中小企业主要看哪几个指标？", None),  # which ones, not how many
    ("申报要交哪几项材料？", None),
    ("合作银行一共有几家？", "2笔"),
    ("审批一般要几个月？", "3个月"),
    ("初审要几个工作日？", "5个工作日"),
    ("每年最多能补多少钱？", "每年最高不超过二十五万元"),  # a law writes its figures in words
    ("单笔贴息上限是多少？", "单笔不超过一千五百元"),
    ("专项资金至少多大比例用于小企业？", "资金比例不低于三分之一"),  # a fraction is a share
])
def test_what_figure_a_question_wants(question, kind):
    from assistant.retrieval.answer_type import states_wanted, wanted

    patterns = wanted(question)
    if kind is None:
        assert patterns == []
    else:
        assert patterns and states_wanted(kind, patterns)


def test_a_count_asked_of_a_thing_is_answered_by_a_count_of_that_thing():
    from assistant.retrieval.answer_type import count_asked, states_count_of

    # the thing counted may come first, the count ending its clause; a count may carry its magnitude (1万家)
    assert states_count_of("每份申请表列明的商标一般不超过20件；", "件", "商标")
    assert states_count_of("累计服务2万家以上科技型中小企业。", "家", "企业")
    assert not states_count_of("合作银行审批后推送至6家。", "家", "企业")
    assert not states_count_of("企业可同时申请的合作银行不超过3家。", "家", "企业")  # the count is of banks

    assert count_asked("去年总共有几家企业进了名单？") == ("家", "企业进了")
    assert count_asked("我们注册了好几个近似商标，能只押一个吗？") is None  # 好几个 asks nothing
    unit, thing = count_asked("一共进了多少家企业？")
    assert states_count_of("当年共有126家企业入库。", unit, thing)
    assert not states_count_of("名单推送至6家合作银行。", unit, thing)
    assert not states_count_of("3个工作日内完成初审。", "家", "企业")


def test_a_few_of_us_asks_nothing():
    """几 after 们 counts the speakers (“我们几个合伙人”): the clause sets the scene, and the figure asked is the one its
    asking clause names, not a count."""
    from assistant.retrieval.answer_type import asking, asks, count_asked, wanted

    q = "我们几个合伙人准备办一家小贷公司，实缴资本最低是多少？"
    assert not asks("我们几个合伙人准备办一家小贷公司")
    assert asking(q) == "实缴资本最低是多少"
    assert count_asked(q) is None
    assert any(p.search("不低于5000万元") for p in wanted(q))
    # a count asked is still a count: 几家 with no pronoun before it
    assert count_asked("你们一共有几家合作银行？") == ("家", "合作银行")
    assert asks("你们几天能审完")  # a time asked of “you” still asks


def test_tenths_given_are_a_percentage_given():
    from assistant.retrieval.answer_type import given_numbers, states_wanted, wanted

    q = "补偿比例是多少？我记得是三成"
    assert "30" in given_numbers(q)
    # the figure the user recalls is not taken for the answer
    assert not states_wanted("资金池按本金损失的30%给予补偿", wanted(q), given_numbers(q))


def test_a_claimed_figure_is_not_quoted_from_another_passage_as_if_it_confirmed_it():
    from assistant.answer.extractive import Passage, claimed_figures, pick_sentences

    assert claimed_figures("担保费补助上限多少？我记得是三成、最多8万吧") == ["30%", "8万"]
    assert claimed_figures("担保费补助上限多少？") == []
    passages = [
        Passage(n=1, text="融资白名单每季度更新一次。", rank=0),
        Passage(n=2, text="入库企业每半年报送一次融资进展。", rank=1),
        Passage(n=3, text="原办法规定白名单每半年更新一次，已废止。", rank=2),
    ]
    idf = {"白名单": 3.0, "更新": 2.0, "半年": 2.0, "融资": 1.0, "废止": 3.0}
    texts = [p.text for p in pick_sentences("融资白名单隔多长时间更新？是半年一次吧", passages, idf)]
    assert texts[0] == "融资白名单每季度更新一次。"
    assert not any("报送" in t for t in texts)  # another thing done every half year reads as confirming the claim


def test_a_year_named_is_no_time_stated():
    from assistant.retrieval.answer_type import states_wanted, wanted

    when = wanted("补助什么时候申报？")
    assert not states_wanted("对申报主体上一年度已实际发生的业务给予补助", when)
    assert states_wanted("申报时间为每年3月1日至4月30日", when)
    assert states_wanted("自贷款发放之日起一年内申请", when)


def test_a_duration_asked_in_a_unit_is_answered_by_a_figure_in_that_unit():
    from assistant.answer.extractive import Passage, pick_sentences
    from assistant.retrieval.answer_type import asked_unit

    assert asked_unit("外观设计专利保护期是几年").search("期限为十五年")
    assert not asked_unit("最长能贷几年").search("1年期贷款市场报价利率")  # a rate's name, not a duration
    assert not asked_unit("几天内要补交").search("最迟应当于9月14日提出")  # a date, not a number of days
    assert asked_unit("贴息比例多少") is None
    assert asked_unit("申报月份是哪几个月？") is None  # which months, not how many
    passages = [
        Passage(n=1, text="外观设计专利申请人要求优先权的，应当在三个月内提交第一次申请文件的副本。", rank=0),
        Passage(n=2, text="外观设计专利权的期限为十五年，自申请日起计算。", rank=1),
    ]
    idf = {"外观设计": 3.0, "专利": 1.0, "期限": 2.0, "优先权": 3.0}
    picked = pick_sentences("外观设计专利保护期是几年", passages, idf)
    assert any("十五年" in p.text for p in picked)


def test_each_part_asking_in_a_unit_gets_a_figure_in_that_unit():
    """Two parts, one asked in years: the months the other part's rule states do not answer it."""
    from assistant.answer.extractive import Passage, Picked, _answer_each_part

    passages = [
        Passage(n=1, text="布图设计申请保护的，申请人应当自首次商业利用之日起两个月内申请登记，逾期不再受保护。", rank=0),
        Passage(n=2, text="申请人要求恢复权利的，应当自障碍消除之日起两个月内提出请求。", rank=1),
        Passage(n=3, text="布图设计专有权的期限为十年，自登记之日起计算。", rank=2),
    ]
    idf = {"布图": 3.0, "设计": 2.0, "保护": 1.5, "恢复": 3.0, "权利": 1.0, "请求": 1.5, "专有权": 3.0, "障碍": 3.0, "申请": 0.5,
           "期限": 1.0}
    # the answer so far quotes the first passage's months: the part asked in years still gets its own figure
    so_far = [Picked(0, 0, passages[0].text), Picked(1, 0, passages[1].text)]
    picked = _answer_each_part("布图设计保护几年？要求恢复权利得在多长时间内提？", passages, idf, so_far)
    assert any("十年" in p.text for p in picked), [p.text for p in picked]
    assert any("两个月" in p.text for p in picked)


def test_the_answer_leads_with_the_quote_stating_the_unit_asked(sample_settings):
    ans = ask("专利评估一般要几天能做完？", sample_settings)
    assert re.search(r"\d+\s*(?:—\d+)?个工作日", ans.answer.splitlines()[0])


def test_a_web_address_or_phone_number_is_answered_only_where_a_passage_states_one(sample_settings):
    # the guide states the center's phone number, and no web address of its online platform
    phone = ask("服务中心咨询电话是多少？", sample_settings, use_llm=False)
    assert not phone.refused and "029-3368 0000" in phone.answer
    web = ask("服务中心的线上平台网址是什么？", sample_settings, use_llm=False)
    assert web.refused and web.decline_reason == "contact_missing" and "网址" in web.answer
    # asked after a question the documents answer, only that part is said to be unstated
    both = ask("白名单一年更新几次？另外线上平台的网址是什么？", sample_settings, use_llm=False)
    assert not both.refused and "每季度" in both.answer and "没有载明" in both.answer
    # which site something is published on is answered by the site's name; its address still needs an address
    site = ask("拟入选白名单的企业名单在哪个网站上公示？", sample_settings, use_llm=False)
    assert not site.refused and "门户网站" in site.answer
    address = ask("白名单公示用的那个网站，网站地址是什么？", sample_settings, use_llm=False)
    assert address.refused and address.decline_reason == "contact_missing"
    # a street address and office hours the same way: the guide states the center's; no document the bank's
    center = ask("服务中心具体地址在哪？每天几点上班？", sample_settings, use_llm=False)
    assert not center.refused and "B座" in center.answer
    branch = ask("长安银行西咸分行的营业部具体地址在哪？", sample_settings, use_llm=False)
    assert branch.refused and "地址或办公时间" in branch.answer
    from assistant.answer.unstated import contact_missing

    assert contact_missing("代办处几点上班？", ["地方代办处可以受理专利权质押登记申请。"])
    assert not contact_missing("代办处几点上班？", ["代办处受理时间为工作日上午9点至12点。"])
    assert not contact_missing("代办处能受理质押登记吗？", ["地方代办处可以受理专利权质押登记申请。"])
    # a question that only mentions hours or an address asks for neither; a web address is no street address
    handled = ["地方代办处可以受理专利权质押登记申请。"]
    assert not contact_missing("代办处办公时间内能现场交纸件吗？", handled)
    assert not contact_missing("非办公时间能在线提交吗？", handled)
    assert not contact_missing("质押合同上出质人的地址是什么要求？", handled)
    assert contact_missing("服务中心的网站地址是什么？", ["服务中心位于某大道88号B座2层。"])


def test_a_named_programmes_figure_is_quoted_from_its_own_document_only(sample_settings):
    # the programme's own article states the cap; another document's sentence that does not name the programme
    # states another programme's caps (贴息、评估费补助) and is no answer, however many words it shares
    ans = ask("秦知贷对每笔不良贷款的补偿上限是多少钱？", sample_settings)
    assert not ans.refused and "600万元" in ans.answer
    assert {c.doc_id for c in ans.citations} == {"sx-qinzhidai-2023"}
    assert "评估费" not in ans.answer and "贴息" not in ans.answer


def test_a_question_asking_which_things_gets_the_sentence_that_lists_them():
    """“要准备哪些文件”: a passage that lists the documents (…、…等文件) is quoted, not only the one above it that says
    文件 in passing."""
    from assistant.answer.extractive import Passage, pick_sentences
    from assistant.retrieval.answer_type import list_asked, states_list_of

    assert list_asked("商标质押登记要准备哪些文件？") == "文件"
    assert list_asked("商标质押登记要几天？") is None
    assert states_list_of("应当提交申请书、质押合同、主合同和身份证明等文件。", "文件")
    assert states_list_of("申请人应当提交下列文件：", "文件")
    assert not states_list_of("登记机关应当在五个工作日内审查申请文件，并告知结果、理由。", "文件")
    # a placeholder (哪些东西) is answered by a list of anything, and by nothing that lists nothing
    assert list_asked("银行一般收哪些东西做抵押？") == "东西"
    assert states_list_of("可以用应收账款、存货、机器设备等作为担保品。", "东西")
    assert not states_list_of("担保品由双方协商确定。", "东西")
    assert not states_list_of("入库企业有下列情形之一的，移出白名单。", "东西")  # cases, no list of things
    assert states_list_of("入库企业有下列情形之一的，移出白名单。", "情况")
    assert list_asked("哪些类型的知识产权可以质押？") == "知识"
    passages = [
        Passage(n=1, text="办理商标质押登记的，登记机关应当在五个工作日内审查申请文件。", rank=0),
        Passage(n=2, text="申请商标质押登记的，应当提交申请书、质押合同、主合同和身份证明等文件。", rank=1),
    ]
    idf = {"商标": 3.0, "质押": 1.5, "登记": 1.0, "准备": 1.0, "文件": 1.5, "申请书": 3.0, "审查": 2.0}
    picked = [p.text for p in pick_sentences("商标质押登记要准备哪些文件？", passages, idf)]
    assert any("申请书、质押合同" in t for t in picked)


def test_a_verb_said_in_one_character_picks_the_sentence_whose_word_begins_with_it():
    """“要审几天”: of two sentences of one article that share every other word, the one about 审查, not 补正."""
    from assistant.answer.extractive import Passage, pick_sentences

    text = ("材料不齐的，登记机关自收到申请之日起3个工作日内通知补正。"
            "材料齐全的，登记机关自收到申请之日起3个工作日内完成审查。"
            "登记机关在每月底汇总公布当月的登记情况，公布的内容包括出质人名称、质权人名称和登记日期等，供社会公众查询，"
            "查询不收取费用，也不需要提供任何身份证明材料。"
            "公布的登记情况同时抄送同级财政部门和金融监督管理部门，作为评价辖区知识产权金融服务工作成效的依据之一，并按年度汇编成册存档备查。"
            "汇编内容包括登记件数、被担保债权总额、涉及的专利和商标数量以及各合作银行的业务分布。")
    assert len(text) > 220  # not an article short enough to be quoted whole
    idf = {"登记": 1.0, "机关": 1.0, "收到": 1.5, "申请": 1.0, "工作日": 1.5, "补正": 3.0, "审查": 3.0, "材料": 1.0}
    first = pick_sentences("交上去以后登记机关要审几个工作日？", [Passage(n=1, text=text, rank=0)], idf)[0].text
    assert "审查" in first
    assert "补正" in pick_sentences("交上去以后登记机关要补几个工作日？", [Passage(n=1, text=text, rank=0)], idf)[0].text
    # the verb said with how it ends (审完, a word jieba's HMM makes) is the verb: the sentence about 审查 again
    assert "审查" in pick_sentences("交上去以后登记机关几个工作日能审完？", [Passage(n=1, text=text, rank=0)], idf)[0].text


def test_a_verb_said_with_its_result_stands_as_the_verb():
    """审完, 弄齐: a one-character verb and the complement saying how the act ends; the documents name the act (审查)."""
    from assistant.retrieval.tokenizer import get_tokenizer

    tok = get_tokenizer()
    assert "审完" in tok.words("材料交上去多久能审完") and "审" in tok.query_words("材料交上去多久能审完", {})
    assert "审完" not in tok.query_words("材料交上去多久能审完", {})
    assert tok.unglued("审完", {"审完": 2.0}) == ["审完"]  # a word the corpus uses stays itself
    assert tok.unglued("办完", {}) == ["办完"]  # a dictionary word (办完) is no guess of jieba's HMM
    assert tok.unglued("专完", {}) == ["专完"]  # 专 is no verb: nothing to stand for


def test_a_question_whether_an_act_is_allowed_quotes_the_clause_that_allows_or_forbids_it():
    from assistant.answer.extractive import Passage, pick_sentences
    from assistant.retrieval.answer_type import asks_permission

    passages = [
        Passage(n=1, text="数据资产托管坚持托管机构主导、企业参与、风险共担的原则。托管机构承担的托管风险比例不低于20%。", rank=0),
        Passage(n=2, text="托管机构不得因数据资产进入托管而要求企业追加设备抵押。", rank=1),
    ]
    idf = {"数据资产": 3.0, "托管": 3.0, "托管机构": 3.0, "企业": 1.0, "要求": 1.5, "设备": 2.0, "风险": 1.5, "机器": 2.0}
    question = "托管机构说数据资产进了托管，还得把厂里的机器也押上。托管机构这样要求合规吗？"
    assert asks_permission(question) and not asks_permission("数据资产托管的风险比例是多少？")
    texts = [p.text for p in pick_sentences(question, passages, idf)]
    assert "托管机构不得因数据资产进入托管而要求企业追加设备抵押。" in texts


def test_a_question_when_a_restricted_act_is_allowed_quotes_the_rules_exception():
    from assistant.answer.extractive import Passage, pick_sentences
    from assistant.retrieval.answer_type import asks_exception, states_exception

    passages = [
        Passage(n=1, text="托管机构有下列情形之一的，由主管部门责令改正：（二）没有章程依据，要求企业以设备追加抵押作为托管条件。", rank=0),
        Passage(n=2, text="托管机构不得要求企业以设备追加抵押作为托管条件，托管协议另有约定的除外。", rank=1),
    ]
    idf = {"托管机构": 3.0, "托管": 3.0, "企业": 1.0, "要求": 1.5, "设备": 2.0, "抵押": 2.0, "条件": 1.5, "追加": 2.5}
    question = "托管机构要求企业以设备追加抵押作为托管条件，什么情况下才可以？"
    assert asks_exception(question) and asks_exception("托管机构要求追加抵押，有哪些例外情况？")
    assert asks_exception("什么情况下托管机构才能要求追加抵押？") and asks_exception("除外情形有哪些？")
    assert not asks_exception("托管机构要求企业追加设备抵押，会受到什么处理？")
    # a plain 什么情况下可以 asks the conditions; 除外 beginning another word, or the asker's own exception, asks none
    assert not asks_exception("什么情况下可以申请托管？")
    assert not asks_exception("除外省企业外还有谁能托管？") and not asks_exception("节假日除外的话周六能办托管吗")
    assert not asks_exception("托管得具备什么条件才可以办？")  # eligibility: the conditions, not an exception
    assert not asks_exception("托管机构无一例外都要追加抵押吗？") and not asks_exception("什么情况下才可能被要求追加抵押？")
    assert asks_exception("什么样的情况下托管机构才会要求追加抵押？") and asks_exception("有没有除外的情况？")
    assert states_exception(passages[1].text) and not states_exception(passages[0].text)
    texts = [p.text for p in pick_sentences(question, passages, idf)]
    assert "托管机构不得要求企业以设备追加抵押作为托管条件，托管协议另有约定的除外。" in texts
    # asked what follows, the rule's exception adds nothing the first passage does not say
    asked_else = [p.text for p in pick_sentences("托管机构要求企业以设备追加抵押作为托管条件，会怎么处理？", passages, idf)]
    assert passages[1].text not in asked_else
    # an exception about something else (a service window's hours), ranked before the rule's own, is no answer to it
    hours = Passage(n=3, text="托管服务窗口周一至周五受理，法定节假日除外。", rank=1)
    later = Passage(n=2, text=passages[1].text, rank=2)
    texts = [p.text for p in pick_sentences(question, [passages[0], hours, later], {**idf, "窗口": 2.0, "节假日": 3.0})]
    assert hours.text not in texts and later.text in texts


def test_a_figure_a_rule_leaves_open_is_declined_with_the_rule_until_a_document_fixes_it(small_settings, tmp_path):
    from assistant.index.builder import build_index
    from assistant.index.ingest import ingest_files

    build_index(small_settings)
    law = _sample_policy(tmp_path / "transfer-promotion-sample.md", "科技成果承接促进办法（示例）", "示例人民政府", "2024-01-01",
                         "第八条 对承接高等院校科技成果并在本地转化的企业，可以按照技术合同实际成交额的一定比例给予补助。"
                         "具体办法由财政部门会同科技部门另行制定。\n\n第九条 企业应当在技术合同登记后向科技部门备案。")
    assert not ingest_files(small_settings, [law]).errors
    question = "我们承接了高校的科技成果，按技术合同成交额给的补助是百分之几？"
    open_ = ask(question, small_settings, use_llm=False)
    assert open_.refused and open_.decline_reason.startswith("figure_unspecified:")
    assert "一定比例" in open_.answer and "科技成果承接促进办法" in open_.answer  # what the rule does say, and where
    assert "[1]" in open_.answer and "一定比例" in open_.citations[0].text  # cited like any quote

    rules = _sample_policy(tmp_path / "transfer-promotion-rules-sample.md", "科技成果承接补助实施细则（示例）", "示例财政部门", "2024-06-01",
                           "第三条 对承接高等院校科技成果的企业，按照技术合同实际成交额的10%给予补助，单个项目最高100万元。")
    assert not ingest_files(small_settings, [rules]).errors
    fixed = ask(question, small_settings, use_llm=False)
    assert not fixed.refused, fixed.decline_reason
    assert "10%" in fixed.answer and any("实施细则" in c.title for c in fixed.citations)


def test_an_aside_in_brackets_adds_no_words_a_passage_must_cover(sample_settings):
    from assistant.answer.analysis import without_asides
    from assistant.answer.pipeline import answer_signals
    from assistant.index.snapshot import get_snapshot
    from assistant.retrieval.search import SearchConfig, search

    snapshot = get_snapshot(sample_settings)
    plain = "评估费补助每笔最多补多少？"
    aside = "评估费补助（就是财务那边嘴里的报销评估花销的那笔钱，讲得稀里糊涂）每笔最多补多少？"
    assert without_asides(aside) == plain and without_asides("（示例）") == "（示例）"
    hits = search(snapshot, plain, 5, SearchConfig.from_settings(sample_settings), sample_settings).hits
    # judged with the aside's words, the same passages cover less of the question; without them, as much as the plain one
    assert answer_signals(aside, hits, snapshot)["evidence"] < answer_signals(plain, hits, snapshot)["evidence"]
    assert answer_signals(without_asides(aside), hits, snapshot) == answer_signals(plain, hits, snapshot)


def test_a_numeral_the_question_says_is_no_topic_it_weighs(sample_settings):
    """好几十件, 两笔, 28号, 百分之一: numbers the asker says count or date things; documents write their own numbers, so
    a numeral word the corpus uses once would otherwise be the heaviest word asked and sink a well-supported question.
    Words that name things stay whole: 首次, 多次, 第三方 (jieba tags them numerals too), and the unit asked (件)."""
    from assistant.answer.pipeline import question_weights
    from assistant.index.snapshot import get_snapshot
    from assistant.retrieval.answer_type import counts, numerals_said

    assert numerals_said("我们有几十件专利，3月28号前能办完吗？是不是百分之一？三成？") == ["几十件", "3", "28", "百分之一", "三成"]
    assert numerals_said("首次投保和多次投保，第三方评估，一次性还款") == ["一次"]
    said = numerals_said("一张登记表最多能填好几十件吗")
    assert counts("几十", said) and counts("十件", said) and counts("一张", said)
    assert not counts("件", said) and not counts("登记表", said)
    snap = get_snapshot(sample_settings)
    weights = question_weights("我们有几十件专利要一起押，3月28号前能办完吗？", snap)
    assert {"几十", "28"} <= set(weights)
    assert all(weights[w] < 0.5 * weights["专利"] for w in ("几十", "28"))
    first = question_weights("首次投保的保费补贴比例是多少？", snap)
    assert first["首次"] >= first["比例"]  # 首次 names the case (首次 vs 续保): it keeps its weight


def test_a_word_jieba_made_of_stopwords_alone_weighs_nothing(sample_settings):
    """这是, 都是: jieba's HMM joins two stopwords into a word no dictionary knows, which would weigh as the most specific
    word of the question. A dictionary word (还是, 就是) is left to the dictionary's counts."""
    from assistant.answer.pipeline import question_weights
    from assistant.index.snapshot import get_snapshot
    from assistant.retrieval.tokenizer import get_tokenizer

    tok = get_tokenizer()
    assert tok.stopword_compound("这是") and tok.stopword_compound("都是")
    assert not tok.stopword_compound("就是") and not tok.stopword_compound("补正") and not tok.stopword_compound("是")
    snap = get_snapshot(sample_settings)
    question = "贴息申请表上要盖银行的章，这是办法里规定的吗？"
    assert "这是" in tok.words(question)
    weights = question_weights(question, snap)
    assert "这是" not in weights and "贴息" in weights
    from assistant.retrieval.rank_features import content_bigrams

    assert "这是" not in content_bigrams(question) and "贴息" in content_bigrams(question)  # nor in the reranker's pairs
    # the keyword search reads the question as the weights do: with or without 这是, the same passages in the same order
    from assistant.retrieval.bm25 import BM25Retriever

    bm25 = BM25Retriever(snap)
    with_it = [h.idx for h in bm25.search("这是贴息申请表上要盖的章吗", 10)]
    assert with_it and with_it == [h.idx for h in bm25.search("贴息申请表上要盖的章吗", 10)]


def test_a_corpus_word_jieba_glued_to_a_stopword_is_searched_and_weighed_as_itself(sample_settings):
    """证能 in 专利证能拿回来吗, 这费 in 这费谁出: jieba's HMM glues a one-character word to the stopword beside it into a
    word neither the corpus nor a dictionary has; the question said the word, and it is what a passage must cover."""
    from assistant.answer.pipeline import question_weights
    from assistant.index.snapshot import get_snapshot
    from assistant.retrieval.backoff import backed_off
    from assistant.retrieval.tokenizer import get_tokenizer

    tok = get_tokenizer()
    snap = get_snapshot(sample_settings)
    assert "证能" in tok.words("押的专利证能拿回来吗") and "证能" not in snap.idf and "证" in snap.idf
    assert tok.unglued("证能", snap.idf) == ["证"] and tok.unglued("这费", snap.idf) == ["费"]
    assert tok.unglued("补正", snap.idf) == ["补正"] and tok.unglued("还是", snap.idf) == ["还是"]  # words of their own
    assert tok.unglued("有款", snap.idf) == ["有款"]  # a counter alone would read as a clause (款) ...
    assert "有款" in tok.words("有款产品利率多少") and "有款" not in tok.query_words("有款产品利率多少", snap.idf)  # ... it names nothing
    assert "这费能" in tok.words("这费能报吗") and tok.query_words("这费能报吗", snap.idf)[0] == "费"  # three characters
    assert tok.query_words("押的专利证能拿回来吗", snap.idf) == [w if w != "证能" else "证" for w in tok.words("押的专利证能拿回来吗")]
    assert backed_off("证", snap) == ["证"]
    weights = question_weights("押的专利证能拿回来吗", snap)
    assert "证" in weights and "证能" not in weights


def test_a_question_that_counts_its_own_things_is_still_answered_by_the_limit(sample_settings):
    # the rule limits the patents one form may list; the asker's “几十件” is only the scene
    ans = ask("我们有几十件专利要一起押，登记表一张最多可以填几件？", sample_settings, use_llm=False)
    assert not ans.refused
    line = next(x for x in ans.answer.split("\n") if "50件" in x)  # the limit, cited to the registration rules
    cited = next(c for c in ans.citations if f"[{c.n}]" in line)
    assert cited.doc_id == "nat-patent-pledge-2021" and "50件" in cited.text


def test_a_worked_example_does_not_lead_an_answer_to_a_question_that_gives_no_numbers():
    """Retrieval ranks the example article high for the words it repeats; its made-up case's figures are no answer to
    “按几成补”, the rule is. With the asker's own numbers the example may be their case worked through: it stays."""
    from assistant.answer.extractive import Passage, pick_sentences

    passages = [
        Passage(n=1, text="第九条 补助计算示例：某企业支付担保费3万元，按50%可获补助1.5万元，首贷企业按80%可获补助2.4万元。", rank=0, doc="a"),
        Passage(n=2, text="第六条 担保费补助按企业实际支付担保费的50%给予，首贷企业提高到80%。", rank=1, doc="a"),
    ]
    idf = {"担保费": 3.0, "补助": 2.0, "首贷": 3.0, "企业": 0.5}
    picked = pick_sentences("首贷企业的担保费补助按几成给？", passages, idf)
    assert picked and picked[0].passage == 1 and "实际支付担保费的50%" in picked[0].text
    given = pick_sentences("担保费交了3万元，我们算首贷企业，补助给多少？", passages, idf)
    assert given and given[0].passage == 0  # the asker's 3万元 is the example's case


def test_a_numeral_inside_a_word_is_no_number_the_question_gives():
    """一般, 统一, 进一步, 同一笔, 第一次, 万一, 两边 give no number: read as “1”, the figure 1年 was taken for the asker's own
    and a sentence stating it lost to one stating another duration."""
    from assistant.answer.extractive import Passage, pick_sentences
    from assistant.retrieval.answer_type import given_numbers

    for said in ("资格一般管多久", "有没有统一标准", "进一步放宽吗", "同一笔贷款两边都能报吗", "第一次投保", "万一逾期怎么办"):
        assert given_numbers(said) == frozenset(), said
    assert given_numbers("贷了一年，押了两件专利，利率4%，我印象里是三成") == frozenset({"1", "2", "4", "3", "30"})
    assert given_numbers("贷了三百万") == frozenset({"300"})
    # two digits side by side say a range, not twelve or thirty-four
    assert given_numbers("报告出了一两个月") == frozenset() and given_numbers("三四天能办完吗") == frozenset()
    assert given_numbers("二十三天") == frozenset({"23"})
    # a rough count still gives its number; 万一 after an amount is its last digit and a year
    assert given_numbers("三百多万，二十来天，百分之三") == frozenset({"300", "20", "3"})
    assert given_numbers("借100万一年利息多少") == frozenset({"100", "1"})
    assert given_numbers("一次性还本，三四成") == frozenset()
    # one long article: the sentence stating the term asked is chosen over the one stating another duration
    text = ("合作银行对入库企业开展批量走访和预评估，根据企业知识产权状况和经营情况给予意向授信额度，开辟审批绿色通道。"
            "银行收到完整申请材料后原则上在15个工作日内作出授信决定。入库企业资格的有效期一般为1年，期满前可以重新申报。"
            "服务中心按季度统计入库企业的融资对接情况，并向合作银行通报。合作银行应当为入库企业单列信贷计划，优化审批流程，"
            "对首次贷款的企业提供融资辅导。入库企业应当如实报送经营和知识产权变化情况，配合银行开展贷后管理。"
            "区科创金融局会同服务中心对入库企业名单实行动态管理，并在门户网站公布。")
    idf = {"入库": 3.0, "资格": 2.0, "有效期": 3.0, "企业": 0.5, "授信": 2.0}
    picked = pick_sentences("入库企业的资格一般能管多久？", [Passage(n=1, text=text, rank=0, doc="a")], idf)
    assert picked and "1年" in picked[0].text  # it leads (taken for the asker’s own “1”, it came second)


def test_an_faq_entry_s_own_yes_or_no_is_not_quoted_as_a_verdict_on_another_question(sample_settings):
    """An FAQ answer opens with the yes or no to its own question (可以，企业可以…在线申请): quoted below another
    answer, or for a question that asks no yes or no, the opener reads as a verdict on this question."""
    from assistant.answer.verdict import Verdict, lead

    ans = ask("商标押给银行后变更登记要多久？", sample_settings, use_llm=False)
    assert not ans.refused
    assert not any(re.match(r"(?:可以|不能|有|没有)[，,]", line) for line in ans.answer.splitlines())
    # kept only where it answers the form asked in (有 answers 有没有, not 需要…吗)
    from assistant.answer.pipeline import _fits_question

    assert not _fits_question("有，区级资金池首期规模5000万元。", "需要企业自己去申请吗？")
    assert _fits_question("不能，该办法已经失效。", "那个旧办法现在还管用吗？")
    assert _fits_question("没有，暂无此项规定。", "有没有时间要求？")
    # a verdict quoting such a sentence says its word once
    assert lead(Verdict(False, ["不能，同一笔贷款只能选一项申报"], ("可以", "不能"))) == "不能：同一笔贷款只能选一项申报。"


def test_a_figure_quoted_beside_the_thing_asked_does_not_stand_for_the_figure_of_that_thing():
    from assistant.answer.extractive import FIGURE_MARGIN, Passage, figure_cover, pick_sentences
    from assistant.retrieval.answer_type import wanted

    idf = {"乙类": 3.0, "证书": 2.0, "乙类证书": 3.5, "有效期": 2.5, "收费": 1.5, "窗口": 2.0, "服务": 1.0, "期限": 1.5,
           "登记": 1.0, "机构": 1.0, "颁发": 2.0, "计算": 1.0}
    question = "乙类证书的有效期是几年？"
    about = "乙类证书的有效期为五年，自颁发之日起计算。"
    passages = [
        Passage(n=1, text="乙类证书由登记机构统一制作，载明有效期和登记事项。", rank=0),
        # a duration in years, in a sentence about the certificate, but its own clause is about the service window
        Passage(n=2, text="乙类证书有效期内申请变更的，每件收费200元，窗口服务期限为3年。", rank=1),
        Passage(n=3, text=about, rank=2),
    ]
    weights = {t: idf[t] for t in ("乙类证书", "乙类", "证书", "有效期")}
    kinds = wanted(question)
    assert figure_cover(about, kinds, weights) >= FIGURE_MARGIN and figure_cover(passages[1].text, kinds, weights) == 0.0
    texts = [p.text for p in pick_sentences(question, passages, idf)]
    assert about in texts
    # the figure quoted first is already about the thing asked: no second figure comes along
    said = Passage(n=2, text="乙类证书有效期内申请变更的，每件收费200元，乙类证书的有效期届满前3年内可以续展。", rank=1)
    texts = [p.text for p in pick_sentences(question, [passages[0], said, passages[2]], idf)]
    assert about not in texts
    # a calendar date (自2011年1月1日起施行) says when, not how long; what is shown with a quote (an article's title
    # naming the thing) counts as said about its figure
    kinds, subject = wanted("丙类登记要多久？"), {"丙类": 3.0, "登记": 1.0}
    dated = "丙类登记办法自2011年1月1日起施行，有效期至2028年6月30日。"
    assert figure_cover(dated, kinds, subject, dates=False) == 0.0 < figure_cover(dated, kinds, subject)
    assert figure_cover("丙类登记的有效期为五年。", kinds, subject) == 1.0
    rule = "登记机构自受理之日起10个工作日内完成审查。"
    assert figure_cover(rule, kinds, subject) < figure_cover(rule, kinds, subject, context=frozenset({"丙类", "登记", "办法"})) == 1.0

    # in the composer: after a figure of another thing, a lower passage's date of entry into force, or a worked
    # example's made-up case, is no figure of the thing asked — the article stating it is
    dated = Passage(n=4, text="乙类证书管理办法自2011年1月1日起施行。", rank=2)
    example = Passage(n=5, text="计算示例：某企业的乙类证书有效期为三年。", rank=3)
    texts = [p.text for p in pick_sentences(question, [*passages[:2], dated, example, Passage(n=3, text=about, rank=4)], idf)]
    assert dated.text not in texts and example.text not in texts and about in texts
    # asked when, a date is the figure asked
    due = Passage(n=4, text="乙类证书换发申请于2025年3月31日截止。", rank=2)
    texts = [p.text for p in pick_sentences("乙类证书换发什么时候截止？", [*passages[:2], due], {**idf, "换发": 3.0, "截止": 2.0})]
    assert due.text in texts

