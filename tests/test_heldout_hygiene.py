"""Held-out hygiene: no run of nine or more Chinese characters that a user typed in a held-out question or dialogue
appears in the package or the tests. Gold evidence is quoted from the corpus and may appear anywhere; what a user
typed may not, or the held-out figures measure memory."""

from __future__ import annotations

import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RUN = 9
_HAN_RUN = re.compile(rf"[\u4e00-\u9fff]{{{RUN},}}")


def _typed(record: dict) -> list[str]:
    """What a user typed: a question and its history, or the user turns of a dialogue."""
    texts = [record.get("question") or "", *record.get("history", [])]
    texts += [t.get("user") or "" for t in record.get("turns", [])]
    return [t for t in texts if t]


def heldout_runs(root: Path) -> dict[str, str]:
    """Every run of RUN Chinese characters in held-out user text, mapped to the set it comes from."""
    runs: dict[str, str] = {}
    for folder in sorted((root / "evals").glob("*heldout*")):
        for file in sorted(folder.glob("*.jsonl")):
            for line in file.read_text(encoding="utf-8").splitlines():
                if not line.strip():
                    continue
                for text in _typed(json.loads(line)):
                    for span in _HAN_RUN.findall(text):
                        for i in range(len(span) - RUN + 1):
                            runs.setdefault(span[i : i + RUN], folder.name)
    return runs


def corpus_text(root: Path) -> str:
    """The corpus's own words (the sample sources the PDFs and DOCX are rendered from, the FAQ, the product records):
    a run that the corpus says is its wording, not the user's."""
    files = [*(root / "scripts" / "sample_sources").glob("*.md"), *(root / "corpus").rglob("*.md"), *(root / "corpus").rglob("*.txt"),
             *(root / "corpus").rglob("*.yaml")]
    return "".join(re.sub(r"\s+", "", f.read_text(encoding="utf-8", errors="ignore")) for f in files)


def leaks(root: Path) -> list[str]:
    corpus = corpus_text(root)
    runs = {run: name for run, name in heldout_runs(root).items() if run not in corpus}
    found = []
    for folder in ("assistant", "tests"):
        for path in sorted((root / folder).rglob("*")):
            if not path.is_file() or path.suffix not in {".py", ".txt", ".yaml", ".yml", ".json", ".jsonl", ".md"}:
                continue
            text = path.read_text(encoding="utf-8", errors="ignore")
            for span in _HAN_RUN.findall(text):
                for i in range(len(span) - RUN + 1):
                    if span[i : i + RUN] in runs:
                        found.append(f"{path.relative_to(root)}: 「{span[i : i + RUN]}」 from {runs[span[i : i + RUN]]}")
                        break
    return found


def test_no_heldout_user_text_in_code_or_tests():
    assert heldout_runs(ROOT), "the held-out sets were not found"
    found = leaks(ROOT)
    assert not found, "held-out user text in code or tests:\n" + "\n".join(found[:20])


def test_the_check_finds_a_planted_copy(tmp_path):
    """The check itself: a held-out sentence copied into a module is found; a shorter fragment is not."""
    (tmp_path / "evals" / "questions_heldout9").mkdir(parents=True)
    (tmp_path / "evals" / "questions_heldout9" / "q.jsonl").write_text(
        json.dumps({"question": "我们公司的专利质押贷款批下来以后贴息多久到账", "history": ["示例前一句话很长很长很长"]}, ensure_ascii=False) + "\n",
        encoding="utf-8")
    (tmp_path / "assistant").mkdir()
    (tmp_path / "tests").mkdir()
    (tmp_path / "assistant" / "short.py").write_text('CUE = "贴息多久到账"\n', encoding="utf-8")
    assert leaks(tmp_path) == []
    (tmp_path / "tests" / "copied.py").write_text('Q = "问：专利质押贷款批下来以后贴息多久？"\n', encoding="utf-8")
    assert leaks(tmp_path) == ["tests/copied.py: 「专利质押贷款批下来」 from questions_heldout9"]
