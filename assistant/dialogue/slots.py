"""Profile slots from free Chinese text: amounts, terms, IP counts by type, founding year, region,
qualifications, revenue, debt ratio, head count, whitelist and credit status, company name, purpose.

Returns flattened keys (``need.amount``, ``ip_counts.发明专利``) with normalised values; the dialogue manager
merges them into the session's profile, latest value winning (so “不对，是三件” corrects).

Three mechanisms hold for phrasings nobody listed:
- only clauses that state something about the firm are read (``statements``): a place or a figure in a question
  about something else never becomes the firm's;
- one negation scope decides whether the firm has a qualification, a whitelist place, a clean record or a kind of
  IP (``negation``);
- a figure belongs to the field named before it: in its clause, else earlier in the turn (“刚才营收说少了，应该
  4800万”), else the field the assistant just asked for, else, in a correction, the field the firm stated last.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

from dateutil.relativedelta import relativedelta

from assistant.dialogue.details import read_details
from assistant.dialogue.negation import applied, holds, negated
from assistant.dialogue.numbers import CN_DIGITS, NUM, normalise, to_number, to_yuan
from assistant.dialogue.statements import BLANK, asks, firm_facts_only
from assistant.lexicon.ip_types import ANY_IP, IP_WORDS
from assistant.lexicon.places import Place, gazetteer
from assistant.profile import qualifications
from assistant.retrieval.answer_type import clauses
from assistant.retrieval.tokenizer import get_tokenizer
from assistant.settings import Settings

HOME_REGION: str = Settings.model_fields["home_region"].default

# Qualifications as firms write them, from the one vocabulary (assistant/profile/qualifications.py); “科技型企业融资
# 白名单” is a programme's name, not a qualification.
_QUAL_SPELLINGS = sorted(((a, c) for c in qualifications.CANONICAL for a in qualifications.spellings(c)), key=lambda x: -len(x[0]))
QUAL_MENTION = re.compile("(?:" + "|".join(f"({re.escape(a)})" for a, _ in _QUAL_SPELLINGS) + r")(?!融资|白名单)")
_CLAUSE = re.compile(r"[，。；！？,;!?\n]|(?<!\d)\.|\.(?!\d)")

# Nouns that name a money field, strongest first: a revenue or asset noun in a clause outranks the loan's verbs.
REVENUE_CUES = re.compile(r"营收|营业收入|收入|销售额|销售收入|年营业额|营业额|产值|销售|卖了|流水|营业")
OTHER_MONEY_CUES = re.compile(r"资产|利润|估值|评估|注册资本|实缴|研发投入|投入|贴息|补贴|保费|担保费")
# (降到 / 提高到: only a request is lowered or raised; a past revenue is corrected, not lowered)
AMOUNT_CUES = re.compile(r"贷|融资|借|缺|资金|需要|想要|申请|额度|要|筹|金额|降到|降低到|减到|减少到|调到|调整到|提高到|增加到|加到|缩到")
MONEY_NOUNS = (("revenue", REVENUE_CUES), ("other", OTHER_MONEY_CUES), ("need.amount", AMOUNT_CUES))
MONEY_FIELDS = ("revenue", "need.amount")
# Words that replace a figure said before: the new figure keeps the field of the one it replaces.
CORRECTION = re.compile(r"改成|改为|降到|调到|调整到|提高到|增加到|换成|变成|准确(?:地)?说是|应该是|其实是")
# The one lexicon of corrections: a turn that says an earlier figure or fact was wrong. The figure it gives then
# belongs to the field it corrects (see _money_field, _corrections); intents and the qualification merge read it too.
CORRECTING = re.compile(
    r"说错|看错|写错|打错|记错|搞错|弄错|算错|报错|看成|写成|说成|(?:少|多)了(?:一)?个零|(?:少|多)(?:说|写|打|报)了|(?:说|写|打|报)(?:少|多|低|高)了"
    r"|不对|更正|纠正|应该|其实|实际|准确(?:地)?说|改成|改为|换成|变成|才对|才是"
)
# A change of mind, not of fact (“期限三年……算了，还是两年吧”): the later value replaces the earlier one.
REVISING = re.compile(CORRECTING.pattern + r"|算了|还是")

# Trailing request chatter (“看看有啥合适的”, “帮忙推荐下”, “有没有能做的”, “能办吗”) is a request, not a fact or a question about one.
REQUEST_CLAUSE = re.compile(r"推荐|合适|有啥|有什么|有没有|哪些|哪个|哪款|哪家|能办|能做|能贷|可以办|可以做|可以贷|行不行|行吗|可以吗|能行吗|怎么样|看看|帮忙|帮我|麻烦|谢谢|给个建议|列一下")
TODAY = dt.date.today


@dataclass
class Context:
    """What the dialogue knows beyond the turn: the fields the assistant just asked for, the fields the firm stated
    in earlier turns (most recent last) and their values. They only place a figure the turn leaves unnamed."""

    expecting: tuple[str, ...] = ()
    recent: tuple[str, ...] = ()
    known: dict[str, Any] = field(default_factory=dict)
    home: str = HOME_REGION  # the service center's own area (Settings.home_region): names near it resolve to it


def strip_requests(text: str) -> str:
    """The turn without its trailing request clauses: “贷三百万，两年，研发新工艺，有推荐吗” → “贷三百万，两年，研发新工艺”."""
    parts = re.split(r"([，。；！？,.;!?\n])", text.strip())
    clauses = ["".join(parts[i : i + 2]) for i in range(0, len(parts), 2)]
    while len(clauses) > 1 and (not clauses[-1].strip("，。；！？,.;!?\n " + BLANK) or REQUEST_CLAUSE.search(clauses[-1].strip("，。；！？,.;!?\n "))):
        clauses.pop()
    return "".join(clauses)


def _clause_before(text: str, pos: int) -> str:
    cut = max((m.end() for m in _CLAUSE.finditer(text, 0, pos)), default=0)
    return text[cut:pos]


# What may stand around a figure that answers a question by itself (“三千来万吧”, “大概两千万左右”).
_BARE = re.compile(r"(?:大概|大约|约|差不多|将近|接近|可能|应该|是|有|吧|啊|呢|嗯|哦|左右|上下|的样子|出头|元|块|\s|" + BLANK + ")*")


def _clause_end(text: str, pos: int) -> int:
    m = _CLAUSE.search(text, pos)
    return m.start() if m else len(text)


def _named(segment: str) -> str | None:
    return next((kind for kind, rx in MONEY_NOUNS if rx.search(segment)), None)


MONEY = re.compile(rf"({NUM})\s*(?:多|来|余)?\s*(亿|千万|百万|万)\s*(?:元|块)?|({NUM})\s*(?:元)")  # “三千来万”


# a figure said with the noun it measures right after it (200万货款, 8万的税, 500万授信额度; jieba's dictionary tags it a
# noun) is that noun's amount; a loan word there (500万贷款, 300万资金) or no noun (贷500万左右, 按一千万来吧) leaves the
# figure to the loan
_LOAN_NOUN = re.compile(r"贷|融资|资金|周转|人民币|额度")


# a loan already taken (已经贷了, 之前借过, 去年在中行贷了): the firm's debt, not the amount it asks for
_BORROWED = re.compile(r"(?:已经|已|之前|以前|去年|前年|曾经|上个月|刚)[^，,。；;]{0,8}?(?:贷了|借了|贷过|借过|放款了|(?:批|放)了(?:贷款|额度|款))")
# a forecast (今年预计, 估计能到) or last year's figure: what a clause that only moves the year speaks of
_FORECAST_OR_LAST = re.compile(r"预计|预估|估计|能到|争取|去年")
_ONLY_TIME = re.compile(r"(?:(?:今年|明年|去年|前年|上半年|下半年|预计|预估|大概|大约|估计|能到|能有|会有|有|到|是|达到|左右|上下|争取|做到|吧)\s*)*")


def _starts_with_noun(text: str) -> bool:
    """The text opens with a word jieba's dictionary tags a noun (货款, 股东, 专利)."""
    if not re.match(r"[\u4e00-\u9fff]", text):
        return False
    tok = get_tokenizer()
    return tok.noun(tok.cut(text[:8])[0])


def _money_field(text: str, start: int, said: list[str], denied: list[float], ctx: Context, asking: bool,
                 end: int | None = None) -> str | None:
    """The field a money figure belongs to (“other”: a figure of something not in the profile; None: none)."""
    clause = _clause_before(text, start)
    kind = _named(clause)
    if kind in ("revenue", "other"):
        return kind
    # the words that govern this figure: after the figure before it and after a word of wanting (想/要/再/这次…)
    governing = re.split(r"想|要|再|这次|还|需要|准备|打算|计划", MONEY.split(clause)[-1] if MONEY.search(clause) else clause)[-1]
    if _BORROWED.search(governing):
        return "other"  # “已经在中行贷了300万”: a loan the firm has, not the one it wants
    if kind:
        return kind
    # A noun named earlier in the turn, in a clause with no figure of its own: “刚才营收说少了，应该4800万”.
    cut = start - len(clause)
    for earlier in reversed(_CLAUSE.split(text[:cut])):
        if kind := _named(earlier):
            if not MONEY.search(earlier):
                return kind
            # “去年营收1.2亿，今年预计1.5亿”: a clause that only moves the time speaks of the noun before it, a year the
            # profile does not hold (it holds last year's) — unless it is last year's
            rest = MONEY.sub("", clause + text[start:_clause_end(text, start)]).strip()
            if kind != "need.amount" and not ctx.expecting and _ONLY_TIME.fullmatch(rest) and _FORECAST_OR_LAST.search(rest):
                return kind if "去年" in rest else "other"
            break
    if CORRECTING.search(text):
        # “是三百万，不是三千万”: the field that holds the denied figure is the one corrected
        for field_name in MONEY_FIELDS:
            if any(abs(d - (ctx.known.get(field_name) or -1)) < 1 for d in denied):
                return field_name
        # “不对，说少了，是一千五百万”: the figure replaces the one stated last, in this turn or before
        recent = said or [k for k in ctx.recent if k in MONEY_FIELDS]
        if recent:
            return recent[-1]
    expected = [k for k in ctx.expecting if k in MONEY_FIELDS]
    if expected and _BARE.fullmatch(MONEY.sub("", text[start - len(clause) : _clause_end(text, start)])):
        return expected[0]  # a bare figure answers what the assistant just asked (“三千来万吧”)
    after = text[end:] if end is not None else ""
    noun = after[1:] if after.startswith("的") else after
    phrase = re.split(r"[，,。；;！!？?、]", noun, maxsplit=1)[0][:10]  # the noun phrase: 500万专利质押贷款 is a loan
    if not _LOAN_NOUN.search(phrase) and _starts_with_noun(noun):
        return "other"
    return None if asking else "need.amount"


def _money(text: str, slots: dict[str, Any], ctx: Context, asking: bool) -> None:
    """Money figures to revenue or the loan amount; ``asking``: the turn is a question, so an unnamed figure is
    not taken as the amount wanted (“单户500万以内才算，现在变了吗？”)."""
    figures = []
    for m in MONEY.finditer(text):
        number, unit = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), None)
        value = to_yuan(number, unit)
        if value is None or value <= 0 or (m.group(3) and not unit and value < 10000):  # “5元”: not a loan
            continue
        figures.append((m, value, negated(text, m.span())))
    denied = [value for _, value, no in figures if no]
    said: list[str] = []
    for m, value, no in figures:
        if no:  # “是三百万，不是三千万”: the denied figure is nobody's
            continue
        kind = _money_field(text, m.start(), said, denied, ctx, asking, m.end())
        before = _clause_before(text, m.start())
        # several amounts in one turn: a corrected one (“八百万太多，改成四百五十万”) wins
        replaces = "need.amount" not in slots or CORRECTION.search(before) or not re.search(r"太多|太少|不够|多了|少了", before)
        if kind == "revenue":
            slots["revenue"] = value
        elif kind == "need.amount" and replaces:
            slots["need.amount"] = value
        if kind in MONEY_FIELDS:
            said.append(kind)


def _term(text: str, slots: dict[str, Any]) -> None:
    # “三月” is a calendar month; only “三个月” (or “X年”) is a duration.
    for m in re.finditer(rf"({NUM})\s*(个)?(年半|年|个月|月期)|(半年)", text):
        if m.group(4):
            months = 6
        else:
            n = to_number(m.group(1))
            if n is None or n >= 100 or n == 0:
                continue
            unit = m.group(3)
            months = int(n * 12 + 6) if unit == "年半" else int(n * 12) if unit == "年" else int(n)
        before = _clause_before(text, m.start())
        after = text[m.end() : m.end() + 3]
        lead = text[max(0, m.start() - 2) : m.start()]
        # the term of something else, said right at the duration: how long a patent still runs (还有两年到期, 剩余保护期8年)
        still_runs = (re.match(r"(?:就|才)?到期", after) or re.search(r"(?:剩余|保护期|有效期)[^，。；]{0,3}$", before)) and not re.search(
            r"贷|借|期限|授信", before)  # 贷三年到期一次还本, 授信有效期三年: the loan's own term
        if re.search(r"成立|注册|创立|经营|做了|干了|办了|公司", before + after) or re.match(r"成立|了$", after) or lead.endswith(("第", "再过", "过")) or still_runs:
            continue
        # In a question, a duration is the loan term only right next to a loan word (“贷两年”, “期限三年”).
        near = before[-2:] + after
        # “期限三年……算了，还是两年吧”: a duration after a change of mind replaces the one before it
        revised = "need.term_months" in slots and REVISING.search(before)
        if re.search(r"期限|贷|借|为期|期$|^期|就行|就够|足够|左右|改成|改为|缩短到|延长到|调到|拉到|延到|放到|用", near) or revised or (
            "need.term_months" not in slots and not re.search(r"[？?吗]|申报|审核|办理|几次|就到期", strip_requests(text))
        ):
            slots["need.term_months"] = months


def _founded(text: str, slots: dict[str, Any]) -> None:
    m = re.search(r"((?:19|20)\d{2})\s*年\s*(?:(\d{1,2})\s*月)?[^，。；]{0,4}(成立|注册|创立|创办|建立)", text) or re.search(
        r"(?:成立|注册|创立)(?:于|在|时间是|时间为)?\s*((?:19|20)\d{2})\s*年?(?:\s*(\d{1,2})\s*月)?", text
    )
    if m:
        slots["founded_year"] = int(m.group(1))
        if m.group(2):
            slots["founded_month"] = int(m.group(2))
        return
    rel = re.search(r"(今年|去年|前年)[^，。；]{0,3}(?:才|刚|刚刚)?(?:成立|注册|创立|创办)", text)
    if rel:
        slots["founded_year"] = TODAY().year - {"今年": 0, "去年": 1, "前年": 2}[rel.group(1)]
        return
    m = re.search(r"(?<![\d.])(\d{2})\s*年\s*(?:(\d{1,2})\s*月)?[^，。；]{0,2}(?:成立|注册|创立|创办)", text)
    if m:  # “19年成立”: a two-digit year, not nineteen years
        yy = int(m.group(1))
        slots["founded_year"] = 2000 + yy if 2000 + yy <= TODAY().year else 1900 + yy
        if m.group(2):
            slots["founded_month"] = int(m.group(2))
        return
    months = re.search(rf"(?:成立|注册|创立)(?:了|才|刚|刚刚|也就)?\s*(?:({NUM})\s*个(?:多)?月|(半)年)", text)
    if months:  # “成立才8个月”, “成立才半年”: founded that many months ago
        n = to_number(months.group(1)) if months.group(1) else 6
        if n is not None and 0 < n < 120:
            since = TODAY() - relativedelta(months=int(n))
            slots["founded_year"], slots["founded_month"] = since.year, since.month
            return
    m = re.search(rf"(?:成立|注册|创立|经营|干了|做了)(?:了|有)?\s*({NUM})\s*(?:多)?年|({NUM})\s*年前(?:成立|注册)", text)
    if m:
        token = m.group(1) or m.group(2)
        n = to_number(token)
        # “近四五年”, “一两年” is a range, not a number of years
        if n is not None and 0 < n < 50 and not re.fullmatch(r"[一二两三四五六七八九]{2}", token):
            if text[m.end(): m.end() + 1] == "半":  # “成立一年半”: eighteen months ago
                since = TODAY() - relativedelta(months=int(n * 12) + 6)
                slots["founded_year"], slots["founded_month"] = since.year, since.month
            else:
                slots["founded_year"] = TODAY().year - int(n)


def _ip_counts(text: str, slots: dict[str, Any]) -> None:
    """Counts by type: “3件发明专利”, “发明专利有九件”, “软著倒是有十五个”, and a count in the next clause of a type
    named without one (“只有实用新型，七件”); a denied count is none (“发明专利一件都没有” → 0)."""
    for ip_type, words in IP_WORDS:
        # a counted kind may carry a word of its own before it (两个近似商标, 3件核心发明专利), never another kind's
        pattern = (rf"({NUM})\s*(?:多|来|余)?(?:(?:件|个|项|份|张|篇)(?!月)(?:(?!{ANY_IP})[\u4e00-\u9fff]){{0,3}}?|(?:有效)?(?:的)?)\s*(?:{words})"
                   rf"|(?:{words})(?:专利)?\s*(?:倒是|也|还|都|总共|一共|共|大概|大约|约|差不多|将近)*(?:有|是)?\s*({NUM})\s*(?:多|来|余)?(?:件|个|项|份)"
                   rf"|(?:{words})(?:专利)?[^，,。；;？?\d{CN_DIGITS}]{{0,10}}[，,]\s*(?:有|共|大概|大约|约)?\s*({NUM})\s*(?:多|来|余)?(?:件|个|项|份)(?=$|[，,。；;！!])")
        for m in re.finditer(pattern, text):
            n = to_number(m.group(1) or m.group(2) or m.group(3))
            if n is None or n != int(n) or n > 10000:
                continue
            if ip_type == "著作权" and re.search(r"软件|软", text[max(0, m.start() - 2) : m.end()]):
                continue
            if re.search(r"其中的?$", text[max(0, m.start() - 3) : m.start()]) and (
                    m.group(1) or not re.search(r"[，,。；;]\s*其中的?$", text[max(0, m.start() - 4) : m.start()])):
                # “只押其中一个商标”, “想押其中发明两件”: some of those counted before, not how many the firm holds;
                # “专利有7件，其中发明2件” says how the holding divides
                continue
            if ip_type == "发明专利" and "实用新型" in text[m.start() : m.end()]:
                continue
            slots[f"ip_counts.{ip_type}"] = 0 if negated(text, m.span()) else int(n)
            exact = re.match(rf"[^，。；？]{{0,4}}?(?:准确(?:地)?说是|确切(?:地)?说是|具体是|其实是)\s*({NUM})\s*(?:件|个|项)", text[m.end() :])
            if exact and (k := to_number(exact.group(1))) is not None:
                slots[f"ip_counts.{ip_type}"] = int(k)  # “三十多件——准确说是三十二件”


FIRM_CUE = re.compile(r"我们|我司|咱们|公司|企业|注册|位于|地址|在|落户|总部|厂|迁到|迁入|搬到|搬迁到|以")


_REGISTERED_AT = re.compile(r"(?:注册|注册地|落户|总部|营业执照)[^，。；]{0,3}$")
# registered there once, not now, or not yet (没有注册在, 以前注册在, 准备把注册地迁到)
_NOT_REGISTERED_NOW = re.compile(r"没|不是|未|以前|原来|之前|曾经|准备|打算|计划|想|迁")


def _region(text: str, slots: dict[str, Any], home_name: str) -> None:
    # A place named in a policy question (“西咸新区的贴息…”, “西安明天下雨吗”) is not where the firm is.
    name = re.search(r"[\u4e00-\u9fa5]{2,30}?(?:有限公司|有限责任公司)", text)
    own = re.split(r"[的是叫称]", name.group(0))[-1] if name else ""
    masked = text.replace(own, "＿" * len(own)) if len(own) >= 6 else text  # “西安秦汉…有限公司” names no region
    g = gazetteer()
    home = g.lookup(home_name)
    province = g.province(home) if home else None
    found = []
    # the names people use for places near them count here (雁塔, 高新区): this is where the firm says it is
    for m in g.find(masked, near=home, local=True, every=True):
        idx, p = m.start, m.text
        rest = _CLAUSE.split(masked[m.end :], maxsplit=1)[0]
        cue = FIRM_CUE.search(masked[max(0, idx - 8) : idx]) or re.search(r"公司|企业|初创|注册|工厂|＿", rest)
        at_start = idx <= 1 and re.match(r"(?:新城|新区)?(?:的|做|搞|有|这边)", masked[m.end :])
        # a place of the center's province opening a clause (“沣西新城，成立三年”, “……。空港新城那边注册的”) is
        # where the firm is
        local = province is not None and province in g.chain(m.place)
        clause_start = local and re.search(r"(?:^|[，。；！!,;？?\s])(?:嗯|哦|对|是|就是|在|我们在|公司在)?$", masked[:idx]) and not re.search(
            r"[？?吗]|贴息|补贴|补助|政策|办法|白名单|天气|下雨|限行|在哪|哪里|哪儿", re.split(r"[。！!]", masked[idx:], maxsplit=1)[0])
        programme = re.match(r"(?:新区|市|区)?(?:的|那个|这个)?(?:融资)?(?:白名单|贴息|补贴|补助|政策|办法|风险补偿)", masked[m.end :])
        # a bank's or another firm's office there (“建行郑州分行”), or a bank named after the place (长安银行), is not
        # where the firm is registered
        programme = programme or re.match(r"(?:市)?(?:分行|支行|分公司|办事处|营业部|分部|银行|农商行|农商银行|农信社)", masked[m.end :])
        # a province alone (“咱们陕西有没有…”) does not say where the firm is registered; a municipality (北京市) does
        broad = m.place.level == "province" and not m.place.name.endswith("市")
        if (cue or at_start or clause_start) and not programme and not broad and not negated(masked, (idx, idx + len(p))):
            found.append((idx, m.place))
    # where the firm says it is registered outranks where it has a site (“在沣西新城有个仓库，公司注册在高新区”)
    registered = [f for f in found if _REGISTERED_AT.search(masked[max(0, f[0] - 6) : f[0]])
                  and not _NOT_REGISTERED_NOW.search(masked[max(0, f[0] - 8) : f[0]])]
    if found:
        slots["region"] = recorded_region(min(registered or found, key=lambda x: x[0])[1], home)


def recorded_region(place: Place, home: Place | None) -> str:
    """The region a firm's profile records for where it says it is: the center's own area, or the city above a
    district or zone (雁塔区 → 西安市; a municipality's district → 北京市)."""
    g = gazetteer()
    chain = g.chain(place)
    if home is not None and home in chain:
        return home.name
    city = next((p for p in chain if p.level == "city"), None)
    return city.name if city else chain[-1].name


# “啥资质都没有”, “没有任何认定”: the generic word under a negator, by the one negation scope.
GENERIC_QUAL = re.compile(r"资质|认定|资格")


def qualification_mentions(text: str) -> list[tuple[str, tuple[int, int]]]:
    """Each qualification a text names, canonical, with where it stands (科技型企业融资白名单 names a list, not one)."""
    return [(_QUAL_SPELLINGS[(m.lastindex or 1) - 1][1], m.span()) for m in QUAL_MENTION.finditer(text)]


def qualification_states(text: str) -> dict[str, bool]:
    """Each qualification the text mentions → held (True) or denied (False); pending ones are left out. The last
    mention decides (“是高企，哦不对，不是高企”)."""
    mentions = qualification_mentions(text)
    spans = [span for _, span in mentions]
    states: dict[str, bool] = {}
    for name, span in sorted(mentions, key=lambda x: x[1]):
        state = holds(text, span, [s for s in spans if s != span])
        if state is not None:
            states.pop(name, None)
            states[name] = state
    return states


def _qualifications(text: str, slots: dict[str, Any]) -> None:
    states = qualification_states(text)
    held = [name for name in qualifications.CANONICAL if name in qualifications.held(n for n, ok in states.items() if ok)]
    if held:
        slots["qualifications"] = held
    elif states or any(negated(text, m.span()) for m in GENERIC_QUAL.finditer(text)):
        slots["qualifications"] = []  # “高企和科小都不是”, “啥资质都没有”: none, which decides eligibility too


# A whitelist place is claimed by being in it (“进了白名单”, “白名单企业”), not by naming it.
WL_IN_BEFORE = re.compile(r"(?:进|入|列入|纳入|入选|进入|在|是|上了|进了)[^，,。；;]{0,8}$")
WL_IN_AFTER = re.compile(r"^(?:企业|内|里|上|名单里|名单上|名单内)|^[^，,。；;]{0,4}(?:已经|已|刚)(?:进|入|列入|纳入|通过|批)|^(?:也|都)?(?:进了|进去了|入了|上了|通过了|批了)")
CREDIT_NOUN = re.compile(r"征信|信用记录|信用状况|信用情况|信用(?!代码)|信贷记录|贷款记录|还款记录")
# Events that spoil a record (the record is clean when they are denied: “没有逾期”, “从没出过问题”) and states of a
# record (a denied one is not clean: “征信不太好”). Words this general count only after a credit noun.
CREDIT_EVENTS = re.compile(r"逾期|不良记录|不良|失信|欠息|被执行|黑名单|污点|瑕疵")
CREDIT_EVENTS_NEAR_NOUN = re.compile(r"问题|毛病|花了|黑了")
CREDIT_STATES = re.compile(r"良好|优良|正常|干净|清白|不错|可以|优秀|合格|没事|好(?!像|几)|ok|行(?!业)", re.I)


def _whitelist(text: str, slots: dict[str, Any]) -> None:
    for m in re.finditer("白名单", text):
        state = holds(text, m.span())
        if state is False or applied(text, m.span()):  # applied for, not decided yet: not on the list today
            slots["whitelist"] = False
        elif state and (WL_IN_BEFORE.search(_clause_before(text, m.start())) or WL_IN_AFTER.search(text[m.end() :])):
            slots["whitelist"] = True


def _credit(text: str, slots: dict[str, Any]) -> None:
    verdicts: list[bool] = []
    for m in CREDIT_EVENTS.finditer(text):
        verdicts.append(negated(text, m.span()))  # “没有逾期” → clean
    for noun in CREDIT_NOUN.finditer(text):
        rest = _CLAUSE.split(text[noun.end() :], maxsplit=1)[0]
        for m in CREDIT_EVENTS_NEAR_NOUN.finditer(rest):
            verdicts.append(negated(text, (noun.end() + m.start(), noun.end() + m.end())))
        if state := CREDIT_STATES.search(rest):
            verdicts.append(not negated(text, (noun.end() + state.start(), noun.end() + state.end())))
    if verdicts:
        slots["credit_ok"] = all(verdicts)  # one spoiling event outweighs a general “还行”


def _flags(text: str, slots: dict[str, Any]) -> None:
    _whitelist(text, slots)
    _credit(text, slots)


STAFF_NOUN = r"(?:员工|职工|雇员|人员|员工数|职工数|员工人数|职工人数|在职人数|参保人数|社保人数|团队|人数)"
STAFF_FILLER = r"(?:总数|总共|一共|共有|共|有|是|为|大概|大约|约|差不多|将近|接近|不到|：|:|\s)*"
HEAD = r"(?:多|来|余)?(?:个人|个|号人|人|名|位)"


def _employees(text: str, slots: dict[str, Any]) -> None:
    """Head count: a staff noun then a number (“员工八十五个”, “员工120”, “人数是42”), a number then a staff noun or
    a counter (“三十五个员工”, “28名员工”, “一百四十位”), or “42个人” as a clause of its own in a list of facts."""
    unit_after = r"(?!\s*(?:万|亿|千万|百万|元|块|%|年|个月|月|件|项|份|天|岁|成|折|个点))"
    patterns = [
        # a precise figure after a round one (“二十几个人，具体二十六个”) is the one
        rf"(?:人|员工|职工)[^。；;]{{0,8}}?(?:具体|准确(?:地)?说|确切(?:地)?说|精确(?:地)?说)(?:是|为|地说|来说)?\s*({NUM})\s*{HEAD}?",
        rf"(?<!研发){STAFF_NOUN}{STAFF_FILLER}({NUM})\s*{HEAD}?(?!民币){unit_after}",
        rf"(?:公司|一共|总共|共有)(?:有|共|一共|总共)?\s*({NUM})\s*{HEAD}(?!民币)",
        rf"{STAFF_NOUN}[^。；;\d]{{0,12}}?(?:是|为|应该是|其实是|实际是|有)\s*({NUM})\s*{HEAD}(?!民币)",  # “员工数说错了，是85人”
        rf"({NUM})\s*(?:多|来|余)?(?:个|名|位)?(?:员工|职工|雇员)",
        rf"(?:^|[，,。；;\s、])({NUM})\s*(?:多|来|余)?(?:个人|号人|人|名员工|名|位)(?=$|[，,。；;！!\s、])",
    ]
    counted = re.compile("|".join(w for _, w in IP_WORDS))
    for pattern in patterns:
        for m in re.finditer(pattern, text):
            if re.search(r"研发|技术人员|博士|硕士", text[max(0, m.start() - 4) : m.start() + 2]):
                continue
            if counted.search(_clause_before(text, m.start(1))):  # “软著一共23个”: a count of something else
                continue
            if _counts_another_noun(text[m.end():]):  # “公司有两位股东”, “6个专利”: a count of something else
                continue
            n = to_number(m.group(1))
            if n is not None and n == int(n) and 0 < n < 100000:
                slots["employees"] = int(n)
                return


_STAFF_WORD = re.compile(r"员工|职工|雇员|人员|工人|职员|工程师|员|人")


def _counts_another_noun(after: str) -> bool:
    """The counter just read is followed by a noun that names no staff (股东, 合伙人, 专利): it counts that noun."""
    return not _STAFF_WORD.match(after) and _starts_with_noun(after)


RD_STAFF = re.compile(
    rf"(?:搞|做)?(?:研发|技术研发)(?:人员|团队|岗|的)?(?:有|是|占|大概|大约|约)?\s*({NUM})\s*(?:多|来|余)?(?:个人|个|人|名|位)"
)


DEBT_NOUN = r"(?:资产负债率|负债率|负债比例|负债比率|负债比|负债水平|负债)"
_CN1 = r"[一二两三四五六七八九]"


def ratio_percent(expr: str) -> float | None:
    """A ratio said any usual way → percent: 45% / 45％ / 三十五% / 百分之四十五 / 百分之三十二点五 / 四成 / 四成五 /
    三成半 / 七五折 / 八折 / 四十八个点 / 一半 / 0.45 (a fraction) / a bare 45."""
    e = normalise(expr).strip()
    if e in ("一半", "过半", "对半"):
        return 50.0
    if m := re.fullmatch(rf"百分之({NUM})", e):
        return to_number(m.group(1))
    if m := re.fullmatch(rf"({NUM})\s*(?:%|个百分点|个点|点)", e):
        return to_number(m.group(1))
    if m := re.fullmatch(rf"({_CN1}|\d)成(半|{_CN1}|\d)?", e):
        tens = to_number(m.group(1)) or 0
        ones = 5 if m.group(2) == "半" else (to_number(m.group(2)) or 0) if m.group(2) else 0
        return tens * 10 + ones
    if m := re.fullmatch(rf"({_CN1}|\d)({_CN1}|\d)?折", e):
        return (to_number(m.group(1)) or 0) * 10 + ((to_number(m.group(2)) or 0) if m.group(2) else 0)
    if re.fullmatch(r"0?\.\d+", e):
        return float(e) * 100
    if re.fullmatch(rf"{NUM}", e):
        return to_number(e)
    return None


RATIO = RATIO_TEXT = (rf"百分之{NUM}|{NUM}\s*(?:%|个百分点|个点)|(?:{_CN1}|\d)成(?:半|{_CN1}|\d)?(?!立|本|交|功|熟|绩|果|员|都)|(?:{_CN1}|\d){{1,2}}折|一半|过半")


def _debt_ratio(text: str, slots: dict[str, Any]) -> None:
    """The debt ratio after a debt noun: right after it (“负债52%”, “负债四成”, “负债率七成二”, “负债率0.45”) or later
    in the same sentence when the user corrects it (“负债率看成前年的了，去年是62%”)."""
    for noun in re.finditer(DEBT_NOUN, text):
        after = text[noun.end() :]
        near = re.match(rf"(?:大概|大约|约|是|在|为|有|差不多|将近|接近|不到|只有|才|也就|控制在|：|:|\s)*({RATIO}|{NUM})(?!\s*(?:万|亿|千|百|元|块|年|个月|月|件|人|倍))", after)
        far = None if near else re.match(rf"([^。；;!！?？\d]{{0,24}}?)(?:是|为|到|成了|改成|应该是|其实是|实际是|准确说是)?\s*({RATIO})", after)
        if far and re.search(r"营收|收入|销售|利润|增长|利率|利息|贴息|补|比例|保费|担保费|质押率|员工", far.group(1)):
            far = None  # the ratio belongs to another noun in between
        m = near or far
        if m is None:
            continue
        v = ratio_percent(m.group(m.lastindex or 1))
        if v is not None and 0 < v <= 100:
            slots["debt_ratio"] = round(v / 100, 4)
            return


def _numbers(text: str, slots: dict[str, Any]) -> None:
    _employees(text, slots)
    m = RD_STAFF.search(text)
    if m and (n := to_number(m.group(1))) is not None and n == int(n):
        slots["rd_staff"] = int(n)
    _debt_ratio(text, slots)


def _name(text: str, slots: dict[str, Any]) -> None:
    m = re.search(r"([\u4e00-\u9fa5（）()]{2,30}?(?:股份有限公司|有限责任公司|有限公司))", text)
    if m:
        name = re.sub(r"^(?:我们是|我们公司是|我们叫|我是|公司叫|(?:公司|企业)?(?:全称|名称|名字|名)(?:是|为|叫|：|:)?|这边是|我们|公司)", "", m.group(1))
        tail = re.split(r"[的是叫]", name)[-1]
        name = tail if len(tail) >= 6 else name
        if len(name) >= 6:
            slots["name"] = name


NOT_INDUSTRY = re.compile(r"吗|呢|吧|得了|不了|什么|怎么|多少|研发的?$|^研发|贷|融资|申请|质押|押|专利|担保|补给|科技型|高新|中小|有限|初创|新区|新城|西咸|西安|示例|我们|本地|外地|银行|保险|资金|周转|流动|工资|投入|项目|白名单|征信|高企|科小|专精|规上|小微|上市|国企|民营")
PURPOSES = r"补充流动资金|流动资金周转|流动资金|周转|研发投入|研发|买设备|采购设备|购置设备|购买设备|设备采购|扩大生产|扩大产能|扩产|建厂|建设厂房|采购原材料|原材料采购|新开门店|开拓市场|市场推广|临床试验|人才引进|技术改造|技改|偿还贷款|归还到期贷款"
PURPOSE_VERBS = r"扩大|扩建|扩|购买|买|采购|购置|支付|归还|偿还|建设|建|升级|引进|开发|研发|补充|补|开拓|新建|新开|投入|上|搞|做|发|给|还|接|备|囤|招"


def _industry_and_purpose(text: str, slots: dict[str, Any]) -> None:
    describing = any(k in slots for k in ("region", "founded_year", "qualifications", "revenue", "employees")) or any(k.startswith("ip_counts.") for k in slots)
    if describing or re.search(r"我们|我司|咱们|本公司|我是|我们是|公司|企业", text):
        # the trade: “做工业软件的”, “沣东的，做航空零部件热处理”; a “做技改” after the loan is what the money is for
        m = next((x for x in re.finditer(r"(?<!用来)(?<!用于)(?<!拿来)(?<!贷款)(?<![万亿元])(?:做|搞|从事)(?:的是|的)?([\u4e00-\u9fa5A-Za-z0-9]{2,14}?)(?:的|行业|相关|方面|领域|，|。|,|$)", text)
                  if not re.search(rf"{NUM}\s*(?:万|亿)", text[: x.start()])), None) or re.search(
            r"(?:的|是)([\u4e00-\u9fa5]{2,12}?)(?:初创|科技)?(?:企业|公司|厂)", text
        )
        if m:
            industry = re.split(r"的", re.sub(r"^(?:一家|这家|一个|家)", "", m.group(1)))[-1]
            industry = re.sub(r"^(?:一家|这家|一个|家)", "", industry)
            if len(industry) >= 2 and not NOT_INDUSTRY.search(industry):
                slots["industry"] = industry
    text = strip_requests(text).rstrip("，,；; ")
    m = re.search(r"(?:主要用于|主要用来|主要是用于|主要是用来|用于|用来|用在|拿来|资金用途是|用途是|用途为)(?:做|搞)?([\u4e00-\u9fa5A-Za-z]{2,16}?)(?:[，。；,！!]|$)", text) or re.search(
        rf"(?:借|贷|融资|要)[^，。；]{{0,8}}?(?:万|亿)(?:元)?(?:来|去)?(?:做|搞|投)((?:{PURPOSES})[\u4e00-\u9fa5]{{0,4}}?|[\u4e00-\u9fa5A-Za-z]{{2,12}}?)(?:[，。；,]|$)", text
    ) or re.search(r"(?:主要是|就是|主要)?为了([\u4e00-\u9fa5A-Za-z]{2,16}?)(?:[，。；,！!]|$)", text) or re.search(
        rf"(?:借|贷|融)(?:点|些|笔)?(?:钱|款|资金)?(?:来|去|用来)?((?:{PURPOSE_VERBS})[\u4e00-\u9fa5A-Za-z]{{1,12}}?)(?:[，。；,]|$)", text
    ) or re.search(rf"(?:主要是)((?:{PURPOSES}))", text)
    purpose = m.group(1) if m else None
    if purpose is None and (re.search(r"贷|借|融资|需要|想要|资金|钱", text) or "need.amount" in slots):
        m = re.search(rf"[，,]\s*((?:{PURPOSE_VERBS})[\u4e00-\u9fa5A-Za-z]{{1,12}})\s*(?:[。！!]|$)", text) or re.search(r"主要是([\u4e00-\u9fa5A-Za-z]{2,16})(?:[。！!]|$)", text)
        if m is None and ("need.amount" in slots or "need.term_months" in slots):
            # “要两千万，三年，扩产”: a short last clause after the amount and term names the use
            last = re.search(r"[，,]\s*([\u4e00-\u9fa5A-Za-z]{2,12})\s*[。！!]?$", text)
            m = last if last and not re.search(rf"[{CN_DIGITS}]|年|月|天|征信|白名单|负债|营收|成立|期限|吗|呢|吧|可以|就行", last.group(1)) else None
        m = m or re.search(rf"({PURPOSES})", text)
        purpose = m.group(1) if m else None
    if purpose and not re.search(r"吗|呢|么|什么|怎么|多少|哪|是否|能否|有没有|是不是|能不能|可不可以|要不要|质押|申请|著作|专利|作品|软著|有类似|没有$", purpose):
        purpose = re.sub(r"^(?:就是|主要是|主要|就)(?=.{2})", "", purpose)
        slots["need.purpose"] = re.sub(r"(上|方面|的|用)$", "", purpose)


# Figures by kind, for corrections that name no field (“前面说的八十六不对，一百零六才对”, “应该是六成二，我之前
#那个说低了”): the kind says which fields it could be, the figure it denies or the field stated last says which.
_KINDS: list[tuple[str, re.Pattern[str], tuple[str, ...]]] = [
    ("ratio", re.compile(rf"({RATIO_TEXT})"), ("debt_ratio",)),
    ("year", re.compile(r"((?:19|20)\d{2})\s*年?(?!\d)"), ("founded_year",)),
    ("people", re.compile(rf"({NUM})\s*(?:多|来|余)?(?:个人|号人|人|名|位)(?!民币)"), ("employees", "rd_staff")),
    ("count", re.compile(rf"({NUM})\s*(?:件|项)"), tuple(f"ip_counts.{t}" for t, _ in IP_WORDS)),
    ("months", re.compile(rf"({NUM})\s*(?:个月|年半|年)"), ("need.term_months",)),
    ("bare", re.compile(rf"(?<![\d{CN_DIGITS}])({NUM})(?![\d{CN_DIGITS}]|\s*(?:万|亿|元|%|成|折|个|件|项|年|月|天|人|名|位|号|岁))"), ()),
]
_KIND_NOUNS = {
    "ratio": re.compile(DEBT_NOUN), "year": re.compile(r"成立|注册|创立|创办"), "people": re.compile(rf"{STAFF_NOUN}|研发|人员"),
    "count": re.compile("|".join(w for _, w in IP_WORDS) + "|专利"), "months": re.compile(r"期限|贷|借|还款"), "bare": re.compile(r"$^"),
}
_DENIED_AFTER = re.compile(r"^[^，,。；;！!]{0,3}?(?:不对|错了|说错了|是错的|有误|不准)")
_NUMERIC_FIELDS = ("employees", "rd_staff", "founded_year", "need.term_months", "debt_ratio", *(f"ip_counts.{t}" for t, _ in IP_WORDS))


def _as_value(kind: str, token: str, field_name: str) -> float | int | None:
    if kind == "ratio" or field_name == "debt_ratio":
        v = ratio_percent(token)
        return round(v / 100, 4) if v is not None and 0 < v <= 100 else None
    n = to_number(token)
    if n is None or n != int(n) or n <= 0:
        return None
    if field_name == "need.term_months" and kind == "months":
        return None  # durations are read by _term
    return int(n)


def _corrections(text: str, slots: dict[str, Any], ctx: Context) -> None:
    """In a turn that corrects a figure (不对 / 说错 / 应该 / 才对 …), a figure no extractor placed goes to the
    field whose value it denies, else to the field of its kind the firm stated last."""
    if not CORRECTING.search(text):
        return
    found: list[tuple[str, int, int, str]] = []
    for kind, pattern, _fields in _KINDS:
        for m in pattern.finditer(text):
            if not any(a <= m.start(1) < b for _, a, b, _k in found):
                found.append((m.group(1), m.start(1), m.end(1), kind))
    denied = [(tok, kind) for tok, a, b, kind in found if _DENIED_AFTER.match(text[b:]) or re.search(r"不是\s*$", text[max(0, a - 3) : a])]
    target: str | None = None
    for tok, kind in denied:
        for numeric in _NUMERIC_FIELDS:
            known = ctx.known.get(numeric)
            value = _as_value(kind, tok, numeric)
            if known is not None and value is not None and abs(float(known) - float(value)) < 1e-6:
                target = numeric
    for tok, _a, _b, kind in found:
        if (tok, kind) in denied:
            continue
        fields = next(f for k, _p, f in _KINDS if k == kind)
        field_name = target if target and (kind == "bare" or target in fields) else None
        if field_name is None and kind != "bare" and not _KIND_NOUNS[kind].search(text):
            # the turn names no field of this kind: the figure corrects the one of its kind stated last
            field_name = next((k for k in reversed(ctx.recent) if k in fields), None)
        if field_name is None or field_name in slots:
            continue
        value = _as_value(kind, tok, field_name)
        if value is not None:
            slots[field_name] = value


def _ip_denied(text: str, slots: dict[str, Any]) -> None:
    """“没有发明专利”, “外观专利一件都没有”, “专利都没有”: none of that kind (a count of 0), unless the turn counts it."""
    for ip_type, words in IP_WORDS:
        for m in re.finditer(words, text):
            if f"ip_counts.{ip_type}" not in slots and negated(text, m.span()):
                slots[f"ip_counts.{ip_type}"] = 0
    for m in re.finditer(r"(?<!发明)(?<!新型)(?<!设计)专利(?!号|权)", text):
        if negated(text, m.span()):
            for ip_type in ("发明专利", "实用新型", "外观设计"):
                slots.setdefault(f"ip_counts.{ip_type}", 0)


@dataclass
class Extraction:
    """One user turn read once: the slots it states about the firm, each qualification it affirms or denies (for
    merging with what was said before), and what it typed wrong (a check digit), to be said back."""

    slots: dict[str, Any]
    qualifications: dict[str, bool] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)


def analyse(text: str, context: Context | None = None) -> Extraction:
    """The facts one user turn states about the firm (flattened keys, normalised values)."""
    ctx = context or Context()
    t = re.sub(rf"([{CN_DIGITS}\d])个(亿|千万|百万)", r"\1\2", normalise(text))  # 两个亿 → 两亿
    t = re.sub(r"([一二两三四五六七八九十\d])亿([一二两三四五六七八九\d])(?![\d.点十百千万亿零〇一二两三四五六七八九])", r"\1亿\2千万", t)  # 两亿六 → 两亿六千万
    facts = firm_facts_only(t)  # what the firm is: only statements about it
    figures = firm_facts_only(t, strict=False)  # what it asks for and its figures: all but other parties' clauses
    details = read_details(facts)
    f, g = _blank(facts, details.spans), _blank(figures, details.spans)  # a code's or a phone's digits are no figure
    asking = any(asks(c) for c in clauses(strip_requests(t)))
    slots: dict[str, Any] = dict(details.slots)
    _ip_counts(g, slots)
    _ip_denied(g, slots)
    # Strip IP-count phrases before reading money/terms so “3件” is never an amount.
    stripped = re.sub(rf"{NUM}\s*(?:件|个|项|份)\s*(?:有效)?(?:的)?(?:{'|'.join(w for _, w in IP_WORDS)})", "", g)
    _founded(stripped, slots)
    no_years = re.sub(r"(?:19|20)\d{2}\s*年(?:\s*\d{1,2}\s*月)?", "", stripped)
    if "ip_assets" in slots:  # an item's valuation and expiry are the item's, not the firm's figures
        no_years = re.sub(r"(?:评估值|评估价值|评估价|评估|估值|估价|价值)[^，,。；;]*", "", no_years)
    _money(_NAMES.sub(lambda m: BLANK * len(m.group(0)), no_years), slots, ctx, asking)
    _term(re.sub(rf"{NUM}\s*(?:亿|千万|百万|万)", "", no_years), slots)
    _region(f, slots, ctx.home)
    _qualifications(f, slots)
    _flags(f, slots)
    _numbers(no_years, slots)
    _name(f, slots)
    _industry_and_purpose(g, slots)
    _corrections(g, slots, ctx)
    return Extraction(slots=slots, qualifications=qualification_states(f), problems=details.problems)


def _names() -> re.Pattern[str]:
    """Product and programme names of the domain dictionary (秦知贷, 秦创贷 …): they hold 贷 but ask for nothing."""
    text = resources.files("assistant.resources").joinpath("domain_dict.txt").read_text(encoding="utf-8")
    names = sorted({p[0] for p in (line.split() for line in text.splitlines()) if len(p) == 3 and p[2] == "nz"}, key=len, reverse=True)
    return re.compile("|".join(map(re.escape, names)) or "$^")


_NAMES = _names()


def _blank(text: str, spans: list[tuple[int, int]]) -> str:
    chars = list(text)
    for a, b in spans:
        chars[a:b] = BLANK * (b - a)
    return "".join(chars)


def extract(text: str, context: Context | None = None) -> dict[str, Any]:
    """Slots stated in one user turn (flattened keys, normalised values)."""
    return analyse(text, context).slots
