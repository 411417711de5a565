"""The details an application needs, as a firm types them in chat: the 统一社会信用代码, the legal representative,
the contact person, a phone number, an e-mail, and each IP item (type, number, title, expiry, valuation).

Identifiers are read by their shape (the same patterns the privacy mask uses) and checked by their check
character: a valid one is recorded, a mistyped one is reported back in Chinese and never recorded.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field
from typing import Any

from assistant.dialogue.numbers import NUM, normalise, to_yuan
from assistant.privacy import EMAIL, LANDLINE, MOBILE, USCC
from assistant.profile.validators import patent_kind, patent_number_error, uscc_error

_PATENT = re.compile(r"(?<![0-9A-Za-z])(?:ZL|CN)?\s?((?:19|20)\d{10}|\d{8})\s?[.．]\s?([0-9Xx])(?![0-9A-Za-z])", re.I)
_SOFTWARE = re.compile(r"(?<![0-9A-Za-z])((?:19|20)\d{2}SR\d{7})(?!\d)", re.I)
_TRADEMARK = re.compile(r"商标(?:注册)?(?:证)?(?:号(?:码)?(?:是|为|：|:)?\s*|第\s*)(\d{4,8})(?!\d)")
_IP_WORD = re.compile(r"发明专利|发明|实用新型(?:专利)?|外观设计(?:专利)?|软件著作权|软著|商标|著作权|版权")
_TYPE_OF_WORD = {"发明": "发明专利", "发明专利": "发明专利", "实用新型": "实用新型", "实用新型专利": "实用新型", "外观设计": "外观设计",
                 "外观设计专利": "外观设计", "软件著作权": "软件著作权", "软著": "软件著作权", "商标": "商标", "著作权": "著作权", "版权": "著作权"}
_NAME = r"([\u4e00-\u9fa5]{2,4}?)(?=$|[，,。；;、.!！\s（(]|联系|电话|手机|座机|邮箱|负责|先生|女士|经理|总)"
_LEGAL_REP = re.compile(rf"(?:法定代表人|法人代表|法人)(?:是|为|叫|：|:)?\s*{_NAME}")
_CONTACT = re.compile(rf"(?:联系人|对接人|经办人|联络人)[^。；;]{{0,6}}?(?:改成|换成|改为|换为)\s*{_NAME}"  # “联系人换一下，改成王芳”
                      rf"|(?:联系人|对接人|经办人|联络人)(?:是|为|叫|：|:)?\s*(?:[\u4e00-\u9fa5]{{1,4}}的)?{_NAME}")  # “联系人是行政的杜娟”
# The contact is the legal representative (“联系人也是他”, “联系人就是法人”).
_CONTACT_IS_REP = re.compile(r"(?:联系人|对接人|经办人|联络人)(?:也|就|还)?(?:是|为)(?:他|她|本人|法人|法定代表人|同上)")
_CALL = re.compile(rf"(?:找|联系|打给){_NAME}")
# Not a person's name: pronouns, roles, and the verbs or prepositions a name is never led by (“法人在深圳”, “联系人换一下”).
_NOT_A_NAME = re.compile(r"^(?:[在有没要换改是也都还不会已正能就再先把被让给对向从和跟]|我|本人|自己|你们|我们|他|她|谁|哪|什么|财务|会计|出纳|经理|总经理|董事长|老板|负责人|主任|行政|公司|企业|银行|电话|手机|邮箱|是|为|叫|姓)")
# The speaker naming themselves: “联系人是我，财务刘敏”, “我是财务刘敏”, “我叫刘敏”.
_SELF = re.compile(rf"(?:联系人|对接人|经办人|联络人)(?:是|为|就是)?(?:我|本人)[，,、\s]*(?:(?:是|叫)?(?:财务|会计|出纳|总经理|经理|董事长|负责人|办公室主任|主任)?)\s*{_NAME}"
                   rf"|(?:我是|我叫|本人是|本人)(?:公司)?(?:的)?(?:财务|会计|出纳|总经理|经理|董事长|负责人|办公室主任|主任)?\s*{_NAME}")
_TITLE = re.compile(r"《([^》]{2,60})》|“([^”]{2,60})”|「([^」]{2,60})」|(?:名称|名字|题目|专利名)(?:是|为|叫|：|:)\s*([^，,。；;]{2,60})")
_DATE = re.compile(r"((?:19|20)\d{2})\s*(?:年|-|/|\.)\s*(\d{1,2})?\s*(?:月|-|/|\.)?\s*(\d{1,2})?\s*日?")
_EXPIRY_CUE = re.compile(r"到期|届满|截止|有效期|保护期|失效")
_VALUE = re.compile(rf"(?:评估值|评估价值|评估价|评估|估值|估价|价值|值)(?:了|为|是|约|大约|大概|在|有|：|:)*\s*({NUM})\s*(亿|千万|百万|万)?\s*(?:元)?")


@dataclass
class Details:
    slots: dict[str, Any] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)  # Chinese, for the reply: what was typed wrong
    spans: list[tuple[int, int]] = field(default_factory=list)  # where identifiers were, blanked for the other extractors


def _expiry(segment: str) -> str | None:
    for cue in _EXPIRY_CUE.finditer(segment):
        near = [d for d in _DATE.finditer(segment) if abs(d.start() - cue.start()) <= 14]
        if not near:
            continue
        d = min(near, key=lambda x: abs(x.start() - cue.start()))
        year, month, day = int(d.group(1)), int(d.group(2) or 12), d.group(3)
        if not 1 <= month <= 12:
            continue
        last = calendar.monthrange(year, month)[1]
        return f"{year:04d}-{month:02d}-{min(int(day), last) if day else last:02d}"  # only the month said: its last day
    return None


def _valuation(segment: str) -> float | None:
    m = _VALUE.search(segment)
    return to_yuan(m.group(1), m.group(2)) if m else None


def _title(segment: str) -> str | None:
    m = _TITLE.search(segment)
    return next((g.strip() for g in m.groups() if g), None) if m else None


def _ip_items(text: str, out: Details) -> None:
    found: list[tuple[int, int, str, str]] = []  # start, end, type, number
    for m in _PATENT.finditer(text):
        digits, check = m.group(1), m.group(2).upper()
        number = f"ZL{digits}.{check}"
        word = list(_IP_WORD.finditer(text, max(0, m.start() - 12), m.start()))
        stated = _TYPE_OF_WORD.get(word[-1].group(0)) if word else None
        kind = stated if stated in ("发明专利", "实用新型", "外观设计") else patent_kind(number) or "发明专利"
        err = patent_number_error(number)
        if err:
            out.problems.append(f"专利号 {m.group(0).strip()}：{err}，未记录")
            out.spans.append(m.span())
            continue
        found.append((m.start(), m.end(), kind, number))
    found += [(m.start(), m.end(), "软件著作权", m.group(1).upper()) for m in _SOFTWARE.finditer(text)]
    found += [(m.start(1), m.end(1), "商标", m.group(1)) for m in _TRADEMARK.finditer(text)]
    found.sort()
    items = []
    for i, (start, end, kind, number) in enumerate(found):
        out.spans.append((start, end))
        before = text[found[i - 1][1] if i else max(0, start - 40) : start]
        after = text[end : found[i + 1][0] if i + 1 < len(found) else len(text)]
        after = re.split(r"[；;。\n]", after, maxsplit=1)[0]
        item: dict[str, Any] = {"type": kind, "number": number}
        title = _title(after) or _title(re.split(r"[；;。\n]", before)[-1])
        if title:
            item["title"] = title
        if expires := _expiry(after):
            item["expires"] = expires
        if (value := _valuation(after)) is not None:
            item["valuation"] = value
        items.append(item)
    if items:
        out.slots["ip_assets"] = items


def _phone(raw: str) -> str:
    """As written, without spaces: a mobile as its 11 digits, a landline as 区号-号码 (“029-88365120”)."""
    if MOBILE.fullmatch(raw):
        return re.sub(r"^\+?86[- ]?|[ -]", "", raw)
    digits = re.sub(r"\D", "", raw)
    area = re.match(r"\D*(0\d{2,3})\D", raw)
    if area:
        return f"{area.group(1)}-{digits[len(area.group(1)) :]}"
    return digits


def _person(pattern: re.Pattern[str], text: str) -> str | None:
    for m in pattern.finditer(text):
        name = next((g for g in m.groups() if g), None)
        if name and not _NOT_A_NAME.match(name):
            return name
    return None


def read_details(text: str) -> Details:
    """The application details stated in ``text`` (already limited to what the firm says about itself)."""
    out = Details()
    t = normalise(text)
    for m in USCC.finditer(t):
        code = m.group(0).upper()
        out.spans.append(m.span())
        err = uscc_error(code)
        if err:
            out.problems.append(f"统一社会信用代码 {code}：{err}，未记录")
        else:
            out.slots["uscc"] = code
    _ip_items(t, out)
    taken = list(out.spans)
    phones = [m for p in (MOBILE, LANDLINE) for m in p.finditer(t) if not any(a <= m.start() < b for a, b in taken)]
    if phones:
        m = min(phones, key=lambda x: x.start())
        raw = m.group(0)
        out.slots["contact_phone"] = _phone(raw)
        out.spans += [p.span() for p in phones]
    if email := EMAIL.search(t):
        out.slots["contact_email"] = email.group(0)
        out.spans.append(email.span())
    if rep := _person(_LEGAL_REP, t):
        out.slots["legal_rep"] = rep
    if rep and _CONTACT_IS_REP.search(t):
        contact: str | None = rep
    else:
        contact = _person(_SELF, t) or _person(_CONTACT, t) or (_person(_CALL, t) if phones else None)
    if contact:
        out.slots["contact_person"] = contact
    return out
