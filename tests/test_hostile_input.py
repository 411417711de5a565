"""Hostile files are refused quickly with a Chinese reason and never reach the index: DOCX zip bombs, PDFs with
absurd page counts or deeply nested objects, and fuzzed bytes of every supported type."""

from __future__ import annotations

import io
import time
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assistant.errors import IngestError
from assistant.ingest.loaders import load_document


def _zip_bomb(path: Path, size: int = 300_000_000) -> None:
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        with zf.open("word/document.xml", "w", force_zip64=True) as fh:
            chunk = b"0" * (1 << 20)
            for _ in range(size // len(chunk)):
                fh.write(chunk)


def test_docx_zip_bomb_is_refused_before_inflating(tmp_path):
    bomb = tmp_path / "炸弹.docx"
    _zip_bomb(bomb)
    assert bomb.stat().st_size < 2_000_000
    t = time.perf_counter()
    with pytest.raises(IngestError, match="压缩炸弹"):
        load_document(bomb)
    assert time.perf_counter() - t < 2


def _pdf_with_pages(n: int) -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    for _ in range(n):
        writer.add_blank_page(width=100, height=100)
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


def test_pdf_with_a_huge_page_count_is_refused(tmp_path):
    path = tmp_path / "超长.pdf"
    path.write_bytes(_pdf_with_pages(2001))
    with pytest.raises(IngestError, match="页数过多"):
        load_document(path)


def test_deeply_nested_pdf_objects_do_not_crash(tmp_path):
    depth = 50_000
    nested = b"[" * depth + b"]" * depth
    body = (b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R /X " + nested + b" >> endobj\n"
            b"2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")
    path = tmp_path / "嵌套.pdf"
    path.write_bytes(body)
    t = time.perf_counter()
    with pytest.raises(IngestError):
        load_document(path)
    assert time.perf_counter() - t < 10


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=4000), ext=st.sampled_from([".pdf", ".docx", ".md", ".txt"]), prefix=st.sampled_from([b"", b"%PDF-1.7\n", b"PK\x03\x04", b"---\ntitle: x\n---\n"]))
def test_fuzzed_files_load_or_fail_with_a_chinese_reason(tmp_path, data, ext, prefix):
    path = tmp_path / f"fuzz{ext}"
    path.write_bytes(prefix + data)
    try:
        doc = load_document(path)
    except IngestError as exc:
        assert exc.path == path.name and exc.reason
    else:
        assert doc.paragraphs


_json = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=30),
                     lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=6), max_leaves=20)
_PROFILE_KEYS = ["name", "uscc", "region", "founded", "industry", "employees", "revenue", "debt_ratio", "qualifications", "whitelist",
                 "credit_ok", "ip_assets", "ip_counts", "need"]


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.sampled_from(_PROFILE_KEYS) | st.text(max_size=8), _json, max_size=10))
def test_profile_parser_accepts_or_explains_any_json(data):
    from pydantic import ValidationError

    from assistant.profile.model import Profile, chinese_errors

    try:
        Profile.model_validate(data)
    except ValidationError as exc:
        messages = chinese_errors(exc)
        assert messages and all(isinstance(m, str) and m for m in messages)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("零一二三四五六七八九十百千万亿两半成%.,，。0123456789年月个人件元贷款营收负债率专利软著发明期限征信白名单西咸沣东高新区不是没有吗呢？ ")), max_size=80)
    | st.text(max_size=60))
def test_slot_extractor_and_intent_router_never_crash(text):
    from assistant.dialogue.intents import classify
    from assistant.dialogue.slots import extract

    slots = extract(text)
    assert isinstance(slots, dict)
    assert classify(text, slots, names_product=False, has_recommendations=True) in {
        "policy_question", "product_question", "matching", "application", "small_talk", "out_of_scope"}
