"""Scanned PDFs: pages without a text layer are read by Tesseract, recorded as OCR text, and answered from; without
OCR such a file is refused with what to install, never indexed as empty. The scans are rendered here from text
written for these tests, so what the page says is known."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter

from assistant.answer.pipeline import ask
from assistant.errors import IngestError
from assistant.evaluation.scans import ScanStyle, bench_ocr, render_scan
from assistant.index.builder import build_index
from assistant.index.snapshot import clear_cache
from assistant.ingest import loaders
from assistant.ingest.loaders import load_document
from assistant.ingest.ocr import OcrOptions, tidy
from tests.conftest import make_settings
from tests.system import ensure_ocr
from tests.test_api_admin import admin  # noqa: F401  (fixture)

TITLE = "西咸新区专利转化贴息试行办法（测试示例）"
PAGE_1 = f"""{TITLE}
第一条 为支持科技型中小企业以专利权质押方式融资，降低融资成本，制定本办法。
第二条 本办法适用于在西咸新区注册、纳税的科技型中小企业。
第三条 企业以专利权质押取得的一年期以内贷款，可以申请贴息。"""
PAGE_2 = """第四条 贴息按照企业实际支付利息的百分之四十计算，单户企业每年贴息最高不超过二十五万元。
第五条 企业应当在贷款结清后三个月内，向新区科技金融服务中心提交贴息申请。
第六条 本办法自2026年3月1日起施行，有效期三年。"""


@pytest.fixture(autouse=True)
def _fresh_parse_cache():
    loaders._PARSED.clear()  # each test reads its files as they are now
    yield
    loaders._PARSED.clear()


@pytest.fixture()
def ocr_opts(tmp_path: Path) -> OcrOptions:
    ensure_ocr()
    return OcrOptions(cache_dir=tmp_path / "ocr-cache")


def _text_page_pdf(lines: list[str], blank_after: bool = False, seal_page: bool = False) -> bytes:
    """A PDF with a real text layer (and optionally a blank page after it, or a signature page: the issuer and the
    date over a round red seal, an image a few centimetres across)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    c.setFont("STSong-Light", 12)
    for n, line in enumerate(lines):
        c.drawString(72, 760 - 20 * n, line)
    c.showPage()
    if blank_after:
        c.showPage()
    if seal_page:
        from PIL import Image, ImageDraw
        from reportlab.lib.utils import ImageReader

        seal = Image.new("RGB", (400, 400), "white")
        ImageDraw.Draw(seal).ellipse((10, 10, 390, 390), outline="red", width=18)
        c.setFont("STSong-Light", 12)
        c.drawImage(ImageReader(seal), 380, 600, width=120, height=120)
        c.drawString(400, 660, "西咸新区管委会")
        c.drawString(400, 640, "2026年3月1日")
        c.showPage()
    c.save()
    return buf.getvalue()


def _mixed_pdf(tmp_path: Path) -> Path:
    """Page 1 has a text layer; page 2 is a scan (an attachment printed, stamped and scanned back)."""
    scan = tmp_path / "scan-part.pdf"
    render_scan([PAGE_2], scan)
    writer = PdfWriter()
    writer.append(PdfReader(io.BytesIO(_text_page_pdf(PAGE_1.split("\n")))))
    writer.append(PdfReader(str(scan)))
    out = tmp_path / "mixed.pdf"
    with out.open("wb") as f:
        writer.write(f)
    return out


def test_tidy_joins_chinese_characters_and_restores_full_width_marks():
    assert tidy("第 四 条  贴 息 按 照 实 际 支 付 利 息 的 40% 计 算") == "第四条贴息按照实际支付利息的40%计算"
    assert tidy("申 请 材 料 包 括 : 〈一) 申 请 表 ; 〈二) 合 同") == "申请材料包括：（一）申请表；（二）合同"
    assert tidy("2026 年 3 月 1 日") == "2026年3月1日"
    assert tidy("see page 3 of 10") == "see page 3 of 10"  # Latin text keeps its spaces


def test_a_scanned_pdf_is_read_by_ocr_indexed_and_answered_with_its_page(tmp_path, ocr_opts):
    corpus = tmp_path / "corpus"
    (corpus / "policies").mkdir(parents=True)
    render_scan([PAGE_1, PAGE_2], corpus / "policies" / "xx-scan-2026.pdf")
    settings = make_settings(tmp_path / "data", corpus, ocr_cache_dir=ocr_opts.cache_dir)
    clear_cache()
    report = build_index(settings)
    assert not report.errors, [e.message for e in report.errors]

    from assistant.index.snapshot import get_snapshot

    snapshot = get_snapshot(settings)
    entry = next(iter(snapshot.manifest.docs.values()))
    assert entry.ocr_pages == [1, 2]
    assert entry.title == TITLE  # the title is read from the scan's own first line
    assert all(c["ocr"] for c in snapshot.chunks)

    answer = ask("用专利质押贷款的贴息每年最多能拿多少？", settings, use_llm=False)
    assert not answer.refused, answer.answer
    assert "二十五万元" in answer.answer or "25万元" in answer.answer
    cited = [c for c in answer.citations if "二十五万元" in c.text]
    assert cited and cited[0].page == 2 and cited[0].ocr and cited[0].article == "第四条"


def test_character_accuracy_on_rendered_pages(tmp_path, ocr_opts):
    result = bench_ocr([PAGE_1, PAGE_2], tmp_path, {"clean": ScanStyle()}, ocr_opts)["clean"]
    assert result["char_accuracy_min"] >= 0.95, result
    assert result["pages"] == 2 and result["pages_per_second"] > 0


def test_only_the_scanned_page_of_a_mixed_pdf_goes_through_ocr(tmp_path, ocr_opts):
    doc = load_document(_mixed_pdf(tmp_path), ocr_opts)
    assert doc.ocr_pages == [2]
    text = {page: t for page, t in doc.paragraphs}
    assert any("第四条" in t for p, t in doc.paragraphs if p == 2)
    assert any("第一条" in t for p, t in doc.paragraphs if p == 1), text


def test_recognised_pages_are_cached_and_not_read_again(tmp_path, ocr_opts):
    scan = tmp_path / "scan.pdf"
    render_scan([PAGE_2], scan)
    first = load_document(scan, ocr_opts)
    loaders._PARSED.clear()
    # Tesseract gone: the cached pages still serve, so a rebuild never needs the scan read twice
    again = load_document(scan, OcrOptions(command="tesseract-not-installed", cache_dir=ocr_opts.cache_dir))
    assert again.paragraphs == first.paragraphs and again.ocr_pages == [1]


@pytest.mark.parametrize(("opts", "expected"), [
    (OcrOptions(command="tesseract-not-installed", cache_dir=None), "未找到文字识别程序"),
    (OcrOptions(lang="chi_sim+xyz", cache_dir=None), "缺少语言数据 xyz"),
    (OcrOptions(enabled=False, cache_dir=None), "文字识别（OCR）已关闭"),
])
def test_without_ocr_a_scan_is_refused_naming_what_to_install(tmp_path, opts, expected):
    scan = tmp_path / "notice.pdf"
    render_scan([PAGE_1], scan)
    with pytest.raises(IngestError) as err:
        load_document(scan, opts)
    message = err.value.message
    assert "《notice.pdf》" in message and "扫描件（没有文字层）" in message and expected in message
    if opts.enabled:
        assert "tesseract-ocr tesseract-ocr-chi-sim" in message


def test_without_ocr_a_mixed_pdf_is_refused_rather_than_indexed_with_a_page_missing(tmp_path):
    with pytest.raises(IngestError) as err:
        load_document(_mixed_pdf(tmp_path), OcrOptions(command="tesseract-not-installed", cache_dir=None))
    assert "有 1 页是扫描图像" in err.value.message


def test_a_text_pdf_with_a_blank_page_needs_no_ocr(tmp_path):
    path = tmp_path / "text.pdf"
    path.write_bytes(_text_page_pdf(PAGE_1.split("\n"), blank_after=True))
    doc = load_document(path, OcrOptions(command="tesseract-not-installed", cache_dir=None))
    assert doc.ocr_pages == [] and any("第一条" in t for _, t in doc.paragraphs)


def test_a_signature_page_with_a_seal_image_is_not_taken_for_a_scan(tmp_path):
    path = tmp_path / "signed.pdf"
    path.write_bytes(_text_page_pdf(PAGE_1.split("\n"), seal_page=True))
    doc = load_document(path, OcrOptions(command="tesseract-not-installed", cache_dir=None))
    assert doc.ocr_pages == [] and any("2026年3月1日" in t for p, t in doc.paragraphs if p == 2)


def test_a_build_without_ocr_reports_the_scan_and_indexes_the_rest(tmp_path):
    corpus = tmp_path / "corpus"
    (corpus / "policies").mkdir(parents=True)
    render_scan([PAGE_1], corpus / "policies" / "scan.pdf")
    (corpus / "policies" / "plain.md").write_text(f"# 西咸新区测试办法（示例）\n\n{PAGE_2}\n", encoding="utf-8")
    settings = make_settings(tmp_path / "data", corpus, ocr=False)
    clear_cache()
    report = build_index(settings)
    assert [e.path for e in report.errors] == ["scan.pdf"] and "已关闭" in report.errors[0].message
    from assistant.index.snapshot import get_snapshot

    assert [d.source for d in get_snapshot(settings).manifest.docs.values()] == ["plain.md"]


def test_upload_preview_shows_the_pages_read_by_ocr(admin, tmp_path, ocr_opts):  # noqa: F811
    admin.settings.ocr_cache_dir = ocr_opts.cache_dir
    scan = tmp_path / "贴息办法扫描件.pdf"
    render_scan([PAGE_1, PAGE_2], scan)
    r = admin.post("/admin/documents/preview", files={"file": (scan.name, scan.read_bytes(), "application/pdf")})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["ocr_pages"] == [1, 2] and body["meta"]["title"] == TITLE
    assert body["chunks"] and all(c["ocr"] for c in body["chunks"])


def test_upload_of_a_scan_without_ocr_is_refused_in_chinese(admin, tmp_path):  # noqa: F811
    admin.settings.ocr = False
    scan = tmp_path / "扫描件.pdf"
    render_scan([PAGE_1], scan)
    for route in ("/admin/documents/preview", "/admin/documents"):
        r = admin.post(route, files={"file": (scan.name, scan.read_bytes(), "application/pdf")})
        assert r.status_code == 400, r.text
        assert "扫描件（没有文字层）" in r.json()["detail"] and "OCR" in r.json()["detail"]
    docs = admin.get("/admin/documents").json()
    assert all(d["source"] != scan.name for d in docs)
