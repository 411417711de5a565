"""校验 tasks_dev9.jsonl（共用 evals/validate_tasks_set.py）。"""
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
from validate_tasks_set import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main(HERE))
