"""校验一个 tasks 开发集（tasks_*.jsonl）：JSON 合法、id 连续唯一、evidence/facts 在引用文件文本中（忽略空白）、
multi 的 facts 为各部分并集，calculation 有以元计的 expected 与写在 note 里的算式。用法：python evals/validate_tasks_set.py evals/questions_tasks_dev6"""
import json, os, re, sys, glob
ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "corpus")

def norm(s): return re.sub(r"\s+", "", s)

def document_text(f):
    """A document's text as pypdf / python-docx / the file's own encoding (UTF-8, else GB18030) give it."""
    import pypdf, docx
    if f.endswith(".pdf"):
        return "\n".join(p.extract_text() or "" for p in pypdf.PdfReader(f).pages)
    if f.endswith(".docx"):
        d = docx.Document(f)
        t = "\n".join(p.text for p in d.paragraphs)
        for tb in d.tables:
            for r in tb.rows: t += "\n" + " | ".join(c.text for c in r.cells)
        return t
    raw = open(f, "rb").read()
    try: return raw.decode("utf-8")
    except UnicodeDecodeError: return raw.decode("gb18030")

def load_texts():
    texts, status = {}, {}
    for f in glob.glob(f"{ROOT}/policies/*") + [f"{ROOT}/faq/faq-service-center.md"]:
        if f.endswith(".meta.yaml"): continue
        base = os.path.splitext(os.path.basename(f))[0]
        t = document_text(f)
        meta = f + ".meta.yaml"
        m = open(meta, encoding="utf-8").read() if os.path.exists(meta) else t[:600]
        st = re.search(r"status:\s*(\S+)", m)
        status[base] = st.group(1) if st else "?"
        texts[base] = norm(t)
    for f in glob.glob(f"{ROOT}/products/*.yaml"):
        t = open(f, encoding="utf-8").read()
        m = re.search(r"^id:\s*(\S+)", t, re.M)
        if m:
            texts["product:" + m.group(1)] = norm(t); status["product:" + m.group(1)] = "现行有效"
    return texts, status

NON_CURRENT = ("已失效", "已废止", "已被替代")


def subsidy_names():
    """The subsidy rules' ids and names (corpus/products/subsidies.yaml): a record lists ids, an answer shows names."""
    text = open(f"{ROOT}/products/subsidies.yaml", encoding="utf-8").read()
    return dict(re.findall(r"- id:\s*(\S+)\s*\n\s*name:\s*(\S+)", text))


def record_forms(evidence):
    """A product record's values as an answer shows them: 0.55 → 55%, min: 3.4 → 3.4%, days_to_loan: 15 → 15个工作日,
    term_months max 36 → 36个月, a subsidy id → its name."""
    forms = {f"{round(float(x) * 100, 1):g}%" for x in re.findall(r"(?<![\d.])0\.\d+", evidence)}
    forms |= {f"{x}%" for x in re.findall(r"(?:min|max):\s*(\d+(?:\.\d+)?)", evidence) if "term_months" not in evidence}
    forms |= {f"{x}个月" for x in re.findall(r"term_months:.*?max:\s*(\d+)", evidence)}
    forms |= {name for sid, name in subsidy_names().items() if "subsidies:" in evidence and re.search(rf"\b{re.escape(sid)}\b", evidence)}
    return forms | {f"{x}个工作日" for x in re.findall(r"days_to_loan:\s*(\d+)", evidence)}


def gold_errors(r, texts, status):
    """Each gold document known and current, its evidence in its text, each fact in an evidence and a cited file
    (a product record's value may be given as an answer shows it)."""
    rid, errs = r["id"], []
    docs = [g["doc_id"] for g in r["gold"]]
    for g in r["gold"]:
        d = g["doc_id"]
        if d not in texts: errs.append(f"{rid}: unknown doc {d}"); continue
        if status.get(d) in NON_CURRENT: errs.append(f"{rid}: cites non-current doc {d}")
        if norm(g["evidence"]) not in texts[d]: errs.append(f"{rid}: evidence not found in {d}: {g['evidence'][:30]}")
    shown = set().union(*(record_forms(g["evidence"]) for g in r["gold"] if g["doc_id"].startswith("product:")))
    for f in r["facts"]:
        nf = norm(f)
        if nf in shown:
            continue
        if not any(nf in norm(g["evidence"]) for g in r["gold"]):
            errs.append(f"{rid}: fact not in any evidence: {f}")
        if not any(nf in texts.get(d, "") for d in docs):
            errs.append(f"{rid}: fact not in cited files: {f}")
    return errs


def multi_errors(r):
    """Two to four parts, at most one unanswerable, facts only on answerable parts, the question's facts their union."""
    rid, errs, parts = r["id"], [], r.get("parts") or []
    if not 2 <= len(parts) <= 4: errs.append(f"{rid}: {len(parts)} parts")
    if sum(not p["answerable"] for p in parts) > 1: errs.append(f"{rid}: >1 unanswerable part")
    for p in parts:
        if not p.get("text"): errs.append(f"{rid}: a part without its text")
        if bool(p["facts"]) != p["answerable"]: errs.append(f"{rid}: part facts do not match answerable")
    union = list(dict.fromkeys(f for p in parts for f in p["facts"]))
    if set(union) != set(r["facts"]): errs.append(f"{rid}: facts != union of parts")
    return errs


def expected_errors(r):
    """A calculation's expected figure: a number, in 元."""
    exp = r.get("expected")
    if not isinstance(exp, dict) or type(exp.get("value")) not in (int, float):
        return [f"{r['id']}: calculation needs numeric expected.value"]
    return [] if exp.get("unit") == "元" else [f"{r['id']}: expected.unit must be 元"]


def main(directory):
    """Check the one tasks_*.jsonl in ``directory``; ids run t<N>-001… by the set's own prefix."""
    texts, status = load_texts()
    (path,) = glob.glob(os.path.join(directory, "tasks_*.jsonl"))
    errs = []; rows = []
    with open(path, encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            try: rows.append(json.loads(line))
            except Exception as e: errs.append(f"line {n}: bad JSON {e}")
    ids = [r["id"] for r in rows]
    prefix = ids[0].split("-")[0] if ids else "t"
    if ids != [f"{prefix}-{i:03d}" for i in range(1, len(rows) + 1)]: errs.append(f"ids not consecutive {prefix}-001..")
    if len(set(ids)) != len(ids): errs.append("duplicate ids")
    for r in rows:
        rid = r["id"]
        for k in ("id", "question", "kind", "type", "history", "gold", "facts", "note"):
            if k not in r: errs.append(f"{rid}: missing {k}")
        errs += gold_errors(r, texts, status)
        if r["kind"] == "yes_no":
            if r.get("verdict") not in ("是", "否"): errs.append(f"{rid}: bad verdict")
            if r["type"] != "fact": errs.append(f"{rid}: type")
            if not r["facts"]: errs.append(f"{rid}: yes_no without facts")
        elif r["kind"] == "multi":
            if r["type"] != "multi": errs.append(f"{rid}: type")
            errs += multi_errors(r)
        elif r["kind"] == "calculation":  # the figure asked, in 元, with the working in the note; facts may be empty
            if r["type"] != "numeric": errs.append(f"{rid}: type")
            errs += expected_errors(r)
            if not r["note"].strip(): errs.append(f"{rid}: calculation needs working in note")
        elif r["kind"] == "comparison":  # two or more products' records, each cited
            if len(r.get("products") or []) < 2: errs.append(f"{rid}: comparison needs >=2 products")
            if {f"product:{p}" for p in r.get("products") or []} - {g["doc_id"] for g in r["gold"]}: errs.append(f"{rid}: product without gold")
            if not r["facts"]: errs.append(f"{rid}: comparison without facts")
        elif r["kind"] == "stale":  # the current figure as facts, the outdated one it must not present as current
            if not r["facts"] or not r.get("stale"): errs.append(f"{rid}: stale needs facts and stale")
        else:
            errs.append(f"{rid}: bad kind")
    yn = [r for r in rows if r["kind"] == "yes_no"]; mu = [r for r in rows if r["kind"] == "multi"]
    ca = [r for r in rows if r["kind"] == "calculation"]
    other = {k: sum(r["kind"] == k for r in rows) for k in ("comparison", "stale") if any(r["kind"] == k for r in rows)}
    print(f"rows={len(rows)} yes_no={len(yn)} (是={sum(r['verdict']=='是' for r in yn)}, 否={sum(r['verdict']=='否' for r in yn)}) "
          f"multi={len(mu)} (含不可答部分={sum(any(not p['answerable'] for p in r['parts']) for r in mu)})"
          + (f" calculation={len(ca)}" if ca else "") + "".join(f" {k}={n}" for k, n in other.items()))
    from collections import Counter
    print("docs:", dict(Counter(g["doc_id"] for r in rows for g in {x["doc_id"]: x for x in r["gold"]}.values())))
    print("ERRORS:" if errs else "OK: all checks passed", *errs, sep="\n")
    return 1 if errs else 0

if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
