"""校验 tasks_dev13.jsonl：先调用共用脚本 evals/validate_tasks_set.py，再检查本集的构成
（30 道是非题，kind yes_no / type fact / category yes_no，是/否各 15；约 6 道反问句；每题有 ask_form、
negative_form，history 为空列表；id 为 t13-001…t13-030），最后计算每道问句与全部语料（去掉空白）的最长公共子串，
要求不超过 12 个字；另外要求每道问句与 dev12 任一问句不共享连续 9 个及以上汉字（只读 dev12 的 question 字段，不打印）。"""
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
from corpus_overlap import validate, yes_no_composition_errors  # noqa: E402

N = 30
MAX_LCS = 12
MAX_CJK_RUN_WITH_DEV12 = 8
DEV12 = os.path.join(os.path.dirname(HERE), "questions_tasks_dev12", "tasks_dev12.jsonl")


def cjk_run_with(a, b):
    """Longest run of consecutive Chinese characters that occurs in both a and b."""
    best = 0
    for i in range(len(a)):
        j = i
        while j < len(a) and re.match(r"[\u4e00-\u9fff]", a[j]):
            j += 1
            if a[i:j] in b:
                best = max(best, j - i)
            else:
                break
    return best


def dev12_errors(rows):
    with open(DEV12, encoding="utf-8") as fh:
        others = [json.loads(line)["question"] for line in fh if line.strip()]
    errs, worst = [], (0, "")
    for r in rows:
        n = max(cjk_run_with(r["question"], q) for q in others)
        if n > worst[0]: worst = (n, r["id"])
        if n > MAX_CJK_RUN_WITH_DEV12: errs.append(f"{r['id']}: shares a run of {n} Chinese characters with a dev12 question")
    print(f"max Chinese-character run shared with dev12 questions: {worst[0]} ({worst[1]})")
    return errs


def composition_errors(rows):
    return yes_no_composition_errors(rows, "t13", n=N) + dev12_errors(rows)


if __name__ == "__main__":
    sys.exit(validate(HERE, composition_errors, MAX_LCS))
