"""Intent routing without an LLM: ordered, explainable rules over the turn's text, its slots and the session.

Order matters: an application request or an out-of-scope topic is recognised before anything else; a named or
referred-to product makes a product question; asking which product fits, or only stating company facts, is
matching; other questions are policy questions.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from assistant.answer.scope import out_of_scope
from assistant.dialogue.slots import CORRECTING

INTENTS = ("policy_question", "product_question", "matching", "application", "application_status", "small_talk", "out_of_scope")

# The firm asking how its own application stands (“我的申请怎么样了”, “银行批了吗”, “放款了没有”): the progress is in
# the application records, not in the documents. Needs a progress word and one of: the firm's own application, the
# bank's answer, or the loan's approval or payout as something that happens to “us”.
APPLICATION_STATUS = re.compile(
    r"(?:我|我们|我司|咱们?|公司)的?(?:贷款)?申请[^，,。？?]{0,6}(?:怎么样|如何|进度|进展|状态|结果|到哪|批|通过|审|有消息|有回复|有结果)"
    r"|申请(?:进度|进展|状态|结果)(?:怎么|如何|查|在哪|到哪|呢|？|\?|$)"
    r"|银行(?:那边)?(?:回复|答复|回话|批|审批|审核|受理)(?:了|完)?(?:吗|没|没有|了没)"
    r"|(?:贷款|钱|款)?(?:批|批下来|放款|放下来|到账)了(?:吗|没|没有)|(?:审批|放款)(?:进度|到哪)"
)

APPLICATION = re.compile(r"申请表|生成申请|生成吧|生成一下|可以生成|帮我生成|请生成|填(?:一下|写)?申请|我要申请|我们申请|我们要申请|想申请这|帮我申请|提交申请|准备申请|就申请|直接申请|预填|帮我填|就办这个|办理这个|申请这个|申请这款|申请它|申请第")
SMALL_TALK = re.compile(
    r"^(?:你好|您好|嗨|哈喽|hi|hello|在吗|谢谢你|谢谢|多谢|感谢|谢了|好的|好吧|好|嗯|哦|行|明白了|明白|知道了|了解了|清楚了|收到|再见|拜拜|辛苦了|"
    r"你是谁|你是什么|你是人工智能吗|你是机器人吗|你是真人吗|你能做什么|你可以做什么|能帮我干什么|能帮我做什么|你能帮我什么|能帮我干啥|"
    r"没有了|没了|暂时没有|改天过去|改天再来|下次再说|先这样|ok)+$",
    re.I,
)
OFF_TOPIC = re.compile(
    r"天气|下雨|下雪|气温|限行|尾号|路况|股票|彩票|房贷|公积金|个税|比特币|基金定投|买房|电影|笑话|球赛|外卖|旅游|菜谱|星座|火锅|好吃|餐厅|美食|饭店"
    # transport, taxes and invoices, schooling, health, personal errands: not this service's business
    r"|火车|高铁|动车|城际|地铁|公交|航班|机票|车票|火车票|打车|停车|增值税|所得税|发票|报税|纳税人|退税|个体户|孩子|上学|入学|小学|中学|幼儿园|"
    r"高考|医院|挂号|看病|体检|快递|驾照|违章|签证|护照|身份证|户口|结婚|离婚"
)
IDENTITY = re.compile(
    r"你是(?:谁|机器人|人工|真人|AI|人工智能|什么)|你们是|人工客服|能帮我(?:干|做)什么|你能做什么|你会什么"
    # “你们是政府还是银行的”, “这个平台是官方的还是哪家银行搞的”: who the assistant is, not a question about banks
    r"|这(?:是|个是)[^，,。？?]{0,8}(?:平台|网站|系统|小程序|公众号)"
    r"|(?:你们?|您|这个?平台|这边|这里)(?:这个平台|这边|这里)?(?:到底)?(?:是|属于|算|归)(?:不是)?[^，,。？?]{0,12}?(?:政府|官方|银行|机构|部门|单位|哪|谁|什么|机器人|人工|AI|客服|真人|服务中心)",
    re.I,
)
DOMAIN = re.compile(r"贷|质押|专利|补贴|贴息|银行|产品|申请|融资|白名单|担保|保险|评估")
STRONG_DOMAIN = re.compile(r"贷|质押|专利|补贴|贴息|产品|申请|融资|白名单|担保|保险|评估|利率|利息|额度|费")
# Any vocabulary of this service (finance, IP, the programmes, the firm's facts): a question with none of it is off-topic.
SERVICE_VOCAB = re.compile(
    r"贷|借|融资|资金|钱|利率|利息|息|额度|质押|抵押|押|担保|保险|保费|专利|商标|著作权|软著|版权|知识产权|知产|发明|实用新型|外观|评估|登记|"
    r"贴息|补|奖励|扶持|政策|办法|文件|通知|申报|申请|入库|白名单|银行|产品|征信|信用|高企|科小|专精特新|高新|科技|秦创原|西咸|新区|服务|中心|"
    r"窗口|材料|资料|流程|放款|续|首贷|投贷|风险|年费|收费|费|代办|企业|公司|营收|负债|办|手续|审批|期限|还款|过桥|额|机构|合作|条件|门槛|"
    r"合适|适合|推荐|匹配|列一下|帮我看|帮忙看"
)
# Greetings, thanks, acknowledgements and closings (“多谢，先这样，回头再联系”, “行，那我心里有数了，拜拜”).
SMALL_TALK_CUE = re.compile(
    r"你好|您好|嗨|哈喽|hi|hello|早上好|上午好|中午好|下午好|晚上好|在吗|在不在|在么|有人吗|谢谢|多谢|感谢|谢了|谢啦|辛苦|麻烦(?:你|您)了|"
    r"再见|拜拜|回头(?:再)?(?:联系|聊|说|找)|先这样|下次再|改天|有数了|明白了|知道了|了解了|清楚了|懂了|收到|好的|好嘞|好滴|好吧|ok|没有了|没了|暂时没有",
    re.I,
)
GREETING_QUESTION = re.compile(r"在吗|在不在|在么|有人吗")
# Ways to point at a recommended product without its name: by bank (“秦农那个”, “建行那个”), by kind (“首贷那个”,
# “担保类的”), or comparing kinds (“信用贷跟担保贷哪个审批快”).
_FUZZY_KIND = re.compile(
    r"(?:担保|信用|质押|续贷|投贷|投贷联动|保险|首贷|科保|快贷|小额|品牌|商标|知产)(?:类|贷|版|质押)?(?:的)?(?:那个|这个|那款|这款)"
    r"|(?:那个|这个|那款|这款)(?:担保|信用|质押|续贷|投贷|保险|首贷)(?:类|贷)?"
    r"|(?:担保|信用|质押|续贷|投贷|保险)(?:类的|贷|类)?(?:和|跟|与|还是|比)[^，,。？?]{0,6}(?:哪个|哪款|哪种|哪家)"
)


_POINTER = re.compile(r"那个|这个|那款|这款|那家")


@lru_cache(maxsize=8)
def _bank_reference(institutions: tuple[str, ...]) -> re.Pattern[str]:
    """“建行那个”, “秦农的那款”: the catalog's banks by any of their names (lexicon/banks.py), or just 银行."""
    from assistant.lexicon.banks import alternation

    names = alternation(institutions)
    return re.compile(rf"(?:{names + '|' if names else ''}银行)(?:的)?(?:那个|这个|那款|这款|那家的|家的那个)")


def _institutions() -> tuple[str, ...]:
    from assistant.errors import AssistantError
    from assistant.products.catalog import catalog_for
    from assistant.settings import Settings

    try:  # the settings of the moment (not the process-wide cached ones: a CLI run may point elsewhere)
        return tuple(dict.fromkeys(p.institution for p in catalog_for(Settings())))
    except (AssistantError, OSError):  # no catalog to read (a bare install): a product is still pointed at by kind
        return ()


def fuzzy_reference(text: str) -> bool:
    """The text points at a product without its name: by bank, by kind, or comparing kinds."""
    if _FUZZY_KIND.search(text):
        return True
    # the catalog is read only for a turn that points at something (“…那个”, “…这款”)
    return bool(_POINTER.search(text)) and bool(_bank_reference(_institutions()).search(text))
PRODUCT_ASPECT_LOOSE = re.compile(r"利率|利息|几个点|额度|最多|最高|能批|批多少|贷多少|多少钱|期限|几年|材料|资料|放款|下款|批得|审批|多久|几天|快|抵押|担保|质押率|条件|门槛|要求|哪个银行|哪家银行|费率|手续费")
POLICY_WORDS = re.compile(r"政府|补|贴息|政策|办法|区里|市里|省里|新区|登记|白名单|入库|评估费|秦知贷|秦科保|征信|专利|商标|软著|著作权|外观|知识产权|过桥|无还本|风险")
# A question with facts is about a policy when it asks about a programme or what IP can be pledged; otherwise about loans.
FUZZY_BLOCK = re.compile(r"政府|补贴|补助|补偿|贴息|政策|办法|区里|市里|省里|登记|白名单|入库|评估费|秦知贷|秦科保")
POLICY_Q = re.compile(r"入库|白名单|贴息|补贴|补助|补偿|能补|补多少|登记|评估费|交费|收费|秦知贷|秦科保|政策|办法|扶持|首贷企业|怎么回事|是什么|什么意思|(?:能|可以|能不能|可不可以)(?:拿来|拿去)?(?:质押|押)")
APPLY_IMPERATIVE = re.compile(r"(?:帮我|给我|麻烦)[^，,。？?]{0,6}(?:申请|填|准备|弄|整理)[^，,。？?]{0,4}(?:表|材料|资料|一下)|(?:就|那就)(?:选|要|办|用|定)(?:第[一二三四五\d]个|这个|那个|它)")

REFERENCE = re.compile(r"第[一二三四五六七八九十\d]+个|(?:^|那|那么)它|它的|这个产品|那个产品|该产品|这款|那款|这个贷款|上面(?:那|这)个|刚才(?:那|这)个|排第[一二三\d]")
PRODUCT_ASPECT = re.compile(r"利率|利息|额度|多少钱|期限|材料|资料|流程|放款|质押率|条件|门槛|联系|电话|担保|多久|几天|怎么办|怎么申请|要求")
WHAT_IF = re.compile(r"如果|(?<!主)要是|假如|改成|改为|降到|调到|换成|缩短到|延长到|拉到")
MATCHING = re.compile(r"有没有(?:纯)?信用|有没有[^，。？]{0,4}贷|找贷款|能贷款|可以贷款|了解[^，。？]{0,4}贷款|推荐|适合|哪个产品|哪款|哪些产品|什么产品|能贷|可以贷|能不能贷|贷得到|匹配|符合|申请哪|有没有产品|有什么贷款|哪家银行|帮我看看|帮我们看看|帮忙看看|评估一下|能申请哪些|合适|(?<!银)行不行|(?<!银)行吗|可以吗|能行吗|能办|能不能办|可以办|(?:什么|哪些|哪个|有没有)[^，。？]{0,6}产品")
FIRST_PERSON = re.compile(r"我们|我司|咱们|咱|我|本公司|公司")
POLICY_TOPIC = re.compile(r"入库|白名单|贴息|补贴|补助|风险补偿|质押登记|评估费|秦知贷|秦科保")
QUESTION = re.compile(r"[？?]|吗|(?<!没)什么|怎么|如何|哪|多少|几|是否|能否|有没有|可不可以|能不能|是不是")


def classify(text: str, slots: dict[str, Any], *, names_product: bool, has_recommendations: bool) -> str:
    t = text.strip()
    bare = re.sub(r"[，。！？!?,.~～、\s]", "", t)
    question = bool(QUESTION.search(t))
    if APPLICATION_STATUS.search(t) and not slots:
        return "application_status"
    if APPLICATION.search(t) or (APPLY_IMPERATIVE.search(t) and not question):
        return "application"
    if (out_of_scope(t) or OFF_TOPIC.search(t)) and not slots:
        return "out_of_scope"
    if not slots:
        if SMALL_TALK.match(bare) or (IDENTITY.search(t) and not STRONG_DOMAIN.search(t)):
            return "small_talk"
        if SMALL_TALK_CUE.search(t) and not SERVICE_VOCAB.search(t) and (not question or GREETING_QUESTION.search(t)):
            return "small_talk"
        # a question in none of the service's vocabulary (trains, VAT relief …), not a follow-up like “第二个呢？”
        asks = question or re.match(r"(?:请|帮我|给我|麻烦)", bare)
        if asks and not SERVICE_VOCAB.search(t) and not re.search(r"你们|您们|这边|这里", t) and not REFERENCE.search(t) and len(bare) >= 8 and not re.match(r"(?:那|那么|还有|另外|这个|那个|它|第)", bare):
            return "out_of_scope"
    if slots and CORRECTING.search(t) and not question:
        return "matching"  # “刚才那个数说错了，应该是六百五十万” corrects the firm's figures, not a product's
    if names_product or (REFERENCE.search(t) and (has_recommendations or PRODUCT_ASPECT.search(t))):
        return "product_question"
    if fuzzy_reference(t) and not FUZZY_BLOCK.search(t) and not slots:
        return "product_question"
    if has_recommendations and question and not slots and PRODUCT_ASPECT_LOOSE.search(t) and not POLICY_WORDS.search(t):
        return "product_question"  # “利率大概啥水平，需要拿房产抵押吗” right after a recommendation is about it
    policy_topic = POLICY_TOPIC.search(t) and question and not re.search(r"产品|能贷|推荐", t)
    if MATCHING.search(t) and not policy_topic and (slots or FIRST_PERSON.search(t)):
        return "matching"
    if slots and (not question or WHAT_IF.search(t)):
        return "matching"
    if slots and not (POLICY_Q.search(t) and not re.search(r"产品|能贷|推荐", t)):
        return "matching"  # facts plus a question about loans (“做精密轴承的，你们能对接银行贷款吗？”)
    return "policy_question"
