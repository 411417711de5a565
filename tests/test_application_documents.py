"""The application as PDF and DOCX: the same A4 page and margins, the same IP list columns, and times written the
Chinese way in Beijing time (read back with pypdf and python-docx)."""

from __future__ import annotations

import time
from pathlib import Path

import docx
import pytest
from pypdf import PdfReader

from assistant.applications.form import prefill
from assistant.applications.render import write
from tests.test_prefill import FIRM, TODAY, _product, _profile

IP_HEADER = ["类型", "号码", "名称", "权利人", "到期日", "状态", "已质押", "评估值"]
PT_PER_MM = 72 / 25.4


def _app(created: str = "2026-12-03T07:09:14+00:00"):
    return prefill(_profile(), _product(), None, TODAY).model_copy(update={"created": created})


def _pdf_text(path: Path) -> str:
    return "".join(p.extract_text() for p in PdfReader(path).pages).replace("\n", "")


def _docx_text(path: Path) -> str:
    d = docx.Document(str(path))
    return "\n".join([p.text for p in d.paragraphs] + [c.text for t in d.tables for row in t.rows for c in row.cells])


def test_docx_is_a4_with_the_margins_of_the_pdf(tmp_path):
    app = _app()
    write(app, tmp_path / "a.pdf")
    write(app, tmp_path / "a.docx")
    box = PdfReader(tmp_path / "a.pdf").pages[0].mediabox
    assert round(float(box.width) / PT_PER_MM) == 210 and round(float(box.height) / PT_PER_MM) == 297
    sections = docx.Document(str(tmp_path / "a.docx")).sections
    assert sections
    for s in sections:
        assert round(s.page_width.mm) == 210 and round(s.page_height.mm) == 297
        assert (round(s.left_margin.mm), round(s.right_margin.mm), round(s.top_margin.mm), round(s.bottom_margin.mm)) == (18, 18, 16, 16)


def test_docx_ip_list_has_the_eight_columns_of_the_pdf(tmp_path):
    app = _app()
    write(app, tmp_path / "a.pdf")
    write(app, tmp_path / "a.docx")
    d = docx.Document(str(tmp_path / "a.docx"))
    ip_table = next(t for t in d.tables if t.rows[0].cells[0].text == "类型")
    assert [c.text for c in ip_table.rows[0].cells] == IP_HEADER
    row = [c.text for c in ip_table.rows[1].cells]
    assert row[:4] == ["发明专利", "ZL201910380558.X", "一种工业数据采集方法", FIRM] and row[5] == "有效"
    assert "".join(IP_HEADER) in _pdf_text(tmp_path / "a.pdf")


def test_empty_ip_list_still_has_a_row_to_fill_in_both(tmp_path):
    app = _app().model_copy(update={"ip_list": []})
    write(app, tmp_path / "a.pdf")
    write(app, tmp_path / "a.docx")
    d = docx.Document(str(tmp_path / "a.docx"))
    ip_table = next(t for t in d.tables if t.rows[0].cells[0].text == "类型")
    assert len(ip_table.rows) == 2 and ip_table.rows[1].cells[0].text == "（待补充）"
    assert "（待补充）" in _pdf_text(tmp_path / "a.pdf")


def test_generation_time_and_expiry_are_written_the_chinese_way(tmp_path):
    app = _app("2026-12-03T07:09:14+00:00")
    write(app, tmp_path / "a.pdf")
    write(app, tmp_path / "a.docx")
    for text in (_pdf_text(tmp_path / "a.pdf"), _docx_text(tmp_path / "a.docx")):
        assert "生成时间：2026年12月3日 15:09" in text
        assert "2026-12-03" not in text and "07:09:14" not in text
        assert "2039年5月10日" in text and "2039-05-10" not in text  # the patent's 到期日


@pytest.fixture()
def utc_machine(monkeypatch):
    """The process's local zone is UTC, as on most servers and containers."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def test_a_naive_creation_time_is_the_machines_local_time_shown_in_beijing_time(tmp_path, utc_machine):
    """The form stamps ``datetime.now()`` without a zone: on a UTC server 07:09 is 15:09 in Beijing."""
    app = _app("2026-12-03T07:09:14")
    write(app, tmp_path / "a.pdf")
    write(app, tmp_path / "a.docx")
    assert "生成时间：2026年12月3日 15:09" in _pdf_text(tmp_path / "a.pdf")
    assert "生成时间：2026年12月3日 15:09" in _docx_text(tmp_path / "a.docx")
