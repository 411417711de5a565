"""Ask: retrieve, check the evidence, compose a cited answer (extractive, or an LLM when configured)."""

from __future__ import annotations

import dataclasses
import re
import time
from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import TYPE_CHECKING

from assistant.answer.analysis import CHECKS_CLAIM, Part, QuestionAnalysis, analyse, per_year, without_asides
from assistant.answer.answerability import best_sentence
from assistant.answer.extractive import (
    MIN_NEW,
    OWN_INFORMATIVE,
    Passage,
    Picked,
    item_scopes,
    pick_sentences,
    sentences,
    strip_lead,
    trim,
    with_scene,
    words_of,
)
from assistant.answer.parts import bigrams, figures_of, restates, said_before
from assistant.answer.scope import decline_reason, declines_on, scope_reason
from assistant.answer.types import Answer, Citation
from assistant.errors import AssistantError
from assistant.index.snapshot import Snapshot, get_snapshot
from assistant.index.versions import latest
from assistant.ingest.faq import entry_questions, faq_question
from assistant.language import to_chinese, writes_chinese
from assistant.retrieval.answer_type import (
    A_NOT_A,
    asked_unit,
    asking,
    asks_an_end,
    clauses,
    count_asked,
    counts,
    given_numbers,
    is_cue,
    list_asked,
    measure_asked,
    numerals_said,
    part_wants,
    states_count_of,
    states_list_of,
    states_wanted,
    wanted,
    worked_example,
)
from assistant.retrieval.hits import Hit
from assistant.retrieval.rerank import coverage, query_terms
from assistant.retrieval.search import OLD_POLICY_SLOT, SearchConfig, SearchResult, search
from assistant.retrieval.tokenizer import get_tokenizer
from assistant.retrieval.vector import with_similarity
from assistant.settings import Settings

if TYPE_CHECKING:
    from assistant.answer.calculate import Calculation, Checked
    from assistant.answer.verdict import Rule
    from assistant.products.schema import Product

PASSAGES = OLD_POLICY_SLOT  # passages the composer reads; an old-policy question's expired document is among them
PART_DEPTH = 3  # a part's own passage is chosen among its best three
SUBJECT_WORDS = 2  # a part's weightiest words, one of which a sentence stating the figure it asks must use
SUBJECT_SHARE = 0.5  # ... each weighing at least this share of the weightiest
SUBJECT_FLOOR = 0.2  # ... and at least this much: 企业 (0.07), said by nearly every passage, is no one's subject
PART_COVERED = 0.6  # share of a part's weighted words the whole answer must say for the part to count as answered
NO_INFO = "资料中没有相关规定"  # what the LLM is told to say when the passages do not answer (answer/llm.py)


def _about(cited: list[Citation], snapshot: Snapshot) -> dict[str, str]:
    """What each cited passage is about beyond its words (verdict.passage_about), its FAQ 相似问 read from the index."""
    from assistant.answer.verdict import passage_about

    out = {}
    for c in cited:
        at = snapshot.positions.get(c.chunk_id)
        out[c.chunk_id] = passage_about(c.title, c.text, snapshot.chunks[at].get("aliases") if at is not None else None)
    return out


def asks_about_old_policy(question: str) -> bool:
    """Expired documents are searched only when the question points at the past (“2019年暂行办法”, “以前”)."""
    return analyse(question).past


def citation_for(n: int, chunk: dict, snapshot: Snapshot, idx: int) -> Citation:
    return Citation(
        n=n, doc_id=chunk["doc_id"], title=chunk["title"], source=chunk["source"], page=chunk.get("page"),
        article=chunk.get("article"), section=chunk.get("section") or None, doc_number=chunk.get("doc_number"),
        text=chunk["text"], expired=not snapshot.in_force(idx), chunk_id=chunk["id"], ocr=bool(chunk.get("ocr")),
    )


def refusal_text(question: str, settings: Settings, reason: str | None = None, related: list[str] | None = None,
                 cited: bool = True) -> str:
    """A short decline: what the documents do not state, where they touch the topic, and whom to ask. The question
    is not repeated back. ``cited``: a sentence it quotes is cited as [1] (False when the passage was not found)."""
    contact = f"建议咨询{settings.service_center_contact}。"
    if reason == "live_data":
        return f"这涉及实时数据（当前名单、资金使用进度、在办数量等），政策文件中没有，我无法给出准确数字。{contact}"
    if reason == "charge_missing":
        return f"现有资料载明的是相关费用的补贴办法，没有载明收费标准，我不能凭空给出数字；实际收费以服务机构或银行报价为准。{contact}"
    if reason and reason.startswith("figure_unspecified:"):
        title, _, sentence = reason.split(":", 1)[1].partition("|")
        said = f"：《{title}》规定“{sentence.rstrip('。；;')}”{'[1]' if cited else ''}" if sentence else ""
        return f"现有资料对此只作了原则性规定，没有载明具体数字{said}。具体标准请以主管部门的实施细则为准，{contact}"
    if reason and reason.startswith("place_unanswered:"):
        place = reason.split(":", 1)[1]
        return f"现有资料中没有{place}关于这个问题的规定（已收录的当地文件和国家层面的文件都未涉及所问内容），我不能凭空作答。{contact}"
    if reason and reason.startswith("bank_unlisted:"):
        bank = reason.split(":", 1)[1]
        partners = "、".join(dict.fromkeys(p.institution for p in _usable_catalog(settings)))
        listed = f"服务中心产品库收录的是{partners}的产品，" if partners else ""
        return f"{listed}现有资料中没有{bank}的产品和政策信息，我不能凭空作答。{bank}的产品请直接向该行了解。{contact}"
    if reason == "names_missing":
        return f"现有政策与产品资料没有列出具体的机构名单。{contact}"
    if reason == "contact_missing":
        return f"现有政策与产品资料没有载明所问的网址、电话、邮箱、地址或办公时间。{contact}"
    if reason and reason.startswith("undefined_qualification:"):
        label = reason.split(":", 1)[1]
        return f"现有资料只把“{label}”列为部分产品和政策的申请条件，没有载明它的认定条件和认定部门，请以主管部门发布的认定办法为准。{contact}"
    near = "、".join(f"《{t}》" for t in dict.fromkeys(related or []) if t)
    if near:
        return f"现有资料没有载明这个问题的答案（相关的文件有{near}，但未涉及所问内容），我不能凭空作答。{contact}"
    return f"现有政策与产品资料中没有这方面的内容，我不能凭空作答。{contact}"


# Weight of a question word the corpus never uses. Such words cannot be covered by any passage; most are the
# asker's own phrasing (估个价, 好几十件), so at the top idf they would sink well-answered questions. At about the
# weight of the corpus's commonest words they still count, without drowning the terms the corpus can match.
UNSEEN_WEIGHT = 1.0
# A number said in a question (好几十件, 两笔, 28号, 百分之一) counts or dates a thing, it is no topic: documents write
# their own numbers, and a rare numeral word's idf would make it the heaviest word asked.
NUMERAL_SHARE = 0.1  # measured on the development sets: 0.0 and 0.3 change the same answers


_CORPUS_TEXT: dict[str, str] = {}


def corpus_text(snapshot: Snapshot) -> str:
    """Every chunk's title and text, lowercased, once per index version (for “does the corpus mention X”)."""
    return latest(_CORPUS_TEXT, snapshot.version,
                  lambda: "\n".join(f"{c['title']}\n{c['text']}" for c in snapshot.chunks).lower())


_KNOWN: dict[str, str] = {}


def known_text(snapshot: Snapshot, settings: Settings) -> str:
    """What the scope checks read as named somewhere: the corpus text and the product catalog's banks and products,
    lowercased (a partner bank no document names is still covered)."""
    names = "\n".join(f"{p.institution} {p.name}" for p in _usable_catalog(settings)).lower()
    return latest(_KNOWN, f"{snapshot.version}:{hash(names)}", lambda: f"{corpus_text(snapshot)}\n{names}")


_CHINESE: dict[str, bool] = {}


def corpus_is_chinese(snapshot: Snapshot) -> bool:
    """Whether the indexed documents are written in Chinese, once per index version (English questions are put into
    Chinese only for a Chinese corpus)."""
    return latest(_CHINESE, snapshot.version, lambda: writes_chinese(corpus_text(snapshot)))


def typos_corrected(question: str, snapshot: Snapshot, settings: Settings) -> str:
    """The question with homophone typos of the corpus's words put right (帖息 → 贴息; lexicon/typos.py). A product's
    name counts as the documents' words: 专享 in a record's name is no typo of 专项."""
    from assistant.lexicon.typos import corrector

    names = " ".join(p.name for p in _usable_catalog(settings))
    key = f"{snapshot.version}:{hash(names)}"
    return corrector(key, (c["tokens"] for c in snapshot.chunks), f"{corpus_text(snapshot)}\n{names}").correct(question)


def question_weights(question: str, snapshot: Snapshot) -> dict[str, float]:
    """Each question word's weight: its corpus idf times its general-language informativeness (see evidence_score).
    The places where its rules apply weigh nothing (regions.without_scope_places): a once-used abbreviation (粤,
    这边) had been the heaviest word asked. A question naming nothing but places keeps their words."""
    from assistant.retrieval.regions import without_scope_places

    tok = get_tokenizer()
    said = numerals_said(question)
    terms = query_terms(without_scope_places(question), snapshot)
    # a word that names something: a noun by jieba's dictionary, or a word it does not know (a domain term)
    if not any(tok.noun(t) or (not tok.in_dictionary(t) and tok.informativeness(t) >= OWN_INFORMATIVE) for t in terms):
        terms = query_terms(question, snapshot)  # 沣东新城属于西咸新区吗: the places are what is asked
    return {t: snapshot.idf.get(t, UNSEEN_WEIGHT) * (NUMERAL_SHARE if counts(t, said) else tok.informativeness(t))
            for t in terms}


def answer_signals(question: str, hits: list[Hit], snapshot: Snapshot) -> dict[str, float]:
    """The signals the answerability model reads (answer/answerability.py)."""
    from assistant.answer.answerability import signals

    terms = question_weights(question, snapshot)
    unseen = {t for t in terms if t not in snapshot.idf}
    return signals(question, terms, unseen, with_similarity(question, hits[:PASSAGES], snapshot), snapshot.chunks, PASSAGES)


def weak_evidence(question: str, hits: list[Hit], snapshot: Snapshot, settings: Settings,
                  parts: Sequence[tuple[str, list[Hit]]] = ()) -> bool:
    """Too little support to answer: by the fitted model for this index's embedder, else by the evidence score.
    ``parts``: each part of a several-part question with its own hits. The question is answered when the whole or
    any part is supported (each part's passage then answers it; the composer leaves an unsupported part out):
    the whole's words spread over two articles, and no one passage covers them."""
    from assistant.answer.answerability import model_for

    model = model_for(snapshot.manifest.embedder_kind) if settings.answerability_model else None

    def weak(text: str, found: list[Hit]) -> bool:
        if model is None:
            return evidence_score(text, found, snapshot) < settings.refusal_threshold
        return model.probability(answer_signals(text, found, snapshot)) < model.threshold

    return weak(question, hits) and all(weak(text, found) for text, found in parts)


STORY_SHARE = 0.5  # the asking clauses are at most this share of a question that tells a story first


def _core_search(analysis: QuestionAnalysis, snapshot: Snapshot, settings: Settings, cfg: SearchConfig,
                 include_expired: bool, k: int | None) -> tuple[str, list[Hit]] | None:
    """A one-part question that tells its story first (我们是…，去年…，现在…) is judged on what it asks as well: the
    story's words dilute the share of the question any one passage covers. The asking clauses and their passages
    when those support them; None when they do not too, or the question is no story."""
    core = asking(analysis.query)
    if len(core) > STORY_SHARE * len(analysis.query) or len(analysis.parts) > 1:
        return None
    found = _search(snapshot, analysis, core, k or settings.top_k, cfg, settings, include_expired=include_expired).hits
    return None if weak_evidence(core, found, snapshot, settings) else (core, found)


def _search(snapshot: Snapshot, analysis: QuestionAnalysis, query: str, k: int, cfg: SearchConfig, settings: Settings, *,
            include_expired: bool = False, old_policy: bool = False) -> SearchResult:
    """A search for an analysed question, with the places, levels of government and kinds of instrument it names."""
    return search(snapshot, query, k, cfg, settings, include_expired=include_expired, old_policy=old_policy,
                  places=analysis.places, levels=analysis.levels, instruments=analysis.instruments)


def part_searches(analysis: QuestionAnalysis, snapshot: Snapshot, settings: Settings, cfg: SearchConfig,
                  include_expired: bool) -> list[tuple[str, list[Hit]]]:
    """Each part of a several-part question searched on its own (none for a one-part question)."""
    if len(analysis.parts) < 2:
        return []
    return [(p.text, _search(snapshot, analysis, p.text, max(PART_DEPTH, PASSAGES), cfg, settings, include_expired=include_expired).hits)
            for p in analysis.parts]


def parts_in_top(hits: list[Hit], parts: list[tuple[str, list[Hit]]], top: int = PASSAGES) -> list[Hit]:
    """A several-part question's top passages hold something for every part: a part none of whose own best few
    passages the whole question ranked in its top ``top`` brings its best one in, after the whole question's first
    (“实用新型保护几年？在日本先申请的话优先权多久内提？”: the whole question's words are mostly the second part's).
    Measured: realdocs recall@5 0.944 → 0.952, the other development sets no lower."""
    shown = {h.idx for h in hits[:top]}
    missing: dict[int, Hit] = {}
    for i, (_part, found) in enumerate(parts):
        if found and not shown & {h.idx for h in found[:PART_DEPTH]} and found[0].idx not in missing:
            missing[found[0].idx] = Hit(idx=found[0].idx, score=0.0, stages={**found[0].stages, "part": float(i)})
    if not missing or not hits:
        return hits
    keep = min(len(hits), max(1, top - len(missing)))
    added = list(missing.values())[: top - keep]
    for h in added:
        h.score = hits[keep - 1].score  # ranked as the last passage it follows: the list stays in score order
    taken = {h.idx for h in added}
    return hits[:keep] + added + [h for h in hits[keep:] if h.idx not in taken]


def retrieved(analysis: QuestionAnalysis, snapshot: Snapshot, settings: Settings, cfg: SearchConfig, k: int,
              include_expired: bool, old_policy: bool) -> tuple[SearchResult, list[tuple[str, list[Hit]]]]:
    """What ask() retrieves for an analysed question (the analysis as search_analysis gives it): the whole question's
    ranked passages, with every part represented in the top, and each part's own search."""
    result = _search(snapshot, analysis, analysis.query, k, cfg, settings, include_expired=include_expired, old_policy=old_policy)
    parts = part_searches(analysis, snapshot, settings, cfg, include_expired)
    return dataclasses.replace(result, hits=parts_in_top(result.hits, parts)), parts


def search_analysis(analysis: QuestionAnalysis, settings: Settings) -> QuestionAnalysis:
    """The analysis as retrieval reads it: a year before what is paid read as per year, and the places retrieval
    prefers (retrieval.regions.search_places: none for a firm registered near the center, asking about the center's
    programmes)."""
    from assistant.lexicon.places import gazetteer
    from assistant.retrieval.regions import search_places

    # “一年最多补多少” is searched as the rules say it (每年最多): a year before what is paid is per year, not a term
    searched = dataclasses.replace(analysis, query=per_year(analysis.query))
    if not analysis.places:
        return searched
    return dataclasses.replace(searched, places=tuple(search_places(analysis.query, gazetteer().lookup(settings.home_region))))


def evidence_score(question: str, hits: list[Hit], snapshot: Snapshot) -> float:
    """Share of the question's weight that the best of the top passages covers (0–1). A word weighs its corpus
    idf times its general-language informativeness: in a small corpus a once-used everyday word (拿, 一家) gets
    the top idf, and would otherwise decide whether a question is answerable."""
    terms = question_weights(question, snapshot)
    if not terms or not hits:
        return 0.0
    return max(coverage(terms, set(snapshot.chunks[h.idx]["tokens"])) for h in hits[:PASSAGES])


def ask(
    question: str,
    settings: Settings,
    *,
    history: list[str] | None = None,
    include_expired: bool | None = None,
    k: int | None = None,
    cfg: SearchConfig | None = None,
    use_llm: bool = True,
    compute: bool = True,  # False: the calculator has answered its part already
    plan: bool = True,  # False: one part of a several-part question, answered as it stands
    facts: list[str] | None = None,  # what the user said before in a chat (its figures fill a calculation)
) -> Answer:
    answer = _answer(question, settings, history=history, include_expired=include_expired, k=k, cfg=cfg, use_llm=use_llm,
                     compute=compute, plan=plan, facts=facts)
    return _bank_noted(question, answer, settings) if plan else answer  # a part's answer is noted with the whole's


def _bank_noted(question: str, answer: Answer, settings: Settings) -> Answer:
    """An answer to a question that names a bank nothing here covers, only in its scene (我们在宁波银行开的户，能申请
    贴息吗): the documents answer it, and the answer says that bank's own products are not among them."""
    from assistant.answer.scope import uncovered_banks

    if answer.refused:
        return answer
    unlisted = [b.said for b in uncovered_banks(question, known_text(get_snapshot(settings), settings))]
    if not unlisted:
        return answer
    note = f"（说明：现有资料和服务中心产品库中没有{'、'.join(dict.fromkeys(unlisted))}的产品信息，以上是现有政策和合作银行产品的规定。）"
    return answer.model_copy(update={"answer": f"{answer.answer.rstrip()}\n{note}"})


def _answer(
    question: str,
    settings: Settings,
    *,
    history: list[str] | None,
    include_expired: bool | None,
    k: int | None,
    cfg: SearchConfig | None,
    use_llm: bool,
    compute: bool,
    plan: bool,
    facts: list[str] | None,
) -> Answer:
    t0 = time.perf_counter()
    snapshot = get_snapshot(settings)
    timings: dict[str, float] = {"load": (time.perf_counter() - t0) * 1000}
    asked = question
    if corpus_is_chinese(snapshot):
        question = to_chinese(question)  # an English or mixed question, in the corpus's Chinese (answered in Chinese)
    question = typos_corrected(question, snapshot, settings)
    analysis = search_analysis(analyse(question, tuple(history or ())), settings)  # once: retrieval and the checks read it
    query = analysis.query
    cfg = cfg or SearchConfig.from_settings(settings)
    own = analyse(question) if history else analysis  # the parts the user typed, not those of the follow-up rewrite
    if plan and len(own.parts) >= 2:
        planned = _planned(question, own, history, settings, include_expired, k, cfg, use_llm, facts, compute=compute)
        if planned is not None:
            planned.timings = _round({**timings, **planned.timings, "total": (time.perf_counter() - t0) * 1000})
            planned.index_version = snapshot.version
            return planned
    computed = _computed(question, history, analysis, snapshot, settings, cfg, use_llm, facts) if compute else None
    if computed is not None:
        computed = _phrased(question, computed, settings, use_llm)
        computed.timings = _round({**timings, "total": (time.perf_counter() - t0) * 1000})
        computed.index_version = snapshot.version
        return computed
    named = _product_answer(question, history, settings)
    if named is not None and len(named[1]) == 1 and _asks_a_programme(analysis, named[1][0], _subsidy_names(settings)):
        named = None  # “在建行办知产贷…，贷款进资金池，银行能要求加房产抵押吗”: the pool's rules answer, not the record
    if named is not None:
        product, records = named
        reason = scope_reason(question, known_text(snapshot, settings), snapshot.regions)
        if reason:  # “知惠贷和科技知产贷哪个通过率高”: no product sheet states an approval rate
            return _declined(asked, settings, reason, timings, t0, snapshot)
        if len(records) == 1:
            record = records[0]
            product = _with_product_sources(query, product, record, snapshot, settings, cfg)
            if analysis.yes_no:
                from assistant.answer.verdict import (
                    asks_need,
                    claim_verdict,
                    for_question,
                    product_verdict,
                    with_verdict,
                    worded_verdict,
                )

                # a figure the question checks (“发明专利质押率还是25%吗”) against the record's; else what the firm said
                # of itself, earlier in the conversation too, against the product's rules
                # (the record answer shows the fields asked, e.g. one IP type's ratio: it is what is checked)
                shown = [c.model_copy(update={"text": product.answer}) for c in product.citations[:1]]
                claimed = claim_verdict(question, shown, product.answer, min_shared=1)  # the record is the product's
                # whether something is required (是不是得让担保公司担保) is the record's words to say first: the loan
                # the firm's figures ask may be within the product's bounds and still need it
                need = asks_need(question) and not claimed
                worded = worded_verdict(question, product.citations, product.answer) if need else None
                if claimed:
                    decided = claimed[0]
                elif worded:
                    decided = None
                else:
                    decided = product_verdict(question, record, facts=[*(facts or []), *(history or [])])
                if need and decided is not None:
                    # what the firm meets or fails says nothing of what it must give: a condition it fails is noted, and
                    # no yes or no is said of the need
                    if not decided.ok:
                        note = f"提示：按产品库登记的申请条件，{'；'.join(decided.reasons)}[1]。"
                        product = product.model_copy(update={"answer": f"{product.answer}\n{note}"})
                    decided = None
                if decided is not None:
                    product = with_verdict(product, for_question(question, decided), "[1]")
                else:  # what the record's own words allow, forbid, waive or require (企业无需另付评估费)
                    worded = worded or worded_verdict(question, product.citations, product.answer)
                    if worded is not None:
                        product = with_verdict(product, for_question(question, worded[0]), "".join(f"[{n}]" for n in worded[1]))
        product = _phrased(question, product, settings, use_llm)
        product.timings = _round({**timings, "total": (time.perf_counter() - t0) * 1000})
        product.index_version = snapshot.version
        return product
    points_back = analysis.past
    if include_expired is None:
        include_expired = points_back
    result, parts = retrieved(analysis, snapshot, settings, cfg, k or settings.top_k, include_expired, points_back)
    timings.update(result.timings)
    hits = result.hits

    t = time.perf_counter()
    weak = weak_evidence(without_asides(query), hits, snapshot, settings, parts)
    if weak and (core := _core_search(analysis, snapshot, settings, cfg, include_expired, k)) is not None:
        # the story dilutes what the asking clauses find: their own passages come along, as a part's do
        parts, weak = [*parts, core], False
    # the evidence checks read what the composer will read: the top passages and each part's own
    read = dict.fromkeys([h.idx for h in hits[:PASSAGES]] + [h.idx for _p, found in parts for h in found[:PART_DEPTH]])
    top = [snapshot.chunks[i] for i in read]
    reason = decline_reason(question, [c["text"] for c in top], [c["title"] for c in top], weak, known_text(snapshot, settings), snapshot.regions,
                            [c.get("region") for c in top], settings.home_region, question_weights(query, snapshot))
    if reason:
        timings["compose"] = (time.perf_counter() - t) * 1000
        # where the documents touch the topic: the titles of the two passages retrieval ranked first
        related = [c["title"] for c in top[:2]] if reason in ("weak_evidence", "figure_missing", "named_figure_missing") else []
        # a decline that quotes what the rule does say cites it
        quoted = reason.partition("|")[2] if reason.startswith("figure_unspecified:") else ""
        source = next((i for i in read if quoted and quoted in snapshot.chunks[i]["text"]), None)
        cited = [citation_for(1, snapshot.chunks[source], snapshot, source)] if source is not None else []
        return _declined(asked, settings, reason, timings, t0, snapshot, related, cited)

    hits = _with_case_article(query, hits, snapshot)
    hits = _with_part_passages(hits, parts, snapshot)
    passages = [
        Passage(n=i + 1, text=c["text"], rank=i, context=_context(c), expired=not snapshot.in_force(h.idx), doc=c["doc_id"],
                part=int(h.stages["part"]) if "part" in h.stages else None)
        for i, (h, c) in enumerate((h, snapshot.chunks[h.idx]) for h in hits)
    ]
    if settings.llm_base_url and settings.llm_model and use_llm:
        from assistant.answer.llm import llm_answer

        # the model reads what the extractive composer reads: the top five, a case article, each part's passage
        answer = llm_answer(question, [snapshot.chunks[h.idx] for h in hits], settings, history)
        if answer is not None:
            text, used = answer
            timings["generate"] = (time.perf_counter() - t) * 1000
            timings["total"] = (time.perf_counter() - t0) * 1000
            if not used and NO_INFO in text:
                # The model found nothing in the passages: the same decline as ours, so it counts as unanswered.
                return Answer(answer=refusal_text(asked, settings), refused=True, timings=_round(timings), composer="llm",
                              index_version=snapshot.version, decline_reason="llm_no_info")
            citations = [citation_for(j + 1, snapshot.chunks[hits[i].idx], snapshot, hits[i].idx) for j, i in enumerate(used)]
            return Answer(answer=_with_warnings(text, citations), citations=citations, timings=_round(timings), composer="llm", index_version=snapshot.version)
    picked = pick_sentences(query, passages, snapshot.idf, past=include_expired)
    text, citations = _render(picked, hits, snapshot, question=query)
    timings["compose"] = (time.perf_counter() - t) * 1000
    timings["total"] = (time.perf_counter() - t0) * 1000
    composed = Answer(answer=_with_warnings(text, citations), citations=citations, timings=_round(timings), index_version=snapshot.version)
    return _concluded(question, analysis, _outdated_marked(composed, settings), snapshot, settings, cfg)


def _phrased(question: str, answer: Answer, settings: Settings, use_llm: bool) -> Answer:
    """A tool's answer (a calculation, a record, a comparison, a verdict) phrased by the LLM when one is configured:
    the tool's figures and citations go to the model as facts to keep; a reply that changes one is not used."""
    if not (settings.llm_base_url and settings.llm_model and use_llm) or answer.refused:
        return answer
    from assistant.answer.llm import phrase

    text = phrase(question, answer.answer, settings)
    return answer if text is None else answer.model_copy(update={"answer": text, "composer": "llm"})


def _outdated_marked(answer: Answer, settings: Settings) -> Answer:
    """A quoted product figure its record now states differently is marked, with the record's figure."""
    from assistant.answer.outdated import mark_outdated
    from assistant.products.catalog import catalog_for

    try:
        catalog = catalog_for(settings)
    except AssistantError:
        return answer
    return mark_outdated(answer, catalog)


def _of_banks_named(question: str, cited: list[Citation], settings: Settings) -> list[Citation]:
    """The cited passages whose bounds may judge the firm's figures: where the question names a bank, no product record
    of another bank (交行's 发明专利不少于3件 says nothing of a patent pledged to 中行)."""
    from assistant.lexicon.banks import banks_named, named_banks, short_names

    catalog = _usable_catalog(settings)
    named = {n for b in named_banks(question) for n in b.names}
    named |= {n for i in banks_named(question, (p.institution for p in catalog)) for n in short_names(i)}
    if not named:
        return cited
    institution = {f"product:{p.id}": p.institution for p in catalog}
    return [c for c in cited if c.doc_id not in institution or set(short_names(institution[c.doc_id])) & named]


def _of_levels_named(question: str, cited: list[Citation], snapshot: Snapshot) -> list[Citation]:
    """The cited passages of the levels of government the question names (市里 → a city's document), all where it names
    none: a district's filing rounds say nothing of the city's subsidy."""
    from assistant.lexicon.places import gazetteer, levels_in

    asked = levels_in(question)
    if not asked:
        return cited
    def of_level(c: Citation) -> bool:
        at = snapshot.positions.get(c.chunk_id or "")
        places = gazetteer().places(snapshot.chunks[at].get("region") or "") if at is not None else []
        return not places or any(p.level in asked for p in places)

    return [c for c in cited if of_level(c)]


def _concluded(question: str, analysis: QuestionAnalysis, answer: Answer, snapshot: Snapshot, settings: Settings,
               cfg: SearchConfig) -> Answer:
    """A yes/no question leads with its conclusion. About the firm's own condition (a figure, where it is
    registered): the bounds of the cited passages decide; when none bounds it, the rule is searched for by the words
    around the figure (“中间断了14个月” → the article on a policy lapsed for more than 12 months), or for a place by
    what is asked plus registration, and quoted too. About an act (“两个都能申请吗”): the quoted clause that allows
    or forbids it."""
    if not analysis.yes_no or answer.refused:
        return answer
    from assistant.answer.lapse_verdict import lapse_verdict
    from assistant.answer.round_verdict import round_verdict
    from assistant.answer.verdict import (
        NOT_THE_CASE,
        asks_eligible,
        case_requirement_verdict,
        claim_verdict,
        consequence_verdict,
        elapsed,
        for_question,
        policy_verdict,
        registered_place,
        stated_dates,
        stated_figures,
        with_verdict,
        worded_verdict,
    )

    # the figures of the scene and of the parts that ask yes or no: one stated in a part asking when or how much is
    # no condition (“我们一件发明专利打算押…，质权什么时候成立？”)
    other = "，".join(p.text for p in analysis.parts if p.asks != "yes_no") if len(analysis.parts) >= 2 else ""
    yes_no = "，".join(p.text for p in analysis.parts if p.asks == "yes_no")
    figures = [f for f in stated_figures(question) if not f.claimed and not (f.text in other and f.text not in yes_no)]
    if other and not asks_eligible(yes_no):
        # “押两件发明专利。…几天能批下来？登记要交钱吗？”: a count the scene gives conditions whether the firm may take
        # part, not whether a step charges a fee; a several-part question's yes/no about a step judges its own figures
        figures = [f for f in figures if f.text in yes_no]
    # a step the firm missed and asks to take late, which a cited rule says is lost: that rule is about the firm's own case
    # and outranks a time limit the firm's figures may seem to meet (15天里没补正 is no 15 days kept)
    lapsed = lapse_verdict(question, answer.citations) if len(analysis.parts) == 1 else None
    if lapsed is not None:
        return with_verdict(answer, lapsed[0], "".join(f"[{n}]" for n in lapsed[1]))
    # the round the firm means to file in, against the period of payments each round takes (明年1月再报 the 3月 fee)
    in_round = round_verdict(question, _of_levels_named(question, answer.citations, snapshot)) if len(analysis.parts) == 1 else None
    if in_round is not None:
        return with_verdict(answer, in_round[0], "".join(f"[{n}]" for n in in_round[1]))
    # the consequence a rule sets for the firm's case, when that is what is asked (是不是就算撤回了), over the bound; a
    # consequence asked of a case the firm is not in is left to the quotes (a bound met is no answer to it)
    consequence = consequence_verdict(question, answer.citations)
    if consequence == NOT_THE_CASE:
        return answer
    if consequence is None:  # what a rule requires of a case, asked (要不要退回去): whether the firm is in that case
        consequence = case_requirement_verdict(question, answer.citations)
    judged = _of_banks_named(question, answer.citations, settings)
    decided = consequence if isinstance(consequence, tuple) else policy_verdict(
        question, judged, figures=figures, topics=snapshot.topics, about=_about(judged, snapshot))
    stance = worded_verdict(question, answer.citations, answer.answer)
    if decided is not None and stance is not None and min(stance[1]) < min(decided[1]):
        decided = stance  # the passage that answers best forbids or allows the act: a bound further down does not overrule it
    queries = []
    if decided is None:
        subject = " ".join(sorted(part_subject(question, snapshot)))
        # what is asked of the figure names the rule's consequence (“还能按首次投保拿补贴吗” → 按首次投保认定)
        asked_clause = asking(question)
        asked_clause = "" if asked_clause == question else asked_clause
        for figure in figures[:3]:
            # the words around the figure as typed: the rule is about what they say, not the whole question; and what
            # the question is about (“秦科保…中间断了14个月”: the lapse rule of that policy, not of another)
            at = question.find(figure.text)
            around = question[max(0, at - VERDICT_CONTEXT): at + len(figure.text) + VERDICT_CONTEXT] if at >= 0 else figure.context
            queries.append(f"{subject} {around} {asked_clause}")
        if elapsed(question):  # the time between two dates it states: the rule is about what happened on them
            queries += [f"{d.event} {asking(question)}" for d in stated_dates(question)[:3]]
        if registered_place(question) is not None:
            queries.append(f"{asking(question)} 注册登记")  # who may apply: the article on where an applicant is registered
    if queries:
        shown = {c.chunk_id for c in answer.citations}
        found = [h for query in queries for h in _search(snapshot, analysis, query, VERDICT_DEPTH, cfg, settings).hits
                 if snapshot.chunks[h.idx]["id"] not in shown and snapshot.in_force(h.idx)]
        idxs = list(dict.fromkeys(h.idx for h in found))
        extra = [citation_for(len(answer.citations) + i + 1, snapshot.chunks[idx], snapshot, idx) for i, idx in enumerate(idxs)]
        tried = policy_verdict(question, extra, figures=figures, topics=snapshot.topics, about=_about(extra, snapshot))
        if tried is not None:
            verdict, ns = tried
            used = [c for c in extra if c.n in ns]
            renumber = {c.n: len(answer.citations) + i + 1 for i, c in enumerate(used)}
            quote = "".join(f"{_bound_sentence(c.text, [r for r in verdict.rules if r.citation == c.n])}[{renumber[c.n]}]"
                            for c in used)
            answer = answer.model_copy(update={
                "answer": f"{answer.answer}\n{quote}",
                "citations": [*answer.citations, *(c.model_copy(update={"n": renumber[c.n]}) for c in used)],
            })
            decided = (verdict, [renumber[n] for n in ns])
    if decided is None:
        decided = stance
    checked = decided is None
    if checked:  # a figure the question checks (“续保是不是还是80%”) against the sentence that states it
        decided = claim_verdict(question, answer.citations, answer.answer)
    if decided is None:
        return answer
    verdict, ns = decided
    concluded_ = with_verdict(answer, for_question(question, verdict), "".join(f"[{n}]" for n in ns))
    if checked and not verdict.ok:
        return _without_claim_restated(question, concluded_, ns, part_subject(question, snapshot))
    return concluded_


def _without_claim_restated(question: str, answer: Answer, deciding: list[int], subject: set[str]) -> Answer:
    """Found not to hold, a figure the question checks (15个工作日内报备案，现在还是吗) is not quoted again from another
    passage, unmarked as old, about another thing (…在15个工作日内反馈对接结果: no sentence holding it names the question's
    ``subject``): beside “不是”, it reads as if the claim held after all. A sentence about what is asked stays (首贷企业
    …提高到80%): it may be the rule that shows the verdict wrong."""
    from assistant.answer.extractive import MARKED_OLD, claimed_figures
    from assistant.answer.parts import cited_only, marks_of, unmarked

    claimed = [re.compile(rf"(?<![\d.上下]){re.escape(c)}") for c in claimed_figures(question)]  # 3年 is not 2023年, 30% not 130%
    own = {str(n) for n in deciding}

    def about_else(line: str) -> bool:  # the figure said of another thing: no sentence holding it names what is asked
        holding = [x for x in sentences(unmarked(line)) if any(c.search(x) for c in claimed)]
        return bool(holding) and not any(subject & words_of(x) for x in holding)

    said = answer.answer.split("\n")
    lines = [line for line in said if marks_of(line) & own or MARKED_OLD.search(line) or not about_else(line)]
    if len(lines) == len(said) or not lines:
        return answer
    text, kept = cited_only("\n".join(lines), answer.citations)
    return answer.model_copy(update={"answer": text, "citations": kept})


# a sum the question checks is the one computed within this many 元, or this share of it (people round: 1.9万 for 19,200)
CHECKED_TOLERANCE_YUAN = 1.0
CHECKED_TOLERANCE = 0.01
VERDICT_DEPTH = 8  # passages searched for the rule that bounds a stated figure (5 → 8 measured: one more verdict, no answer lost)
VERDICT_CONTEXT = 12  # characters either side of the figure that say what it measures


def _bound_sentence(text: str, deciding: list[Rule] | None = None) -> str:
    """What of a passage states the rule a verdict rests on: every sentence holding a clause that decided it
    (``deciding``), with the sentence before when the clause leaves what it bounds to it (“…不良率超过5%的，…；”
    before “超过8%的，…”); else the first sentence with a bound or a place of registration (the passage's first
    sentence if none)."""
    from assistant.answer.verdict import rule_clauses
    from assistant.dialogue.numbers import normalise

    said = sentences(text)
    normal = [normalise(x) for x in said]
    quoted: list[int] = []
    for rule in deciding or []:
        for at in (i for i, x in enumerate(normal) if strip_lead(rule.clause) in x):
            # back to the sentence that names what the case bounds (…不良率超过3%的，…；超过5%的，…；超过8%的，…)
            since = next((j for j in range(at, -1, -1) if not rule.named or rule.named in normal[j]), None)
            if since is not None:
                quoted += range(since, at + 1)
                break
    if quoted:
        return "".join(said[i] for i in sorted(set(quoted)))
    rules = rule_clauses(text)
    return next((x for x in said if any(c in x for c in rules)), said[0] if said else text[:80])


def _planned(question: str, analysis: QuestionAnalysis, history: list[str] | None, settings: Settings,
             include_expired: bool | None, k: int | None, cfg: SearchConfig, use_llm: bool,
             facts: list[str] | None = None, compute: bool = True) -> Answer | None:
    """A several-part question answered part by part (answer/parts.py). The whole question's products answer the
    parts that ask for record fields in one record answer; the other parts go through the engine one by one
    (``compute`` False: the calculator has answered already, and no part computes again)."""
    from assistant.answer.analysis import asks_of
    from assistant.answer.calculate import calc_kinds
    from assistant.answer.parts import answer_by_parts, asked, leans_back
    from assistant.answer.products import FIELDS
    from assistant.answer.unstated import names_missing
    from assistant.answer.verdict import concluded

    def subject_of(part: str) -> set[str]:  # a year before what is paid read per year (一年最多补 → 每年最多补)
        return part_subject(per_year(part), snapshot)

    def ask_part(text: str, context: list[str] | None) -> Answer:
        return ask(text, settings, history=context, include_expired=include_expired, k=k, cfg=cfg, use_llm=use_llm, plan=False,
                   facts=facts, compute=compute)

    # the question as a whole first. Declined for what one part asks (which insurers, a charge, a topic the corpus
    # never mentions), the other parts are still answered, each through its own checks. Declined as weakly
    # supported, or for a place no document governs, it stays declined: measured, answering the parts of a weakly
    # supported question answered them from loosely related passages (refusal on the development sets 0.895 →
    # 0.842, 0.525 → 0.475), and a place sets the scene for every part.
    whole = ask_part(question, history)
    if whole.refused and not _declined_for_a_part(whole.decline_reason, analysis.parts[0].text):
        return whole
    snapshot = get_snapshot(settings)
    before_product = _parts_before_product([p.text for p in analysis.parts], settings) if whole.composer == "product" else set()

    def covered(part: str, text: str) -> bool:
        if whole.composer == "calculator" and calc_kinds(part, figures_text=question):
            return True  # “最后能贴多少钱”: the computed figure answers it
        if whole.composer == "product" and part in before_product:
            return False  # asked before the product is named (登记要多久？…另外某某贷按几成押？): not about the product
        if whole.composer == "product":
            if names_missing(part, [text]):
                return False  # “合作的是哪家保险公司”: the record speaks of the insurer without naming one
            # a record answer or a comparison gives every field the question asks for, and a yes or no about
            # what it states (外观设计专利能不能拿来押, beside its pledge ratio); a clause asking about something
            # else (“审批要多久，另外提前还款收不收违约金”) is asked on its own
            others = [c for c in clauses(asking(part)) if not any(pattern.search(c) for _f, pattern in FIELDS)]
            if all(asks_of(c) == "yes_no" and part_subject(c, snapshot) & words_of(text) for c in others):
                return True
            if asks_of(part) == "yes_no":
                return False  # a yes or no the record must decide (收不收违约金): asked on its own
            if leans_back(part):
                return True
        terms = question_weights(part, snapshot)
        said = set(get_tokenizer().words(text))
        if sum(w for t, w in terms.items() if t in said) < PART_COVERED * sum(terms.values()):
            return False
        kinds = part_wants(part)
        if not kinds:
            return True
        if not _states_things_asked(part, text):
            return False
        # a part that asks for a figure or a date is answered by a sentence about it that states one
        total = sum(terms.values()) or 1.0
        given = given_numbers(part)
        return any(states_wanted(x, kinds) and sum(w for t, w in terms.items() if t in words_of(x)) >= PART_COVERED * total
                   and not _example_only(x, given) for x in sentences(text))

    def states(part: str, own: Answer) -> bool:
        if own.composer == "product" and asks_of(part) == "yes_no" and not any(p.search(part) for _f, p in FIELDS):
            return concluded(own.answer)  # a record that decides nothing of what is asked does not answer it
        if own.composer == "product" and names_missing(part, [own.answer]):
            return False  # a record that names none of the firms asked for
        text = own.answer
        kinds = part_wants(part)
        # the figure is about the clause that asks for it (“逾期多久能申请补偿，要不要等质押物处置完”: 逾期, not 质押物)
        asking_figure = [c for c in with_scene(clauses(part)) if wanted(c)] or [part]
        words = set().union(*(subject_of(c) for c in asking_figure))
        if not _states_things_asked(part, text):
            return False  # “进了多少家企业” is not answered by “推送至6家合作银行”
        if not kinds or not words or _states_about(text, kinds, words, given_numbers(part)):
            return True
        def in_unit(unit: re.Pattern[str] | None) -> bool:
            return unit is not None and any(states_wanted(x, [unit], given_numbers(part)) for x in sentences(text))

        # a quantity asked in a unit of its own (多少分) is answered by a number in that unit (得分不低于60分), whatever
        # word the sentence uses for the thing scored (打分, 得分); a short part read against the one before (“多少天办完？”)
        # names no subject of its own: a figure in the very unit it asks (2个工作日 for 多少天) answers it
        return in_unit(measure_asked(part)) or (leans_back(part) and in_unit(asked_unit(part)))

    def stated(part: str, text: str) -> bool:
        # a figure part whose kind of figure a sentence already given states, about something the part names: any
        # word of it, not its subject alone (measured: “一笔最多能补多少” is stated by “单笔补偿最高600万元”)
        kinds = part_wants(part)
        if not kinds:
            return False
        if not _states_things_asked(part, text):
            return False  # no count of the thing asked (3个工作日 counts no 企业)
        named = {t for t in get_tokenizer().words(per_year(part)) if not is_cue(t) and len(t) >= 2}
        # a part asking for a figure on its own words is stated by a figure about its subject (反担保, not the 担保 it
        # contains); a short part read against the one before, or a claim checked (“…上浮30%，对吧”), by a figure
        # about any word of it
        loose = leans_back(part) or CHECKS_CLAIM.search(part)
        subject = set() if loose else subject_of(part)
        if _states_about(text, kinds, subject & named or named, given_numbers(part)):
            return True
        # a short part that names nothing of its own (能补百分之多少, 我们能拿到多少) asks its figure of the subject of
        # the part before: a sentence about that subject stating the kind asked states it. One naming a thing of its
        # own is not (审查要多久 after 能不能邮寄办; 申诉期多久 is not stated by the verdict's 3年内不得申报)
        before = previous_part(part)
        return bool(before) and not named and leans_back(part) and _states_about(text, kinds, subject_of(before), given_numbers(part))

    asked_parts = [asked(p.text) for p in analysis.parts]

    def previous_part(part: str) -> str:
        at = asked_parts.index(part) if part in asked_parts else 0
        return asked_parts[at - 1] if at else ""

    def declines(part: str, reason: str | None, text: str) -> bool:
        return declines_on(reason, part, text, known_text(snapshot, settings))

    def leans(part: str) -> bool:  # short, pointing back, or naming no subject of its own (每户一年最多补多少)
        return leans_back(part) or not subject_of(part)

    def relevance(part: str, line: str) -> float:
        # the part's conclusion (不能：…) first, then a line stating a figure of the kind the part asks (每年3月1日至
        # 4月30日 for 什么时候报), then by the share of the part's weighted words it says
        if concluded(line):
            return 3.0
        terms, said, kinds, given = question_weights(part, snapshot), words_of(line), part_wants(part), given_numbers(part)
        answers = bool(kinds) and states_wanted(line, kinds, given) and not _example_only(line, given)
        return answers + coverage(terms, said)

    answered = answer_by_parts(question, analysis, history, settings.service_center_contact, ask_part, whole, covered, states,
                               stated, declines, leans, relevance)
    if answered is not None and answered.refused:  # no part answered: where the documents touch the topic, not their quotes
        return Answer(answer=refusal_text(question, settings, "weak_evidence", [c.title for c in whole.citations[:2]]), refused=True,
                      timings=whole.timings, decline_reason=answered.decline_reason)
    return answered or whole


def _parts_before_product(parts: list[str], settings: Settings) -> set[str]:
    """The parts asked before the first part that names a product, when a later one does: a question that turns to a
    product only at its end (…审查要多久？另外某某贷按几成押？) asks its first parts of the policies."""
    from assistant.answer.products import find_product
    from assistant.products.catalog import catalog_for

    try:
        catalog = catalog_for(settings)
    except AssistantError:
        return set()
    first = next((i for i, p in enumerate(parts) if find_product(p, catalog) is not None), None)
    return set(parts[:first]) if first else set()


def _states_things_asked(part: str, text: str) -> bool:
    """A count the part asks of a thing (多少家企业), or a list of things (哪些文件), is in a sentence of the text; True
    when it asks for neither."""
    counted, listed = count_asked(part), list_asked(part)
    if counted is None and listed is None:
        return True
    said = sentences(text)
    return ((counted is None or any(states_count_of(x, *counted) for x in said))
            and (listed is None or any(states_list_of(x, listed) for x in said)))


# a word that asks (几次, 多少钱, 哪家): what the part wants, never what it is about
_ASKING_MORPHEME = re.compile(r"几|多少|啥|哪|什么|^[\d.%]+$")  # a bare number is a figure given, not a topic either


# “一笔”, “每年”, “单户”: a count of something, not what the part is about (a part asking of 一笔 is answered by 每笔…)
_MEASURE_WORD = re.compile(r"^[一二两三每单首各][笔年家件个次项款份户]$")


def _cue_joined(word: str) -> bool:
    """A cue word, or one jieba joined to the verb after it (最多补, 最高贴): asks for the figure, names no subject."""
    return is_cue(word) or (len(word) > 2 and is_cue(word[:-1]))


# what a part says that names no subject: a date (20年那版, 2023年), and the asking verb of “how was it ruled” (怎么规定的,
# 如何约定): “20年那版当时又是怎么规定的” leans on the part before it
_NO_SUBJECT = re.compile(r"(?:\d+|[一二三四五六七八九〇零]{2,4})\s*(?:年|月)(?![期度内以来底初末中])|去年|前年|今年"
                         r"|(?:怎么|如何|怎样|咋)(?:样)?(?:规定|约定|定|说|讲|写)(?=的|了|呢|吗|[？?，,。]|$)")


def part_subject(part: str, snapshot: Snapshot) -> set[str]:
    """What a part asks about: its weightiest words the corpus uses, cue words aside (反担保 in “多大比例的反担保”).
    A far lighter second word is no subject of its own (担保 beside 反担保): any sentence about it would stand in."""
    tok = get_tokenizer()
    terms = {t: w for t, w in question_weights(_NO_SUBJECT.sub(" ", part), snapshot).items()
             if t in snapshot.idf and not _cue_joined(t) and not _MEASURE_WORD.match(t) and not _ASKING_MORPHEME.search(t)
             and not tok.function_word(t) and not asks_an_end(t)}  # 要是, 以后, 最长 name nothing a sentence could be about
    ranked = sorted(terms, key=lambda t: -terms[t])[:SUBJECT_WORDS]
    return {t for t in ranked if terms[t] >= max(SUBJECT_SHARE * terms[ranked[0]], SUBJECT_FLOOR)}


def _states_about(text: str, kinds: list[re.Pattern[str]], words: set[str], given: frozenset[str] = frozenset()) -> bool:
    """A sentence of the text states a figure of a wanted kind (not one the question gave) and uses one of ``words``
    (in a list's item, the item's own words). A worked example's figures are its made-up case's: they state what a
    part asks only when the part gives numbers of its own (then the example may be its case worked through)."""
    return any(states_wanted(x, kinds, given) and words & words_of(x) and not _example_only(x, given)
               for s in sentences(text) for x in item_scopes(s))


def _example_only(sentence: str, given: frozenset[str]) -> bool:
    """A worked example's figures, for a part that gives no numbers of its own: no answer to the figure it asks."""
    return not given and worked_example(sentence)


def _declined_for_a_part(reason: str | None, first: str) -> bool:
    """A decline one part can cause without holding for the others: names or a contact not stated (哪家保险公司, 网址), live figures, a
    topic the corpus never mentions (停车), a bank nothing covers, a charge a later part asks (…？登记费多少钱？), a place only a later part
    names (…？另外在某市办的话…？) — not a place the first part names (it sets the scene for every part), nor a
    charge the first part speaks of (“要交登记费吗？交多少？”: the fee is what every part asks about), nor weak
    evidence."""
    if not reason:
        return False
    if reason.startswith(("out_of_scope:", "place_unanswered:")):
        from assistant.lexicon.places import gazetteer

        g = gazetteer()
        named = g.places(reason.split(":", 1)[1])
        if not named:
            return reason.startswith("out_of_scope:")
        return not set(named) & set(g.places(first))
    if reason.startswith("bank_unlisted:"):  # a bank a later part asks about (…？招行有没有类似产品？); one the first part
        return reason.split(":", 1)[1] not in first  # asks about is the topic of every part
    if reason == "charge_missing":
        from assistant.answer.unstated import names_charge

        return not names_charge(first)
    return reason in ("names_missing", "contact_missing", "live_data")


def _computed(question: str, history: list[str] | None, analysis: QuestionAnalysis, snapshot: Snapshot, settings: Settings,
              cfg: SearchConfig, use_llm: bool, facts: list[str] | None = None) -> Answer | None:
    """A calculation the question asks for, computed with its figures (and the chat's earlier ones); the parts of
    the question that are not calculations are answered after it, as any question is. When a figure it needs was
    not given, the passages answer and the figures to give are asked for."""
    from assistant.answer.calc_answer import asks_for, render
    from assistant.answer.calculate import (
        asks_loan_of,
        calc_kinds,
        calculate,
        checked_amount,
        checks_a_result,
    )
    from assistant.answer.products import find_product
    from assistant.products.catalog import catalog_for
    from assistant.products.subsidies import load_book

    earlier = [*(facts or []), *(history or [])]
    parts = [p.text for p in analysis.parts] if len(analysis.parts) > 1 else [question]
    try:
        book = load_book(settings.corpus_dir)
    except (OSError, ValueError):
        return None  # no rule book: the passages answer as they would without the calculator
    # a yes/no checking a sum (是不是退35万就行): computed without it, then compared with it
    loan_of = asks_loan_of(question)
    checked = checked_amount(question) if analysis.yes_no and not loan_of else None
    if checked is not None:
        told_kinds = [k for p in parts for k in calc_kinds(p, earlier, figures_text=question, book=book, checking=True)]
        if not checks_a_result(question, checked, told_kinds):
            checked = None  # the sum said is one the calculation starts from (评估费3万能全报吗): no result to check

    def checks(part: str) -> bool:
        return checked is not None and checked.text in part

    def told(part: str) -> str:  # the text without the sum it checks
        return part.replace(checked.text, "", 1) if checked is not None and checks(part) else part

    kinds = {p: calc_kinds(told(p), earlier, figures_text=told(question), book=book, checking=checks(p)) for p in parts}
    first = next((k[0] for k in kinds.values() if k), None)
    if first is None:
        return None
    # the parts asking one calculation are computed together (省里的和区里的各能补多少: both levels' rules); a part
    # asking another kind is answered after it, as any part is
    asked = [p for p in parts if first in kinds[p]]
    try:
        catalog = catalog_for(settings)
    except AssistantError:
        catalog = []
    named = find_product(question, catalog) if catalog else None
    products = [named] if named else _bank_pledge_products(question, catalog)
    checking = any(checks(p) for p in asked)
    calc = calculate(told(question), earlier, book, analysis.places, settings.home_region, products,
                     asked="；".join(told(p) for p in asked), checking=checking)
    if calc is None or not (calc.steps or calc.missing):
        return None
    rest = [p for p in parts if p not in asked]
    if not any(s.counted for s in calc.steps):
        # nothing to compute yet: the passages answer what the documents say, and the missing figures are asked for
        plain = ask(question, settings, history=history, cfg=cfg, use_llm=use_llm, compute=False, plan=False)
        if plain.refused:
            return render(calc, snapshot)
        return plain.model_copy(update={"answer": "\n".join(x for x in (plain.answer, asks_for(calc)) if x)})
    answer = render(calc, snapshot)
    if checked is not None and checking:
        concluded_ = _checked_concluded(question, calc, checked, answer)
        if concluded_ is answer and not rest:
            return None  # nothing to compare the sum with: the passages answer as without the calculator
        plain = ask(question, settings, history=history, cfg=cfg, use_llm=use_llm, compute=False)
        # what the passages say of the case (when to pay it back, to whom) still follows the computed conclusion
        answer = _appended(concluded_, plain) if not plain.refused else concluded_
    if calc.kind == "borrow":
        concluded_ = _borrow_concluded(analysis, calc, answer)
        if concluded_ is answer and loan_of and not rest:
            return None  # several products computed, no one conclusion: the passages answer as without the calculator
        if concluded_ is not answer and loan_of:
            # “能贷到180万吗”: the computed most decides; what the passages say of the loan asked still follows
            plain = ask(question, settings, history=history, cfg=cfg, use_llm=use_llm, compute=False)
            if not plain.refused:
                first = plain.answer.split("\n")[0]
                if _FAILED_LEAD.match(first) and not _FAILED_LEAD.match(concluded_.answer):
                    # within reach on the valuations, but a condition of the product fails: that says no
                    concluded_ = concluded_.model_copy(update={"answer": concluded_.answer.split("\n", 1)[1]})
                    concluded_ = _appended(concluded_, plain, keep_lead=True)
                else:
                    concluded_ = _appended(concluded_, plain)
        answer = concluded_
    if rest:
        # the question the calculation answered is what a leaning part (多少天内要返？) borrows its topic from
        other = ask("；".join(rest), settings, history=[*(history or []), question], cfg=cfg, use_llm=use_llm, compute=False, plan=False)
        if not other.refused:
            answer = _appended(answer, other)
    return answer


_FAILED_LEAD = re.compile(r"(?:不符合|不能)：")


def _appended(answer: Answer, other: Answer, keep_lead: bool = False) -> Answer:
    """``other``'s lines after ``answer``'s, before its closing line, renumbered; a passage both cite keeps its number,
    and ``other``'s own conclusion gives way to the one ``answer`` leads with (or, ``keep_lead``, leads the whole)."""
    from assistant.answer.verdict import concluded

    numbers: dict[int, int] = {}
    moved: list[Citation] = []
    known = {c.chunk_id: c.n for c in answer.citations}
    for c in sorted(other.citations, key=lambda c: c.n):
        if c.chunk_id in known:
            numbers[c.n] = known[c.chunk_id]
        else:
            numbers[c.n] = len(answer.citations) + len(moved) + 1
            moved.append(c.model_copy(update={"n": numbers[c.n]}))
    renumbered = re.sub(r"\[(\d+)\]", lambda m: f"[{numbers.get(int(m.group(1)), int(m.group(1)))}]", other.answer)
    lines = renumbered.split("\n")
    lead_ = lines.pop(0) if lines and concluded(lines[0]) and (keep_lead or concluded(answer.answer)) else None
    *body, footer = answer.answer.split("\n")  # the calculation's closing line closes the whole answer
    said = set(body)
    # a line both say once; a closing note (以上为…) once, the first answer's
    lines = [line for line in lines if line not in said and not (footer.startswith("以上") and line.startswith("以上"))]
    head = [lead_] if keep_lead and lead_ else []
    return answer.model_copy(update={"answer": "\n".join([*head, *body, *lines, footer]), "citations": [*answer.citations, *moved]})


def _checked_concluded(question: str, calc: Calculation, checked: Checked, answer: Answer) -> Answer:
    """“是不是退35万就行”, “贴息能拿到10万吗”: the computed sum against the one the question checks, the conclusion first,
    citing what the computation cites."""
    from assistant.answer.verdict import Verdict, for_question, lead
    from assistant.units import wan

    counted = [s for s in calc.steps if s.counted]
    if not counted or calc.net_rate is not None:
        return answer
    value = calc.refund[0] if calc.refund is not None else sum(s.value for s in counted)
    marks = "".join(dict.fromkeys(re.findall(r"\[\d+\]", answer.answer)))
    first, _, rest = answer.answer.partition("\n")
    computed = first.rstrip("。")  # the computed sum as the calculation says it, now said with the conclusion
    asked_whether = re.search(r"是不是|是否|有没有", asking(question))
    tolerance = max(CHECKED_TOLERANCE_YUAN, CHECKED_TOLERANCE * checked.value)
    if checked.compare:
        below, above = value < checked.value - tolerance, value > checked.value + tolerance
        ok = {"<": below, "<=": not above, ">": above, ">=": not below,
              "band": checked.value - tolerance <= value < checked.upper}[checked.compare]
        if checked.compare == "band":
            reason = f"{computed}，{'在' if ok else '不在'}{wan(checked.value)}至{wan(checked.upper)}之间"
        else:
            reason = f"{computed}，{'低于' if below else '高于' if above else '等于'}{wan(checked.value)}"
        words = ("是", "不是")
    elif checked.reach:
        ok = value + CHECKED_TOLERANCE_YUAN >= checked.value
        reason = f"{computed}，{'不低于' if ok else '低于'}您所说的{wan(checked.value)}"
        words = ("是", "不是") if asked_whether else ("可以", "不能")
    else:
        ok = abs(value - checked.value) <= tolerance
        reason = computed + ("" if ok else f"，不是您所说的{wan(checked.value)}")
        words = ("是", "不是")
    said = lead(for_question(question, Verdict(ok, [reason], words)), marks)
    return answer.model_copy(update={"answer": f"{said}\n{rest}"})


def _borrow_concluded(analysis: QuestionAnalysis, calc: Calculation, answer: Answer) -> Answer:
    """“能给我们批400万吗” after the most a product lends on the valuations is computed: the conclusion first, the
    amount the yes/no part asks for against that most (one product computed; its record cited)."""
    from assistant.answer.calculate import read_figures
    from assistant.answer.verdict import Verdict, for_question, lead
    from assistant.units import wan

    def amount_asked(text: str) -> float | None:
        """The loan its asking clause names, else its last (not one the story names before: 已有一笔100万，还能再借300万吗)."""
        loans = read_figures(text).loans
        return read_figures(asking(text)).loan or (loans[-1].amount if loans else None)

    computed = [s for s in calc.steps if s.counted and s.product is not None]
    deciding = [p.text for p in analysis.parts if p.asks == "yes_no"] or ([analysis.query] if analysis.yes_no and len(analysis.parts) == 1 else [])
    amounts = [a for text in deciding if (a := amount_asked(text)) is not None]
    if len(computed) != 1 or len(amounts) != 1:
        return answer
    step, asked = computed[0], amounts[0]
    record = next((c for c in answer.citations if step.product is not None and c.doc_id == f"product:{step.product.id}"), None)
    if record is None:
        return answer
    ok = asked <= step.value + 0.5
    reason = f"按产品库登记的质押率和额度上限，{step.name}为{wan(step.value)}，{'不低于' if ok else '低于'}您所说的{wan(asked)}"
    said = lead(for_question(analysis.question, Verdict(ok, [reason], ("可以", "不能"))), f"[{record.n}]")
    return answer.model_copy(update={"answer": f"{said}\n{answer.answer}"})


def _bank_pledge_products(question: str, catalog: list[Product]) -> list[Product]:
    """“押给交通银行能贷多少”: a bank named and no product: its products that take the IP the question names."""
    from assistant.answer.calculate import read_figures
    from assistant.lexicon.banks import banks_named

    banks = banks_named(question, (p.institution for p in catalog))
    if len(banks) != 1:
        return []
    said = read_figures(question).ip_types
    takes = [p for p in catalog if p.institution == banks[0] and p.pledge_ratio
             and (not said or any(t in str(k) or str(k) in t for t in said for k in p.pledge_ratio))]
    return takes if len(takes) <= 3 else []


def _declined(question: str, settings: Settings, reason: str, timings: dict[str, float], t0: float, snapshot: Snapshot,
              related: list[str] | None = None, citations: list[Citation] | None = None) -> Answer:
    timings = {**timings, "decline": 0.0, "total": (time.perf_counter() - t0) * 1000}
    text = refusal_text(question, settings, reason, related, cited=bool(citations))
    return Answer(answer=text, citations=citations or [], refused=True, timings=_round(timings), index_version=snapshot.version,
                  decline_reason=reason)


CASE_IDF, CASE_INFORMATIVE = 4.0, 0.8


def _with_case_article(query: str, hits: list[Hit], snapshot: Snapshot) -> list[Hit]:
    """A specific word of the question (参股, 现金) that no top passage uses, found in another article of a document
    already among them, points to the article that governs that case (“…存在控股、参股等关联关系的，不予补助”): it
    joins the passages after the top five."""
    tok = get_tokenizer()
    top = hits[:PASSAGES]
    seen = set().union(*(set(snapshot.chunks[h.idx]["tokens"]) for h in top)) if top else set()
    # articles of one regulation govern its cases together; FAQ entries are separate answers, so they are left out
    docs = {c["doc_id"] for c in (snapshot.chunks[h.idx] for h in top) if c.get("kind") != "faq"}
    shown = {h.idx for h in top}
    for t in dict.fromkeys(tok.words(query)):
        if t in seen or snapshot.idf.get(t, 0.0) < CASE_IDF or tok.informativeness(t) < CASE_INFORMATIVE:
            continue
        found = [i for d in docs for i in snapshot.doc_chunks[d] if i not in shown and t in snapshot.chunks[i]["tokens"] and snapshot.in_force(i)]
        if len(found) == 1:
            return [*top, Hit(idx=found[0], score=0.0, stages={"case_word": 1.0})]
    return top


def _with_product_sources(query: str, answer: Answer, product: Product, snapshot: Snapshot, settings: Settings, cfg: SearchConfig) -> Answer:
    """A question naming a product may ask more than its record holds (“秦创贷当初打算投入多少资金扶持秦创原的企业？”).
    The sentences of the top passages that name the product and cover question words the record's answer leaves
    open are quoted after it, cited to their documents: a launch notice or the FAQ says what the sheet does not."""
    from assistant.answer.products import product_names

    names = product_names(product)
    hits = [h for h in search(snapshot, query, PASSAGES, cfg, settings).hits if any(n in snapshot.chunks[h.idx]["text"] for n in names)]
    if not hits:
        return answer
    terms = question_weights(query, snapshot)
    total = sum(terms.values()) or 1.0
    said = words_of(answer.answer)
    passages = [Passage(n=i + 1, text=snapshot.chunks[h.idx]["text"], rank=i, context=_context(snapshot.chunks[h.idx]),
                        doc=snapshot.chunks[h.idx]["doc_id"]) for i, h in enumerate(hits)]
    picked = [p for p in pick_sentences(query, passages, snapshot.idf) if any(n in p.text for n in names)]
    if sum(w for t, w in terms.items() if t not in said and any(t in words_of(p.text) for p in picked)) / total < MIN_NEW:
        return answer
    text, citations = _render(picked, hits, snapshot, start=len(answer.citations))
    return answer.model_copy(update={"answer": _with_warnings(f"{answer.answer}\n{text}", citations), "citations": [*answer.citations, *citations]})


def _context(chunk: dict) -> str:
    """What is shown with a quoted passage besides its sentences: title, article, the FAQ question it answers."""
    return " ".join(x for x in (chunk["title"], chunk.get("article"), faq_question(chunk["text"])) if x)


def _with_part_passages(hits: list[Hit], parts: list[tuple[str, list[Hit]]], snapshot: Snapshot) -> list[Hit]:
    """Each part of a several-part question (“专利和软著都拿去质押，两种登记各去哪个单位办？”) brings its own best
    passage after the others: the whole question's top five can all be about one part."""
    shown = {h.idx for h in hits}
    out = list(hits)
    for i, (part, found) in enumerate(parts):
        # of the part's best few, the passage with the sentence that answers it best (a title line or a neighbour
        # article may rank first); for a part that asks for a figure (“要几天”), a sentence that states one
        terms = question_weights(part, snapshot)
        kinds = wanted(part)
        top = found[:PART_DEPTH]
        scored = [(best_sentence(terms, kinds, [snapshot.chunks[h.idx]]), -n, h) for n, h in enumerate(top)]
        best = max(scored, key=lambda x: (x[0][1], x[0][0], x[1]))[2] if scored else None
        if best is not None and best.idx not in shown:
            out.append(Hit(idx=best.idx, score=0.0, stages={"part": float(i)}))
            shown.add(best.idx)
    return out


def _usable_catalog(settings: Settings) -> list[Product]:
    """The product library, or none while a sheet of it is broken: a broken sheet must not take policy answers down
    with it (the product commands name the broken sheet)."""
    from assistant.products.catalog import catalog_for

    try:
        return catalog_for(settings)
    except AssistantError:
        return []


def _product_answer(question: str, history: list[str] | None, settings: Settings) -> tuple[Answer, list[Product]] | None:
    """The answer from the records of the products the question names: one product's fields, or a comparison."""
    from assistant.answer.compare import compare_answer
    from assistant.answer.products import record_answer
    from assistant.products.names import resolve

    catalog = _usable_catalog(settings)
    if not catalog:
        return None
    named = resolve(question, catalog)
    names = _subsidy_names(settings)
    if not named and history and len(question) <= 14:
        # “那它的利率呢？”: the product in focus is the last one named, unless that turn asked about a programme the
        # product only set the scene for (“用某行的知产贷交了评估费，补助怎么申请？材料呢？”: the programme's)
        turn, said = next(((h, found[:1]) for h in reversed(history) if (found := resolve(h, catalog))), ("", []))
        named = [] if said and _asks_a_programme(analyse(turn), said[0], names) else said
    if not named:
        return None
    if len(named) >= 2:
        return compare_answer(question, named, names), named
    return record_answer(question, named[0], names), named


def _asks_a_programme(analysis: QuestionAnalysis, record: Product, names: dict[str, str]) -> bool:
    """What the question asks names a public programme (秦知贷, 资金池, 贴息) that the product's record does not, and not the
    product itself: the product only sets the scene (the firm's loan), the programme's rules answer."""
    from assistant.answer.products import record_text
    from assistant.lexicon.programmes import named_entities
    from assistant.products.names import resolve

    # the sentences that ask (their scene clauses too: “贷款进资金池，银行能…吗”); a story before them names the product
    asked = "，".join(p.text for p in analysis.parts)
    if not asked or len(asked) + 2 >= len(analysis.query) or resolve(asked, [record]):
        return False
    own = record_text(record, names).lower()  # the subsidies it combines with, by name
    programmes = [*named_entities(), *_programme_heads(tuple(sorted(names.values())))]
    return any(n in part.text.lower() and (n not in own or _asks_of_programme(part, n)) for part in analysis.parts for n in programmes)


_PAYS = re.compile(r"补|贴|费|偿")  # a programme's head that names what it pays (评估费, 贴息, 补偿), not 贷款 or 质押


def _asks_of_programme(part: Part, name: str) -> bool:
    """A part asks what a programme itself sets (its deadline, its materials, its rate cap: “评估费那项补贴放款后多久内
    要报”), not whether the product combines with it, which is all a record naming it says."""
    from assistant.lexicon.programmes import named_entities

    return part.asks != "yes_no" and (name in named_entities() or bool(_PAYS.search(name)))


@lru_cache(maxsize=8)
def _programme_heads(names: tuple[str, ...]) -> frozenset[str]:
    """A programme is named by its name (秦知贷) or by the head of a subsidy rule's name: the words of its last five
    characters (“西咸新区风险补偿资金池补偿” → 资金池, 补偿; “…质押贷款贴息” → 贷款, 贴息: a word every record says decides
    nothing). Read once per subsidy book."""
    return frozenset(w for name in names for w in get_tokenizer().words(name[-5:]) if len(w) >= 2)


def _subsidy_names(settings: Settings) -> dict[str, str]:
    """The subsidy rules' names by id: a record lists the subsidies it combines with by id."""
    from assistant.products.subsidies import load_book

    try:
        return {r.id: r.name for r in load_book(settings.corpus_dir).rules}
    except (AssistantError, OSError, ValueError):
        return {}


ENTRY_MATCH = 0.5  # share of a question's weighted words an FAQ entry's own question must say to be the same question


def _asks_as_entry(terms: dict[str, float], chunk: dict) -> bool:
    """An FAQ entry's own question (or a 相似问 of it) asks what this question asks: it says at least ENTRY_MATCH of the
    question's weighted words (``terms``)."""
    from assistant.ingest.faq import faq_question

    asked = words_of(f"{faq_question(chunk['text']) or ''} {chunk.get('aliases') or ''}")
    return coverage(terms, asked) >= ENTRY_MATCH


def _fits_question(body: str, question: str) -> bool:
    """The FAQ line's opening yes or no answers the form this question asks in (有，… does not answer 需要…吗)."""
    from assistant.answer.verdict import BARE_VERDICT, VERDICT_FORMS

    m = BARE_VERDICT.match(body)
    if m is None:
        return True
    word = m.group(0).rstrip("，, ")
    return any(word in words and ask.search(asking(question)) for words, ask in VERDICT_FORMS)


def _without_entrys_verdict(body: str) -> str:
    """An FAQ answer's own yes or no (可以，企业可以在线申请…; 有，区级资金池…) answers its entry's question: quoted for
    another question it reads as a verdict on that one. Kept where what follows leans on it (可以，但…)."""
    from assistant.answer.verdict import BARE_VERDICT

    rest = BARE_VERDICT.sub("", body)
    return body if rest.startswith(("但", "不过", "只是")) else rest


def _render(picked: list[Picked], hits: list[Hit], snapshot: Snapshot, start: int = 0, question: str | None = None) -> tuple[str, list[Citation]]:
    """Group the chosen sentences by passage, in passage order (the one stating a figure in the unit asked first),
    each group closed by its marker (numbered after ``start`` citations already given)."""
    by_passage: dict[int, list[Picked]] = {}
    for p in picked:
        by_passage.setdefault(p.passage, []).append(p)
    citations: list[Citation] = []
    lines: list[str] = []
    shown: set[str] = set()
    figures_shown: set[str] = set()
    order = sorted(by_passage)
    analysed = analyse(question or "")
    yes_no = bool(question) and analysed.yes_no
    terms: dict[str, float] | None = None  # the question's weighted words, once
    kinds: list[list[re.Pattern[str]]] = []  # what each clause that asks wants, once (for a restating quote)
    words_shown: set[str] = set()
    said_of = {r: [s.text for s in sorted(by_passage[r], key=lambda s: s.order)] for r in order}  # in passage order
    unit = asked_unit(question) if question else None
    if unit is not None and len(analysed.parts) < 2:  # several parts keep their order
        # the direct answer first: a duration asked in years (几年) leads with the quote stating one in years
        given = given_numbers(question or "")
        order = _led_by(order, lambda r: any(states_wanted(x, [unit], given) for x in said_of[r]))
    if yes_no and len(analysed.parts) < 2:
        # the direct answer first: an FAQ entry asking what the question asks opens on its own yes or no (不能，…)
        terms = weights = question_weights(question or "", snapshot)
        order = _led_by(order, lambda r: _opens_on_entrys_verdict(said_of[r], snapshot.chunks[hits[r].idx], question or "", weights))
    for rank in order:
        idx = hits[rank].idx
        chunk = snapshot.chunks[idx]
        said = said_of[rank]
        if terms is None:
            terms = question_weights(question, snapshot) if question else {}
        body = _body(said, chunk, question, snapshot, terms if yes_no else None)
        # an old version's quote stays unless said word for word: how it differs from the current one is what was asked
        if shown and _restated(body, shown, figures_shown, snapshot.in_force(idx)):
            # it says again what a quote above says (an FAQ entry restating its article): quoted once, but a sentence
            # of it that says something asked the quotes above do not (…办理质押登记及其变更、注销都不收费 after the
            # article's review time) stays
            if not kinds:
                kinds = [part_wants(c) for c in clauses(asking(question or ""))] or [part_wants(question or "")]
            # a sentence kept must say something asked: a word the quotes above do not, and, where every clause that
            # asks wants a figure, a figure of a kind asked (注销…几天办好 is not answered by …注销都不收费)
            said = [x for x in said if not _restated(x, shown, figures_shown, snapshot.in_force(idx))
                    and not x.rstrip().endswith(("：", ":")) and (words_of(x) & terms.keys()) - words_shown
                    and any(not k or states_wanted(x, k) for k in kinds)]
            if not said:
                continue
            body = _body(said, chunk, question, snapshot, terms if yes_no else None)
        shown |= bigrams(body)
        figures_shown |= figures_of(body)
        words_shown |= words_of(body)
        n = start + len(citations) + 1
        citations.append(citation_for(n, chunk, snapshot, idx))
        # the quote alone, marked: its document, article and page are in the citation (shown beside the answer), so
        # no line repeats a title or an FAQ entry's question; a quote from a document no longer in force says so
        # where it stands, not only in the note below the answer
        lines.append(f"{'（已失效文件）' if not snapshot.in_force(idx) else ''}{body}[{n}]")
    return "\n".join(lines), citations


def _led_by(order: list[int], leads: Callable[[int], bool]) -> list[int]:
    """The passages in ``order``, the first that ``leads`` holds for moved to the front."""
    lead = next((r for r in order if leads(r)), None)
    return order if lead is None else [lead, *(r for r in order if r != lead)]


def _opens_on_entrys_verdict(said: list[str], chunk: dict, question: str, terms: dict[str, float]) -> bool:
    """The quote of an FAQ entry that asks what this yes/no question asks opens on the entry's own yes or no (kept by
    _body): the conclusion the answer leads with."""
    from assistant.answer.verdict import BARE_VERDICT

    first = strip_lead(said[0]) if said else ""
    if chunk.get("kind") != "faq" or BARE_VERDICT.match(first) is None:
        return False
    # … and one of the entry's questions asks of the same thing as this one's asking clause, in a form its yes or no
    # answers: the entry's 不是 answers 是不是就不用还了, not 是不是还会找我们追债 (a 相似问 asking 还会…吗 beside it is
    # answered the other way round)
    asked = _asking_words(question)
    return (any(asked & _asking_words(e) and _fits_question(first, e) for e in entry_questions(chunk["text"], chunk.get("aliases")))
            and _asks_as_entry(terms, chunk) and _fits_question(first, question))


def _asking_words(question: str) -> set[str]:
    """The words of a question's last asking clause that name something (not the yes/no form, not a function word)."""
    tok = get_tokenizer()
    last = (clauses(asking(question)) or [question])[-1]
    return {w for w in tok.words(A_NOT_A.sub("", last)) if len(w) >= 2 and not tok.function_word(w) and not is_cue(w)}


def _body(said: list[str], chunk: dict, question: str | None, snapshot: Snapshot, yes_no_terms: dict[str, float] | None) -> str:
    """A passage's chosen sentences as one quote: long ones trimmed to what is asked; an FAQ entry's bare 可以/不可以
    dropped unless the question is a yes/no (``yes_no_terms``: its weighted words) asking what the entry asks."""
    from assistant.answer.verdict import BARE_VERDICT

    body = "".join(trim(x, question, snapshot.idf) if question else x for x in said)
    if (chunk.get("kind") == "faq" and BARE_VERDICT.match(body)
            and not (yes_no_terms and _asks_as_entry(yes_no_terms, chunk) and _fits_question(body, question or ""))):
        body = _without_entrys_verdict(body)
    return body


def _restated(text: str, shown: set[str], figures_shown: set[str], in_force: bool) -> bool:
    """Said above already, or (a current passage's quote) every figure of it said above in much the same words."""
    return said_before(text, shown) or (in_force and restates(text, shown, figures_shown))


def _with_warnings(text: str, citations: list[Citation]) -> str:
    expired = [c for c in citations if c.expired]
    if not expired:
        return text
    names = "、".join(dict.fromkeys(f"《{c.title}》" for c in expired))
    return f"{text}\n\n⚠ 提示：{names}已失效或已被新文件替代，以上内容仅供了解历史政策，请以现行有效文件为准。"


def _round(t: dict[str, float]) -> dict[str, float]:
    return {k: round(v, 2) for k, v in t.items()}
