"""Products by the names people use: resolution derived from the catalog and the bank lexicon, tested on the
sample product library with names built from each record (so a renamed product keeps the tests honest)."""

import pytest

from assistant.products.catalog import catalog_for
from assistant.products.names import _name, brand_prefixes, resolve


@pytest.fixture(scope="module")
def catalog(sample_settings):
    return catalog_for(sample_settings)


def test_every_product_resolves_by_its_own_name(catalog):
    for p in catalog:
        assert resolve(f"请问{p.name}的利率是多少？", catalog) == [p], p.name


def test_bank_short_name_and_the_products_own_words(catalog):
    branded = [p for p in catalog if _name(p).branded and not _name(p).qualifier]  # a variant needs its qualifier
    assert branded
    for p in branded:
        short = next(n for n in brand_prefixes(p.institution) if n.endswith("行") and len(n) == 2) \
            if any(n.endswith("行") and len(n) == 2 for n in brand_prefixes(p.institution)) else brand_prefixes(p.institution)[-1]
        found = resolve(f"{short}的{_name(p).core}额度多少？", catalog)
        assert found == [p], (p.name, short, found)


def test_a_branded_name_without_its_bank_is_an_ordinary_phrase(catalog):
    generic = next(p for p in catalog if _name(p).branded and "知识产权" in _name(p).core)
    assert resolve(f"{_name(generic).core}款逾期了，风险补偿怎么申请？", catalog) == []


def test_a_one_character_typo_with_the_bank_named(catalog):
    p = next(p for p in catalog if len(p.name) >= 6 and not _name(p).branded and not _name(p).qualifier)
    typo = p.name[:2] + ("甲" if p.name[2] != "甲" else "乙") + p.name[3:]
    bank = brand_prefixes(p.institution)[-1]
    assert resolve(f"{bank}{typo}一般几天放款？", catalog) == [p]


def test_a_variant_by_its_qualifier(catalog):
    variants = [p for p in catalog if _name(p).qualifier and any(_name(o).core == _name(p).core and not _name(o).qualifier for o in catalog)]
    assert variants
    for p in variants:
        base = next(o for o in catalog if _name(o).core == _name(p).core and not _name(o).qualifier)
        bank = brand_prefixes(p.institution)[-1]
        assert resolve(f"{bank}{_name(p).core}的{_name(p).qualifier}最多贷多少？", catalog) == [p]
        assert resolve(f"{bank}{_name(p).core}最多贷多少？", catalog) == [base]


def test_several_products_in_the_order_named(catalog):
    a, b, c = catalog[0], catalog[10], catalog[20]
    assert resolve(f"{a.name}、{b.name}和{c.name}，哪个利率低？", catalog) == [a, b, c]


def test_a_kind_asked_of_several_banks(catalog):
    # banks listed, then the kind of product: each bank's product of that kind, when it has exactly one
    banks = {}
    for p in catalog:
        banks.setdefault(p.institution, []).append(p)
    kind = "续贷"
    with_one = [i for i, ps in banks.items() if sum(kind in p.name for p in ps) == 1 and any(n.endswith("行") and len(n) == 2 for n in brand_prefixes(i))]
    assert len(with_one) >= 2
    shorts = [next(n for n in brand_prefixes(i) if n.endswith("行") and len(n) == 2) for i in with_one[:2]]
    found = resolve(f"{shorts[0]}、{shorts[1]}这两家的{kind}产品期限多长？", catalog)
    assert {p.institution for p in found} == set(with_one[:2]) and all(kind in p.name for p in found)


def test_the_ending_of_exactly_one_name_names_it(catalog):
    from collections import Counter

    ends = Counter(p.name[-4:] for p in catalog)
    unique = next(p for p in catalog if ends[p.name[-4:]] == 1 and not _name(p).branded and not _name(p).qualifier
                  and len(p.name) >= 6)
    assert resolve(f"那个{unique.name[-4:]}最长能借多久？", catalog) == [unique]
    tail = unique.name[-4:]
    twin = unique.model_copy(update={"id": "twin", "name": f"另款{tail}"})
    assert resolve(f"那个{tail}最长能借多久？", [*catalog, twin]) == []  # two names end so: neither is named


def test_a_variant_described_by_its_guarantee(catalog):
    # among a product and its variant, equally named, the one whose guarantee the question describes before the name
    groups: dict[str, list] = {}
    for p in catalog:
        groups.setdefault(_name(p).core, []).append(p)
    pairs = [(min(g, key=lambda p: len(p.name)), max(g, key=lambda p: len(p.name))) for g in groups.values() if len(g) == 2]
    base, variant = next((b, v) for b, v in pairs if b.institution == v.institution and "担保" in (v.guarantee or "")
                         and "担保" not in (b.guarantee or ""))
    bank = brand_prefixes(base.institution)[-1]
    assert resolve(f"{bank}那个带担保公司的{_name(base).core[-3:]}", catalog) == [variant]
    assert resolve(f"{base.name}要不要担保？", catalog) == [base]  # asked about, not described


def test_a_variant_without_a_base_is_named_by_its_own_words_bank_unsaid(catalog):
    # an unbranded name with a qualifier and no base product of the same words: its own words name it
    alone = [p for p in catalog if _name(p).qualifier and not _name(p).branded
             and not any(o.name == _name(p).core for o in catalog)]
    assert alone
    for p in alone:
        assert resolve(f"{_name(p).core}是不是只有符合条件的企业才能办？", catalog) == [p]
    # where a base of those words exists, the words name the base, not a variant
    for p in catalog:
        if _name(p).qualifier and not _name(p).branded and any(o.name == _name(p).core for o in catalog):
            assert resolve(f"{_name(p).core}利率多少？", catalog) == [next(o for o in catalog if o.name == _name(p).core)]


def _names(text, catalog):
    return [p.name for p in resolve(text, catalog)]


def test_a_programme_named_beside_a_bank_is_no_product_of_that_bank(catalog):
    # 秦知贷 is the province's compensation programme: with 秦农 said before it, it still names no 秦农 product
    assert _names("秦农银行这边，秦知贷的备案截止到哪天", catalog) == []
    assert _names("秦农银行的知产贷利率多少", catalog) == ["秦农知产贷"]


def test_borrowing_at_a_bank_is_no_product_of_it(catalog):
    assert _names("今年第一次在秦农贷了200万，担保费补助怎么报", catalog) == []


def test_the_asker_saying_where_they_work_names_no_product(catalog):
    assert _names("我是中行做知产贷的，专利质押登记去哪里办", catalog) == []
    assert _names("中行的知产贷最多能贷多少", catalog) == ["知惠贷"]
