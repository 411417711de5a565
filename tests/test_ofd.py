"""OFD (GB/T 33190) documents ingest like PDFs: text by page in reading order, cited with the page; a damaged OFD or
one without text is refused in Chinese. The files are written here from known lines (tests/ofd_files.py)."""

from __future__ import annotations

import zipfile

import pytest

from assistant.answer.pipeline import ask
from assistant.errors import IngestError
from assistant.evaluation.scans import char_accuracy
from assistant.index.builder import build_index
from assistant.index.snapshot import clear_cache, get_snapshot
from assistant.ingest.loaders import load_document
from tests.conftest import make_settings
from tests.ofd_files import write_ofd
from tests.test_api_admin import admin  # noqa: F401  (fixture)

TITLE = "西咸新区知识产权质押融资风险补偿办法（OFD测试示例）"
PAGES = [
    [TITLE, "第一条 为分担合作银行知识产权质押贷款风险，设立风险补偿资金池，制定本办法。",
     "第二条 本办法适用于合作银行向新区科技型中小企业发放的知识产权质押贷款。"],
    ["第三条 贷款发生实际损失的，资金池按本金损失的百分之六十给予补偿。",
     "第四条 单笔贷款补偿金额最高不超过二百万元。",
     "第五条 本办法自2026年6月1日起施行。"],
]


@pytest.mark.parametrize("layout", [{}, {"shuffle": True}, {"per_char": True}])
def test_ofd_text_is_read_page_by_page_in_reading_order(tmp_path, layout):
    doc = load_document(write_ofd(PAGES, tmp_path / "办法.ofd", **layout))
    assert doc.fmt == "ofd" and doc.meta.title == TITLE
    for page, lines in enumerate(PAGES, start=1):
        read = "".join(t for p, t in doc.paragraphs if p == page)
        assert char_accuracy("".join(lines), read) == 1.0, (layout, read)


def test_an_ofd_is_indexed_and_answered_with_its_page(tmp_path):
    corpus = tmp_path / "corpus"
    (corpus / "policies").mkdir(parents=True)
    write_ofd(PAGES, corpus / "policies" / "xx-risk-pool-2026.ofd", shuffle=True)
    settings = make_settings(tmp_path / "data", corpus)
    clear_cache()
    report = build_index(settings)
    assert not report.errors, [e.message for e in report.errors]
    assert [d.source for d in get_snapshot(settings).manifest.docs.values()] == ["xx-risk-pool-2026.ofd"]
    answer = ask("知识产权质押贷款出了损失，风险补偿单笔最多补多少？", settings, use_llm=False)
    assert not answer.refused, answer.answer
    assert "二百万元" in answer.answer
    cited = next(c for c in answer.citations if "二百万元" in c.text)
    assert cited.page == 2 and cited.article == "第四条" and cited.source == "xx-risk-pool-2026.ofd" and not cited.ocr


def test_a_damaged_ofd_is_refused_in_chinese(tmp_path):
    broken = tmp_path / "损坏.ofd"
    broken.write_bytes(b"PK\x03\x04 not really a zip")
    no_root = tmp_path / "缺文件.ofd"
    with zipfile.ZipFile(no_root, "w") as z:
        z.writestr("Doc_0/Document.xml", "<x/>")
    for path in (broken, no_root):
        with pytest.raises(IngestError) as err:
            load_document(path)
        assert err.value.message == f"文件《{path.name}》无法导入：不是有效的 OFD 文件，或文件已损坏"


def test_an_ofd_without_text_is_refused_rather_than_indexed_empty(tmp_path):
    path = write_ofd([[" "]], tmp_path / "扫描.ofd")
    with pytest.raises(IngestError) as err:
        load_document(path)
    assert "OFD 中没有可提取的文字" in err.value.message and "扫描" in err.value.message


def test_upload_preview_of_an_ofd_and_refusal_of_a_fake(admin, tmp_path):  # noqa: F811
    path = write_ofd(PAGES, tmp_path / "风险补偿办法.ofd")
    r = admin.post("/admin/documents/preview", files={"file": (path.name, path.read_bytes(), "application/ofd")})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["pages"] == 2 and body["meta"]["title"] == TITLE and any(c["page"] == 2 for c in body["chunks"])
    r = admin.post("/admin/documents/preview", files={"file": ("假的.ofd", b"%PDF-1.4 not an ofd", "application/ofd")})
    assert r.status_code == 400 and ".ofd" in r.json()["detail"]
