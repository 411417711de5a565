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
# (还有的公司, 还有些 are “some”, not “and also”)
_JOIN = re.compile(r"^(?:另外|还有(?![的些])|此外|再有|再问一下|还想问|顺便问(?:一下|下)?|顺带问(?:一下|下)?|以及|并且|而且|同时)[，,、\s]*")
# “续保呢？”: the part before it, with one thing swapped; it reads against that part, not the frame
_ENDS_NE = r"呢\s*[？?]?$"
_SWAPS = re.compile(_ENDS_NE)
# a part that leans on what came before: short, or pointing back (“那…”, “…呢？”)
_LEANS = re.compile(rf"^(?:那|那么|它|这个|该|其|这|上述|以上|各自|分别|两者|二者|它们)|{_ENDS_NE}")
PART_LINES = 2  # quotes kept from a part's own answer when it completes the whole question's
SHORT_PART = 10  # characters: a part this short borrows the topic of the question before it


def asked(part: str) -> str:
    """What a part asks, without the word that joins it to the part before (“另外，…”, “顺便问下…”)."""
    return _JOIN.sub("", part) or part


def leans_back(part: str) -> bool:
    """A part that leans on what came before: short, or pointing back (“那…”, “各自…”, “…呢？”)."""
    text = asked(part)
    return len(text) <= SHORT_PART or bool(_LEANS.search(text))


def unanswered(parts: list[str], contact: str) -> str:
    """One line for every part the documents do not answer, after what they do answer: the contact said once."""
    return f"关于{'、'.join(f'“{p}”' for p in parts)}：现有政策与产品资料没有载明，建议咨询{contact}。"


def marks_of(text: str) -> set[str]:
    """The citation marks a text carries ([2] → “2”)."""
    return set(_MARK.findall(text))


def unmarked(text: str) -> str:
    """The text without its citation marks ([2])."""
    return _MARK.sub("", text)


def _renumbered(text: str, renumber: dict[int, int]) -> str:
    return _MARK.sub(lambda m: f"[{renumber.get(int(m.group(1)), int(m.group(1)))}]", text)


SAID_BEFORE = 0.9  # share of a line's character pairs already said above that makes it a repetition


def bigrams(text: str) -> set[str]:
    """Character pairs of a text's Chinese characters, digits and percent signs (how far two quotes say the same);
    citation marks ([2]) are not what a quote says."""
    han = "".join(ch for ch in unmarked(text) if "\u4e00" <= ch <= "\u9fff" or ch.isdigit() or ch == "%")
    return {han[i:i + 2] for i in range(len(han) - 1)}


def said_before(line: str, shown: set[str]) -> bool:
    grams = bigrams(line)
    return bool(grams) and len(grams & shown) >= SAID_BEFORE * len(grams)


# a figure with its unit: 30% and 30万元 are two figures. Unlike index.citations' figures, a bare number counts too
# (9:00—12:00 holds figures a restatement must repeat); requiring a unit changed four development answers
_FIGURE = re.compile(r"\d+(?:\.\d+)?\s*(?:[%％倍]|万元|亿元|元|万|亿|个工作日|工作日|个月|日|天|年|件|家|笔)?")
# share of a quote's character pairs said above that, with every figure of it said above, makes it a restatement.
# Measured on the development sets: 0.4–0.6 lose no fact; 0.3 loses one, 0.2 four
RESTATED = 0.5


def figures_of(text: str) -> set[str]:
    return set(_FIGURE.findall(unmarked(text)))


def restates(line: str, shown: set[str], figures_shown: set[str]) -> bool:
    """A quote whose every figure a quote above states, in much the same words (an FAQ entry summing up the article
    quoted above: “审核15个工作日、公示5个工作日…”): it adds nothing but length."""
    figures, grams = figures_of(line), bigrams(line)
    return bool(figures) and figures <= figures_shown and bool(grams) and len(grams & shown) >= RESTATED * len(grams)


def _quotes_within(short: str, long: str) -> bool:
    """Both lines quote the same passage (the same [n]) and the first says nothing the second does not."""
    from assistant.answer.verdict import concluded

    marks, body = _MARK.findall(short), unmarked(short).rstrip("。；;，, ")
    if not (marks and marks == _MARK.findall(long) and len(body) >= 8) or concluded(short):
        return False  # a conclusion (可以：…[2]) quotes its rule, and stays where it leads
    if short.lstrip().startswith("|") or long.lstrip().startswith("|"):
        return False  # a comparison table's row is no quote: it keeps its place in its table
    # a quote cut short in the middle (…；合并后…) says nothing the whole sentence does not
    return body in unmarked(long) or said_before(short, bigrams(long))


def merge(pieces: list[tuple[str, Answer]], contact: str, relevance: Callable[[str, str], float] | None = None,
          leads: str | None = None) -> Answer:
    """One answer from the parts' answers: their lines in order (a line that says again what a line above says is
    left out), each citation numbered once across the parts (the same passage cited by two parts keeps one number).
    ``relevance(part, line)``: how much of what the part asks a line says; a part added to the whole's answer keeps
    its most relevant new lines (in their order), not its first. ``leads``: the part whose conclusion (不能：…) leads the
    answer, when the whole question's quotes do not open on one."""
    from assistant.answer.verdict import concluded

    citations: list[Citation] = []
    number: dict[str, int] = {}
    lines: list[str] = []
    shown: set[str] = set()
    missing: list[str] = []
    conclusion: int | None = None  # the line that concludes the part ``leads`` names
    for part, ans in pieces:
        if ans.refused:
            missing.append(part)
            continue
        renumber: dict[int, int] = {}
        for c in ans.citations:
            key = c.chunk_id or f"{c.doc_id}#{c.n}"
            if key not in number:
                number[key] = len(citations) + 1
                citations.append(c.model_copy(update={"n": number[key]}))
            renumber[c.n] = number[key]
        text = _renumbered(ans.answer, renumber)
        new = []
        for line in text.split("\n"):
            if not line.strip() or line in lines or (lines and said_before(line, shown)):
                continue
            # the same passage quoted by two parts, once cut shorter: the longer quote stands for both
            longer = next((i for i, e in enumerate(lines) if _quotes_within(e, line)), None)
            if longer is not None:
                lines[longer] = line
            elif not any(_quotes_within(line, e) for e in lines):
                new.append(line)
        if (lines or missing) and ans.composer == "extractive":
            # a part added to the whole's answer: the passages that answer it, not their neighbours (a leaning part's
            # search borrows the question's words, and its first quotes may be about another part)
            if relevance is not None and len(new) > PART_LINES:
                best = sorted(range(len(new)), key=lambda i: -relevance(part, new[i]))[:PART_LINES]
                new = [new[i] for i in sorted(best)]
            new = new[:PART_LINES]
        if part == leads and conclusion is None:
            conclusion = next((len(lines) + i for i, line in enumerate(new) if concluded(line)), None)
        lines += new
        for line in new:
            shown |= bigrams(line)
    body = "\n".join(lines)
    if conclusion and not concluded(lines[0]):
        # the first part asks yes or no: its conclusion leads, not the quotes of the whole question
        lines.insert(0, lines.pop(conclusion))
        body, citations = by_appearance("\n".join(lines), citations)
    text, kept = cited_only("\n".join([body, *([unanswered(missing, contact)] if missing else [])]), citations)
    return Answer(answer=text, citations=kept, composer="plan", timings=pieces[0][1].timings)


def by_appearance(text: str, citations: list[Citation]) -> tuple[str, list[Citation]]:
    """The citations renumbered in the order the text first marks them, and the text's marks with them (cited_only
    keeps the citations' order)."""
    first = list(dict.fromkeys(int(m) for m in _MARK.findall(text)))
    ranked = sorted(citations, key=lambda c: first.index(c.n) if c.n in first else len(first) + c.n)
    renumber = {c.n: i + 1 for i, c in enumerate(ranked)}
    return _renumbered(text, renumber), [c.model_copy(update={"n": renumber[c.n]}) for c in ranked]


def cited_only(text: str, citations: list[Citation]) -> tuple[str, list[Citation]]:
    """The citations the text still marks, numbered 1, 2, … in their order, and the text with its marks renumbered to
    match (lines left out of an answer take their citations with them)."""
    used = {int(m) for m in _MARK.findall(text)}
    kept = [c for c in citations if c.n in used]
    renumber = {c.n: i + 1 for i, c in enumerate(kept)}
    return _renumbered(text, renumber), [c.model_copy(update={"n": renumber[c.n]}) for c in kept]


def _adds(own: Answer, said: str) -> bool:
    """The part's own answer says something the answer so far does not: a quote not already said there."""
    shown = bigrams(said)
    return any(line.strip() and not said_before(line, shown) for line in own.answer.split("\n"))


def answer_by_parts(question: str, analysis: QuestionAnalysis, history: list[str] | None, contact: str,
                    ask_part: Callable[[str, list[str]], Answer], whole: Answer,
                    covered: Callable[[str, str], bool], states: Callable[[str, Answer], bool] = lambda _p, _a: True,
                    stated: Callable[[str, str], bool] = lambda _p, _t: False,
                    declines_on: Callable[[str, str | None, str], bool] = lambda _p, _r, _t: False,
                    leans: Callable[[str], bool] = leans_back,
                    relevance: Callable[[str, str], float] | None = None) -> Answer | None:
    """The whole question's answer, completed part by part. Each part is asked on its own, read against what came
    before it when it leans on it (“续保呢？”); its answer is added when it quotes what the whole answer does not
    (the whole question's passages are often all about its first part). A part whose own answer is declined is said
    to be unanswered, unless the whole answer covers it (``covered(part, text)``: a record answer gives every field
    asked, a short part alone may find too little) or already states what it asks (``stated``: saying “not stated”
    under a sentence that states it is worse than saying nothing), unless the check that declined it declines it
    on that answer too (``declines_on``: a live figure, a charge or names still not stated). None when nothing is
    added.

    A declined whole (``whole.refused``) is answered part by part the same way, the declined parts said to be
    unanswered; None when every part is declined too. An answered whole none of whose parts it answers comes back
    marked refused (``decline_reason`` parts_unanswered)."""
    context = [*(history or []), question]
    pieces: list[tuple[str, Answer]] = [] if whole.refused else [(question, whole)]
    said = "" if whole.refused else whole.answer
    for i, part in enumerate(analysis.parts):
        text = asked(part.text)
        if whole.composer == "product" and covered(text, whole.answer):
            context = [*context, part.text]
            continue
        if analysis.frame and analysis.frame not in text and not _SWAPS.search(text):
            # the topic said once before the parts (“秦科保的事：…”) is what this part asks about, not the aspect
            # the part before it asked (续保 in “续保呢？”)
            own = ask_part(f"{analysis.frame}，{text}", list(history or []))
        else:
            # a part that stands on its own words is judged on them: borrowed words would lend it support
            own = ask_part(text, context if leans(text) else list(history or []))
        if i and not own.refused and not states(text, own):  # the first part is what the whole is about
            own = own.model_copy(update={"refused": True})
        if own.refused:
            if whole.refused or declines_on(text, own.decline_reason, said) or not (covered(text, said) or stated(text, said)):
                pieces.append((text, own))
        elif _adds(own, said):
            pieces.append((text, own))
            said = f"{said}\n{own.answer}"
        context = [*context, part.text]
    if whole.refused and (all(a.refused for _p, a in pieces) or pieces[0][1].refused):
        return None  # the first part sets the topic: declined itself, the question stays declined
    if not whole.refused and len(pieces) == 1:
        return None
    if not whole.refused and len(pieces) == len(analysis.parts) + 1 and all(a.refused for _p, a in pieces[1:]):
        # every part declined, none answered by the whole's quotes: they are about the topic and answer nothing asked
        return whole.model_copy(update={"refused": True, "decline_reason": "parts_unanswered"})
    first = analysis.parts[0] if analysis.parts else None
    return merge(pieces, contact, relevance, asked(first.text) if first is not None and first.asks == "yes_no" else None)
