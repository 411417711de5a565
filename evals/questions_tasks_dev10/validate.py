"""校验 tasks_dev10.jsonl：先调用共用脚本 evals/validate_tasks_set.py，再检查本集的构成
（34 道是非题，是/否各 17；16 道多问题，至少 8 道省略主题，4 道含不可答部分；约 5 道反问句），
最后计算每道问句与全部语料（去掉空白）的最长公共子串，要求不超过 13 个字。"""
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
from corpus_overlap import validate  # noqa: E402

MAX_LCS = 13


def composition_errors(rows):
    errs = []
    yn = [r for r in rows if r["kind"] == "yes_no"]
    mu = [r for r in rows if r["kind"] == "multi"]
    if len(rows) != 50: errs.append(f"rows={len(rows)}, want 50")
    if len(yn) != 34: errs.append(f"yes_no={len(yn)}, want 34")
    if sum(r["verdict"] == "是" for r in yn) != 17: errs.append("yes_no verdicts not 17/17")
    neg = sum(bool(r.get("negative_form")) for r in yn)
    if not 4 <= neg <= 6: errs.append(f"negative-form yes_no={neg}, want about 5")
    if len(mu) != 16: errs.append(f"multi={len(mu)}, want 16")
    if sum(bool(r.get("zero_anaphora")) for r in mu) < 8: errs.append("fewer than 8 multi with an implicit topic")
    unans = sum(any(not p["answerable"] for p in r["parts"]) for r in mu)
    if not 3 <= unans <= 5: errs.append(f"multi with an unanswerable part={unans}, want about 4")
    for r in mu:
        for p in r["parts"]:
            if not p["answerable"] and (p["gold"] or p["facts"]):
                errs.append(f"{r['id']}: unanswerable part with gold/facts")
    return errs


if __name__ == "__main__":
    sys.exit(validate(HERE, composition_errors, MAX_LCS))
