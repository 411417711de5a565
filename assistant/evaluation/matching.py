"""Matcher eval on hand-labelled profiles (evals/profiles/*.jsonl) and the batch benchmark.

Each profile labels a subset of products (true / false / null = 需补充) and names the best product among
those it labels true. Reported: precision and recall of the eligible set over the labelled pairs, accuracy
of the three-valued verdict, and top-1 agreement. Labels are evaluated as of ``AS_OF`` (the labelling day).
"""

from __future__ import annotations

import datetime as dt
import json
import random
import statistics
import time
from pathlib import Path
from typing import Any

from assistant.products.matcher import match_one
from assistant.products.schema import Product
from assistant.products.vectorized import batch_verdicts
from assistant.profile.model import Profile

AS_OF = dt.date(2026, 11, 24)


def load_labelled(directory: Path) -> list[dict[str, Any]]:
    rows = []
    for path in sorted(directory.glob("*.jsonl")):
        rows += [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return rows


def evaluate_matcher(catalog: list[Product], labelled: list[dict[str, Any]]) -> dict[str, Any]:
    by_id = {p.id: p for p in catalog}
    tp = fp = fn = agree = pairs = 0
    top1_total = top1_ok = 0
    disagreements = []
    for row in labelled:
        firm = Profile.model_validate(row["profile"])
        results = {}
        for pid, expected in row["expected"].items():
            if pid not in by_id:
                disagreements.append(f"{row['id']}: unknown product {pid}")
                continue
            m = match_one(by_id[pid], firm, AS_OF)
            results[pid] = m
            pairs += 1
            agree += m.eligible == expected
            tp += m.eligible is True and expected is True
            fp += m.eligible is True and expected is not True
            fn += m.eligible is not True and expected is True
            if m.eligible != expected:
                fails = "；".join(r["message"] for r in m.reasons if r["status"] != "pass")
                disagreements.append(f"{row['id']} {pid}: 标注 {expected}，匹配 {m.eligible}（{fails}）")
        if "best" in row:
            top1_total += 1
            eligible = [m for m in results.values() if m.eligible is True]
            predicted = max(eligible, key=lambda m: (m.score, m.product_id)).product_id if eligible else None
            top1_ok += predicted == row["best"]
    return {
        "profiles": len(labelled), "pairs": pairs,
        "precision": tp / (tp + fp) if tp + fp else 1.0, "recall": tp / (tp + fn) if tp + fn else 1.0,
        "verdict_accuracy": agree / pairs if pairs else 0.0, "top1_agreement": top1_ok / top1_total if top1_total else 0.0,
        "disagreements": disagreements,
    }


def synthetic_firms(n: int, seed: int = 11) -> list[Profile]:
    rng = random.Random(seed)
    types = ["发明专利", "实用新型", "商标", "软件著作权"]
    firms = []
    for i in range(n):
        assets = [
            {"type": rng.choice(types), "status": rng.choice(["有效", "有效", "失效"]), "owner": f"企业{i}",
             "expires": (AS_OF + dt.timedelta(days=rng.randint(-200, 5000))).isoformat(), "pledged": rng.random() < 0.1,
             "valuation": float(rng.randint(5, 300)) * 10000}
            for _ in range(rng.randint(0, 6))
        ]
        firms.append(Profile.model_validate({
            "name": f"企业{i}", "region": rng.choice(["西咸新区", "西安市", "宝鸡市", None]),
            "founded": (AS_OF - dt.timedelta(days=rng.randint(100, 5000))).isoformat(), "employees": rng.randint(5, 600),
            "revenue": float(rng.randint(0, 250_000)) * 1000, "debt_ratio": rng.random() * 0.9,
            "qualifications": rng.sample(["科技型中小企业", "高新技术企业", "专精特新"], rng.randint(0, 2)),
            "whitelist": rng.random() < 0.4, "credit_ok": rng.random() < 0.95, "ip_assets": assets,
            "need": {"amount": float(rng.randint(30, 2000)) * 10000, "term_months": rng.choice([6, 12, 24, 36])},
        }))
    return firms


def bench_batch(catalog: list[Product], n: int = 10_000, rounds: int = 3) -> dict[str, Any]:
    firms = synthetic_firms(n)
    times = []
    for _ in range(rounds):
        t = time.perf_counter()
        matrix = batch_verdicts(catalog, firms, AS_OF)
        times.append(time.perf_counter() - t)
    t = time.perf_counter()
    for f in firms[:200]:
        for p in catalog:
            match_one(p, f, AS_OF)
    explained = (time.perf_counter() - t) / 200
    return {
        "firms": n, "products": len(catalog), "batch_seconds_median": round(statistics.median(times), 3),
        "eligible_pairs": int((matrix == 1.0).sum()), "explained_match_ms_per_firm": round(explained * 1000, 2),
    }


def render(result: dict[str, Any], bench: dict[str, Any]) -> str:
    lines = [
        "# 产品匹配评测报告 / Matcher eval", "",
        f"- 标注企业 profiles: {result['profiles']}，标注的企业×产品对 labelled pairs: {result['pairs']}（按 {AS_OF} 评估）",
        "", "| metric | value |", "|---|---|",
        f"| precision (eligible set) | {result['precision']:.3f} |",
        f"| recall (eligible set) | {result['recall']:.3f} |",
        f"| verdict accuracy (符合/需补充/不符合) | {result['verdict_accuracy']:.3f} |",
        f"| top-1 agreement | {result['top1_agreement']:.3f} |",
        "", "## 批量基准 / batch benchmark", "",
        f"- {bench['firms']} 家企业 × {bench['products']} 个产品：{bench['batch_seconds_median']} 秒（numpy 批量判定，中位数）",
        f"- 逐条带解释的匹配：每家企业 {bench['explained_match_ms_per_firm']} 毫秒（36 个产品）",
    ]
    if result["disagreements"]:
        lines += ["", "## 不一致 / disagreements", ""] + [f"- {d}" for d in result["disagreements"]]
    return "\n".join(lines) + "\n"
