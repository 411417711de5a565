"""Which documents a question's places point to, from the documents' own regions (read at index time).

A question that names a place prefers the documents governing that place or a place above it (a 广东省 rule for a
question about 深圳), and those of places inside it; one that names none prefers the center's own chain (西咸新区 →
西安市 → 陕西省). National and undated-region documents stay neutral; another region's documents step down.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence

from assistant.lexicon.places import NATION_WORDS, NATIONAL, Mention, Place, gazetteer

_FIRM = r"我们|我司|公司|企业|本公司|咱们|单位"
# registered right before or after the place (“注册在西咸新区”, “在沣东注册的”)
# (moving it there says the same: 注册地迁到…, 搬到…)
_REGISTERED_BEFORE = re.compile(r"(?:注册|登记|设立|落户|住所)地?(?:在|于|为|迁到|迁往|迁至|搬到|搬去|转到)?$")
_REGISTERED_AFTER = re.compile(r"(?:新区|区|市|省)?(?:注册|登记|设立|落户)")
# or the firm is there (“我们在沣东”, “公司位于…”)
_FIRM_THERE = re.compile(rf"(?:{_FIRM})(?:也|就|都)?(?:在|位于|属于)$")


def _registered_at(question: str, start: int, end: int, *, firm_there: bool = True) -> bool:
    before, after = question[max(0, start - 6): start], question[end: end + 4]
    return bool(_REGISTERED_BEFORE.search(before) or _REGISTERED_AFTER.match(after)
                or (firm_there and _FIRM_THERE.search(before)))


def registered_place(question: str) -> Place | None:
    """Where the question says the firm is registered (“注册在西安高新区”, “我们在沣东”); “数据资产做了登记，在西咸新区
    能拿它去质押吗” says where something is done."""
    return next((m.place for m in gazetteer().find(question) if _registered_at(question, m.start, m.end)), None)


# a place said as how far away something is (我们离北京远, 距离西安一百公里): a reference point, not the rules' region
_DISTANCE_BEFORE = re.compile(r"(?:离|距离|距)$")


def scope_mentions(question: str) -> list[Mention]:
    """The places a question names as where its rules or its firm are: not a distance's reference point, nor a place it
    says the firm is not in (注册在西安高新区，不在西咸; dialogue/negation.py decides what a negator covers)."""
    from assistant.dialogue.negation import negated

    every = gazetteer().find(question, every=True)  # each time it is said: 不在西咸…能申请西咸新区的贴息吗 names it too
    spans = [(m.start, m.end) for m in every]
    kept = [m for m in every if not _DISTANCE_BEFORE.search(question[max(0, m.start - 2): m.start])
            and not negated(question, (m.start, m.end), [s for s in spans if s != (m.start, m.end)])]
    return [m for i, m in enumerate(kept) if m.place not in {k.place for k in kept[:i]}]  # each place once, first said


def without_scope_places(question: str) -> str:
    """The question with the places where its rules apply blanked out (粤这边的电商平台, 北京那边的贴息): a scope, which
    the place checks and retrieval's region preference decide, not a topic a passage must share words with. Where the
    firm is (咸阳的企业, 注册在沣东) stays: whether a rule admits it is what is asked. A question left with no word that
    names something (沣东新城属于西咸新区吗: 属于) keeps its places."""
    return gazetteer().without_places(
        question, keep=lambda m: _registered_at(question, m.start, m.end) or bool(_FIRMS_PLACE.match(question, m.end)))


# a place said as the firm's (咸阳的企业, 西安这边的公司): what the firm is, kept in the words weighed (not read as its
# registration: “非西咸新区的企业”, “西安的企业” — a place around the center's — say no more than where firms are)
_FIRMS_PLACE = re.compile(rf"(?:这边|那边|本地)?的(?:{_FIRM}|厂|工厂|团队)")


def search_places(question: str, home: Place | None) -> list[Place]:
    """The places whose documents retrieval prefers for a question: those it names, none when every one is where the
    firm is registered near the center (“公司在咸阳注册，白名单报得上吗” asks about the center's programmes)."""
    return [] if registered_nearby(question, home) else list(dict.fromkeys(m.place for m in scope_mentions(question)))


def registered_nearby(question: str, home: Place | None) -> bool:
    """Every place the question names is where the firm is registered, said with a registering word (注册在咸阳), and
    lies in the center's own province: a fact about the firm asking about the center's programmes, not a region whose
    rules it asks for (“我们是杭州的企业” or “北京那边” name the rules' region)."""
    mentions = gazetteer().find(question)
    if home is None or not mentions:
        return False
    province = gazetteer().province(home)
    return all(_registered_at(question, m.start, m.end, firm_there=False) and province in gazetteer().chain(m.place)
               for m in mentions)


def related(doc_region: str | None, place: Place) -> bool:
    """The document governs the place, a place above it (not the nation), or a place inside it."""
    if not doc_region or doc_region == NATIONAL:
        return False
    g = gazetteer()
    if doc_region in {p.name for p in g.chain(place)}:
        return True
    return place.name in g.chain_names(doc_region)


def covered(place: Place, regions: Iterable[str | None]) -> bool:
    return any(related(r, place) for r in regions)


def uncovered_place(question: str, regions: Iterable[str | None]) -> str | None:
    """The place a question names when no indexed document governs it (nor a place above or inside it); a question
    naming several is in scope when any of them is covered."""
    mentions = scope_mentions(question)
    regions = list(regions)
    if not mentions or any(covered(m.place, regions) for m in mentions):
        return None
    return mentions[0].text


# a place said as a clause's topic (上海的话, 关于深圳, 在杭州，; 北京这边… opening its clause): what the question asks is
# asked of it. 这边/那边 inside a clause says where something was done (在深圳那边一家银行贷的)
_TOPIC_AFTER = re.compile(r"^(?:市|省)?(?:的话|方面)")
_SIDE_AFTER = re.compile(r"^(?:市|省)?(?:这边|那边|那儿|这儿)")
_TOPIC_BEFORE = re.compile(r"(?:关于|至于|对于|针对|问问|问一下|了解|了解一下|查一下|查查|对比|对比一下|比较|比较一下|打听)$")
# the clause that asks points at a place said before it: 那里, 那边, 当地 (not 这边, the speaker's own)
_THERE = re.compile(r"(?:^|[，,。；;？?]|在|去|到|了)(?:那里|那边|那儿|那个地方)|当地|该地")  # not 学校那边 (that party)


def _said_as_topic(question: str, mention: Mention) -> bool:
    from assistant.retrieval.answer_type import clause_spans

    start, end = next(((a, b) for a, b in clause_spans(question) if a <= mention.start < b), (0, len(question)))
    clause = question[start:end].strip("，,。；;？?！! ")
    opens = clause.startswith(mention.text)
    bare = clause.replace(mention.text, "", 1).strip()
    # a clause that opens with the place and says no more than what of it (深圳的贴息政策，…; 上海那个资金池，…) names
    # its topic; one that goes on to say what was done there is a story (苏州一家机构做的评估)
    return (bool(_TOPIC_AFTER.match(question[mention.end:])) or bool(_TOPIC_BEFORE.search(question[:mention.start]))
            or (opens and (bool(_SIDE_AFTER.match(question[mention.end:])) or _names_only(bare)))
            or bare in ("", "在", "去", "到"))


def _names_only(rest: str) -> bool:
    """What follows a place at the head of its clause is a noun phrase of it (的贴息政策, 那个资金池): no verb."""
    from assistant.retrieval.tokenizer import get_tokenizer

    tok = get_tokenizer()
    return bool(rest) and not any(tok.verb(w) and not tok.noun(w) for w in tok.cut(rest.lstrip("的那个这")))


def _scene_only(question: str, mentions: Sequence[Mention], far: Sequence[Mention], province: Place | None) -> bool:
    """The far places a question names set its scene, not the region whose rules it asks for: each is said in a clause
    that neither asks nor names it as its topic (“从深圳搬到沣东后进了白名单…资格还在吗”, “专利是在广东时申请的…
    质押登记去哪儿办”), and the question names a place in the center's own province, where the rules asked for apply.
    “深圳那边的贴息补多少，想跟西咸的比一比”, “在杭州，担保费补贴多少？我们总部在西咸” ask of 深圳 and 杭州."""
    from assistant.retrieval.answer_type import asking

    if province is None or not any(province in gazetteer().chain(m.place) for m in mentions):
        return False
    asks = asking(question)
    if _THERE.search(asks):
        return False  # “…搬到上海，那里的贴息比例是多少”: the clause that asks points at the far place
    asked = {m.place.code for m in gazetteer().find(asks)}
    return not any(m.place.code in asked or _said_as_topic(question, m) for m in far)


def unanswered_place(question: str, passages: Sequence[tuple[str, str | None]], home: Place | None,
                     answers: Callable[[str], bool] = lambda _text: True) -> str | None:
    """A place outside the center's province that the question names as its rules' region (“浙江这边贴息比例多少”),
    when no passage read (text, its document's region) that comes from a document governing it ``answers`` the
    question (by default: any such passage; the caller may ask for the kind of figure asked): a national rule or
    another region's is not that place's rule, and quoting it would answer what was not asked. None when one does,
    or the question names no such place (the center's own neighbourhood is served by its documents)."""
    province = gazetteer().province(home) if home is not None else None
    far = [p for p in search_places(question, home) if province is None or province not in gazetteer().chain(p)]
    mentions = scope_mentions(question) if far else []
    if not far or _scene_only(question, mentions, [m for m in mentions if m.place in far], province):
        return None
    # “浙江的企业…国家知识产权局几天审完”: the nation named, the national rule is one asked for
    governing = [text for text, r in passages
                 if any(related(r, p) for p in far) or (r == NATIONAL and NATION_WORDS.search(question))]
    return None if any(answers(text) for text in governing) else far[0].name


AT_LEVEL, PREFERRED, NEUTRAL, OTHER_LEVEL, ELSEWHERE = 2, 1, 0, -1, -2


def preference(doc_region: str | None, named: list[Place], home: Place | None, levels: list[Place] | None = None,
               anchor: Place | None = None) -> int:
    """PREFERRED: the question's places (or the home chain when it names none); NEUTRAL: national or unknown;
    ELSEWHERE: another region's. ``levels``: the home chain's places a level word points to (市里 → 西安市): their
    documents are AT_LEVEL, the chain's other levels OTHER_LEVEL (a district's rule is not what “市里的贴息” asks
    for, though “市里初审” may be a step of the province's procedure). ``anchor``: the place whose chain the level words
    point into (the first place named, else the center)."""
    if not doc_region or doc_region == NATIONAL:
        return NEUTRAL
    chain_of = anchor or home  # the chain the level words point into: the named place's, else the center's
    if levels and chain_of is not None:
        if doc_region in {p.name for p in levels}:
            return AT_LEVEL
        if doc_region in {p.name for p in gazetteer().chain(chain_of)}:
            return OTHER_LEVEL
    targets = named or ([home] if home else [])
    if any(related(doc_region, p) for p in targets):
        return PREFERRED
    return ELSEWHERE
