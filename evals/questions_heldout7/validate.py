"""校验 heldout7.jsonl（留出集）。

仿照 questions_tasks_dev7/validate.py：语料抽取沿用共用脚本 evals/validate_tasks_set.py 的 load_texts()/norm()，
校验逻辑在此扩展到本集的五类题目：fact（含 type=unanswerable 与带 stale 的陈旧数字陷阱）、yes_no、calculation、multi。
用法：/work/main/.venv/bin/python evals/questions_heldout7/validate.py
"""
import glob
import json
import os
import sys
from collections import Counter

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
from validate_tasks_set import NON_CURRENT, expected_errors, gold_errors, load_texts, multi_errors, norm  # noqa: E402

# 发布会纪要只代表 2021 年发布时的产品要素，本集不拿它当依据，只用来设陈旧数字陷阱。
NOT_AS_GOLD = {"xx-qinchuangyuan-products-2021"}
KINDS = {"fact": {"fact", "unanswerable"}, "yes_no": {"fact"}, "multi": {"multi"}, "calculation": {"numeric"}}
EXPECTED = {"fact": 14, "unanswerable": 10, "yes_no": 8, "calculation": 6, "multi": 6, "stale": 4}


def category(r):
    if r["type"] == "unanswerable":
        return "unanswerable"
    if r.get("stale"):
        return "stale"
    return r["kind"]


def main(directory=HERE):
    texts, status = load_texts()
    (path,) = glob.glob(os.path.join(directory, "heldout7.jsonl"))
    errs, rows = [], []
    with open(path, encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            try:
                rows.append(json.loads(line))
            except Exception as e:  # noqa: BLE001
                errs.append(f"line {n}: bad JSON {e}")
    ids = [r.get("id") for r in rows]
    if ids != [f"h7-{i:03d}" for i in range(1, len(rows) + 1)]:
        errs.append("ids not consecutive h7-001..")
    if len(set(ids)) != len(ids):
        errs.append("duplicate ids")
    corpus_all = "".join(texts.values())

    for r in rows:
        rid = r.get("id", "?")
        missing = [k for k in ("id", "question", "kind", "type", "history", "gold", "facts", "note") if k not in r]
        if missing:
            errs.append(f"{rid}: missing {missing}"); continue
        kind, typ = r["kind"], r["type"]
        if kind not in KINDS or typ not in KINDS[kind]:
            errs.append(f"{rid}: bad kind/type {kind}/{typ}"); continue
        if not isinstance(r["history"], list):
            errs.append(f"{rid}: history must be a list")
        if not r["question"].strip() or not r["note"].strip():
            errs.append(f"{rid}: empty question or note")

        if typ == "unanswerable":
            if r["gold"] or r["facts"]:
                errs.append(f"{rid}: unanswerable must have empty gold and facts")
            for k in ("verdict", "expected", "parts", "stale"):
                if k in r:
                    errs.append(f"{rid}: unanswerable must not carry {k}")
            continue

        if not r["gold"]:
            errs.append(f"{rid}: empty gold")
        errs += gold_errors(r, texts, status)
        errs += [f"{rid}: cites meeting note {g['doc_id']}" for g in r["gold"] if g["doc_id"] in NOT_AS_GOLD]

        if "stale" in r:
            if kind != "fact" or not isinstance(r["stale"], list) or not r["stale"]:
                errs.append(f"{rid}: stale must be a non-empty list on a fact question")
            for s in r["stale"]:
                ns = norm(s)
                if ns not in corpus_all:
                    errs.append(f"{rid}: stale figure not found anywhere in corpus: {s}")
                if any(ns in norm(g["evidence"]) for g in r["gold"]):
                    errs.append(f"{rid}: stale figure appears in gold evidence: {s}")
                if ns in [norm(f) for f in r["facts"]]:
                    errs.append(f"{rid}: stale figure listed as a fact: {s}")

        if kind == "fact":
            if not r["facts"]:
                errs.append(f"{rid}: fact question without facts")
        elif kind == "yes_no":
            if r.get("verdict") not in ("是", "否"):
                errs.append(f"{rid}: bad verdict")
            if not r["facts"]:
                errs.append(f"{rid}: yes_no without facts")
        elif kind == "multi":
            errs += multi_errors(r)
            errs += [f"{rid}: part without text" for p in r.get("parts") or [] if not p.get("text")]
        elif kind == "calculation":
            errs += expected_errors(r)
            if "=" not in r["note"]:
                errs.append(f"{rid}: calculation needs the formula in note")

    cats = Counter(category(r) for r in rows if "kind" in r and "type" in r)
    yn = [r for r in rows if r.get("kind") == "yes_no"]
    mu = [r for r in rows if r.get("kind") == "multi"]
    mu_una = sum(any(not p["answerable"] for p in r.get("parts", [])) for r in mu)
    for c, n in EXPECTED.items():
        if cats.get(c, 0) != n:
            errs.append(f"composition: {c}={cats.get(c, 0)}, expected {n}")
    if mu_una < 2:
        errs.append(f"composition: only {mu_una} multi questions with an unanswerable part")
    print(f"rows={len(rows)} " + " ".join(f"{c}={cats.get(c, 0)}" for c in EXPECTED)
          + f" | yes_no 是={sum(r.get('verdict') == '是' for r in yn)} 否={sum(r.get('verdict') == '否' for r in yn)}"
          + f" | multi 含不可答部分={mu_una}")
    print("docs:", dict(Counter(g["doc_id"] for r in rows for g in {x["doc_id"]: x for x in r.get("gold", [])}.values())))
    print("ERRORS:" if errs else "OK: all checks passed", *errs, sep="\n")
    return 1 if errs else 0


if __name__ == "__main__":
    sys.exit(main())
