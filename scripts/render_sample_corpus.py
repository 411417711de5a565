"""Render the sample corpus sources (scripts/sample_sources/*.md) into corpus/ in the formats policy teams
receive: PDF (reportlab, running header and page numbers), DOCX (python-docx), TXT and Markdown, each with
its metadata as front matter (MD) or a ``.meta.yaml`` sidecar.

Run once when a source changes: ``python scripts/render_sample_corpus.py``. The outputs are committed.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ROOT / "scripts" / "sample_sources"
OUT = ROOT / "corpus"
HEADING = re.compile(r"^(?:#+\s*)?(第[一二三四五六七八九十]+[章节]\s*\S*|[一二三四五六七八九十]+、.{1,30})$")


def parse(path: Path) -> tuple[dict, str]:
    text = path.read_text(encoding="utf-8")
    m = re.match(r"\A---\s*\n(.*?)\n---\s*\n", text, re.S)
    if not m:
        raise SystemExit(f"{path.name}: no front matter")
    return yaml.safe_load(m.group(1)), text[m.end() :].strip() + "\n"


def sidecar(meta: dict, target: Path) -> None:
    data = {k: v for k, v in meta.items() if k != "format"}
    target.with_name(target.name + ".meta.yaml").write_text(
        yaml.safe_dump(data, allow_unicode=True, sort_keys=False, default_flow_style=None), encoding="utf-8"
    )


def render_pdf(meta: dict, body: str, target: Path) -> None:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    base = ParagraphStyle("body", fontName="STSong-Light", fontSize=11.5, leading=19, wordWrap="CJK", firstLineIndent=23)
    head = ParagraphStyle("head", parent=base, fontSize=13, leading=22, firstLineIndent=0, spaceBefore=6, spaceAfter=4, alignment=1)
    title = ParagraphStyle("title", parent=base, fontSize=17, leading=26, firstLineIndent=0, alignment=1, spaceAfter=6)
    small = ParagraphStyle("small", parent=base, fontSize=10, firstLineIndent=0, alignment=1)

    def decorate(canvas, doc) -> None:  # running header and page number, as real policy PDFs have
        canvas.saveState()
        canvas.setFont("STSong-Light", 9)
        canvas.drawString(20 * mm, A4[1] - 12 * mm, f"{meta['issuer']}  示例文件")
        canvas.drawCentredString(A4[0] / 2, 10 * mm, f"- {doc.page} -")
        canvas.restoreState()

    story = [Paragraph(meta["title"], title)]
    if meta.get("doc_number"):
        story.append(Paragraph(meta["doc_number"], small))
    story.append(Spacer(1, 8))
    for para in body.split("\n\n"):
        para = para.strip()
        if not para:
            continue
        for line in para.split("\n"):
            line = line.strip().lstrip("#").strip()
            if not line:
                continue
            style = head if HEADING.match(line) else base
            story.append(Paragraph(line, style))
    doc = SimpleDocTemplate(str(target), pagesize=A4, leftMargin=25 * mm, rightMargin=25 * mm, topMargin=22 * mm, bottomMargin=20 * mm,
                            title=meta["title"], author=meta.get("issuer", ""), invariant=1)  # same source, same bytes
    doc.build(story, onFirstPage=decorate, onLaterPages=decorate)


def render_docx(meta: dict, body: str, target: Path) -> None:
    import docx
    from docx.oxml.ns import qn
    from docx.shared import Pt

    document = docx.Document()
    for style_name in ("Normal", "Heading 1", "Heading 2", "Title"):
        style = document.styles[style_name]
        style.font.name = "SimSun"
        style.element.rPr.rFonts.set(qn("w:eastAsia"), "宋体")  # or Word falls back for Chinese glyphs
    document.styles["Normal"].font.size = Pt(11)
    document.add_heading(meta["title"], level=1)
    if meta.get("doc_number"):
        document.add_paragraph(meta["doc_number"])
    for para in body.split("\n\n"):
        for line in para.split("\n"):
            line = line.strip().lstrip("#").strip()
            if not line:
                continue
            if HEADING.match(line):
                document.add_heading(line, level=2)
            else:
                document.add_paragraph(line)
    document.core_properties.title = meta["title"]
    document.save(str(target))


def main() -> int:
    sources = sorted(p for p in SOURCES.glob("*.md") if p.name != "FACTSHEET.md")
    for src in sources:
        meta, body = parse(src)
        fmt = meta.get("format", "md")
        sub = OUT / ("faq" if meta["doc_id"].startswith("faq") else "policies")
        sub.mkdir(parents=True, exist_ok=True)
        target = sub / f"{meta['doc_id']}.{fmt}"
        if fmt == "md":
            front = {k: v for k, v in meta.items() if k != "format"}
            target.write_text("---\n" + yaml.safe_dump(front, allow_unicode=True, sort_keys=False, default_flow_style=None) + "---\n\n# "
                              + meta["title"] + "\n\n" + body, encoding="utf-8")
            continue
        if fmt == "txt":
            target.write_text(meta["title"] + "\n" + (meta.get("doc_number") or "") + "\n\n" + body, encoding="utf-8")
        elif fmt == "pdf":
            render_pdf(meta, body, target)
        elif fmt == "docx":
            render_docx(meta, body, target)
        else:
            raise SystemExit(f"{src.name}: unknown format {fmt}")
        sidecar(meta, target)
        print(f"{src.name} -> {target.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
