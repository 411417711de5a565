"""校验 tasks_dev10.jsonl：先调用共用脚本 evals/validate_tasks_set.py，再检查本集的构成
（34 道是非题，是/否各 17；16 道多问题，至少 8 道省略主题，4 道含不可答部分；约 5 道反问句），
最后计算每道问句与全部语料（去掉空白）的最长公共子串，要求不超过 13 个字。"""
import glob
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
from validate_tasks_set import ROOT, document_text, main  # noqa: E402

MAX_LCS = 13


def norm(s):
    return re.sub(r"\s+", "", s)


def corpus_text():
    """All corpus files (policies incl. expired ones and sidecars, FAQ, products), whitespace removed."""
    parts = []
    for f in sorted(glob.glob(os.path.join(ROOT, "**", "*"), recursive=True)):
        if not os.path.isfile(f):
            continue
        t = open(f, encoding="utf-8").read() if f.endswith(".yaml") else document_text(f)
        parts.append(norm(t))
    return "\x01".join(parts)


class SuffixAutomaton:
    def __init__(self, text):
        self.next, self.link, self.len = [{}], [-1], [0]
        last = 0
        for ch in text:
            cur = len(self.len)
            self.next.append({}); self.len.append(self.len[last] + 1); self.link.append(0)
            p = last
            while p != -1 and ch not in self.next[p]:
                self.next[p][ch] = cur; p = self.link[p]
            if p != -1:
                q = self.next[p][ch]
                if self.len[p] + 1 == self.len[q]:
                    self.link[cur] = q
                else:
                    cl = len(self.len)
                    self.next.append(dict(self.next[q])); self.len.append(self.len[p] + 1); self.link.append(self.link[q])
                    while p != -1 and self.next[p].get(ch) == q:
                        self.next[p][ch] = cl; p = self.link[p]
                    self.link[q] = cl; self.link[cur] = cl
            last = cur

    def lcs(self, s):
        v = l = best = 0
        sub = ""
        for i, ch in enumerate(s):
            while v and ch not in self.next[v]:
                v = self.link[v]; l = self.len[v]
            if ch in self.next[v]:
                v = self.next[v][ch]; l += 1
            if l > best:
                best, sub = l, s[i - l + 1:i + 1]
        return best, sub


def composition_errors(rows):
    errs = []
    yn = [r for r in rows if r["kind"] == "yes_no"]
    mu = [r for r in rows if r["kind"] == "multi"]
    if len(rows) != 50: errs.append(f"rows={len(rows)}, want 50")
    if len(yn) != 34: errs.append(f"yes_no={len(yn)}, want 34")
    if sum(r["verdict"] == "是" for r in yn) != 17: errs.append("yes_no verdicts not 17/17")
    neg = sum(bool(r.get("negative_form")) for r in yn)
    if not 4 <= neg <= 6: errs.append(f"negative-form yes_no={neg}, want about 5")
    if len(mu) != 16: errs.append(f"multi={len(mu)}, want 16")
    if sum(bool(r.get("zero_anaphora")) for r in mu) < 8: errs.append("fewer than 8 multi with an implicit topic")
    unans = sum(any(not p["answerable"] for p in r["parts"]) for r in mu)
    if not 3 <= unans <= 5: errs.append(f"multi with an unanswerable part={unans}, want about 4")
    for r in mu:
        for p in r["parts"]:
            if not p["answerable"] and (p["gold"] or p["facts"]):
                errs.append(f"{r['id']}: unanswerable part with gold/facts")
    return errs


def lcs_errors(rows):
    sam = SuffixAutomaton(corpus_text())
    errs, worst = [], (0, "", "")
    for r in rows:
        n, sub = sam.lcs(norm(r["question"]))
        if n > worst[0]:
            worst = (n, sub, r["id"])
        if n > MAX_LCS:
            errs.append(f"{r['id']}: {n}-char substring shared with the corpus: {sub}")
    print(f"max common substring with corpus: {worst[0]} ({worst[2]}: {worst[1]})")
    return errs


if __name__ == "__main__":
    rc = main(HERE)
    (path,) = glob.glob(os.path.join(HERE, "tasks_*.jsonl"))
    rows = [json.loads(line) for line in open(path, encoding="utf-8")]
    errs = composition_errors(rows) + lcs_errors(rows)
    print("set checks:", "ERRORS" if errs else "OK", *errs, sep="\n" if errs else " ")
    sys.exit(rc or (1 if errs else 0))
