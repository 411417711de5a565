"""Clean text extracted from Chinese PDFs: drop running headers and page numbers, rejoin broken lines.

pypdf returns hard line breaks wherever the PDF wrapped a line, often mid-sentence, and repeats the
page header/footer on every page. Left in, they split words for the tokenizer and pollute passages.
"""

from __future__ import annotations

import re
from collections import Counter

from assistant.ingest.faq import SIMILAR_PREFIX

PAGE_NUMBER = re.compile(
    r"^\s*(?:[-—–]\s*\d{1,4}\s*[-—–]|第\s*\d{1,4}\s*页(?:\s*[，,/]?\s*共\s*\d{1,4}\s*页)?|\d{1,4}\s*/\s*\d{1,4}|\d{1,4})\s*$"
)
# A line starting with one of these opens a new paragraph even if the previous line ran on.
STRUCTURE_START = re.compile(
    r"^\s*(?:第[一二三四五六七八九十百零〇\d]+[章节条]|[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[）)]|\d+[.、．]\s*\S|#|问[:：]|"
    rf"{SIMILAR_PREFIX}|答[:：])"
)
SENTENCE_END = "。！？；：”」）)…"
SIMILAR_LINE = re.compile(rf"^\s*{SIMILAR_PREFIX}")  # an FAQ's similar questions: “；” separates them, it ends nothing
_DIGITS = re.compile(r"\d+")


def _norm(line: str) -> str:
    return _DIGITS.sub("#", line.strip())


def strip_headers_footers(pages: list[list[str]]) -> list[list[str]]:
    """Remove page numbers and lines that repeat at the top or bottom of most pages."""
    if not pages:
        return pages
    edge: Counter[str] = Counter()
    for lines in pages:
        seen = {_norm(x) for x in lines[:2] + lines[-2:] if x.strip()}
        edge.update(seen)
    min_repeats = max(2, (len(pages) + 1) // 2)
    repeated = {k for k, n in edge.items() if n >= min_repeats and len(pages) >= 2}
    out = []
    for lines in pages:
        kept = []
        for i, line in enumerate(lines):
            near_edge = i < 2 or i >= len(lines) - 2
            if near_edge and (PAGE_NUMBER.match(line) or _norm(line) in repeated):
                continue
            kept.append(line)
        out.append(kept)
    return out


def join_lines(lines: list[tuple[int | None, str]]) -> list[tuple[int | None, str]]:
    """Join wrapped lines into paragraphs; each paragraph keeps the page of its first line."""
    paras: list[tuple[int | None, str]] = []
    cur_page: int | None = None
    buf = ""
    for page, raw in lines:
        line = raw.strip()
        if not line:
            if buf:
                paras.append((cur_page, buf))
                buf = ""
            continue
        starts_new = bool(STRUCTURE_START.match(line))
        # A wrapped line that ended a sentence usually ended its paragraph in these documents.
        ended = buf[-1] in SENTENCE_END and not (buf[-1] in "；;" and SIMILAR_LINE.match(buf)) if buf else False
        if buf and (starts_new or ended):
            paras.append((cur_page, buf))
            buf = ""
        if not buf:
            cur_page = page
            buf = line
        else:
            # Chinese needs no space at a wrap; Latin words do.
            sep = " " if buf[-1].isascii() and buf[-1].isalnum() and line[0].isascii() and line[0].isalnum() else ""
            buf += sep + line
    if buf:
        paras.append((cur_page, buf))
    return paras


def clean_pdf_pages(page_texts: list[str]) -> list[tuple[int, str]]:
    """pypdf page texts → cleaned paragraphs tagged with 1-based page numbers."""
    pages = [t.replace("\r", "").replace("\u3000", " ").split("\n") for t in page_texts]
    pages = strip_headers_footers(pages)
    # Blank lines in extracted PDF text (often at a page top) are not paragraph marks: punctuation decides.
    tagged: list[tuple[int | None, str]] = [(i + 1, line) for i, lines in enumerate(pages) for line in lines if line.strip()]
    return [(p or 1, t) for p, t in join_lines(tagged)]
