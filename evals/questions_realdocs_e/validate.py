"""Validate this set against the documents its DOCS file names: the shared realdocs validator
(evals/validate_realdocs_set.py)."""
import os, sys
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
from validate_realdocs_set import main  # noqa: E402

main(HERE)
