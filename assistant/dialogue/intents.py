"""Intent routing without an LLM: ordered, explainable rules over the turn's text, its slots and the session.

Order matters: an application request or an out-of-scope topic is recognised before anything else; a named or
referred-to product makes a product question; asking which product fits, or only stating company facts, is
matching; other questions are policy questions.
"""

from __future__ import annotations

import re
from typing import Any

from assistant.answer.scope import out_of_scope

INTENTS = ("policy_question", "product_question", "matching", "application", "small_talk", "out_of_scope")

APPLICATION = re.compile(r"申请表|生成申请|填(?:一下|写)?申请|我要申请|我们申请|我们要申请|想申请这|帮我申请|提交申请|准备申请|就申请|直接申请|预填|帮我填|就办这个|办理这个|申请这个|申请这款|申请它|申请第")
SMALL_TALK = re.compile(
    r"^(?:你好|您好|嗨|哈喽|hi|hello|在吗|谢谢你|谢谢|多谢|感谢|谢了|好的|好吧|好|嗯|哦|行|明白了|明白|知道了|了解了|清楚了|收到|再见|拜拜|辛苦了|"
    r"你是谁|你是什么|你是人工智能吗|你是机器人吗|你是真人吗|你能做什么|你可以做什么|能帮我干什么|能帮我做什么|你能帮我什么|能帮我干啥|"
    r"没有了|没了|暂时没有|改天过去|改天再来|下次再说|先这样|ok)+$",
    re.I,
)
OFF_TOPIC = re.compile(r"天气|下雨|下雪|气温|限行|尾号|路况|股票|彩票|房贷|公积金|个税|比特币|基金定投|买房|电影|笑话|球赛|外卖|旅游|菜谱|星座|火锅|好吃|餐厅|美食|饭店")
IDENTITY = re.compile(r"你是(?:谁|机器人|人工|真人|AI|人工智能|什么)|你们是|人工客服|能帮我(?:干|做)什么|你能做什么|你会什么")
DOMAIN = re.compile(r"贷|质押|专利|补贴|贴息|银行|产品|申请|融资|白名单|担保|保险|评估")
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
    if APPLICATION.search(t):
        return "application"
    if (out_of_scope(t) or OFF_TOPIC.search(t)) and not slots:
        return "out_of_scope"
    if not slots and (SMALL_TALK.match(bare) or (IDENTITY.search(t) and not DOMAIN.search(t))):
        return "small_talk"
    if names_product or (REFERENCE.search(t) and (has_recommendations or PRODUCT_ASPECT.search(t))):
        return "product_question"
    policy_topic = POLICY_TOPIC.search(t) and QUESTION.search(t) and not re.search(r"产品|能贷|推荐", t)
    if MATCHING.search(t) and not policy_topic and (slots or FIRST_PERSON.search(t)):
        return "matching"
    if slots and (not QUESTION.search(t) or WHAT_IF.search(t)):
        return "matching"
    return "policy_question"
