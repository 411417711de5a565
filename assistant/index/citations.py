"""Citation check for passages that name their sources (the FAQ's closing “（依据：《…》第X条）” line).

An FAQ answer is quoted to firms as fact, under the FAQ's own citation. If it cites an article that does not
exist, a document that has been retired, or states a figure its cited articles never state, the answer carries
a citation that does not back it. The policy team sees these after every rebuild instead of finding out from a
firm: a figure the cited articles lack is reported with the passages of the corpus that do state it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assistant.ingest.faq import answer_text, basis, faq_question
from assistant.retrieval.answer_type import without_dates

if TYPE_CHECKING:
    from assistant.settings import Settings

_REF = re.compile(r"《(.*?)》([^《]*)")
_ARTICLE = re.compile(r"第[一二三四五六七八九十百零〇]+条")
# A figure: a number with its unit. A worked example (例如贷款200万元…) or a restated sum (LPR加150个基点，即4.5%)
# computes figures no article states.
_FIGURE = re.compile(r"(?<![\d.])\d+(?:\.\d+)?\s*(?:%|％|万元|亿元|元|个工作日|工作日|日|天|个月|年|倍|件|家|笔)")
_EXAMPLE = re.compile(r"(?:例如|比如|举例|如：|譬如)[^。；）)]*|[（(]即[^）)]*[）)]")  # worked examples; “（即4.5%）” restates a sum
MAX_SUGGESTIONS = 3

WARNING = "警告"
NOTICE = "提示"


@dataclass
class CitationIssue:
    doc_id: str
    chunk_id: str
    passage: str  # the FAQ question, or the passage's opening words
    kind: str  # missing_document | missing_article | not_in_force | unsupported_figure
    severity: str
    message: str

    def to_dict(self) -> dict[str, str]:
        return asdict(self)


@dataclass
class Reference:
    title: str
    articles: list[str]


def references(text: str) -> list[Reference]:
    """The documents (and articles) a passage's closing 依据 line cites; empty when it has none."""
    return [Reference(title.strip(), _ARTICLE.findall(rest)) for title, rest in _REF.findall(basis(text) or "")]


def figures(text: str) -> list[str]:
    """Figures stated in a passage's own words: not in its 依据 line, question line or worked examples."""
    body = without_dates(_EXAMPLE.sub("", answer_text(text)))  # dates name events and documents, not the rule's figures
    return list(dict.fromkeys(_norm(f) for f in _FIGURE.findall(body)))


def _norm(text: str) -> str:
    return re.sub(r"\s+", "", text).replace("％", "%")


def states(figure: str, text: str) -> bool:
    """The figure appears as a whole number in the text (5% is not found in 15%)."""
    return re.search(r"(?<![\d.])" + re.escape(figure), text) is not None


def _label(text: str) -> str:
    first = text.lstrip().split("\n", 1)[0]
    return faq_question(text) or first[:30] + ("…" if len(first) > 30 else "")


def _where(chunk: dict[str, Any]) -> str:
    return f"《{chunk['title']}》" + (chunk.get("article") or (f"第{chunk['page']}页" if chunk.get("page") else ""))


@dataclass
class _Corpus:
    chunks: Sequence[dict[str, Any]]
    texts: list[str]
    in_force: Callable[[int], bool]
    by_title: dict[str, list[int]]
    by_article: dict[tuple[str, str], list[int]]

    def stating(self, figure: str, skip_doc: str, cited: set[str]) -> list[str]:
        """Where else the corpus states a figure, in force only; the cited documents first (the usual slip is a
        wrong article number)."""
        found = sorted((j for j, c in enumerate(self.chunks) if c["doc_id"] != skip_doc and self.in_force(j) and states(figure, self.texts[j])),
                       key=lambda j: self.chunks[j]["title"] not in cited)
        return list(dict.fromkeys(_where(self.chunks[j]) for j in found))[:MAX_SUGGESTIONS]


def check_citations(chunks: Sequence[dict[str, Any]], in_force: Callable[[int], bool]) -> list[CitationIssue]:
    """Every passage with a 依据 line: do its cited documents and articles exist and stay in force, and do they
    state the figures the passage states?"""
    corpus = _Corpus(chunks, [_norm(c["text"]) for c in chunks], in_force, {}, {})
    for i, c in enumerate(chunks):
        corpus.by_title.setdefault(c["title"], []).append(i)
        if c.get("article"):
            corpus.by_article.setdefault((c["title"], c["article"]), []).append(i)
    return [issue for c in chunks for issue in _check_passage(c, corpus)]


def _check_passage(c: dict[str, Any], corpus: _Corpus) -> list[CitationIssue]:
    refs = references(c["text"])
    issues: list[CitationIssue] = []

    def issue(kind: str, severity: str, message: str) -> None:
        issues.append(CitationIssue(c["doc_id"], c["id"], _label(c["text"]), kind, severity, message))

    sources: list[int] = []
    unchecked = False
    cited_docs: list[tuple[str, bool]] = []
    for ref in refs:
        doc = corpus.by_title.get(ref.title)
        if not doc:
            # a national rule the library does not hold is common and not wrong; its figures cannot be checked
            issue("missing_document", NOTICE, f"所引《{ref.title}》不在知识库中（未上传、已移除或标题不一致），无法核对")
            unchecked = True
            continue
        cited_docs.append((ref.title, any(corpus.in_force(j) for j in doc)))
        if not ref.articles:
            sources += doc
        for art in ref.articles:
            found = corpus.by_article.get((ref.title, art))
            if found:
                sources += found
            else:
                issue("missing_article", WARNING, f"《{ref.title}》中没有{art}")
    lapsed = [t for t, ok in cited_docs if not ok]
    if lapsed:
        # citing a repealed rule beside the one in force explains a change; citing only repealed rules is stale
        alone = len(lapsed) == len(cited_docs)
        issue("not_in_force", WARNING if alone else NOTICE,
              "所引" + "、".join(f"《{t}》" for t in lapsed) + ("已失效，本条问答可能需要更新" if alone else "已失效（同时引用了现行文件，请确认表述）"))
    if not sources or unchecked:
        return issues
    cited_text = "\n".join(corpus.texts[j] for j in sources)
    for fig in figures(c["text"]):
        if not states(fig, cited_text):
            elsewhere = corpus.stating(fig, c["doc_id"], {r.title for r in refs})
            hint = f"；该数字见于{'、'.join(elsewhere)}" if elsewhere else "；知识库其他现行文件中也没有"
            issue("unsupported_figure", WARNING, f"“{fig}”在所引条款中找不到{hint}")
    return issues


def index_issues(directory: Path) -> list[CitationIssue]:
    """The check over one built index version (its chunk records; the vectors are not needed)."""
    from assistant.index.builder import read_records
    from assistant.ingest.metadata import is_in_force

    records = read_records(directory)
    return check_citations(records, lambda i: is_in_force(records[i]["status"], records[i].get("effective"), records[i].get("expires")))


def current_issues(settings: Settings) -> list[CitationIssue]:
    """The check over the index version in service (empty before the first build), with the product figures its
    passages state that the product library now states differently."""
    from assistant.index.versions import current_version

    name = current_version(settings.index_root)
    if not name:
        return []
    return index_issues(settings.index_root / name) + record_issues(settings, settings.index_root / name)


def current_record_issues(settings: Settings) -> list[CitationIssue]:
    """``record_issues`` over the index version in service: what a product import has just made outdated."""
    from assistant.index.versions import current_version

    name = current_version(settings.index_root)
    return record_issues(settings, settings.index_root / name) if name else []


def record_issues(settings: Settings, directory: Path) -> list[CitationIssue]:
    """Passages in force that state a product's pledge ratio, ceiling, term or loan time differently from the
    product's current record (a launch notice, an FAQ example): answers mark them, the policy team updates them."""
    from assistant.errors import AssistantError
    from assistant.index.builder import read_records
    from assistant.ingest.metadata import is_in_force
    from assistant.products.catalog import catalog_for
    from assistant.products.conflicts import claims

    try:
        catalog = catalog_for(settings)
    except AssistantError:
        return []
    issues = []
    for c in read_records(directory):
        if not is_in_force(c["status"], c.get("effective"), c.get("expires")):
            continue
        for claim in claims(c["text"], catalog):
            issues.append(CitationIssue(
                c["doc_id"], c["id"], _label(c["text"]), "contradicts_record", WARNING,
                f"“{claim.said}”与产品库「{claim.product.name}」（{claim.product.institution}）当前登记的{claim.current}不一致，"
                "回答中会标注为旧数字；请更新本段或确认产品库",
            ))
    return issues
