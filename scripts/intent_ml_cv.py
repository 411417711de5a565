"""Experiment: a char n-gram logistic-regression intent classifier versus the rules, and as a fallback for them.

Leave-one-set-out over evals/dialogues, dialogues_heldout, dialogues_heldout2 and dialogues_dev2 (the third held-out
set is never read). Features: the turn's text plus markers for “a recommendation was made earlier” and “the turn
states slots”. Run: PYTHONPATH=. python scripts/intent_ml_cv.py
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline

from assistant.dialogue.intents import classify
from assistant.dialogue.slots import extract
from assistant.evaluation.dialogues import load_dialogues

SETS = ["dialogues", "dialogues_heldout", "dialogues_heldout2", "dialogues_dev2"]


def rows(name: str) -> list[tuple[str, str, str, dict, bool]]:
    out = []
    for d in load_dialogues(Path("evals") / name):
        recommended = False
        for t in d["turns"]:
            slots = extract(t["user"])
            feature = t["user"] + (" ⟨REC⟩" if recommended else "") + (" ⟨SLOTS⟩" if slots else "")
            out.append((feature, t["intent"], t["user"], slots, recommended))
            recommended = recommended or t["intent"] == "matching"
    return out


def _acc(pred: list[str], gold: list[str]) -> float:
    return float(np.mean([p == g for p, g in zip(pred, gold, strict=True)]))


def main() -> None:
    data = {n: rows(n) for n in SETS}
    for test in SETS:
        train = [r for n in SETS if n != test for r in data[n]]
        clf = make_pipeline(TfidfVectorizer(analyzer="char", ngram_range=(1, 3), sublinear_tf=True), LogisticRegression(C=10, max_iter=2000))
        clf.fit([r[0] for r in train], [r[1] for r in train])
        proba = clf.predict_proba([r[0] for r in data[test]])
        best = clf.classes_[np.argmax(proba, axis=1)]
        ml = np.mean([b == r[1] for b, r in zip(best, data[test], strict=True)])
        # names_product=False: the product catalogue is not loaded here, so named-product turns count against the rules
        rules = [classify(r[2], r[3], names_product=False, has_recommendations=r[4]) for r in data[test]]
        hybrid = [b if ru == "policy_question" and p.max() >= 0.7 else ru for ru, b, p in zip(rules, best, proba, strict=True)]
        gold = [r[1] for r in data[test]]
        print(f"{test:20} ML {ml:.3f}  rules {_acc(rules, gold):.3f}  rules+ML fallback (p≥0.7) {_acc(hybrid, gold):.3f}")


if __name__ == "__main__":
    main()
