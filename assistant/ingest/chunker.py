"""Split a loaded document by its structure: 章 / 节 / 条, headings, FAQ entries, then sentences.

Articles (第X条) and FAQ entries stay whole when they fit, so a citation points at one article. Long units
are cut at sentence ends (。！？；) by LangChain's recursive splitter; free text under a heading is packed
into passages of about ``target`` characters.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import asdict, dataclass

from assistant.ingest.faq import ALIAS_SEP, split_similar
from assistant.ingest.loaders import LoadedDoc

CN_NUM = "一二三四五六七八九十百零〇两"
CHAPTER = re.compile(rf"^第[{CN_NUM}\d]+章\s*\S*")
SECTION = re.compile(rf"^第[{CN_NUM}\d]+节\s*\S*")
ARTICLE = re.compile(rf"^(第[{CN_NUM}\d]+条)[\s　]*")
MD_HEADING = re.compile(r"^(#{1,6})\s*(.+)$")
CN_HEADING = re.compile(rf"^[{CN_NUM}]+、\s*[^。；]{{1,30}}$")
FAQ_Q = re.compile(r"^(?:问[:：]|Q[:：])")

# Bump when cleaning or chunking changes: the manifest records it, and a different value means every file
# is parsed again (unchanged bytes no longer imply unchanged chunks).
PARSER_VERSION = "6"  # 3: FAQ 相似问 lines kept out of the passage text, indexed as aliases; 4: PDF lines keep them whole;
# 5: metadata read from the text (title, 文号, dates, region) when no sidecar gives it; 6: scanned pages read by OCR
MAX_CHARS = 520
TARGET_CHARS = 360


@dataclass
class Chunk:
    id: str
    doc_id: str
    seq: int
    text: str  # shown to users and cited
    title: str
    source: str
    page: int | None
    article: str | None
    section: str
    doc_number: str | None
    level: str
    status: str
    effective: str | None
    expires: str | None
    kind: str
    hash: str
    aliases: str = ""  # an FAQ entry's similar questions (相似问), “；”-separated: searched, never shown
    region: str | None = None  # the place the document governs (全国 for national rules)
    published: str | None = None
    superseded_by: str | None = None
    ocr: bool = False  # its text was recognised from a scanned page, not read from a text layer

    @property
    def index_text(self) -> str:
        return index_text(self.to_dict())

    def to_dict(self) -> dict:
        return asdict(self)


def index_text(chunk: dict) -> str:
    """What retrievers see: the passage with its document title and place, so context words match, and an
    FAQ entry's similar questions, so the ways people ask it match too."""
    parts = [chunk["title"], chunk["section"], chunk.get("article") or "", chunk["text"], chunk.get("aliases") or ""]
    return " ".join(p for p in parts if p)


@dataclass
class _Unit:
    heading: list[str]
    article: str | None
    page: int | None
    parts: list[str]

    @property
    def text(self) -> str:
        return "\n".join(self.parts)


def _split_long(text: str) -> list[str]:
    if len(text) <= MAX_CHARS:
        return [text]
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    splitter = RecursiveCharacterTextSplitter(
        chunk_size=MAX_CHARS,
        chunk_overlap=40,
        separators=["\n", "。", "！", "？", "；", "，", ""],
        keep_separator="end",
    )
    return [t.strip() for t in splitter.split_text(text) if t.strip()]


def _units(doc: LoadedDoc) -> list[_Unit]:
    stack: dict[int, str] = {}
    units: list[_Unit] = []
    cur: _Unit | None = None

    def heading_path() -> list[str]:
        return [stack[k] for k in sorted(stack)]

    def set_heading(level: int, text: str) -> None:
        nonlocal cur
        for k in [k for k in stack if k >= level]:
            del stack[k]
        stack[level] = text
        cur = None

    for page, raw in doc.paragraphs:
        text = raw.strip()
        if not text:
            continue
        md = MD_HEADING.match(text)
        if md:
            level, body = len(md.group(1)), md.group(2).strip()
            if FAQ_Q.match(body):
                cur = _Unit(heading_path(), None, page, [body])
                units.append(cur)
            elif level == 1 and body == doc.meta.title:
                continue
            elif CHAPTER.match(body):
                set_heading(1, body)
            else:
                set_heading(level, body)
            continue
        if FAQ_Q.match(text):
            cur = _Unit(heading_path(), None, page, [text])
            units.append(cur)
            continue
        if CHAPTER.match(text) and len(text) <= 40:
            set_heading(1, text)
            continue
        if SECTION.match(text) and len(text) <= 40:
            set_heading(2, text)
            continue
        if CN_HEADING.match(text) and not ARTICLE.match(text):
            set_heading(2 if 1 in stack and CHAPTER.match(stack[1]) else 1, text)
            continue
        art = ARTICLE.match(text)
        if art:
            cur = _Unit(heading_path(), art.group(1), page, [text])
            units.append(cur)
            continue
        if cur is None or (cur.article is None and not FAQ_Q.match(cur.parts[0]) and len(cur.text) + len(text) > TARGET_CHARS):
            cur = _Unit(heading_path(), None, page, [text])
            units.append(cur)
        else:
            cur.parts.append(text)
    return units


def chunk_document(doc: LoadedDoc) -> list[Chunk]:
    meta = doc.meta
    chunks: list[Chunk] = []
    for unit in _units(doc):
        text, aliases = unit.text, ""
        if FAQ_Q.match(unit.parts[0]):
            kept, similar = split_similar(text.split("\n"))
            text, aliases = "\n".join(kept), ALIAS_SEP.join(similar)
        for piece in _split_long(text):
            seq = len(chunks)
            section = " › ".join(unit.heading)
            h = hashlib.sha1(f"{meta.title}|{section}|{unit.article}|{piece}|{aliases}".encode()).hexdigest()
            chunks.append(
                Chunk(
                    id=f"{meta.doc_id}:{seq:04d}",
                    doc_id=meta.doc_id,
                    seq=seq,
                    text=piece,
                    title=meta.title,
                    source=doc.source,
                    page=unit.page,
                    article=unit.article,
                    section=section,
                    doc_number=meta.doc_number,
                    level=meta.level,
                    status=meta.status,
                    effective=meta.effective.isoformat() if meta.effective else None,
                    expires=meta.expires.isoformat() if meta.expires else None,
                    kind=meta.kind,
                    hash=h,
                    aliases=aliases,
                    region=meta.region,
                    published=meta.published.isoformat() if meta.published else None,
                    superseded_by=meta.superseded_by,
                    ocr=unit.page in doc.ocr_pages,
                )
            )
    return chunks
