"""Places and their hierarchy: China's administrative divisions (resources/regions.tsv) plus named zones
(resources/zones.tsv), one gazetteer for the question analysis, the documents' regions and the product rules.

A mention is found by its full name (北京市, 海淀区, 西咸新区) or, for provinces, cities and zones, by its short name
(北京, 深圳, 沣东) when it starts and ends on jieba's word boundaries (“大同小异” names no city); a province's
one-character abbreviation (京, 沪, 粤) only where a locality word follows it (“京这边”, “沪上”).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property, lru_cache
from importlib import resources

NATIONAL = "全国"
MAX_NAME = 14
_LOCALITY = r"(?:这边|那边|这儿|那儿|这里|那里|地区|当地|本地|一带|省内|市内|区域|上(?=的|企业|公司|[，,。？?\s]|$))"
_SUFFIXES = ("市", "省", "区", "县", "这边", "那边", "地区", "的")
_LOCALITY_AFTER = re.compile(r"这边|那边|这块|那块|这儿|那儿|这里|那里|当地|本地|一带|地区")
# one-character abbreviations that are no everyday word before 的 or 省 (京, 粤, 浙); 新, 云, 青, 宁, 台, 黑, 吉, 贵, 甘,
# 秦, 川, 蒙 and 藏 are, in 在新的一年, 云上的, 吉省 is rare and 秦省 no usage
_PLAIN_ABBR = frozenset("京津沪渝冀晋辽苏浙皖闽赣鲁豫鄂湘粤桂琼蜀黔滇陕陇港澳")


@dataclass(frozen=True)
class Place:
    code: str
    name: str
    level: str  # province | city | district | zone
    parent: str | None  # code of the place above, None for a province


@dataclass(frozen=True)
class Mention:
    place: Place
    start: int
    end: int
    text: str


class Gazetteer:
    def __init__(self, places: list[Place], full: dict[str, list[Place]], short: dict[str, list[Place]], abbr: dict[str, Place],
                 local: dict[str, list[Place]] | None = None):
        self.by_code = {p.code: p for p in places}
        self._full = full
        self._short = short
        self._abbr = abbr
        self._local = local or {}
        letters = "".join(sorted(abbr))
        plain = "".join(sorted(set(abbr) & _PLAIN_ABBR))
        self._abbr_re = (
            re.compile(rf"([{letters}]){_LOCALITY}|(?<=[在赴驻])([{letters}])(?=企业|公司|单位|机构|注册|设立|落户|发展)|沪上|京城"
                       # “粤省”, “在京的企业”: only letters that start no everyday word (在新的, 在云上 name no place)
                       + (rf"|([{plain}])(?=省)|(?<=[在赴驻])([{plain}])(?=的)" if plain else ""))
            if letters else None
        )

    def lookup(self, name: str) -> Place | None:
        """The place a name or short name stands for (the highest-level one when several share it)."""
        found = self._full.get(name) or self._short.get(name) or ([self._abbr[name]] if name in self._abbr else [])
        return min(found, key=_rank) if found else None

    def chain(self, place: Place) -> list[Place]:
        """The place and every place above it, nearest first (沣东新城 → 西咸新区 → 西安市 → 陕西省)."""
        out = [place]
        while out[-1].parent and out[-1].parent in self.by_code and len(out) < 8:
            out.append(self.by_code[out[-1].parent])
        return out

    def province(self, place: Place) -> Place:
        """The top of the place's chain: its province (or the place itself for a province)."""
        return self.chain(place)[-1]

    def chain_names(self, name: str) -> list[str]:
        place = self.lookup(name)
        return [p.name for p in self.chain(place)] if place else []

    def find(self, text: str, *, near: Place | None = None, local: bool = False, every: bool = False) -> list[Mention]:
        """Places mentioned in ``text``, in order, each once (``every``: each occurrence); a longer name wins over a
        shorter one inside it. ``near``: a name several places share (新城区) is the one closest to this place.
        ``local``: also the names people use for places near them, ambiguous elsewhere: a district without 区/县 (雁塔,
        碑林) and a zone's local name (高新区); for where a firm says it is, not for scoping a question."""
        mentions, _banks = self._scan(text, near, local)
        if self._abbr_re is not None:
            for m in self._abbr_re.finditer(text):
                letter = next((g for g in m.groups() if g), m.group(0)[0])
                if not any(x.start <= m.start() < x.end for x in mentions):
                    mentions.append(Mention(self._abbr[letter], m.start(), m.start() + 1, letter))
        mentions.sort(key=lambda m: m.start)
        if every:
            return mentions
        seen: set[str] = set()
        return [m for m in mentions if not (m.place.code in seen or seen.add(m.place.code))]  # type: ignore[func-returns-value]

    def banks(self, text: str) -> list[tuple[int, str]]:
        """The banks named after a place in ``text`` (北京银行, 鄠邑农商银行), with where each starts."""
        return self._scan(text, None, False)[1]

    def _scan(self, text: str, near: Place | None, local: bool) -> tuple[list[Mention], list[tuple[int, str]]]:
        """Places by full or short name, longest first; a place heading a bank's name (北京银行) is the bank, and a
        bank the lexicon lists (江苏银行) is no place either."""
        from assistant.lexicon.banks import listed_at, listed_pattern, place_bank

        mentions: list[Mention] = []
        banks: list[tuple[int, str]] = []
        words = word_starts(text)
        shorts = self._local_names if local else {}
        listed = listed_pattern()

        def pick(found: list[Place]) -> Place:
            return min(found, key=lambda p: (-self._shared(p, near), _rank(p))) if near is not None else min(found, key=_rank)

        i = 0
        while i < len(text):
            named = listed.match(text, i) if listed is not None else None
            if named and listed_at(i, named.end(), words):
                i = named.end()
                continue
            hit = None
            for size in range(min(MAX_NAME, len(text) - i), 1, -1):
                piece = text[i : i + size]
                if piece in self._full:
                    hit = Mention(pick(self._full[piece]), i, i + size, piece)
                    break
                if (piece in self._short or piece in shorts) and _standalone(text, i, size, words):
                    hit = Mention(pick(self._short.get(piece) or shorts[piece]), i, i + size, piece)
                    break
            kind = place_bank(hit.place.level, hit.text, text[hit.end:]) if hit else None
            if hit and kind:
                banks.append((hit.start, text[hit.start:hit.end] + kind))
                i = hit.end + len(kind)
            elif hit:
                mentions.append(hit)
                i = hit.end
            else:
                i += 1
        return mentions, banks

    def _shared(self, place: Place, near: Place | None) -> int:
        """How many places the two chains share: 西安's 新城区 shares 西安市 and 陕西省 with 西咸新区."""
        if near is None:
            return 0
        mine = {p.code for p in self.chain(place)}
        return sum(1 for p in self.chain(near) if p.code in mine)

    @cached_property
    def _local_names(self) -> dict[str, list[Place]]:
        """Zones' local names, and each district's name without 区/县 where no other name is spelled so."""
        out: dict[str, list[Place]] = {name: list(places) for name, places in self._local.items()}
        for p in self.by_code.values():
            if p.level == "district" and p.name.endswith(("区", "县")) and len(p.name) >= 3:
                stem = p.name[:-1]
                if stem not in self._full and stem not in self._short:
                    out.setdefault(stem, []).append(p)
        return out

    def places(self, text: str) -> list[Place]:
        return [m.place for m in self.find(text)]

    def without_places(self, text: str, keep: Callable[[Mention], bool] = lambda m: False) -> str:
        """The text with the places it names blanked out (but those ``keep`` keeps), each with the locality word said
        after it (粤这边, 北京那边)."""
        spans = []
        for m in self.find(text, every=True):
            if keep(m):
                continue
            after = _LOCALITY_AFTER.match(text, m.end)
            spans.append((m.start, after.end() if after else m.end))
        for start, end in sorted(spans, reverse=True):
            text = f"{text[:start]}{' ' * (end - start)}{text[end:]}"
        return text

    def levels_named(self, text: str, home: Place | None) -> list[Place]:
        """The places of ``home``'s chain that a level word points to (区里 → the home zone, 市里 → its city, 省级财政
        → its province): people name the government, not the place, when they mean their own."""
        return self.at_levels(levels_in(text), home)

    def at_levels(self, levels: frozenset[str], home: Place | None) -> list[Place]:
        return [p for p in self.chain(home) if p.level in levels] if home is not None and levels else []


# A level of government named without a place: 区里、市级、省财政.
LEVEL_WORDS = re.compile(r"(区|市|省)(?:里|级|上|财政|这边)")
# the nation named as a level or by its bodies (国家层面, 全国统一, 国家知识产权局, 国务院): national rules are asked for
NATION_WORDS = re.compile(r"国家|全国|国务院|中央")
_LEVEL_OF = {"区": ("zone", "district"), "市": ("city",), "省": ("province",)}


def levels_in(text: str) -> frozenset[str]:
    """The levels of government a text names without a place (省里 → province)."""
    return frozenset(lv for m in LEVEL_WORDS.finditer(text) for lv in _LEVEL_OF[m.group(1)])


def _rank(p: Place) -> int:
    return {"province": 0, "city": 1, "zone": 2, "district": 3}.get(p.level, 4)


def word_starts(text: str) -> set[int]:
    """Offsets where a jieba word starts (and the end of the text): a short name must not cut a word in two."""
    from assistant.retrieval.tokenizer import get_tokenizer

    out = {len(text)}
    pos = 0
    for word in get_tokenizer().cut(text):
        at = text.find(word, pos)
        if at < 0:
            continue
        out.add(at)
        pos = at + len(word)
    return out


def _standalone(text: str, start: int, size: int, words: set[int]) -> bool:
    """Both ends of the short name fall on word boundaries (“大同小异” is one word; “沣东，” is two)."""
    return start in words and (start + size in words or any(text.startswith(s, start + size) for s in _SUFFIXES))


def _read(name: str) -> list[list[str]]:
    text = resources.files("assistant.resources").joinpath(name).read_text(encoding="utf-8")
    return [line.split("\t") for line in text.splitlines() if line.strip() and not line.startswith("#")]


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    places: list[Place] = []
    full: dict[str, list[Place]] = {}
    short: dict[str, list[Place]] = {}
    abbr: dict[str, Place] = {}
    for row in _read("regions.tsv"):
        code, name, level, parent, shorts, letters = (row + [""] * 6)[:6]
        place = Place(code, name, level, parent or None)
        places.append(place)
        full.setdefault(name, []).append(place)
        for s in filter(None, shorts.split(",")):
            short.setdefault(s, []).append(place)
        for letter in filter(None, letters.split("|")):
            abbr[letter] = place
    by_name = {p.name: p for p in places}
    local: dict[str, list[Place]] = {}
    for n, row in enumerate(_read("zones.tsv")):
        name, parent, shorts, locals_ = (row + [""] * 4)[:4]
        parent_code = parent if parent in {p.code for p in places} else by_name[parent].code
        place = Place(f"Z{n:03d}", name, "zone", parent_code)
        places.append(place)
        by_name[name] = place
        full.setdefault(name, []).insert(0, place)
        for s in filter(None, shorts.split(",")):
            # a zone's own short names are listed by hand: three characters and more are unambiguous
            (full if len(s) >= 3 else short).setdefault(s, []).insert(0, place)
        for s in filter(None, locals_.split(",")):
            local.setdefault(s, []).append(place)
    return Gazetteer(places, full, short, abbr, local)
