"""Read PDF, OFD, DOCX, Markdown and TXT files into paragraphs tagged with page numbers, plus metadata.

OFD (GB/T 33190, the national format for electronic official documents) is read with ``ofdkit``: of the PyPI readers
tried on generated files (easyofd, ofd2img, ofdparser, ofdreader, docvortex), it alone was exact on every layout
(shuffled objects, two columns, templates, one object per character, absolute paths, default namespace) with no
dependencies; docvortex was as exact but brings about 300 MB. It is young (0.2): the tests carry our own OFD files."""

from __future__ import annotations

import hashlib
import io
import re
import time
import zipfile
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from assistant.errors import IngestError
from assistant.ingest.clean import clean_pdf_pages, join_lines
from assistant.ingest.metadata import DocMeta, build_meta, load_sidecar, sidecar_path, split_front_matter
from assistant.ingest.ocr import OcrOptions, OcrUnavailable, recognise, scanned_pages

SUPPORTED = {".pdf", ".ofd", ".docx", ".md", ".markdown", ".txt"}
MAX_PDF_PAGES = 2000


@dataclass
class LoadedDoc:
    meta: DocMeta
    paragraphs: list[tuple[int | None, str]]  # (page or None, text)
    source: str  # file name as cited
    fmt: str
    content_hash: str
    ocr_pages: list[int] = field(default_factory=list)  # 1-based pages whose text came from OCR


Paragraphs = list[tuple[int | None, str]]


def file_hash(path: Path) -> str:
    h = hashlib.sha256(path.read_bytes())
    side = sidecar_path(path)
    if side.exists():
        h.update(side.read_bytes())
    return h.hexdigest()


def _decode(data: bytes, path: Path) -> str:
    for enc in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(enc)
        except UnicodeDecodeError:
            continue
    raise IngestError(path.name, "无法识别文本编码（请另存为 UTF-8）")


def _text_paragraphs(body: str) -> list[tuple[int | None, str]]:
    return [(None, t) for _, t in join_lines([(None, line) for line in body.split("\n")])]


def _first_heading(paragraphs: list[tuple[int | None, str]]) -> str | None:
    """A fallback title when the opening lines give none: the first short line that is not a chapter heading."""
    for _, text in paragraphs[:5]:
        t = text.lstrip("#").strip()
        if t and len(t) <= 60 and not t.startswith("（") and not re.match(r"第[一二三四五六七八九十\d]+[章节条编]|总\s*则", t):
            return t
    return None


def _load_pdf(path: Path, data: bytes, ocr: OcrOptions) -> tuple[Paragraphs, list[int]]:
    from pypdf import PdfReader
    from pypdf.errors import FileNotDecryptedError, PyPdfError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise IngestError(path.name, "PDF 已加密，请提供未加密的文件")
        n = len(reader.pages)
    except FileNotDecryptedError as exc:
        raise IngestError(path.name, "PDF 已加密，请提供未加密的文件") from exc
    except IngestError:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, OSError, RecursionError) as exc:
        raise IngestError(path.name, "PDF 文件已损坏或不完整，无法解析") from exc
    if n == 0:
        raise IngestError(path.name, "PDF 没有任何页面")
    if n > MAX_PDF_PAGES:
        raise IngestError(path.name, f"PDF 页数过多（{n} 页，上限 {MAX_PDF_PAGES} 页）")
    texts = []
    started = time.monotonic()
    for i in range(n):
        if time.monotonic() - started > PDF_SECONDS:
            raise IngestError(path.name, f"PDF 文字提取超时（{PDF_SECONDS:.0f} 秒内只处理了 {i} 页），文件可能构造异常")
        try:
            texts.append(reader.pages[i].extract_text() or "")
        except Exception:  # a single broken page (or a pathological one) must not sink the document
            texts.append("")
    # next to no text layer (a stamped page number is a few characters): a scan if an image covers the page
    candidates = [i for i, t in enumerate(texts) if len("".join(t.split())) < SCANNED_CHARS]
    scanned = scanned_pages(data, candidates) if candidates else []
    if scanned:
        what = "PDF 是扫描件（没有文字层）" if len(scanned) == n else f"PDF 有 {len(scanned)} 页是扫描图像（没有文字层）"
        if len(scanned) > ocr.max_pages:
            raise IngestError(path.name, f"{what}，超过文字识别的页数上限（{ocr.max_pages} 页），请拆分后上传")
        try:
            found = recognise(data, scanned, ocr)
        except OcrUnavailable as exc:
            raise IngestError(path.name, f"{what}，需要文字识别（OCR）后才能入库：{exc}") from exc
        for i, text in found.items():
            texts[i] = text
    if not any(t.strip() for t in texts):
        raise IngestError(path.name, "PDF 中没有可提取的文字（扫描图像中也未识别出文字）" if scanned else "PDF 中没有可提取的文字")
    return list(clean_pdf_pages(texts)), [i + 1 for i in scanned if texts[i].strip()]


def _page_text(page: Any) -> str:
    try:
        return str(page.text())
    except Exception:  # one broken page must not sink the document, as in a PDF
        return ""


def _load_ofd(path: Path) -> Paragraphs:
    import ofdkit

    _check_zip(path, "OFD")
    try:
        with ofdkit.open(str(path)) as document:
            n = len(document.pages)
            if n == 0:
                raise IngestError(path.name, "OFD 没有任何页面")
            if n > MAX_PDF_PAGES:
                raise IngestError(path.name, f"OFD 页数过多（{n} 页，上限 {MAX_PDF_PAGES} 页）")
            texts = [_page_text(page) for page in document.pages]
    except ofdkit.OFDLimitError as exc:
        raise IngestError(path.name, "OFD 解压后体积或条目数异常（疑似压缩炸弹），已拒绝") from exc
    except (ofdkit.OFDError, OSError, ValueError, KeyError) as exc:
        raise IngestError(path.name, "不是有效的 OFD 文件，或文件已损坏") from exc
    if not any(t.strip() for t in texts):
        raise IngestError(path.name, "OFD 中没有可提取的文字（可能是扫描图像）：请提供带文字的 OFD，或导出为 PDF 后上传（扫描 PDF 可自动识别文字）")
    return list(clean_pdf_pages(texts))  # running headers, page numbers and line joins as in a PDF


MAX_DOCX_UNPACKED = 200_000_000  # bytes once unzipped: a real policy document is a few MB
MAX_DOCX_RATIO = 200  # a zip bomb compresses thousands to one; Word XML rarely beats 20
MAX_DOCX_ENTRIES = 5000
PDF_SECONDS = 120.0  # text extraction budget per document
SCANNED_CHARS = 16


_NOT_ZIP = {"DOCX": "不是有效的 Word（DOCX）文件，或文件已损坏", "OFD": "不是有效的 OFD 文件，或文件已损坏"}


def _check_zip(path: Path, kind: str = "DOCX") -> None:
    """Refuse zip bombs before python-docx or ofdkit inflates anything."""
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise IngestError(path.name, _NOT_ZIP[kind]) from exc
    unpacked = sum(i.file_size for i in infos)
    packed = max(1, sum(i.compress_size for i in infos))
    if len(infos) > MAX_DOCX_ENTRIES or unpacked > MAX_DOCX_UNPACKED or (unpacked > 10_000_000 and unpacked / packed > MAX_DOCX_RATIO):
        raise IngestError(path.name, f"{kind} 解压后体积异常（疑似压缩炸弹），已拒绝")


def _load_docx(path: Path) -> list[tuple[int | None, str]]:
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    _check_zip(path)
    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise IngestError(path.name, "不是有效的 Word（DOCX）文件，或文件已损坏") from exc
    lines: list[str] = []
    for para in document.paragraphs:
        text = para.text.strip()
        if not text:
            lines.append("")
            continue
        style = (para.style.name if para.style is not None else "") or ""
        if style.startswith("Heading") or style == "Title":
            level = int(style.split()[-1]) if style.split()[-1].isdigit() else 1
            lines += ["", "#" * level + " " + text, ""]
        else:
            lines += [text, ""]
    for table in document.tables:
        for row in table.rows:
            lines += [" | ".join(c.text.strip() for c in row.cells), ""]
    return _text_paragraphs("\n".join(lines))


_PARSED: OrderedDict[tuple[str, str], tuple[Paragraphs, list[int]]] = OrderedDict()
PARSED_KEEP = 32  # an upload is parsed for its preview, its check and the index build: the same bytes, parsed once


def _parsed(path: Path, ext: str, ocr: OcrOptions) -> tuple[Paragraphs, list[int]]:
    """A PDF's, OFD's or DOCX's paragraphs (and the pages read by OCR), by the file's content (the library copy of an
    upload has the same bytes)."""
    data = path.read_bytes()
    key = (ext, hashlib.sha256(data).hexdigest())
    if key in _PARSED:
        _PARSED.move_to_end(key)
        paragraphs, ocr_pages = _PARSED[key]
        return list(paragraphs), list(ocr_pages)
    if ext == ".pdf":
        paragraphs, ocr_pages = _load_pdf(path, data, ocr)
    else:
        paragraphs, ocr_pages = (_load_ofd(path) if ext == ".ofd" else _load_docx(path)), []
    _PARSED[key] = (list(paragraphs), list(ocr_pages))
    while len(_PARSED) > PARSED_KEEP:
        _PARSED.popitem(last=False)
    return paragraphs, ocr_pages


def load_document(path: Path, ocr: OcrOptions | None = None) -> LoadedDoc:
    """Load one file; raise IngestError with a Chinese reason naming the file when it cannot be read.
    ``ocr``: how scanned PDF pages are read (default: from the environment's settings)."""
    ext = path.suffix.lower()
    if ext not in SUPPORTED:
        raise IngestError(path.name, f"不支持的文件类型“{ext or '无扩展名'}”（支持 PDF、OFD、DOCX、MD、TXT）")
    if not path.exists():
        raise IngestError(path.name, "文件不存在")
    if path.stat().st_size == 0:
        raise IngestError(path.name, "文件为空（0 字节）")
    try:
        found = load_sidecar(path)
    except (ValueError, OSError) as exc:
        raise IngestError(path.name, str(exc)) from exc
    except Exception as exc:  # yaml errors
        raise IngestError(path.name, f"元数据文件无法解析：{exc}") from exc

    ocr_pages: list[int] = []
    if ext in (".pdf", ".ofd", ".docx"):
        if ocr is None:  # read the environment now (not the process-wide cached settings a caller may not use)
            from assistant.settings import Settings

            ocr = OcrOptions.from_settings(Settings())
        paragraphs, ocr_pages = _parsed(path, ext, ocr)
    else:
        text = _decode(path.read_bytes(), path)
        try:
            front, body = split_front_matter(text)
        except Exception as exc:
            raise IngestError(path.name, f"文件头元数据无法解析：{exc}") from exc
        found = {**front, **found}
        paragraphs = _text_paragraphs(body)
    if not any(t.strip() for _, t in paragraphs):
        raise IngestError(path.name, "文件中没有可用的文字内容")
    try:
        meta = build_meta(path, found, [t for _, t in paragraphs], _first_heading(paragraphs))
    except ValueError as exc:
        raise IngestError(path.name, str(exc)) from exc
    return LoadedDoc(meta=meta, paragraphs=paragraphs, source=path.name, fmt=ext.lstrip("."), content_hash=file_hash(path),
                     ocr_pages=ocr_pages)
