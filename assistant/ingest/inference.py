"""What a document says about itself, read from its text when no sidecar or front matter says it: the title,
文号, issuer, 公布 and 施行 dates, and the region it governs (hence its level).

Official documents open the same way whatever their format: maybe a 文号 line, the title, then the adopting or
publishing lines (“2022年3月29日 广东省第十三届人民代表大会常务委员会第四十一次会议通过”), then 第一章 / 第一条 / 一、.
PDF and TXT extraction runs those lines together; the preamble is cut at the first date, not at a line end.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from assistant.lexicon.places import NATIONAL, gazetteer

DATE = r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日"
_DATE = re.compile(DATE)
_BODY_START = re.compile(r"^(?:#+\s*)?(?:第[一二三四五六七八九十百零〇\d]+[章节条编]|[一二三四五六七八九十]+、|目\s*录|总\s*则)")
_GAZETTE = re.compile(r"^\S{0,20}公报\s*(?:[—\-–]\s*\d+\s*[—\-–])?|^[—\-–]\s*\d+\s*[—\-–]")
_INVISIBLE = re.compile(r"[\u200b\u200c\u200d\ufeff]")
# 国务院令第802号, 国家知识产权局公告第461号, 国发〔2021〕12号, 陕知发[2023]5号, 西咸管发（2024）3号: found by their tail,
# then the issuer's prefix is read backwards, stopping after the title it may run into (“…办法陕知发〔2023〕9号”).
_NUMBER_TAIL = re.compile(r"[〔\[［（(]\s*\d{4}\s*[〕\]］）)]\s*\d+\s*号|(?:令|公告)\s*第\s*\d+\s*号")
_TITLE_END = re.compile(r".*(?:办法|细则|通知|规定|条例|方案|意见|程序|决定|公告|指南|纪要|规则|法|[）)》”])")
_HAN_RUN = re.compile(r"[\u4e00-\u9fa5]{1,16}$")
_ACTION = re.compile(DATE + r"\s*((?:(?!\d{4}\s*年)[^，。；]){0,60}?)(通过|公布|发布|印发|修订|修正|施行)")
_IN_FORCE_FROM = re.compile(r"自\s*" + DATE + r"\s*起(?:施行|实施|执行|生效)")
_CONGRESS = re.compile(r"([\u4e00-\u9fa5]{2,8}?(?:省|市|自治区))?第[一二三四五六七八九十]+届(全国)?人民代表大会(常务委员会)?")
_COUNCIL = re.compile(r"国务院(?:令|第\d+次常务会议|常务会议)")
_SIGNATURE = re.compile(r"^[\u4e00-\u9fa5、\s]{4,60}(?:局|厅|委员会|委|政府|办公室|办公厅|中心|部|院|管委会|银行|分行)$")
_NATIONAL_ISSUER = re.compile(r"^(?:全国|国务院|国家|中国|中华人民共和国|财政部|科学技术部|科技部|工业和信息化部|商务部|教育部|最高人民)")
HOME_LEVELS = ("西咸新区", "西安市", "陕西省")  # the levels the corpus files use below 国家; anything else is 其他


@dataclass
class Inferred:
    title: str | None = None
    doc_number: str | None = None
    issuer: str | None = None
    published: dt.date | None = None
    effective: dt.date | None = None
    region: str | None = None  # the place the document governs (北京市, 陕西省), 全国 for national rules
    level: str | None = None
    notes: list[str] = field(default_factory=list)  # what was inferred, for the upload preview

    def as_meta(self) -> dict:
        """Only what was found, as metadata keys (a sidecar's keys override these)."""
        out = {k: getattr(self, k) for k in ("title", "doc_number", "issuer", "published", "effective", "region", "level")}
        return {k: v for k, v in out.items() if v}


def doc_numbers(text: str) -> list[tuple[int, int, str]]:
    """(start, end, 文号) for each document number in ``text``."""
    out = []
    for m in _NUMBER_TAIL.finditer(text):
        run = _HAN_RUN.search(text[: m.start()])
        if not run:
            continue
        prefix = run.group(0)
        title_end = _TITLE_END.match(prefix)
        if title_end and title_end.end() < len(prefix):
            prefix = prefix[title_end.end() :]
        elif title_end:
            continue  # the run is a title, not an issuer
        prefix = prefix[-(16 if m.group(0)[0] in "令公" else 8) :]
        start = m.start() - len(prefix)
        out.append((start, m.end(), re.sub(r"\s+", "", text[start : m.end()])))
    return out


def _date(m: re.Match[str], offset: int = 1) -> dt.date | None:
    try:
        return dt.date(int(m.group(offset)), int(m.group(offset + 1)), int(m.group(offset + 2)))
    except ValueError:
        return None


def preamble(paragraphs: list[str]) -> list[str]:
    """The lines before the body (第一章, 第一条, 一、, 目录), gazette headers dropped, at most ten."""
    out = []
    for raw in paragraphs[:12]:
        text = _INVISIBLE.sub("", raw).strip()
        if not text:
            continue
        if _BODY_START.match(text):
            break
        text = _GAZETTE.sub("", text).strip()
        if text:
            out.append(text.lstrip("#").strip())
    return out


_NOTE = re.compile(r"[（(][^（）()]{16,}[）)]\s*$")  # “（示例文本：…）”, a remark in brackets, is no part of the title


def split_title(lines: list[str]) -> tuple[str | None, str]:
    """(title, the rest of the preamble). The title is what comes before the first date, 文号 or remark; consecutive
    short heading lines (“中华人民共和国民法典”, “物权编”) make one title."""
    head: list[str] = []
    rest: list[str] = []
    for n, line in enumerate(lines):
        cuts = [len(line)]
        numbers = doc_numbers(line)
        if numbers:
            cuts.append(numbers[0][0])
        date = _DATE.search(line)
        if date:
            cuts.append(date.start())
        note = _NOTE.search(line)
        if note:
            cuts.append(note.start())
        cut = min(cuts)
        part = line[:cut].strip(" （(")
        if part and (len(part) > 60 or re.search(r"[。；：，]", part)):
            rest += lines[n:]
            break
        if part:
            head.append(part)
        if cut < len(line):
            rest.append(line[cut:])
            if head:
                rest += lines[n + 1 :]
                break
    title = " ".join(head).strip() or None
    if title and len(title) > 80:
        title = None
    return title, "\n".join(rest)


def infer(paragraphs: list[str]) -> Inferred:
    out = Inferred()
    lines = preamble(paragraphs)
    out.title, session = split_title(lines)
    front = "\n".join(lines)
    numbers = [n for _, _, n in doc_numbers(front)]
    if numbers:
        out.doc_number = numbers[-1]  # the latest revision's
    acts = [(d, m.group(4) + m.group(5)) for m in _ACTION.finditer(session) if (d := _date(m))]
    published = [d for d, act in acts if not act.endswith("施行")]
    if published:
        out.published = max(published)
    starts = [d for d, act in acts if act.endswith("施行")]
    body = "\n".join(paragraphs)
    in_force_from = [d for m in _IN_FORCE_FROM.finditer(body) if (d := _date(m))]
    if starts or in_force_from:
        out.effective = (starts or in_force_from)[-1]
    out.issuer, signed = _issuer(session, paragraphs, out.doc_number)
    out.published = out.published or signed
    out.region, out.level = _region(out.title or "", out.issuer or "", out.doc_number or "")
    out.notes = [f"{label}：{value}" for label, value in (("标题", out.title), ("文号", out.doc_number), ("发布机关", out.issuer),
                 ("公布日期", out.published), ("施行日期", out.effective), ("适用地区", out.region)) if value]
    return out


def _issuer(session: str, paragraphs: list[str], doc_number: str | None) -> tuple[str | None, dt.date | None]:
    """(issuer, the date it signed with): the adopting congress or council, else a notice's closing signature."""
    m = _CONGRESS.search(session)
    if m:
        return f"{m.group(1) or ''}{m.group(2) or ''}人民代表大会{m.group(3) or ''}", None
    if _COUNCIL.search(session) or (doc_number and doc_number.startswith(("国务院令", "中华人民共和国国务院令"))):
        return "国务院", None
    # a notice signs off at its end: the issuing bodies' line, then the date
    tail = [_INVISIBLE.sub("", p).strip() for p in paragraphs[-6:] if p.strip()]
    for a, b in zip(tail, tail[1:], strict=False):
        date = _DATE.fullmatch(b.strip())
        if _SIGNATURE.match(a) and date:
            return re.sub(r"\s+", "、", a.strip()), _date(date)
    return None, None


def _region(title: str, issuer: str, doc_number: str) -> tuple[str | None, str | None]:
    """The governed place: named in the title, else in the issuer, else by the 文号's province abbreviation."""
    g = gazetteer()
    for text in (title, issuer):
        places = g.places(text)
        if places:
            return places[0].name, _level(places[0].name)
    if title.startswith("中华人民共和国") or _NATIONAL_ISSUER.match(issuer) or doc_number.startswith(("国", "中华人民共和国")):
        return NATIONAL, "国家"
    if doc_number:
        place = g.lookup(doc_number[0])
        if place is not None and len(doc_number) > 1 and doc_number[1] != "〔":
            return place.name, _level(place.name)
    return None, None


def level_for(region: str) -> str:
    """The corpus level of a region: 国家 for national rules, the home level it lies in, else 其他."""
    if region == NATIONAL:
        return "国家"
    return _level(region)


def _level(region: str) -> str:
    names = gazetteer().chain_names(region)
    return next((lvl for lvl in HOME_LEVELS if lvl in names), "其他")
