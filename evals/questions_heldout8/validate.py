"""校验 heldout8.jsonl（共用 evals/validate_tasks_set.py）。

共用脚本的 main() 在目录里找 tasks_*.jsonl；本集文件名为 heldout8.jsonl，所以这里只把这一次查找
指向 heldout8.jsonl，其余检查全部沿用共用脚本，不作改动。"""
import glob
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
import validate_tasks_set  # noqa: E402

SET_FILE = os.path.join(HERE, "heldout8.jsonl")
_glob = glob.glob


def _set_glob(pattern, *args, **kwargs):
    if pattern == os.path.join(HERE, "tasks_*.jsonl"):
        return [SET_FILE]
    return _glob(pattern, *args, **kwargs)


if __name__ == "__main__":
    validate_tasks_set.glob.glob = _set_glob
    sys.exit(validate_tasks_set.main(HERE))
