"""Render a pre-filled application as PDF (reportlab's built-in STSong-Light CJK font: nothing to download,
text extractable), DOCX (python-docx with the East Asian font set) or JSON."""

from __future__ import annotations

import json
from pathlib import Path

from assistant.applications.form import Application

TITLE = "秦创原（西咸新区）科技金融综合服务中心 知识产权质押融资申请表（示例）"
MARK = {"用户提供": "用户提供", "系统推断": "系统推断", "待补充": "待补充"}


def render_json(app: Application) -> str:
    data = app.model_dump(mode="json")
    data["missing"] = app.missing()
    return json.dumps(data, ensure_ascii=False, indent=2)


def render_pdf(app: Application, path: Path) -> None:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    body = ParagraphStyle("b", fontName="STSong-Light", fontSize=9.5, leading=13, wordWrap="CJK")
    head = ParagraphStyle("h", parent=body, fontSize=12, leading=18, spaceBefore=8, spaceAfter=4)
    title = ParagraphStyle("t", parent=body, fontSize=14, leading=20, alignment=1, spaceAfter=4)
    small = ParagraphStyle("s", parent=body, fontSize=8.5, textColor=colors.grey, alignment=1)

    def table(rows: list[list[str]], widths: list[float]) -> Table:
        t = Table([[Paragraph(c, body) for c in r] for r in rows], colWidths=widths, repeatRows=1)
        t.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.4, colors.grey), ("BACKGROUND", (0, 0), (-1, 0), colors.whitesmoke),
                               ("VALIGN", (0, 0), (-1, -1), "TOP")]))
        return t

    story = [Paragraph(TITLE, title),
             Paragraph(f"申请产品：{app.institution}「{app.product_name}」　生成时间：{app.created}　表单版本：{app.form_version}", small), Spacer(1, 6)]
    for section in app.sections:
        story.append(Paragraph(section.title, head))
        rows = [["项目", "内容", "来源"]] + [[f.label + ("*" if f.required else ""), f.display or "（待补充）", MARK[f.source]] for f in section.fields]
        story.append(table(rows, [45 * mm, 90 * mm, 25 * mm]))
    story.append(Paragraph("五、拟质押知识产权清单", head))
    ip_rows = [["类型", "号码", "名称", "权利人", "到期日", "状态", "已质押", "评估值"]]
    ip_rows += [[r.type, r.number or "", r.title or "", r.owner or "", r.expires or "", r.status or "", r.pledged or "", r.valuation or ""] for r in app.ip_list]
    if len(ip_rows) == 1:
        ip_rows.append(["（待补充）", "", "", "", "", "", "", ""])
    story.append(table(ip_rows, [16 * mm, 36 * mm, 30 * mm, 22 * mm, 18 * mm, 12 * mm, 12 * mm, 20 * mm]))
    if app.issues:
        story.append(Paragraph("六、校验提示", head))
        for issue in app.issues:
            story.append(Paragraph(("【需修正】" if issue.level == "error" else "【待补充】") + issue.message, body))
    story += [Spacer(1, 10), Paragraph("带 * 为必填项。本表由智能助手根据企业提供的信息预填，请核对无误后签字盖章提交。示例表单，仅供演示。", small)]
    SimpleDocTemplate(str(path), pagesize=A4, leftMargin=18 * mm, rightMargin=18 * mm, topMargin=16 * mm, bottomMargin=16 * mm,
                      title=TITLE, author="秦创原科技金融综合服务中心（示例）").build(story)


def render_docx(app: Application, path: Path) -> None:
    import docx
    from docx.oxml.ns import qn
    from docx.shared import Pt

    document = docx.Document()
    for name in ("Normal", "Heading 1", "Heading 2", "Table Grid"):
        style = document.styles[name]
        style.font.name = "SimSun"
        rpr = style.element.get_or_add_rPr()
        rpr.get_or_add_rFonts().set(qn("w:eastAsia"), "宋体")  # or Word falls back for Chinese glyphs
    document.styles["Normal"].font.size = Pt(10.5)
    document.add_heading(TITLE, level=1)
    document.add_paragraph(f"申请产品：{app.institution}「{app.product_name}」　生成时间：{app.created}")
    for section in app.sections:
        document.add_heading(section.title, level=2)
        table = document.add_table(rows=1, cols=3)
        table.style = "Table Grid"
        for cell, text in zip(table.rows[0].cells, ("项目", "内容", "来源"), strict=True):
            cell.text = text
        for f in section.fields:
            row = table.add_row().cells
            row[0].text, row[1].text, row[2].text = f.label + ("*" if f.required else ""), f.display or "（待补充）", MARK[f.source]
    document.add_heading("五、拟质押知识产权清单", level=2)
    table = document.add_table(rows=1, cols=6)
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, ("类型", "号码", "名称", "到期日", "已质押", "评估值"), strict=True):
        cell.text = text
    for r in app.ip_list:
        row = table.add_row().cells
        for cell, text in zip(row, (r.type, r.number or "", r.title or "", r.expires or "", r.pledged or "", r.valuation or ""), strict=True):
            cell.text = text
    if app.issues:
        document.add_heading("六、校验提示", level=2)
        for issue in app.issues:
            document.add_paragraph(("【需修正】" if issue.level == "error" else "【待补充】") + issue.message)
    document.add_paragraph("带 * 为必填项。本表由智能助手根据企业提供的信息预填，请核对无误后签字盖章提交。示例表单，仅供演示。")
    document.save(str(path))


def write(app: Application, path: Path) -> None:
    suffix = path.suffix.lower()
    if suffix == ".pdf":
        render_pdf(app, path)
    elif suffix == ".docx":
        render_docx(app, path)
    elif suffix == ".json":
        path.write_text(render_json(app) + "\n", encoding="utf-8")
    else:
        from assistant.errors import AssistantError

        raise AssistantError(f"不支持的输出格式“{suffix}”（支持 .pdf、.docx、.json）")
