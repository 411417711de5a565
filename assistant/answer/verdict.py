"""Yes/no questions about a condition get the conclusion first: “负债率72%能进白名单吗” → 不符合：资产负债率72%，
要求不高于70%[1]. Two deciders, both reading what the firm states in the question:
- a named product's rules (the matcher's, products/rules.py) and its accepted IP types, from the record;
- a policy's bounds, read from the clauses of the passages the answer cites: a stated figure (72%, 5个月, 4件) is
  compared with the bound on the same kind of quantity (不高于70%, 6个月以上, 3件以上) whose clause shares the most
  words with what the question says around the figure; a stated place with a clause that requires registration in
  a place (the gazetteer's hierarchy decides whether one lies within the other).
No bound found for a stated figure: no verdict, the answer stays as the passages give it.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from assistant.answer.types import Answer, Citation
from assistant.dialogue.numbers import NUM, normalise, to_number
from assistant.lexicon.ip_types import mentions
from assistant.lexicon.places import Place, gazetteer
from assistant.products.schema import Product
from assistant.retrieval.answer_type import clauses

_UNIT = {"%": "%", "％": "%", "个月": "月", "年": "年", "件": "件", "个": "件", "项": "件", "万元": "万", "万": "万",
         "亿元": "亿", "亿": "亿", "个工作日": "日", "日": "日", "天": "日"}
_FIGURE = re.compile(rf"({NUM})\s*(%|％|个月|个工作日|年|件|项|个|万元|亿元|万|亿|天|日)")
_LE = re.compile(r"不高于|不超过|不得超过|以下|以内|最多|最高|不大于|及以下")
_GE = re.compile(r"不低于|不少于|至少|满|以上|达到|及以上|不短于")
_LT = re.compile(r"低于|少于|不足|未满|不到")
_GT = re.compile(r"超过|高于|大于|多于")
_REGISTERED = re.compile(r"注册|登记|设立|落户|住所")
_PLEDGE = re.compile(r"押|质押|收|接受|认|用")
_YEAR_LIKE = re.compile(r"(?:19|20)\d{2}$")
# words between an attribute and its figure (“负债率只有72%”, “期限是5个月”)
_FILLER = re.compile(r"只有|才|就|是|了|约|大概|大约|有|为|达|到|共|一共|总共|差不多|左右|[^\u4e00-\u9fff]")


@dataclass
class Bound:
    op: str  # <= | >= | < | >
    value: float
    unit: str
    clause: str
    citation: int  # the [n] of the passage it comes from

    def holds(self, x: float) -> bool:
        return {"<=": x <= self.value, ">=": x >= self.value, "<": x < self.value, ">": x > self.value}[self.op]


@dataclass
class Stated:
    value: float
    unit: str
    text: str  # the figure as said
    context: str  # the words around it
    attribute: str  # what the figure measures: the words just before it (负债率, 期限, 成立)


@dataclass
class Verdict:
    ok: bool
    reasons: list[str] = field(default_factory=list)


def _bigrams(text: str) -> set[str]:
    han = re.sub(r"[^\u4e00-\u9fff]", "", text)
    return {han[i:i + 2] for i in range(len(han) - 1)}


def stated_figures(question: str) -> list[Stated]:
    text = normalise(question)
    out = []
    for m in _FIGURE.finditer(text):
        value = to_number(m.group(1))
        if value is None or (m.group(2) == "年" and _YEAR_LIKE.match(m.group(1))):
            continue
        before = text[max(0, m.start() - 10): m.start()]
        after = text[m.end(): m.end() + 6]
        attribute = _FILLER.sub("", re.split(r"[，,。；;、]", before)[-1])[-6:]
        if after.startswith("期"):  # “3年期”, “12个月期”: the figure is a term
            attribute += "期限"
        out.append(Stated(value, _UNIT[m.group(2)], m.group(0), before + after, attribute))
    return out


def bounds(text: str, n: int) -> list[Bound]:
    out = []
    for clause in clauses(normalise(text)):
        for m in _FIGURE.finditer(clause):
            value = to_number(m.group(1))
            if value is None:
                continue
            before, after = clause[max(0, m.start() - 6): m.start()], clause[m.end(): m.end() + 6]
            op = (
                "<=" if _LE.search(before) or re.match(r"[（(]?含?[）)]?(?:以下|以内|及以下)", after) else
                ">=" if _GE.search(before) or re.match(r"[（(]?含?[）)]?(?:以上|及以上)", after) else
                "<" if _LT.search(before) else ">" if _GT.search(before) else None
            )
            if op:
                out.append(Bound(op, value, _UNIT[m.group(2)], clause, n))
    return out


_PLAIN = frozenset("的了有是在为和与及或等我们你他这那个")


def _chars(text: str) -> set[str]:
    return {ch for ch in text if "\u4e00" <= ch <= "\u9fff" and ch not in _PLAIN}


def _same_quantity(attribute: str, clause: str) -> bool:
    """The clause bounds what the question's figure measures: they share a word, or two of its characters (“中间断了”
    and “中断超过12个月”)."""
    return bool(_bigrams(attribute) & _bigrams(clause)) or len(_chars(attribute) & _chars(clause)) >= 2


def _compare(stated: Stated, found: list[Bound]) -> tuple[bool, Bound] | None:
    """The bound on the same kind of quantity whose clause shares most with what the question says around it."""
    words = _bigrams(stated.context)
    scored = [(len(words & _bigrams(b.clause)), b) for b in found if b.unit == stated.unit and _same_quantity(stated.attribute, b.clause)]
    scored = [(s, b) for s, b in scored if s > 0 or len(_chars(stated.attribute) & _chars(b.clause)) >= 2]
    if not scored:
        return None
    best = max(scored, key=lambda x: x[0])[1]
    return best.holds(stated.value), best


def _op_text(b: Bound) -> str:
    unit = {"%": "%", "月": "个月", "年": "年", "件": "件", "万": "万元", "亿": "亿元", "日": "日"}[b.unit]
    said = {"<=": "不超过", ">=": "不少于", "<": "低于", ">": "超过"}[b.op]
    return f"{said}{b.value:g}{unit}"


def policy_verdict(question: str, cited: list[Citation]) -> tuple[Verdict, list[int]] | None:
    """The verdict the cited passages' bounds give on the figures and the place the question states."""
    found = [b for c in cited for b in bounds(c.text, c.n)]
    results: list[tuple[bool, str, int]] = []
    for stated in stated_figures(question):
        compared = _compare(stated, found)
        if compared is not None:
            ok, b = compared
            results.append((ok, f"您所说的{stated.text}，{'符合' if ok else '不符合'}“{_op_text(b)}”的要求", b.citation))
    place = _registered_place(question)
    if place is not None:
        for c in cited:
            for clause in clauses(c.text):
                if not _REGISTERED.search(clause):
                    continue
                required = [m.place for m in gazetteer().find(clause)]
                if required:
                    chain = {p.code for p in gazetteer().chain(place)}
                    ok = any(r.code in chain for r in required)
                    results.append((ok, f"注册地{place.name}{'在' if ok else '不在'}{'、'.join(r.name for r in required)}范围内", c.n))
                    break
            else:
                continue
            break
    if not results:
        return None
    failed = [r for r in results if not r[0]]
    chosen = failed or results
    return Verdict(not failed, [r[1] for r in chosen]), sorted({r[2] for r in chosen})


def _registered_place(question: str) -> Place | None:
    mentions = gazetteer().find(question)
    for m in mentions:
        around = question[max(0, m.start - 6): m.end + 6]
        if _REGISTERED.search(around) or re.search(r"在|位于|属于", question[max(0, m.start - 3): m.start]):
            return m.place
    return None


def product_verdict(question: str, product: Product, today: dt.date | None = None, facts: list[str] | None = None) -> Verdict | None:
    """The product's own rules on what the question (and, in a chat, what the user said before) states about the
    firm, and whether it takes the IP named."""
    from assistant.dialogue.firm import profile_dict
    from assistant.dialogue.slots import extract
    from assistant.products.rules import evaluate
    from assistant.profile.model import Profile

    results: list[tuple[bool, str]] = []
    # whether it takes an IP type: asked where the type and a pledge verb stand together (“收外观设计吗”, “软著能押吗”),
    # not where a pledge ratio is asked (“商标的质押率多少”)
    named_ip = [t for t, a, b in mentions(question) if _PLEDGE.search(question[max(0, a - 6): b + 6].replace("质押率", ""))]
    if named_ip and product.accepted_ip:
        for t in dict.fromkeys(named_ip):
            ok = t in product.accepted_ip or (t == "软件著作权" and "著作权" in product.accepted_ip)
            results.append((ok, f"本产品{'接受' if ok else '不接受'}{t}质押（可接受：{'、'.join(product.accepted_ip)}）"))
    slots: dict = {}
    for said in [*(facts or []), question]:  # the latest statement of a fact wins
        slots.update(extract(said))
    try:
        profile = Profile.model_validate(profile_dict(slots))
    except ValueError:
        profile = None
    if profile is not None:
        for r in evaluate(product, profile, today or dt.date.today()):
            if r.status != "unknown" and r.rule not in ("amount", "term", "pledge_ratio", "ip_term"):
                results.append((r.status == "pass", r.message))
    # a figure the rules above do not read (剩余保护期4年): against the bounds the record states
    from assistant.answer.products import record_text

    decided = policy_verdict(question, [Citation(n=1, doc_id=f"product:{product.id}", title=product.name, source="", text=record_text(product),
                                                 chunk_id=f"product:{product.id}")])
    if decided is not None:
        known = {m for _ok, m in results}
        results += [(decided[0].ok, r) for r in decided[0].reasons if r not in known]
    if not results:
        return None
    failed = [m for ok, m in results if not ok]
    return Verdict(not failed, failed or [m for _ok, m in results])


def lead(verdict: Verdict, marks: str = "") -> str:
    return f"{'符合' if verdict.ok else '不符合'}：{'；'.join(verdict.reasons)}{marks}。"


def with_verdict(answer: Answer, verdict: Verdict, marks: str = "") -> Answer:
    return answer.model_copy(update={"answer": f"{lead(verdict, marks)}\n{answer.answer}"})
