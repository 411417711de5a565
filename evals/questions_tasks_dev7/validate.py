"""校验 tasks_dev7.jsonl（由 dev6 的 validate.py 及其共用的 evals/validate_tasks_set.py 改来）。

与 dev6 的区别：文件名固定为 tasks_dev7.jsonl，id 前缀固定为 t7；新增 calculation 题型
（type=numeric，须有 expected.value 数值和 expected.unit="元"，facts 可以为空）。
用法：/work/main/.venv/bin/python validate.py
"""
import glob
import json
import os
import re
import sys
from collections import Counter

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.join(HERE, "..", "..", "corpus")
FILE = os.path.join(HERE, "tasks_dev7.jsonl")
PREFIX = "t7"
N_EXPECTED = 40


def norm(s):
    return re.sub(r"\s+", "", s)


def load_texts():
    import pypdf, docx
    texts, status = {}, {}
    for f in glob.glob(f"{ROOT}/policies/*") + [f"{ROOT}/faq/faq-service-center.md"]:
        if f.endswith(".meta.yaml"):
            continue
        base = os.path.splitext(os.path.basename(f))[0]
        if f.endswith(".pdf"):
            t = "\n".join(p.extract_text() for p in pypdf.PdfReader(f).pages)
        elif f.endswith(".docx"):
            d = docx.Document(f)
            t = "\n".join(p.text for p in d.paragraphs)
            for tb in d.tables:
                for r in tb.rows:
                    t += "\n" + " | ".join(c.text for c in r.cells)
        else:
            t = open(f, encoding="utf-8").read()
        meta = f + ".meta.yaml"
        m = open(meta, encoding="utf-8").read() if os.path.exists(meta) else t[:600]
        st = re.search(r"status:\s*(\S+)", m)
        status[base] = st.group(1) if st else "?"
        texts[base] = norm(t)
    for f in glob.glob(f"{ROOT}/products/*.yaml"):
        t = open(f, encoding="utf-8").read()
        m = re.search(r"^id:\s*(\S+)", t, re.M)
        if m:
            texts["product:" + m.group(1)] = norm(t)
            status["product:" + m.group(1)] = "现行有效"
    return texts, status


def main():
    texts, status = load_texts()
    errs, rows = [], []
    with open(FILE, encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            try:
                rows.append(json.loads(line))
            except Exception as e:
                errs.append(f"line {n}: bad JSON {e}")
    ids = [r.get("id") for r in rows]
    if len(rows) != N_EXPECTED:
        errs.append(f"expected {N_EXPECTED} rows, got {len(rows)}")
    if ids != [f"{PREFIX}-{i:03d}" for i in range(1, len(rows) + 1)]:
        errs.append(f"ids not consecutive {PREFIX}-001..")
    if len(set(ids)) != len(ids):
        errs.append("duplicate ids")
    for r in rows:
        rid = r.get("id")
        missing = [k for k in ("id", "question", "kind", "type", "history", "gold", "facts", "note") if k not in r]
        for k in missing:
            errs.append(f"{rid}: missing {k}")
        if missing:
            continue
        docs = [g["doc_id"] for g in r["gold"]]
        if not docs:
            errs.append(f"{rid}: empty gold")
        for g in r["gold"]:
            d = g["doc_id"]
            if d not in texts:
                errs.append(f"{rid}: unknown doc {d}")
                continue
            if status.get(d) in ("已失效", "已废止", "已被替代"):
                errs.append(f"{rid}: cites non-current doc {d}")
            if norm(g["evidence"]) not in texts[d]:
                errs.append(f"{rid}: evidence not found in {d}: {g['evidence'][:30]}")
        for f in r["facts"]:
            nf = norm(f)
            if not any(nf in norm(g["evidence"]) for g in r["gold"]):
                errs.append(f"{rid}: fact not in any evidence: {f}")
            if not any(nf in texts.get(d, "") for d in docs):
                errs.append(f"{rid}: fact not in cited files: {f}")
        if r["kind"] == "yes_no":
            if r.get("verdict") not in ("是", "否"):
                errs.append(f"{rid}: bad verdict")
            if r["type"] != "fact":
                errs.append(f"{rid}: type")
            if not r["facts"]:
                errs.append(f"{rid}: yes_no without facts")
        elif r["kind"] == "multi":
            if r["type"] != "multi":
                errs.append(f"{rid}: type")
            parts = r.get("parts", [])
            if not 2 <= len(parts) <= 4:
                errs.append(f"{rid}: {len(parts)} parts")
            una = [p for p in parts if not p["answerable"]]
            if len(una) > 1:
                errs.append(f"{rid}: >1 unanswerable part")
            for p in una:
                if p["facts"]:
                    errs.append(f"{rid}: unanswerable part has facts")
            for p in parts:
                if p["answerable"] and not p["facts"]:
                    errs.append(f"{rid}: answerable part without facts")
            union = []
            for p in parts:
                for f in p["facts"]:
                    if f not in union:
                        union.append(f)
            if set(union) != set(r["facts"]):
                errs.append(f"{rid}: facts != union of parts")
        elif r["kind"] == "calculation":
            if r["type"] != "numeric":
                errs.append(f"{rid}: type")
            exp = r.get("expected")
            if not isinstance(exp, dict) or not isinstance(exp.get("value"), (int, float)) or isinstance(exp.get("value"), bool):
                errs.append(f"{rid}: calculation needs numeric expected.value")
            elif exp.get("unit") != "元":
                errs.append(f"{rid}: expected.unit must be 元")
            if not r["note"].strip():
                errs.append(f"{rid}: calculation needs working in note")
        else:
            errs.append(f"{rid}: bad kind")
    yn = [r for r in rows if r.get("kind") == "yes_no"]
    mu = [r for r in rows if r.get("kind") == "multi"]
    ca = [r for r in rows if r.get("kind") == "calculation"]
    print(f"rows={len(rows)} yes_no={len(yn)} (是={sum(r.get('verdict') == '是' for r in yn)}, "
          f"否={sum(r.get('verdict') == '否' for r in yn)}) "
          f"multi={len(mu)} (含不可答部分={sum(any(not p['answerable'] for p in r['parts']) for r in mu)}) "
          f"calculation={len(ca)}")
    print("docs:", dict(Counter(g["doc_id"] for r in rows for g in {x["doc_id"]: x for x in r["gold"]}.values())))
    print("ERRORS:" if errs else "OK: all checks passed", *errs, sep="\n")
    return 1 if errs else 0


if __name__ == "__main__":
    sys.exit(main())
