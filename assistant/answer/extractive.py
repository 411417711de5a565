"""The default composer: no LLM. It quotes, from the top passages, the sentences that answer the question.

Per passage (best first) it keeps the sentences that cover the question's idf-weighted terms, with a bonus for a
stated figure when the question asks for one (比例 → 50%, 多久 → 15个工作日). Lower passages are added only
when they cover terms the earlier ones left open, so a two-part question (比例和上限) can gather one sentence
from each of two articles while a simple question stays short.
"""

from __future__ import annotations

import re
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from functools import lru_cache

from assistant.ingest.faq import answer_text
from assistant.retrieval.answer_type import (
    CUE_WORDS,
    asked_unit,
    asks,
    asks_exception,
    asks_office,
    asks_permission,
    asks_when,
    bound,
    clauses,
    given_numbers,
    is_cue,
    list_asked,
    names_office,
    primary,
    states_bound,
    states_exception,
    states_list_of,
    states_stance,
    states_wanted,
    wanted,
    without_dates,
    worked_example,
)
from assistant.retrieval.rerank import coverage
from assistant.retrieval.tokenizer import get_tokenizer

_SENT = re.compile(r"(?<=[。！？；])|\n")
_LEAD = re.compile(r"^(?:第[一二三四五六七八九十百零〇\d]+条[\s　]*|答[:：]\s*)")
PER_PASSAGE = 2
SECOND_RATIO = 0.5  # a further sentence of the same passage must score this share of its best one
MAX_SENTENCES = 6
WHOLE_TOP_CHARS = 220  # quote the best passage whole when it is this short (most articles are)
MIN_NEW = 0.05  # share of question weight a lower passage must add to be quoted
PART_MIN = 0.3  # a question part's best sentence must cover this share of the part's weight to be added
PART_MIN_FIGURE = 0.15  # ... or this share when it states the kind of figure the part asks and no quoted sentence does
PART_IDF_CAP = 4.0  # one-off words (一家, 拿到) must not outweigh the part's topic terms
OWN_INFORMATIVE = 0.5  # a part's own word must be this specific to decide which sentence is about it
PART_MARGIN = 0.15  # ... and beat what the answer already says about that part by this much
_SENTENCE_END = re.compile(r"([^？?。！!；;]*)([？?。！!；;]+|$)")
_PAIR = re.compile(r"^([^，,和与跟及]{2,12})(?:和|与|跟|及)([^，,]{2,12})[，,]?(.*(?:分别|各).*)$")
_EACH = re.compile(r"分别|各自")
_ANAPHOR = re.compile(r"^(?:该|此|上述|前述|前款|这|这些|其中)")
_PAREN_MARK = r"[（(][一二三四五六七八九十\d]+[)）]"  # （二）, (3), （4）
_ITEM_MARK = rf"(?:{_PAREN_MARK}|\d+[.、．])"
_ITEM = re.compile(rf"^{_ITEM_MARK}")
_OPEN_ITEM = re.compile(rf"{_PAREN_MARK}[^；;。]*$")
# a list's head quoted with its item (“…应当同时符合下列条件：（五）…资产负债率不高于70%”)
_HEAD_ITEM = re.compile(rf"(?<=[：:])\s*(?={_ITEM_MARK})")
# A question about the case where something was not done (“没去做版权登记”) is answered by the rule for that case
# (“未办理著作权登记的，应当…”), which shares its words with the rule for the usual case.
_NEG_QUESTION = re.compile(r"没|未|尚未")
_NEG_SENTENCE = re.compile(r"未|没有|尚未")
NEG_BONUS = 0.1
# one-character words that begin no word of what is asked about, beyond the tokenizer's stopwords (的, 能, 吗 never reach
# here): 去, 来, 到, 再, 才, 已, 想, and the halves of 什么, 怎么, 多少, 我们
_NO_HEAD = frozenset("们想少什怎去来到再才已")
GIVEN_PENALTY = 0.25
STANCE_BONUS = 0.1  # a sentence that allows or forbids, for a question whether an act is allowed (as NEG_BONUS)
EXCEPTION_COVER = 0.4  # share of the question's weight an exception clause must say itself (not its title) to be quoted for it
# how much more of the question's subject a lower figure's own clause must say than every quoted figure's clause, to be
# quoted too (measured on the development sets: from 0.2 to 0.4 the same answer is gained, and at 0.2–0.3 restating FAQ
# lines come along too; at 0.6 it is lost)
FIGURE_MARGIN = 0.4


def negated(question: str) -> bool:
    return bool(_NEG_QUESTION.search(question.replace("有没有", "").replace("是不是", "")))


@dataclass
class Passage:
    n: int
    text: str
    rank: int
    context: str = ""  # title / article / FAQ question: shown with the answer, so its words count as covered
    expired: bool = False
    part: int | None = None  # brought by this part of the question alone: quoted only to answer that part
    doc: str = ""


@dataclass
class Picked:
    passage: int
    order: int
    text: str


def sentences(text: str) -> list[str]:
    """The quotable sentences of a passage. An FAQ's question line is skipped whole: quoting its second clause
    (“是不是就一定能贷到款？”) as if it were the answer reads as nonsense. Its closing 依据 line names sources, it
    answers nothing, and split at its “；” it would leave a dangling “《…》第九条）”."""
    out = []
    for line in answer_text(text).split("\n"):
        for raw in _SENT.split(line):
            s = raw.strip()
            if len(s) < 4 or s.startswith(("（示例", "(示例")):
                continue
            out.append(_LEAD.sub("", s))
    return out


def strip_lead(text: str) -> str:
    """A passage's text as quoted: without its article number or an FAQ answer's 答：."""
    return _LEAD.sub("", text)


def without_item_mark(text: str) -> str:
    """A list item as a rule of its own: without its number (“（二）不得…” → “不得…”)."""
    return _ITEM.sub("", text.strip())


def is_item(text: str) -> bool:
    """The text opens with a list item's number (（二）…, (3)…, 4.…)."""
    return bool(_ITEM.match(text.strip()))


def in_open_item(text: str) -> bool:
    """The text ends inside a numbered list item: its number, then no clause end of a sentence or an item (…（五）以共有的
    著作权出质的，)."""
    return bool(_OPEN_ITEM.search(text))


def item_scopes(sentence: str) -> list[str]:
    """A sentence quoted as a list's head and one of its items, split in two: the item's figure is about the item's
    own words (70% is the debt ratio's, not the whitelist's of the head)."""
    return [s for s in _HEAD_ITEM.split(sentence) if s]


@lru_cache(maxsize=8192)
def words_of(text: str) -> frozenset[str]:
    """A sentence's tokens (passages recur across questions: cached)."""
    return frozenset(get_tokenizer().words(text))


# “1）”, “2、”, “（3）”, “三.”, “二是”: a numbered item of a list of questions
# (“一是…；二是…；三是…？” numbers its asks in words)
_NUMBERED = re.compile(r"^\s*(?:[（(]?(?:\d{1,2}|[一二三四五六七八九十])[）)、.．]|[（(](?:\d{1,2}|[一二三四五六七八九十])[）)]"
                       r"|[一二三四五六七八九十]是(?=[\u4e00-\u9fff]))\s*")


def question_parts(question: str) -> list[str]:
    """The parts of a several-part question: its sentences, and “A和B…分别…” as “A…” and “B…”. When some sentences
    end in a question mark, the others only set the scene (“我们打算把几件专利和两个软著一起押给银行。”) and are not
    parts: their words would otherwise count as shared by every part."""
    if len(_INLINE_NUMBER.findall(question)) >= 2:
        # “秦农知产贷，1.利率多少 2.几天能批”: each number starts an item; what comes before the first is the topic
        question = _INLINE_NUMBER.sub("；", question)
        # (a sentence of its own before the first item, “我们上月刚放款。”, sets the scene and names no topic)
        question = re.sub(r"^([^；：:。！？!?]{2,20}?)[，,\s]*；\s*\d{1,2}[.．、）)]\s*", r"\1：", question)
    sentences_ = [(_NUMBERED.sub("", m.group(1)).strip(" ，,"), m.group(2), bool(_NUMBERED.match(m.group(1).strip())))
                  for m in _SENTENCE_END.finditer(question)]
    if any(end and end[0] in "？?" for _s, end, _n in sentences_):
        # a numbered item (“2）进了以后资格管多久；”) is a part however it ends, and so is a last sentence that asks
        # with its question mark left off (“…？顺便问下商标登记要多久”)
        sentences_ = [(raw, end, n) for raw, end, n in sentences_ if (end and end[0] in "？?") or ((n or not end) and asks(raw))]
    parts: list[str] = []
    for raw, _end, _n in sentences_:
        if not raw:
            continue
        for piece in _asking_clauses(raw):
            m = _PAIR.match(piece)
            # within one part, 分别 says nothing: “专利质押去哪个部门登记” is the part
            parts += [m.group(1) + _EACH.sub("", m.group(3)), m.group(2) + _EACH.sub("", m.group(3))] if m else [piece]
    return parts


# “1.利率多少 2.几天能批”: a number in the running text that starts an item (not 1.5%)
_INLINE_NUMBER = re.compile(r"(?<![\d.．A-Za-z])\s*(?=\d{1,2}[.．、）)]\s*[\u4e00-\u9fff])")


SPLIT_CLAUSE = 6  # characters an asking clause needs to be a part of its own, its asking word among its last ones
# (“还有几份软著评估200万” says a few; “市里一年什么时候报” asks)
_NAMED_ASK = re.compile(r"多少|多久|多长|哪|什么|啥|谁|怎么|如何|(?<![好十])几(?:个工作日|个月|天|年|成|次|点|号|月)?$")  # 几 asks only at the end (追加几件专利 says a few)


def _asks_by_itself(clause: str) -> bool:
    return len(clause) >= SPLIT_CLAUSE and any(m.start() >= len(clause) - SPLIT_CLAUSE for m in _NAMED_ASK.finditer(clause))


def _listed_asks(clause: str) -> list[str]:
    """A clause that lists asks with 、 (“最晚哪天要交、几天内要补齐、多少个工作日内要反馈”) is that many clauses when every
    item asks and stands on its own words; a list of subjects (“利率、额度、期限分别多少”) is one clause."""
    items = clause.split("、")
    return items if len(items) > 1 and all(asks(i) and len(i) >= SPLIT_CLAUSE for i in items) else [clause]


def _asking_clauses(sentence: str) -> list[str]:
    """A sentence that asks two or more things between commas (“名录多久公布一次，一笔最多补多少，…在不在名录里”) is
    that many parts; a clause that asks nothing goes with the asking clause after it (the last, with the one before)."""
    said = [p for c in clauses(sentence) for p in _listed_asks(c)]
    asking_ = [c for c in said if asks(c)]
    # two asks split only when each names what it asks and stands on its own words: “规模多大”, “能拿多少” and a
    # yes/no beside a figure (“比例是多少，是不是百分之百”) are one question told in two clauses
    if len(asking_) < 2 or len(asking_) == 2 and not all(_asks_by_itself(c) for c in asking_):
        return [sentence]
    return with_scene(said)


def with_scene(said: list[str]) -> list[str]:
    """Each asking clause with the clauses before it that ask nothing (“要是让补材料，给多长时间补” is one); clauses
    after the last ask go with it. One unit when none asks."""
    out: list[str] = []
    pending: list[str] = []
    for c in said:
        pending.append(c)
        if asks(c):
            out.append("，".join(pending))
            pending = []
    if pending:
        out = [*out[:-1], "，".join([*out[-1:], *pending])]
    return out


def pick_sentences(question: str, passages: list[Passage], idf: dict[str, float], *, past: bool = False) -> list[Picked]:
    """``past``: the question points at an old policy (“2018年那个暂行办法当时…”), so the expired document itself is
    quoted, not only the FAQ entry that says it has expired and what replaced it."""
    picked = _pick_by_passage(question, passages, idf, past)
    picked = _answer_each_part(question, passages, idf, picked)
    return _complete_fragments(passages, _without_claimed(question, picked))


# what the user recalls or checks (“之前看文件说是500万以内”, “是半年更新一次吧”, “我印象里是三成”): a figure there may
# be outdated; quoted from another passage, it reads as confirming it
_CLAIMED_FIGURE = re.compile(r"\d+(?:\.\d+)?\s*(?:万|亿|%|％|个月|年|天|个工作日)|半年|[一二两三四五六七八九]成")
MARKED_OLD = re.compile(r"原|旧|废止|替代|此前|以前|已调整|不再|暂行")


def claimed_figures(question: str) -> list[str]:
    """The figures of the clauses that recall or check a claim, as a passage would write them (三成 → 30%)."""
    from assistant.answer.analysis import CHECKS_CLAIM  # the analysis imports this module
    from assistant.dialogue.numbers import to_number

    out = []
    for clause in clauses(question):
        if not CHECKS_CLAIM.search(clause):
            continue
        for m in _CLAIMED_FIGURE.finditer(clause):
            said = m.group(0).replace(" ", "").replace("％", "%")
            if said.endswith("成"):
                n = to_number(said[0])
                said = f"{n * 10:g}%" if n is not None else said
            out.append(said)
    return out


def _without_claimed(question: str, picked: list[Picked]) -> list[Picked]:
    """Sentences of passages other than the first that restate a claimed figure, unmarked as old, are left out."""
    claimed = claimed_figures(question)
    if not claimed or not picked:
        return picked
    first = picked[0].passage
    return [p for p in picked if p.passage == first or MARKED_OLD.search(p.text) or not any(c in p.text for c in claimed)]


def _complete_fragments(passages: list[Passage], picked: list[Picked]) -> list[Picked]:
    """A sentence that leans on its neighbour (“该模型…”, or a list head ending in “：”) brings the neighbour."""
    by_rank = {p.rank: sentences(p.text) for p in passages}
    have = {(p.passage, p.order) for p in picked}
    extra = []
    for p in picked:
        sents = by_rank.get(p.passage, [])
        if _ANAPHOR.match(p.text) and p.order > 0 and (p.passage, p.order - 1) not in have:
            extra.append(Picked(p.passage, p.order - 1, sents[p.order - 1]))
            have.add((p.passage, p.order - 1))
        if _ITEM.match(p.text):  # a list item (“（四）…关联关系的；”) means nothing without its head (“有下列情形之一的，不予补助：”)
            head = next((o for o in range(p.order - 1, -1, -1) if sents[o].rstrip().endswith(("：", ":"))), None)
            if head is not None and (p.passage, head) not in have:
                extra.append(Picked(p.passage, head, sents[head]))
                have.add((p.passage, head))
        if p.text.rstrip().endswith(("：", ":")) and p.order + 1 < len(sents) and (p.passage, p.order + 1) not in have:
            extra.append(Picked(p.passage, p.order + 1, sents[p.order + 1]))
            have.add((p.passage, p.order + 1))
    return picked + extra


def _answer_each_part(question: str, passages: list[Passage], idf: dict[str, float], picked: list[Picked]) -> list[Picked]:
    """Each part of the question gets the sentence that answers it best, when the answer so far does not.

    A part is scored on its own terms (idf-weighted, everyday words discounted) and, when it asks for a figure,
    on stating a figure of the kind it names (几笔 → a count, 多久 → a duration): a question's first article
    often answers its neighbour topic, and the figure asked for sits two passages down.
    """
    tok = get_tokenizer()
    parts = question_parts(question)
    if not parts:
        return picked
    sents = [(p, order, s, words_of(s), words_of(p.context)) for p in passages for order, s in enumerate(sentences(p.text))]
    have = {(p.passage, p.order) for p in picked}
    chosen_toks = [(toks, ctx, s) for p, order, s, toks, ctx in sents if (p.rank, order) in have]
    out = list(picked)
    part_words = [set(tok.query_words(part, idf)) for part in parts]
    for i, part in enumerate(parts):
        kind = asked_unit(part) or primary(part)  # “保护几年” is answered in years, not by the twelve months beside it
        # words only this part uses name what sets it apart (利息补贴 vs 担保费补贴): they count double;
        # everyday words (以后, 一般) weigh little; a figure cue (多久) is answered by the figure every candidate
        # of that kind states, so it says nothing about which sentence is about this part
        others = set().union(*(w for j, w in enumerate(part_words) if j != i))
        terms = {t: min(idf[t], PART_IDF_CAP) * tok.informativeness(t) * (2.0 if len(parts) > 1 and t not in others else 1.0)
                 for t in dict.fromkeys(tok.query_words(part, idf)) if t in idf and not (kind is not None and t in CUE_WORDS)}
        total = sum(terms.values())
        if not terms or total <= 0:
            continue

        def cov(toks: AbstractSet[str], ctx: AbstractSet[str], terms: dict[str, float] = terms, total: float = total) -> float:
            return sum(w for t, w in terms.items() if t in toks) / total + 0.5 * sum(w for t, w in terms.items() if t in ctx - toks) / total

        # a sentence answers this part only if it is about the part's own subject, the first word that sets it apart
        # (专利 in “专利那边…要几天？软著那边又要几天？”): the copyright office's 10 working days do not answer the first
        subject = next((t for t in terms if len(parts) > 1 and t not in others and tok.informativeness(t) >= OWN_INFORMATIVE), None)
        own = {subject} if subject else set()
        office = asks_office(part)  # “找哪个单位办” is answered by a sentence that names an office

        def fits(s: str, toks: AbstractSet[str], ctx: AbstractSet[str], kind: re.Pattern[str] | None = kind, own: set[str] = own,
                 office: bool = office) -> bool:
            return (kind is None or bool(kind.search(s))) and (not own or bool(own & (toks | ctx))) and (not office or names_office(s))

        done = max((cov(toks, set()) for toks, ctx, s in chosen_toks if fits(s, toks, ctx)), default=0.0)
        best = max(((cov(toks, ctx) - 0.02 * p.rank, p, order, s, toks) for p, order, s, toks, ctx in sents
                    if p.part in (None, i) and fits(s, toks, ctx)),
                   key=lambda x: x[0], default=None)
        if best is None:
            continue
        score, p, order, s, toks = best
        floor = PART_MIN_FIGURE if kind is not None and not any(kind.search(s) for _t, _c, s in chosen_toks) else PART_MIN
        if score < floor or score < done + PART_MARGIN or (p.rank, order) in have:
            continue
        out.append(Picked(p.rank, order, s))
        have.add((p.rank, order))
        chosen_toks.append((toks, words_of(p.context), s))
    return out


UNIT_BONUS = 0.1  # a sentence stating a figure in the unit asked, over one in another unit


NAME_IDF = 2.0  # a programme named in fewer passages than about one in seven is what a question naming it is about


def _programmes_named(question: str, idf: dict[str, float]) -> list[str]:
    """The programmes and products the question names (秦科保, 知惠贷) that few passages name (not 秦创原, the
    platform every passage of the center speaks of)."""
    from assistant.lexicon.programmes import named_entities

    q = question.lower()
    return [n for n in named_entities() if n in q and idf.get(n, 0.0) >= NAME_IDF]


def _pick_by_passage(question: str, passages: list[Passage], idf: dict[str, float], past: bool = False) -> list[Picked]:
    tok = get_tokenizer()
    top_idf = max(idf.values(), default=1.0)
    # Words the corpus never uses cannot be covered by any sentence: leave them out of the weights.
    said = tok.query_words(question, idf)
    terms = {t: idf[t] for t in dict.fromkeys(said) if t in idf} or {t: top_idf for t in said}
    total = sum(terms.values()) or 1.0
    subject = {t: w for t, w in terms.items() if not is_cue(t)}  # what a figure is about, not the cue words (期限, 多少)
    figures = wanted(question)
    # a lower passage's date is the figure asked only when the question asks when; a quoted one's date still counts as
    # its figure (measured on 112 probe questions: reading quoted dates the same way added as many wrong lines as right)
    when = asks_when(question)
    unit = asked_unit(question)
    given = given_numbers(question)
    neg = negated(question)
    end = bound(question) if figures else None
    listed = None if figures else list_asked(question)  # “需要准备哪些文件”: the sentence that lists them
    passages_by_rank = {p.rank: p for p in passages}
    covered: set[str] = set()
    picked: list[Picked] = []
    budget = 0  # sentences chosen on merit (a whole quoted article counts as its best ones)
    names = _programmes_named(question, idf)
    # a verb said in one character (要审几天, 批下来): the sentence whose word begins with it (审查, 审批) is about it
    heads = {t for t in tok.query_words(question, idf) if len(t) == 1 and "\u4e00" <= t <= "\u9fff" and t not in _NO_HEAD}
    permission = asks_permission(question)  # “银行这样要求合规吗”: the clause that allows or forbids the act answers it
    exception = asks_exception(question)  # “什么情况下才可以”: the rule's exception clause answers it
    # a worked example (补助计算示例：某企业…) answers with its made-up case's figures: for a question that gives no numbers
    # of its own, the passages stating the rule come first (retrieval ranks the example high for the words it repeats)
    ordered = sorted(passages, key=lambda p: worked_example(strip_lead(p.text))) if figures and not given else passages
    for p in ordered:
        if p.part is not None:
            continue
        # once the named programme's own document leads an answer to a figure asked, another document's sentence
        # that does not name the programme states its own programme's figure (“单户企业累计补偿最高300万元” of the
        # district pool, beside “…同时获得省级秦知贷补偿的…”), not this one's
        foreign = (bool(figures) and bool(picked) and p.doc != passages_by_rank[picked[0].passage].doc
                   and any(n in passages_by_rank[picked[0].passage].context.lower() for n in names))
        if names and picked and p.doc != passages_by_rank[picked[0].passage].doc and not any(
                n in f"{p.text} {p.context}".lower() for n in names):
            continue  # “秦科保最晚哪天截止”: another programme's deadline is no answer, however many words it shares
        context = words_of(p.context)
        scored = []
        for order, s in enumerate(sentences(p.text)):
            if foreign and not any(n in s.lower() for n in names):
                continue
            toks = words_of(s)
            cov = sum(w for t, w in terms.items() if t in toks | context) / total
            has_fig = states_wanted(s, figures, given) if figures else listed is not None and states_list_of(s, listed)
            in_unit = has_fig and unit is not None and states_wanted(s, [unit], given)
            score = (cov + (0.25 if has_fig else 0.0) + (UNIT_BONUS if in_unit else 0.0) + 0.05 * sum(1 for t in terms if t in toks)
                     + 0.05 * sum(1 for ch in heads if any(w.startswith(ch) and len(w) >= 2 for w in toks)))
            if given and not has_fig and bool(figures) and states_wanted(s, figures):
                score -= GIVEN_PENALTY  # it restates the figures the question gives (“押了500万、利率4.5%”), not the one it asks
            if neg and _NEG_SENTENCE.search(s):
                score += NEG_BONUS
            if permission and states_stance(s):
                score += STANCE_BONUS
            if exception and states_exception(s):
                score += STANCE_BONUS
            scored.append((score, order, s, toks, has_fig))
        if not scored:
            continue
        scored.sort(key=lambda x: -x[0])
        # what the passage adds is judged on its best sentences, not the best one alone: a figure sentence that
        # restates covered words (“30日内补正”) may sit next to the one that names the case (“视为撤回申请”)
        offered = set().union(*(x[3] for x in scored[:PER_PASSAGE])) | context
        new_weight = sum(w for t, w in terms.items() if t in offered and t not in covered) / total
        case = next((x for x in scored if _NEG_SENTENCE.search(x[2]) and x[0] >= SECOND_RATIO * scored[0][0]), None) if neg else None
        answers_case = case is not None and not any(_NEG_SENTENCE.search(x.text) for x in picked)
        if case is not None and answers_case and case is not scored[0]:
            scored.remove(case)  # the rule for the case not done leads, even where the usual case covers more words
            scored.insert(0, case)
        # a ceiling asked (最高) and none quoted so far (the top article states a floor, 不低于50%): add the passage that states it
        answers_end = scored[0][4] and states_bound(scored[0][2], end) and not any(states_bound(x.text, end) for x in picked)
        old_policy = past and p.expired and not any(passages_by_rank[x.passage].expired for x in picked)
        # the first figure in the unit asked (十五年 for 几年, after a passage stating 三个月)
        answers_unit = unit is not None and scored[0][4] and states_wanted(scored[0][2], [unit], given) and not any_fig(picked, [unit], given)
        # the first list of the things asked (请求书、说明书…等文件), after a passage that only mentions them
        answers_list = listed is not None and scored[0][4] and not any(states_list_of(x.text, listed) for x in picked)
        # the first clause that allows or forbids, for a question whether an act is allowed, after passages that do not
        answers_stance = permission and states_stance(scored[0][2]) and not any(states_stance(x.text) for x in picked)
        # the first exception clause, for a question when a restricted act is allowed, after passages stating the rule:
        # one about what is asked, in its own words (a service window's 法定节假日除外 answers no 有哪些例外 about a rule)
        answers_exception = (exception and states_exception(scored[0][2]) and not any(states_exception(x.text) for x in picked)
                             and coverage(terms, scored[0][3]) >= EXCEPTION_COVER)
        # a figure whose own clause names what is asked (实用新型专利权的期限为十年), after figures quoted only beside it
        # (贷款期限不超过3年 in a sentence about 实用新型专利's pledge ratio): the figure of the thing asked
        answers_about = (bool(figures) and scored[0][4] and bool(picked) and not worked_example(strip_lead(p.text))
                         and figure_cover(scored[0][2], figures, subject, given, context, when) >= FIGURE_MARGIN + max(
                             (figure_cover(x.text, figures, subject, given, words_of(passages_by_rank[x.passage].context))
                              for x in picked), default=0.0))
        if (picked and new_weight < MIN_NEW and not (figures and scored[0][4] and not any_fig(picked, figures, given))
                and not answers_case and not answers_end and not old_policy and not answers_unit and not answers_list
                and not answers_stance and not answers_exception and not answers_about):
            continue
        chosen = [scored[0]]
        limit = PER_PASSAGE + (1 if not picked else 0)  # the best passage may say a little more
        for extra in scored[1:limit]:
            if extra[0] >= SECOND_RATIO * scored[0][0] and (extra[4] or not figures):
                chosen.append(extra)
        # A short best article is quoted whole, in order; coverage still counts only its best sentences, so
        # lower passages can add what the question asks beyond it.
        shown = sorted(scored, key=lambda x: x[1]) if not picked and len(p.text) <= WHOLE_TOP_CHARS else chosen
        for _score, order, s, _toks, _fig in shown:
            picked.append(Picked(p.rank, order, s))
        for _score, _order, _s, toks, _fig in chosen:
            covered |= (toks | context) & terms.keys()
        budget += len(chosen)
        if budget >= MAX_SENTENCES:
            break
    return picked


TRIM_CHARS = 90  # a quoted sentence longer than this keeps only its clauses about the question


def trim(sentence: str, question: str, idf: dict[str, float]) -> str:
    """A long sentence cut to what the question asks: its first clause (who or what it is about), the clauses that
    use the question's specific words or state the kind of figure it asks, and what ends the sentence; “……” marks
    each cut. A clause list (（一）…；（二）…) is cut the same way."""
    if len(sentence) <= TRIM_CHARS:
        return sentence
    from assistant.retrieval.answer_type import clause_spans

    tok = get_tokenizer()
    words = {t for t in tok.query_words(question, idf) if idf.get(t, 0.0) >= TRIM_IDF and tok.informativeness(t) >= OWN_INFORMATIVE}
    figures = wanted(question)
    spans = clause_spans(sentence)
    if len(spans) < 3 or not words:
        return sentence
    keep = [i == 0 or bool(words & words_of(sentence[a:b])) or (bool(figures) and states_wanted(sentence[a:b], figures))
            for i, (a, b) in enumerate(spans)]
    if sum(keep) == len(keep) or sum(keep) <= 1:
        return sentence
    out, last = [], -1
    for i, ((a, b), k) in enumerate(zip(spans, keep, strict=True)):
        if not k:
            continue
        if last >= 0 and i != last + 1:
            out.append("……")
        end = spans[i + 1][0] if i + 1 < len(spans) else len(sentence)
        out.append(sentence[a:end] if i + 1 == len(spans) or keep[i + 1] else sentence[a:b])
        last = i
    text = "".join(out)
    return text if text.endswith(("。", "；", "！", "？")) else text.rstrip("，、：") + "……"


TRIM_IDF = 2.0  # a question word this rare in the corpus says what the question is about


def figure_cover(sentence: str, figures: list[re.Pattern[str]], terms: dict[str, float], given: frozenset[str] = frozenset(),
                 context: AbstractSet[str] = frozenset(), dates: bool = True) -> float:
    """The share of ``terms`` said in the same clause as a figure of the kind asked, or in what is shown with the quote
    (``context``: its title and article): how far the figure is about what is asked, not about a thing named beside it.
    ``dates``: a calendar date counts as such a figure (it answers 什么时候截止, not 要多久: 自2011年1月1日起施行)."""
    return max((coverage(terms, words_of(c) | context) for c in clauses(sentence)
                if states_wanted(c if dates else without_dates(c), figures, given)), default=0.0)


def any_fig(picked: list[Picked], figures: list[re.Pattern[str]], given: frozenset[str] = frozenset()) -> bool:
    return any(states_wanted(p.text, figures, given) for p in picked)
