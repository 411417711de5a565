"""Products by the names people use for them: the full name (秦创贷), the name without the bank's brand prefix
(农银知识产权质押贷 → 农行的知识产权质押贷), the bank's short name plus the product's own words (交行科保贷), the
variant by its qualifier (知惠贷的小额版, 秦农银担版的知产贷), and a typo (知慧贷, 技术留信用贷).

Everything is derived from the catalog and the bank lexicon; nothing lists a product's nicknames. A question may
name several products (“秦创贷和知惠贷哪个利率低”): each stretch between separators is resolved on its own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz import fuzz

from assistant.lexicon.banks import short_names
from assistant.lexicon.programmes import named_entities
from assistant.products.schema import Product

# A stretch of the question that names one product: split at list words and punctuation.
_SEPARATORS = re.compile(r"[、，,；;。？?！!\s]|和|跟|与|及|以及|还是|或者|或|比|对比|相比|三家|两家|这几家|这三款|这两款")
# how close the product's own words must be to what the question says (rapidfuzz partial ratio, 0–1); with the
# bank named, only that bank's products compete, and a looser match names one of them
MATCH = 0.9
MATCH_WITH_BANK = 0.6
WORD_OF_NAME = 0.7
TAIL = 4  # characters of a name's ending that name the product when no other name ends so
_QUALIFIER = re.compile(r"[（(](.+?)[）)]|·(.+)$")


@dataclass(frozen=True)
class _Name:
    product: Product
    core: str  # the product's own words: no bank brand prefix, no variant qualifier
    qualifier: str  # 小额版, 银担组合版, 白名单专享 ('' for none)
    branded: bool  # the name starts with its bank's brand (农银知识产权质押贷): without the bank it is a common phrase


def brand_prefixes(institution: str) -> list[str]:
    """How a bank's products start: its short names, and its 银 brand (农业银行 → 农银, 交行 → 交银, 中行 → 中银)."""
    names = list(short_names(institution))
    brands = [f"{n[0]}银" for n in names if len(n) == 2 and n.endswith("行")]
    return sorted(dict.fromkeys([*names, *brands]), key=len, reverse=True)


def _name(p: Product) -> _Name:
    m = _QUALIFIER.search(p.name)
    qualifier = (m.group(1) or m.group(2)) if m else ""
    core = _QUALIFIER.sub("", p.name)
    branded = False
    for prefix in brand_prefixes(p.institution):
        if core.startswith(prefix) and len(core) - len(prefix) >= 2:
            core, branded = core[len(prefix):], True
            break
    return _Name(p, core, qualifier, branded)


# a product word ends in 贷/宝/通; 贷 followed by 了/过/款 is the verb or the loan (在秦农贷了300万), no product's name
_PRODUCT_WORD = re.compile(r"[\u4e00-\u9fffA-Za-z]{1,10}?(?:贷(?![了过款])|宝|通|联动)")
# the asker saying who they are (我是中行做知产贷的, 我是长行的): their employer, not a product asked about
_ROLE = re.compile(r"^我(?:是|在)[^，。？?]{1,16}(?:的|行)$")


def _said(stretch: str) -> list[str]:
    """What the stretch calls a product (the words ending in 贷/宝/通), each with its shorter tails: “押专利的那个快贷”
    → 快贷, 个快贷 …, so a name is compared with the words nearest its head."""
    out = []
    for m in _PRODUCT_WORD.finditer(stretch):
        word = m.group(0)
        out += [word[i:] for i in range(len(word) - 1)]
    return out


def _score(n: _Name, stretch: str, said: list[str], bank_named: bool) -> float:
    """How closely the stretch names this product. Without its bank, only by the full name: a core such as
    知识产权质押贷 is also an ordinary phrase (知识产权质押贷款), and a short one (续贷宝) any word of the question."""
    if n.product.name in stretch:
        return 1.0
    if n.branded and not bank_named:
        return 0.0
    # an unbranded name's own words are its name without the variant (知产e贷 for 知产e贷（白名单专享）)
    targets = (n.core, n.product.name)
    if bank_named and n.core in stretch:
        return 1.0
    scores = [fuzz.ratio(w, target) / 100 for w in said for target in targets if len(w) >= 3]
    if bank_named and len(n.core) >= 4:
        scores.append(fuzz.partial_ratio(n.core, stretch) / 100)
    if bank_named and any(len(w) == 2 and w in n.core for w in said):
        scores.append(WORD_OF_NAME)  # “建行的投贷产品”: a word of the name, enough among one bank's products if no other has it
    if bank_named and len(n.qualifier) >= 3 and n.qualifier in stretch:
        scores.append(1.0)  # “中行品牌贷”: the bank's variant by its qualifier
    return max(scores, default=0.0)


def _described(stretch: str) -> str:
    """What the stretch says of the product before naming it (“带担保公司的” in “秦农那个带担保公司的知产贷”); what
    follows the name is asked about it (“秦农知产贷要不要担保”)."""
    m = _PRODUCT_WORD.search(stretch)
    return stretch[: max(0, m.end() - 3)] if m else ""  # up to the product word's last three characters (知产贷)


def _words(text: str) -> set[str]:
    from assistant.retrieval.tokenizer import get_tokenizer

    return {w for w in get_tokenizer().words(text) if len(w) >= 2}


def _banks_in(text: str, institutions: list[str]) -> set[str]:
    return {i for i in institutions if any(n in text for n in brand_prefixes(i))}


def _best(stretch: str, names: list[_Name], banks: set[str]) -> Product | None:
    pool = [n for n in names if n.product.institution in banks] if banks else names
    said = _said(stretch)
    scored = []
    for n in pool:
        qualifier = fuzz.partial_ratio(n.qualifier, stretch) / 100 if n.qualifier else 0.0
        scored.append((_score(n, stretch, said, bool(banks)), qualifier, -len(n.product.name), n.product))
    threshold = MATCH_WITH_BANK if banks else MATCH
    fitting = [s for s in scored if s[0] >= threshold]
    if not fitting:
        # “那个知产首贷”: the last four or more characters of exactly one product's name name it, bank unsaid
        # (a branded name's own words are a common phrase without the bank: 知识产权质押贷 in 农银知识产权质押贷)
        tails = {n.product.name: n.product for n in pool if banks or not n.branded
                 for w in said if len(w) >= TAIL and n.product.name.endswith(w)}
        return next(iter(tails.values())) if len(tails) == 1 else None
    # the closest name first; among equally close ones the variant whose qualifier the question says, then the one
    # whose guarantee is what the question says of it (“带担保公司的知产贷” → the variant the guarantee company
    # backs), else the base
    said_words = _words(_described(stretch))
    best = max(fitting, key=lambda s: (round(s[0], 2), s[1] if s[1] >= 0.6 else 0.0,
                                       len((said_words - _words(s[3].name)) & _words(s[3].guarantee or "")), s[2]))
    if best[0] <= WORD_OF_NAME and len({_name(s[3]).core for s in fitting if s[0] == best[0]}) > 1:
        return None  # a word several of the bank's products share names none of them
    return best[3]


def _programmes(catalog: list[Product]) -> list[str]:
    """Names the domain dictionary gives to things that are no product (秦知贷, 秦科保): inside no product's name."""
    return [n for n in named_entities() if not any(n in p.name.lower() for p in catalog)]


def resolve(text: str, catalog: list[Product]) -> list[Product]:
    """Every product the text names, in the order named (none: an empty list)."""
    names = [_name(p) for p in catalog]
    institutions: list[str] = list(dict.fromkeys(str(p.institution) for p in catalog))
    found: list[Product] = []
    stretches = [s for s in _SEPARATORS.split(text) if s]
    bank_before: set[str] = set()
    banks_alone: list[str] = []  # banks named with no product of theirs (“中行、建行、交行这三家的投贷产品”)
    qualifiers = [n.qualifier for n in names if len(n.qualifier) >= 3]
    programmes = _programmes(catalog)
    for stretch in stretches:
        if _ROLE.match(stretch):
            continue
        for name in programmes:  # 秦知贷 names the province's programme, however close to 秦农知产贷 it sounds
            stretch = stretch.replace(name, "")
        banks = _banks_in(stretch, institutions)
        product = _best(stretch, names, banks)
        if product is None and not banks and banks_alone and _said(stretch):
            # the kind of product the listed banks are asked about: each bank's product of that kind
            for bank in dict.fromkeys(banks_alone):
                kind = _best(stretch, names, {bank})
                if kind is not None and kind not in found:
                    found.append(kind)
            banks_alone = []
            continue
        if product is None and not banks and bank_before and (_said(stretch) or any(q in stretch for q in qualifiers)):
            # “中行知惠贷小额的那款”: the bank was named in the stretch before
            product = _best(stretch, names, bank_before)
        if product is None and banks:
            banks_alone += [b for b in institutions if b in banks]
        if product is not None and product not in found:
            found.append(product)
        bank_before = banks or bank_before
    return found
