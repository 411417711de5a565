"""An answer that quotes a product figure the product's record now states differently marks it where it stands
and gives the record's figure, cited to the record: the current fact answers, the older one is flagged."""

from __future__ import annotations

import re

from assistant.answer.products import record_citation
from assistant.answer.types import Answer
from assistant.products.conflicts import Claim, note, passage_claims
from assistant.products.schema import Product

_LINE_MARK = re.compile(r"\[(\d+)\]")
_SENTENCE_END = re.compile(r"[。；！？]")


def _digits(said: str) -> str:
    return re.sub(r"^[^\d]*", "", said)  # “发明专利25%” → “25%”


def mark_outdated(answer: Answer, catalog: list[Product]) -> Answer:
    if not catalog or not answer.citations or answer.refused:
        return answer
    found = passage_claims([c.text for c in answer.citations], catalog)
    claims = {c.n: cl for c, cl in zip(answer.citations, found, strict=True) if cl}
    if not claims:
        return answer
    citations = list(answer.citations)
    record_n: dict[str, int] = {}
    lines = []
    for line in answer.answer.split("\n"):
        # where each outdated figure's sentence ends in this line, and what the record says instead
        inserts: dict[tuple[int, str], list[Claim]] = {}
        for n in (int(m) for m in _LINE_MARK.findall(line)):
            for claim in claims.get(n, []):
                at = line.find(_digits(claim.said))
                if at < 0:
                    continue
                end = _SENTENCE_END.search(line, at)
                cut = end.start() if end else (line.rfind("[") if "[" in line else len(line))
                inserts.setdefault((cut, claim.product.id), []).append(claim)
        for (cut, pid), said in sorted(inserts.items(), key=lambda kv: -kv[0][0]):
            if pid not in record_n:
                record_n[pid] = len(citations) + 1
                citations.append(record_citation(said[0].product, record_n[pid]))
            line = f"{line[:cut]}{note(said)}[{record_n[pid]}]{line[cut:]}"
        lines.append(line)
    return answer.model_copy(update={"answer": "\n".join(lines), "citations": citations})
