"""Text for PDF pages that have none: scanned notices (红头文件) are images of stamped paper.

Pages are rendered with pdfium (pypdfium2) and read by Tesseract with its Simplified Chinese data (Debian:
``tesseract-ocr`` and ``tesseract-ocr-chi-sim``). Tesseract runs as a subprocess per page, two pages at a time, each
with one OpenMP thread: measured on two cores, its own threading makes a page take 3.7 s instead of 1.0 s, and two
single-threaded pages side by side take 0.55 s a page. (pytesseract cannot give the subprocess its environment, and
setting OMP_THREAD_LIMIT on this process would also throttle torch.)

Recognised text is kept on disk by the PDF's content hash and page, so re-indexing never reads the same scan twice.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import shutil
import subprocess
import tempfile
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from assistant.settings import Settings

# In the cache key: text cached by an older tidy-up or image preparation is read again.
OCR_VERSION = "2"
SCAN_COVERAGE = 0.5  # an image over half the page, with next to no text layer, is a scanned page (a seal is far smaller)
MAX_PIXELS = 40_000_000  # a rendered page beyond this (A0 at 300 dpi is 140 M) is refused, not rendered
INSTALL_HINT = "请安装 Tesseract 文字识别及其简体中文数据（Debian/Ubuntu：apt-get install tesseract-ocr tesseract-ocr-chi-sim）"
# Tesseract separates every recognised CJK character by a space; Chinese text has none between its characters.
_CJK = "\u3000-\u303f\u3400-\u9fff\uff00-\uffef"
_CJK_GAP = re.compile(f"(?<=[{_CJK}])[ \\t]+(?=[{_CJK}])")
_DIGIT_GAP = re.compile(f"(?<=[{_CJK}])[ \\t]+(?=\\d)|(?<=[\\d%])[ \\t]+(?=[{_CJK}])")
# chi_sim often reads a full-width mark as its half-width twin (“：” as “:”, “（” as “(” or “〈”): beside Chinese
# characters it is the full-width one.
_FULL = str.maketrans({",": "，", ";": "；", ":": "：", "?": "？", "!": "！", "(": "（", ")": "）"})
_HALF_BY_CJK = re.compile(f"(?<=[{_CJK}])[ \\t]*[,;:?!()]|[,;:?!()][ \\t]*(?=[{_CJK}])")
# ... and “（” as “〈”: an angle bracket closed by a parenthesis was a parenthesis
_HALF_OPEN = re.compile(r"〈(?=[^〈〉()（）]{0,40}[)）])")


class OcrUnavailable(Exception):
    """OCR is switched off or not installed; the message says, in Chinese, what to do."""


def _default(name: str) -> Any:
    return Settings.model_fields[name].default


@dataclass(frozen=True)
class OcrOptions:
    """The OCR settings one load needs; the defaults are Settings' own (assistant/settings.py owns them)."""

    enabled: bool = _default("ocr")
    command: str = _default("tesseract_cmd")
    lang: str = _default("ocr_lang")
    dpi: int = _default("ocr_dpi")
    workers: int = _default("ocr_workers")
    page_timeout_s: float = _default("ocr_page_timeout_s")
    max_pages: int = _default("ocr_max_pages")
    cache_dir: Path | None = None  # None: no cache (Settings' default is the user's cache directory)

    @classmethod
    def from_settings(cls, s: Settings) -> OcrOptions:
        return cls(enabled=s.ocr, command=s.tesseract_cmd, lang=s.ocr_lang, dpi=s.ocr_dpi, workers=s.ocr_workers,
                   page_timeout_s=s.ocr_page_timeout_s, max_pages=s.ocr_max_pages, cache_dir=s.ocr_cache_dir)


def unavailable_reason(opts: OcrOptions) -> str | None:
    """None when OCR can run; else why not, in Chinese, naming what to install."""
    if not opts.enabled:
        return "文字识别（OCR）已关闭（ASSISTANT_OCR=false）"
    return _engine_problem(opts.command, opts.lang)


_ENGINES_OK: set[tuple[str, str]] = set()


def _engine_problem(command: str, lang: str) -> str | None:
    """Checked once when found working; a missing engine is looked for again (it may be installed meanwhile)."""
    if (command, lang) in _ENGINES_OK:
        return None
    problem = _find_engine_problem(command, lang)
    if problem is None:
        _ENGINES_OK.add((command, lang))
    return problem


def _find_engine_problem(command: str, lang: str) -> str | None:
    exe = shutil.which(command)
    if exe is None:
        return f"未找到文字识别程序 {command}：{INSTALL_HINT}"
    try:
        done = subprocess.run([exe, "--list-langs"], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return f"文字识别程序 {command} 无法运行：{INSTALL_HINT}"
    have = {line.strip() for line in (done.stdout + done.stderr).splitlines()}
    missing = [code for code in lang.split("+") if code not in have]
    if missing:
        return f"文字识别缺少语言数据 {'、'.join(missing)}：{INSTALL_HINT}"
    return None


def tidy(text: str) -> str:
    """Tesseract's output as Chinese text: no spaces between CJK characters (or between them and digits)."""
    lines = []
    for line in text.replace("\f", "\n").split("\n"):
        line = _HALF_OPEN.sub("（", line)
        line = _HALF_BY_CJK.sub(lambda m: m.group().strip().translate(_FULL), line)
        line = _CJK_GAP.sub("", line)
        line = _DIGIT_GAP.sub("", line)
        lines.append(line.strip())
    return "\n".join(lines).strip()


def _cache_file(opts: OcrOptions, digest: str) -> Path | None:
    return opts.cache_dir / f"{digest}-{opts.lang}-{opts.dpi}-v{OCR_VERSION}.json" if opts.cache_dir else None


def _read_cache(path: Path | None) -> dict[int, str]:
    if path is None or not path.exists():
        return {}
    try:
        return {int(k): v for k, v in json.loads(path.read_text(encoding="utf-8")).items()}
    except (OSError, ValueError):
        return {}  # a damaged cache entry is read again from the scan


def _write_cache(path: Path | None, pages: dict[int, str]) -> None:
    if path is None:
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump({str(k): v for k, v in sorted(pages.items())}, f, ensure_ascii=False)
        Path(tmp).replace(path)
    except OSError:
        pass  # a read-only cache only costs time


def _recognise_png(png: bytes, opts: OcrOptions) -> str:
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    try:
        done = subprocess.run([opts.command, "stdin", "stdout", "-l", opts.lang, "--dpi", str(opts.dpi)], input=png,
                              capture_output=True, timeout=opts.page_timeout_s, env=env)
    except subprocess.TimeoutExpired as exc:
        raise OcrUnavailable(f"文字识别超时（单页超过 {opts.page_timeout_s:.0f} 秒）") from exc
    except OSError as exc:
        raise OcrUnavailable(f"文字识别程序无法运行：{INSTALL_HINT}") from exc
    if done.returncode != 0:
        raise OcrUnavailable(f"文字识别失败（tesseract 返回 {done.returncode}）")
    return tidy(done.stdout.decode("utf-8", errors="replace"))


def scanned_pages(pdf: bytes, candidates: list[int]) -> list[int]:
    """Of the 0-based ``candidates`` (pages with next to no text layer), those an image covers over half of: a scan,
    not a signature page whose seal is an image."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    found = []
    try:
        document = pdfium.PdfDocument(pdf)
    except pdfium.PdfiumError:
        return []
    try:
        for p in candidates:
            page = document[p]
            width, height = page.get_size()
            covered = 0.0
            for obj in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=3):
                left, bottom, right, top = obj.get_bounds()
                covered = max(covered, max(0.0, min(right, width) - max(left, 0.0)) * max(0.0, min(top, height) - max(bottom, 0.0)))
            if width * height > 0 and covered / (width * height) >= SCAN_COVERAGE:
                found.append(p)
    except pdfium.PdfiumError:
        return found
    finally:
        document.close()
    return found


def recognise(data: bytes, pages: list[int], opts: OcrOptions) -> dict[int, str]:
    """Text of the given 0-based pages of the PDF ``data``, by OCR (cached: a page read once is not read again, even where
    Tesseract is gone). Raises OcrUnavailable."""
    import pypdfium2 as pdfium
    from PIL import ImageFilter

    if not opts.enabled:
        raise OcrUnavailable(unavailable_reason(opts))
    cache = _cache_file(opts, hashlib.sha256(data).hexdigest())
    known = _read_cache(cache)
    todo = [p for p in pages if p not in known]
    if todo:
        reason = unavailable_reason(opts)
        if reason:
            raise OcrUnavailable(reason)
        try:
            document = pdfium.PdfDocument(data)
        except pdfium.PdfiumError as exc:
            raise OcrUnavailable("PDF 无法渲染为图像") from exc
        lock = threading.Lock()  # pdfium is not thread-safe: one page rendered at a time, recognised in parallel

        def read(p: int) -> str:
            with lock:
                page = document[p]
                width, height = page.get_size()
                if width * height * (opts.dpi / 72) ** 2 > MAX_PIXELS:
                    raise OcrUnavailable(f"第 {p + 1} 页尺寸过大，无法识别")
                image = page.render(scale=opts.dpi / 72, grayscale=True).to_pil()
            buf = io.BytesIO()
            # a 3×3 median removes a scan's speckle (measured: 0.53 → 0.93 of characters right on a speckled
            # 200 dpi page) and costs a clean page under 1 %
            image.filter(ImageFilter.MedianFilter(3)).save(buf, format="PNG")
            return _recognise_png(buf.getvalue(), opts)

        try:
            with ThreadPoolExecutor(max(1, opts.workers)) as pool:
                texts = list(pool.map(read, todo))
        except pdfium.PdfiumError as exc:
            raise OcrUnavailable("PDF 页面无法渲染为图像") from exc
        finally:
            document.close()
        known.update(zip(todo, texts, strict=True))
        _write_cache(cache, known)
    return {p: known[p] for p in pages}
