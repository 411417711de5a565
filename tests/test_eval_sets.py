"""Every question set's labels hold against the sample index: a gold passage that no chunk contains would
silently count as a retrieval miss (or drop the question from recall) in every report."""

from pathlib import Path

import pytest

from assistant.evaluation.dataset import PRODUCT, gold_parts, load_questions, product_problems
from assistant.index.snapshot import get_snapshot

# A set about documents outside the corpus names them in a DOCS file (`assistant eval --docs …` ingests them; its
# report lists any label problem): the sample index cannot hold its gold.
SETS = sorted(p for p in (Path(__file__).resolve().parents[1] / "evals").glob("questions*") if p.is_dir() and not (p / "DOCS").exists())


@pytest.mark.parametrize("directory", SETS, ids=[p.name for p in SETS])
def test_every_gold_passage_is_in_the_index(sample_settings, directory):
    questions = load_questions(directory)
    assert questions and len({q.id for q in questions}) == len(questions)
    parts, problems = gold_parts(questions, get_snapshot(sample_settings).chunks)
    assert problems == []
    assert product_problems(questions, sample_settings.corpus_dir / "products") == []
    answerable = [q for q in questions if q.answerable and q.gold]
    passages = [q for q in answerable if not any(g.doc_id.startswith(PRODUCT) for g in q.gold)]
    assert all(len(parts[q.id]) == len(q.gold) for q in passages)
    # a key fact must be something the gold passages can actually show; a task question's facts are what its answer
    # must say (a computed figure, a record's value, a verdict's rule), scored by its kind (evaluation/kinds.py)
    for q in passages:
        if q.kind:
            continue
        texts = "".join(c["text"] for c in get_snapshot(sample_settings).chunks if any(c["id"] in p for p in parts[q.id]))
        assert all(f.replace(" ", "") in texts.replace(" ", "").replace("％", "%") for f in q.facts), q.id


def test_retrieval_is_scored_as_ask_retrieves_for_a_question_about_an_old_policy(sample_settings):
    """A question that points at the past (2018年…暂行办法) searches expired documents in ask(); its retrieval must be
    scored the same way even when its set types it “numeric”, not “expired”."""
    from assistant.evaluation.dataset import Gold, Question
    from assistant.evaluation.runner import evaluate_config
    from assistant.retrieval.search import SearchConfig

    q = Question(id="old-1", question="2018年西安出的科技型中小企业贷款贴息暂行办法，那时候贴利息的几成？", type="numeric",
                 gold=[Gold(doc_id="xa-loan-interest-2018", evidence="贴息金额为12.93万元×20%")], facts=["20%"])
    parts, problems = gold_parts([q], get_snapshot(sample_settings).chunks)
    assert problems == []
    result = evaluate_config(sample_settings, SearchConfig.from_settings(sample_settings), [q], parts)
    assert result.metrics["recall@10"] == 1.0


def test_a_day_count_is_carried_by_the_same_count_of_working_days_and_by_nothing_else():
    from assistant.evaluation.dataset import has_fact, has_facts

    assert has_fact("一般5个工作日内放款。", "5天")
    assert has_fact("一般 5 天内放款", "5天")
    assert not has_fact("一般15个工作日内放款。", "5天")  # 15 is not 5
    assert not has_fact("一般6个工作日内放款。", "5天")
    assert not has_fact("期限5个月", "5天")
    assert not has_fact("一般5个工作日内放款", "5个月")  # only a day count reads working days
    assert has_facts("额度300万元；一般7个工作日内放款", ["300万", "7天"])
    assert not has_facts("额度300万元", ["300万", "7天"])
    assert has_fact("可叠加：陕西省“秦科保”保费补贴", "秦科保保费补贴")  # quoting a name changes no fact
    assert not has_fact("可叠加：秦科保", "秦科保保费补贴")
    assert has_fact("全流程一般需要20—30个工作日", "20至30个工作日")  # a range, however its ends are joined
    assert not has_fact("全流程一般需要20个工作日", "20至30个工作日")


def test_an_outdated_figure_counts_as_current_only_where_its_sentence_does_not_say_it_is_outdated():
    from assistant.evaluation.kinds import stale_as_current

    assert stale_as_current("单户本金不超过500万元。", ["500万"])
    assert not stale_as_current("那是旧办法的规定（单户本金不超过500万元），该办法已于2023年6月30日废止。", ["500万"])
    assert not stale_as_current("原办法单户不超过500万元，已被新办法替代。", ["500万"])


def test_a_set_whose_documents_are_missing_says_so_in_chinese(tmp_path, sample_settings):
    from typer.testing import CliRunner

    from assistant.cli import app

    root = tmp_path / "repo"
    directory = root / "evals" / "questions_other"
    directory.mkdir(parents=True)
    (directory / "DOCS").write_text("../elsewhere/regulations\n", encoding="utf-8")
    (directory / "a.jsonl").write_text('{"id": "x-1", "question": "质权何时设立？", "facts": ["登记"]}\n', encoding="utf-8")
    env = {"ASSISTANT_DATA_DIR": str(sample_settings.data_dir), "ASSISTANT_CORPUS_DIR": str(sample_settings.corpus_dir)}
    for command in (["fit-ranker", "--set", str(directory)], ["eval", "--questions", str(directory)]):
        result = CliRunner().invoke(app, command, env=env)
        assert result.exit_code != 0
        assert "所需的文档不存在" in result.output and "regulations" in result.output
        assert "Traceback" not in result.output and "无扩展名" not in result.output


def test_a_held_out_sets_report_gives_counts_and_never_its_misses(tmp_path):
    from assistant.evaluation.runner import ConfigResult, EvalResult, is_held_out, render_markdown

    metrics = {f"recall@{k}": 0.5 for k in (1, 5, 10)} | {"mrr@10": 0.5, "ndcg@10": 0.5}
    missed = ConfigResult(metrics=metrics, fact_hit=0.5, refusal=0.5, false_refusal=0.0, latency_ms_p50=1.0,
                          misses=["x-001 [fact] 一个没答上的问题 → 拒答"])
    held = tmp_path / "questions_places_heldout"
    held.mkdir()
    dev = tmp_path / "questions_places_dev"
    dev.mkdir()
    assert is_held_out(held) and is_held_out(held / "set.jsonl") and not is_held_out(dev)
    report = render_markdown(EvalResult("e", 2, 1, 1, {"hybrid+learned": missed}, [], default="hybrid+learned", held_out=True))
    assert "一个没答上的问题" not in report and "0.500" in report and "counts only" in report
    shown = render_markdown(EvalResult("e", 2, 1, 1, {"hybrid+learned": missed}, [], default="hybrid+learned"))
    assert "一个没答上的问题" in shown
