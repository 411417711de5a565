"""Whether the firm holds the qualifications a rule's conditions ask for (属于科技型中小企业、高新技术企业或者专精特新中小
企业之一): what the firm says it holds or not, by the one qualification reader (dialogue.slots), against the conditions
of the cited passages that speak of what the question asks about. A part of the policy verdict (answer/verdict.py)."""

from __future__ import annotations

import re
from collections.abc import Mapping

from assistant.answer.extractive import is_item, without_item_mark
from assistant.answer.types import Citation
from assistant.answer.verdict import CONDITIONS_HEAD, LIST_WORDS, Rule, about_of, matter_at, says_any
from assistant.dialogue.numbers import normalise
from assistant.retrieval.answer_type import asks, clause_spans, clauses

# a clause that requires a qualification: in a list of conditions (（二）属于…之一), or by the words right before it
# (属于已入库的…, 须为…); “高新技术企业贴息比例提高10%” names one as a case and “为缓解科技型中小企业融资难” a purpose
_REQUIRES_QUALIFICATION = re.compile(r"(?:属于|限于|须为|应为|应当为|应当是|须是)[^，。；、]{0,8}$")
_QUAL_ALTERNATIVES = re.compile(r"或|之一")
_QUAL_LIST_WORDS = re.compile(LIST_WORDS)
# 从事高新技术产品研发, 高新技术产业: a field, not the qualification
_NOT_THE_TITLE = re.compile(r"^(?:产品|产业|领域|服务|成果|园区|开发区)")
# a hypothesis or a condition (如果评上高企, 是不是必须是高企): the firm neither claims nor denies what it names
_HYPOTHESES = r"如果|假如|要是|若|除了|除|以外|之外|必须|条件|要求"
_HYPOTHESIS = re.compile(_HYPOTHESES)
# … and besides: a step under way, a doubt, a question, what a kind of firm may do (高企能进白名单，那科小能进吗)
_NOT_CLAIMED = re.compile(rf"{_HYPOTHESES}|明年|才|没|未|不|正在|在走|申请|递交|公示|评价|复审|等|吗|是不是|能|可以|确定")
# what may follow the qualification a clause requires (…或者专精特新中小企业之一): the clause says no more of it
# (属于本区重点支持的高新技术企业优先安排 makes it the subject of another measure)
_REQUIRED_END = re.compile(r"^(?:之一|资格|称号|认定)?[；;。.]?$")
# “只有专精特新的牌子”, “只是科小”: the firm holds nothing else
_ONLY_HELD = r"只有|只是|仅有|只拿到|只评上"


def _firm_qualifications(question: str) -> tuple[set[str], set[str], bool]:
    """The qualifications the firm says it holds, those it says it does not, and whether it says it holds only those:
    a holding is claimed in a clause that states it plainly (我们是科小; not 如果评上高企, 高企在走认定程序, 是不是必须是
    高企), a denial wherever the one qualification reader reads one but in a hypothesis."""
    from assistant.dialogue.slots import qualification_mentions, qualification_states
    from assistant.profile import qualifications as quals

    states = qualification_states(question)
    spans = clause_spans(question)
    held: set[str] = set()
    denied: set[str] = set()
    for name, (start, _end) in qualification_mentions(question):
        clause = next((question[a:b] for a, b in spans if a <= start < b), "")
        if states.get(name) is True and not asks(clause) and not _NOT_CLAIMED.search(clause):
            held.add(name)
        elif states.get(name) is False and not _HYPOTHESIS.search(clause):
            denied.add(name)
    spelt = "|".join(re.escape(w) for name in held for w in quals.spellings(name))
    only = bool(spelt) and bool(re.search(rf"(?:{_ONLY_HELD})[^，。；？?]{{0,4}}(?:{spelt})", question))
    return quals.held(held), denied - held, only


def _required_qualifications(clause: str) -> list[str]:
    """The qualifications a rule's clause names as what it requires, at its end (not 科技型企业融资白名单, 高新技术产品)."""
    from assistant.dialogue.slots import qualification_mentions

    mentions = [(n, b) for n, (_a, b) in qualification_mentions(clause) if not _NOT_THE_TITLE.search(clause[b:])]
    if not mentions or not _REQUIRED_END.match(clause[mentions[-1][1]:].strip()):
        return []
    return list(dict.fromkeys(n for n, _b in mentions))


def _in_conditions_list(normal: str, at: int, heads: list[re.Match[str]]) -> bool:
    """The item at ``at`` belongs to a list of conditions: the last list head before it (下列…) is one's."""
    before = list(_QUAL_LIST_WORDS.finditer(normal, 0, max(at, 0)))
    return bool(before) and any(h.start() <= before[-1].start() < h.end() for h in heads)


def qualification_results(question: str, cited: list[Citation], asked: frozenset[str],
                           about: Mapping[str, str]) -> list[tuple[bool, str, int, Rule]]:
    """Whether the firm holds the qualifications a passage's conditions ask for (属于科技型中小企业、高新技术企业或者
    专精特新中小企业之一): each condition is met by one alternative the firm says it holds and failed when it denies
    every one (不是高企，科小也没入库) or holds only others (只有专精特新的牌子). A failed condition decides; met ones
    decide when the firm's words decide every such condition of the passage. The conditions must speak of what the
    question asks about, as a bound must."""
    from assistant.answer.extractive import sentences
    from assistant.profile import qualifications as quals
    from assistant.retrieval.tokenizer import get_tokenizer

    held, denied, only = _firm_qualifications(question)
    if not held and not denied:
        return []
    tok = get_tokenizer()
    for c in cited:
        said_of = about_of(c, about)
        normal = normalise(c.text)
        heads = list(CONDITIONS_HEAD.finditer(normal))
        judged: list[tuple[bool | None, str, list[str]]] = []  # (met, the clause, the qualifications it asks)
        for sentence in sentences(c.text):
            for clause in clauses(sentence):
                required = _required_qualifications(clause)
                stripped = clause.strip()
                if not required or stripped.endswith("的") or without_item_mark(stripped).startswith("对"):
                    continue  # a case (属于高新技术企业的，…提高) or whom a measure is for (对…企业), not a condition
                at = normal.find(normalise(clause))
                listed = is_item(clause) and _in_conditions_list(normal, at, heads)
                first = min((i for r in required for w in quals.spellings(r) if (i := clause.find(w)) >= 0), default=0)
                if not (listed or _REQUIRES_QUALIFICATION.search(clause[:first])):
                    continue
                if len(required) > 1 and not _QUAL_ALTERNATIVES.search(clause):
                    judged.append((None, clause, required))  # several required together: not read here
                    continue
                matter = matter_at(heads, at) if listed else ""  # 申请贴息 of its list head
                if asked and not says_any(asked, set(tok.words(f"{matter} {sentence} {said_of}"))):
                    continue
                if any(r in held for r in required):
                    judged.append((True, clause, required))
                elif all(r in denied or (only and r not in held) for r in required):
                    judged.append((False, clause, required))
                else:
                    judged.append((None, clause, required))  # the firm says nothing of some alternative
        failed = next(((clause, required) for ok, clause, required in judged if ok is False), None)
        if failed is None and not (judged and all(ok for ok, _c, _r in judged)):
            continue
        clause, required = failed or judged[0][1:]
        rule = without_item_mark(clause).strip()
        firm = "、".join(required) if failed else "、".join(r for r in required if r in held)
        said = f"按您所说，企业不属于{firm}，不符合" if failed else f"您所说的{firm}，符合"
        return [(failed is None, f"{said}“{rule}”的要求", c.n, Rule(c.n, clause))]
    return []
