"""Which documents a question's places point to, from the documents' own regions (read at index time).

A question that names a place prefers the documents governing that place or a place above it (a 广东省 rule for a
question about 深圳), and those of places inside it; one that names none prefers the center's own chain (西咸新区 →
西安市 → 陕西省). National and undated-region documents stay neutral; another region's documents step down.
"""

from __future__ import annotations

from collections.abc import Iterable

from assistant.lexicon.places import NATIONAL, Place, gazetteer


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
    mentions = gazetteer().find(question)
    regions = list(regions)
    if not mentions or any(covered(m.place, regions) for m in mentions):
        return None
    return mentions[0].text


AT_LEVEL, PREFERRED, NEUTRAL, OTHER_LEVEL, ELSEWHERE = 2, 1, 0, -1, -2


def preference(doc_region: str | None, named: list[Place], home: Place | None, levels: list[Place] | None = None) -> int:
    """PREFERRED: the question's places (or the home chain when it names none); NEUTRAL: national or unknown;
    ELSEWHERE: another region's. ``levels``: the home chain's places a level word points to (市里 → 西安市): their
    documents are AT_LEVEL, the chain's other levels OTHER_LEVEL (a district's rule is not what “市里的贴息” asks
    for, though “市里初审” may be a step of the province's procedure)."""
    if not doc_region or doc_region == NATIONAL:
        return NEUTRAL
    if levels and home is not None:
        if doc_region in {p.name for p in levels}:
            return AT_LEVEL
        if doc_region in {p.name for p in gazetteer().chain(home)}:
            return OTHER_LEVEL
    targets = named or ([home] if home else [])
    if any(related(doc_region, p) for p in targets):
        return PREFERRED
    return ELSEWHERE
