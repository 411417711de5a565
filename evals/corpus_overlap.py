"""How much of a blind question set's wording comes from the corpus: the longest run of characters each question
shares with every corpus file (policies incl. expired ones and sidecars, FAQ, products), whitespace removed. Shared by
the task sets' validators (a question written in the asker's own words shares little)."""
import glob
import json
import os
import re

from validate_tasks_set import ROOT, document_text, main


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


def lcs_errors(rows, max_lcs):
    sam = SuffixAutomaton(corpus_text())
    errs, worst = [], (0, "", "")
    for r in rows:
        n, sub = sam.lcs(norm(r["question"]))
        if n > worst[0]:
            worst = (n, sub, r["id"])
        if n > max_lcs:
            errs.append(f"{r['id']}: {n}-char substring shared with the corpus: {sub}")
    print(f"max common substring with corpus: {worst[0]} ({worst[2]}: {worst[1]})")
    return errs


def validate(here, composition_errors, max_lcs):
    """The shared checks, then a set's own composition and its overlap with the corpus; the exit status."""
    rc = main(here)
    (path,) = glob.glob(os.path.join(here, "tasks_*.jsonl"))
    with open(path, encoding="utf-8") as fh:
        rows = [json.loads(line) for line in fh]
    errs = composition_errors(rows) + lcs_errors(rows, max_lcs)
    print("set checks:", "ERRORS" if errs else "OK", *errs, sep="\n" if errs else " ")
    return rc or (1 if errs else 0)


def yes_no_composition_errors(rows, prefix, n=40):
    """A blind yes/no set's make-up (tasks dev 11, 12): n yes/no questions with ids {prefix}-001…, 是 and 否 half each,
    about six 反问 (是不是就…) with both verdicts, every row with ask_form, negative_form, note, gold and facts."""
    errs = []
    if len(rows) != n: errs.append(f"rows={len(rows)}, want {n}")
    if [r["id"] for r in rows] != [f"{prefix}-{i:03d}" for i in range(1, n + 1)]:
        errs.append(f"ids are not {prefix}-001..{prefix}-{n:03d}")
    for r in rows:
        rid = r["id"]
        if r.get("kind") != "yes_no" or r.get("type") != "fact" or r.get("category") != "yes_no":
            errs.append(f"{rid}: want kind yes_no, type fact, category yes_no")
        if r.get("history") != []: errs.append(f"{rid}: history must be []")
        if not isinstance(r.get("ask_form"), str) or not r["ask_form"].strip(): errs.append(f"{rid}: missing ask_form")
        if not isinstance(r.get("negative_form"), bool): errs.append(f"{rid}: negative_form must be a bool")
        if not r.get("note", "").strip(): errs.append(f"{rid}: empty note")
        if not r.get("gold") or not r.get("facts"): errs.append(f"{rid}: needs gold and facts")
        if r.get("negative_form") and "是不是就" not in r["question"]: errs.append(f"{rid}: negative form without 是不是就…")
    yes = sum(r.get("verdict") == "是" for r in rows)
    no = sum(r.get("verdict") == "否" for r in rows)
    if (yes, no) != (n // 2, n // 2): errs.append(f"verdicts 是={yes} 否={no}, want {n // 2}/{n // 2}")
    neg = [r for r in rows if r.get("negative_form")]
    if not 5 <= len(neg) <= 7: errs.append(f"negative-form questions={len(neg)}, want about 6")
    if neg and not 0 < sum(r["verdict"] == "是" for r in neg) < len(neg):
        errs.append("negative-form questions should have both verdicts")
    print(f"set: rows={len(rows)} 是={yes} 否={no} negative_form={len(neg)} "
          f"(是={sum(r['verdict'] == '是' for r in neg)}, 否={sum(r['verdict'] == '否' for r in neg)})")
    return errs


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


def shared_run_errors(rows, earlier, label, max_run=8):
    """A blind set's questions against an earlier set's (its JSONL, read for the question field only, never printed):
    no run of more than ``max_run`` Chinese characters in common."""
    with open(earlier, encoding="utf-8") as fh:
        others = [json.loads(line)["question"] for line in fh if line.strip()]
    errs, worst = [], (0, "")
    for r in rows:
        n = max(cjk_run_with(r["question"], q) for q in others)
        if n > worst[0]: worst = (n, r["id"])
        if n > max_run: errs.append(f"{r['id']}: shares a run of {n} Chinese characters with a {label} question")
    print(f"max Chinese-character run shared with {label} questions: {worst[0]} ({worst[1]})")
    return errs


def blind_yes_no_main(here, prefix, n=40, earlier=None, max_lcs=12):
    """A blind yes/no set's whole check (tasks dev 11–13): the shared checks, its make-up, no run of more than 12
    characters shared with the corpus and, given the earlier set's folder name, none of 9 with that set's questions."""
    def composition_errors(rows):
        errs = yes_no_composition_errors(rows, prefix, n=n)
        if earlier:
            path = os.path.join(os.path.dirname(here), f"questions_tasks_{earlier}", f"tasks_{earlier}.jsonl")
            errs += shared_run_errors(rows, path, earlier)
        return errs

    return validate(here, composition_errors, max_lcs)

