"""The dialogue manager: one session per conversation, no LLM needed.

Each turn: extract slots → route the intent → act (answer a policy question with citations, answer about the
product in focus, match products and ask for the missing facts that decide eligibility, collect what an
application needs) → reply in Chinese, confirming what was understood. Facts come only from the profile, the
product records and cited passages.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, Field, ValidationError

from assistant.answer.pipeline import ask
from assistant.answer.products import find_product
from assistant.answer.types import Citation
from assistant.dialogue.firm import (
    application_inputs,
    label,
    merge_items,
    merge_qualifications,
    profile_dict,
    said_back,
)
from assistant.dialogue.intents import APPLICATION, classify
from assistant.dialogue.slots import Context, analyse
from assistant.errors import AssistantError
from assistant.language import to_chinese
from assistant.lexicon.banks import banks_named
from assistant.products.catalog import catalog_for
from assistant.products.combinations import Funding, funding
from assistant.products.matcher import Match, match_all
from assistant.products.schema import Product
from assistant.products.subsidies import load_book
from assistant.profile.model import Profile
from assistant.settings import Settings
from assistant.units import wan

SHOWN = 3
# Facts that serve only an application: a turn giving them is about the application.
APPLICATION_DETAILS = {"uscc", "legal_rep", "contact_person", "contact_phone", "contact_email", "ip_assets"}
ASK_FOR = {
    "注册地": "贵公司注册在哪里（例如西咸新区沣东新城、西安高新区）？",
    "资质（如科技型中小企业、高新技术企业）": "公司是否为高新技术企业、科技型中小企业或专精特新企业？",
    "成立日期": "公司是哪一年成立的？",
    "上年营业收入": "公司上一年的营业收入大约多少？",
    "资产负债率": "公司目前的资产负债率大约是多少？",
    "有效知识产权数量（按类型）": "公司有多少件有效的发明专利、实用新型或软件著作权？",
    "是否列入白名单": "公司是否已列入西咸新区科技型企业融资白名单？",
    "征信情况": "企业和法定代表人的征信是否良好、有没有逾期记录？",
    "职工人数": "公司现有职工多少人？",
    "融资金额": "这次大约需要融资多少钱？",
    "融资期限": "希望贷款期限多长？",
    "知识产权评估值": "用于质押的知识产权有评估值吗？大约多少？",
}
VERDICT = {True: "符合", None: "需补充信息", False: "暂不符合"}
_ORDINAL = re.compile(r"第[一二三四五六七八九十\d]{1,2}个")
KIND_WORDS = {"担保": "担保", "信用": "信用", "续贷": "续贷", "投贷": "投贷", "保险": "保险", "科保": "保险", "质押": "质押", "知产": "知", "首贷": "首贷",
              "快贷": "快贷", "小额": "小额", "品牌": "品牌", "商标": "商标"}


class TurnResult(BaseModel):
    reply: str
    intent: str
    profile: dict[str, Any]
    citations: list[Citation] = Field(default_factory=list)
    matches: list[dict[str, Any]] = Field(default_factory=list)
    slots: dict[str, Any] = Field(default_factory=dict)
    refused: bool = False  # the assistant could not answer (the policy team's to-do list)
    # The firm asked for its application: the product to draft it for. The dialogue only decides; whoever stores
    # applications (the API) drafts it from the conversation's facts and says so.
    apply_product: str | None = None
    application: dict[str, Any] | None = None
    # The firm asked how its applications stand: whoever stores applications (the API) answers from its records.
    status_request: bool = False


@dataclass
class Session:
    slots: dict[str, Any] = field(default_factory=dict)
    history: list[tuple[str, str]] = field(default_factory=list)
    policy_questions: list[str] = field(default_factory=list)
    focus: str | None = None  # product id in focus
    shown: list[str] = field(default_factory=list)  # product ids of the last recommendation, in order
    expecting: list[str] = field(default_factory=list)  # slot keys the assistant just asked for
    applying: str | None = None  # product id of the application being prepared, until the talk turns elsewhere
    recent: list[str] = field(default_factory=list)  # slot keys in the order the firm last stated them

    def to_state(self) -> dict[str, Any]:
        return {"slots": self.slots, "history": [list(x) for x in self.history[-40:]], "policy_questions": self.policy_questions[-10:],
                "focus": self.focus, "shown": self.shown, "expecting": self.expecting, "recent": self.recent[-20:],
                "applying": self.applying}

    @classmethod
    def from_state(cls, state: dict[str, Any] | None) -> Session:
        if not state:
            return cls()
        return cls(slots=dict(state.get("slots") or {}), history=[(str(a), str(b)) for a, b in state.get("history") or []],
                   policy_questions=list(state.get("policy_questions") or []), focus=state.get("focus"), shown=list(state.get("shown") or []),
                   expecting=list(state.get("expecting") or []), recent=list(state.get("recent") or []), applying=state.get("applying"))


# What each missing-fact label of the rules asks the firm for (its slot key): a bare figure in the next turn
# (“三千来万吧”) answers it.
ASKED_SLOT = {
    "注册地": "region", "成立日期": "founded_year", "上年营业收入": "revenue", "资产负债率": "debt_ratio", "是否列入白名单": "whitelist",
    "征信情况": "credit_ok", "职工人数": "employees", "融资金额": "need.amount", "融资期限": "need.term_months",
    "资质（如科技型中小企业、高新技术企业）": "qualifications", "知识产权评估值": "ip_assets",
}


def missing_facts(matches: list[Match], limit: int = 2) -> list[str]:
    """The missing facts that most of the not-yet-excluded products depend on, most deciding first."""
    counts: dict[str, int] = {}
    for m in matches:
        if m.eligible is not False:
            for field_name in m.missing:
                counts[field_name] = counts.get(field_name, 0) + 1
    return sorted(counts, key=lambda k: -counts[k])[:limit]


def funding_lines(plan: Funding) -> list[str]:
    """The 可贷额度 when the IP's valuation gives one, and when the need exceeds every single product the best
    combination (or what no combination can cover): one line each, the details are on the match page."""
    lines = []
    if plan.capacity.amount is not None:
        lines.append(f"可贷额度：按知识产权评估值和质押率测算，最高约{wan(plan.capacity.amount)}（{plan.capacity.product}）。")
    if plan.combinations:
        lines.append(f"可组合申请，合计{wan(plan.need or 0)}：{plan.combinations[0].summary}。")
    elif plan.note:
        lines.append(plan.note)
    return lines


def ask_next(matches: list[Match], limit: int = 2) -> list[str]:
    """The questions to ask next: the missing facts that most of the not-yet-excluded products depend on."""
    return [ASK_FOR.get(k, f"请补充{k}。") for k in missing_facts(matches, limit)]


class DialogueManager:
    def __init__(self, settings: Settings, session: Session | None = None) -> None:
        self.settings = settings
        self.session = session or Session()

    def _chinese_corpus(self) -> bool:
        from assistant.answer.pipeline import corpus_is_chinese
        from assistant.index.snapshot import get_snapshot

        try:
            return corpus_is_chinese(get_snapshot(self.settings))
        except AssistantError:
            return True  # no index yet: the service's documents are Chinese

    def _catalog(self) -> list[Product]:
        try:
            return catalog_for(self.settings)
        except AssistantError:
            return []

    def _corpus_covers(self, text: str) -> bool:
        """An off-topic word of the question (增值税, 发票) that an indexed document uses: the engine decides, as /ask does."""
        from assistant.answer.pipeline import corpus_text
        from assistant.dialogue.intents import OFF_TOPIC
        from assistant.index.snapshot import get_snapshot

        try:
            known = corpus_text(get_snapshot(self.settings))
        except AssistantError:
            return False
        words = [m.group(0) for m in OFF_TOPIC.finditer(text)]
        return bool(words) and all(w.lower() in known for w in words)

    def turn(self, text: str) -> TurnResult:
        text = text.strip()
        if self._chinese_corpus():
            text = to_chinese(text)  # English or mixed: read and answered in Chinese
        catalog = self._catalog()
        context = Context(expecting=tuple(self.session.expecting), recent=tuple(self.session.recent), known=dict(self.session.slots),
                          home=self.settings.home_region)
        reading = analyse(text, context)
        self.session.expecting = []
        slots = reading.slots
        named = find_product(text, catalog)
        intent = classify(text, slots, names_product=named is not None, has_recommendations=bool(self.session.shown))
        if intent == "out_of_scope" and self._corpus_covers(text):
            intent = "policy_question"  # the documents cover it: one engine answers or declines, in chat as in /ask
        if intent == "out_of_scope":
            slots, reading.qualifications, reading.problems = {}, {}, []  # a declined turn changes nothing about the firm
        elif APPLICATION_DETAILS & slots.keys() or (self.session.applying and slots and intent == "matching"):
            intent = "application"  # details only an application needs, or facts given while one is being prepared
        if intent == "product_question" and re.search(r"的话|如果|要是|假如", text):
            # “秦创贷要是贷八百万，需不需要担保？” asks about the product; the amount is a supposition, not the need
            slots = {k: v for k, v in slots.items() if not k.startswith("need.")}
        self._remember(slots, reading.qualifications, text)
        self.session.history.append(("user", text))
        handler = {
            "policy_question": self._policy, "product_question": self._product, "matching": self._matching,
            "application": self._application, "small_talk": self._small_talk, "out_of_scope": self._out_of_scope,
            "application_status": self._status,
        }[intent]
        if intent != "application":
            self.session.applying = None
        result = handler(text, slots, named, catalog)
        if reading.problems:
            result.reply = "请核对：" + "；".join(reading.problems) + "。\n" + result.reply
        result.intent, result.slots = intent, slots
        result.profile = profile_dict(self.session.slots)
        self.session.history.append(("assistant", result.reply))
        return result

    def _remember(self, slots: dict[str, Any], qualifications: dict[str, bool], text: str) -> None:
        """Merge one turn's facts into what is known: latest value wins, qualification lists and IP items merge."""
        merged = dict(slots)
        if "qualifications" in slots or qualifications:
            merged["qualifications"] = merge_qualifications(self.session.slots.get("qualifications"), slots.get("qualifications"),
                                                            qualifications, text)
        if "ip_assets" in slots:
            merged["ip_assets"] = merge_items(self.session.slots.get("ip_assets") or [], slots["ip_assets"])
        self.session.slots.update(merged)
        self.session.recent = [k for k in self.session.recent if k not in slots] + list(slots)

    # --- handlers -------------------------------------------------------------------------------------
    def _confirm(self, slots: dict[str, Any]) -> str:
        if not slots:
            return ""
        note = "（只知道年份时按当年年底计算成立年限）" if "founded_year" in slots and "founded_month" not in slots else ""
        return "已记录：" + "；".join(said_back(slots)) + note + "。"

    def _policy(self, text: str, slots: dict[str, Any], named: Product | None, catalog: list[Product]) -> TurnResult:
        if _ORDINAL.search(text) and not self.session.shown and not named:
            # “第二个呢？” before anything was recommended: say so rather than answer about some 第二条.
            return TurnResult(reply="目前还没有为您推荐产品。请先说说公司的基本情况（注册地、成立年份、知识产权、上年营收和融资需求），我来为您匹配。",
                              intent="", profile={})
        answer = ask(text, self.settings, history=self.session.policy_questions[-2:] or None, facts=self._said())
        self.session.policy_questions.append(text)
        reply = answer.answer
        if slots:
            reply = self._confirm(slots) + "\n" + reply
        return TurnResult(reply=reply, intent="", profile={}, citations=answer.citations, refused=answer.refused)

    def _resolve(self, text: str, named: Product | None, catalog: list[Product]) -> Product | None:
        by_id = {p.id: p for p in catalog}
        if named:
            return named
        m = re.search(r"第([一二三四五六七八九十\d]+)个|排第([一二三\d])", text)
        if m and self.session.shown:
            from assistant.dialogue.numbers import to_number

            n = int(to_number(m.group(1) or m.group(2)) or 0)
            if 1 <= n <= len(self.session.shown):
                return by_id.get(self.session.shown[n - 1])
        if fuzzy := self._fuzzy(text, catalog):
            return fuzzy
        return by_id.get(self.session.focus) if self.session.focus else None

    def _fuzzy(self, text: str, catalog: list[Product]) -> Product | None:
        """A product pointed at by bank or kind (“秦农那个”, “首贷那个”, “担保类的”): the first recommended one that fits."""
        banks = banks_named(text, (p.institution for p in catalog))
        kinds = [kind for word, kind in KIND_WORDS.items() if word in text]
        if not banks and not kinds:
            return None
        shown = [p for pid in self.session.shown for p in catalog if p.id == pid]
        for pool in (shown, catalog):
            for p in pool:
                if (not banks or p.institution in banks) and (not kinds or any(k in p.category or k in p.name for k in kinds)):
                    return p
        return None

    def _product(self, text: str, slots: dict[str, Any], named: Product | None, catalog: list[Product]) -> TurnResult:
        product = self._resolve(text, named, catalog)
        if product is None:
            return self._policy(text, slots, named, catalog)
        self.session.focus = product.id
        # the same engine as /ask: the record's fields, a verdict on the firm's condition, a comparison of several
        asked = text if product.name in text else f"{product.name} {text}"
        answer = ask(asked, self.settings, facts=self._said())
        return TurnResult(reply=answer.answer, intent="", profile={}, citations=answer.citations, refused=answer.refused)

    def _said(self) -> list[str]:
        """What the user told before this turn, most recent last: its figures fill a calculation (“贴息能拿多少？”
        after “贷了500万，利率4%，一年”)."""
        return [text for who, text in self.session.history[:-1] if who == "user"][-8:]

    def _profile(self) -> Profile | None:
        try:
            return Profile.model_validate(profile_dict(self.session.slots))
        except ValidationError:
            return None

    def _matching(self, text: str, slots: dict[str, Any], named: Product | None, catalog: list[Product]) -> TurnResult:
        profile = self._profile()
        confirm = self._confirm(slots)
        if profile is None or not catalog:
            return TurnResult(reply=(confirm + "\n" if confirm else "") + "信息有误，请核对后再告诉我。", intent="", profile={})
        matches = match_all(catalog, profile)
        plan = funding(catalog, profile, load_book(self.settings.corpus_dir), matches=matches, limit=1)
        good = [m for m in matches if m.eligible is True][:SHOWN]
        maybe = [m for m in matches if m.eligible is None][: SHOWN - len(good)]
        shown = good + maybe
        self.session.shown = [m.product_id for m in shown]
        if shown:
            self.session.focus = shown[0].product_id
        lines = [confirm] if confirm else []
        if good:
            lines.append("根据目前信息，以下产品符合条件：" if len(good) == len(shown) else "根据目前信息，推荐以下产品：")
        elif maybe:
            lines.append("还需要补充一些信息才能确定，目前可能适合的产品有：")
        else:
            lines.append("根据目前信息，暂无单个产品能贷足所需金额。" if plan.combinations else "根据目前信息，暂未找到符合条件的产品。")
        for i, m in enumerate(shown, start=1):
            a = m.indicative_amount
            amount = f"，参考额度{a['min'] / 1e4:g}–{a['max'] / 1e4:g}万元" if a else ""
            lines.append(f"{i}. {m.institution}「{m.name}」（{m.category}，{VERDICT[m.eligible]}{amount}）")
        if not shown and not plan.combinations:
            close = [m for m in matches if m.hints][:2]
            lines += [f"· {m.institution}「{m.name}」：{'；'.join(m.hints)}" for m in close]
        lines += funding_lines(plan)
        facts = missing_facts(matches[:12])
        self.session.expecting = [ASKED_SLOT[f] for f in facts if f in ASKED_SLOT]
        questions = [ASK_FOR.get(k, f"请补充{k}。") for k in facts]
        if questions:
            lines.append("为了更准确地匹配，请告诉我：" + " ".join(questions))
        result = [
            {"product_id": m.product_id, "name": m.name, "institution": m.institution, "category": m.category,
             "eligible": m.eligible, "score": m.score, "missing": m.missing, "indicative_amount": m.indicative_amount}
            for m in shown
        ]
        return TurnResult(reply="\n".join(lines), intent="", profile={}, matches=result)

    def _application(self, text: str, slots: dict[str, Any], named: Product | None, catalog: list[Product]) -> TurnResult:
        product = self._resolve(text, named, catalog)
        if product is None and self.session.applying:
            product = next((p for p in catalog if p.id == self.session.applying), None)
        if product is None and self.session.shown:
            product = next((p for p in catalog if p.id == self.session.shown[0]), None)
        lines = [self._confirm(slots)] if slots else []
        if product is None:
            lines.append("请先告诉我想申请哪个产品，或说说公司的基本情况，我先为您匹配合适的产品。")
            return TurnResult(reply="\n".join(x for x in lines if x), intent="", profile={})
        self.session.focus = product.id
        lines.append(f"好的，将按{product.institution}「{product.name}」准备申请表。")
        known = said_back({k: v for k, v in self.session.slots.items() if k != "name" or not v.startswith("咨询企业")})
        if known:
            lines.append("已掌握：" + "；".join(known) + "。")
        still = self._still_needed(product)
        if still:
            lines.append("申请表还需要：" + "、".join(still) + "。可以直接在这里告诉我，也可以生成草稿后在“申请管理”中补填。")
        lines.append("所需材料：" + "、".join(product.documents) + "。")
        self.session.applying = product.id
        asked = bool(APPLICATION.search(text) or re.search(r"生成|generate", text, re.I))
        if not asked:
            lines.append("信息齐了请说“生成申请表”，我据此生成申请表草稿。")
        return TurnResult(reply="\n".join(lines), intent="", profile={}, apply_product=product.id if asked else None)

    def _still_needed(self, product: Product) -> list[str]:
        """The required form fields the conversation has not given, from the form itself (one list of what is
        required), and the IP items still lacking a number."""
        from assistant.applications.form import prefill

        data, extra, inferred = application_inputs(self.session.slots)
        if data.get("name", "").startswith("咨询企业"):
            data["name"] = "待补充企业"
        try:
            form = prefill(Profile.model_validate(data), product, extra, inferred=inferred)
        except (ValidationError, TypeError):
            return [label(k) for k in ("name", "region", "need.amount")]
        needed = form.missing()
        if "name" not in self.session.slots and "企业名称" not in needed:
            needed.insert(0, "企业名称")
        if product.accepted_ip and not self.session.slots.get("ip_assets"):
            needed.append("拟质押知识产权的号码、名称、到期日和评估值")
        return needed

    def _small_talk(self, text: str, slots: dict[str, Any], named: Product | None, catalog: list[Product]) -> TurnResult:
        if re.match(r"谢|多谢|感谢|辛苦", text):
            reply = "不客气！还有其他问题随时问我。"
        elif re.match(r"再见|拜拜|没有了|没了|暂时没有", text):
            reply = "好的，祝贵公司融资顺利！需要人工服务可以联系服务中心。"
        else:
            reply = ("您好！我是秦创原（西咸新区）科技金融综合服务中心的智能助手（示例）。我可以解答知识产权质押融资的政策和办理流程，"
                     "根据贵公司情况匹配合作银行的贷款产品，并帮您整理申请信息。请问有什么可以帮您？")
        return TurnResult(reply=reply, intent="", profile={})

    def _status(self, text: str, slots: dict[str, Any], named: Product | None, catalog: list[Product]) -> TurnResult:
        # Replaced by the records' answer where the conversation belongs to an account (the API); said as is elsewhere.
        return TurnResult(reply=f"申请进度请登录企业账号后在“申请管理”中查看，或联系{self.settings.service_center_contact}。",
                          intent="", profile={}, status_request=True)

    def _out_of_scope(self, text: str, slots: dict[str, Any], named: Product | None, catalog: list[Product]) -> TurnResult:
        return TurnResult(
            reply=f"抱歉，这个问题不在我的服务范围内（知识产权质押融资政策、科技金融产品与申请）。如需其他帮助，请联系{self.settings.service_center_contact}。",
            intent="", profile={}, refused=True,
        )
