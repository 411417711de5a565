"""A several-part question answered part by part: each part goes through the whole engine on its own (the
calculator, the product records, a verdict, retrieval for that part, the decline checks), read against what came
before it, so a short part (“续保呢？”, “每年什么时候报？”) keeps its topic. A part the documents do not answer is
said to be unanswered while the others are answered; the citations of all parts are numbered once."""

from __future__ import annotations

import re
from collections.abc import Callable

from assistant.answer.analysis import QuestionAnalysis
from assistant.answer.types import Answer, Citation

_MARK = re.compile(r"\[(\d+)\]")
# words that join a part to the one before without lending it a topic (“另外，…”, “还有…”)
_JOIN = re.compile(r"^(?:另外|还有|此外|再有|再问一下|还想问|以及|并且|而且|同时)[，,、\s]*")
# a part that leans on what came before: short, or pointing back (“那…”, “…呢？”)
_LEANS = re.compile(r"^(?:那|那么|它|这个|该|其|这|上述|以上|各自|分别|两者|二者|它们)|呢\s*[？?]?$")
PART_LINES = 2  # quotes kept from a part's own answer when it completes the whole question's
SHORT_PART = 10  # characters: a part this short borrows the topic of the question before it


def leans_back(part: str) -> bool:
    """A part that leans on what came before: short, or pointing back (“那…”, “各自…”, “…呢？”)."""
    text = _JOIN.sub("", part) or part
    return len(text) <= SHORT_PART or bool(_LEANS.search(text))


def unanswered(part: str, contact: str) -> str:
    return f"关于“{part}”：现有政策与产品资料没有载明，建议咨询{contact}。"


def _renumbered(text: str, renumber: dict[int, int]) -> str:
    return _MARK.sub(lambda m: f"[{renumber.get(int(m.group(1)), int(m.group(1)))}]", text)


def merge(pieces: list[tuple[str, Answer]], contact: str) -> Answer:
    """One answer from the parts' answers: their lines in order (a line said twice is said once), each citation
    numbered once across the parts (the same passage cited by two parts keeps one number)."""
    citations: list[Citation] = []
    number: dict[str, int] = {}
    lines: list[str] = []
    for part, ans in pieces:
        if ans.refused:
            lines.append(unanswered(part, contact))
            continue
        renumber: dict[int, int] = {}
        for c in ans.citations:
            key = c.chunk_id or f"{c.doc_id}#{c.n}"
            if key not in number:
                number[key] = len(citations) + 1
                citations.append(c.model_copy(update={"n": number[key]}))
            renumber[c.n] = number[key]
        text = _renumbered(ans.answer, renumber)
        new = [line for line in text.split("\n") if line.strip() and line not in lines]
        if lines and ans.composer == "extractive":
            new = new[:PART_LINES]  # a part added to the whole's answer: the passage that answers it, not its neighbours
        lines += new
    text = "\n".join(lines)
    used = {int(m) for m in _MARK.findall(text)}
    kept = [c for c in citations if c.n in used]
    renumber = {c.n: i + 1 for i, c in enumerate(kept)}
    return Answer(answer=_renumbered(text, renumber), citations=[c.model_copy(update={"n": renumber[c.n]}) for c in kept],
                  composer="plan", timings=pieces[0][1].timings)


def answer_by_parts(question: str, analysis: QuestionAnalysis, history: list[str] | None, contact: str,
                    ask_part: Callable[[str, list[str]], Answer], whole: Answer,
                    covered: Callable[[str, str], bool]) -> Answer | None:
    """The whole question's answer, completed part by part: a part the whole answer leaves uncovered
    (``covered(part, text)`` False) is asked on its own, read against what came before it, and its answer is
    added, or it is said to be unanswered. None when the whole answer covers every part."""
    context = [*(history or []), question]
    pieces: list[tuple[str, Answer]] = [(question, whole)]
    for part in analysis.parts:
        text = _JOIN.sub("", part.text) or part.text
        if not covered(text, whole.answer):
            # a part that stands on its own words is judged on them: borrowed words would lend it support
            pieces.append((text, ask_part(text, context if leans_back(text) else list(history or []))))
        context = [*context, part.text]
    if len(pieces) == 1:
        return None
    return merge(pieces, contact)
