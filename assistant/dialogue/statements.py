"""Which clauses of a turn state something about the user's own firm.

A firm's profile changes only on what the firm says about itself. Facts are read from a clause when it is a
statement (“我们在沣东，有3件发明专利”), or a question whose subject is the firm (“我们沣西的企业能贷多少？”:
the firm's place is presupposed). A question about something else (“深圳的人才补贴怎么申请？”), a supposition
(“如果贷一千万的话”) and a clause about another party (“客户在杭州”) state nothing about the firm, however many
places or figures they name. The other clauses are blanked out, keeping every position, so the extractors see
the turn's structure but none of those words.
"""

from __future__ import annotations

import re

from assistant.retrieval.answer_type import clause_spans

BLANK = "□"
FIRST_PERSON = re.compile(r"我们|我司|咱们|咱|本公司|本企业|我公司|我(?![国省市区])")
# Asking words, except where they are indefinite (“什么资质都没有”, “哪儿都没贷过”: nothing, nowhere).
_ASKS = re.compile(
    r"多少|几(?![十百千万])|多久|多长|多大|哪|什么|啥|怎么|怎样|如何|谁|是否|能否|吗|呢|么|有没有|是不是|能不能|可不可以|要不要|会不会"
    r"|算不算|行不行|[？?]|\b(?:how|what|which|can|could|is|are|do|does)\b",
    re.I,
)
_INDEFINITE = re.compile(r"(?:什么|啥|哪(?:儿|里)?|谁)[^，,。；;]{0,6}(?:都|也)|(?:没|没有|不|无)(?:什么|啥|多少)")
_SUPPOSITION = re.compile(r"如果|假如|假设|(?<![主需重只还就想])要是|万一|的话|比如说?|例如")
# Subjects other than the firm: its customers, suppliers, partners, other firms, other people.
# A party named as the subject of its own clause (“有个客户在杭州”, “供应商是宝鸡的”), not as a word in the firm's
# business (“做客户管理软件的”).
_OTHER_PARTY = re.compile(
    r"(?:他们|她们|人家|对方)"
    r"|有(?:个|家|一个|一家|些|不少)(?:客户|供应商|合作方|合作伙伴|分公司|子公司|办事处)"
    r"|(?:客户|供应商|合作方|合作伙伴|朋友|同行|别人|别的公司|其他公司|其他企业|隔壁|亲戚|同学|老乡|上游|下游|母公司|股东)"
    r"(?:公司|企业|厂)?(?:在|是|那边|那里|位于|注册|所在|总部|他们|的公司|家)"
    # a fact attributed to someone else (“逾期的是我们关联公司”, “那笔逾期是老板个人信用卡的”)
    r"|是(?:我们|我司)?(?:的)?(?:关联公司|关联企业|老板|法人|股东|母公司|子公司|分公司|个人|别的公司|其他公司)"
)


def asks(clause: str) -> bool:
    """The clause asks something (a question word or particle that is not an indefinite “什么…都”)."""
    return bool(_ASKS.search(_INDEFINITE.sub("", clause)))


def about_firm(clause: str, question_mark_follows: bool = False) -> bool:
    """The clause states a fact about the speaker's firm: a statement, or a question with the firm as subject; never
    a supposition or a clause about another party."""
    if _SUPPOSITION.search(clause) or _OTHER_PARTY.search(clause):
        return False
    if asks(clause) or question_mark_follows:
        return bool(FIRST_PERSON.search(clause))
    return True


def firm_facts_only(text: str, *, strict: bool = True) -> str:
    """``text`` with every clause that says nothing about the firm blanked (same length, punctuation kept).

    Strict, for what the firm *is* (its place, qualifications, record, name): only statements and questions with
    the firm as subject. Not strict, for what the firm *asks for* and its figures (“那先贷两千万，期限三年行不行？”,
    “如果只贷一千二百万呢？”, “营收三千万能贷多少？”): only clauses about another party are blanked."""
    out = list(text)
    for start, end in clause_spans(text):
        clause = text[start:end]
        if strict:
            keep = about_firm(clause, text[end : end + 1] in ("？", "?"))
        else:
            keep = not _OTHER_PARTY.search(clause)
        if not keep:
            out[start:end] = BLANK * (end - start)
    return "".join(out)
