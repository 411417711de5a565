"""校验 tasks_dev14.jsonl：先调用共用脚本 evals/validate_tasks_set.py，再检查本集的构成
（30 道是非题，kind yes_no / type fact / category yes_no，是/否各 15；约 6 道反问句；每题有 ask_form、
negative_form，history 为空列表；id 为 t14-001…t14-030），最后计算每道问句与全部语料（去掉空白）的最长公共子串，
要求不超过 12 个字；另外要求每道问句与 dev13 任一问句不共享连续 9 个及以上汉字（只读 dev13 的 question 字段，不打印）。"""
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
from corpus_overlap import blind_yes_no_main  # noqa: E402

if __name__ == "__main__":
    sys.exit(blind_yes_no_main(HERE, "t14", n=30, earlier="dev13"))
