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
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from assistant.settings import Settings

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


@dataclass(frozen=True)
class OcrOptions:
    enabled: bool = True
    command: str = "tesseract"
    lang: str = "chi_sim"
    dpi: int = 300
    workers: int = 2
    page_timeout_s: float = 60.0
    max_pages: int = 300
    cache_dir: Path | None = None

    @classmethod
    def from_settings(cls, s: Settings) -> OcrOptions:
        return cls(enabled=s.ocr, command=s.tesseract_cmd, lang=s.ocr_lang, dpi=s.ocr_dpi, workers=s.ocr_workers,
                   page_timeout_s=s.ocr_page_timeout_s, max_pages=s.ocr_max_pages, cache_dir=s.ocr_cache_dir)


def unavailable_reason(opts: OcrOptions) -> str | None:
    """None when OCR can run; else why not, in Chinese, naming what to install."""
    if not opts.enabled:
        return "文字识别（OCR）已关闭（ASSISTANT_OCR=false）"
    return _engine_problem(opts.command, opts.lang)


@lru_cache(maxsize=8)
def _engine_problem(command: str, lang: str) -> str | None:
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
    return opts.cache_dir / f"{digest}-{opts.lang}-{opts.dpi}.json" if opts.cache_dir else None


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
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps({str(k): v for k, v in sorted(pages.items())}, ensure_ascii=False), encoding="utf-8")
        tmp.replace(path)
    except OSError:
        pass  # a read-only cache only costs time


def _recognise_png(png: bytes, opts: OcrOptions) -> str:
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    done = subprocess.run([opts.command, "stdin", "stdout", "-l", opts.lang, "--dpi", str(opts.dpi)], input=png,
                          capture_output=True, timeout=opts.page_timeout_s, env=env)
    if done.returncode != 0:
        raise OcrUnavailable(f"文字识别失败（tesseract 返回 {done.returncode}）")
    return tidy(done.stdout.decode("utf-8", errors="replace"))


def recognise(pdf: Path, pages: list[int], opts: OcrOptions) -> dict[int, str]:
    """Text of the given 0-based pages of ``pdf``, by OCR (cached: a page read once is not read again, even where
    Tesseract is gone). Raises OcrUnavailable."""
    import pypdfium2 as pdfium
    from PIL import ImageFilter

    if not opts.enabled:
        raise OcrUnavailable(unavailable_reason(opts))
    data = pdf.read_bytes()
    cache = _cache_file(opts, hashlib.sha256(data).hexdigest())
    known = _read_cache(cache)
    todo = [p for p in pages if p not in known]
    if todo:
        reason = unavailable_reason(opts)
        if reason:
            raise OcrUnavailable(reason)
        document = pdfium.PdfDocument(data)
        try:
            images = []
            for p in todo:  # pdfium is not thread-safe: render here, recognise in parallel
                buf = io.BytesIO()
                page = document[p].render(scale=opts.dpi / 72, grayscale=True).to_pil()
                # a 3×3 median removes a scan's speckle (measured: 0.53 → 0.93 of characters right on a speckled
                # 200 dpi page) and costs a clean page under 1 %
                page.filter(ImageFilter.MedianFilter(3)).save(buf, format="PNG")
                images.append(buf.getvalue())
        finally:
            document.close()
        try:
            with ThreadPoolExecutor(max(1, opts.workers)) as pool:
                texts = list(pool.map(lambda png: _recognise_png(png, opts), images))
        except subprocess.TimeoutExpired as exc:
            raise OcrUnavailable(f"文字识别超时（单页超过 {opts.page_timeout_s:.0f} 秒）") from exc
        known.update(zip(todo, texts, strict=True))
        _write_cache(cache, known)
    return {p: known[p] for p in pages}
