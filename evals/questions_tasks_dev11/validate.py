"""校验 tasks_dev11.jsonl：先调用共用脚本 evals/validate_tasks_set.py，再检查本集的构成
（40 道是非题，kind yes_no / type fact / category yes_no，是/否各 20；约 6 道反问句；每题有 ask_form、
negative_form，history 为空列表；id 为 t11-001…t11-040），最后计算每道问句与全部语料（去掉空白）的最长公共子串，
要求不超过 12 个字。"""
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
from corpus_overlap import validate  # noqa: E402

MAX_LCS = 12


def composition_errors(rows):
    errs = []
    if len(rows) != 40: errs.append(f"rows={len(rows)}, want 40")
    if [r["id"] for r in rows] != [f"t11-{i:03d}" for i in range(1, 41)]: errs.append("ids are not t11-001..t11-040")
    for r in rows:
        rid = r["id"]
        if r.get("kind") != "yes_no" or r.get("type") != "fact" or r.get("category") != "yes_no":
            errs.append(f"{rid}: want kind yes_no, type fact, category yes_no")
        if r.get("history") != []: errs.append(f"{rid}: history must be []")
        if not isinstance(r.get("ask_form"), str) or not r["ask_form"].strip(): errs.append(f"{rid}: missing ask_form")
        if not isinstance(r.get("negative_form"), bool): errs.append(f"{rid}: negative_form must be a bool")
        if not r.get("note", "").strip(): errs.append(f"{rid}: empty note")
        if not r.get("gold") or not r.get("facts"): errs.append(f"{rid}: needs gold and facts")
        if r.get("negative_form") and "是不是就" not in r["question"]: errs.append(f"{rid}: negative form without 是不是就…")
    yes = sum(r.get("verdict") == "是" for r in rows)
    no = sum(r.get("verdict") == "否" for r in rows)
    if (yes, no) != (20, 20): errs.append(f"verdicts 是={yes} 否={no}, want 20/20")
    neg = [r for r in rows if r.get("negative_form")]
    if not 5 <= len(neg) <= 7: errs.append(f"negative-form questions={len(neg)}, want about 6")
    if neg and not 0 < sum(r["verdict"] == "是" for r in neg) < len(neg):
        errs.append("negative-form questions should have both verdicts")
    print(f"set: rows={len(rows)} 是={yes} 否={no} negative_form={len(neg)} "
          f"(是={sum(r['verdict'] == '是' for r in neg)}, 否={sum(r['verdict'] == '否' for r in neg)})")
    return errs


if __name__ == "__main__":
    sys.exit(validate(HERE, composition_errors, MAX_LCS))
