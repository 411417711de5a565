"""Bad files get a Chinese error naming the file; the rest of the batch goes in; the index stays intact."""

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter

from assistant.errors import IngestError
from assistant.index.builder import build_index
from assistant.index.ingest import ingest_files
from assistant.index.snapshot import get_snapshot
from assistant.ingest.loaders import load_document

CORPUS = Path(__file__).resolve().parents[1] / "corpus"
SAMPLE_PDF = CORPUS / "policies" / "nat-patent-pledge-2021.pdf"


def _bad_files(tmp: Path) -> dict[str, Path]:
    data = SAMPLE_PDF.read_bytes()
    files = {}
    files["truncated"] = tmp / "truncated.pdf"
    files["truncated"].write_bytes(data[: len(data) // 3])
    writer = PdfWriter(clone_from=PdfReader(SAMPLE_PDF))
    writer.encrypt(user_password="secret", owner_password="owner", algorithm="AES-128")
    buf = io.BytesIO()
    writer.write(buf)
    files["encrypted"] = tmp / "encrypted.pdf"
    files["encrypted"].write_bytes(buf.getvalue())
    empty = PdfWriter()
    buf = io.BytesIO()
    empty.write(buf)
    files["pageless"] = tmp / "pageless.pdf"
    files["pageless"].write_bytes(buf.getvalue())
    files["random_docx"] = tmp / "random.docx"
    files["random_docx"].write_bytes(os.urandom(4096))
    files["zero"] = tmp / "zero.txt"
    files["zero"].write_bytes(b"")
    files["unsupported"] = tmp / "table.xls"
    files["unsupported"].write_bytes(b"not really excel")
    return files


EXPECTED = {
    "truncated": "已损坏",
    "encrypted": "已加密",
    "pageless": "没有任何页面",
    "random_docx": "DOCX",
    "zero": "文件为空",
    "unsupported": "不支持的文件类型",
}


@pytest.mark.parametrize("kind", sorted(EXPECTED))
def test_each_bad_file_raises_a_chinese_error_naming_it(tmp_path, kind):
    path = _bad_files(tmp_path)[kind]
    with pytest.raises(IngestError) as err:
        load_document(path)
    assert path.name in err.value.message
    assert EXPECTED[kind] in err.value.message


def test_batch_ingest_keeps_good_files_and_leaves_index_unchanged_for_bad(small_settings, tmp_path):
    build_index(small_settings)
    before = get_snapshot(small_settings)
    good = tmp_path / "new-policy.md"
    good.write_text(
        "---\ndoc_id: xx-test-upload\ntitle: 测试上传办法\nlevel: 西咸新区\n---\n第一条 上传测试的企业可以获得测试补助8888元。\n",
        encoding="utf-8",
    )
    bad = list(_bad_files(tmp_path).values())
    report = ingest_files(small_settings, [bad[0], good, *bad[1:]])
    assert len(report.errors) == len(bad)
    after = get_snapshot(small_settings)
    assert after.version != before.version
    assert set(after.manifest.docs) == set(before.manifest.docs) | {"xx-test-upload"}
    # the managed copy exists so a full rebuild keeps the upload
    assert (small_settings.library_dir / "xx-test-upload" / "new-policy.md").exists()


def test_cli_ingest_exits_non_zero_with_chinese_errors_and_no_traceback(small_settings, tmp_path):
    build_index(small_settings)
    bad = _bad_files(tmp_path)
    env = {**os.environ, "ASSISTANT_DATA_DIR": str(small_settings.data_dir), "ASSISTANT_CORPUS_DIR": str(small_settings.corpus_dir)}
    proc = subprocess.run(
        [sys.executable, "-m", "assistant.cli", "ingest", str(bad["truncated"]), str(bad["zero"])],
        capture_output=True, text=True, env=env, timeout=120,
    )
    assert proc.returncode != 0
    assert "truncated.pdf" in proc.stderr and "zero.txt" in proc.stderr
    assert "Traceback" not in proc.stderr + proc.stdout
    docs = subprocess.run([sys.executable, "-m", "assistant.cli", "docs", "--json"], capture_output=True, text=True, env=env, timeout=120)
    assert len(json.loads(docs.stdout)["docs"]) == 3


def test_cli_corpus_changes_are_audited(small_settings, tmp_path):
    from sqlalchemy import select

    from assistant.storage.db import session_scope
    from assistant.storage.models import AuditLog

    build_index(small_settings)
    good = tmp_path / "新办法.md"
    good.write_text("# 新办法（示例）\n\n第一条 示例条款。\n", encoding="utf-8")
    env = {**os.environ, "ASSISTANT_DATA_DIR": str(small_settings.data_dir), "ASSISTANT_CORPUS_DIR": str(small_settings.corpus_dir)}
    for args in (["ingest", str(good)], ["remove", "xx-whitelist-2024"]):
        assert subprocess.run([sys.executable, "-m", "assistant.cli", *args], capture_output=True, text=True, env=env, timeout=120).returncode == 0
    with session_scope(small_settings) as session:
        rows = list(session.execute(select(AuditLog.actor, AuditLog.action, AuditLog.target)))
    assert [(a, t) for _, a, t in rows] == [("corpus.upload", None), ("corpus.remove", "xx-whitelist-2024")]
    assert all(actor.startswith("cli:") for actor, _, _ in rows)
