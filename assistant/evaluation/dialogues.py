"""Dialogue eval: scripted multi-turn conversations (evals/dialogues/*.jsonl) with expected intents and slots.

Reported: intent accuracy over turns; slot precision / recall / F1 over (turn, slot, value) triples, values
compared after normalisation (amounts within 0.5%); dialogue success = every intent and slot of the dialogue
right, the firm's profile at the end as labelled (``final.profile``: what the firm said about itself, after its
corrections and negations; reported on its own as profile accuracy over fields) and, when a recommendation is expected, one was made and every product the labeller found eligible for the
firm as described is eligible on the profile the dialogue built.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from assistant.dialogue.manager import DialogueManager
from assistant.products.catalog import catalog_for
from assistant.products.matcher import match_one
from assistant.settings import Settings


def load_dialogues(directory: Path) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for path in sorted(directory.glob("*.jsonl")):
        rows += [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return rows


# How two labellers may write the same use or trade (“做临床试验” / “临床试验”, “买一批测试设备” / “买测试设备”).
_WORDING = re.compile(r"^(?:做|搞|从事)|一批|一条|一台|一套|一些|一部分|点儿|的|\s")


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, str) and isinstance(b, str):
        return a == b or _WORDING.sub("", a) == _WORDING.sub("", b)
    if isinstance(a, int | float) and isinstance(b, int | float) and not isinstance(a, bool) and not isinstance(b, bool):
        return abs(a - b) <= 0.005 * max(abs(a), abs(b), 1)
    if isinstance(a, list) and isinstance(b, list):
        return sorted(a) == sorted(b)
    return a == b


# The qualifications the dialogue sets are labelled with; others the extractor knows (瞪羚企业, 专精特新小巨人) are
# outside what a labeller could write, so lists are compared on these.
LABELLED_QUALIFICATIONS = {"高新技术企业", "科技型中小企业", "专精特新"}


def _same_fact(a: Any, b: Any, key: str = "") -> bool:
    """Profile values compared as facts: IP items by (type, number) and the attributes the label states."""
    if key == "qualifications" and isinstance(a, list) and isinstance(b, list):
        return set(a) & LABELLED_QUALIFICATIONS == set(b) & LABELLED_QUALIFICATIONS
    if isinstance(a, list) and isinstance(b, list) and all(isinstance(x, dict) for x in a + b):
        got = {(x.get("type"), x.get("number")): x for x in a}
        return len(a) == len(b) and all(
            (y.get("type"), y.get("number")) in got and all(_same(got[(y.get("type"), y.get("number"))].get(k), v) for k, v in y.items())
            for y in b
        )
    return _same(a, b)


@dataclass
class DialogueReport:
    dialogues: int = 0
    turns: int = 0
    intent_ok: int = 0
    slot_tp: int = 0
    slot_fp: int = 0
    slot_fn: int = 0
    success: int = 0
    profile_fields: int = 0
    profile_ok: int = 0
    failures: list[str] = field(default_factory=list)

    def summary(self) -> dict[str, float]:
        p = self.slot_tp / (self.slot_tp + self.slot_fp) if self.slot_tp + self.slot_fp else 1.0
        r = self.slot_tp / (self.slot_tp + self.slot_fn) if self.slot_tp + self.slot_fn else 1.0
        return {
            "dialogues": self.dialogues, "turns": self.turns,
            "intent_accuracy": round(self.intent_ok / self.turns, 4) if self.turns else 0.0,
            "slot_precision": round(p, 4), "slot_recall": round(r, 4), "slot_f1": round(2 * p * r / (p + r), 4) if p + r else 0.0,
            "dialogue_success": round(self.success / self.dialogues, 4) if self.dialogues else 0.0,
            "profile_fields": self.profile_fields,
            "profile_accuracy": round(self.profile_ok / self.profile_fields, 4) if self.profile_fields else 1.0,
        }


def run_dialogues(settings: Settings, dialogues: list[dict[str, Any]]) -> DialogueReport:
    rep = DialogueReport()
    for d in dialogues:
        manager = DialogueManager(settings)
        ok = True
        recommended: set[str] = set()
        for i, turn in enumerate(d["turns"], start=1):
            result = manager.turn(turn["user"])
            rep.turns += 1
            recommended |= {m["product_id"] for m in result.matches}
            if result.intent == turn["intent"]:
                rep.intent_ok += 1
            else:
                ok = False
                rep.failures.append(f"{d['id']}#{i} intent {result.intent} ≠ {turn['intent']}: {turn['user']}")
            got = {k: v for k, v in result.slots.items() if k != "founded_month"}
            expected = turn.get("slots", {})
            for key, value in expected.items():
                if key in got and _same_fact(got[key], value, key):
                    rep.slot_tp += 1
                else:
                    rep.slot_fn += 1
                    ok = False
                    rep.failures.append(f"{d['id']}#{i} slot {key}: got {got.get(key)!r}, expected {value!r}: {turn['user']}")
            for key, value in got.items():
                if key not in expected or not _same_fact(value, expected[key], key):
                    if key not in expected:
                        rep.failures.append(f"{d['id']}#{i} extra slot {key}={value!r}: {turn['user']}")
                    rep.slot_fp += 1
                    ok = False
        final = d.get("final", {})
        ended = {k: v for k, v in manager.session.slots.items() if k != "founded_month"}
        for key, value in (final.get("profile") or {}).items():
            rep.profile_fields += 1
            if key in ended and _same_fact(ended[key], value, key):
                rep.profile_ok += 1
            else:
                ok = False
                rep.failures.append(f"{d['id']} final profile {key}: got {ended.get(key)!r}, expected {value!r}")
        if final.get("expect_recommendation"):
            # Right recommendation: one was made, and the products the labeller found eligible for the firm as
            # described are judged eligible by the matcher on the profile the dialogue built.
            if not recommended:
                ok = False
                rep.failures.append(f"{d['id']} no recommendation was made")
            profile = manager._profile()
            if final.get("eligible_any") and profile is not None:
                catalog = {p.id: p for p in catalog_for(settings)}
                wrong = [pid for pid in final["eligible_any"] if pid in catalog and match_one(catalog[pid], profile).eligible is not True]
                if wrong:
                    ok = False
                    rep.failures.append(f"{d['id']} expected eligible but not: {wrong}")
        rep.dialogues += 1
        rep.success += ok
    return rep


def render(rep: DialogueReport) -> str:
    s = rep.summary()
    lines = [
        "# 多轮对话评测报告 / Dialogue eval", "",
        f"- 对话 dialogues: {s['dialogues']}，轮次 turns: {s['turns']}", "",
        "| metric | value |", "|---|---|",
        f"| intent accuracy | {s['intent_accuracy']:.3f} |",
        f"| slot precision | {s['slot_precision']:.3f} |",
        f"| slot recall | {s['slot_recall']:.3f} |",
        f"| slot F1 | {s['slot_f1']:.3f} |",
        f"| dialogue success | {s['dialogue_success']:.3f} |",
    ]
    if s["profile_fields"]:
        lines.insert(-1, f"| final profile accuracy ({s['profile_fields']} fields) | {s['profile_accuracy']:.3f} |")
    if rep.failures:
        lines += ["", "## 未通过 / failures", ""] + [f"- {f}" for f in rep.failures]
    return "\n".join(lines) + "\n"
