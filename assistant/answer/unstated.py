"""Questions that ask for something the top passages do not state, though they share the question's topic.

The corpus states subsidies of fees, not what a valuer, an insurer or a bank charges; it names the six banks and
the guarantee company, but no insurer, valuer or park. A question for such a charge or such names finds passages
about the same fee or firm type, and quoting them would answer a question nobody asked:
- ``charge_missing``: “评估机构收费是评估值的几个百分点？” gets “按实际支付评估费的100%给予补助”;
- ``names_missing``: “秦科保的承保公司是哪几家？” gets “承保机构应当是在本省设有分支机构的财产保险公司”;
- ``contact_missing``: “线上平台的网址是什么？” gets the passage that names the platform and gives no address
  (while “发布在哪个网站” is answered by the site's name: “…在“上海中小企业网”上发布”).
"""

from __future__ import annotations

import re

from assistant.answer.extractive import sentences
from assistant.retrieval.answer_type import asking, clauses
from assistant.retrieval.tokenizer import get_tokenizer

_FEE_WORD = re.compile(r"^[\u4e00-\u9fff]{1,4}费$|^(?:违约金|滞纳金|保证金|罚息)$")
_NOT_A_CHARGE = frozenset({"经费", "花费", "消费", "免费", "收费"})
_CHARGE_VERB = re.compile(r"收(?:多少|几|费|取)|收[^，。？]{0,2}$|交多少|付多少")
_HOW_MUCH = re.compile(r"多少|几个点|百分之几|几成|怎么算|怎么收|如何收|行情|标准|上限|最高|最多")
# a clause about a subsidy, a claim or a refund of the fee: what the corpus does state
_SUBSIDY = re.compile(r"补|贴|报(?!告)|奖励|退|返还|认|算进|纳入")  # 报 as in 报销, not a 报告 that is charged for
# what states a charge: a rate or an amount, or that there is none
_CHARGE_FIGURE = re.compile(r"\d+(?:\.\d+)?\s*(?:[%％]|万元|元|万|个百分点)|百分之|免费|不收|免收|不得收取")


def fee_words(text: str) -> list[str]:
    """The charges a text names (评估费, 登记费, 违约金), by jieba's precise cut: 担保费率 → 担保费."""
    return [w for w in dict.fromkeys(get_tokenizer().cut(text)) if _FEE_WORD.match(w) and w not in _NOT_A_CHARGE]


def names_charge(text: str) -> bool:
    """The text speaks of a charge: a fee it names (登记费, 违约金) or a verb of charging (收多少, 交多少)."""
    return bool(fee_words(text) or _CHARGE_VERB.search(text))


def _service_fees(question: str, corpus_text: str | None) -> list[str]:
    """“评估机构一般收多少钱” names no fee: the fee of the service it names (评估 → 评估费) when the corpus uses it."""
    words = [w for w in get_tokenizer().words(question) if len(w) >= 2]
    return [w + "费" for w in words if corpus_text and w + "费" in corpus_text] or ["收费", "费用"]


def _states_charge(clause: str, fee: str) -> bool:
    if fee in clause:
        return True
    # “保证保险的年费率不得超过贷款本金的2%” states the 保费; “担保费率” holds its 担保费 already
    stem = "保险" if fee == "保费" else fee[:-1]
    return fee.endswith("费") and "费率" in clause and stem in clause


def charge_missing(question: str, passages: list[str], corpus_text: str | None = None) -> bool:
    """The question asks how much a party charges, not what is subsidised, and no top passage states that charge."""
    asked = asking(question)
    # “银行会收提前还款违约金吗？一般几个点？”: the fee and the how-much may sit in two clauses
    if not (names_charge(asked) and _HOW_MUCH.search(asked) and not _SUBSIDY.search(asked)):
        return False
    fees = fee_words(question) or _service_fees(question, corpus_text)
    for passage in passages:
        for sent in sentences(passage):
            if _SUBSIDY.search(sent):
                continue  # “支付评估费6万元的，按上限补助5万元”: the fee is a subsidy's base, not what is charged
            for clause in clauses(sent):
                if _CHARGE_FIGURE.search(clause) and any(_states_charge(clause, f) for f in fees):
                    return False
    return True


_ASKS_WHICH = re.compile(r"哪几家|哪几个|哪些|哪家|列几家|列一下|有哪几")
# a kind of firm or place the question asks to be named, and what a named one looks like in a sentence
_NAMED: list[tuple[re.Pattern[str], re.Pattern[str]]] = [
    (re.compile(r"保险公司|承保机构|承保公司|保险机构"), re.compile(r"财险|产险|人寿|保险(?:股份)?有限公司")),
    (re.compile(r"评估机构|评估公司"), re.compile(r"评估(?:有限|股份)?公司|评估事务所|评估师事务所")),
    (re.compile(r"代理机构|代理公司|律所|律师事务所"), re.compile(r"代理(?:有限)?公司|代理事务所|律师事务所")),
    (re.compile(r"园区"), re.compile(r"[\u4e00-\u9fff]{2,}(?:开发区|高新区|产业园|科技园|新城)(?!等)")),
]


def names_missing(question: str, passages: list[str]) -> bool:
    """The question asks which firms or parks (哪几家保险公司、评估机构有哪些) and no top passage names one."""
    asked = asking(question)
    if not _ASKS_WHICH.search(asked):
        return False
    for kind, named in _NAMED:
        if kind.search(asked):
            return not any(named.search(p) for p in passages)
    return False


# a contact asked for by what it is (网址, 热线电话, 邮箱) and the form that states one
_URL = r"https?://|www\.|[A-Za-z0-9-]+\.(?:gov\.cn|com\.cn|org\.cn|cn|com|org|net)\b"
_ASKS_CONTACT = [
    # an address asked for (网址, 链接, 网站地址) is stated by an address; which site (发布在哪个网站) by the site's name too
    (re.compile(r"网址|链接|域名|网站(?:的)?地址"), re.compile(_URL)),
    (re.compile(r"网站(?!(?:的)?地址)"), re.compile(rf"{_URL}|[\u4e00-\u9fff]{{2,16}}(?:网站|网)(?![上络点友民页])")),
    (re.compile(r"电话|热线|号码|手机号|座机"), re.compile(r"\d{3,4}[-－ ]?\d{3,4}[ -]?\d{4}|\b1\d{4,10}\b")),
    (re.compile(r"邮箱|电子邮件|email", re.IGNORECASE), re.compile(r"[\w.-]+@[\w-]+\.[\w.]+")),
    # a street address asked for (地址在哪, 具体地址是什么) by a road, building or floor; the office that handles it is
    # no address (not a web or mail address, nor what an address must be: 地址是什么要求)
    (re.compile(r"(?<!网站)(?<!网站的)(?<!邮箱)(?<!邮件)(?<!网页)(?:具体|详细)?地址(?:在哪|是多少|是啥|是什么)(?=[？?，,。！!]|$|呀|啊|呢)"
                r"|(?:具体|详细)地址(?=[？?]|$)|门牌号|在哪条路"),
     re.compile(r"[\u4e00-\u9fff]{2,}(?:路|街|大道|巷)\d*号?|\d+号楼|[A-Za-z\d]座|\d+层|\d+楼|\d+室")),
    # office hours asked for by a clock time (9:00—17:30, 上午9点至…); not 办公时间内/以外, 非办公时间
    (re.compile(r"几点(?:上班|下班|开门|关门|开始办|结束)|(?<!非)(?:办公|上班|营业|窗口)时间(?:是|为)?(?:几点|什么时候|多少|怎么安排|呢|[？?]|$)"),
     re.compile(r"\d{1,2}[:：]\d{2}|\d{1,2}点(?:\d{1,2}分|半)?\s*(?:至|到|—|-|～)")),
]


def contact_missing(question: str, passages: list[str]) -> bool:
    """The question asks for a web address, a phone number, a mailbox, a street address or office hours, and no
    passage states one of that form: the passage that names the platform or the office is no address to reach it by."""
    asked = asking(question)
    wanted = [form for ask, form in _ASKS_CONTACT if ask.search(asked)]
    return bool(wanted) and not any(form.search(p) for form in wanted for p in passages)
