"""Read a short follow-up (“那商标呢？”, “那上限呢？”) against the question before it, so retrieval has a topic."""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

from assistant.retrieval.answer_type import asks_itself, topic_of

_FOLLOW_UP = re.compile(r"^(?:那|那么|它|这个|该|其|还有|另外|上述|以上)|[呢]\s*[？?]?$")


@lru_cache(maxsize=1)
def _swap_groups() -> tuple[re.Pattern[str], ...]:
    text = resources.files("assistant.resources").joinpath("follow_up_swaps.txt").read_text(encoding="utf-8")
    groups = []
    for line in text.splitlines():
        if line.strip() and not line.startswith("#"):
            terms = sorted({t.strip() for t in line.split(",") if t.strip()}, key=len, reverse=True)
            groups.append(re.compile("|".join(map(re.escape, terms))))
    return tuple(groups)


def swap_topic(previous: str, question: str) -> str | None:
    """The previous question with the follow-up's topic swapped in, or None when the follow-up names no topic
    the previous question has a counterpart of (“那软著呢？” after “专利质押在哪登记？” → “软著质押在哪登记？”)."""
    swapped = previous
    for group in _swap_groups():
        new = group.findall(question)
        old = set(group.findall(previous))
        if len(set(new)) == 1 and len(old) == 1 and new[0] not in old:  # one topic for one: else merge the words
            swapped = group.sub(new[0], swapped)
    return swapped if swapped != previous else None


def rewrite_follow_up(question: str, history: list[str] | None) -> str:
    """A short follow-up borrows the previous question's words; when it swaps one topic for another, it borrows
    the previous question with that topic replaced. The previous question may itself be a follow-up."""
    if not history:
        return question
    if len(question) <= 14 or _FOLLOW_UP.search(question):
        previous = rewrite_follow_up(history[-1], history[:-1])
        swapped = swap_topic(previous, question)
        if swapped is not None:
            return f"{swapped} {question}"
        if asks_itself(question):
            # “什么时候申报？” after “担保费补助比例是多少？” asks a new thing of the same topic: the topic is borrowed,
            # not what was asked before (its cue words would pull the earlier answer back)
            previous = topic_of(previous)
        return f"{previous} {question} {question}"  # the follow-up's own words count double
    return question
