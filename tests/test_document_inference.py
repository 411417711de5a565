"""Documents as they arrive, without a sidecar: title, 文号, issuer, dates and region read from the text in every
format (PDF with a gazette running header, DOCX, Markdown, GB18030 text with CRLF); a sidecar still overrides; a
later version of a document supersedes the earlier one; a place is in scope once a document governing it is indexed.
The documents are written here, for these tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.answer.pipeline import ask
from assistant.index.builder import build_index
from assistant.index.ingest import ingest_files, remove_document
from assistant.index.manifest import Manifest
from assistant.index.snapshot import clear_cache
from assistant.index.versions import current_version
from assistant.ingest.loaders import load_document

OPENING = [
    "河州省中小企业知识产权质押融资促进条例",
    "2023年11月24日 河州省第十四届人民代表大会常务委员会第六次会议通过",
]
BODY = [
    "第一章 总则",
    "第一条 为了促进本省中小企业以知识产权质押融资，制定本条例。",
    "第二条 本条例适用于本省行政区域内的知识产权质押融资活动。",
    "第三条 省人民政府设立质押融资风险补偿资金，对合作银行的不良贷款本金损失给予百分之四十的补偿。",
    "第四条 本条例自2024年3月1日起施行。",
]


def _pdf(path: Path, lines: list[str], header: str) -> None:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    style = ParagraphStyle("b", fontName="STSong-Light", fontSize=11, leading=18, wordWrap="CJK")

    def decorate(canvas, doc) -> None:  # a gazette's running header and a page number on every page
        canvas.saveState()
        canvas.setFont("STSong-Light", 9)
        canvas.drawCentredString(A4[0] / 2, A4[1] - 12 * mm, header)
        canvas.drawCentredString(A4[0] / 2, 10 * mm, f"— {doc.page} —")
        canvas.restoreState()

    story = [Paragraph(line, style) for line in lines[:4]] + [PageBreak()] + [Paragraph(line, style) for line in lines[4:]]
    SimpleDocTemplate(str(path), pagesize=A4).build(story, onFirstPage=decorate, onLaterPages=decorate)


def _docx(path: Path, lines: list[str]) -> None:
    import docx

    d = docx.Document()
    d.add_heading(lines[0], level=1)
    for line in lines[1:]:
        if line.startswith("第一章"):
            d.add_heading(line, level=2)
        else:
            d.add_paragraph(line)
    d.save(str(path))


@pytest.mark.parametrize("fmt", ["pdf", "docx", "md", "txt"])
def test_metadata_is_read_from_the_text_in_every_format(tmp_path, fmt):
    path = tmp_path / f"hezhou-ip-finance.{fmt}"
    lines = OPENING + BODY
    if fmt == "pdf":
        _pdf(path, lines, "河州省人民代表大会常务委员会公报")
    elif fmt == "docx":
        _docx(path, lines)
    elif fmt == "md":
        path.write_text("# " + "\n\n".join(lines), encoding="utf-8")
    else:  # GB18030 with Windows line ends, as exported from older office software
        path.write_bytes("\r\n".join(lines).encode("gb18030"))
    meta = load_document(path).meta
    assert meta.title == "河州省中小企业知识产权质押融资促进条例"  # not the chapter heading, not the adopting session
    assert meta.issuer == "河州省人民代表大会常务委员会"
    assert str(meta.published) == "2023-11-24" and str(meta.effective) == "2024-03-01"
    assert meta.region is None and meta.level == "其他"  # 河州省 is no place in China: nothing is guessed
    assert "标题：河州省中小企业知识产权质押融资促进条例" in meta.inferred


def test_a_real_place_a_doc_number_and_a_national_rule(tmp_path):
    local = tmp_path / "notice.txt"
    local.write_text("宝鸡市知识产权质押融资贴息实施细则宝市知发〔2024〕3号\n第一条 为支持本市企业融资，制定本细则。\n第二条 本细则自2024年6月1日起施行。",
                     encoding="utf-8")
    meta = load_document(local).meta
    assert (meta.title, meta.doc_number, meta.region, meta.level) == ("宝鸡市知识产权质押融资贴息实施细则", "宝市知发〔2024〕3号", "宝鸡市", "陕西省")
    national = tmp_path / "law.md"
    national.write_text("# 中华人民共和国示范促进法\n\n2019年4月2日 第十三届全国人民代表大会常务委员会第十次会议通过\n\n## 第一章 总则\n\n第一条 为了示范，制定本法。",
                        encoding="utf-8")
    meta = load_document(national).meta
    assert (meta.region, meta.level, meta.issuer) == ("全国", "国家", "全国人民代表大会常务委员会")


def test_a_sidecar_still_overrides_what_the_text_says(tmp_path):
    path = tmp_path / "rule.txt"
    path.write_text("\n".join(OPENING + BODY), encoding="utf-8")
    (tmp_path / "rule.txt.meta.yaml").write_text("doc_id: hz-rule\ntitle: 河州条例（简称）\nlevel: 陕西省\n", encoding="utf-8")
    meta = load_document(path).meta
    assert (meta.title, meta.level, meta.region) == ("河州条例（简称）", "陕西省", "陕西省")
    assert str(meta.effective) == "2024-03-01"  # what the sidecar leaves unsaid is still read from the text
    assert not any(n.startswith("标题") for n in meta.inferred)


def _version(title: str, published: str, effective: str, figure: str) -> str:
    return "\n".join([
        title, f"{published} 示范省人民政府令第{published[:4]}号公布",
        "第一条 为了规范中小企业账款支付，制定本规定。",
        f"第二条 大型企业应当自收到货物之日起{figure}内向中小企业付款。",
        f"第三条 本规定自{effective}起施行。",
    ])


def _manifest(settings) -> Manifest:
    return Manifest.load(settings.index_root / current_version(settings.index_root))


def test_a_later_version_supersedes_the_earlier_and_removing_it_restores_the_earlier(tmp_path, small_settings):
    build_index(small_settings)
    old, new = tmp_path / "pay-old.txt", tmp_path / "pay-new.txt"
    old.write_text(_version("陕西省中小企业账款支付规定", "2019年3月1日", "2019年5月1日", "九十日"), encoding="utf-8")
    new.write_text(_version("陕西省中小企业账款支付规定", "2024年8月1日", "2024年10月1日", "六十日"), encoding="utf-8")
    report = ingest_files(small_settings, [old, new])
    assert not report.errors
    docs = _manifest(small_settings).docs
    assert docs["pay-old"].status == "已被替代" and docs["pay-old"].superseded_by == "pay-new"
    assert docs["pay-new"].status == "现行有效"
    clear_cache()
    answer = ask("陕西大型企业收到货以后多少天内要给中小企业付款？", small_settings)
    assert "六十日" in answer.answer and "九十日" not in answer.answer
    remove_document(small_settings, "pay-new")
    assert _manifest(small_settings).docs["pay-old"].status == "现行有效"


def test_a_place_is_in_scope_once_a_document_governing_it_is_indexed(tmp_path, small_settings):
    build_index(small_settings)
    question = "杭州这边专利质押贷款的风险补偿比例是多少？"
    clear_cache()
    before = ask(question, small_settings)
    assert before.refused and before.decline_reason == "out_of_scope:杭州"
    rule = tmp_path / "hangzhou.md"
    rule.write_text("# 杭州市知识产权质押融资风险补偿办法\n\n2024年2月1日 杭州市人民政府办公厅印发\n\n## 第一章 总则\n\n"
                    "第一条 为支持本市科技型企业开展知识产权质押融资，制定本办法。\n\n"
                    "第二条 对合作银行发放的知识产权质押贷款发生的本金损失，风险补偿资金按损失额的百分之三十五给予补偿。\n\n"
                    "第三条 本办法自2024年3月1日起施行。", encoding="utf-8")
    assert not ingest_files(small_settings, [rule]).errors
    assert _manifest(small_settings).docs["hangzhou"].region == "杭州市"
    clear_cache()
    after = ask(question, small_settings)
    assert not after.refused and "百分之三十五" in after.answer
    assert any(c.doc_id == "hangzhou" for c in after.citations)
    # a place the new document does not govern is still out of scope
    assert ask("苏州这边专利质押贷款的风险补偿比例是多少？", small_settings).decline_reason == "out_of_scope:苏州"


def test_a_question_naming_a_place_prefers_its_documents(tmp_path, small_settings):
    build_index(small_settings)
    for name, city, share in (("xa", "宝鸡", "百分之二十"), ("hz", "杭州", "百分之五十")):
        (tmp_path / f"{name}.md").write_text(
            f"# {city}市科技型企业贷款贴息办法\n\n2024年1月5日 {city}市科学技术局印发\n\n## 第一章 总则\n\n"
            f"第一条 对科技型企业的银行贷款，按实际支付利息的{share}给予贴息。\n\n第二条 本办法自2024年2月1日起施行。",
            encoding="utf-8")
    assert not ingest_files(small_settings, [tmp_path / "xa.md", tmp_path / "hz.md"]).errors
    clear_cache()
    for city, share in (("宝鸡", "百分之二十"), ("杭州", "百分之五十")):
        answer = ask(f"{city}的科技型企业贷款贴息按利息的多少给？", small_settings)
        assert not answer.refused and answer.citations[0].title.startswith(city), (city, answer.answer)
        assert share in answer.answer


def test_the_same_pdf_bytes_are_parsed_once(tmp_path, monkeypatch):
    """An upload is read for its preview, its check and the index build (from the library copy): one parse."""
    import shutil
    from collections import OrderedDict

    from assistant.ingest import loaders

    calls = []
    real = loaders._load_pdf
    monkeypatch.setattr(loaders, "_PARSED", OrderedDict())  # earlier tests parsed the sample PDFs
    monkeypatch.setattr(loaders, "_load_pdf", lambda p, data, ocr: calls.append(p) or real(p, data, ocr))
    source = Path(__file__).resolve().parents[1] / "corpus" / "policies" / "nat-patent-pledge-2021.pdf"
    upload = tmp_path / "upload.pdf"
    copy = tmp_path / "library" / "nat-patent-pledge-2021.pdf"
    copy.parent.mkdir()
    shutil.copy2(source, upload)
    shutil.copy2(source, copy)
    first, second = load_document(upload), load_document(copy)
    assert len(calls) == 1 and first.paragraphs == second.paragraphs and first.paragraphs
    upload.write_bytes(upload.read_bytes() + b"\n%changed\n")  # other bytes: parsed again
    load_document(upload)
    assert len(calls) == 2
