"""Which clauses of a turn state something about the user's own firm.

A firm's profile changes only on what the firm says about itself. Facts are read from a clause when it is a
statement (“我们在沣东，有3件发明专利”), or a question whose subject is the firm (“我们沣西的企业能贷多少？”:
the firm's place is presupposed). A question about something else (“深圳的人才补贴怎么申请？”), a supposition
(“如果贷一千万的话”) and a clause about another party (“客户在杭州”, “我个人想买套房”) state nothing about the
firm, however many places or figures they name. A clause without a subject of its own continues the subject of the
clause before it in the same sentence (Chinese drops a repeated subject: “最大的客户在成都，一年给我们下一千五百万的
单子” — the order is the customer's), until a connective (所以, 另外 …) turns back to the speaker. The other
clauses are blanked out, keeping every position, so the extractors see the turn's structure but none of those words.
"""

from __future__ import annotations

import re

from assistant.retrieval.answer_type import clause_spans

BLANK = "□"
# The firm as subject; “给我们”, “帮我们” put the firm in the object, not the subject.
FIRST_PERSON = re.compile(r"(?<![给对向跟和帮让替为])(?:我们|我司|咱们|咱|本公司|本企业|我公司|我(?![国省市区个]))")
# Asking words, except where they are indefinite (“什么资质都没有”, “哪儿都没贷过”: nothing, nowhere).
_ASKS = re.compile(
    r"多少|几(?![十百千万])|多久|多长|多大|哪|什么|啥|怎么|怎样|如何|谁|是否|能否|吗|呢|么|有没有|是不是|能不能|可不可以|要不要|会不会"
    r"|算不算|行不行|请问|想问|问一下|问下|咨询一下|有[^，,。；;？?]{1,12}没有$|[？?]|\b(?:how|what|which|can|could|is|are|do|does)\b",
    re.I,
)
_INDEFINITE = re.compile(r"(?:什么|啥|哪(?:儿|里)?|谁)[^，,。；;]{0,6}(?:都|也)|(?:没|没有|不|无)(?:什么|啥|多少)")
_SUPPOSITION = re.compile(r"如果|假如|假设|(?<![主需重只还就想])要是|万一|的话|比如说?|例如")
_OTHER = (r"客户|供应商|经销商|代理商|渠道商|合作方|合作伙伴|投资方|投资人|朋友|同行|别人|别的公司|其他公司|其他企业|隔壁|亲戚|同学|老乡|上游|下游|母公司|股东"
          r"|分公司|子公司|办事处|研发中心|工厂|基地|门店|关联公司|关联企业")
# Subjects other than the firm: its customers, suppliers, partners, branches, other firms, other people, the speaker
# in person. A party named as the subject of its clause (“有个客户在杭州”, “研发中心一年开销八百万”), not as a word
# in the firm's business (“做客户管理软件的”).
_OTHER_PARTY = re.compile(
    r"(?:他们|她们|人家|对方)(?!的?(?:政策|产品|银行|办法))"
    rf"|(?:有|设有|开了)(?:个|家|一个|一家|些|不少|几个|几家)(?:{_OTHER})"
    rf"|(?:^|[的])?(?:{_OTHER})(?:公司|企业|厂)?(?:都|也|主要|大多|基本|大部分|全|多半)*(?:在|是|那边|那里|位于|注册|所在|总部|他们|的公司|家|一年|每年|的名义)"
    r"|我个人|本人个人|私人|个人(?:想|要|打算|名下|买|贷)"
    # a person of the firm, somewhere (“法人在深圳”): where they are is not where the firm is registered
    r"|(?:法人|法定代表人|老板|董事长|总经理)(?:人)?(?:现在|目前|常)?(?:在|住在|人在)"
    # a fact attributed to someone else (“逾期的是我们关联公司”, “那次逾期是股东个人账户的”)
    r"|是(?:我们|我司)?(?:的)?(?:关联公司|关联企业|老板|法人|股东|母公司|子公司|分公司|个人|别的公司|其他公司)"
)
# A clause opening with these turns back to the speaker (or to a new topic) instead of continuing the last subject.
_RESET = re.compile(r"^\s*(?:所以|因此|因为|但是|但|不过|可是|另外|还有|而且|同时|那|那么|现在|目前|我们|我司|咱们|公司|企业)")


def asks(clause: str) -> bool:
    """The clause asks something (a question word or particle that is not an indefinite “什么…都”)."""
    return bool(_ASKS.search(_INDEFINITE.sub("", clause)))


def about_firm(clause: str, question_mark_follows: bool = False) -> bool:
    """The clause states a fact about the speaker's firm: a statement, or a question with the firm as subject; never
    a supposition or a clause about another party."""
    if _SUPPOSITION.search(clause) or _about_other(clause):
        return False
    if asks(clause) or question_mark_follows:
        return bool(FIRST_PERSON.search(clause))
    return True


_OWN = re.compile(r"(?:我们|我司|咱们|本)(?:这个|这家|的)?$")
# The firm's own units: “我们这个子公司是2022年成立的” is the firm speaking of itself; “我们的客户在深圳” is not.
_OWN_UNIT = re.compile(r"^(?:的)?(?:分公司|子公司|办事处|研发中心|工厂|基地|门店)")


def _about_other(clause: str) -> bool:
    """Another party is the clause's subject — unless the firm names its own unit (“我们这个子公司是…”)."""
    return any(m.group(0).startswith(("有", "设有", "开了")) or not (_OWN.search(clause[: m.start()]) and _OWN_UNIT.match(m.group(0)))
               for m in _OTHER_PARTY.finditer(clause))


def _subjects(text: str) -> list[tuple[int, int, bool]]:
    """(start, end, about another party) of each clause, a subjectless clause continuing the one before it."""
    out: list[tuple[int, int, bool]] = []
    other = False
    for start, end in clause_spans(text):
        clause = text[start:end]
        if start and text[start - 1] in "。！!？?\n；;":  # a new sentence starts from the speaker again
            other = False
        if _about_other(clause):
            other = True
        elif FIRST_PERSON.search(clause) or _RESET.search(clause):
            other = False
        out.append((start, end, other))
    return out


def firm_facts_only(text: str, *, strict: bool = True) -> str:
    """``text`` with every clause that says nothing about the firm blanked (same length, punctuation kept).

    Strict, for what the firm *is* (its place, qualifications, record, name): only statements and questions with
    the firm as subject. Not strict, for what the firm *asks for* and its figures (“那先贷两千万，期限三年行不行？”,
    “要是只借八百万呢？”, “营收三千万能贷多少？”): only clauses about another party are blanked."""
    out = list(text)
    for start, end, other in _subjects(text):
        clause = text[start:end]
        keep = not other and (not strict or about_firm(clause, text[end : end + 1] in ("？", "?")))
        if not keep:
            out[start:end] = BLANK * (end - start)
    return "".join(out)
