"""Render a pre-filled application as PDF (reportlab's built-in STSong-Light CJK font: nothing to download,
text extractable), DOCX (python-docx with the East Asian font set) or JSON. PDF and DOCX share the page, the
columns and the cell texts defined here, so the two documents a firm may print are the same form."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from assistant.applications.form import Application
from assistant.units import cn_date, cn_datetime

TITLE = "秦创原（西咸新区）科技金融综合服务中心 知识产权质押融资申请表（示例）"
MARK = {"用户提供": "用户提供", "系统推断": "系统推断", "待补充": "待补充"}
IP_HEADING, ISSUES_HEADING = "五、拟质押知识产权清单", "六、校验提示"
FOOTNOTE = "带 * 为必填项。本表由智能助手根据企业提供的信息预填，请核对无误后签字盖章提交。示例表单，仅供演示。"
PAGE_MM = (210, 297)  # A4, the paper Chinese offices print on
MARGINS_MM = {"left": 18, "right": 18, "top": 16, "bottom": 16}
# (header, width in mm): 174 mm of text width on A4 with these margins
FIELD_COLUMNS = (("项目", 45), ("内容", 90), ("来源", 25))
IP_COLUMNS = (("类型", 18), ("号码", 32), ("名称", 26), ("权利人", 24), ("到期日", 26), ("状态", 12), ("已质押", 16), ("评估值", 20))


def _generated(stamp: str) -> str:
    """The form's creation time in Beijing time. The form stamps ``datetime.now()`` without a zone, i.e. this
    machine's local time (UTC on most servers), so a naive stamp is read as local time, not as Beijing time."""
    try:
        when = dt.datetime.fromisoformat(stamp)
    except ValueError:
        return cn_datetime(stamp) or stamp
    return cn_datetime(when if when.tzinfo else when.astimezone())


def _subtitle(app: Application) -> str:
    return f"申请产品：{app.institution}「{app.product_name}」　生成时间：{_generated(app.created)}　表单版本：{app.form_version}"


Ledger = tuple[int, str] | None  # (entry number, hash) of the application's latest ledger entry


def _ledger_line(ledger: Ledger, status: str | None) -> str | None:
    """What a bank checks the document against: the ledger entry (码链) of the application's state it shows."""
    if ledger is None:
        return None
    seq, digest = ledger
    return f"账本记录：第 {seq} 条　哈希：{digest}" + (f"　申请状态：{status}" if status else "")


def _field_rows(app: Application) -> list[tuple[str, list[list[str]]]]:
    """Each section's title and its rows (label, value, source), header not included."""
    return [(section.title, [[f.label + ("*" if f.required else ""), f.display or "（待补充）", MARK[f.source]] for f in section.fields])
            for section in app.sections]


def _ip_rows(app: Application) -> list[list[str]]:
    """The IP list's rows under ``IP_COLUMNS`` (header not included); one row to fill in when the list is empty."""
    rows = [[r.type, r.number or "", r.title or "", r.owner or "", cn_date(r.expires) or r.expires or "", r.status or "",
             r.pledged or "", r.valuation or ""] for r in app.ip_list]
    return rows or [["（待补充）"] + [""] * (len(IP_COLUMNS) - 1)]


def _issues(app: Application) -> list[str]:
    return [("【需修正】" if issue.level == "error" else "【待补充】") + issue.message for issue in app.issues]


def render_json(app: Application) -> str:
    data = app.model_dump(mode="json")
    data["missing"] = app.missing()
    return json.dumps(data, ensure_ascii=False, indent=2)


def render_pdf(app: Application, path: Path, ledger: Ledger = None, status: str | None = None) -> None:
    from reportlab.lib import colors
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    body = ParagraphStyle("b", fontName="STSong-Light", fontSize=9.5, leading=13, wordWrap="CJK")
    head = ParagraphStyle("h", parent=body, fontSize=12, leading=18, spaceBefore=8, spaceAfter=4, keepWithNext=1)
    title = ParagraphStyle("t", parent=body, fontSize=14, leading=20, alignment=1, spaceAfter=4)
    small = ParagraphStyle("s", parent=body, fontSize=8.5, textColor=colors.grey, alignment=1)

    def columns(spec: tuple[tuple[str, int], ...], rows: list[list[str]]) -> Table:
        t = Table([[Paragraph(c, body) for c in r] for r in [[h for h, _ in spec], *rows]], colWidths=[w * mm for _, w in spec], repeatRows=1)
        t.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.4, colors.grey), ("BACKGROUND", (0, 0), (-1, 0), colors.whitesmoke),
                               ("VALIGN", (0, 0), (-1, -1), "TOP")]))
        return t

    story = [Paragraph(TITLE, title), Paragraph(_subtitle(app), small), Spacer(1, 6)]
    for section_title, rows in _field_rows(app):
        story += [Paragraph(section_title, head), columns(FIELD_COLUMNS, rows)]
    story += [Paragraph(IP_HEADING, head), columns(IP_COLUMNS, _ip_rows(app))]
    if app.issues:
        story += [Paragraph(ISSUES_HEADING, head), *(Paragraph(line, body) for line in _issues(app))]
    story += [Spacer(1, 10), Paragraph(FOOTNOTE, small)]
    if line := _ledger_line(ledger, status):
        story += [Paragraph(line, small)]
    SimpleDocTemplate(str(path), pagesize=(PAGE_MM[0] * mm, PAGE_MM[1] * mm), leftMargin=MARGINS_MM["left"] * mm,
                      rightMargin=MARGINS_MM["right"] * mm, topMargin=MARGINS_MM["top"] * mm, bottomMargin=MARGINS_MM["bottom"] * mm,
                      title=TITLE, author="秦创原科技金融综合服务中心（示例）").build(story)


def render_docx(app: Application, path: Path, ledger: Ledger = None, status: str | None = None) -> None:
    import docx
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    document = docx.Document()
    for name in ("Normal", "Heading 1", "Heading 2", "Table Grid"):
        style = document.styles[name]
        style.font.name = "SimSun"
        rpr = style.element.get_or_add_rPr()
        rpr.get_or_add_rFonts().set(qn("w:eastAsia"), "宋体")  # or Word falls back for Chinese glyphs
    document.styles["Normal"].font.size = Pt(10.5)
    for page in document.sections:  # python-docx's template is US Letter: A4 with the PDF's margins
        page.page_width, page.page_height = Mm(PAGE_MM[0]), Mm(PAGE_MM[1])
        page.left_margin, page.right_margin = Mm(MARGINS_MM["left"]), Mm(MARGINS_MM["right"])
        page.top_margin, page.bottom_margin = Mm(MARGINS_MM["top"]), Mm(MARGINS_MM["bottom"])

    def columns(spec: tuple[tuple[str, int], ...], rows: list[list[str]]) -> None:
        table = document.add_table(rows=1 + len(rows), cols=len(spec))
        table.style = "Table Grid"
        table.autofit = False
        for row, texts in zip(table.rows, [[h for h, _ in spec], *rows], strict=True):
            for cell, text, (_, width) in zip(row.cells, texts, spec, strict=True):
                cell.text, cell.width = text, Mm(width)

    document.add_heading(TITLE, level=1)
    document.add_paragraph(_subtitle(app))
    for section_title, rows in _field_rows(app):
        document.add_heading(section_title, level=2)
        columns(FIELD_COLUMNS, rows)
    document.add_heading(IP_HEADING, level=2)
    columns(IP_COLUMNS, _ip_rows(app))
    if app.issues:
        document.add_heading(ISSUES_HEADING, level=2)
        for line in _issues(app):
            document.add_paragraph(line)
    document.add_paragraph(FOOTNOTE)
    if ledger_text := _ledger_line(ledger, status):
        document.add_paragraph(ledger_text)
    document.save(str(path))


def write(app: Application, path: Path, ledger: Ledger = None, status: str | None = None) -> None:
    suffix = path.suffix.lower()
    if suffix == ".pdf":
        render_pdf(app, path, ledger, status)
    elif suffix == ".docx":
        render_docx(app, path, ledger, status)
    elif suffix == ".json":
        data = json.loads(render_json(app))
        if ledger is not None:
            data["ledger"] = {"seq": ledger[0], "hash": ledger[1], "status": status}
        path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    else:
        from assistant.errors import AssistantError

        raise AssistantError(f"不支持的输出格式“{suffix}”（支持 .pdf、.docx、.json）")
