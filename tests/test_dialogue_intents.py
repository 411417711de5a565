"""Intent routing families: small talk, generic out-of-scope, facts plus a request, unnamed product questions."""

import pytest

from assistant.dialogue.intents import classify
from assistant.dialogue.slots import extract


def route(text: str, *, recommended: bool = False) -> str:
    return classify(text, extract(text), names_product=False, has_recommendations=recommended)


@pytest.mark.parametrize("text", [
    "早上好", "您好，在吗", "在不在？", "谢谢您的耐心解答", "好的好的，麻烦你了", "多谢，先这样，回头再联系", "行，那我心里有数了，拜拜",
    "好嘞，谢谢啊，辛苦了", "你是真人还是机器人", "你们是政府还是银行的", "这是政府办的平台吗？", "你们属于哪个单位？",
])
def test_greetings_thanks_closings_and_identity_are_small_talk(text):
    assert route(text) == "small_talk"


@pytest.mark.parametrize("text", [
    "西安到宝鸡的动车多少钱？", "小规模纳税人的增值税减免今年还有吗？", "附近有什么好玩的地方？", "帮我写一首关于春天的诗",
    "孩子上小学要准备哪些入学材料？", "手机屏幕碎了去哪修？",
])
def test_questions_outside_the_service_are_out_of_scope(text):
    assert route(text) == "out_of_scope"


@pytest.mark.parametrize("text", ["第二个呢？", "那软著呢？", "服务中心在哪？周末上班吗？", "你们收费吗？能帮忙代办贴息申报吗？"])
def test_follow_ups_and_service_questions_are_not_out_of_scope(text):
    assert route(text, recommended=True) != "out_of_scope"


@pytest.mark.parametrize("text", [
    "我们在沣东，做芯片的，有推荐吗", "沣西新城的，做储能的，看看哪些能办", "我们做医疗器械，在咸阳，有没有能做的",
    "渭南高新区的企业，做精密轴承的，听说你们能对接银行贷款？", "公司在空港新城，营收五千万，有啥推荐",
])
def test_facts_with_a_request_are_matching(text):
    assert route(text) == "matching"


@pytest.mark.parametrize("text", ["我们是碑林区的动漫公司，手里主要是美术作品的著作权，这种能质押吗？", "公司注册在咸阳，西咸新区的知识产权贴息我们能申请吗？"])
def test_facts_with_a_policy_question_stay_policy(text):
    assert route(text) == "policy_question"


@pytest.mark.parametrize("text", [
    "利率大概啥水平，需要拿房产抵押吗", "信用贷跟担保贷哪个审批快", "首贷那款是长安银行的？放款要多久", "秦农那款科创快贷额度最高多少",
    "哪个放款最快？", "建行那个最快几天能放款？",
])
def test_unnamed_questions_about_recommended_products(text):
    assert route(text, recommended=True) == "product_question"


@pytest.mark.parametrize("text", ["款放下来利息有补贴吗？市里区里可以同时申请吗", "只有外观设计专利也能押吗？", "要是征信有逾期，银行还会放贷吗？"])
def test_policy_questions_after_a_recommendation_stay_policy(text):
    assert route(text, recommended=True) == "policy_question"


@pytest.mark.parametrize("text", ["就选第二个吧", "那就第一个吧，帮我把申请材料准备一下", "帮我填一下申请表"])
def test_imperative_application_requests(text):
    assert route(text, recommended=True) == "application"
