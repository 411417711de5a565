"""Answerability checks run before composing: decline rather than answer from a loosely related passage.

Cheap, explainable signals:
1. the question names a place no indexed document governs (retrieval.regions, from the documents' regions), or a
   topic no corpus can cover (resources/out_of_scope.txt: personal finance);
2. it asks for a figure (比例, 多少钱, 多久) and none of the top passages states a figure of that kind;
3. it asks for a figure of a named product or programme (秦创贷, 知惠贷, 秦科保 …) and no sentence of the top
   passages states such a figure about that name: quoting another product's rate would be an invented fact;
4. it asks for live figures (现在一共有多少家、已经用掉多少、目前有哪几家): policy documents are static, so a
   tally or a current list cannot come from them;
5. the passages support the question too little (``answer/answerability.py``: a model over coverage, retrieval and
   similarity signals fitted on development questions, or the evidence score alone when none is fitted);
6. it names a Latin-lettered term (PCT, IPO) that no document of the corpus mentions: an acronym names a
   specific programme or instrument, so one the corpus never uses is a topic it does not cover;
7. it names a neighbouring topic (resources/adjacent_topics.txt: tax, directions, patent filing …) that no
   document mentions: declined while the corpus is silent on it, answered once a document covers it. (Place and
   organisation names are not checked this way: 沣东新城 or 咸阳 are covered by rules that never name them.)
8. it asks how a qualification is recognised (专精特新要满足什么条件) that the corpus names only as an eligibility
   label (resources/qualifications.txt) and no document defines;
9. it asks what a party charges (评估费收多少、违约金几个点) or which firms to name (哪几家保险公司), and the top
   passages state no such charge or name, or it asks for a web address, phone number, mailbox, street address or
   office hours none of them states (answer/unstated.py);
10. it names a place outside the center's province as its rules' region (浙江这边, 在京) and none of the passages
   read comes from a document governing that place (or, when it asks for a figure, none of those states one of the
   kind asked): a national or another region's rule is not that place's (unless it names the nation too: 国家知识产权局);
11. its asking clause names a neighbouring topic (要交增值税吗) that none of the passages read names, though some other
   document of the corpus may mention it: what would be quoted says nothing of it;
12. it asks for a figure and the sentence most about it names that quantity without fixing it (一定比例, 相应的准备金,
   按照国家有关规定, 另行制定), no sentence nearly as much about it stating one (of the place's own rules, where the
   question names a place and any was read): the decline quotes what the rule does say;
13. it asks about a bank by its own name (宁波银行, 招行: lexicon/banks.py) that neither the product catalog nor any
   document names: the decline lists the banks the catalog covers.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from assistant.answer.unstated import charge_missing, contact_missing, names_missing
from assistant.lexicon.banks import NamedBank
from assistant.lexicon.programmes import named_entities
from assistant.retrieval.answer_type import asking, clauses, part_wants, states_wanted

_NOW = r"(现在|目前|今年|当前|截至|最新)"
LIVE_DATA = re.compile(
    rf"{_NOW}[^，。？]{{0,20}}(一共|总共|还剩|用掉|用了|剩下|有多少家|有几家|哪几家|多少家|预算)"
    # “已经” asks a tally only beside a quantity asked: “现在他们说已经整改好了” says when
    rf"|{_NOW}(?=[^，。？]*?(?:多少|几|哪))[^，。？]{{0,20}}已经"
    r"|(到现在|至今|迄今|后来)[^，。？]{0,12}(多少|几)"
    # “已经用掉多少了？”“还剩多少额度？” ask for a tally; in “已经把商标值多少钱谈妥了” the 多少 is no question
    r"|(已经|还剩|剩下)[^，。？]{0,6}(多少|几)[^，。？！]{0,3}(?:[？?]|$|了[？?]?$)"
    # “现在实际放出去多少了”: how far a plan has got by now (not “现在是多少了” or “提到多少了”: the level a rule sets)
    r"|(现在|目前|如今|实际)[^，。？]{0,12}(?<![是到])(多少|几[个家笔件]?)了(?=[？?。，,！!]|$)"
    # “累计给银行补偿了多少笔”: a tally of what has been done (“累计最多补多少” is a rule's cap)
    r"|累计[^，。？]{0,10}了(?:多少|几)[^，。？就会才算以]{0,8}(?=[？?]|$)"
)


@lru_cache(maxsize=4)
def _term_list(name: str) -> tuple[str, ...]:
    """One term per line of a resource file; # starts a comment line."""
    text = resources.files("assistant.resources").joinpath(name).read_text(encoding="utf-8")
    return tuple(t.strip() for t in text.splitlines() if t.strip() and not t.startswith("#"))


def out_of_scope_terms() -> tuple[str, ...]:
    return _term_list("out_of_scope.txt")


def out_of_scope(question: str) -> str | None:
    return next((t for t in out_of_scope_terms() if t in question), None)


def adjacent_topics() -> tuple[str, ...]:
    return _term_list("adjacent_topics.txt")


def uncovered_topic(question: str, corpus_text: str) -> str | None:
    """A neighbouring topic (tax, directions, patent filing …) named in the question that no document mentions."""
    return next((t for t in adjacent_topics() if t in question and t.lower() not in corpus_text), None)


def named_figure_missing(question: str, passages: list[str], titles: list[str]) -> bool:
    from assistant.answer.extractive import sentences

    patterns = part_wants(question)
    names = [n for n in named_entities() if n in question.lower()]
    if not patterns or not names:
        return False
    for passage, title in zip(passages, titles, strict=True):
        for sent in sentences(passage):
            if states_wanted(sent, patterns) and any(n in (title + sent).lower() for n in names):
                return False
    return True


def figure_missing(question: str, passages: list[str]) -> bool:
    """The question wants a figure but no top passage states one of that kind (for a question asking when, nor the
    event the time runs from: 质权自办理出质登记时设立 answers 质权从什么时候设立)."""
    patterns = part_wants(question)
    return bool(patterns) and not any(states_wanted(p, patterns) for p in passages)


_ENUMERATOR = re.compile(r"^\s*[（(][一二三四五六七八九十\d]+[)）]\s*")
# a sentence stating the figure this nearly as much about the question answers it instead (measured on the development
# sets: 0.6 declines one unanswerable question fewer; 0.8 to 0.95 the same)
UNSPECIFIED_NEAR = 0.8


def figure_unspecified(question: str, passages: list[str], titles: list[str], weights: dict[str, float]) -> tuple[str, str] | None:
    """The question asks for a figure and the sentence most about it names that quantity without fixing it (按照…的一定比例
    给予补助, 提取相应的准备金), while no sentence nearly as much about it states one: the documents leave the figure
    open. Returns that sentence and its document's title."""
    from assistant.answer.analysis import CHECKS_CLAIM
    from assistant.answer.extractive import sentences, words_of
    from assistant.retrieval.answer_type import given_numbers, leaves_unspecified
    from assistant.retrieval.rerank import coverage

    wants = part_wants(question)
    if not wants or not sum(weights.values()):
        return None
    # the figures the question gives about the firm state nothing asked; one it checks (是15个工作日吧) may be the answer
    checked = {n for c in clauses(question) if CHECKS_CLAIM.search(c) for n in given_numbers(c)}
    given = given_numbers(question) - checked
    scored = [(coverage(weights, words_of(s)), s, title) for passage, title in zip(passages, titles, strict=True) for s in sentences(passage)]
    if not scored:
        return None
    about, best, title = max(scored, key=lambda x: x[0])
    # a condition cut from its list (（三）未按…比例返还…的) quotes badly and may be a penalty's case, not the rule
    if not leaves_unspecified(best, wants) or states_wanted(best, wants, given) or best.rstrip("；;。，, ").endswith("的"):
        return None
    # a sentence nearly as much about it stating such a figure answers it
    if any(a >= UNSPECIFIED_NEAR * about and states_wanted(s, wants, given) for a, s, _t in scored):
        return None
    return _ENUMERATOR.sub("", best).rstrip("；;，, "), title.replace("|", "｜")


_LATIN = re.compile(r"[A-Za-z][A-Za-z0-9\-]+")
# Latin-lettered words that name a file type, an app or a channel, not a topic.
GENERIC_NAMES = frozenset({"app", "pdf", "word", "excel", "wps", "ok", "qq", "id", "ppt", "doc", "docx", "jpg", "png", "ukey", "ca"})


# a third party's own name in what the question asks (有没有人保财险, 陕西恒信资产评估事务所在不在名录里): two or more
# characters of its own (no function word among them) before a kind of firm that is named by its own name (a bank or
# a guarantee company is as often named by its role: 合作银行, 另一家银行)
_ORG = re.compile(r"((?:(?![的是有没在里这那个和与或跟找让给被把从们我你他其各对向按哪一家])[\u4e00-\u9fff]){2,8}(?:财险|人寿|事务所|评估公司))")


def unknown_name(question: str, corpus_text: str) -> str | None:
    """A Latin-lettered name (acronym) in the question that the corpus never mentions."""
    from assistant.retrieval.tokenizer import get_tokenizer

    aliases = get_tokenizer().synonyms
    for word in _LATIN.findall(question):
        w = word.lower()
        if w not in GENERIC_NAMES and w not in aliases and w not in corpus_text:
            return word
    return None


def unknown_firm(question: str, corpus_text: str) -> str | None:
    """A firm the question asks about by its own name (有没有人保财险) that the corpus never mentions: no document
    lists it, so none can say whether it is on a list or does something."""
    return next((m.group(1) for m in _ORG.finditer(asking(question)) if m.group(1) not in corpus_text), None)


# a bank said as where something is done (在工行贷的款, 找宁波银行办) or as the lender of a loan (宁波银行贷的款): the scene
_BANK_AS_PLACE = re.compile(r"(?:在|找|从|跟|向|通过|经|由|到)$")
_BANK_AS_LENDER = re.compile(r"(?:贷|放|借|办)了?的")


def uncovered_banks(text: str, known_text: str) -> list[NamedBank]:
    """The banks a text names by their own name that neither the product catalog nor any document names (``known_text``:
    the corpus's and the catalog's words, lowercased)."""
    from assistant.lexicon.banks import named_banks

    return [b for b in named_banks(text) if not any(n.lower() in known_text for n in b.names)]


def unlisted_bank(question: str, known_text: str) -> str | None:
    """A bank the question asks about by its own name (宁波银行能做专利质押贷款吗) that nothing here covers: nothing
    states its products. A bank named only in the scene (我们在北京银行开的户，能申请贴息吗; 在工行贷的款能申请贴息吗)
    leaves the question to the documents."""
    asked = asking(question)
    return next((b.said for b in uncovered_banks(asked, known_text)
                 if not (_BANK_AS_PLACE.search(asked[: b.start]) or _BANK_AS_LENDER.match(asked, b.start + len(b.said)))), None)


def qualifications() -> tuple[str, ...]:
    from assistant.profile.qualifications import labels

    return labels()


_ASKS_CRITERIA = re.compile(
    r"(?:什么|哪些|啥|哪几个?)(?:条件|标准|指标|门槛|要求)|(?:条件|标准|指标|门槛|要求)(?:是什么|有哪些|是啥)"
    r"|(?:哪个|什么)(?:部门|单位|机构)认定|谁(?:来)?认定|怎么认定|如何认定|认定(?:条件|标准)"
)


@lru_cache(maxsize=1)  # once per index version (the current corpus text is held by the pipeline anyway)
def defined_qualifications(corpus_text: str) -> frozenset[str]:
    """The qualifications a document defines (“本办法所称首贷企业，是指…”, “科技型中小企业须职工总数不超过…”)."""
    defined = set()
    for label in qualifications():
        name = re.escape(label)
        if re.search(rf"所称[^，。；]{{0,6}}{name}|{name}[^，。；、]{{0,6}}(?:，)?(?:是指|须|应当具备|认定标准为|认定条件为)", corpus_text):
            defined.add(label)
    return frozenset(defined)


def undefined_qualification(question: str, corpus_text: str) -> str | None:
    """The question asks how a qualification is recognised (专精特新要满足什么条件) and no document defines it."""
    asked = asking(question)
    if not _ASKS_CRITERIA.search(asked):
        return None
    defined = defined_qualifications(corpus_text)
    return next((q for q in qualifications() if q in question and q not in defined), None)


@dataclass(frozen=True)
class Known:
    """What the index knows, for checks that ask whether the corpus covers something."""

    text: str | None = None  # every chunk's title and text and the product catalog's names, lowercased
    regions: frozenset[str | None] | None = None  # the places the documents govern
    home: str | None = None  # the center's own region


@dataclass(frozen=True)
class Evidence:
    passages: list[str]
    titles: list[str]
    weak: bool  # the answerability model (or the evidence score) finds too little support
    regions: list[str | None] | None = None  # the region of each passage's document
    weights: dict[str, float] | None = None  # the question's words and their weights (how much a sentence is about it)


CheckFn = Callable[[str, Known, Evidence | None], str | None]


@dataclass(frozen=True)
class Check:
    """One answerability check: ``fn`` returns a detail ("" when none) to decline, None to let the question pass.
    The decline reason is ``reason`` (plus ``:detail``). Question checks read the question alone, so they hold for
    product questions too; evidence checks read the passages the composer would quote."""

    name: str
    reason: str
    fn: CheckFn
    needs_evidence: bool


CHECKS: list[Check] = []


def check(name: str, reason: str | None = None, *, evidence: bool = False) -> Callable[[CheckFn], CheckFn]:
    def register(fn: CheckFn) -> CheckFn:
        CHECKS.append(Check(name, reason or name, fn, evidence))
        return fn

    return register


@check("personal_finance", "out_of_scope")
def _personal_finance(question: str, known: Known, ev: Evidence | None) -> str | None:
    return out_of_scope(question)


@check("uncovered_place", "out_of_scope")
def _uncovered_place(question: str, known: Known, ev: Evidence | None) -> str | None:
    from assistant.retrieval.regions import uncovered_place

    return uncovered_place(question, known.regions) if known.regions is not None else None


@check("uncovered_topic", "out_of_scope")
def _uncovered_topic(question: str, known: Known, ev: Evidence | None) -> str | None:
    return (uncovered_topic(question, known.text) or unknown_name(question, known.text)) if known.text else None


@check("unknown_firm", "names_missing")
def _unknown_firm(question: str, known: Known, ev: Evidence | None) -> str | None:
    return "" if known.text and unknown_firm(question, known.text) else None  # declined as names no document gives


@check("unlisted_bank", "bank_unlisted")
def _unlisted_bank(question: str, known: Known, ev: Evidence | None) -> str | None:
    return unlisted_bank(question, known.text) if known.text else None


@check("undefined_qualification")
def _undefined_qualification(question: str, known: Known, ev: Evidence | None) -> str | None:
    return undefined_qualification(question, known.text) if known.text else None


@check("live_data")
def _live_data(question: str, known: Known, ev: Evidence | None) -> str | None:
    return "" if LIVE_DATA.search(question) else None


# before the evidence is judged weak: “nothing on 浙江” says more than “nothing on this”
@check("place_unanswered", evidence=True)
def _place_unanswered(question: str, known: Known, ev: Evidence | None) -> str | None:
    from assistant.answer.analysis import analyse
    from assistant.lexicon.places import gazetteer
    from assistant.retrieval.regions import unanswered_place

    if ev is None or ev.regions is None:
        return None
    # a figure asked is answered by that place's passages only where one states a figure of that kind; a question
    # of several parts is answered there when one part is (“…能用吗？多久结算一次？”: the other part is said
    # unanswered on its own, as the evidence check reads the whole or any part); where the evidence is weak anyway,
    # the place is what the decline names
    parts = analyse(question).parts if not ev.weak else ()
    kinds = [part_wants(part.text) for part in parts] or [part_wants(question)]

    def answers(text: str) -> bool:
        return any(not k or states_wanted(text, k) for k in kinds)

    return unanswered_place(question, list(zip(ev.passages, ev.regions, strict=True)),
                            gazetteer().lookup(known.home) if known.home else None, answers)


@check("weak_evidence", evidence=True)
def _weak(question: str, known: Known, ev: Evidence | None) -> str | None:
    return "" if ev is not None and (not ev.passages or ev.weak) else None


@check("topic_unread", "out_of_scope", evidence=True)
def _topic_unread(question: str, known: Known, ev: Evidence | None) -> str | None:
    # a neighbouring topic the asking clause names (要交增值税吗) that no passage read for the answer names: the corpus
    # may mention the tax somewhere, but what would be quoted says nothing of it
    if ev is None or not ev.passages:
        return None
    return uncovered_topic(asking(question), " ".join(ev.passages).lower())


@check("figure_missing", evidence=True)
def _figure(question: str, known: Known, ev: Evidence | None) -> str | None:
    return "" if ev is not None and figure_missing(question, ev.passages) else None


@check("figure_unspecified", evidence=True)
def _figure_unspecified(question: str, known: Known, ev: Evidence | None) -> str | None:
    from assistant.retrieval.regions import related, scope_mentions

    if ev is None or not ev.weights:
        return None
    read = list(zip(ev.passages, ev.titles, ev.regions or [None] * len(ev.passages), strict=True))
    # a question naming a place is answered by that place's rules where any was read (广东 … 多长时间内不能申请: the
    # province's 三年内, not a national law's 一定期限)
    places = [m.place for m in scope_mentions(question)]
    own = [x for x in read if any(related(x[2], p) for p in places)]
    passages, titles = [x[0] for x in own or read], [x[1] for x in own or read]
    said = figure_unspecified(question, passages, titles, ev.weights)
    return None if said is None else f"{said[1]}|{said[0]}"  # the title (its “|” made full-width), then the sentence


@check("named_figure_missing", evidence=True)
def _named_figure(question: str, known: Known, ev: Evidence | None) -> str | None:
    return "" if ev is not None and named_figure_missing(question, ev.passages, ev.titles) else None


@check("charge_missing", evidence=True)
def _charge(question: str, known: Known, ev: Evidence | None) -> str | None:
    return "" if ev is not None and charge_missing(question, ev.passages, known.text) else None


@check("contact_missing", evidence=True)
def _contact(question: str, known: Known, ev: Evidence | None) -> str | None:
    return "" if ev is not None and contact_missing(question, ev.passages) else None


@check("names_missing", evidence=True)
def _names(question: str, known: Known, ev: Evidence | None) -> str | None:
    return "" if ev is not None and names_missing(question, ev.passages) else None


def _run(question: str, known: Known, ev: Evidence | None) -> str | None:
    for c in CHECKS:
        if c.needs_evidence and ev is None:
            continue
        detail = c.fn(question, known, ev)
        if detail is not None:
            return f"{c.reason}:{detail}" if detail else c.reason
    return None


def declines_on(reason: str | None, question: str, text: str, corpus_text: str | None = None) -> bool:
    """The checks that gave ``reason`` decline the question again with ``text`` as their only evidence: a question
    check holds whatever was said (live figures stay live), an evidence check is run on the text (the charge or the
    names still not stated). Weak evidence is no such check: what was said may answer it."""
    name = (reason or "").split(":", 1)[0]
    known = Known(corpus_text, None)
    ev = Evidence([text], [""], False)  # one passage, with no title of its own
    return any(c.fn(question, known, ev) is not None for c in CHECKS if c.reason == name and c.name != "weak_evidence")


def scope_reason(question: str, corpus_text: str | None = None, regions: Iterable[str | None] | None = None) -> str | None:
    """The question checks (registered above, in order)."""
    return _run(question, Known(corpus_text, frozenset(regions) if regions is not None else None), None)


def decline_reason(
    question: str, passages: list[str], titles: list[str], weak: bool, corpus_text: str | None = None,
    regions: Iterable[str | None] | None = None, passage_regions: list[str | None] | None = None, home: str | None = None,
    weights: dict[str, float] | None = None,
) -> str | None:
    """Every registered check, question checks first."""
    return _run(question, Known(corpus_text, frozenset(regions) if regions is not None else None, home),
                Evidence(passages, titles, weak, passage_regions, weights))
